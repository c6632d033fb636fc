#include "analyzer/checks/model_network_isolation_disabled.hpp"

namespace vpcgate::checks {

// PLACEHOLDER: not implemented yet (produces no findings).
void ModelNetworkIsolationDisabled::run(const CheckContext&, FindingSink&) const {}

}  // namespace vpcgate::checks
