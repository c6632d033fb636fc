#pragma once
// Text from an input, made safe to print on a terminal (docs/security.md): control characters
// (ESC, CR, LF, BEL, DEL, ...) are written as \xNN / \n / \r / \t, and the C1 controls
// U+0080..U+009F (which some terminals take as ESC [) as \uNNNN. Everything else is kept.
#include <string>
#include <string_view>

namespace vpcgate::model {

inline std::string terminal_safe(std::string_view s) {
  static const char hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c == 0x7f) {
      out += "\\x";
      out += hex[c >> 4];
      out += hex[c & 0xf];
    } else if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) >= 0x80 &&
               static_cast<unsigned char>(s[i + 1]) <= 0x9F) {
      auto d = static_cast<unsigned char>(s[i + 1]);
      out += "\\u00";
      out += hex[d >> 4];
      out += hex[d & 0xf];
      ++i;
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return out;
}

}  // namespace vpcgate::model
