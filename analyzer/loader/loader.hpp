#pragma once
// Files and directories -> one Account. Each file is recognised by its top-level keys
// (CONTRACT.md, Input), never by its name. Throws model::InputError on unusable input.
#include <string>
#include <vector>

#include "model/account.hpp"

namespace vpcgate::loader {

struct LoadOptions {
  // Where the snapshot of AWS managed policies lives (data/aws-managed-policies.json);
  // empty: the build's data directory.
  std::string managed_policy_snapshot;
};

model::Account load(const std::vector<std::string>& paths, const LoadOptions& options = {});

}  // namespace vpcgate::loader
