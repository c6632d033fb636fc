#pragma once
#include "analyzer/checks/check.hpp"

namespace vpcgate::checks {

/// `model-not-in-vpc`: Model not in a VPC.
class ModelNotInVpc : public Check {
 public:
  CheckInfo info() const override {
    return {"model-not-in-vpc", Severity::Medium, "Model not in a VPC"};
  }
  void run(const CheckContext& ctx, FindingSink& sink) const override;
};

}  // namespace vpcgate::checks
