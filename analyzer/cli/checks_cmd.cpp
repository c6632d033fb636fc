// `vpcgate checks [--format text|json]`: every check with its default severity.
#include <iostream>

#include <fmt/format.h>

#include "analyzer/checks/check.hpp"
#include "analyzer/cli/commands.hpp"

namespace vpcgate::cli {

void register_checks(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("checks", "List every check");
  auto format = std::make_shared<std::string>("text");
  cmd->add_option("--format", *format, "text or json")->check(CLI::IsMember({"text", "json"}));
  cmd->callback([format, &exit_code] {
    auto infos = checks::all_check_infos();
    if (*format == "json") {
      checks::Json out = checks::Json::array();
      for (const auto& i : infos)
        out.push_back(checks::Json{{"id", i.id}, {"severity", checks::to_string(i.severity)}, {"title", i.title}});
      std::cout << out.dump(2) << "\n";
    } else {
      for (const auto& i : infos) std::cout << fmt::format("{:<44} {:<8} {}\n", i.id, checks::to_string(i.severity), i.title);
    }
    exit_code = 0;
  });
}

}  // namespace vpcgate::cli
