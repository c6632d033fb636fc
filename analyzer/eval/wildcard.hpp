#pragma once
// Linear-time wildcard matching (`*` any run of characters, `?` exactly one), no backtracking.
// A pattern is split at its stars into segments; the first and last segments are anchored, the
// middle ones are placed leftmost-first (which is optimal for star-separated segments). A
// segment without `?` is found with Knuth-Morris-Pratt, one with `?` with a shift-and bitset, so
// matching costs O(n + m) and O(n * m / 64) in the worst case, never exponential.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace vpcgate::eval::detail {

enum class PatKind : std::uint8_t { Lit, Any, Star };

// A pattern whose literal characters may include `*` and `?` (from `${*}`, `${?}` or a
// substituted variable value).
struct Pattern {
  std::string chars;                // the character for Lit, unused otherwise
  std::vector<PatKind> kinds;
  void lit(char c) { chars += c; kinds.push_back(PatKind::Lit); }
  void lit(std::string_view s) { for (char c : s) lit(c); }
  void any() { chars += '?'; kinds.push_back(PatKind::Any); }
  void star() { chars += '*'; kinds.push_back(PatKind::Star); }
  std::size_t size() const { return kinds.size(); }
};

// `*` and `?` are wildcards, everything else literal.
Pattern compile_wildcard(std::string_view pattern);
// Every character literal.
Pattern literal_pattern(std::string_view text);

bool match(const Pattern& pattern, std::string_view text, bool ignore_case);
// The same for positions [begin, end) of the pattern (ARN parts), without copying.
bool match(const Pattern& pattern, std::size_t begin, std::size_t end, std::string_view text, bool ignore_case);
// `*` and `?` of the text are wildcards; no Pattern is built.
bool match_wildcard_text(std::string_view pattern, std::string_view text, bool ignore_case);

}  // namespace vpcgate::eval::detail
