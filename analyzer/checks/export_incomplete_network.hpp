#pragma once
#include "analyzer/checks/check.hpp"

namespace vpcgate::checks {

/// `export-incomplete-network`: Network object referenced but not in the input.
class ExportIncompleteNetwork : public Check {
 public:
  CheckInfo info() const override {
    return {"export-incomplete-network", Severity::Low, "Network object referenced but not in the input"};
  }
  void run(const CheckContext& ctx, FindingSink& sink) const override;
};

}  // namespace vpcgate::checks
