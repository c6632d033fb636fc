#pragma once
#include "analyzer/checks/check.hpp"

namespace vpcgate::checks {

/// `presigned-url-escalation`: Principal can become one that opens notebooks from outside the approved network.
class PresignedUrlEscalation : public Check {
 public:
  CheckInfo info() const override {
    return {"presigned-url-escalation", Severity::High, "Principal can become one that opens notebooks from outside the approved network"};
  }
  void run(const CheckContext& ctx, FindingSink& sink) const override;
};

}  // namespace vpcgate::checks
