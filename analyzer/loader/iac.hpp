#pragma once
// Infrastructure as code: CloudFormation templates and Terraform plans (`terraform show -json`).
// Recognised here so that they count as input; reading them into the model is its own issue,
// and this file is the one to replace then. Until then they stop the scan (exit 2) rather than
// let a gate pass without them.
#include <string>

#include "model/account.hpp"

namespace vpcgate::loader {

// `path` is the file to open (for line numbers), `display_path` the name errors give.
model::Account load_cloudformation(const std::string& path, const std::string& display_path);
model::Account load_terraform_plan(const std::string& path, const std::string& display_path);

}  // namespace vpcgate::loader
