#pragma once
// `vpcgate simulate`: an offline `aws iam simulate-custom-policy` (CONTRACT.md).
#include <CLI/CLI.hpp>

namespace vpcgate::cli {

// Adds the `simulate` subcommand. Its callback sets exit_code (0, or 2 when a --requests line
// was bad) and throws model::InputError for unusable input files.
void register_simulate(CLI::App& app, int& exit_code);

}  // namespace vpcgate::cli
