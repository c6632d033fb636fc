#pragma once
#include "analyzer/checks/check.hpp"

namespace vpcgate::checks {

/// `model-network-isolation-disabled`: Model without network isolation.
class ModelNetworkIsolationDisabled : public Check {
 public:
  CheckInfo info() const override {
    return {"model-network-isolation-disabled", Severity::Medium, "Model without network isolation"};
  }
  void run(const CheckContext& ctx, FindingSink& sink) const override;
};

}  // namespace vpcgate::checks
