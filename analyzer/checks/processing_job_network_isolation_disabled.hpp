#pragma once
#include "analyzer/checks/check.hpp"

namespace vpcgate::checks {

/// `processing-job-network-isolation-disabled`: Processing job without network isolation.
class ProcessingJobNetworkIsolationDisabled : public Check {
 public:
  CheckInfo info() const override {
    return {"processing-job-network-isolation-disabled", Severity::Medium, "Processing job without network isolation"};
  }
  void run(const CheckContext& ctx, FindingSink& sink) const override;
};

}  // namespace vpcgate::checks
