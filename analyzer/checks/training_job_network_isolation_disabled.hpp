#pragma once
#include "analyzer/checks/check.hpp"

namespace vpcgate::checks {

/// `training-job-network-isolation-disabled`: Training job without network isolation.
class TrainingJobNetworkIsolationDisabled : public Check {
 public:
  CheckInfo info() const override {
    return {"training-job-network-isolation-disabled", Severity::Medium, "Training job without network isolation"};
  }
  void run(const CheckContext& ctx, FindingSink& sink) const override;
};

}  // namespace vpcgate::checks
