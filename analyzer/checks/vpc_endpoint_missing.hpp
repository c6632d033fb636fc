#pragma once
#include "analyzer/checks/check.hpp"

namespace vpcgate::checks {

/// `vpc-endpoint-missing`: VPC hosting notebooks lacks a SageMaker interface endpoint.
class VpcEndpointMissing : public Check {
 public:
  CheckInfo info() const override {
    return {"vpc-endpoint-missing", Severity::Medium, "VPC hosting notebooks lacks a SageMaker interface endpoint"};
  }
  void run(const CheckContext& ctx, FindingSink& sink) const override;
};

}  // namespace vpcgate::checks
