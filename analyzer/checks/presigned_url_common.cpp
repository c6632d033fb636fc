#include "analyzer/checks/presigned_url_common.hpp"

namespace vpcgate::checks {
namespace {

// The IDs, bytewise, at most kListed of them: an organisation's export approves an endpoint per
// account and region, and every finding naming them all would make the report grow with the
// square of the organisation (docs/checks.md, presigned-url-unrestricted).
constexpr std::size_t kListed = 8;

std::string join(const std::set<std::string>& items) {
  std::string out;
  std::size_t n = 0;
  for (const auto& s : items) {
    if (n == kListed) {
      out += " and " + std::to_string(items.size() - kListed) + " more";
      break;
    }
    out += (out.empty() ? "" : ", ") + s;
    ++n;
  }
  return out;
}

const presigned::KeyValue* witness_value(const presigned::Answer& a, const std::string& key) {
  for (const auto& [k, v] : a.witness)
    if (k == key) return &v;
  return nullptr;
}

}  // namespace

std::string approved_list(const presigned::PresignedAnalysis& analysis) {
  const auto& o = analysis.options();
  std::string out = "approved endpoints: " + (o.approved_vpces.empty() ? std::string("none") : join(o.approved_vpces));
  out += "; approved VPCs: " + (o.approved_vpcs.empty() ? std::string("none") : join(o.approved_vpcs));
  return out;
}

std::string describe_request(const presigned::Answer& answer) {
  const auto* vpce = witness_value(answer, "aws:SourceVpce");
  const auto* vpc = witness_value(answer, "aws:SourceVpc");
  std::string out;
  if (vpce && *vpce && !(*vpce)->empty()) {
    out = "a request through VPC endpoint " + (*vpce)->front();
    if (vpc && *vpc && !(*vpc)->empty()) out += " in " + (*vpc)->front();
  } else {
    out = "a request that does not come through any VPC endpoint (e.g. from the internet)";
  }
  std::string others;
  for (const auto& [k, v] : answer.witness) {
    if (k == "aws:SourceVpce" || k == "aws:SourceVpc") continue;
    others += others.empty() ? "" : ", ";
    if (!v) {
      others += k + " absent";
    } else {
      std::string vals;
      for (const auto& s : *v) vals += (vals.empty() ? "" : ",") + s;
      others += k + " = " + (v->empty() ? std::string("[]") : vals);
    }
  }
  if (!others.empty()) out += " with " + others;
  return out;
}

std::string presigned_detail(const presigned::PresignedAnalysis& analysis, const presigned::Verdict& v) {
  const auto& p = *v.principal;
  std::string who = std::string(p.is_user ? "User " : "Role ") + p.arn;
  std::string out;
  if (v.outcome == presigned::Outcome::Incomplete) {
    out = who + ": the decision whether it can call " + std::string(presigned::kAction) +
          " from outside the approved network was not completed (the exact search exceeded its budget of " +
          std::to_string(analysis.options().search_budget) +
          " concrete evaluations, or its witness did not re-evaluate); it is reported as unrestricted (fail closed). ";
  } else {
    std::string where;
    if (analysis.has_notebooks()) {
      where = "on " + std::to_string(v.notebooks.size()) + " notebook instance" + (v.notebooks.size() == 1 ? "" : "s");
    } else {
      where = "on notebook instances (the input holds none, so any notebook of its account counts)";
    }
    out = who + " can call " + std::string(presigned::kAction) + " " + where + " in " + describe_request(v.answer) +
          ", which comes neither through an approved VPC endpoint nor from an approved VPC (" + approved_list(analysis) +
          "). ";
    if (!v.answer.statements.empty())
      out += "The request is allowed by " + presigned::describe_statements(v.answer.statements) + ". ";
    out += "No Deny statement of its identity policies";
    if (p.policies.boundary) out += ", permissions boundary";
    if (!p.policies.scp_levels.empty()) out += " or SCPs";
    out += " stops it";
    if (p.policies.boundary) out += ", and the permissions boundary " + p.policies.boundary->source_id + " allows it";
    out += ".";
    if (!v.answer.witness_minimal)
      out += " (The witness search ran out of budget: the witness is valid but not the smallest.)";
  }
  if (!p.missing.empty()) {
    std::string m;
    for (const auto& s : p.missing) m += (m.empty() ? "" : ", ") + s;
    out += " Not in the input and taken as Allow * on * (worst case): " + m + ".";
  }
  return out;
}

std::string presigned_remediation(const presigned::PresignedAnalysis& analysis) {
  std::string ids = analysis.options().approved_vpces.empty()
                        ? std::string("the approved sagemaker.api endpoints")
                        : join(analysis.options().approved_vpces);
  return "Allow sagemaker:CreatePresignedNotebookInstanceUrl only under a StringEquals aws:SourceVpce condition "
         "naming " + ids +
         ", and add an explicit Deny of it with StringNotEquals aws:SourceVpce (no IfExists) in the principal's "
         "policies, its permissions boundary or an SCP; remove or narrow the Allow statements named in the detail.";
}

}  // namespace vpcgate::checks
