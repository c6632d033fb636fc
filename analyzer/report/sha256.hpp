#pragma once
// SHA-256 (FIPS 180-4), for stable finding IDs. Small and dependency-free.
#include <string>
#include <string_view>

namespace vpcgate::report {

// Lower-case hex digest of the bytes.
std::string sha256_hex(std::string_view data);

}  // namespace vpcgate::report
