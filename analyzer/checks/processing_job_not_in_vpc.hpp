#pragma once
#include "analyzer/checks/check.hpp"

namespace vpcgate::checks {

/// `processing-job-not-in-vpc`: Processing job not in a VPC.
class ProcessingJobNotInVpc : public Check {
 public:
  CheckInfo info() const override {
    return {"processing-job-not-in-vpc", Severity::Medium, "Processing job not in a VPC"};
  }
  void run(const CheckContext& ctx, FindingSink& sink) const override;
};

}  // namespace vpcgate::checks
