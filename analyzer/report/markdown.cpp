// Markdown for a ticket or a pull-request comment (GitHub-flavoured): the summary, one table
// row per finding, then a collapsed <details> block with each finding's explanation, its
// evidence path in walk order, and its fix. Untrusted text never becomes markup: in prose it is
// escaped, in code spans backticks are replaced. A GitHub comment holds 65536 characters, so
// the details stop (saying so) before that.
#include <fmt/format.h>

#include "analyzer/report/evidence_picture.hpp"
#include "analyzer/report/report.hpp"

namespace vpcgate::report {
namespace {

constexpr std::size_t kCommentLimit = 60000;  // GitHub's is 65536; leave room for the tail

// Untrusted text inside a table cell or a line: no raw HTML, pipes, emphasis, links or line breaks.
std::string md(const std::string& s) {
  std::string out;
  for (char c : terminal_safe(s)) {
    switch (c) {
      case '|': out += "\\|"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '`': out += "\\`"; break;
      case '*': out += "\\*"; break;
      case '_': out += "\\_"; break;
      case '[': out += "\\["; break;
      case ']': out += "\\]"; break;
      case '#': out += "\\#"; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += ' '; break;
      default: out.push_back(c);
    }
  }
  return out;
}

// Untrusted text as a code span: literal inside, so only the delimiter and table pipes matter.
std::string code(const std::string& s) {
  std::string out = "`";
  for (char c : terminal_safe(s)) {
    if (c == '`') out += '\'';
    else if (c == '|') out += "\\|";  // a pipe ends a table cell even inside a code span
    else out.push_back(c);
  }
  return out + "`";
}

// The picture as text: chains of `a` → `b`, with the arrow's meaning in parentheses.
std::string path_lines(const Picture& p) {
  std::string out;
  std::size_t last = static_cast<std::size_t>(-1);
  auto name = [&](std::size_t i) {
    const auto& n = p.nodes[i];
    return code(n.label) + (n.detail.empty() ? "" : " (" + md(n.detail) + ")");
  };
  for (const auto& e : p.edges) {
    if (e.from != last) out += (out.empty() ? "" : "\n") + std::string("  - ") + name(e.from);
    out += e.label.empty() ? " → " : " → *" + md(e.label) + "* → ";
    out += name(e.to);
    last = e.to;
  }
  return out;
}

const char* badge(checks::Severity s) {
  switch (s) {
    case checks::Severity::Critical: return "🟣 **critical**";
    case checks::Severity::High: return "🔴 **high**";
    case checks::Severity::Medium: return "🟠 medium";
    case checks::Severity::Low: return "🔵 low";
  }
  return "";
}

}  // namespace

std::string render_markdown(const Report& r) {
  const auto& s = r.summary;
  std::string out = fmt::format("### vpcgate {}: {} finding{}\n\n", md(r.version), r.findings.size(),
                                r.findings.size() == 1 ? "" : "s");
  out += fmt::format("**{} critical, {} high, {} medium, {} low**", s.critical, s.high, s.medium, s.low);
  if (r.has_baseline) out += fmt::format(" · {} new, {} resolved", s.new_, s.resolved);
  if (s.suppressed) out += fmt::format(" · {} suppressed", s.suppressed);
  out += fmt::format(" · {} input file{}\n\n", r.inputs.value("files", 0), r.inputs.value("files", 0) == 1 ? "" : "s");
  if (r.findings.empty()) {
    out += "No findings.\n";
    return out;
  }
  out += "| severity | check | subject | id |\n|---|---|---|---|\n";
  for (const auto& rf : r.findings) {
    const auto& f = rf.finding;
    std::string tags;
    if (rf.is_new.value_or(false)) tags += " · new";
    if (rf.suppressed) tags += " · suppressed";
    out += fmt::format("| {}{} | {} | {} | `{}` |\n", badge(f.severity), tags, code(f.check),
                       code(arn_short(f.principal ? *f.principal : f.resource)), rf.id);
  }
  out += "\n<details><summary>Details: why, evidence, fix</summary>\n\n";
  std::size_t shown = 0;
  for (const auto& rf : r.findings) {
    const auto& f = rf.finding;
    std::string block = fmt::format("#### {} · `{}`\n\n", md(f.title), rf.id);
    block += fmt::format("- **check:** {} ({})\n", code(f.check), checks::to_string(f.severity));
    block += fmt::format("- **resource:** {}\n", code(f.resource));
    if (f.principal && *f.principal != f.resource) block += fmt::format("- **principal:** {}\n", code(*f.principal));
    block += fmt::format("- **why:** {}\n", md(f.detail));
    Picture pic = evidence_picture(f);
    if (!pic.edges.empty()) block += "- **evidence:**\n" + path_lines(pic) + "\n";
    for (const auto& n : pic.notes) block += fmt::format("- **note:** {}\n", md(n));
    block += fmt::format("- **fix:** {}\n", md(f.remediation));
    block += fmt::format("- **where:** {}{}\n", code(f.location.file),
                         f.location.line > 0 ? fmt::format(" line {}", f.location.line)
                                             : (f.location.pointer.empty() ? "" : " " + code(f.location.pointer)));
    if (rf.suppressed)
      block += fmt::format("- **suppressed:** {}{}\n", md(rf.suppressed->reason),
                           rf.suppressed->expires.empty() ? "" : " (until " + md(rf.suppressed->expires) + ")");
    block += "\n";
    if (out.size() + block.size() > kCommentLimit) break;
    out += block;
    ++shown;
  }
  if (shown < r.findings.size())
    out += fmt::format("*{} more finding{} not detailed here (comment size limit): see `vpcgate scan --format html`.*\n\n",
                       r.findings.size() - shown, r.findings.size() - shown == 1 ? "" : "s");
  out += "</details>\n";
  return out;
}

}  // namespace vpcgate::report
