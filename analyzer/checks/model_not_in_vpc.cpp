#include "analyzer/checks/model_not_in_vpc.hpp"

#include <fmt/format.h>

#include "analyzer/checks/resource_finding.hpp"

namespace vpcgate::checks {

void ModelNotInVpc::run(const CheckContext& ctx, FindingSink& sink) const {
  for (const auto& m : ctx.account().models) {
    if (m.vpc_config && !m.vpc_config->subnets.empty()) continue;
    sink.add(resource_finding(
        info(), m.arn, m.loc, fmt::format("Model {} is not in a VPC", display_name(m.name, m.arn)),
        fmt::format("Model {} has no VpcConfig: the containers of its endpoints and batch transform jobs run in "
                    "SageMaker's network, so your VPC's security groups, network ACLs, routes and endpoint policies "
                    "do not apply to their traffic{}.",
                    m.arn, m.network_isolation ? "" : ", and without network isolation they can reach the internet"),
        "Create the model with a VpcConfig (Subnets and SecurityGroupIds of private subnets); a model cannot be "
        "changed, so create a new one and point the endpoint configuration at it."));
  }
}

}  // namespace vpcgate::checks
