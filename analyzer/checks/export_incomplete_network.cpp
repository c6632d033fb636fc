#include "analyzer/checks/export_incomplete_network.hpp"

namespace vpcgate::checks {

// PLACEHOLDER: not implemented yet (produces no findings).
void ExportIncompleteNetwork::run(const CheckContext&, FindingSink&) const {}

}  // namespace vpcgate::checks
