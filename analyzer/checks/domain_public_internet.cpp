#include "analyzer/checks/domain_public_internet.hpp"

#include <fmt/format.h>

#include "analyzer/checks/resource_finding.hpp"

namespace vpcgate::checks {

void DomainPublicInternet::run(const CheckContext& ctx, FindingSink& sink) const {
  for (const auto& d : ctx.account().domains) {
    // The only other value is VpcOnly; anything else is taken as the default, PublicInternetOnly.
    if (d.app_network_access_type == "VpcOnly") continue;
    sink.add(resource_finding(
        info(), d.arn, d.loc,
        fmt::format("Studio domain {} gives its apps public internet access", display_name(d.name, d.arn)),
        fmt::format("Studio domain {} has AppNetworkAccessType {}: its apps reach the internet through SageMaker's "
                    "network, whatever the route tables, security groups and network ACLs of {} say.",
                    d.arn, d.app_network_access_type.empty() ? "PublicInternetOnly" : d.app_network_access_type,
                    d.vpc_id.empty() ? "its VPC" : d.vpc_id),
        "Set AppNetworkAccessType to VpcOnly (aws sagemaker update-domain --domain-id ID "
        "--app-network-access-type VpcOnly, after deleting the domain's running apps), give the domain's "
        "subnets VPC interface endpoints for the services its users need, and name security groups in "
        "DefaultUserSettings.SecurityGroups."));
  }
}

}  // namespace vpcgate::checks
