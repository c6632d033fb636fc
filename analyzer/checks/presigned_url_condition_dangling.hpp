#pragma once
#include "analyzer/checks/check.hpp"

namespace vpcgate::checks {

/// `presigned-url-condition-dangling`: Presigned-URL condition names an endpoint or VPC that is not there.
class PresignedUrlConditionDangling : public Check {
 public:
  CheckInfo info() const override {
    return {"presigned-url-condition-dangling", Severity::Medium, "Presigned-URL condition names an endpoint or VPC that is not there"};
  }
  void run(const CheckContext& ctx, FindingSink& sink) const override;
};

}  // namespace vpcgate::checks
