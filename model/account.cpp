#include "model/account.hpp"

namespace vpcgate::model {
namespace {
// The next ':' from `from` that is not inside a template placeholder: a template's ARNs hold
// its unknown account and region as `${AWS::AccountId}` / `${AWS::Region}` (CONTRACT.md).
std::size_t next_colon(const std::string& arn, std::size_t from) {
  for (std::size_t i = from; i < arn.size(); ++i) {
    if (arn[i] == '$' && i + 1 < arn.size() && arn[i + 1] == '{') {
      auto close = arn.find('}', i);
      if (close == std::string::npos) return arn.find(':', i);
      i = close;
    } else if (arn[i] == ':') {
      return i;
    }
  }
  return std::string::npos;
}

std::string arn_field(const std::string& arn, int field) {
  if (arn.rfind("arn:", 0) != 0) return {};
  std::size_t start = 0;
  for (int i = 0; i < field; ++i) {
    auto colon = next_colon(arn, start);
    if (colon == std::string::npos) return {};
    start = colon + 1;
  }
  auto end = next_colon(arn, start);
  if (end == std::string::npos) return {};
  return arn.substr(start, end - start);
}
}  // namespace

std::string arn_account(const std::string& arn) { return arn_field(arn, 4); }
std::string arn_region(const std::string& arn) { return arn_field(arn, 3); }

}  // namespace vpcgate::model
