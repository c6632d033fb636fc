#include "analyzer/checks/notebook_not_in_vpc.hpp"

namespace vpcgate::checks {

// PLACEHOLDER: not implemented yet (produces no findings).
void NotebookNotInVpc::run(const CheckContext&, FindingSink&) const {}

}  // namespace vpcgate::checks
