// libFuzzer target: policy documents (model::parse_policy_*), as `simulate --policy` and the
// loader read them. Any outcome but a policy or an InputError is a bug (docs/security.md).
#include <cstddef>
#include <cstdint>
#include <string>

#include "model/input_error.hpp"
#include "model/policy.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  try {
    auto doc = vpcgate::model::parse_policy_file_content(text, "fuzz.json");
    (void)doc;
  } catch (const vpcgate::model::InputError&) {
  }
  try {
    // The same text as a policy held in a JSON string (SCP Content, URL-encoded documents).
    auto doc = vpcgate::model::parse_policy_string(text, "fuzz.json", "/Policy/Content");
    (void)doc;
  } catch (const vpcgate::model::InputError&) {
  }
  return 0;
}
