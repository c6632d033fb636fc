#include "analyzer/eval/wildcard.hpp"

#include "analyzer/eval/evaluate.hpp"

namespace vpcgate::eval {
namespace detail {
namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

struct Segment {
  std::string chars;
  std::vector<bool> any;  // position is `?`
  bool has_any = false;
  std::size_t size() const { return chars.size(); }
};

// Leftmost occurrence of a segment with `?` in text[from, to): shift-and over a bitset.
std::size_t find_with_any(const Segment& s, std::string_view text, std::size_t from, std::size_t to) {
  const std::size_t m = s.size();
  if (to < from || to - from < m) return std::string_view::npos;
  const std::size_t words = (m + 63) / 64;
  // mask[c] has bit j set when segment position j accepts character c.
  std::vector<std::uint64_t> mask(256 * words, 0);
  for (std::size_t j = 0; j < m; ++j) {
    const std::uint64_t bit = std::uint64_t{1} << (j % 64);
    if (s.any[j]) {
      for (std::size_t c = 0; c < 256; ++c) mask[c * words + j / 64] |= bit;
    } else {
      mask[static_cast<unsigned char>(s.chars[j]) * words + j / 64] |= bit;
    }
  }
  std::vector<std::uint64_t> state(words, 0);
  const std::size_t last_word = (m - 1) / 64;
  const std::uint64_t last_bit = std::uint64_t{1} << ((m - 1) % 64);
  for (std::size_t i = from; i < to; ++i) {
    const std::uint64_t* cm = &mask[static_cast<unsigned char>(text[i]) * words];
    std::uint64_t carry = 1;  // a match may start here
    for (std::size_t w = 0; w < words; ++w) {
      const std::uint64_t next_carry = state[w] >> 63;
      state[w] = ((state[w] << 1) | carry) & cm[w];
      carry = next_carry;
    }
    if (state[last_word] & last_bit) return i + 1 - m;
  }
  return std::string_view::npos;
}

}  // namespace

Pattern compile_wildcard(std::string_view pattern) {
  Pattern p;
  for (char c : pattern) {
    if (c == '*') {
      p.star();
    } else if (c == '?') {
      p.any();
    } else {
      p.lit(c);
    }
  }
  return p;
}

Pattern literal_pattern(std::string_view text) {
  Pattern p;
  p.lit(text);
  return p;
}

namespace {

// The matcher reads a pattern through a view, so that a compiled Pattern (or a range of one)
// and a raw wildcard string share one allocation-free implementation.
struct PatternView {
  const Pattern* p;
  std::size_t off, len;
  PatKind kind(std::size_t i) const { return p->kinds[off + i]; }
  char ch(std::size_t i) const { return p->chars[off + i]; }
  std::size_t size() const { return len; }
};

struct RawView {  // `*` and `?` are wildcards, everything else literal
  std::string_view s;
  PatKind kind(std::size_t i) const {
    return s[i] == '*' ? PatKind::Star : s[i] == '?' ? PatKind::Any : PatKind::Lit;
  }
  char ch(std::size_t i) const { return s[i]; }
  std::size_t size() const { return s.size(); }
};

template <class P>
bool segment_at(const P& p, std::size_t a, std::size_t b, std::string_view text, std::size_t at, bool ic) {
  for (std::size_t j = a; j < b; ++j) {
    if (p.kind(j) == PatKind::Any) continue;
    const char t = text[at + j - a];
    if (ic ? lower(p.ch(j)) != lower(t) : p.ch(j) != t) return false;
  }
  return true;
}

// Leftmost occurrence of pattern positions [a, b) (no star) in text[from, to).
template <class P>
std::size_t find_segment(const P& p, std::size_t a, std::size_t b, std::string_view text, std::size_t from,
                         std::size_t to, bool ic) {
  const std::size_t m = b - a;
  if (to < from || to - from < m) return std::string_view::npos;
  bool has_any = false;
  for (std::size_t j = a; j < b; ++j) has_any = has_any || p.kind(j) == PatKind::Any;
  auto pc = [&](std::size_t j) { return ic ? lower(p.ch(a + j)) : p.ch(a + j); };
  auto tc = [&](std::size_t i) { return ic ? lower(text[i]) : text[i]; };
  if (has_any) {
    // Rare: shift-and over a bitset, on a lowered copy when case does not matter.
    Segment s;
    for (std::size_t j = 0; j < m; ++j) {
      const bool any = p.kind(a + j) == PatKind::Any;
      s.chars += any ? '?' : pc(j);
      s.any.push_back(any);
    }
    s.has_any = true;
    if (!ic) return find_with_any(s, text, from, to);
    std::string lowered(text);
    for (char& c : lowered) c = lower(c);
    return find_with_any(s, lowered, from, to);
  }
  // Knuth-Morris-Pratt; the failure table lives on the stack for the usual short segments.
  std::uint32_t small[64];
  std::vector<std::uint32_t> big;
  std::uint32_t* fail = small;
  if (m > 64) {
    big.resize(m);
    fail = big.data();
  }
  fail[0] = 0;
  for (std::size_t i = 1, k = 0; i < m; ++i) {
    while (k > 0 && pc(i) != pc(k)) k = fail[k - 1];
    if (pc(i) == pc(k)) ++k;
    fail[i] = static_cast<std::uint32_t>(k);
  }
  std::size_t k = 0;
  for (std::size_t i = from; i < to; ++i) {
    const char c = tc(i);
    while (k > 0 && c != pc(k)) k = fail[k - 1];
    if (c == pc(k)) ++k;
    if (k == m) return i + 1 - m;
  }
  return std::string_view::npos;
}

// The pattern is split at its stars into segments; the first and last are anchored, the middle
// ones placed leftmost-first.
template <class P>
bool match_view(const P& p, std::string_view text, bool ic) {
  const std::size_t m = p.size();
  const std::size_t n = text.size();
  // The first segment, compared as it is read: most non-matching patterns (another service's
  // actions) fail within a few characters.
  std::size_t first_star = 0;
  for (; first_star < m && p.kind(first_star) != PatKind::Star; ++first_star) {
    if (first_star >= n) return false;
    if (p.kind(first_star) == PatKind::Any) continue;
    const char t = text[first_star];
    if (ic ? lower(p.ch(first_star)) != lower(t) : p.ch(first_star) != t) return false;
  }
  if (first_star == m) return m == n;
  std::size_t last_star = m - 1;
  while (p.kind(last_star) != PatKind::Star) --last_star;
  const std::size_t first_len = first_star;
  const std::size_t last_len = m - last_star - 1;
  if (first_len + last_len > n) return false;
  if (!segment_at(p, last_star + 1, m, text, n - last_len, ic)) return false;
  std::size_t pos = first_len;
  const std::size_t end = n - last_len;
  for (std::size_t a = first_star + 1; a <= last_star;) {
    std::size_t b = a;
    while (p.kind(b) != PatKind::Star) ++b;
    if (b > a) {
      const std::size_t at = find_segment(p, a, b, text, pos, end, ic);
      if (at == std::string_view::npos) return false;
      pos = at + (b - a);
    }
    a = b + 1;
  }
  return true;
}

}  // namespace

bool match(const Pattern& pattern, std::string_view text, bool ignore_case) {
  return match_view(PatternView{&pattern, 0, pattern.size()}, text, ignore_case);
}

bool match(const Pattern& pattern, std::size_t begin, std::size_t end, std::string_view text, bool ignore_case) {
  return match_view(PatternView{&pattern, begin, end - begin}, text, ignore_case);
}

bool match_wildcard_text(std::string_view pattern, std::string_view text, bool ignore_case) {
  return match_view(RawView{pattern}, text, ignore_case);
}

}  // namespace detail

bool wildcard_match(std::string_view pattern, std::string_view text, bool ignore_case) {
  return detail::match_wildcard_text(pattern, text, ignore_case);
}

}  // namespace vpcgate::eval
