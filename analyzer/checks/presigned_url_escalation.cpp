#include "analyzer/checks/presigned_url_escalation.hpp"

namespace vpcgate::checks {

// PLACEHOLDER: not implemented yet (produces no findings).
void PresignedUrlEscalation::run(const CheckContext&, FindingSink&) const {}

}  // namespace vpcgate::checks
