#pragma once
#include "analyzer/checks/check.hpp"

namespace vpcgate::checks {

/// `export-incomplete-iam`: IAM entity referenced but not in the input.
class ExportIncompleteIam : public Check {
 public:
  CheckInfo info() const override {
    return {"export-incomplete-iam", Severity::High, "IAM entity referenced but not in the input"};
  }
  void run(const CheckContext& ctx, FindingSink& sink) const override;
};

}  // namespace vpcgate::checks
