#pragma once
#include "analyzer/checks/check.hpp"

namespace vpcgate::checks {

/// `model-not-in-vpc`: Model not in a VPC.
/// A model without `VpcConfig` serves (endpoints, batch transform) from containers in SageMaker's
/// network, outside every control of your VPC.
///
/// Fails:
///     aws sagemaker create-model --model-name m1 --primary-container ... --execution-role-arn ...   # no --vpc-config
class ModelNotInVpc : public Check {
 public:
  CheckInfo info() const override {
    return {"model-not-in-vpc", Severity::Medium, "Model not in a VPC"};
  }
  void run(const CheckContext& ctx, FindingSink& sink) const override;
};

}  // namespace vpcgate::checks
