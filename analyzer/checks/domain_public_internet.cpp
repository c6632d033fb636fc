#include "analyzer/checks/domain_public_internet.hpp"

namespace vpcgate::checks {

// PLACEHOLDER: not implemented yet (produces no findings).
void DomainPublicInternet::run(const CheckContext&, FindingSink&) const {}

}  // namespace vpcgate::checks
