#pragma once
#include "analyzer/checks/check.hpp"

namespace vpcgate::checks {

/// `training-job-not-in-vpc`: Training job not in a VPC.
class TrainingJobNotInVpc : public Check {
 public:
  CheckInfo info() const override {
    return {"training-job-not-in-vpc", Severity::Medium, "Training job not in a VPC"};
  }
  void run(const CheckContext& ctx, FindingSink& sink) const override;
};

}  // namespace vpcgate::checks
