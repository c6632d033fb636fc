#pragma once
// The subcommands. Each registers itself on the CLI11 app; its callback sets the exit code.
// Unusable input is thrown as model::InputError, usage errors as UsageError; main() alone
// turns them into messages and exit status 2.
#include <stdexcept>
#include <string>

#include <CLI/CLI.hpp>

namespace vpcgate::cli {

class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

void register_scan(CLI::App& app, int& exit_code);
void register_simulate(CLI::App& app, int& exit_code);
void register_graph(CLI::App& app, int& exit_code);
void register_checks(CLI::App& app, int& exit_code);

}  // namespace vpcgate::cli
