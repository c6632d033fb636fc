#pragma once
// Value classes of condition keys for the exact presigned-URL search (presigned_analysis.cpp):
// from the literals and patterns that conditions compare a key with, candidate values that
// together reach every class of the key's value space (literal, pattern instances and
// intersections, case variants, numeric/date neighbours, CIDR network address and the
// addresses just outside, absent, some other value).
#include <map>
#include <type_traits>
#include <optional>
#include <string>
#include <vector>

#include "model/policy.hpp"

namespace vpcgate::checks::presigned {

// Records that `value` can be chosen with `kind` and keeps the best kind per value (the smallest:
// literals before placeholders before other values, in every search's own order of kinds).
template <class Kind>
void keep_best(std::map<std::string, Kind>& best, const std::string& value, std::type_identity_t<Kind> kind) {
  auto [it, inserted] = best.emplace(value, kind);
  if (!inserted && kind < it->second) it->second = kind;
}

enum class ValueKind { Literal = 0, Placeholder = 1, Derived = 2 };

struct CandidateValue {
  std::string value;
  ValueKind kind = ValueKind::Derived;
};

// A condition operand after policy variables were resolved.
struct Operand {
  model::ConditionOperator op = model::ConditionOperator::StringEquals;
  std::string value;
};

// Candidates for a key compared with these operands (deduplicated, each with its best kind).
// `key_lower` selects placeholders (aws:sourcevpce -> vpce-00000000000000000, ...).
std::vector<CandidateValue> candidate_values(const std::string& key_lower,
                                             const std::vector<Operand>& operands);

// Placeholder of a key that no policy compares with anything.
std::string placeholder_for(const std::string& key_lower);

bool is_wildcard_op(model::ConditionOperator op);

}  // namespace vpcgate::checks::presigned
