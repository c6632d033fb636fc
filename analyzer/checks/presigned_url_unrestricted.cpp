#include "analyzer/checks/presigned_url_unrestricted.hpp"

namespace vpcgate::checks {

// PLACEHOLDER: not implemented yet (produces no findings).
void PresignedUrlUnrestricted::run(const CheckContext&, FindingSink&) const {}

}  // namespace vpcgate::checks
