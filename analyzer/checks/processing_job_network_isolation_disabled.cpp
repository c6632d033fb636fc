#include "analyzer/checks/processing_job_network_isolation_disabled.hpp"

namespace vpcgate::checks {

// PLACEHOLDER: not implemented yet (produces no findings).
void ProcessingJobNetworkIsolationDisabled::run(const CheckContext&, FindingSink&) const {}

}  // namespace vpcgate::checks
