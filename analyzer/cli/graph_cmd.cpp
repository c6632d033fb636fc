#include "analyzer/cli/graph_cmd.hpp"
#include "analyzer/eval/evaluate.hpp"
#include "analyzer/checks/principal_policies.hpp"

#include <algorithm>
#include <iostream>
#include <map>
#include <memory>
#include <tuple>
#include <vector>

#include <fmt/format.h>

#include "analyzer/checks/check.hpp"
#include "analyzer/cli/commands.hpp"
#include "analyzer/cli/scan.hpp"
#include "analyzer/loader/loader.hpp"
#include "analyzer/report/evidence_picture.hpp"
#include "model/terminal_safe.hpp"

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
  // What a vertex carries beyond its id and kind (an endpoint: its service, type and policy).
  std::map<std::string, checks::Json> details;
};

// An endpoint vertex carries its endpoint: service, type and policy (AWS's default full-access
// policy where the input has none).
checks::Json endpoint_details(const model::VpcEndpoint& e) {
  checks::Json d = checks::Json::object();
  d["service"] = e.service_name;
  d["endpoint_type"] = e.type;
  if (e.policy) {
    checks::Json sids = checks::Json::array();
    for (const auto& st : e.policy->statements) sids.push_back(st.sid ? checks::Json(*st.sid) : checks::Json(nullptr));
    d["policy"] = checks::Json{{"default", false}, {"statements", e.policy->statements.size()}, {"sids", sids}};
  } else {
    d["policy"] = checks::Json{{"default", true}, {"statements", 1}, {"sids", checks::Json::array({nullptr})}};
  }
  return d;
}

Rows rows_of(const graph::Graph& g, const std::set<std::string>& only) {
  Rows out;
  const auto& bg = g.boost();
  auto keep = [&](const std::string& id) { return only.empty() || only.count(id) > 0; };
  for (auto [it, end] = boost::vertices(bg); it != end; ++it) {
    const auto& p = bg[*it];
    if (!keep(p.id)) continue;
    out.vertices.emplace_back(p.id, graph::to_string(p.kind));
    if (p.kind == graph::VertexKind::VpcEndpoint && p.model_index < g.account().vpc_endpoints.size())
      out.details[p.id] = endpoint_details(g.account().vpc_endpoints[p.model_index]);
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
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    // Other control characters (and C1 controls) from the input: shown, never sent to a
    // terminal that prints the graph (docs/security.md).
    auto u = static_cast<unsigned char>(c);
    bool c1 = u == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) >= 0x80 &&
              static_cast<unsigned char>(s[i + 1]) <= 0x9F;
    if (u < 0x20 || u == 0x7f || c1) {
      out += "\\" + model::terminal_safe(s.substr(i, c1 ? 2 : 1));
      if (c1) ++i;
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

const char* picture_shape(const std::string& kind) {
  if (kind == "user" || kind == "role" || kind == "group") return "ellipse";
  if (kind == "managed-policy" || kind == "inline-policy" || kind == "scp" || kind == "endpoint-policy") return "note";
  if (kind == "internet" || kind == "outside") return "doubleoctagon";
  if (kind == "missing") return "octagon";
  if (kind == "action") return "box";
  if (kind == "notebook-instance" || kind == "training-job" || kind == "processing-job" || kind == "model" ||
      kind == "domain")
    return "component";
  return "box";
}

// The group through which a principal holds a managed policy (the graph knows the membership).
report::GroupOf group_of(const graph::Graph& g) {
  return [&g](const std::string& principal, const std::string& policy) -> std::optional<std::string> {
    graph::Vertex p;
    if (!g.find(principal, p)) return std::nullopt;
    const auto& bg = g.boost();
    for (auto [it, end] = boost::out_edges(p, bg); it != end; ++it) {
      if (bg[*it].kind != graph::EdgeKind::MemberOf) continue;
      auto grp = boost::target(*it, bg);
      for (auto [jt, jend] = boost::out_edges(grp, bg); jt != jend; ++jt)
        if (bg[*jt].kind == graph::EdgeKind::Attaches && bg[boost::target(*jt, bg)].id == policy) return bg[grp].id;
    }
    return std::nullopt;
  };
}

}  // namespace

std::string render_picture_dot(const report::Picture& p, const std::string& title) {
  std::string out = "digraph finding {\n  rankdir=LR;\n  graph [fontname=\"Helvetica\", fontsize=12, labelloc=t, label=" +
                    dot_quote(title) + "];\n  node [fontname=\"Helvetica\", fontsize=11, style=filled, fillcolor=white];\n"
                    "  edge [fontname=\"Helvetica\", fontsize=10];\n";
  for (std::size_t i = 0; i < p.nodes.size(); ++i) {
    const auto& n = p.nodes[i];
    std::string label = (n.label == n.kind ? n.label : n.kind + "\n" + n.label) + (n.detail.empty() ? "" : "\n" + n.detail);
    out += fmt::format("  n{} [label={}, shape={}, tooltip={}{}];\n", i, dot_quote(label), picture_shape(n.kind),
                       dot_quote(n.id),
                       n.problem ? ", color=\"#c5221f\", penwidth=2, fillcolor=\"#fce8e6\"" : "");
  }
  for (const auto& e : p.edges)
    out += fmt::format("  n{} -> n{} [label={}];\n", e.from, e.to, dot_quote(e.label));
  for (std::size_t i = 0; i < p.notes.size(); ++i) {
    // One line per clause: "Witness request (...):\nkey = value\n...".
    std::string text = p.notes[i];
    if (auto colon = text.find("): "); colon != std::string::npos) text.replace(colon, 3, "):\n");
    for (std::size_t pos; (pos = text.find(", ")) != std::string::npos;) text.replace(pos, 2, "\n");
    out += fmt::format("  note{} [shape=note, label={}, fillcolor=\"#fef7e0\"];\n", i, dot_quote(text));
    if (!p.nodes.empty()) out += fmt::format("  n0 -> note{} [style=dotted, arrowhead=none, constraint=false];\n", i);
  }
  return out + "}\n";
}

std::string render_picture_json(const report::Picture& p, const report::ReportedFinding& rf) {
  checks::Json out = checks::Json::object();
  out["finding"] = checks::Json{{"id", rf.id}, {"check", rf.finding.check},
                                {"severity", checks::to_string(rf.finding.severity)}, {"title", rf.finding.title}};
  out["vertices"] = checks::Json::array();
  for (const auto& n : p.nodes)
    out["vertices"].push_back(
        checks::Json{{"id", n.id}, {"kind", n.kind}, {"label", n.label}, {"detail", n.detail}, {"problem", n.problem}});
  out["edges"] = checks::Json::array();
  for (const auto& e : p.edges)
    out["edges"].push_back(
        checks::Json{{"from", p.nodes[e.from].id}, {"to", p.nodes[e.to].id}, {"kind", e.kind}, {"reason", e.label}});
  out["notes"] = p.notes;
  return out.dump(2, ' ', false, checks::Json::error_handler_t::replace) + "\n";
}

std::string render_graph_dot(const graph::Graph& g, const std::set<std::string>& only) {
  Rows rows = rows_of(g, only);
  std::string out = "digraph vpcgate {\n  rankdir=LR;\n  node [fontname=\"Helvetica\"];\n";
  for (const auto& [id, kind] : rows.vertices) {
    std::string label = id + "\n" + kind;
    if (auto it = rows.details.find(id); it != rows.details.end()) {
      const auto& d = it->second;
      label += "\n" + d["service"].get<std::string>() + " (" + d["endpoint_type"].get<std::string>() + ")";
      label += d["policy"]["default"].get<bool>()
                   ? std::string("\npolicy: default full access")
                   : fmt::format("\npolicy: {} statement(s)", d["policy"]["statements"].get<std::size_t>());
    }
    out += fmt::format("  {} [label={}, shape={}, kind={}];\n", dot_quote(id), dot_quote(label), dot_shape(kind),
                       dot_quote(kind));
  }
  for (const auto& e : rows.edges)
    out += fmt::format("  {} -> {} [label={}, kind={}];\n", dot_quote(e.from), dot_quote(e.to),
                       dot_quote(e.reason.empty() ? e.kind : e.kind + ": " + e.reason), dot_quote(e.kind));
  return out + "}\n";
}

std::string render_graph_json(const graph::Graph& g, const std::set<std::string>& only) {
  Rows rows = rows_of(g, only);
  checks::Json out = checks::Json::object();
  out["vertices"] = checks::Json::array();
  for (const auto& [id, kind] : rows.vertices) {
    checks::Json v = checks::Json{{"id", id}, {"kind", kind}};
    if (auto it = rows.details.find(id); it != rows.details.end())
      for (const auto& [k, val] : it->second.items()) v[k] = val;
    out["vertices"].push_back(std::move(v));
  }
  out["edges"] = checks::Json::array();
  for (const auto& e : rows.edges)
    out["edges"].push_back(checks::Json{{"from", e.from}, {"to", e.to}, {"kind", e.kind}, {"reason", e.reason}});
  return out.dump(2) + "\n";
}

// CanAssume edges: principal -> role where AWS's evaluation allows sts:AssumeRole on the role
// with the role's trust policy as the resource policy and the caller's own policies, boundary
// and SCPs (a trust naming the account root needs the caller's own permission too), in a request
// without further context. Candidates are the principals the trust can name: its exact ARN, its
// account, or a wildcard.
static void add_trust_edges(graph::Graph& g) {
  checks::PrincipalPolicies pp(g);
  for (const auto& role : g.account().roles) {
    std::set<std::string> named;
    bool wildcard = false;
    for (const auto& st : role.trust.statements) {
      if (!st.principal) continue;
      if (st.principal->wildcard) wildcard = true;
      auto it = st.principal->by_type.find("AWS");
      if (it == st.principal->by_type.end()) continue;
      for (const auto& v : it->second) {
        if (v.find('*') != std::string::npos) wildcard = true;
        named.insert(v);
      }
    }
    if (named.empty() && !wildcard) continue;
    for (const auto& p : pp.principals()) {
      if (p.arn == role.arn) continue;
      std::string acct = model::arn_account(p.arn);
      if (!wildcard && !named.count(p.arn) && !named.count(acct) &&
          !named.count("arn:aws:iam::" + acct + ":root"))
        continue;
      eval::Request req;
      req.action = "sts:AssumeRole";
      req.resource = role.arn;
      req.principal_arn = p.arn;
      eval::add_derived_keys(req);
      eval::PolicySet set = p.policies;
      std::string trust_id = role.arn + "#AssumeRolePolicyDocument";
      set.resource = eval::SourcedPolicy{&role.trust, trust_id};
      auto r = eval::evaluate(set, req);
      if (r.decision != eval::Decision::Allowed) continue;
      std::string reason;
      for (const auto& m : r.matched) {
        if (m.type != eval::PolicyType::Resource && m.type != eval::PolicyType::Identity) continue;
        if (!reason.empty()) reason += "; ";
        reason += fmt::format("{} statement {}{} allows sts:AssumeRole",
                              m.type == eval::PolicyType::Resource ? "trust" : m.source_id, m.index,
                              m.sid ? " (Sid " + *m.sid + ")" : "");
      }
      g.add_can_assume(p.arn, role.arn, reason);
    }
  }
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
    add_trust_edges(g);
    if (!opts->finding.empty()) {
      // The finding as `scan` reports it (same options as a plain scan of these paths), drawn
      // from its evidence in walk order: principal -> statement, the assumption chain, the path.
      ScanRequest request;
      request.paths = opts->paths;
      request.today = today_utc();
      ScanResult result = run_scan(request);
      auto it = std::find_if(result.report.findings.begin(), result.report.findings.end(),
                             [&](const auto& rf) { return rf.id == opts->finding; });
      if (it == result.report.findings.end())
        throw UsageError(fmt::format("--finding: no finding {} in this input", opts->finding));
      report::Picture pic = report::evidence_picture(it->finding, group_of(g));
      std::cout << (opts->format == "json"
                        ? render_picture_json(pic, *it)
                        : render_picture_dot(pic, it->finding.check + ": " + it->finding.title));
      std::cout.flush();
      exit_code = 0;
      return;
    }
    std::set<std::string> only;
    std::cout << (opts->format == "json" ? render_graph_json(g, only) : render_graph_dot(g, only));
    std::cout.flush();
    exit_code = 0;
  });
}

}  // namespace vpcgate::cli
