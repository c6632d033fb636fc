#include "analyzer/checks/processing_job_network_isolation_disabled.hpp"

#include <fmt/format.h>

#include "analyzer/checks/resource_finding.hpp"

namespace vpcgate::checks {

void ProcessingJobNetworkIsolationDisabled::run(const CheckContext& ctx, FindingSink& sink) const {
  for (const auto& j : ctx.account().processing_jobs) {
    if (j.network_isolation) continue;
    sink.add(resource_finding(
        info(), j.arn, j.loc,
        fmt::format("Processing job {} runs without network isolation", display_name(j.name, j.arn)),
        fmt::format("Processing job {} does not set NetworkConfig.EnableNetworkIsolation: its containers can make "
                    "outbound network calls ({}), so processing code or a dependency can send data out or fetch "
                    "code.",
                    j.arn, j.vpc_config && !j.vpc_config->subnets.empty() ? "wherever its VPC routes them"
                                                                           : "to the internet, as it is not in a VPC"),
        "Create the job with NetworkConfig.EnableNetworkIsolation set to true (the processor's "
        "network_config=NetworkConfig(enable_network_isolation=True))."));
  }
}

}  // namespace vpcgate::checks
