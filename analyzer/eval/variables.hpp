#pragma once
// Policy variables (`${aws:username}`, `${aws:PrincipalTag/team, 'default'}`, `${*}`, `${?}`,
// `${$}`): https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
#include <optional>
#include <string_view>

#include "analyzer/eval/context.hpp"
#include "analyzer/eval/wildcard.hpp"

namespace vpcgate::eval::detail {

// Turns a policy string into a pattern. With `variables` on, `${key}` is replaced by the
// key's single value (literal characters), `${key, 'default'}` falls back to the default, and
// `${*}`, `${?}`, `${$}` are literal `*`, `?`, `$`. With `wildcards` on, the policy's own `*`
// and `?` are wildcards. Returns nullopt when a variable cannot be resolved (the key is absent,
// has several values, or the reference is malformed, and there is no default): AWS treats such
// a value as null, which equals and is like nothing.
std::optional<Pattern> substitute(std::string_view text, const Context& ctx, bool variables, bool wildcards);

// The literal text of a pattern built without wildcards.
std::string pattern_text(const Pattern& p);

}  // namespace vpcgate::eval::detail
