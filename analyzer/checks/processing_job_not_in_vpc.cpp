#include "analyzer/checks/processing_job_not_in_vpc.hpp"

#include <fmt/format.h>

#include "analyzer/checks/resource_finding.hpp"

namespace vpcgate::checks {

void ProcessingJobNotInVpc::run(const CheckContext& ctx, FindingSink& sink) const {
  for (const auto& j : ctx.account().processing_jobs) {
    if (j.vpc_config && !j.vpc_config->subnets.empty()) continue;
    sink.add(resource_finding(
        info(), j.arn, j.loc, fmt::format("Processing job {} does not run in a VPC", display_name(j.name, j.arn)),
        fmt::format("Processing job {} has no NetworkConfig.VpcConfig: its containers run in SageMaker's network, so "
                    "your VPC's security groups, network ACLs, routes and endpoint policies do not apply to their "
                    "traffic{}.",
                    j.arn, j.network_isolation ? "" : ", and without network isolation they can reach the internet"),
        "Give the job NetworkConfig.VpcConfig (Subnets and SecurityGroupIds of private subnets) when creating it, "
        "for example with the processor's network_config=NetworkConfig(subnets=..., security_group_ids=...)."));
  }
}

}  // namespace vpcgate::checks
