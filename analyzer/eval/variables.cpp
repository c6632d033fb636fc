#include "analyzer/eval/variables.hpp"

#include <string>

namespace vpcgate::eval::detail {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

void add_policy_char(Pattern& p, char c, bool wildcards) {
  if (wildcards && c == '*') {
    p.star();
  } else if (wildcards && c == '?') {
    p.any();
  } else {
    p.lit(c);
  }
}

}  // namespace

std::string pattern_text(const Pattern& p) { return p.chars; }

std::optional<Pattern> substitute(std::string_view text, const Context& ctx, bool variables, bool wildcards) {
  Pattern out;
  std::size_t i = 0;
  const std::size_t n = text.size();
  while (i < n) {
    if (!variables || text[i] != '$' || i + 1 >= n || text[i + 1] != '{') {
      add_policy_char(out, text[i], wildcards);
      ++i;
      continue;
    }
    // A reference: ${ key [, 'default'] }
    std::size_t j = i + 2;
    while (j < n && text[j] != '}' && text[j] != ',') ++j;
    if (j >= n) {  // never closed: plain text
      add_policy_char(out, text[i], wildcards);
      ++i;
      continue;
    }
    const std::string_view key = trim(text.substr(i + 2, j - (i + 2)));
    std::optional<std::string> fallback;
    bool malformed = false;
    if (text[j] == ',') {
      std::size_t k = j + 1;
      while (k < n && is_space(text[k])) ++k;
      if (k < n && text[k] == '\'') {
        std::string value;
        ++k;
        bool closed = false;
        while (k < n) {
          if (text[k] == '\'') {
            if (k + 1 < n && text[k + 1] == '\'') {
              value += '\'';
              k += 2;
              continue;
            }
            closed = true;
            ++k;
            break;
          }
          value += text[k++];
        }
        while (k < n && is_space(text[k])) ++k;
        if (closed && k < n && text[k] == '}') {
          fallback = std::move(value);
        } else {
          malformed = true;
        }
      } else {
        malformed = true;
      }
      if (malformed) {
        while (k < n && text[k] != '}') ++k;
      }
      j = k;  // at the closing brace (or n)
    }
    if (malformed || j >= n) return std::nullopt;
    if (key == "*" || key == "?" || key == "$") {
      out.lit(key[0]);
    } else {
      const auto* values = key.empty() ? nullptr : ctx.get(key);
      if (values != nullptr && values->size() == 1) {
        out.lit((*values)[0]);
      } else if (fallback) {
        out.lit(*fallback);
      } else {
        return std::nullopt;
      }
    }
    i = j + 1;
  }
  return out;
}

}  // namespace vpcgate::eval::detail
