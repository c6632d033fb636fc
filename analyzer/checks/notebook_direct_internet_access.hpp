#pragma once
#include "analyzer/checks/check.hpp"

namespace vpcgate::checks {

/// `notebook-direct-internet-access`: Notebook instance has direct internet access.
/// `DirectInternetAccess: Enabled` (the default) gives a notebook instance a second network
/// interface with internet access through SageMaker's network, around every control of the VPC.
///
/// Fails:
///     aws sagemaker create-notebook-instance ... --subnet-id subnet-1 --security-group-ids sg-1
///       --direct-internet-access Enabled
class NotebookDirectInternetAccess : public Check {
 public:
  CheckInfo info() const override {
    return {"notebook-direct-internet-access", Severity::Medium, "Notebook instance has direct internet access"};
  }
  void run(const CheckContext& ctx, FindingSink& sink) const override;
};

}  // namespace vpcgate::checks
