#include "analyzer/loader/iac.hpp"

#include "model/input_error.hpp"

namespace vpcgate::loader {

model::Account load_cloudformation(const std::string& /*path*/, const std::string& display_path) {
  throw model::InputError(display_path, "", "CloudFormation templates are not supported yet");
}

model::Account load_terraform_plan(const std::string& /*path*/, const std::string& display_path) {
  throw model::InputError(display_path, "", "Terraform plans are not supported yet");
}

}  // namespace vpcgate::loader
