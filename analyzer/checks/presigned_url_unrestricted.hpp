#pragma once
#include "analyzer/checks/check.hpp"

namespace vpcgate::checks {

/// `presigned-url-unrestricted`: Principal can open notebooks from outside the approved network.
class PresignedUrlUnrestricted : public Check {
 public:
  CheckInfo info() const override {
    return {"presigned-url-unrestricted", Severity::High, "Principal can open notebooks from outside the approved network"};
  }
  void run(const CheckContext& ctx, FindingSink& sink) const override;
};

}  // namespace vpcgate::checks
