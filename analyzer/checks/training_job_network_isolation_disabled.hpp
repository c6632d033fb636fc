#pragma once
#include "analyzer/checks/check.hpp"

namespace vpcgate::checks {

/// `training-job-network-isolation-disabled`: Training job without network isolation.
/// Without `EnableNetworkIsolation` the training container can open network connections: to the
/// internet outside a VPC, and wherever the VPC routes inside one.
///
/// Fails:
///     aws sagemaker create-training-job --training-job-name t1 ...   # no --enable-network-isolation
class TrainingJobNetworkIsolationDisabled : public Check {
 public:
  CheckInfo info() const override {
    return {"training-job-network-isolation-disabled", Severity::Medium, "Training job without network isolation"};
  }
  void run(const CheckContext& ctx, FindingSink& sink) const override;
};

}  // namespace vpcgate::checks
