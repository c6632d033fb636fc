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

bool segment_matches_at(const Segment& s, std::string_view text, std::size_t at) {
  for (std::size_t j = 0; j < s.size(); ++j) {
    if (!s.any[j] && s.chars[j] != text[at + j]) return false;
  }
  return true;
}

// Leftmost occurrence of a `?`-free segment in text[from, to), Knuth-Morris-Pratt.
std::size_t find_plain(const Segment& s, std::string_view text, std::size_t from, std::size_t to) {
  const std::string& p = s.chars;
  const std::size_t m = p.size();
  if (m == 0) return from;
  if (to < from || to - from < m) return std::string_view::npos;
  std::vector<std::size_t> fail(m, 0);
  for (std::size_t i = 1, k = 0; i < m; ++i) {
    while (k > 0 && p[i] != p[k]) k = fail[k - 1];
    if (p[i] == p[k]) ++k;
    fail[i] = k;
  }
  std::size_t k = 0;
  for (std::size_t i = from; i < to; ++i) {
    while (k > 0 && text[i] != p[k]) k = fail[k - 1];
    if (text[i] == p[k]) ++k;
    if (k == m) return i + 1 - m;
  }
  return std::string_view::npos;
}

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

bool match(const Pattern& pattern, std::string_view text_in, bool ignore_case) {
  std::string lowered;
  std::string_view text = text_in;
  if (ignore_case) {
    lowered.assign(text_in);
    for (char& c : lowered) c = lower(c);
    text = lowered;
  }
  std::vector<Segment> segs(1);
  bool star_seen = false;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    switch (pattern.kinds[i]) {
      case PatKind::Star:
        star_seen = true;
        segs.emplace_back();
        break;
      case PatKind::Any:
        segs.back().chars += '?';
        segs.back().any.push_back(true);
        segs.back().has_any = true;
        break;
      case PatKind::Lit:
        segs.back().chars += ignore_case ? lower(pattern.chars[i]) : pattern.chars[i];
        segs.back().any.push_back(false);
        break;
    }
  }
  const std::size_t n = text.size();
  if (!star_seen) {
    return segs[0].size() == n && segment_matches_at(segs[0], text, 0);
  }
  const Segment& first = segs.front();
  const Segment& last = segs.back();
  if (first.size() + last.size() > n) return false;
  if (!segment_matches_at(first, text, 0)) return false;
  if (!segment_matches_at(last, text, n - last.size())) return false;
  std::size_t pos = first.size();
  const std::size_t end = n - last.size();
  for (std::size_t k = 1; k + 1 < segs.size(); ++k) {
    const Segment& s = segs[k];
    if (s.size() == 0) continue;
    const std::size_t at = s.has_any ? find_with_any(s, text, pos, end) : find_plain(s, text, pos, end);
    if (at == std::string_view::npos) return false;
    pos = at + s.size();
  }
  return true;
}

}  // namespace detail

bool wildcard_match(std::string_view pattern, std::string_view text, bool ignore_case) {
  return detail::match(detail::compile_wildcard(pattern), text, ignore_case);
}

}  // namespace vpcgate::eval
