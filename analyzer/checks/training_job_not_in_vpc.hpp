#pragma once
#include "analyzer/checks/check.hpp"

namespace vpcgate::checks {

/// `training-job-not-in-vpc`: Training job not in a VPC.
/// A training job without `VpcConfig` runs its containers in SageMaker's network, outside every
/// control of your VPC.
///
/// Fails:
///     aws sagemaker create-training-job --training-job-name t1 ...   # no --vpc-config
class TrainingJobNotInVpc : public Check {
 public:
  CheckInfo info() const override {
    return {"training-job-not-in-vpc", Severity::Medium, "Training job not in a VPC"};
  }
  void run(const CheckContext& ctx, FindingSink& sink) const override;
};

}  // namespace vpcgate::checks
