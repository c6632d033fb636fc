#include "analyzer/checks/notebook_direct_internet_access.hpp"

#include <fmt/format.h>

#include "analyzer/checks/resource_finding.hpp"

namespace vpcgate::checks {

void NotebookDirectInternetAccess::run(const CheckContext& ctx, FindingSink& sink) const {
  for (const auto& n : ctx.account().notebooks) {
    if (!n.direct_internet_access) continue;
    sink.add(resource_finding(
        info(), n.arn, n.loc,
        fmt::format("Notebook instance {} has direct internet access", display_name(n.name, n.arn)),
        fmt::format("Notebook instance {} has DirectInternetAccess Enabled: SageMaker gives it internet access "
                    "through its own network, so data can leave and code can come in whatever the VPC's route "
                    "tables, security groups and network ACLs say{}.",
                    n.arn, n.subnet_id && !n.subnet_id->empty() ? "" : " (it is not in a VPC at all)"),
        "Recreate the notebook instance with DirectInternetAccess set to Disabled (this needs a SubnetId and cannot "
        "be changed on an existing instance); give the subnet VPC interface endpoints for the AWS services the "
        "notebook needs, or a NAT gateway you control."));
  }
}

}  // namespace vpcgate::checks
