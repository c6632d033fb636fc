#pragma once
#include "analyzer/checks/check.hpp"

namespace vpcgate::checks {

/// `domain-public-internet`: Studio domain uses public internet access.
/// `AppNetworkAccessType: PublicInternetOnly` (the default) sends a Studio domain's app traffic to
/// the internet through SageMaker's network, not through the domain's VPC.
///
/// Fails:
///     aws sagemaker create-domain --domain-name d1 --auth-mode IAM --vpc-id vpc-1 --subnet-ids subnet-1
///       --default-user-settings ExecutionRole=...   # --app-network-access-type defaults to PublicInternetOnly
class DomainPublicInternet : public Check {
 public:
  CheckInfo info() const override {
    return {"domain-public-internet", Severity::Medium, "Studio domain uses public internet access"};
  }
  void run(const CheckContext& ctx, FindingSink& sink) const override;
};

}  // namespace vpcgate::checks
