#pragma once
#include "analyzer/checks/check.hpp"

namespace vpcgate::checks {

/// `notebook-direct-internet-access`: Notebook instance has direct internet access.
class NotebookDirectInternetAccess : public Check {
 public:
  CheckInfo info() const override {
    return {"notebook-direct-internet-access", Severity::Medium, "Notebook instance has direct internet access"};
  }
  void run(const CheckContext& ctx, FindingSink& sink) const override;
};

}  // namespace vpcgate::checks
