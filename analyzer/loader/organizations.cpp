// aws organizations describe-policy (botocore organizations/2016-11-28 DescribePolicyResponse).
// Content is the policy as a JSON string; only SERVICE_CONTROL_POLICY is read, other types
// (tag, backup, AI opt-out, resource control policies, ...) are listed as skipped.
#include "analyzer/loader/readers.hpp"

namespace vpcgate::loader::detail {

bool read_organizations_policy(const Node& root, FileLoad& out) {
  Node policy = root.require("Policy");
  Node summary = policy.require("PolicySummary");
  if (summary.string("Type") != "SERVICE_CONTROL_POLICY") return false;
  model::ServiceControlPolicy scp;
  scp.arn = summary.string("Arn");
  scp.id = summary.string_or("Id");
  scp.name = summary.string_or("Name");
  Node content = policy.require("Content");
  scp.document = model::parse_policy_string(content.as_string(), content.file(), content.pointer());
  scp.loc = loc_of(root.require("Policy"));
  out.account.scps.push_back(std::move(scp));
  std::string print = fingerprint(summary, {"Arn", "Id", "Name"});
  print += "Content:";
  append_canonical(content.raw(), print);
  out.prints.scps.push_back(std::move(print));
  return true;
}

}  // namespace vpcgate::loader::detail
