#pragma once
#include <string_view>

#include "analyzer/eval/wildcard.hpp"

namespace vpcgate::eval::detail {

// ARN-aware match: when both the pattern and the value have the six colon-separated parts of
// an ARN (arn:partition:service:region:account:resource; the last part keeps any further
// colons), each part is matched on its own, so a wildcard never crosses a part; otherwise the
// whole string is matched. Case-sensitive.
bool arn_like(const Pattern& pattern, std::string_view value);

// The ARN condition operators (ArnEquals, ArnLike and their negations): both the policy value
// and the request value must be ARNs of six parts, matched part by part; anything else does
// not match.
bool arn_condition_match(const Pattern& pattern, std::string_view value);

}  // namespace vpcgate::eval::detail
