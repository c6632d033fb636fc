#pragma once
#include "analyzer/checks/check.hpp"

namespace vpcgate::checks {

/// `processing-job-not-in-vpc`: Processing job not in a VPC.
/// A processing job without `NetworkConfig.VpcConfig` runs its containers in SageMaker's network,
/// outside every control of your VPC.
///
/// Fails:
///     aws sagemaker create-processing-job --processing-job-name p1 ...   # no NetworkConfig.VpcConfig
class ProcessingJobNotInVpc : public Check {
 public:
  CheckInfo info() const override {
    return {"processing-job-not-in-vpc", Severity::Medium, "Processing job not in a VPC"};
  }
  void run(const CheckContext& ctx, FindingSink& sink) const override;
};

}  // namespace vpcgate::checks
