// SARIF 2.1.0 for code-scanning uploads: one rule per check, one result per finding, every
// result with a physicalLocation (GitHub rejects uploads where one lacks it).
#include <fmt/format.h>

#include "analyzer/report/report.hpp"

namespace vpcgate::report {
namespace {

const char* security_severity(checks::Severity s) {
  switch (s) {
    case checks::Severity::Critical: return "9.5";
    case checks::Severity::High: return "8.0";
    case checks::Severity::Medium: return "5.5";
    case checks::Severity::Low: return "3.0";
  }
  return "3.0";
}

const char* level(checks::Severity s) {
  switch (s) {
    case checks::Severity::Critical:
    case checks::Severity::High: return "error";
    case checks::Severity::Medium: return "warning";
    case checks::Severity::Low: return "note";
  }
  return "note";
}

// RFC 3986 percent-encoding of a path, keeping the unreserved characters and '/'.
std::string percent_encode_path(const std::string& path) {
  std::string out;
  for (unsigned char c : path) {
    bool keep = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                c == '.' || c == '_' || c == '~' || c == '/';
    if (keep) {
      out.push_back(static_cast<char>(c));
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

}  // namespace

// A finding's file as a URI reference: relative paths stay relative, absolute ones become
// file:// URIs; forward slashes; percent-encoded.
std::string artifact_uri(const std::string& file) {
  std::string p = file;
  for (auto& c : p)
    if (c == '\\') c = '/';
  if (!p.empty() && p[0] == '/') return "file://" + percent_encode_path(p);
  return percent_encode_path(p);
}

std::string render_sarif(const Report& r) {
  Json rules = Json::array();
  std::map<std::string, std::size_t> rule_index;
  for (const auto& info : checks::all_check_infos()) {
    rule_index[info.id] = rules.size();
    Json rule = Json::object();
    rule["id"] = info.id;
    rule["name"] = info.id;
    rule["shortDescription"] = Json{{"text", info.title}};
    rule["fullDescription"] = Json{{"text", info.title}};
    rule["helpUri"] = "https://github.com/vpcgate/vpcgate/blob/main/docs/checks.md#" + info.id;
    rule["help"] = Json{{"text", fmt::format("{}. See docs/checks.md#{} for what it looks at, why it matters and how "
                                             "to fix it.", info.title, info.id)},
                        {"markdown", fmt::format("{}. See [docs/checks.md#{}](docs/checks.md#{}).", info.title,
                                                 info.id, info.id)}};
    rule["defaultConfiguration"] = Json{{"level", level(info.severity)}};
    rule["properties"] = Json{{"security-severity", security_severity(info.severity)},
                              {"tags", Json::array({"security"})}};
    rules.push_back(rule);
  }
  Json results = Json::array();
  for (const auto& rf : r.findings) {
    const auto& f = rf.finding;
    Json res = Json::object();
    res["ruleId"] = f.check;
    if (auto it = rule_index.find(f.check); it != rule_index.end()) res["ruleIndex"] = it->second;
    res["level"] = level(f.severity);
    res["message"] = Json{{"text", f.title + ": " + f.detail}};
    Json region = Json::object();
    region["startLine"] = f.location.line > 0 ? f.location.line : 1;
    Json phys = Json{{"artifactLocation", Json{{"uri", artifact_uri(f.location.file)}}}, {"region", region}};
    Json loc = Json{{"physicalLocation", phys}};
    Json logical = Json::array();
    logical.push_back(Json{{"fullyQualifiedName", f.principal ? *f.principal : f.resource}});
    loc["logicalLocations"] = logical;
    res["locations"] = Json::array({loc});
    res["partialFingerprints"] = Json{{"vpcgate/v1", rf.id}};
    Json props = Json{{"id", rf.id}, {"resource", f.resource}, {"evidence", f.evidence}};
    if (f.principal) props["principal"] = *f.principal;
    if (!f.location.pointer.empty()) props["pointer"] = f.location.pointer;
    res["properties"] = props;
    if (rf.suppressed) {
      Json sup = Json{{"kind", "external"}, {"justification", rf.suppressed->reason}};
      res["suppressions"] = Json::array({sup});
    }
    if (r.has_baseline) res["baselineState"] = rf.is_new.value_or(true) ? "new" : "unchanged";
    results.push_back(res);
  }
  Json driver = Json{{"name", "vpcgate"},
                     {"version", r.version},
                     {"semanticVersion", r.version},
                     {"informationUri", "https://github.com/vpcgate/vpcgate"},
                     {"rules", rules}};
  Json run = Json{{"tool", Json{{"driver", driver}}}, {"results", results}};
  Json sarif = Json{{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
                    {"version", "2.1.0"},
                    {"runs", Json::array({run})}};
  return sarif.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace vpcgate::report
