#pragma once
#include "analyzer/checks/check.hpp"

namespace vpcgate::checks {

/// `notebook-not-in-vpc`: Notebook instance not in a VPC.
class NotebookNotInVpc : public Check {
 public:
  CheckInfo info() const override {
    return {"notebook-not-in-vpc", Severity::Medium, "Notebook instance not in a VPC"};
  }
  void run(const CheckContext& ctx, FindingSink& sink) const override;
};

}  // namespace vpcgate::checks
