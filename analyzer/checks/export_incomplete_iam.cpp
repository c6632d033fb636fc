#include "analyzer/checks/export_incomplete_iam.hpp"

#include <map>
#include <set>

namespace vpcgate::checks {

// One finding per missing ARN: an attached managed policy (customer managed, or AWS managed
// that the shipped snapshot did not have either), a group named in GroupList, or a
// permissions boundary that the input does not hold (CONTRACT.md, Input).
void ExportIncompleteIam::run(const CheckContext& ctx, FindingSink& sink) const {
  const auto& g = ctx.graph;
  const auto& a = ctx.account();
  struct Missing {
    std::string kind;  // "managed policy", "group", "permissions boundary"
    std::map<std::string, const model::SourceLoc*> referrers;  // ARN -> where it is
    std::set<std::string> roles;  // how it is referred to: "attached", "boundary", "group"
  };
  std::map<std::string, Missing> missing;
  auto policy_ref = [&](const std::string& arn, const std::string& referrer, const model::SourceLoc& loc,
                        bool boundary) {
    if (g.managed_policy(arn)) return;
    auto& m = missing[arn];
    if (m.kind.empty() || boundary == false) m.kind = boundary ? "permissions boundary" : "managed policy";
    m.referrers.emplace(referrer, &loc);
    m.roles.insert(boundary ? "permissions boundary" : "attached policy");
  };
  for (const auto& u : a.users) {
    for (const auto& p : u.attached) policy_ref(p.arn, u.arn, u.loc, false);
    if (u.boundary_arn) policy_ref(*u.boundary_arn, u.arn, u.loc, true);
    for (const auto& gname : u.groups) {
      if (g.group_by_name(gname)) continue;
      std::string garn = "arn:aws:iam::" + model::arn_account(u.arn) + ":group/" + gname;
      auto& m = missing[garn];
      m.kind = "group";
      m.referrers.emplace(u.arn, &u.loc);
      m.roles.insert("group");
    }
  }
  for (const auto& gr : a.groups)
    for (const auto& p : gr.attached) policy_ref(p.arn, gr.arn, gr.loc, false);
  for (const auto& r : a.roles) {
    for (const auto& p : r.attached) policy_ref(p.arn, r.arn, r.loc, false);
    if (r.boundary_arn) policy_ref(*r.boundary_arn, r.arn, r.loc, true);
  }

  const CheckInfo ci = info();
  for (const auto& [arn, m] : missing) {
    Finding f;
    f.check = ci.id;
    f.severity = ci.severity;
    f.resource = arn;
    bool aws_managed = arn.rfind("arn:aws:iam::aws:policy/", 0) == 0 ||
                       (arn.find(":iam::aws:policy/") != std::string::npos);
    std::string what = m.kind == "group" ? "Group" : aws_managed ? "AWS managed policy" : m.kind == "permissions boundary" ? "Permissions boundary policy" : "Customer managed policy";
    f.title = what + " " + arn + " is referenced but not in the input";
    std::string refs;
    Json by = Json::array();
    for (const auto& [r, loc] : m.referrers) {
      by.push_back(r);
      refs += (refs.empty() ? "" : ", ") + r;
    }
    std::string how;
    for (const auto& h : m.roles) how += (how.empty() ? "" : " and ") + h;
    f.detail = what + " " + arn + " is referenced (as " + how + ") by " + refs +
               " but the input does not hold it" +
               (aws_managed ? " and the shipped snapshot of AWS managed policies does not know it" : "") +
               ". The verdicts that depend on it assume the worst: it is taken as Allow * on *" +
               (m.kind == "group" ? " for its members" : "") +
               ", so presigned-url-unrestricted reports the principals it reaches unless an SCP or permissions "
               "boundary still closes the request.";
    f.evidence = Json::object();
    f.evidence["referenced_by"] = std::move(by);
    f.location = *m.referrers.begin()->second;
    f.remediation = m.kind == "group"
                        ? "Export the complete IAM data (aws iam get-account-authorization-details with all pages, "
                          "--filter User Group Role LocalManagedPolicy AWSManagedPolicy) so that the group and its "
                          "policies are in the input, or remove the stale group membership."
                        : "Export the complete IAM data (aws iam get-account-authorization-details with all pages, "
                          "including LocalManagedPolicy and AWSManagedPolicy) so that the policy is in the input, or "
                          "detach the policy that no longer exists.";
    sink.add(std::move(f));
  }
}

}  // namespace vpcgate::checks
