#include "analyzer/checks/presigned_url_condition_dangling.hpp"

#include <map>
#include <set>

#include "analyzer/checks/presigned_analysis.hpp"
#include "analyzer/eval/evaluate.hpp"

namespace vpcgate::checks {
namespace {

using model::ConditionOperator;

// Operators whose operands are endpoint or VPC IDs (or patterns of them).
bool id_operator(ConditionOperator op) {
  switch (op) {
    case ConditionOperator::StringEquals: case ConditionOperator::StringNotEquals:
    case ConditionOperator::StringEqualsIgnoreCase: case ConditionOperator::StringNotEqualsIgnoreCase:
    case ConditionOperator::StringLike: case ConditionOperator::StringNotLike:
    case ConditionOperator::ArnEquals: case ConditionOperator::ArnLike:
    case ConditionOperator::ArnNotEquals: case ConditionOperator::ArnNotLike:
      return true;
    default:
      return false;
  }
}

// com.amazonaws.<region>.sagemaker.api (and its FIPS variant): the service that carries
// CreatePresignedNotebookInstanceUrl.
bool sagemaker_api(const std::string& service) {
  auto ends = [&](const std::string& suffix) {
    return service.size() >= suffix.size() && service.compare(service.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  return service.rfind("com.amazonaws.", 0) == 0 && (ends(".sagemaker.api") || ends(".sagemaker.api-fips"));
}

struct Known {
  std::map<std::string, std::string> endpoints;        // id -> service name
  std::map<std::string, std::string> endpoints_lower;  // lower-cased id -> service name
  std::set<std::string> vpcs, vpcs_lower;
};

bool ignore_case_op(ConditionOperator op) {
  return op == ConditionOperator::StringEqualsIgnoreCase || op == ConditionOperator::StringNotEqualsIgnoreCase;
}

// Why a value dangles ("" when it does not). IDs are lower case; only an IgnoreCase operator
// lets another spelling name them.
std::string dangles(const std::string& key_lower, const std::string& value, bool ignore_case, const Known& k) {
  if (value.find_first_of("*?") != std::string::npos) return "";  // wildcards are not dangling
  if (value.find("${") != std::string::npos) return "";           // policy variables
  std::string v = ignore_case ? eval::ascii_lower(value) : value;
  if (key_lower == "aws:sourcevpce") {
    const auto& m = ignore_case ? k.endpoints_lower : k.endpoints;
    auto it = m.find(v);
    if (it == m.end()) return "endpoint not in the export";
    if (!sagemaker_api(it->second)) return "endpoint of another service (" + it->second + ")";
    return "";
  }
  if (!(ignore_case ? k.vpcs_lower : k.vpcs).count(v)) return "VPC not in the export";
  return "";
}

}  // namespace

// One finding per policy whose statements covering CreatePresignedNotebookInstanceUrl compare
// aws:SourceVpce / aws:SourceVpc with an endpoint or VPC that the export does not hold, or with
// an endpoint of another service than sagemaker.api. Statements that cannot cover the action
// are left out: an s3 statement naming the S3 gateway endpoint is right, not dangling.
void PresignedUrlConditionDangling::run(const CheckContext& ctx, FindingSink& sink) const {
  const auto& a = ctx.account();
  Known known;
  for (const auto& e : a.vpc_endpoints) {
    known.endpoints[e.id] = e.service_name;
    known.endpoints_lower[eval::ascii_lower(e.id)] = e.service_name;
    if (!e.vpc_id.empty()) known.vpcs.insert(e.vpc_id);
  }
  for (const auto& v : a.vpcs) known.vpcs.insert(v.id);
  for (const auto& s : a.subnets)
    if (!s.vpc_id.empty()) known.vpcs.insert(s.vpc_id);
  for (const auto& v : known.vpcs) known.vpcs_lower.insert(eval::ascii_lower(v));

  const CheckInfo ci = info();
  auto check_policy = [&](const std::string& id, const model::PolicyDocument& doc, const model::SourceLoc& loc) {
    std::map<std::string, std::string> values;  // value -> why
    std::set<std::string> where;
    for (const auto& st : doc.statements) {
      if (!eval::action_matches(st, presigned::kAction)) continue;
      for (const auto& c : st.conditions) {
        std::string key = eval::ascii_lower(c.key);
        if (key != "aws:sourcevpce" && key != "aws:sourcevpc") continue;
        if (!id_operator(c.op)) continue;
        for (const auto& v : c.values) {
          std::string why = dangles(key, v, ignore_case_op(c.op), known);
          if (why.empty()) continue;
          values.emplace(v, why);
          where.insert("statement " + std::to_string(st.index) + (st.sid ? " (Sid \"" + *st.sid + "\")" : "") +
                       " " + c.operator_text + " " + presigned::canonical_key(c.key));
        }
      }
    }
    if (values.empty()) return;
    Finding f;
    f.check = ci.id;
    f.severity = ci.severity;
    f.resource = id;
    f.title = "Policy " + id + " restricts presigned notebook URLs to endpoints or VPCs that are not there";
    std::string list;
    Json vals = Json::array();
    for (const auto& [v, why] : values) {
      vals.push_back(v);
      list += (list.empty() ? "" : ", ") + v + " (" + why + ")";
    }
    std::string stmts;
    for (const auto& w : where) stmts += (stmts.empty() ? "" : "; ") + w;
    f.detail = "Policy " + id + " compares the request's endpoint or VPC, for " + presigned::kAction + ", with " +
               list + " in " + stmts +
               ". No request to the SageMaker API can come through such an endpoint or VPC as the export shows it: "
               "an Allow under it grants nothing (or only a stale endpoint), and a Deny with a negated operator "
               "on it denies every real endpoint. The condition was probably meant for another endpoint.";
    f.evidence = Json::object();
    f.evidence["values"] = std::move(vals);
    f.location = loc;
    f.remediation = "Name the com.amazonaws.<region>.sagemaker.api interface endpoint (and its VPC) that presigned "
                    "URLs must come through, or export the missing endpoint/VPC (aws ec2 describe-vpc-endpoints, "
                    "aws ec2 describe-vpcs) if it exists in another file or account.";
    sink.add(std::move(f));
  };

  for (const auto& p : a.policies)
    if (!p.from_snapshot) check_policy(p.arn, p.document, p.loc);
  for (const auto& u : a.users)
    for (const auto& ip : u.inline_policies) check_policy(u.arn + "#" + ip.name, ip.document, u.loc);
  for (const auto& g : a.groups)
    for (const auto& ip : g.inline_policies) check_policy(g.arn + "#" + ip.name, ip.document, g.loc);
  for (const auto& r : a.roles)
    for (const auto& ip : r.inline_policies) check_policy(r.arn + "#" + ip.name, ip.document, r.loc);
  for (const auto& s : a.scps) check_policy(s.arn, s.document, s.loc);
}

}  // namespace vpcgate::checks
