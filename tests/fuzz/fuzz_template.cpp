// libFuzzer target: infrastructure as code (analyzer/loader/iac*): CloudFormation templates
// (JSON, or YAML with the short-form tags !Ref, !GetAtt, !Sub, ...) and Terraform plans, read
// and applied to an empty account. The first byte picks: 'Y' CloudFormation YAML, 'T' Terraform
// plan, anything else CloudFormation JSON (the whole input).
#include <cstddef>
#include <cstdint>
#include <string>

#include "analyzer/loader/iac.hpp"
#include "model/input_error.hpp"

using namespace vpcgate;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  char mode = size > 0 ? static_cast<char>(data[0]) : 'J';
  if (mode == 'Y' || mode == 'T') text.erase(0, 1);
  try {
    std::shared_ptr<const loader::IacDocument> doc =
        mode == 'T' ? loader::read_terraform_plan(text, "fuzz.tfplan.json")
                    : loader::read_cloudformation(text, mode == 'Y', mode == 'Y' ? "fuzz.yaml" : "fuzz.json");
    model::Account account;
    loader::apply_iac(account, {doc});
  } catch (const model::InputError&) {
  }
  return 0;
}
