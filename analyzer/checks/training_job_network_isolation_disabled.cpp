#include "analyzer/checks/training_job_network_isolation_disabled.hpp"

namespace vpcgate::checks {

// PLACEHOLDER: not implemented yet (produces no findings).
void TrainingJobNetworkIsolationDisabled::run(const CheckContext&, FindingSink&) const {}

}  // namespace vpcgate::checks
