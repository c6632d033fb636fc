#include "model/account.hpp"

namespace vpcgate::model {
namespace {
std::string arn_field(const std::string& arn, int field) {
  if (arn.rfind("arn:", 0) != 0) return {};
  std::size_t start = 0;
  for (int i = 0; i < field; ++i) {
    auto colon = arn.find(':', start);
    if (colon == std::string::npos) return {};
    start = colon + 1;
  }
  auto end = arn.find(':', start);
  if (end == std::string::npos) return {};
  return arn.substr(start, end - start);
}
}  // namespace

std::string arn_account(const std::string& arn) { return arn_field(arn, 4); }
std::string arn_region(const std::string& arn) { return arn_field(arn, 3); }

}  // namespace vpcgate::model
