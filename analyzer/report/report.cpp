#include "analyzer/report/report.hpp"

#include <algorithm>
#include <tuple>

#include <fmt/format.h>

#include "analyzer/report/sha256.hpp"
#include "model/terminal_safe.hpp"

namespace vpcgate::report {

std::string finding_id(const checks::Finding& f) {
  std::string data = f.check;
  data.push_back('\0');
  data += f.principal ? *f.principal : f.resource;
  if (f.id_service) {
    data.push_back('\0');
    data += *f.id_service;
  }
  return "vg-" + sha256_hex(data).substr(0, 16);
}

void sort_findings(std::vector<ReportedFinding>& findings) {
  std::stable_sort(findings.begin(), findings.end(), [](const ReportedFinding& a, const ReportedFinding& b) {
    const auto& x = a.finding;
    const auto& y = b.finding;
    auto key = [](const checks::Finding& f) {
      return std::make_tuple(static_cast<int>(f.severity), std::cref(f.check), std::cref(f.resource),
                             f.principal.has_value(), f.principal ? std::cref(*f.principal) : std::cref(f.resource),
                             f.id_service.value_or(std::string{}));
    };
    return key(x) < key(y);
  });
}

Json inputs_json(const model::Account& a) {
  Json j = Json::object();
  j["files"] = a.files.size();
  j["skipped"] = a.skipped;
  j["users"] = a.users.size();
  j["groups"] = a.groups.size();
  j["roles"] = a.roles.size();
  j["policies"] = a.input_managed_policy_count + a.inline_policy_count + a.scps.size();
  j["vpcs"] = a.vpcs.size();
  j["subnets"] = a.subnets.size();
  j["vpc_endpoints"] = a.vpc_endpoints.size();
  j["notebook_instances"] = a.notebooks.size();
  j["training_jobs"] = a.training_jobs.size();
  j["processing_jobs"] = a.processing_jobs.size();
  j["models"] = a.models.size();
  j["domains"] = a.domains.size();
  return j;
}

Json finding_json(const ReportedFinding& rf, bool has_baseline) {
  const auto& f = rf.finding;
  Json j = Json::object();
  j["id"] = rf.id;
  j["check"] = f.check;
  j["severity"] = checks::to_string(f.severity);
  j["resource"] = f.resource;
  if (f.principal) j["principal"] = *f.principal;
  j["title"] = f.title;
  j["detail"] = f.detail;
  j["evidence"] = f.evidence.is_null() ? Json::object() : f.evidence;
  Json loc = Json::object();
  loc["file"] = f.location.file;
  if (f.location.line > 0) {
    loc["line"] = f.location.line;
  } else {
    loc["pointer"] = f.location.pointer;
  }
  j["location"] = loc;
  j["remediation"] = f.remediation;
  if (has_baseline) j["new"] = rf.is_new.value_or(true);
  if (rf.suppressed) {
    Json s = Json::object();
    s["reason"] = rf.suppressed->reason;
    if (!rf.suppressed->expires.empty()) s["expires"] = rf.suppressed->expires;
    j["suppressed"] = s;
  }
  return j;
}

std::string render_json(const Report& r) {
  Json j = Json::object();
  j["tool"] = Json{{"name", "vpcgate"}, {"version", r.version}};
  j["inputs"] = r.inputs;
  Json list = Json::array();
  for (const auto& f : r.findings) list.push_back(finding_json(f, r.has_baseline));
  j["findings"] = list;
  j["summary"] = Json{{"critical", r.summary.critical}, {"high", r.summary.high},
                      {"medium", r.summary.medium},     {"low", r.summary.low},
                      {"new", r.summary.new_},          {"resolved", r.summary.resolved},
                      {"suppressed", r.summary.suppressed}};
  // Invalid UTF-8 from an input must never make the report invalid JSON.
  return j.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

std::string terminal_safe(const std::string& s) { return model::terminal_safe(s); }

std::string markup_safe(const std::string& s, bool keep_line_breaks) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) >= 0x80 &&
        static_cast<unsigned char>(s[i + 1]) <= 0x9F) {
      out += model::terminal_safe(s.substr(i, 2));
      ++i;
      continue;
    }
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default:
        if ((c < 0x20 && !(keep_line_breaks && (c == '\n' || c == '\t'))) || c == 0x7f) {
          out += fmt::format("\\x{:02x}", c);
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  return out;
}

namespace {

const char* severity_colour(checks::Severity s) {
  switch (s) {
    case checks::Severity::Critical: return "\x1b[1;35m";
    case checks::Severity::High: return "\x1b[1;31m";
    case checks::Severity::Medium: return "\x1b[33m";
    case checks::Severity::Low: return "\x1b[36m";
  }
  return "";
}

std::string upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
  return s;
}

std::string location_text(const model::SourceLoc& l) {
  if (l.line > 0) return fmt::format("{}:{}", l.file, l.line);
  if (!l.pointer.empty()) return fmt::format("{} {}", l.file, l.pointer);
  return l.file;
}

}  // namespace

std::string render_text(const Report& r, bool color) {
  std::string out;
  const char* reset = color ? "\x1b[0m" : "";
  const char* bold = color ? "\x1b[1m" : "";
  std::size_t files = r.inputs.value("files", std::size_t{0});
  out += fmt::format("{}vpcgate {}{}: {} input file{} read", bold, r.version, reset, files, files == 1 ? "" : "s");
  if (r.inputs.contains("skipped") && !r.inputs["skipped"].empty())
    out += fmt::format(", {} skipped", r.inputs["skipped"].size());
  out += "\n";
  if (r.inputs.contains("skipped")) {
    for (const auto& s : r.inputs["skipped"]) out += "  skipped: " + terminal_safe(s.get<std::string>()) + "\n";
  }
  std::optional<checks::Severity> current;
  for (const auto& rf : r.findings) {
    const auto& f = rf.finding;
    if (!current || *current != f.severity) {
      current = f.severity;
      out += fmt::format("\n{}{}{}\n", color ? severity_colour(f.severity) : "",
                         upper(checks::to_string(f.severity)), reset);
    }
    out += fmt::format("\n  [{}] {}{}{}  ({})\n", f.check, bold, terminal_safe(f.title), reset, rf.id);
    out += "    resource:    " + terminal_safe(f.resource) + "\n";
    if (f.principal && *f.principal != f.resource) out += "    principal:   " + terminal_safe(*f.principal) + "\n";
    out += "    why:         " + terminal_safe(f.detail) + "\n";
    out += "    fix:         " + terminal_safe(f.remediation) + "\n";
    out += "    where:       " + terminal_safe(location_text(f.location)) + "\n";
    if (rf.is_new && r.has_baseline) out += fmt::format("    new:         {}\n", *rf.is_new ? "yes" : "no");
    if (rf.suppressed)
      out += "    suppressed:  " + terminal_safe(rf.suppressed->reason) +
             (rf.suppressed->expires.empty() ? "" : " (until " + rf.suppressed->expires + ")") + "\n";
  }
  if (!r.notes.empty()) {
    out += "\nNotes\n";
    for (const auto& n : r.notes) out += "  - " + terminal_safe(n) + "\n";
  }
  const auto& s = r.summary;
  out += fmt::format("\n{}Summary{}: {} critical, {} high, {} medium, {} low", bold, reset, s.critical, s.high,
                     s.medium, s.low);
  if (r.has_baseline) out += fmt::format("; {} new, {} resolved", s.new_, s.resolved);
  if (s.suppressed) out += fmt::format("; {} suppressed", s.suppressed);
  out += "\n";
  return out;
}

}  // namespace vpcgate::report
