#include "analyzer/checks/model_network_isolation_disabled.hpp"

#include <fmt/format.h>

#include "analyzer/checks/resource_finding.hpp"

namespace vpcgate::checks {

void ModelNetworkIsolationDisabled::run(const CheckContext& ctx, FindingSink& sink) const {
  for (const auto& m : ctx.account().models) {
    if (m.network_isolation) continue;
    sink.add(resource_finding(
        info(), m.arn, m.loc, fmt::format("Model {} runs without network isolation", display_name(m.name, m.arn)),
        fmt::format("Model {} does not set EnableNetworkIsolation: the containers of its endpoints and batch "
                    "transform jobs can make outbound network calls ({}), so inference code or a dependency can send "
                    "requests' data out or fetch code.",
                    m.arn, m.vpc_config && !m.vpc_config->subnets.empty() ? "wherever its VPC routes them"
                                                                           : "to the internet, as it is not in a VPC"),
        "Create the model with EnableNetworkIsolation set to true (--enable-network-isolation); a model cannot be "
        "changed, so create a new one and point the endpoint configuration at it."));
  }
}

}  // namespace vpcgate::checks
