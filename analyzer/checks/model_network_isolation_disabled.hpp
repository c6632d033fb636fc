#pragma once
#include "analyzer/checks/check.hpp"

namespace vpcgate::checks {

/// `model-network-isolation-disabled`: Model without network isolation.
/// Without `EnableNetworkIsolation` a model's inference containers can open network connections:
/// to the internet outside a VPC, and wherever the VPC routes inside one.
///
/// Fails:
///     aws sagemaker create-model --model-name m1 ...   # no --enable-network-isolation
class ModelNetworkIsolationDisabled : public Check {
 public:
  CheckInfo info() const override {
    return {"model-network-isolation-disabled", Severity::Medium, "Model without network isolation"};
  }
  void run(const CheckContext& ctx, FindingSink& sink) const override;
};

}  // namespace vpcgate::checks
