#include "analyzer/checks/internet_egress_path.hpp"

namespace vpcgate::checks {

// PLACEHOLDER: not implemented yet (produces no findings).
void InternetEgressPath::run(const CheckContext&, FindingSink&) const {}

}  // namespace vpcgate::checks
