#include "analyzer/cli/graph_cmd.hpp"

#include <algorithm>
#include <iostream>
#include <memory>
#include <tuple>
#include <vector>

#include <fmt/format.h>

#include "analyzer/checks/check.hpp"
#include "analyzer/cli/commands.hpp"
#include "analyzer/cli/scan.hpp"
#include "analyzer/loader/loader.hpp"

namespace vpcgate::cli {

namespace {

struct EdgeRow {
  std::string from, to, kind, reason;
  bool operator<(const EdgeRow& o) const {
    return std::tie(from, to, kind, reason) < std::tie(o.from, o.to, o.kind, o.reason);
  }
};

struct Rows {
  std::vector<std::pair<std::string, std::string>> vertices;  // id, kind
  std::vector<EdgeRow> edges;
};

Rows rows_of(const graph::Graph& g, const std::set<std::string>& only) {
  Rows out;
  const auto& bg = g.boost();
  auto keep = [&](const std::string& id) { return only.empty() || only.count(id) > 0; };
  for (auto [it, end] = boost::vertices(bg); it != end; ++it) {
    const auto& p = bg[*it];
    if (keep(p.id)) out.vertices.emplace_back(p.id, graph::to_string(p.kind));
  }
  for (auto [it, end] = boost::edges(bg); it != end; ++it) {
    const auto& from = bg[boost::source(*it, bg)].id;
    const auto& to = bg[boost::target(*it, bg)].id;
    if (!keep(from) || !keep(to)) continue;
    out.edges.push_back({from, to, graph::to_string(bg[*it].kind), bg[*it].reason});
  }
  std::sort(out.vertices.begin(), out.vertices.end());
  std::sort(out.edges.begin(), out.edges.end());
  return out;
}

std::string dot_quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

const char* dot_shape(const std::string& kind) {
  if (kind == "user" || kind == "role" || kind == "group") return "ellipse";
  if (kind == "managed-policy" || kind == "inline-policy" || kind == "scp") return "note";
  if (kind == "notebook-instance" || kind == "training-job" || kind == "processing-job" || kind == "model" ||
      kind == "domain")
    return "component";
  if (kind == "missing") return "octagon";
  return "box";
}

// Every string inside a finding's evidence (path hop IDs, referenced_by, notebooks, policies of
// statements, chain ends): the subjects the evidence names.
void strings_in(const checks::Json& j, std::set<std::string>& out) {
  if (j.is_string()) out.insert(j.get<std::string>());
  else if (j.is_array() || j.is_object())
    for (const auto& x : j) strings_in(x, out);
}

}  // namespace

std::string render_graph_dot(const graph::Graph& g, const std::set<std::string>& only) {
  Rows rows = rows_of(g, only);
  std::string out = "digraph vpcgate {\n  rankdir=LR;\n  node [fontname=\"Helvetica\"];\n";
  for (const auto& [id, kind] : rows.vertices)
    out += fmt::format("  {} [label={}, shape={}, kind={}];\n", dot_quote(id), dot_quote(id + "\n" + kind),
                       dot_shape(kind), dot_quote(kind));
  for (const auto& e : rows.edges)
    out += fmt::format("  {} -> {} [label={}, kind={}];\n", dot_quote(e.from), dot_quote(e.to),
                       dot_quote(e.reason.empty() ? e.kind : e.kind + ": " + e.reason), dot_quote(e.kind));
  return out + "}\n";
}

std::string render_graph_json(const graph::Graph& g, const std::set<std::string>& only) {
  Rows rows = rows_of(g, only);
  checks::Json out = checks::Json::object();
  out["vertices"] = checks::Json::array();
  for (const auto& [id, kind] : rows.vertices) out["vertices"].push_back(checks::Json{{"id", id}, {"kind", kind}});
  out["edges"] = checks::Json::array();
  for (const auto& e : rows.edges)
    out["edges"].push_back(checks::Json{{"from", e.from}, {"to", e.to}, {"kind", e.kind}, {"reason", e.reason}});
  return out.dump(2) + "\n";
}

void register_graph(CLI::App& app, int& exit_code) {
  struct Options {
    std::vector<std::string> paths;
    std::string format = "dot";
    std::string finding;
  };
  auto opts = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("graph", "Print the loaded graph (principals, policies, network, SageMaker resources)");
  cmd->add_option("paths", opts->paths, "Files and directories to read")->required();
  cmd->add_option("--format", opts->format, "dot or json")->check(CLI::IsMember({"dot", "json"}));
  cmd->add_option("--finding", opts->finding, "Only the evidence of this finding (its id, vg-...)");
  cmd->callback([opts, &exit_code] {
    model::Account account = loader::load(opts->paths);
    graph::Graph g(account);
    std::set<std::string> only;
    if (!opts->finding.empty()) {
      // The finding as `scan` reports it (same options as a plain scan of these paths).
      ScanRequest request;
      request.paths = opts->paths;
      request.today = today_utc();
      ScanResult result = run_scan(request);
      auto it = std::find_if(result.report.findings.begin(), result.report.findings.end(),
                             [&](const auto& rf) { return rf.id == opts->finding; });
      if (it == result.report.findings.end())
        throw UsageError(fmt::format("--finding: no finding {} in this input", opts->finding));
      const auto& f = it->finding;
      only.insert(f.resource);
      if (f.principal) only.insert(*f.principal);
      strings_in(f.evidence, only);
      // A subject the graph does not hold (a null hop, a witness value) adds nothing.
      std::set<std::string> held;
      for (const auto& id : only) {
        graph::Vertex v;
        if (g.find(id, v)) held.insert(id);
      }
      only = std::move(held);
      if (only.empty()) only.insert(f.resource);  // print an empty graph rather than all of it
    }
    std::cout << (opts->format == "json" ? render_graph_json(g, only) : render_graph_dot(g, only));
    std::cout.flush();
    exit_code = 0;
  });
}

}  // namespace vpcgate::cli
