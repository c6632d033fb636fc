#pragma once
// Typed condition values: numbers, dates, IP ranges, base64 (condition operator reference:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html).
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vpcgate::eval::detail {

// An exact decimal: sign, integer digits without leading zeros, fraction without trailing zeros.
struct Decimal {
  bool negative = false;
  std::string integer;
  std::string fraction;
};
// `[+-]digits[.digits]`, `[+-].digits`; nullopt otherwise.
std::optional<Decimal> parse_decimal(std::string_view s);
int compare(const Decimal& a, const Decimal& b);  // -1, 0, 1

// A point in time: seconds since the epoch and nanoseconds.
struct Instant {
  std::int64_t seconds = 0;
  std::int64_t nanos = 0;
  auto operator<=>(const Instant&) const = default;
};
// ISO 8601 (`2024-01-31`, `2024-01-31T12:00:00Z`, `...T12:00:00.5+02:00`, `...T1200Z`) or
// epoch seconds (`1706702400`, `1706702400.5`).
std::optional<Instant> parse_date(std::string_view s);

// An address or CIDR range (IPv4 or IPv6).
struct IpRange {
  bool v6 = false;
  std::array<std::uint8_t, 16> bytes{};
  int prefix = 0;  // bits
};
std::optional<IpRange> parse_ip(std::string_view s);  // "10.0.0.0/8", "10.1.2.3", "2001:db8::/32"
bool ip_in_range(const IpRange& address, const IpRange& range);

std::optional<std::string> base64_decode(std::string_view s);

}  // namespace vpcgate::eval::detail
