#include "analyzer/checks/presigned_url_condition_dangling.hpp"

namespace vpcgate::checks {

// PLACEHOLDER: not implemented yet (produces no findings).
void PresignedUrlConditionDangling::run(const CheckContext&, FindingSink&) const {}

}  // namespace vpcgate::checks
