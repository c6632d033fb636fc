#pragma once
#include "analyzer/checks/check.hpp"

namespace vpcgate::checks {

/// `internet-egress-path`: SageMaker resource in a VPC reaches the internet.
class InternetEgressPath : public Check {
 public:
  CheckInfo info() const override {
    return {"internet-egress-path", Severity::Medium, "SageMaker resource in a VPC reaches the internet"};
  }
  void run(const CheckContext& ctx, FindingSink& sink) const override;
};

}  // namespace vpcgate::checks
