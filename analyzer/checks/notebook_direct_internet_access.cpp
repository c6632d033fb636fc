#include "analyzer/checks/notebook_direct_internet_access.hpp"

namespace vpcgate::checks {

// PLACEHOLDER: not implemented yet (produces no findings).
void NotebookDirectInternetAccess::run(const CheckContext&, FindingSink&) const {}

}  // namespace vpcgate::checks
