// Markdown for a ticket or a pull-request comment.
#include <fmt/format.h>

#include "analyzer/report/report.hpp"

namespace vpcgate::report {
namespace {
// Untrusted text inside a table cell or a line: no raw HTML, pipes or line breaks.
std::string md(const std::string& s) {
  std::string out;
  for (char c : terminal_safe(s)) {
    switch (c) {
      case '|': out += "\\|"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '`': out += "\\`"; break;
      case '*': out += "\\*"; break;
      case '_': out += "\\_"; break;
      case '[': out += "\\["; break;
      case ']': out += "\\]"; break;
      default: out.push_back(c);
    }
  }
  return out;
}
}  // namespace

std::string render_markdown(const Report& r) {
  const auto& s = r.summary;
  std::string out = fmt::format("## vpcgate {}\n\n", r.version);
  out += fmt::format("**{} critical, {} high, {} medium, {} low**", s.critical, s.high, s.medium, s.low);
  if (r.has_baseline) out += fmt::format(" — {} new, {} resolved", s.new_, s.resolved);
  if (s.suppressed) out += fmt::format(" — {} suppressed", s.suppressed);
  out += "\n\n";
  if (r.findings.empty()) {
    out += "No findings.\n";
    return out;
  }
  out += "| severity | check | subject | title | id |\n|---|---|---|---|---|\n";
  for (const auto& rf : r.findings) {
    const auto& f = rf.finding;
    out += fmt::format("| {} | `{}` | {} | {} | `{}` |\n", checks::to_string(f.severity), f.check,
                       md(f.principal ? *f.principal : f.resource), md(f.title), rf.id);
  }
  out += "\n<details><summary>Details</summary>\n\n";
  for (const auto& rf : r.findings) {
    const auto& f = rf.finding;
    out += fmt::format("### {} `{}`\n\n- **why:** {}\n- **fix:** {}\n- **where:** {}{}\n\n", md(f.title), rf.id,
                       md(f.detail), md(f.remediation), md(f.location.file),
                       f.location.line > 0 ? fmt::format(":{}", f.location.line) : " " + md(f.location.pointer));
  }
  out += "</details>\n";
  return out;
}

}  // namespace vpcgate::report
