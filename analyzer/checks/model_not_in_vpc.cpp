#include "analyzer/checks/model_not_in_vpc.hpp"

namespace vpcgate::checks {

// PLACEHOLDER: not implemented yet (produces no findings).
void ModelNotInVpc::run(const CheckContext&, FindingSink&) const {}

}  // namespace vpcgate::checks
