#include "analyzer/checks/training_job_not_in_vpc.hpp"

#include <fmt/format.h>

#include "analyzer/checks/resource_finding.hpp"

namespace vpcgate::checks {

void TrainingJobNotInVpc::run(const CheckContext& ctx, FindingSink& sink) const {
  for (const auto& j : ctx.account().training_jobs) {
    if (j.vpc_config && !j.vpc_config->subnets.empty()) continue;
    sink.add(resource_finding(
        info(), j.arn, j.loc, fmt::format("Training job {} does not run in a VPC", display_name(j.name, j.arn)),
        fmt::format("Training job {} has no VpcConfig: its containers run in SageMaker's network, so your VPC's "
                    "security groups, network ACLs, routes and endpoint policies do not apply to their traffic{}.",
                    j.arn, j.network_isolation ? "" : ", and without network isolation they can reach the internet"),
        "Give the job a VpcConfig (Subnets and SecurityGroupIds of private subnets) when creating it, for example "
        "with the estimator's subnets and security_group_ids; reach S3 and ECR through VPC endpoints."));
  }
}

}  // namespace vpcgate::checks
