// Condition operators:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
// Set operators (ForAnyValue / ForAllValues):
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/eval/arn.hpp"
#include "analyzer/eval/evaluate.hpp"
#include "analyzer/eval/values.hpp"
#include "analyzer/eval/variables.hpp"

namespace vpcgate::eval {
namespace {

using model::Condition;
using model::ConditionOperator;
using Op = ConditionOperator;

enum class Family { String, StringIgnoreCase, StringLike, Numeric, Date, Bool, Binary, Ip, Arn };

struct OpInfo {
  Family family;
  bool negated;
};

OpInfo info(Op op) {
  switch (op) {
    case Op::StringEquals: return {Family::String, false};
    case Op::StringNotEquals: return {Family::String, true};
    case Op::StringEqualsIgnoreCase: return {Family::StringIgnoreCase, false};
    case Op::StringNotEqualsIgnoreCase: return {Family::StringIgnoreCase, true};
    case Op::StringLike: return {Family::StringLike, false};
    case Op::StringNotLike: return {Family::StringLike, true};
    case Op::NumericEquals: return {Family::Numeric, false};
    case Op::NumericNotEquals: return {Family::Numeric, true};
    case Op::NumericLessThan:
    case Op::NumericLessThanEquals:
    case Op::NumericGreaterThan:
    case Op::NumericGreaterThanEquals: return {Family::Numeric, false};
    case Op::DateEquals: return {Family::Date, false};
    case Op::DateNotEquals: return {Family::Date, true};
    case Op::DateLessThan:
    case Op::DateLessThanEquals:
    case Op::DateGreaterThan:
    case Op::DateGreaterThanEquals: return {Family::Date, false};
    case Op::Bool: return {Family::Bool, false};
    case Op::BinaryEquals: return {Family::Binary, false};
    case Op::IpAddress: return {Family::Ip, false};
    case Op::NotIpAddress: return {Family::Ip, true};
    case Op::ArnEquals:
    case Op::ArnLike: return {Family::Arn, false};
    case Op::ArnNotEquals:
    case Op::ArnNotLike: return {Family::Arn, true};
    case Op::Null: return {Family::Bool, false};
  }
  return {Family::String, false};
}

// The ordering test of a comparison operator, given cmp = compare(request, policy).
bool ordered(Op op, int cmp) {
  switch (op) {
    case Op::NumericLessThan:
    case Op::DateLessThan: return cmp < 0;
    case Op::NumericLessThanEquals:
    case Op::DateLessThanEquals: return cmp <= 0;
    case Op::NumericGreaterThan:
    case Op::DateGreaterThan: return cmp > 0;
    case Op::NumericGreaterThanEquals:
    case Op::DateGreaterThanEquals: return cmp >= 0;
    default: return cmp == 0;  // Equals and NotEquals (negated afterwards)
  }
}

int cmp3(const detail::Instant& a, const detail::Instant& b) {
  if (a < b) return -1;
  if (b < a) return 1;
  return 0;
}

// The policy's values of one condition, prepared once (variables resolved; values that cannot be
// resolved are dropped: a null value equals nothing and is like nothing).
struct Prepared {
  Op op;
  Family family;
  std::vector<std::string> strings;           // String, StringIgnoreCase (lower-cased), Bool, Binary
  std::vector<detail::Pattern> patterns;      // StringLike, Arn
  std::vector<detail::Decimal> numbers;
  std::vector<detail::Instant> dates;
  std::vector<detail::IpRange> ranges;
};

Prepared prepare(const model::PolicyDocument& doc, const Condition& c, const Context& ctx) {
  Prepared p{c.op, info(c.op).family, {}, {}, {}, {}, {}};
  const bool vars = doc.variables_enabled();
  for (const std::string& v : c.values) {
    switch (p.family) {
      case Family::String:
      case Family::StringIgnoreCase: {
        auto pat = detail::substitute(v, ctx, vars, false);
        if (!pat) break;
        std::string s = detail::pattern_text(*pat);
        p.strings.push_back(p.family == Family::StringIgnoreCase ? ascii_lower(s) : s);
        break;
      }
      case Family::StringLike:
      case Family::Arn: {
        auto pat = detail::substitute(v, ctx, vars, true);
        if (pat) p.patterns.push_back(std::move(*pat));
        break;
      }
      case Family::Numeric:
        if (auto d = detail::parse_decimal(v)) p.numbers.push_back(*d);
        break;
      case Family::Date:
        if (auto d = detail::parse_date(v)) p.dates.push_back(*d);
        break;
      case Family::Bool:
        p.strings.push_back(ascii_lower(v));
        break;
      case Family::Binary:
        if (auto b = detail::base64_decode(v)) {
          p.strings.push_back(*b);
        } else {
          p.strings.push_back("\x01raw:" + v);
        }
        break;
      case Family::Ip:
        if (auto r = detail::parse_ip(v)) p.ranges.push_back(*r);
        break;
    }
  }
  return p;
}

// Does one request value satisfy the positive form of the operator against any policy value?
bool positive_any(const Prepared& p, const std::string& value) {
  switch (p.family) {
    case Family::String:
      for (const auto& s : p.strings) {
        if (s == value) return true;
      }
      return false;
    case Family::StringIgnoreCase: {
      const std::string lv = ascii_lower(value);
      for (const auto& s : p.strings) {
        if (s == lv) return true;
      }
      return false;
    }
    case Family::StringLike:
      for (const auto& pat : p.patterns) {
        if (detail::match(pat, value, false)) return true;
      }
      return false;
    case Family::Arn:
      for (const auto& pat : p.patterns) {
        if (detail::arn_condition_match(pat, value)) return true;
      }
      return false;
    case Family::Numeric: {
      auto d = detail::parse_decimal(value);
      if (!d) return false;
      for (const auto& n : p.numbers) {
        if (ordered(p.op, detail::compare(*d, n))) return true;
      }
      return false;
    }
    case Family::Date: {
      auto t = detail::parse_date(value);
      if (!t) return false;
      for (const auto& d : p.dates) {
        if (ordered(p.op, cmp3(*t, d))) return true;
      }
      return false;
    }
    case Family::Bool: {
      const std::string lv = ascii_lower(value);
      for (const auto& s : p.strings) {
        if (s == lv) return true;
      }
      return false;
    }
    case Family::Binary: {
      auto b = detail::base64_decode(value);
      const std::string v = b ? *b : "\x01raw:" + value;
      for (const auto& s : p.strings) {
        if (s == v) return true;
      }
      return false;
    }
    case Family::Ip: {
      auto a = detail::parse_ip(value);
      if (!a) return false;
      for (const auto& r : p.ranges) {
        if (detail::ip_in_range(*a, r)) return true;
      }
      return false;
    }
  }
  return false;
}


}  // namespace

bool condition_holds(const model::PolicyDocument& doc, const model::Condition& c, const Context& ctx) {
  const std::vector<std::string>* values = ctx.get(c.key);
  const bool present = values != nullptr && !values->empty();
  if (c.op == Op::Null) {
    // "true": the key must be absent; "false": present. Several values are OR.
    for (const auto& v : c.values) {
      if ((ascii_lower(v) == "true") != present) return true;
    }
    return false;
  }
  const OpInfo oi = info(c.op);
  if (!present) {
    // ForAllValues over the empty set is vacuously true; ForAnyValue finds no member.
    if (c.qualifier == model::SetQualifier::ForAllValues) return true;
    if (c.if_exists) return true;
    if (c.qualifier == model::SetQualifier::ForAnyValue) return false;
    // A negated operator on a missing key is true: nothing in the request equals the values.
    return oi.negated;
  }
  // Case-sensitive string operators whose values hold no policy variable compare the values as
  // written: no prepared copies (a condition with thousands of values is tested thousands of
  // times by the presigned search; docs/security.md, bounded cost).
  const bool literal = oi.family == Family::String &&
                       (!doc.variables_enabled() ||
                        std::none_of(c.values.begin(), c.values.end(),
                                     [](const std::string& v) { return v.find("${") != std::string::npos; }));
  Prepared p{c.op, oi.family, {}, {}, {}, {}, {}};
  if (!literal) p = prepare(doc, c, ctx);
  auto positive = [&](const std::string& v) {
    if (!literal) return positive_any(p, v);
    return std::find(c.values.begin(), c.values.end(), v) != c.values.end();
  };
  switch (c.qualifier) {
    case model::SetQualifier::ForAnyValue:
      for (const auto& v : *values) {
        if (positive(v) != oi.negated) return true;
      }
      return false;
    case model::SetQualifier::ForAllValues:
      for (const auto& v : *values) {
        if (positive(v) == oi.negated) return false;
      }
      return true;
    case model::SetQualifier::None:
      break;
  }
  // Without a set operator: a positive operator holds when some request value matches; a
  // negated one when no request value matches (the negation of the positive test).
  bool any = false;
  for (const auto& v : *values) {
    if (positive(v)) {
      any = true;
      break;
    }
  }
  return oi.negated ? !any : any;
}

bool conditions_hold(const model::PolicyDocument& doc, const model::Statement& s, const Context& ctx) {
  for (const auto& c : s.conditions) {
    if (!condition_holds(doc, c, ctx)) return false;
  }
  return true;
}

}  // namespace vpcgate::eval
