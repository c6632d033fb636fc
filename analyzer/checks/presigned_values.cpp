#include "analyzer/checks/presigned_values.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>

namespace vpcgate::checks::presigned {
namespace {

using Op = model::ConditionOperator;

bool is_string_op(Op op) {
  switch (op) {
    case Op::StringEquals: case Op::StringNotEquals: case Op::StringEqualsIgnoreCase:
    case Op::StringNotEqualsIgnoreCase: case Op::StringLike: case Op::StringNotLike:
    case Op::ArnEquals: case Op::ArnLike: case Op::ArnNotEquals: case Op::ArnNotLike:
    case Op::BinaryEquals:
      return true;
    default:
      return false;
  }
}
bool is_numeric_op(Op op) {
  return op == Op::NumericEquals || op == Op::NumericNotEquals || op == Op::NumericLessThan ||
         op == Op::NumericLessThanEquals || op == Op::NumericGreaterThan ||
         op == Op::NumericGreaterThanEquals;
}
bool is_date_op(Op op) {
  return op == Op::DateEquals || op == Op::DateNotEquals || op == Op::DateLessThan ||
         op == Op::DateLessThanEquals || op == Op::DateGreaterThan || op == Op::DateGreaterThanEquals;
}
bool is_ignore_case(Op op) { return op == Op::StringEqualsIgnoreCase || op == Op::StringNotEqualsIgnoreCase; }

// Replace `*` with `star` and `?` with `q`.
std::string instance(const std::string& pattern, const std::string& star, char q = 'x') {
  std::string out;
  for (char c : pattern) {
    if (c == '*') out += star;
    else if (c == '?') out += q;
    else out += c;
  }
  return out;
}

// A string matching both p and (where the shapes allow) q: a star of p replaced by an instance of q.
void merges(const std::string& p, const std::string& q, std::vector<std::string>& out) {
  auto first = p.find('*');
  if (first == std::string::npos) return;
  auto last = p.rfind('*');
  std::string qi = instance(q, "");
  out.push_back(instance(p.substr(0, first), "") + qi + instance(p.substr(first + 1), ""));
  if (last != first)
    out.push_back(instance(p.substr(0, last), "") + qi + instance(p.substr(last + 1), ""));
}

std::optional<double> parse_number(const std::string& s) {
  if (s.empty()) return std::nullopt;
  char* end = nullptr;
  double v = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::string format_number(double v) {
  if (std::fabs(v) < 1e15 && v == std::floor(v)) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(v));
    return buf;
  }
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

// Days from 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
long long days_from_civil(long long y, unsigned m, unsigned d) {
  y -= m <= 2;
  const long long era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<long long>(doe) - 719468;
}
void civil_from_days(long long z, long long& y, unsigned& m, unsigned& d) {
  z += 719468;
  const long long era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<long long>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
}

// ISO 8601 (YYYY-MM-DD[THH:MM[:SS[.fff]]][Z|+hh:mm]) or epoch seconds -> seconds since epoch.
std::optional<long long> parse_date(const std::string& s, bool& iso) {
  iso = false;
  if (auto n = parse_number(s)) return static_cast<long long>(std::floor(*n));
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
  int consumed = 0;
  if (std::sscanf(s.c_str(), "%4d-%2d-%2d%n", &y, &mo, &d, &consumed) != 3) return std::nullopt;
  std::size_t pos = static_cast<std::size_t>(consumed);
  if (pos < s.size() && (s[pos] == 'T' || s[pos] == 't' || s[pos] == ' ')) {
    int c2 = 0;
    if (std::sscanf(s.c_str() + pos + 1, "%2d:%2d%n", &h, &mi, &c2) != 2) return std::nullopt;
    pos += 1 + static_cast<std::size_t>(c2);
    if (pos < s.size() && s[pos] == ':') {
      int c3 = 0;
      if (std::sscanf(s.c_str() + pos + 1, "%2d%n", &sec, &c3) != 1) return std::nullopt;
      pos += 1 + static_cast<std::size_t>(c3);
      if (pos < s.size() && s[pos] == '.') {
        ++pos;
        while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]))) ++pos;
      }
    }
  }
  long long offset = 0;
  if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
    ++pos;
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    int oh = 0, om = 0;
    if (std::sscanf(s.c_str() + pos + 1, "%2d:%2d", &oh, &om) != 2) return std::nullopt;
    offset = (s[pos] == '+' ? 1 : -1) * (oh * 3600LL + om * 60LL);
    pos = s.size();
  }
  if (pos != s.size()) return std::nullopt;
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return std::nullopt;
  iso = true;
  return days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400LL +
         h * 3600LL + mi * 60LL + sec - offset;
}

std::string format_date(long long t) {
  long long days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
  long long rem = t - days * 86400;
  long long y = 0;
  unsigned m = 0, d = 0;
  civil_from_days(days, y, m, d);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02lld:%02lld:%02lldZ", y, m, d, rem / 3600,
                (rem % 3600) / 60, rem % 60);
  return buf;
}

// IP addresses as 16 bytes (IPv4 in the last 4, flagged).
struct Ip {
  std::array<unsigned char, 16> b{};
  bool v4 = true;
};

std::optional<std::pair<Ip, int>> parse_cidr(const std::string& s) {
  std::string addr = s;
  int bits = -1;
  if (auto slash = s.find('/'); slash != std::string::npos) {
    addr = s.substr(0, slash);
    auto n = parse_number(s.substr(slash + 1));
    if (!n) return std::nullopt;
    bits = static_cast<int>(*n);
  }
  Ip ip;
  unsigned char buf[16];
  if (inet_pton(AF_INET, addr.c_str(), buf) == 1) {
    ip.v4 = true;
    std::copy(buf, buf + 4, ip.b.begin() + 12);
    if (bits < 0) bits = 32;
    if (bits > 32) return std::nullopt;
    return std::make_pair(ip, bits + 96);
  }
  if (inet_pton(AF_INET6, addr.c_str(), buf) == 1) {
    ip.v4 = false;
    std::copy(buf, buf + 16, ip.b.begin());
    if (bits < 0) bits = 128;
    if (bits > 128) return std::nullopt;
    return std::make_pair(ip, bits);
  }
  return std::nullopt;
}

std::string format_ip(const Ip& ip) {
  char buf[64];
  if (ip.v4) {
    inet_ntop(AF_INET, ip.b.data() + 12, buf, sizeof buf);
  } else {
    inet_ntop(AF_INET6, ip.b.data(), buf, sizeof buf);
  }
  return buf;
}

// Add (+1) or subtract (-1) one within the address family; false on overflow.
bool step(Ip& ip, int dir) {
  int lo = ip.v4 ? 12 : 0;
  for (int i = 15; i >= lo; --i) {
    auto idx = static_cast<std::size_t>(i);
    if (dir > 0) {
      if (ip.b[idx] != 0xff) { ++ip.b[idx]; return true; }
      ip.b[idx] = 0;
    } else {
      if (ip.b[idx] != 0) { --ip.b[idx]; return true; }
      ip.b[idx] = 0xff;
    }
  }
  return false;
}

void add_ip_candidates(const std::string& cidr, std::map<std::string, ValueKind>& pool) {
  auto parsed = parse_cidr(cidr);
  if (!parsed) return;
  auto [ip, bits] = *parsed;
  Ip net = ip, last = ip;
  for (int i = 0; i < 128; ++i) {
    if (i < bits) continue;
    auto byte = static_cast<std::size_t>(i / 8);
    unsigned char mask = static_cast<unsigned char>(0x80u >> (i % 8));
    net.b[byte] = static_cast<unsigned char>(net.b[byte] & ~mask);
    last.b[byte] = static_cast<unsigned char>(last.b[byte] | mask);
  }
  auto put = [&](const std::string& v, ValueKind k) { keep_best(pool, v, k); };
  put(format_ip(net), ValueKind::Literal);  // a CIDR gives its network address
  put(format_ip(last), ValueKind::Derived);
  Ip before = net, after = last;
  if (step(before, -1)) put(format_ip(before), ValueKind::Derived);
  if (step(after, +1)) put(format_ip(after), ValueKind::Derived);
}

}  // namespace

bool is_wildcard_op(model::ConditionOperator op) {
  return op == Op::StringLike || op == Op::StringNotLike || op == Op::ArnLike ||
         op == Op::ArnNotLike || op == Op::ArnEquals || op == Op::ArnNotEquals;
}

std::string placeholder_for(const std::string& key_lower) {
  if (key_lower == "aws:sourcevpce") return "vpce-00000000000000000";
  if (key_lower == "aws:sourcevpc") return "vpc-00000000000000000";
  if (key_lower == "aws:sourceip" || key_lower == "aws:vpcsourceip") return "192.0.2.0";
  return "placeholder";
}

std::vector<CandidateValue> candidate_values(const std::string& key_lower,
                                             const std::vector<Operand>& operands) {
  std::map<std::string, ValueKind> pool;
  auto put = [&](const std::string& v, ValueKind k) { keep_best(pool, v, k); };
  put(placeholder_for(key_lower), ValueKind::Placeholder);
  // A source address is IPv4 or IPv6: an IPv4-only range (0.0.0.0/0) says nothing of IPv6
  // callers, so both families are always tried.
  if (key_lower == "aws:sourceip" || key_lower == "aws:vpcsourceip") put("2001:db8::", ValueKind::Placeholder);

  std::vector<std::string> patterns;
  std::vector<double> numbers;
  std::vector<long long> dates;
  bool dates_iso = false;
  for (const auto& o : operands) {
    if (is_string_op(o.op)) {
      bool wild = is_wildcard_op(o.op) && o.value.find_first_of("*?") != std::string::npos;
      if (wild) {
        patterns.push_back(o.value);
        put(instance(o.value, ""), ValueKind::Derived);
        put(instance(o.value, "x"), ValueKind::Derived);
        put(instance(o.value, "0"), ValueKind::Derived);
        put(o.value, ValueKind::Derived);
      } else {
        put(o.value, ValueKind::Literal);
      }
      if (is_ignore_case(o.op)) {
        std::string up = o.value, low = o.value, flip = o.value;
        for (auto& c : up) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        for (auto& c : low) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        for (auto& c : flip) {
          if (std::isalpha(static_cast<unsigned char>(c))) {
            c = std::isupper(static_cast<unsigned char>(c))
                    ? static_cast<char>(std::tolower(static_cast<unsigned char>(c)))
                    : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
            break;
          }
        }
        put(up, ValueKind::Derived);
        put(low, ValueKind::Derived);
        put(flip, ValueKind::Derived);
      }
    } else if (is_numeric_op(o.op)) {
      if (auto n = parse_number(o.value)) {
        numbers.push_back(*n);
        put(o.value, ValueKind::Literal);
      } else {
        put(o.value, ValueKind::Literal);
      }
    } else if (is_date_op(o.op)) {
      bool iso = false;
      if (auto t = parse_date(o.value, iso)) {
        dates.push_back(*t);
        dates_iso = dates_iso || iso;
      }
      put(o.value, ValueKind::Literal);
    } else if (o.op == Op::Bool) {
      put(o.value, ValueKind::Literal);
      put("true", ValueKind::Derived);
      put("false", ValueKind::Derived);
    } else if (o.op == Op::IpAddress || o.op == Op::NotIpAddress) {
      add_ip_candidates(o.value, pool);
      // An address outside every range of the same family.
      put(o.value.find(':') != std::string::npos ? "2001:db8::" : "192.0.2.0", ValueKind::Placeholder);
    }
  }
  if (patterns.size() <= 40) {
    std::vector<std::string> m;
    for (const auto& p : patterns)
      for (const auto& q : patterns)
        if (&p != &q) merges(p, q, m);
    for (const auto& s : m) put(s, ValueKind::Derived);
  }
  if (!numbers.empty()) {
    std::sort(numbers.begin(), numbers.end());
    numbers.erase(std::unique(numbers.begin(), numbers.end()), numbers.end());
    for (std::size_t i = 0; i < numbers.size(); ++i) {
      put(format_number(numbers[i] - 1), ValueKind::Derived);
      put(format_number(numbers[i] + 1), ValueKind::Derived);
      if (i + 1 < numbers.size()) put(format_number((numbers[i] + numbers[i + 1]) / 2), ValueKind::Derived);
    }
    put("0", ValueKind::Derived);
  }
  if (!dates.empty()) {
    std::sort(dates.begin(), dates.end());
    dates.erase(std::unique(dates.begin(), dates.end()), dates.end());
    auto fmt = [&](long long t) { return dates_iso ? format_date(t) : std::to_string(t); };
    for (std::size_t i = 0; i < dates.size(); ++i) {
      put(fmt(dates[i]), ValueKind::Derived);
      put(fmt(dates[i] - 1), ValueKind::Derived);
      put(fmt(dates[i] + 1), ValueKind::Derived);
      if (i + 1 < dates.size() && dates[i + 1] - dates[i] > 1)
        put(fmt(dates[i] + (dates[i + 1] - dates[i]) / 2), ValueKind::Derived);
    }
  }
  // A boolean key has only the values true and false in a request AWS could see (the Bool
  // operator compares case-insensitively); no placeholder string.
  static const std::set<std::string> bool_keys = {"aws:securetransport", "aws:multifactorauthpresent",
                                                  "aws:viaawsservice", "aws:principalisawsservice"};
  bool boolean = bool_keys.count(key_lower) > 0;
  if (!boolean && !operands.empty()) {
    boolean = true;
    for (const auto& o : operands) boolean = boolean && o.op == Op::Bool;
  }
  if (boolean) {
    pool.clear();
    put("false", ValueKind::Derived);
    put("true", ValueKind::Derived);
  }
  std::vector<CandidateValue> out;
  out.reserve(pool.size());
  for (auto& [v, k] : pool) out.push_back({v, k});
  return out;
}

}  // namespace vpcgate::checks::presigned
