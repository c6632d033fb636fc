#pragma once
#include "analyzer/checks/check.hpp"

namespace vpcgate::checks {

/// `domain-public-internet`: Studio domain uses public internet access.
class DomainPublicInternet : public Check {
 public:
  CheckInfo info() const override {
    return {"domain-public-internet", Severity::Medium, "Studio domain uses public internet access"};
  }
  void run(const CheckContext& ctx, FindingSink& sink) const override;
};

}  // namespace vpcgate::checks
