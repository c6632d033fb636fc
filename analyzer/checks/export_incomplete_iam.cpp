#include "analyzer/checks/export_incomplete_iam.hpp"

namespace vpcgate::checks {

// PLACEHOLDER: not implemented yet (produces no findings).
void ExportIncompleteIam::run(const CheckContext&, FindingSink&) const {}

}  // namespace vpcgate::checks
