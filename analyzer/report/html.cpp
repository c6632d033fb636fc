// One self-contained HTML file for a review: summary, findings grouped by severity and check,
// filters (severity, check, text), each finding's explanation and its drawn evidence (inline
// SVG from evidence_picture), and the inputs read. No network fetches and no external assets
// (a Content-Security-Policy forbids them); all input text is escaped; same report, same bytes.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <vector>

#include "analyzer/report/evidence_picture.hpp"
#include "analyzer/report/report.hpp"

namespace vpcgate::report {
namespace {

// Text and attribute values (line feeds and tabs kept).
std::string esc(const std::string& s) { return markup_safe(s, /*keep_line_breaks=*/true); }

std::string json_text(const Json& j) { return j.dump(2, ' ', false, Json::error_handler_t::replace); }

const char* kStyle = R"CSS(
:root{--bg:#f6f7f9;--card:#fff;--ink:#1f2328;--muted:#59636e;--line:#d8dee4;--accent:#0b57d0;
--critical:#7b1fa2;--high:#c5221f;--medium:#b06000;--low:#0b57d0}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif}
header{background:#1f2937;color:#fff;padding:18px 32px}
header h1{margin:0;font-size:20px;font-weight:600;letter-spacing:.2px}
header .sub{color:#cbd5e1;font-size:13px;margin-top:2px}
main{max-width:1240px;margin:0 auto;padding:20px 32px 48px}
h2{font-size:17px;margin:28px 0 10px}
h3{font-size:14px;margin:18px 0 8px;color:var(--muted);font-weight:600}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px}
.cards{display:flex;gap:12px;flex-wrap:wrap;margin:4px 0 8px}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:12px 16px;min-width:130px}
.card .n{font-size:26px;font-weight:700;line-height:1.1}
.card .l{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.6px}
.card.critical .n{color:var(--critical)}.card.high .n{color:var(--high)}.card.medium .n{color:var(--medium)}.card.low .n{color:var(--low)}
table{border-collapse:collapse;background:var(--card);border:1px solid var(--line);border-radius:8px;overflow:hidden}
th,td{text-align:left;padding:6px 12px;border-bottom:1px solid var(--line);vertical-align:top}
th{background:#eef1f4;font-weight:600;font-size:12.5px}
tr:last-child td{border-bottom:none}
.filters{position:sticky;top:0;z-index:2;background:var(--bg);padding:10px 0;display:flex;gap:10px;align-items:center;flex-wrap:wrap;border-bottom:1px solid var(--line)}
.filters label{display:inline-flex;gap:5px;align-items:center;background:var(--card);border:1px solid var(--line);border-radius:16px;padding:3px 10px;cursor:pointer;user-select:none}
.filters select,.filters input[type=search]{font:inherit;padding:4px 8px;border:1px solid var(--line);border-radius:6px;background:var(--card)}
.filters input[type=search]{min-width:260px}
.filters button{font:inherit;padding:4px 10px;border:1px solid var(--line);border-radius:6px;background:var(--card);cursor:pointer}
#shown{color:var(--muted);margin-left:auto}
.sev{display:inline-block;border-radius:10px;padding:0 8px;font-size:11.5px;font-weight:700;text-transform:uppercase;letter-spacing:.5px;color:#fff}
.sev.critical{background:var(--critical)}.sev.high{background:var(--high)}.sev.medium{background:var(--medium)}.sev.low{background:var(--low)}
.tag{display:inline-block;border:1px solid var(--line);border-radius:10px;padding:0 7px;font-size:11.5px;color:var(--muted);margin-left:4px}
details.finding{background:var(--card);border:1px solid var(--line);border-left:5px solid var(--line);border-radius:8px;margin:8px 0}
details.finding.critical{border-left-color:var(--critical)}details.finding.high{border-left-color:var(--high)}
details.finding.medium{border-left-color:var(--medium)}details.finding.low{border-left-color:var(--low)}
details.finding>summary{cursor:pointer;padding:10px 14px;list-style:none;display:flex;gap:10px;align-items:baseline;flex-wrap:wrap}
details.finding>summary::-webkit-details-marker{display:none}
details.finding>summary .t{font-weight:600}
details.finding>summary .s{color:var(--muted);font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px;word-break:break-all}
details.finding>summary .id{margin-left:auto;color:var(--muted);font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px}
.body{padding:0 16px 14px;border-top:1px solid var(--line)}
.body dl{display:grid;grid-template-columns:110px 1fr;gap:6px 14px;margin:12px 0}
.body dt{color:var(--muted);font-weight:600}
.body dd{margin:0;word-break:break-word}
.pic{overflow-x:auto;background:#fbfcfd;border:1px solid var(--line);border-radius:8px;padding:8px;margin:8px 0}
.notes{margin:6px 0;padding-left:18px;color:var(--muted)}
pre{background:#f3f4f6;border:1px solid var(--line);border-radius:6px;padding:10px;overflow:auto;max-height:420px}
.empty{background:var(--card);border:1px dashed var(--line);border-radius:8px;padding:16px;color:var(--muted)}
footer{color:var(--muted);font-size:12px;margin-top:36px}
[hidden]{display:none!important}
@media print{.filters{display:none}details.finding{break-inside:avoid}header{background:none;color:#000}}
)CSS";

const char* kScript = R"JS(
(function(){
  var q=document.getElementById('q'),chk=document.getElementById('check'),shown=document.getElementById('shown');
  var sevs=document.querySelectorAll('input[data-sev]');
  var items=document.querySelectorAll('details.finding');
  function apply(){
    var want={};sevs.forEach(function(s){want[s.getAttribute('data-sev')]=s.checked;});
    var text=q.value.toLowerCase(),c=chk.value,n=0;
    items.forEach(function(d){
      var ok=want[d.getAttribute('data-severity')]&&(!c||d.getAttribute('data-check')===c)&&
             (!text||d.textContent.toLowerCase().indexOf(text)>=0);
      d.hidden=!ok;if(ok)n++;
    });
    document.querySelectorAll('section.group').forEach(function(g){
      g.hidden=!g.querySelector('details.finding:not([hidden])');
    });
    shown.textContent=n+' of '+items.length+' shown';
  }
  q.addEventListener('input',apply);chk.addEventListener('change',apply);
  sevs.forEach(function(s){s.addEventListener('change',apply);});
  document.getElementById('expand').addEventListener('click',function(){items.forEach(function(d){if(!d.hidden)d.open=true;});});
  document.getElementById('collapse').addEventListener('click',function(){items.forEach(function(d){d.open=false;});});
  apply();
})();
)JS";

const char* kSeverities[] = {"critical", "high", "medium", "low"};

}  // namespace

std::string render_html(const Report& r) {
  const auto& s = r.summary;
  std::string out;
  out += "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  // Nothing may be loaded from anywhere: styles and the script are inline, pictures inline SVG.
  out += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
         "script-src 'unsafe-inline'; img-src 'none'; connect-src 'none'; form-action 'none'; base-uri 'none'\">\n";
  out += fmt::format("<title>vpcgate report: {} finding{}</title>\n", r.findings.size(),
                     r.findings.size() == 1 ? "" : "s");
  out += std::string("<style>") + kStyle + "</style>\n</head><body>\n";
  out += fmt::format("<header><h1>vpcgate report</h1><div class=\"sub\">SageMaker isolation review &middot; vpcgate {} "
                     "&middot; {} input file{}</div></header>\n<main>\n",
                     esc(r.version), r.inputs.value("files", 0), r.inputs.value("files", 0) == 1 ? "" : "s");

  // Summary.
  out += "<h2 id=\"summary\">Summary</h2>\n<div class=\"cards\">\n";
  const std::size_t counts[] = {s.critical, s.high, s.medium, s.low};
  for (int i = 0; i < 4; ++i)
    out += fmt::format("<div class=\"card {0}\"><div class=\"n\">{1}</div><div class=\"l\">{0}</div></div>\n",
                       kSeverities[i], counts[i]);
  if (r.has_baseline) {
    out += fmt::format("<div class=\"card\"><div class=\"n\">{}</div><div class=\"l\">new</div></div>\n", s.new_);
    out += fmt::format("<div class=\"card\"><div class=\"n\">{}</div><div class=\"l\">resolved</div></div>\n", s.resolved);
  }
  if (s.suppressed)
    out += fmt::format("<div class=\"card\"><div class=\"n\">{}</div><div class=\"l\">suppressed</div></div>\n",
                       s.suppressed);
  out += "</div>\n";

  // Findings per check (for the table and the filter), in report order.
  std::map<std::string, std::pair<std::string, std::size_t>> per_check;  // check -> (severity, count)
  std::vector<std::string> check_order;
  for (const auto& rf : r.findings) {
    auto [it, inserted] = per_check.try_emplace(rf.finding.check, checks::to_string(rf.finding.severity), 0);
    if (inserted) check_order.push_back(rf.finding.check);
    ++it->second.second;
  }
  if (!r.findings.empty()) {
    out += "<table class=\"checks\"><thead><tr><th>severity</th><th>check</th><th>findings</th></tr></thead><tbody>\n";
    for (const auto& c : check_order)
      out += fmt::format("<tr><td><span class=\"sev {0}\">{0}</span></td><td><code>{1}</code></td><td>{2}</td></tr>\n",
                         esc(per_check[c].first), esc(c), per_check[c].second);
    out += "</tbody></table>\n";
  }

  // Findings.
  out += "<h2 id=\"findings\">Findings</h2>\n";
  if (r.findings.empty()) {
    out += "<p class=\"empty\">No findings.</p>\n";
  } else {
    out += "<div class=\"filters\">";
    for (const char* sev : kSeverities)
      out += fmt::format("<label><input type=\"checkbox\" data-sev=\"{0}\" checked> <span class=\"sev {0}\">{0}</span>"
                         "</label>",
                         sev);
    out += "<select id=\"check\" aria-label=\"check\"><option value=\"\">all checks</option>";
    std::vector<std::string> sorted_checks = check_order;
    std::sort(sorted_checks.begin(), sorted_checks.end());
    for (const auto& c : sorted_checks) out += fmt::format("<option value=\"{0}\">{0}</option>", esc(c));
    out += "</select><input id=\"q\" type=\"search\" placeholder=\"Filter: resource, principal, text…\" "
           "aria-label=\"filter\"><button id=\"expand\" type=\"button\">Expand all</button>"
           "<button id=\"collapse\" type=\"button\">Collapse all</button><span id=\"shown\"></span></div>\n";
    std::string sev_open, check_open;
    for (const auto& rf : r.findings) {
      const auto& f = rf.finding;
      std::string sev = checks::to_string(f.severity);
      if (sev != sev_open) {
        if (!check_open.empty()) out += "</section>\n";
        if (!sev_open.empty()) out += "</section>\n";
        sev_open = sev;
        check_open.clear();
        out += fmt::format("<section class=\"group sev-group\"><h2 class=\"sevh\"><span class=\"sev {0}\">{0}</span></h2>\n",
                           esc(sev));
      }
      if (f.check != check_open) {
        if (!check_open.empty()) out += "</section>\n";
        check_open = f.check;
        out += fmt::format("<section class=\"group\"><h3><code>{}</code></h3>\n", esc(f.check));
      }
      const std::string subject = f.principal ? *f.principal : f.resource;
      out += fmt::format("<details class=\"finding {0}\" id=\"{1}\" data-severity=\"{0}\" data-check=\"{2}\" open>\n",
                         esc(sev), esc(rf.id), esc(f.check));
      out += fmt::format("<summary><span class=\"sev {}\">{}</span><span class=\"t\">{}</span><span class=\"s\">{}</span>",
                         esc(sev), esc(sev), esc(f.title), esc(subject));
      if (rf.is_new.value_or(false)) out += "<span class=\"tag\">new</span>";
      if (rf.suppressed) out += "<span class=\"tag\">suppressed</span>";
      out += fmt::format("<span class=\"id\">{}</span></summary>\n<div class=\"body\"><dl>\n", esc(rf.id));
      out += fmt::format("<dt>Check</dt><dd><code>{}</code></dd>\n", esc(f.check));
      out += fmt::format("<dt>Resource</dt><dd><code>{}</code></dd>\n", esc(f.resource));
      if (f.principal) out += fmt::format("<dt>Principal</dt><dd><code>{}</code></dd>\n", esc(*f.principal));
      out += fmt::format("<dt>Why</dt><dd>{}</dd>\n", esc(f.detail));
      out += fmt::format("<dt>Fix</dt><dd>{}</dd>\n", esc(f.remediation));
      out += fmt::format("<dt>Where</dt><dd><code>{}</code> {}</dd>\n", esc(f.location.file),
                         f.location.line > 0 ? fmt::format("line {}", f.location.line)
                                             : "<code>" + esc(f.location.pointer) + "</code>");
      if (rf.suppressed)
        out += fmt::format("<dt>Suppressed</dt><dd>{}{}</dd>\n", esc(rf.suppressed->reason),
                           rf.suppressed->expires.empty() ? "" : " (until " + esc(rf.suppressed->expires) + ")");
      out += "</dl>\n";
      Picture pic = evidence_picture(f);
      if (!pic.nodes.empty()) out += "<div class=\"pic\">" + render_picture_svg(pic) + "</div>\n";
      if (!pic.notes.empty()) {
        out += "<ul class=\"notes\">";
        for (const auto& n : pic.notes) out += "<li>" + esc(n) + "</li>";
        out += "</ul>\n";
      }
      out += "<details><summary>Evidence (JSON)</summary><pre>" + esc(json_text(f.evidence)) + "</pre></details>\n";
      out += "</div></details>\n";
    }
    if (!check_open.empty()) out += "</section>\n";
    if (!sev_open.empty()) out += "</section>\n";
  }

  // Inputs.
  out += "<h2 id=\"inputs\">Inputs read</h2>\n<table class=\"inputs\"><tbody>\n";
  for (const auto& [k, v] : r.inputs.items()) {
    if (k == "skipped") continue;
    out += fmt::format("<tr><th>{}</th><td>{}</td></tr>\n", esc(k),
                       v.is_string() ? esc(v.get<std::string>()) : esc(json_text(v)));
  }
  out += "</tbody></table>\n";
  if (r.inputs.contains("skipped") && r.inputs["skipped"].is_array() && !r.inputs["skipped"].empty()) {
    out += "<h3>Skipped (not recognised)</h3><ul>";
    for (const auto& f : r.inputs["skipped"])
      out += "<li><code>" + esc(f.is_string() ? f.get<std::string>() : json_text(f)) + "</code></li>";
    out += "</ul>\n";
  }
  if (!r.notes.empty()) {
    out += "<h3>Notes</h3><ul>";
    for (const auto& n : r.notes) out += "<li>" + esc(n) + "</li>";
    out += "</ul>\n";
  }
  out += fmt::format("<footer>Generated by vpcgate {}. This file is self-contained: it loads nothing from the "
                     "network.</footer>\n</main>\n",
                     esc(r.version));
  out += std::string("<script>") + kScript + "</script>\n</body></html>\n";
  return out;
}

}  // namespace vpcgate::report
