#pragma once
// Findings -> the report a person or a pipeline reads. Same input, same bytes.
#include <optional>
#include <string>
#include <vector>

#include "analyzer/checks/check.hpp"
#include "model/account.hpp"

namespace vpcgate::report {

using Json = checks::Json;

struct Suppression {
  std::string reason;
  std::string expires;  // YYYY-MM-DD, "" when none
};

struct ReportedFinding {
  checks::Finding finding;
  std::string id;                          // vg-<16 hex>
  std::optional<bool> is_new;              // present with --baseline
  std::optional<Suppression> suppressed;   // present when a suppression matched
};

struct Summary {
  std::size_t critical = 0, high = 0, medium = 0, low = 0, new_ = 0, resolved = 0, suppressed = 0;
};

struct Report {
  std::string version;
  Json inputs = Json::object();
  std::vector<ReportedFinding> findings;  // sorted (sort_findings)
  Summary summary;
  std::vector<std::string> notes;         // text report only
  bool has_baseline = false;
};

// `vg-` + the first 16 hex digits of SHA-256 over check NUL subject [NUL service]; the subject
// is the principal where present, else the resource.
std::string finding_id(const checks::Finding& f);

// Severity (critical first), then check, resource, principal (absent first).
void sort_findings(std::vector<ReportedFinding>& findings);

// The `inputs` object of the JSON report.
Json inputs_json(const model::Account& account);

std::string render_json(const Report& report);
std::string render_text(const Report& report, bool color);
std::string render_sarif(const Report& report);
std::string render_markdown(const Report& report);
// One self-contained HTML file (no network fetches, no external assets).
std::string render_html(const Report& report);

// One finding as JSON, exactly as in the report's `findings` list.
Json finding_json(const ReportedFinding& f, bool has_baseline);

// A finding's file as a SARIF artifact URI reference (relative stays relative; absolute ->
// file://; forward slashes; percent-encoded).
std::string artifact_uri(const std::string& file);

// Make untrusted text safe for a terminal: control characters (ESC, CR, LF, ...) escaped.
std::string terminal_safe(const std::string& s);

// Make untrusted text safe as HTML/XML text or attribute value: the markup characters as
// entities, the C1 controls (U+0080..U+009F) as \uNNNN as on a terminal, the other control
// characters (not allowed in XML 1.0) as \xNN, except line feeds and tabs where
// `keep_line_breaks` (HTML text).
std::string markup_safe(const std::string& s, bool keep_line_breaks);

}  // namespace vpcgate::report
