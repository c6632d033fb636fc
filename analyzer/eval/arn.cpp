#include "analyzer/eval/arn.hpp"

#include <array>
#include <utility>
#include <vector>

namespace vpcgate::eval::detail {
namespace {

// Splits at the first five literal colons into position ranges [begin, end) of the pattern;
// returns false when there are fewer.
bool split_pattern(const Pattern& p, std::array<std::pair<std::size_t, std::size_t>, 6>& parts) {
  std::size_t part = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i < p.size() && part < 5; ++i) {
    if (p.kinds[i] == PatKind::Lit && p.chars[i] == ':') {
      parts[part++] = {start, i};
      start = i + 1;
    }
  }
  parts[5] = {start, p.size()};
  return part == 5;
}

bool split_value(std::string_view v, std::array<std::string_view, 6>& parts) {
  std::size_t start = 0;
  for (std::size_t part = 0; part < 5; ++part) {
    const std::size_t colon = v.find(':', start);
    if (colon == std::string_view::npos) return false;
    parts[part] = v.substr(start, colon - start);
    start = colon + 1;
  }
  parts[5] = v.substr(start);
  return true;
}

}  // namespace

bool arn_like(const Pattern& pattern, std::string_view value) {
  std::array<std::pair<std::size_t, std::size_t>, 6> pp;
  std::array<std::string_view, 6> vp;
  if (split_pattern(pattern, pp) && split_value(value, vp)) {
    for (std::size_t i = 0; i < 6; ++i) {
      if (!match(pattern, pp[i].first, pp[i].second, vp[i], false)) return false;
    }
    return true;
  }
  return match(pattern, value, false);
}

bool arn_condition_match(const Pattern& pattern, std::string_view value) {
  std::array<std::pair<std::size_t, std::size_t>, 6> pp;
  std::array<std::string_view, 6> vp;
  if (!split_pattern(pattern, pp) || !split_value(value, vp)) return false;
  for (std::size_t i = 0; i < 6; ++i) {
    if (!match(pattern, pp[i].first, pp[i].second, vp[i], false)) return false;
  }
  return true;
}

}  // namespace vpcgate::eval::detail
