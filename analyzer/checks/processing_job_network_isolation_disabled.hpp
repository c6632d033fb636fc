#pragma once
#include "analyzer/checks/check.hpp"

namespace vpcgate::checks {

/// `processing-job-network-isolation-disabled`: Processing job without network isolation.
/// Without `NetworkConfig.EnableNetworkIsolation` the processing container can open network
/// connections: to the internet outside a VPC, and wherever the VPC routes inside one.
///
/// Fails:
///     aws sagemaker create-processing-job --processing-job-name p1 ...
///       --network-config '{"EnableNetworkIsolation": false}'
class ProcessingJobNetworkIsolationDisabled : public Check {
 public:
  CheckInfo info() const override {
    return {"processing-job-network-isolation-disabled", Severity::Medium, "Processing job without network isolation"};
  }
  void run(const CheckContext& ctx, FindingSink& sink) const override;
};

}  // namespace vpcgate::checks
