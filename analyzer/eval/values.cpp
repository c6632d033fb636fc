#include "analyzer/eval/values.hpp"

#include <charconv>
#include <vector>

namespace vpcgate::eval::detail {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::optional<std::int64_t> to_int(std::string_view s) {
  if (s.empty() || s.size() > 18) return std::nullopt;
  for (char c : s) {
    if (!is_digit(c)) return std::nullopt;
  }
  std::int64_t v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

bool leap(std::int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned days_in_month(std::int64_t y, unsigned m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : kDays[m - 1];
}

std::optional<std::int64_t> fraction_nanos(std::string_view digits) {
  if (digits.empty()) return std::nullopt;
  std::int64_t nanos = 0;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (!is_digit(digits[i])) return std::nullopt;
    if (i < 9) nanos = nanos * 10 + (digits[i] - '0');
  }
  for (std::size_t i = digits.size(); i < 9; ++i) nanos *= 10;
  return nanos;
}

std::optional<std::array<std::uint8_t, 4>> parse_v4(std::string_view s) {
  std::array<std::uint8_t, 4> out{};
  std::size_t part = 0;
  std::size_t i = 0;
  while (true) {
    std::size_t start = i;
    while (i < s.size() && is_digit(s[i])) ++i;
    if (i == start || i - start > 3) return std::nullopt;
    int v = 0;
    std::from_chars(s.data() + start, s.data() + i, v);
    if (v > 255) return std::nullopt;
    out[part++] = static_cast<std::uint8_t>(v);
    if (part == 4) break;
    if (i >= s.size() || s[i] != '.') return std::nullopt;
    ++i;
  }
  if (i != s.size()) return std::nullopt;
  return out;
}

int hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::array<std::uint8_t, 16>> parse_v6(std::string_view s) {
  // Groups before and after "::"; the last group may be a dotted IPv4 address.
  std::vector<std::uint16_t> head, tail;
  bool compressed = false;
  std::vector<std::uint16_t>* cur = &head;
  std::size_t i = 0;
  if (s.substr(0, 2) == "::") {
    compressed = true;
    cur = &tail;
    i = 2;
  } else if (!s.empty() && s[0] == ':') {
    return std::nullopt;
  }
  while (i < s.size()) {
    std::size_t start = i;
    while (i < s.size() && s[i] != ':') ++i;
    std::string_view group = s.substr(start, i - start);
    if (group.find('.') != std::string_view::npos) {
      if (i != s.size()) return std::nullopt;
      auto v4 = parse_v4(group);
      if (!v4) return std::nullopt;
      cur->push_back(static_cast<std::uint16_t>(((*v4)[0] << 8) | (*v4)[1]));
      cur->push_back(static_cast<std::uint16_t>(((*v4)[2] << 8) | (*v4)[3]));
      break;
    }
    if (group.empty() || group.size() > 4) return std::nullopt;
    int v = 0;
    for (char c : group) {
      int h = hex(c);
      if (h < 0) return std::nullopt;
      v = v * 16 + h;
    }
    cur->push_back(static_cast<std::uint16_t>(v));
    if (i == s.size()) break;
    ++i;  // ':'
    if (i < s.size() && s[i] == ':') {
      if (compressed) return std::nullopt;
      compressed = true;
      cur = &tail;
      ++i;
    } else if (i == s.size()) {
      return std::nullopt;  // trailing single colon
    }
  }
  const std::size_t groups = head.size() + tail.size();
  if (compressed ? groups > 7 : groups != 8) return std::nullopt;
  std::array<std::uint8_t, 16> out{};
  std::size_t g = 0;
  auto put = [&](std::uint16_t v) {
    out[2 * g] = static_cast<std::uint8_t>(v >> 8);
    out[2 * g + 1] = static_cast<std::uint8_t>(v & 0xff);
    ++g;
  };
  for (auto v : head) put(v);
  g = 8 - tail.size();
  for (auto v : tail) put(v);
  return out;
}

}  // namespace

std::optional<Decimal> parse_decimal(std::string_view s) {
  Decimal d;
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
    d.negative = s[i] == '-';
    ++i;
  }
  std::size_t start = i;
  while (i < s.size() && is_digit(s[i])) ++i;
  std::string_view integer = s.substr(start, i - start);
  std::string_view fraction;
  if (i < s.size() && s[i] == '.') {
    ++i;
    std::size_t fs = i;
    while (i < s.size() && is_digit(s[i])) ++i;
    fraction = s.substr(fs, i - fs);
    if (fraction.empty() && integer.empty()) return std::nullopt;
  }
  if (i != s.size() || (integer.empty() && fraction.empty())) return std::nullopt;
  while (!integer.empty() && integer.front() == '0') integer.remove_prefix(1);
  while (!fraction.empty() && fraction.back() == '0') fraction.remove_suffix(1);
  d.integer = std::string(integer);
  d.fraction = std::string(fraction);
  if (d.integer.empty() && d.fraction.empty()) d.negative = false;  // -0 == 0
  return d;
}

int compare(const Decimal& a, const Decimal& b) {
  if (a.negative != b.negative) return a.negative ? -1 : 1;
  int mag = 0;
  if (a.integer.size() != b.integer.size()) {
    mag = a.integer.size() < b.integer.size() ? -1 : 1;
  } else if (int c = a.integer.compare(b.integer); c != 0) {
    mag = c < 0 ? -1 : 1;
  } else {
    const std::size_t n = std::max(a.fraction.size(), b.fraction.size());
    for (std::size_t i = 0; i < n && mag == 0; ++i) {
      char x = i < a.fraction.size() ? a.fraction[i] : '0';
      char y = i < b.fraction.size() ? b.fraction[i] : '0';
      if (x != y) mag = x < y ? -1 : 1;
    }
  }
  return a.negative ? -mag : mag;
}

std::optional<Instant> parse_date(std::string_view s) {
  // Epoch seconds.
  if (!s.empty() && s.find('-') == std::string_view::npos && s.find(':') == std::string_view::npos) {
    std::string_view whole = s;
    std::string_view frac;
    if (auto dot = s.find('.'); dot != std::string_view::npos) {
      whole = s.substr(0, dot);
      frac = s.substr(dot + 1);
    }
    auto secs = to_int(whole);
    if (!secs) return std::nullopt;
    Instant t{*secs, 0};
    if (!frac.empty()) {
      auto n = fraction_nanos(frac);
      if (!n) return std::nullopt;
      t.nanos = *n;
    }
    return t;
  }
  // YYYY-MM-DD
  if (s.size() < 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  auto y = to_int(s.substr(0, 4));
  auto mo = to_int(s.substr(5, 2));
  auto d = to_int(s.substr(8, 2));
  if (!y || !mo || !d || *mo < 1 || *mo > 12 || *d < 1 ||
      *d > static_cast<std::int64_t>(days_in_month(*y, static_cast<unsigned>(*mo)))) {
    return std::nullopt;
  }
  std::int64_t seconds = days_from_civil(*y, static_cast<unsigned>(*mo), static_cast<unsigned>(*d)) * 86400;
  std::int64_t nanos = 0;
  std::string_view rest = s.substr(10);
  if (!rest.empty()) {
    if (rest[0] != 'T' && rest[0] != 't' && rest[0] != ' ') return std::nullopt;
    rest.remove_prefix(1);
    // hh:mm[:ss[.frac]] or hhmm[ss]
    auto take2 = [&](std::int64_t& out) {
      if (rest.size() < 2) return false;
      auto v = to_int(rest.substr(0, 2));
      if (!v) return false;
      out = *v;
      rest.remove_prefix(2);
      return true;
    };
    std::int64_t hh = 0, mm = 0, ss = 0;
    if (!take2(hh)) return std::nullopt;
    bool colons = !rest.empty() && rest[0] == ':';
    if (colons) rest.remove_prefix(1);
    if (!take2(mm)) return std::nullopt;
    if (!rest.empty() && (colons ? rest[0] == ':' : is_digit(rest[0]))) {
      if (colons) rest.remove_prefix(1);
      if (!take2(ss)) return std::nullopt;
      if (!rest.empty() && (rest[0] == '.' || rest[0] == ',')) {
        rest.remove_prefix(1);
        std::size_t k = 0;
        while (k < rest.size() && is_digit(rest[k])) ++k;
        auto n = fraction_nanos(rest.substr(0, k));
        if (!n) return std::nullopt;
        nanos = *n;
        rest.remove_prefix(k);
      }
    }
    if (hh > 24 || mm > 59 || ss > 60 || (hh == 24 && (mm != 0 || ss != 0))) return std::nullopt;
    seconds += hh * 3600 + mm * 60 + ss;
    if (!rest.empty()) {
      if (rest == "Z" || rest == "z") {
        rest = {};
      } else if (rest[0] == '+' || rest[0] == '-') {
        const bool minus = rest[0] == '-';
        rest.remove_prefix(1);
        std::int64_t oh = 0, om = 0;
        if (!take2(oh)) return std::nullopt;
        if (!rest.empty() && rest[0] == ':') rest.remove_prefix(1);
        if (!rest.empty() && !take2(om)) return std::nullopt;
        if (!rest.empty() || oh > 23 || om > 59) return std::nullopt;
        const std::int64_t offset = oh * 3600 + om * 60;
        seconds += minus ? offset : -offset;
      } else {
        return std::nullopt;
      }
    }
  }
  return Instant{seconds, nanos};
}

std::optional<IpRange> parse_ip(std::string_view s) {
  IpRange r;
  std::string_view addr = s;
  int prefix = -1;
  if (auto slash = s.find('/'); slash != std::string_view::npos) {
    addr = s.substr(0, slash);
    auto p = to_int(s.substr(slash + 1));
    if (!p) return std::nullopt;
    prefix = static_cast<int>(*p);
  }
  if (addr.find(':') != std::string_view::npos) {
    auto v6 = parse_v6(addr);
    if (!v6) return std::nullopt;
    r.v6 = true;
    r.bytes = *v6;
    if (prefix < 0) prefix = 128;
    if (prefix > 128) return std::nullopt;
  } else {
    auto v4 = parse_v4(addr);
    if (!v4) return std::nullopt;
    for (std::size_t i = 0; i < 4; ++i) r.bytes[i] = (*v4)[i];
    if (prefix < 0) prefix = 32;
    if (prefix > 32) return std::nullopt;
  }
  r.prefix = prefix;
  return r;
}

bool ip_in_range(const IpRange& address, const IpRange& range) {
  if (address.v6 != range.v6) return false;
  int bits = range.prefix;
  for (std::size_t i = 0; bits > 0; ++i, bits -= 8) {
    const std::uint8_t mask = bits >= 8 ? 0xff : static_cast<std::uint8_t>(0xff << (8 - bits));
    if ((address.bytes[i] & mask) != (range.bytes[i] & mask)) return false;
  }
  return true;
}

std::optional<std::string> base64_decode(std::string_view s) {
  auto val = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+' || c == '-') return 62;
    if (c == '/' || c == '_') return 63;
    return -1;
  };
  while (!s.empty() && s.back() == '=') s.remove_suffix(1);
  std::string out;
  std::uint32_t acc = 0;
  int bits = 0;
  for (char c : s) {
    int v = val(c);
    if (v < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xff);
    }
  }
  if (bits >= 6) return std::nullopt;  // a lone trailing character
  return out;
}

}  // namespace vpcgate::eval::detail
