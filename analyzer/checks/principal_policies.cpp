#include "analyzer/checks/principal_policies.hpp"

#include <algorithm>

namespace vpcgate::checks {
namespace {

model::PolicyDocument make_allow_all() {
  model::PolicyDocument doc;
  doc.version = "2012-10-17";
  model::Statement s;
  s.effect = model::Effect::Allow;
  s.actions = {"*"};
  s.resources = {"*"};
  s.has_resource = true;
  s.index = 0;
  s.pointer = "/Statement/0";
  doc.statements.push_back(std::move(s));
  return doc;
}

bool has_allow(const model::PolicyDocument& doc) {
  return std::any_of(doc.statements.begin(), doc.statements.end(),
                     [](const model::Statement& s) { return s.effect == model::Effect::Allow; });
}

}  // namespace

const model::PolicyDocument& PrincipalPolicies::allow_all() {
  static const model::PolicyDocument doc = make_allow_all();
  return doc;
}

PrincipalPolicies::PrincipalPolicies(const graph::Graph& graph) : graph_(graph) {
  const model::Account& a = graph.account();

  // SCPs: one level; FullAWSAccess beside them when none allows anything. With no SCP in the
  // input, no organisation policy is known and none applies (same decision as FullAWSAccess).
  if (!a.scps.empty()) {
    bool any_allow = false;
    for (const auto& scp : a.scps) {
      scp_level_.push_back({&scp.document, scp.arn});
      documents_.emplace(scp.arn, &scp.document);
      any_allow = any_allow || has_allow(scp.document);
    }
    if (!any_allow) scp_level_.push_back({&allow_all(), kAssumedFullAwsAccessId});
  }

  for (const auto& p : a.policies) documents_.emplace(p.arn, &p.document);

  // A managed policy by ARN, or the worst case when the input does not hold it.
  auto managed = [&](const std::string& arn, std::vector<std::string>& missing) {
    if (const auto* p = graph_.managed_policy(arn)) return eval::SourcedPolicy{&p->document, arn};
    missing.push_back(arn);
    missing_ids_.insert(arn);
    return eval::SourcedPolicy{&allow_all(), arn};
  };
  auto own = [&](const std::string& owner, const std::vector<model::AttachedPolicy>& attached,
                 const std::vector<model::InlinePolicy>& inl, std::vector<eval::SourcedPolicy>& out,
                 std::vector<std::string>& missing) {
    for (const auto& ip : inl) {
      std::string id = owner + "#" + ip.name;
      documents_.emplace(id, &ip.document);
      out.push_back({&ip.document, id});
    }
    for (const auto& ap : attached) out.push_back(managed(ap.arn, missing));
  };

  for (const auto& g : a.groups) {
    std::vector<eval::SourcedPolicy> ps;
    std::vector<std::string> unused;
    own(g.arn, g.attached, g.inline_policies, ps, unused);
    group_policies_[g.arn] = std::move(ps);
  }

  for (const auto& u : a.users) {
    PrincipalEntry e;
    e.arn = u.arn;
    e.is_user = true;
    e.user = &u;
    e.id = u.id;
    e.tags = u.tags;
    e.loc = &u.loc;
    own(u.arn, u.attached, u.inline_policies, e.policies.identity, e.missing);
    for (const auto& gname : u.groups) {
      if (const auto* g = graph_.group_by_name(gname)) {
        e.group_arns.push_back(g->arn);
        for (const auto& sp : group_policies_[g->arn]) {
          e.policies.identity.push_back(sp);
          if (missing_ids_.count(sp.source_id)) e.missing.push_back(sp.source_id);
        }
      } else {
        // A group known only by name (CONTRACT.md): its policies are unknown, the worst case.
        std::string garn = "arn:aws:iam::" + model::arn_account(u.arn) + ":group/" + gname;
        e.group_arns.push_back(garn);
        e.missing.push_back(garn);
        missing_ids_.insert(garn);
        e.policies.identity.push_back({&allow_all(), garn});
      }
    }
    if (u.boundary_arn) e.policies.boundary = managed(*u.boundary_arn, e.missing);
    principals_.push_back(std::move(e));
  }
  for (const auto& r : a.roles) {
    PrincipalEntry e;
    e.arn = r.arn;
    e.role = &r;
    e.id = r.id;
    e.tags = r.tags;
    e.loc = &r.loc;
    own(r.arn, r.attached, r.inline_policies, e.policies.identity, e.missing);
    if (r.boundary_arn) e.policies.boundary = managed(*r.boundary_arn, e.missing);
    principals_.push_back(std::move(e));
  }
  for (auto& e : principals_) {
    std::sort(e.missing.begin(), e.missing.end());
    e.missing.erase(std::unique(e.missing.begin(), e.missing.end()), e.missing.end());
    if (!scp_level_.empty()) e.policies.scp_levels.push_back(scp_level_);
  }
  std::sort(principals_.begin(), principals_.end(),
            [](const PrincipalEntry& x, const PrincipalEntry& y) { return x.arn < y.arn; });
  for (std::size_t i = 0; i < principals_.size(); ++i) by_arn_.emplace(principals_[i].arn, i);
}

const PrincipalEntry* PrincipalPolicies::find(const std::string& arn) const {
  auto it = by_arn_.find(arn);
  return it == by_arn_.end() ? nullptr : &principals_[it->second];
}

std::vector<eval::SourcedPolicy> PrincipalPolicies::group_policies(const std::string& group_arn) const {
  auto it = group_policies_.find(group_arn);
  return it == group_policies_.end() ? std::vector<eval::SourcedPolicy>{} : it->second;
}

const model::PolicyDocument* PrincipalPolicies::document(const std::string& source_id) const {
  auto it = documents_.find(source_id);
  return it == documents_.end() ? nullptr : it->second;
}

}  // namespace vpcgate::checks
