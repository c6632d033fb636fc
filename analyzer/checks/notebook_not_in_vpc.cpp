#include "analyzer/checks/notebook_not_in_vpc.hpp"

#include <fmt/format.h>

#include "analyzer/checks/resource_finding.hpp"

namespace vpcgate::checks {

void NotebookNotInVpc::run(const CheckContext& ctx, FindingSink& sink) const {
  for (const auto& n : ctx.account().notebooks) {
    if (n.subnet_id && !n.subnet_id->empty()) continue;
    sink.add(resource_finding(
        info(), n.arn, n.loc, fmt::format("Notebook instance {} is not in a VPC", display_name(n.name, n.arn)),
        fmt::format("Notebook instance {} has no SubnetId, so SageMaker runs it in its own service network: none of "
                    "your VPC's security groups, network ACLs, route tables or endpoint policies apply to its "
                    "traffic, and it reaches the internet directly.",
                    n.arn),
        "Recreate the notebook instance with a SubnetId in a private subnet and SecurityGroupIds (the subnet of an "
        "existing instance cannot be changed), with DirectInternetAccess set to Disabled; reach SageMaker and other "
        "AWS services through VPC interface endpoints."));
  }
}

}  // namespace vpcgate::checks
