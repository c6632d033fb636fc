// One self-contained HTML file: summary, findings grouped by severity, a filter, each finding's
// explanation and evidence. No scripts or styles from the network; untrusted text is escaped.
#include <fmt/format.h>

#include "analyzer/report/report.hpp"

namespace vpcgate::report {
namespace {

std::string esc(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default:
        if (c < 0x20 && c != '\n' && c != '\t') {
          out += fmt::format("\\x{:02x}", c);
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  return out;
}

}  // namespace

std::string render_html(const Report& r) {
  const auto& s = r.summary;
  std::string out;
  out += "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n";
  out += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
         "script-src 'unsafe-inline'\">\n";
  out += fmt::format("<title>vpcgate {} report</title>\n", esc(r.version));
  out += "<style>body{font-family:sans-serif;margin:2em;max-width:70em}"
         ".f{border:1px solid #ccc;border-radius:6px;padding:.6em 1em;margin:.6em 0}"
         ".critical{border-left:6px solid #8e24aa}.high{border-left:6px solid #d32f2f}"
         ".medium{border-left:6px solid #f9a825}.low{border-left:6px solid #0288d1}"
         "pre{background:#f6f6f6;padding:.5em;overflow:auto}code{font-size:90%}</style>\n";
  out += "</head><body>\n";
  out += fmt::format("<h1>vpcgate {}</h1>\n", esc(r.version));
  out += fmt::format("<p id=\"summary\">{} critical, {} high, {} medium, {} low", s.critical, s.high, s.medium, s.low);
  if (r.has_baseline) out += fmt::format("; {} new, {} resolved", s.new_, s.resolved);
  if (s.suppressed) out += fmt::format("; {} suppressed", s.suppressed);
  out += "</p>\n";
  out += "<p><label>Filter: <input id=\"filter\" type=\"search\" placeholder=\"check, resource, text\"></label></p>\n";
  std::string current;
  for (const auto& rf : r.findings) {
    const auto& f = rf.finding;
    std::string sev = checks::to_string(f.severity);
    if (sev != current) {
      current = sev;
      out += fmt::format("<h2>{}</h2>\n", esc(sev));
    }
    out += fmt::format("<div class=\"f {}\" data-check=\"{}\">\n", esc(sev), esc(f.check));
    out += fmt::format("<h3>{}</h3>\n<p><code>{}</code> &middot; <code>{}</code></p>\n", esc(f.title), esc(f.check),
                       esc(rf.id));
    out += fmt::format("<p><b>Resource:</b> <code>{}</code></p>\n", esc(f.resource));
    if (f.principal) out += fmt::format("<p><b>Principal:</b> <code>{}</code></p>\n", esc(*f.principal));
    out += fmt::format("<p><b>Why:</b> {}</p>\n<p><b>Fix:</b> {}</p>\n", esc(f.detail), esc(f.remediation));
    out += fmt::format("<p><b>Where:</b> <code>{}</code> {}</p>\n", esc(f.location.file),
                       esc(f.location.line > 0 ? fmt::format("line {}", f.location.line) : f.location.pointer));
    out += fmt::format("<details><summary>Evidence</summary><pre>{}</pre></details>\n",
                       esc(f.evidence.dump(2, ' ', false, Json::error_handler_t::replace)));
    out += "</div>\n";
  }
  if (r.findings.empty()) out += "<p>No findings.</p>\n";
  out += "<h2>Inputs</h2>\n<pre>" + esc(r.inputs.dump(2, ' ', false, Json::error_handler_t::replace)) + "</pre>\n";
  out += "<script>document.getElementById('filter').addEventListener('input',function(e){"
         "var q=e.target.value.toLowerCase();document.querySelectorAll('.f').forEach(function(d){"
         "d.style.display=d.textContent.toLowerCase().indexOf(q)>=0?'':'none';});});</script>\n";
  out += "</body></html>\n";
  return out;
}

}  // namespace vpcgate::report
