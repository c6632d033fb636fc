#include "analyzer/checks/training_job_network_isolation_disabled.hpp"

#include <fmt/format.h>

#include "analyzer/checks/resource_finding.hpp"

namespace vpcgate::checks {

void TrainingJobNetworkIsolationDisabled::run(const CheckContext& ctx, FindingSink& sink) const {
  for (const auto& j : ctx.account().training_jobs) {
    if (j.network_isolation) continue;
    sink.add(resource_finding(
        info(), j.arn, j.loc,
        fmt::format("Training job {} runs without network isolation", display_name(j.name, j.arn)),
        fmt::format("Training job {} does not set EnableNetworkIsolation: its containers can make outbound network "
                    "calls ({}), so training code or a dependency can send data out or fetch code.",
                    j.arn, j.vpc_config && !j.vpc_config->subnets.empty() ? "wherever its VPC routes them"
                                                                           : "to the internet, as it is not in a VPC"),
        "Create the job with EnableNetworkIsolation set to true (--enable-network-isolation; the estimator's "
        "enable_network_isolation=True); SageMaker still downloads the input data and uploads the model for it."));
  }
}

}  // namespace vpcgate::checks
