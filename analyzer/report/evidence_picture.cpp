#include "analyzer/report/evidence_picture.hpp"
#include "analyzer/report/report.hpp"
#include "model/terminal_safe.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>

namespace vpcgate::report {
namespace {

using checks::Json;

std::string str_or(const Json& j, const char* key, const std::string& fallback = "") {
  if (j.is_object() && j.contains(key) && j[key].is_string()) return j[key].get<std::string>();
  return fallback;
}

std::string kind_of(const std::string& id) {
  if (id.find('#') != std::string::npos) return "inline-policy";
  const std::string s = arn_short(id);
  auto starts = [&](const char* p) { return s.rfind(p, 0) == 0; };
  if (starts("user/")) return "user";
  if (starts("role/")) return "role";
  if (starts("group/")) return "group";
  if (starts("policy/")) return id.rfind("arn:aws:organizations:", 0) == 0 ? "scp" : "managed-policy";
  if (starts("notebook-instance/")) return "notebook-instance";
  if (starts("training-job/")) return "training-job";
  if (starts("processing-job/")) return "processing-job";
  if (starts("model/")) return "model";
  if (starts("domain/")) return "domain";
  if (starts("vpc-")) return "vpc";
  if (starts("vpce-")) return "vpc-endpoint";
  if (starts("subnet-")) return "subnet";
  if (starts("rtb-")) return "route-table";
  if (starts("sg-")) return "security-group";
  if (starts("acl-")) return "network-acl";
  if (starts("nat-")) return "nat-gateway";
  if (starts("igw-")) return "internet-gateway";
  if (starts("eigw-")) return "egress-only-internet-gateway";
  return "subject";
}

// A policy's short name: "AnalyticsNotebooks" for OWNER#AnalyticsNotebooks, the last path
// segment of a managed policy ARN.
std::string policy_name(const std::string& id) {
  auto hash = id.find('#');
  if (hash != std::string::npos) return id.substr(hash + 1);
  auto slash = id.rfind('/');
  return slash == std::string::npos ? id : id.substr(slash + 1);
}

std::string statement_detail(const Json& st) {
  std::string idx = st.contains("index") && st["index"].is_number_integer()
                        ? fmt::format("statement {}", st["index"].get<long long>())
                        : "statement";
  if (st.contains("sid") && st["sid"].is_string()) return fmt::format("Sid {} · {}", st["sid"].get<std::string>(), idx);
  return idx;
}

std::string witness_note(const Json& w,
                         const char* intro = "Witness request (allowed; not through an approved endpoint or VPC): ") {
  if (!w.is_object() || w.empty()) return "";
  std::string out = intro;
  bool first = true;
  for (const auto& [k, v] : w.items()) {
    if (!first) out += ", ";
    first = false;
    if (v.is_null()) out += k + " absent";
    else if (v.is_string()) out += k + " = " + v.get<std::string>();
    else out += k + " = " + v.dump(-1, ' ', false, Json::error_handler_t::replace);
  }
  return out;
}

class Builder {
 public:
  std::size_t node(const std::string& id, const std::string& kind, const std::string& label,
                   const std::string& detail = "", bool problem = false) {
    auto it = index_.find(id);
    if (it != index_.end()) {
      auto& n = p_.nodes[it->second];
      if (problem) n.problem = true;
      // Several statements of one policy: one node naming them all.
      if (!detail.empty() && n.detail != detail && n.detail.find(detail) == std::string::npos)
        n.detail = n.detail.empty() ? detail : n.detail + "; " + detail;
      return it->second;
    }
    p_.nodes.push_back({id, kind, label, detail, problem});
    index_[id] = p_.nodes.size() - 1;
    return p_.nodes.size() - 1;
  }
  std::size_t subject(const std::string& id, bool problem = false, const std::string& detail = "") {
    return node(id, kind_of(id), arn_short(id), detail, problem);
  }
  void edge(std::size_t from, std::size_t to, const std::string& kind, const std::string& label = "") {
    for (const auto& e : p_.edges)
      if (e.from == from && e.to == to && e.kind == kind) return;
    p_.edges.push_back({from, to, kind, label});
  }
  void note(const std::string& n) {
    if (!n.empty()) p_.notes.push_back(n);
  }
  Picture take() { return std::move(p_); }

 private:
  Picture p_;
  std::map<std::string, std::size_t> index_;
};

// principal -> [group ->] policy (statement) for every statement of the evidence; returns the
// policy nodes.
std::vector<std::size_t> grants(Builder& b, std::size_t principal_node, const std::string& principal,
                                const Json& statements, const GroupOf& group_of) {
  std::vector<std::size_t> out;
  if (!statements.is_array()) return out;
  for (const auto& st : statements) {
    std::string policy = str_or(st, "policy");
    if (policy.empty()) continue;
    // Walk order: the principal, then the group (if any), then the policy and its statement.
    auto policy_node = [&] { return b.node(policy, kind_of(policy), policy_name(policy), statement_detail(st)); };
    auto hash = policy.find('#');
    std::size_t pol;
    if (hash != std::string::npos) {
      std::string owner = policy.substr(0, hash);
      if (owner == principal) {
        pol = policy_node();
        b.edge(principal_node, pol, "inline", "inline policy");
      } else {
        std::size_t o = b.subject(owner);
        b.edge(principal_node, o, kind_of(owner) == "group" ? "member-of" : "via", "member of");
        pol = policy_node();
        b.edge(o, pol, "inline", "inline policy");
      }
    } else if (auto group = group_of ? group_of(principal, policy) : std::nullopt) {
      std::size_t g = b.subject(*group);
      b.edge(principal_node, g, "member-of", "member of");
      pol = policy_node();
      b.edge(g, pol, "attaches", "attaches");
    } else {
      pol = policy_node();
      b.edge(principal_node, pol, "attaches", kind_of(policy) == "scp" ? "applies" : "attaches");
    }
    out.push_back(pol);
  }
  return out;
}

void presign_target(Builder& b, const std::vector<std::size_t>& policies, const Json& notebooks) {
  std::size_t action = b.node("action:sagemaker:CreatePresignedNotebookInstanceUrl", "action", "presigned notebook URL",
                              "sagemaker:CreatePresignedNotebookInstanceUrl", true);
  for (auto pol : policies) b.edge(pol, action, "allows", "allows");
  if (!notebooks.is_array()) return;
  for (const auto& nb : notebooks) {
    if (!nb.is_string()) continue;
    std::string arn = nb.get<std::string>();
    std::size_t n = arn == "*" ? b.node("*", "notebook-instance", "any notebook instance", "*") : b.subject(arn);
    b.edge(action, n, "on", "");
  }
}

void egress(Builder& b, const checks::Finding& f) {
  std::size_t prev = b.subject(f.resource, true);
  std::string prev_kind = kind_of(f.resource);
  std::string route;
  const Json& path = f.evidence["path"];
  std::size_t i = 0;
  for (const auto& hop : path) {
    std::string kind = str_or(hop, "kind", "hop");
    bool assumed = !hop.contains("id") || !hop["id"].is_string();
    std::string id = assumed ? fmt::format("{}:assumed-default:{}", kind, i) : hop["id"].get<std::string>();
    std::string detail;
    if (hop.contains("rule") && !hop["rule"].is_null())
      detail = "rule " + hop["rule"].dump(-1, ' ', false, Json::error_handler_t::replace);
    if (hop.contains("route") && hop["route"].is_string()) detail = "route " + hop["route"].get<std::string>();
    if (assumed) detail = detail.empty() ? "default, assumed" : "default, assumed · " + detail;
    std::size_t n = b.node(id, kind, assumed ? "(default " + kind + ")" : id, detail);
    std::string label;
    if (prev_kind == "route-table") label = route;
    else if (kind == "subnet") label = i == 0 ? "in" : "in subnet";
    else if (kind == "security-group") label = "egress";
    else if (kind == "network-acl") label = "out";
    else if (kind == "route-table") label = "routed by";
    b.edge(prev, n, prev_kind == "route-table" ? "routes-to" : "path", label);
    if (hop.contains("route") && hop["route"].is_string()) route = hop["route"].get<std::string>();
    prev = n;
    prev_kind = kind;
    ++i;
  }
  if (prev_kind == "internet-gateway" || prev_kind == "egress-only-internet-gateway") {
    std::size_t inet = b.node("internet", "internet", "internet", "", true);
    b.edge(prev, inet, "path", "");
  }
}

}  // namespace

std::string arn_short(const std::string& arn) {
  if (arn.rfind("arn:", 0) != 0) return arn;
  std::size_t pos = 0;
  for (int colons = 0; colons < 5; ++colons) {
    pos = arn.find(':', pos);
    if (pos == std::string::npos) return arn;
    ++pos;
  }
  return arn.substr(pos);
}

Picture evidence_picture(const checks::Finding& f, const GroupOf& group_of) {
  Builder b;
  const Json& ev = f.evidence;
  const std::string& c = f.check;
  if (c == "internet-egress-path" && ev.contains("path") && ev["path"].is_array()) {
    egress(b, f);
  } else if ((c == "presigned-url-unrestricted" || c == "presigned-url-escalation") && f.principal) {
    std::size_t who = b.subject(*f.principal, true);
    std::string last = *f.principal;
    std::size_t last_node = who;
    if (ev.contains("chain") && ev["chain"].is_array()) {
      for (const auto& step : ev["chain"]) {
        std::string from = str_or(step, "from", last), to = str_or(step, "to");
        if (to.empty()) continue;
        std::size_t a = b.subject(from), t = b.subject(to);
        std::string label = str_or(step, "via");
        if (step.contains("statement") && step["statement"].is_object()) {
          const auto& st = step["statement"];
          std::string sid = str_or(st, "sid");
          if (!sid.empty()) label += " (Sid " + sid + ")";
        }
        b.edge(a, t, "can-assume", label);
        last = to;
        last_node = t;
      }
    }
    auto policies = grants(b, last_node, last, ev.value("statements", Json::array()), group_of);
    presign_target(b, policies, ev.value("notebooks", Json::array()));
    b.note(witness_note(ev.value("witness", Json::object())));
  } else if (c == "vpc-endpoint-policy-open") {
    std::size_t ep = b.subject(f.resource, true, str_or(ev, "service"));
    auto outside = [&b] { return b.node("outside", "outside", "another account", "principal or resource outside", true); };
    if (ev.contains("statements") && ev["statements"].is_array() && !ev["statements"].empty()) {
      for (const auto& st : ev["statements"]) {
        std::size_t pol = b.node(f.resource + "#policy", "endpoint-policy", "endpoint policy", statement_detail(st));
        b.edge(ep, pol, "policy", "policy");
        b.edge(pol, outside(), "allows", "allows");
      }
    } else {
      b.edge(ep, outside(), "allows", "default policy allows");
    }
    b.note(witness_note(ev.value("witness", Json::object()), "Witness request (from outside; the endpoint policy allows it): "));
  } else if (c == "presigned-url-condition-dangling") {
    std::size_t pol = b.subject(f.resource, true);
    for (const auto& v : ev.value("values", Json::array()))
      if (v.is_string()) b.edge(pol, b.node(v.get<std::string>(), "missing", v.get<std::string>(), "not in the export", true),
                                "condition", "condition names");
  } else if (c == "export-incomplete-iam" || c == "export-incomplete-network") {
    std::size_t missing = b.node(f.resource, "missing", arn_short(f.resource), "not in the input", true);
    for (const auto& r : ev.value("referenced_by", Json::array()))
      if (r.is_string()) b.edge(b.subject(r.get<std::string>()), missing, "references", "references");
  } else if (c == "vpc-endpoint-missing") {
    std::size_t vpc = b.subject(f.resource, true);
    std::string svc = str_or(ev, "service");
    std::size_t m = b.node("service:" + svc, "missing", svc, "no interface endpoint", true);
    b.edge(vpc, m, "lacks", "lacks endpoint");
  } else if (c.size() > 10 && (c.find("not-in-vpc") != std::string::npos || c == "notebook-direct-internet-access" ||
                               c == "domain-public-internet")) {
    std::size_t r = b.subject(f.resource, true);
    std::size_t inet = b.node("internet", "internet", "internet", "through SageMaker's network", true);
    b.edge(r, inet, "path", c == "domain-public-internet" ? "PublicInternetOnly" : "direct");
  } else if (c.find("network-isolation-disabled") != std::string::npos) {
    std::size_t r = b.subject(f.resource, true);
    std::size_t out = b.node("outbound", "internet", "outbound calls", "containers not isolated", true);
    b.edge(r, out, "path", "may call out");
  } else {
    std::size_t r = b.subject(f.principal ? *f.principal : f.resource, true);
    for (const auto& [k, v] : ev.items()) {
      if (!v.is_array()) continue;
      for (const auto& x : v)
        if (x.is_string()) b.edge(r, b.subject(x.get<std::string>()), k, k);
    }
  }
  return b.take();
}

// ---- SVG --------------------------------------------------------------------------------------

namespace {

std::string xml(const std::string& raw) { return markup_safe(raw, /*keep_line_breaks=*/false); }

// At most `n` characters (UTF-8 code points), with an ellipsis when cut.
std::string fit(const std::string& s, std::size_t n) {
  std::size_t chars = 0, i = 0;
  while (i < s.size()) {
    unsigned char ch = static_cast<unsigned char>(s[i]);
    std::size_t len = ch < 0x80 ? 1 : (ch >> 5) == 6 ? 2 : (ch >> 4) == 14 ? 3 : (ch >> 3) == 30 ? 4 : 1;
    if (chars == n - 1 && i + len < s.size()) return s.substr(0, i) + "\xE2\x80\xA6";
    i += len;
    ++chars;
  }
  return s;
}

struct Style {
  const char* fill;
  const char* stroke;
  const char* tag;  // small caption above the label
};

Style style_of(const std::string& kind) {
  if (kind == "user" || kind == "role" || kind == "group") return {"#e8f0fe", "#3367d6", "principal"};
  if (kind == "managed-policy" || kind == "inline-policy" || kind == "scp" || kind == "endpoint-policy")
    return {"#fef7e0", "#b06000", "policy"};
  if (kind == "notebook-instance" || kind == "training-job" || kind == "processing-job" || kind == "model" ||
      kind == "domain")
    return {"#f3e8fd", "#8430ce", "sagemaker"};
  if (kind == "internet" || kind == "outside") return {"#fce8e6", "#c5221f", "exposure"};
  if (kind == "missing") return {"#fff", "#c5221f", "missing"};
  if (kind == "action") return {"#fce8e6", "#c5221f", "action"};
  return {"#e6f4ea", "#137333", "network"};
}

// The caption already names the kind: "notebook-instance/nb1" is drawn as "nb1" under it.
std::string shown_label(const PictureNode& n) {
  const std::string prefix = n.kind + "/";
  if (n.label.size() > prefix.size() && n.label.compare(0, prefix.size(), prefix) == 0)
    return n.label.substr(prefix.size());
  return n.label;
}

}  // namespace

std::string render_picture_svg(const Picture& p) {
  const std::size_t n = p.nodes.size();
  // Columns: the longest chain of arrows leading to a node (arrows in walk order point forward).
  std::vector<std::size_t> col(n, 0);
  for (std::size_t round = 0; round < n; ++round) {
    bool changed = false;
    for (const auto& e : p.edges)
      if (e.from < n && e.to < n && col[e.to] < col[e.from] + 1 && col[e.from] + 1 < n) {
        col[e.to] = col[e.from] + 1;
        changed = true;
      }
    if (!changed) break;
  }
  std::vector<std::size_t> row(n, 0);
  std::map<std::size_t, std::size_t> per_col;
  for (std::size_t i = 0; i < n; ++i) row[i] = per_col[col[i]]++;
  std::size_t cols = 0, rows = 0;
  for (std::size_t i = 0; i < n; ++i) {
    cols = std::max(cols, col[i] + 1);
    rows = std::max(rows, row[i] + 1);
  }
  const int w = 224, h = 56, gx = 92, gy = 22, pad = 12;
  auto x_of = [&](std::size_t i) { return pad + static_cast<int>(col[i]) * (w + gx); };
  auto y_of = [&](std::size_t i) { return pad + static_cast<int>(row[i]) * (h + gy); };
  const int width = pad * 2 + static_cast<int>(cols) * (w + gx) - gx;
  const int height = pad * 2 + static_cast<int>(rows) * (h + gy) - gy;
  std::string out = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"path\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" "
      "role=\"img\" font-family=\"system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif\">\n",
      std::max(width, 1), std::max(height, 1));
  for (const auto& e : p.edges) {
    if (e.from >= n || e.to >= n) continue;
    int x1 = x_of(e.from) + w, y1 = y_of(e.from) + h / 2;
    int x2 = x_of(e.to) - 2, y2 = y_of(e.to) + h / 2;
    int mx = (x1 + x2) / 2;
    out += fmt::format("<path d=\"M{} {} C{} {} {} {} {} {}\" fill=\"none\" stroke=\"#5f6368\" stroke-width=\"1.4\"/>",
                       x1, y1, mx, y1, mx, y2, x2 - 6, y2);
    out += fmt::format("<polygon points=\"{},{} {},{} {},{}\" fill=\"#5f6368\"/>", x2, y2, x2 - 8, y2 - 4, x2 - 8,
                       y2 + 4);
    if (!e.label.empty()) {
      int lx = mx, ly = (y1 + y2) / 2 - 5;
      out += fmt::format(
          "<text x=\"{}\" y=\"{}\" font-size=\"10\" text-anchor=\"middle\" fill=\"#3c4043\" stroke=\"#fff\" "
          "stroke-width=\"3\" paint-order=\"stroke\">{}<title>{}</title></text>",
          lx, ly, xml(fit(e.label, 15)), xml(e.label));
    }
    out += "\n";
  }
  for (std::size_t i = 0; i < n; ++i) {
    const auto& node = p.nodes[i];
    Style s = style_of(node.kind);
    int x = x_of(i), y = y_of(i);
    out += fmt::format("<g><title>{}</title>", xml(node.kind + ": " + node.id + (node.detail.empty() ? "" : "\n" + node.detail)));
    out += fmt::format(
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"7\" fill=\"{}\" stroke=\"{}\" stroke-width=\"{}\"{}/>",
        x, y, w, h, s.fill, node.problem ? "#c5221f" : s.stroke, node.problem ? "2.4" : "1.2",
        node.kind == "missing" ? " stroke-dasharray=\"5 3\"" : "");
    out += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"9.5\" fill=\"{}\" letter-spacing=\".4\">{}</text>", x + 9,
                       y + 14, s.stroke, xml(fit(node.kind, 30)));
    out += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"12.5\" font-weight=\"600\" fill=\"#202124\">{}</text>",
                       x + 9, y + 31, xml(fit(shown_label(node), 28)));
    if (!node.detail.empty())
      out += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"10.5\" fill=\"#5f6368\">{}</text>", x + 9, y + 46,
                         xml(fit(node.detail, 36)));
    out += "</g>\n";
  }
  out += "</svg>";
  return out;
}

}  // namespace vpcgate::report
