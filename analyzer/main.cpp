// vpcgate: thin. CLI11 -> library -> exit code. Only this file decides exit statuses.
#include <iostream>

#include <nlohmann/json.hpp>

#include "analyzer/cli/commands.hpp"
#include "analyzer/report/report.hpp"
#include "model/input_error.hpp"

namespace {
// Messages name files, keys and values from the input: never let them drive the terminal.
std::string safe(const char* what) { return vpcgate::report::terminal_safe(what); }
}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"vpcgate: can anyone reach our SageMaker notebooks, and can they reach the internet, "
               "outside the private network built for them?"};
  app.set_version_flag("--version", std::string("vpcgate ") + VPCGATE_VERSION);
  app.require_subcommand(1);
  int exit_code = 0;
  vpcgate::cli::register_scan(app, exit_code);
  vpcgate::cli::register_simulate(app, exit_code);
  vpcgate::cli::register_graph(app, exit_code);
  vpcgate::cli::register_checks(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "vpcgate: error: " << safe(e.what()) << "\n";
    return 2;
  } catch (const vpcgate::model::InputError& e) {
    std::cerr << "vpcgate: error: " << safe(e.what()) << "\n";
    return 2;
  } catch (const vpcgate::cli::UsageError& e) {
    std::cerr << "vpcgate: error: " << safe(e.what()) << "\n";
    return 2;
  } catch (const nlohmann::json::exception& e) {
    std::cerr << "vpcgate: error: " << safe(e.what()) << "\n";
    return 2;
  } catch (const std::bad_alloc&) {
    std::cerr << "vpcgate: error: out of memory\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "vpcgate: error: " << safe(e.what()) << "\n";
    return 2;
  }
  return exit_code;
}
