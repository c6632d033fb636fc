#include "analyzer/checks/vpc_endpoint_missing.hpp"

namespace vpcgate::checks {

// PLACEHOLDER: not implemented yet (produces no findings).
void VpcEndpointMissing::run(const CheckContext&, FindingSink&) const {}

}  // namespace vpcgate::checks
