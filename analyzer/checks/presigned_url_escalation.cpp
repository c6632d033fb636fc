#include "analyzer/checks/presigned_url_escalation.hpp"

#include <algorithm>
#include <cstdint>
#include <deque>
#include <functional>
#include <atomic>
#include <cstdlib>
#include <iostream>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>
#include <set>
#include <string>

#include "analyzer/checks/presigned_analysis.hpp"
#include "analyzer/checks/presigned_url_common.hpp"
#include "model/threads.hpp"

namespace vpcgate::checks {
namespace {

using presigned::Outcome;
using presigned::PresignedAnalysis;
using presigned::StatementRef;

constexpr const char* kAdministratorAccess = "arn:aws:iam::aws:policy/AdministratorAccess";

// One step of a chain: acting as `from`, the caller becomes (or changes) `to`.
struct Step {
  std::string from, to, via;
  std::optional<StatementRef> statement;
};

// Shortest first, then bytewise over (from, to, via) of each step.
bool chain_less(const std::vector<Step>& a, const std::vector<Step>& b) {
  if (a.size() != b.size()) return a.size() < b.size();
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto ka = std::tie(a[i].from, a[i].to, a[i].via);
    auto kb = std::tie(b[i].from, b[i].to, b[i].via);
    if (ka != kb) return ka < kb;
  }
  return false;
}

// A modification of a target's policies that the actor can make.
struct Modification {
  std::string action;     // e.g. iam:PutRolePolicy
  std::string on;         // the IAM resource it acts on
  enum Kind { AddAllowAll, RemoveBoundary, RemovePolicy, ReplacePolicy, AddGroup } kind = AddAllowAll;
  std::string policy;     // RemovePolicy/ReplacePolicy: the source id; AddGroup: the group ARN
  std::optional<StatementRef> statement;
};

class Escalation {
 public:
  Escalation(const CheckContext& ctx, const PresignedAnalysis& a) : ctx_(ctx), a_(a) {
    const auto& account = ctx.account();
    for (const auto& r : account.roles) roles_.emplace(r.arn, &r);
    // Index the roles by what their trust policies name (edges(): the cheap filter before the
    // exact decision), and roles and users by account.
    for (std::size_t i = 0; i < account.roles.size(); ++i) {
      const auto& r = account.roles[i];
      roles_by_account_[model::arn_account(r.arn)].push_back(i);
      bool wild = false;
      std::set<std::string> named, roots;
      for (const auto& st : r.trust.statements) {
        if (st.effect != model::Effect::Allow || !eval::action_matches(st, "sts:AssumeRole")) continue;
        if (st.not_principal || !st.principal || st.principal->wildcard) { wild = true; break; }
        auto aws = st.principal->by_type.find("AWS");
        if (aws == st.principal->by_type.end()) continue;
        for (const auto& v : aws->second) {
          if (v == "*") wild = true;
          named.insert(v);
          // v names the root of account A when v == A, or v ends with ":root" and its ARN's
          // account is A (arn:aws:iam::A:root included).
          roots.insert(v);
          if (v.size() > 5 && v.compare(v.size() - 5, 5, ":root") == 0) roots.insert(model::arn_account(v));
        }
      }
      if (wild) {
        trust_wild_.push_back(i);
        continue;
      }
      for (const auto& v : named) trust_named_[v].push_back(i);
      for (const auto& acct : roots) trust_root_[acct].push_back(i);
    }
    for (std::size_t i = 0; i < account.users.size(); ++i)
      users_by_account_[model::arn_account(account.users[i].arn)].push_back(i);
    for (std::size_t i = 0; i < account.groups.size(); ++i)
      groups_by_account_[model::arn_account(account.groups[i].arn)].push_back(i);
  }

  void run(FindingSink& sink, const CheckInfo& ci);

 private:
  // The finding of one restricted start, if it can escalate.
  std::optional<Finding> finding_for(const presigned::Verdict& start, const CheckInfo& ci);

  // Memo tables are shared by the threads of run(): looked up and filled under mu_, computed
  // outside it. Every value is a function of its key, so a value computed twice is the same and
  // the first stored wins; std::map nodes never move, so references to values stay valid.
  template <class Map, class F>
  const typename Map::mapped_type& memo(Map& m, const typename Map::key_type& key, F&& compute) {
    {
      std::lock_guard lock(mu_);
      if (auto it = m.find(key); it != m.end()) return it->second;
    }
    auto value = compute();
    std::lock_guard lock(mu_);
    return m.emplace(key, std::move(value)).first->second;
  }
  std::mutex mu_;
  std::set<std::string> warnings_;  // of decide_modified, printed in bytewise order by run()

  const std::vector<Step>& edges(const PrincipalEntry& x);
  // Does x's own policy set allow `action` on `resource` in some request? Statement that allows.
  std::optional<std::optional<StatementRef>> allows(const PrincipalEntry& x, const std::string& action,
                                                    const std::string& resource,
                                                    std::vector<std::pair<std::string, presigned::KeyValue>> fixed = {},
                                                    const eval::SourcedPolicy* resource_policy = nullptr);
  bool may_call(const PrincipalEntry& x, const std::string& action);
  // Modifications q can make to t; and whether t with them is unrestricted.
  std::optional<std::pair<std::vector<Modification>, presigned::Verdict>> modify(const PrincipalEntry& q,
                                                                                 const PrincipalEntry& t);
  eval::PolicySet apply(const PrincipalEntry& t, const std::vector<Modification>& mods) const;

  // Does some Allow of x's identity policies cover sts:AssumeRole on the role at all?
  bool own_assume_covers(const PrincipalEntry& x, const std::string& role_arn) {
    if (!may_call(x, "sts:AssumeRole")) return false;
    eval::Context none;
    for (const auto& sp : x.policies.identity)
      for (const auto& st : sp.doc->statements)
        if (st.effect == model::Effect::Allow && eval::action_matches(st, "sts:AssumeRole") &&
            eval::resource_matches(*sp.doc, st, role_arn, none))
          return true;
    // Policy variables in Resource: leave it to the exact decision.
    for (const auto& sp : x.policies.identity)
      for (const auto& st : sp.doc->statements)
        for (const auto& res : st.resources)
          if (res.find("${") != std::string::npos) return true;
    return false;
  }
  static bool reads_caller_doc(const model::PolicyDocument& d) {
    for (const auto& st : d.statements) {
      for (const auto& c : st.conditions) {
        std::string k = eval::ascii_lower(c.key);
        if (k.rfind("aws:principal", 0) == 0 || k == "aws:username" || k == "aws:userid") return true;
        for (const auto& v : c.values)
          if (v.find("${") != std::string::npos) return true;
      }
      for (const auto& res : st.resources)
        if (res.find("${") != std::string::npos) return true;
    }
    return false;
  }
  bool reads_caller(const PrincipalEntry& x) {
    return memo(reads_caller_, x.arn, [&] {
      bool r = false;
      for (const auto& sp : x.policies.identity) r = r || reads_caller_doc(*sp.doc);
      if (x.policies.boundary) r = r || reads_caller_doc(*x.policies.boundary->doc);
      for (const auto& l : x.policies.scp_levels)
        for (const auto& sp : l) r = r || reads_caller_doc(*sp.doc);
      return r;
    });
  }
  static bool names(const model::PolicyDocument& d, const std::string& arn) {
    for (const auto& st : d.statements)
      for (const auto* spec : {st.principal ? &*st.principal : nullptr, st.not_principal ? &*st.not_principal : nullptr})
        if (spec)
          for (const auto& [type, vals] : spec->by_type)
            for (const auto& v : vals)
              if (v == arn) return true;
    return false;
  }
  static std::string policy_key(const PrincipalEntry& x) {
    std::string k = x.is_user ? "U|" : "R|";
    k += model::arn_account(x.arn) + "|";
    for (const auto& sp : x.policies.identity) k += sp.source_id + "\n";
    k += "|b=" + (x.policies.boundary ? x.policies.boundary->source_id : std::string("-"));
    return k;
  }

  // Indexes (ascending) of x's own account's entries, and of those whose ARN has no account:
  // the only ones an IAM action of x without a resource-based policy can be allowed on.
  static std::vector<std::size_t> same_account(const std::map<std::string, std::vector<std::size_t>>& by_account,
                                               const std::string& account) {
    std::vector<std::size_t> out;
    for (const std::string& a : {account, std::string()}) {
      auto it = by_account.find(a);
      if (it != by_account.end()) out.insert(out.end(), it->second.begin(), it->second.end());
      if (account.empty()) break;
    }
    std::sort(out.begin(), out.end());
    return out;
  }
  // Must `action` of x be decided on the entries of every account? Without a resource-based
  // policy the engine never allows a request on another account's entity, so there decide() is
  // Restricted unless its search would exceed the budget (then Incomplete, which fails closed):
  // only then are the other accounts visited, exactly as before.
  bool all_accounts(const PrincipalEntry& x, const std::string& action) {
    if (model::arn_account(x.arn).empty()) return true;
    return memo(all_accounts_, x.arn + '\n' + action, [&] {
      presigned::Problem pr;
      pr.policies = x.policies;
      pr.action = action;
      pr.resources = {"*"};
      pr.subject = a_.subject_of(x);
      pr.budget = a_.options().search_budget;
      pr.docs = &a_.filtered_docs();
      return presigned::evaluation_bound(pr) > pr.budget;
    });
  }

  const CheckContext& ctx_;
  const PresignedAnalysis& a_;
  std::map<std::string, std::vector<std::size_t>> roles_by_account_, users_by_account_, groups_by_account_;
  std::map<std::string, bool> all_accounts_;  // principal ARN + action -> all_accounts()
  std::map<std::string, std::optional<std::optional<StatementRef>>> allows_memo_;
  std::map<std::string, presigned::Verdict> decided_;  // target + modified policy set -> verdict
  // decide_with(t, set), once per target and policy set (modify() reaches the same sets from
  // many actors).
  const presigned::Verdict& decide_modified(const PrincipalEntry& t, const eval::PolicySet& set) {
    std::string key = t.arn;
    auto add = [&](const eval::SourcedPolicy& sp) {
      key += '\0' + sp.source_id + '@' + std::to_string(reinterpret_cast<std::uintptr_t>(sp.doc));
    };
    for (const auto& sp : set.identity) add(sp);
    key += "\0|b";
    if (set.boundary) add(*set.boundary);
    key += "\0|r";
    if (set.resource) add(*set.resource);
    key += "\0|e";
    if (set.endpoint) add(*set.endpoint);
    for (const auto& level : set.scp_levels) {
      key += "\0|s";
      for (const auto& sp : level) add(sp);
    }
    return memo(decided_, key, [&] {
      std::ostringstream log;
      auto v = a_.decide_with(t, set, log);
      v.answer.context = eval::Context{};  // nothing reads it later (see decide_members)
      if (!log.str().empty()) {
        std::lock_guard lock(mu_);
        warnings_.insert(log.str());
      }
      return v;
    });
  }
  std::vector<std::size_t> trust_wild_;  // roles whose trust lets anyone (or NotPrincipal) assume them
  std::map<std::string, std::vector<std::size_t>> trust_named_;  // AWS principal value -> roles
  std::map<std::string, std::vector<std::size_t>> trust_root_;   // account -> roles trusting its root
  std::map<std::string, std::optional<std::optional<StatementRef>>> assume_memo_;
  std::map<std::string, bool> reads_caller_;
  std::map<std::string, const model::Role*> roles_;
  std::map<std::string, std::vector<Step>> edges_;
  std::map<std::pair<std::string, std::string>,
           std::optional<std::pair<std::vector<Modification>, presigned::Verdict>>> modified_;
  std::map<std::string, bool> callable_;  // principal + action -> some Allow covers it
  std::map<std::string, model::PolicyDocument> trust_for_;  // synthetic trust naming a principal
};

// The first statement that allows, in the engine's order (identity, resource, boundary, SCP).
std::optional<StatementRef> first_statement(const std::vector<StatementRef>& stmts) {
  const StatementRef* best = nullptr;
  for (const auto& s : stmts)
    if (!best || std::make_tuple(static_cast<int>(s.type), s.policy, s.index) <
                     std::make_tuple(static_cast<int>(best->type), best->policy, best->index))
      best = &s;
  if (!best) return std::nullopt;
  return *best;
}

bool Escalation::may_call(const PrincipalEntry& x, const std::string& action) {
  // Cheap filter: some Allow statement of its identity policies covers the action at all.
  return memo(callable_, x.arn + '\n' + action, [&] {
    for (const auto& sp : x.policies.identity)
      for (const auto& st : sp.doc->statements)
        if (st.effect == model::Effect::Allow && eval::action_matches(st, action)) return true;
    return false;
  });
}

std::optional<std::optional<StatementRef>> Escalation::allows(
    const PrincipalEntry& x, const std::string& action, const std::string& resource,
    std::vector<std::pair<std::string, presigned::KeyValue>> fixed, const eval::SourcedPolicy* resource_policy) {
  // Principals reached by the same policies decide alike unless a condition or policy variable
  // reads a key of the caller (the rule of the sts:AssumeRole memo in edges()).
  std::string memo;
  if (!resource_policy && !reads_caller(x)) {
    memo = policy_key(x) + '\0' + action + '\0' + resource;
    for (const auto& [k, v] : fixed) {
      memo += '\0' + k + (v ? "=" : "!");
      if (v)
        for (const auto& e : *v) memo += e + '\1';
    }
    std::lock_guard lock(mu_);
    if (auto it = allows_memo_.find(memo); it != allows_memo_.end()) return it->second;
  }
  presigned::Problem pr;
  pr.policies = x.policies;
  if (resource_policy) pr.policies.resource = *resource_policy;
  pr.action = action;
  pr.resources = {resource};
  pr.subject = a_.subject_of(x);
  pr.extra_fixed = std::move(fixed);
  pr.budget = a_.options().search_budget;
  pr.docs = &a_.filtered_docs();
  auto ans = presigned::decide(pr);
  std::optional<std::optional<StatementRef>> out;
  // Incomplete: fail closed, the step is taken as possible.
  if (ans.outcome != Outcome::Restricted) out = first_statement(ans.statements);
  if (!memo.empty()) {
    std::lock_guard lock(mu_);
    allows_memo_.emplace(memo, out);
  }
  return out;
}

const std::vector<Step>& Escalation::edges(const PrincipalEntry& x) {
  {
    std::lock_guard lock(mu_);
    if (auto it = edges_.find(x.arn); it != edges_.end()) return it->second;
  }
  std::vector<Step> out;
  const auto& account = ctx_.account();
  std::string x_account = model::arn_account(x.arn);
  // sts:AssumeRole: the role's trust policy allows x (and, where it names the account rather
  // than x, x's own policies allow sts:AssumeRole on the role: the engine's role-trust rule).
  // Cheap filter before the exact decision (through the trust index): the trust names x,
  // everyone, or x's account (then x's own policies must allow sts:AssumeRole at all). Roles in
  // the export's order.
  std::vector<std::size_t> candidates = trust_wild_;
  if (auto nit = trust_named_.find(x.arn); nit != trust_named_.end())
    candidates.insert(candidates.end(), nit->second.begin(), nit->second.end());
  if (auto rit = trust_root_.find(x_account); rit != trust_root_.end())
    for (std::size_t i : rit->second)
      if (own_assume_covers(x, account.roles[i].arn)) candidates.push_back(i);
  std::sort(candidates.begin(), candidates.end());
  candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
  for (std::size_t ri : candidates) {
    const auto& r = account.roles[ri];
    if (r.arn == x.arn) continue;
    eval::SourcedPolicy trust{&r.trust, r.arn + "#AssumeRolePolicyDocument"};
    // Principals reached by the same policies decide alike unless a condition or policy
    // variable reads a key of the caller, or the trust names the caller itself.
    std::string memo;
    if (!reads_caller(x) && !reads_caller_doc(r.trust) && !names(r.trust, x.arn))
      memo = policy_key(x) + "\n" + r.arn;
    std::optional<std::optional<StatementRef>> s;
    if (!memo.empty()) s = this->memo(assume_memo_, memo, [&] { return allows(x, "sts:AssumeRole", r.arn, {}, &trust); });
    else s = allows(x, "sts:AssumeRole", r.arn, {}, &trust);
    if (s) out.push_back({x.arn, r.arn, "sts:AssumeRole", *s});
  }
  // iam:UpdateAssumeRolePolicy: x rewrites the trust to name itself, then assumes the role.
  if (may_call(x, "iam:UpdateAssumeRolePolicy")) {
    const auto& own_trust = memo(trust_for_, x.arn, [&] {
      model::PolicyDocument d;
      d.version = "2012-10-17";
      model::Statement st;
      st.effect = model::Effect::Allow;
      st.principal = model::PrincipalSpec{};
      st.principal->by_type["AWS"] = {x.arn};
      st.actions = {"sts:AssumeRole"};
      d.statements.push_back(st);
      return d;
    });
    std::vector<std::size_t> targets;
    if (all_accounts(x, "iam:UpdateAssumeRolePolicy")) {
      for (std::size_t i = 0; i < account.roles.size(); ++i) targets.push_back(i);
    } else {
      targets = same_account(roles_by_account_, x_account);
    }
    for (std::size_t ri : targets) {
      const auto& r = account.roles[ri];
      if (r.arn == x.arn) continue;
      auto s = allows(x, "iam:UpdateAssumeRolePolicy", r.arn);
      if (!s) continue;
      eval::SourcedPolicy trust{&own_trust, r.arn + "#AssumeRolePolicyDocument"};
      if (allows(x, "sts:AssumeRole", r.arn, {}, &trust)) out.push_back({x.arn, r.arn, "iam:UpdateAssumeRolePolicy", *s});
    }
  }
  // Credentials of another user.
  for (const char* action : {"iam:CreateAccessKey", "iam:CreateLoginProfile", "iam:UpdateLoginProfile"}) {
    if (!may_call(x, action)) continue;
    std::vector<std::size_t> targets;
    if (all_accounts(x, action)) {
      for (std::size_t i = 0; i < account.users.size(); ++i) targets.push_back(i);
    } else {
      targets = same_account(users_by_account_, x_account);
    }
    for (std::size_t ui : targets) {
      const auto& u = account.users[ui];
      if (u.arn == x.arn) continue;
      bool have = std::any_of(out.begin(), out.end(), [&](const Step& s) { return s.to == u.arn; });
      if (have) continue;
      if (auto s = allows(x, action, u.arn)) out.push_back({x.arn, u.arn, action, *s});
    }
  }
  std::sort(out.begin(), out.end(), [](const Step& a, const Step& b) { return std::tie(a.to, a.via) < std::tie(b.to, b.via); });
  std::lock_guard lock(mu_);
  return edges_.emplace(x.arn, std::move(out)).first->second;
}

eval::PolicySet Escalation::apply(const PrincipalEntry& t, const std::vector<Modification>& mods) const {
  eval::PolicySet set = t.policies;
  std::set<std::string> removed, replaced;
  bool add = false, no_boundary = false;
  std::vector<eval::SourcedPolicy> extra;
  for (const auto& m : mods) {
    switch (m.kind) {
      case Modification::AddAllowAll: add = true; break;
      case Modification::RemoveBoundary: no_boundary = true; break;
      case Modification::RemovePolicy: removed.insert(m.policy); break;
      case Modification::ReplacePolicy: replaced.insert(m.policy); break;
      case Modification::AddGroup:
        for (const auto& sp : a_.policies().group_policies(m.policy)) extra.push_back(sp);
        break;
    }
  }
  std::vector<eval::SourcedPolicy> ids;
  for (const auto& sp : set.identity) {
    if (removed.count(sp.source_id)) continue;
    if (replaced.count(sp.source_id)) ids.push_back({&PrincipalPolicies::allow_all(), sp.source_id});
    else ids.push_back(sp);
  }
  for (auto& sp : extra) ids.push_back(sp);
  if (add) ids.push_back({&PrincipalPolicies::allow_all(), "vpcgate:added-policy"});
  set.identity = std::move(ids);
  if (set.boundary && (no_boundary || replaced.count(set.boundary->source_id))) set.boundary.reset();
  return set;
}

bool has_deny(const model::PolicyDocument& d) {
  return std::any_of(d.statements.begin(), d.statements.end(),
                     [](const model::Statement& s) { return s.effect == model::Effect::Deny; });
}

std::optional<std::pair<std::vector<Modification>, presigned::Verdict>> Escalation::modify(const PrincipalEntry& q,
                                                                                          const PrincipalEntry& t) {
  auto key = std::make_pair(q.arn, t.arn);
  {
    std::lock_guard lock(mu_);
    if (auto it = modified_.find(key); it != modified_.end()) return it->second;
  }
  std::vector<Modification> mods;
  const bool user = t.is_user;
  const std::string kind = user ? "User" : "Role";
  presigned::KeyValue boundary_now =
      t.policies.boundary ? presigned::KeyValue(std::vector<std::string>{t.policies.boundary->source_id}) : std::nullopt;
  auto try_mod = [&](const std::string& action, const std::string& on, Modification::Kind k, const std::string& policy,
                     std::vector<std::pair<std::string, presigned::KeyValue>> fixed) {
    if (!may_call(q, action)) return false;
    auto s = allows(q, action, on, std::move(fixed));
    if (!s) return false;
    mods.push_back({action, on, k, policy, *s});
    return true;
  };
  // Add a policy that allows everything (an inline one, or AdministratorAccess attached).
  if (!try_mod("iam:Put" + kind + "Policy", t.arn, Modification::AddAllowAll, "", {{"iam:PermissionsBoundary", boundary_now}}))
    try_mod("iam:Attach" + kind + "Policy", t.arn, Modification::AddAllowAll, "",
            {{"iam:PolicyARN", std::vector<std::string>{kAdministratorAccess}}, {"iam:PermissionsBoundary", boundary_now}});
  // Remove or replace the permissions boundary.
  if (t.policies.boundary) {
    if (!try_mod("iam:Delete" + kind + "PermissionsBoundary", t.arn, Modification::RemoveBoundary, "", {}))
      try_mod("iam:Put" + kind + "PermissionsBoundary", t.arn, Modification::RemoveBoundary, "",
              {{"iam:PermissionsBoundary", std::vector<std::string>{kAdministratorAccess}}});
  }
  // Groups of a user: put/attach a policy on one of them.
  if (user) {
    for (const auto& g : t.group_arns) {
      if (try_mod("iam:PutGroupPolicy", g, Modification::AddAllowAll, "", {})) break;
      if (try_mod("iam:AttachGroupPolicy", g, Modification::AddAllowAll, "",
                  {{"iam:PolicyARN", std::vector<std::string>{kAdministratorAccess}}}))
        break;
    }
    // Join a group whose policies allow more.
    if (may_call(q, "iam:AddUserToGroup")) {
      const auto& groups = ctx_.account().groups;
      std::vector<std::size_t> targets;
      if (all_accounts(q, "iam:AddUserToGroup")) {
        for (std::size_t i = 0; i < groups.size(); ++i) targets.push_back(i);
      } else {
        targets = same_account(groups_by_account_, model::arn_account(q.arn));
      }
      for (std::size_t gi : targets) {
        const auto& g = groups[gi];
        if (std::find(t.group_arns.begin(), t.group_arns.end(), g.arn) != t.group_arns.end()) continue;
        try_mod("iam:AddUserToGroup", g.arn, Modification::AddGroup, g.arn, {});
      }
    }
  }
  // A new default version of a customer managed policy that reaches the target (identity or
  // boundary): CreatePolicyVersion with SetAsDefault needs no other permission.
  std::set<std::string> seen;
  auto managed_ids = [&](const eval::SourcedPolicy& sp) {
    const auto* mp = ctx_.graph.managed_policy(sp.source_id);
    return mp && !mp->aws_managed;
  };
  for (const auto& sp : t.policies.identity) {
    if (!managed_ids(sp) || !seen.insert(sp.source_id).second) continue;
    try_mod("iam:CreatePolicyVersion", sp.source_id, Modification::ReplacePolicy, sp.source_id, {});
  }
  if (t.policies.boundary && managed_ids(*t.policies.boundary) && seen.insert(t.policies.boundary->source_id).second)
    try_mod("iam:CreatePolicyVersion", t.policies.boundary->source_id, Modification::ReplacePolicy,
            t.policies.boundary->source_id, {});
  // Remove policies that hold a Deny: delete an inline policy, detach a managed one, leave a group.
  for (const auto& sp : t.policies.identity) {
    if (!has_deny(*sp.doc)) continue;
    auto hash = sp.source_id.find('#');
    if (hash != std::string::npos) {
      std::string owner = sp.source_id.substr(0, hash);
      std::string owner_kind = owner.find(":group/") != std::string::npos ? "Group" : kind;
      if (owner != t.arn && owner_kind != "Group") continue;
      if (owner_kind == "Group") {
        if (!try_mod("iam:DeleteGroupPolicy", owner, Modification::RemovePolicy, sp.source_id, {}))
          try_mod("iam:RemoveUserFromGroup", owner, Modification::RemovePolicy, sp.source_id, {});
      } else {
        try_mod("iam:Delete" + kind + "Policy", t.arn, Modification::RemovePolicy, sp.source_id, {});
      }
    } else {
      // Attached directly or through a group: detach from the target (or its group).
      bool direct = false;
      const auto& attached = user ? t.user->attached : t.role->attached;
      for (const auto& ap : attached) direct = direct || ap.arn == sp.source_id;
      if (direct) {
        try_mod("iam:Detach" + kind + "Policy", t.arn, Modification::RemovePolicy, sp.source_id,
                {{"iam:PolicyARN", std::vector<std::string>{sp.source_id}}});
      }
    }
  }
  std::optional<std::pair<std::vector<Modification>, presigned::Verdict>> result;
  if (!mods.empty()) {
    auto v = decide_modified(t, apply(t, mods));
    if (v.outcome != Outcome::Restricted) {
      // Keep only the modifications that are needed (in order, greedily).
      for (std::size_t i = 0; i < mods.size();) {
        std::vector<Modification> fewer = mods;
        fewer.erase(fewer.begin() + static_cast<std::ptrdiff_t>(i));
        if (fewer.empty()) { ++i; continue; }
        const auto& fv = decide_modified(t, apply(t, fewer));
        if (fv.outcome != Outcome::Restricted) {
          mods = std::move(fewer);
          v = fv;
        } else {
          ++i;
        }
      }
      result = std::make_pair(mods, std::move(v));
    }
  }
  std::lock_guard lock(mu_);
  return modified_.emplace(key, result).first->second;
}

Json statement_json(const std::optional<StatementRef>& s) {
  if (!s) return nullptr;
  Json j = Json::object();
  j["policy"] = s->policy;
  j["sid"] = s->sid ? Json(*s->sid) : Json(nullptr);
  j["index"] = s->index;
  return j;
}

// The restricted starts are decided on every core (VPCGATE_THREADS caps the threads, 1 is
// sequential), each thread taking the next start; findings are handed on in the verdicts' order
// and the warnings in bytewise order, so the output is the same whatever the thread count.
void Escalation::run(FindingSink& sink, const CheckInfo& ci) {
  const auto& verdicts = a_.verdicts();
  std::vector<std::optional<Finding>> found(verdicts.size());
  model::parallel_for(verdicts.size(), [&](std::size_t i) {
    if (verdicts[i].outcome == Outcome::Restricted) found[i] = finding_for(verdicts[i], ci);
  });
  for (const auto& w : warnings_) std::cerr << w;
  for (auto& f : found)
    if (f) sink.add(std::move(*f));
}

std::optional<Finding> Escalation::finding_for(const presigned::Verdict& start, const CheckInfo& ci) {
  const auto& pol = a_.policies();
  {
    const PrincipalEntry& p = *start.principal;
    // BFS over "can act as": shortest chains, ties bytewise (neighbours sorted, layers in order).
    std::map<std::string, std::vector<Step>> path;  // principal -> chain from p
    path[p.arn] = {};
    std::vector<std::string> layer = {p.arn}, order = {p.arn};
    while (!layer.empty()) {
      std::vector<std::string> next;
      for (const auto& x : layer) {
        const auto* xe = pol.find(x);
        if (!xe) continue;
        for (const auto& e : edges(*xe)) {
          if (path.count(e.to)) continue;
          auto chain = path[x];
          chain.push_back(e);
          path[e.to] = std::move(chain);
          next.push_back(e.to);
        }
      }
      std::sort(next.begin(), next.end(), [&](const std::string& a, const std::string& b) { return chain_less(path[a], path[b]); });
      for (const auto& n : next) order.push_back(n);
      layer = std::move(next);
    }
    // Candidates: an unrestricted principal reached, or a reached principal that one of the
    // reached principals (itself included) can change into an unrestricted one.
    std::optional<std::vector<Step>> best;
    const presigned::Verdict* best_verdict = nullptr;
    presigned::Verdict owned;
    std::string best_note;
    for (const auto& y : order) {
      if (y == p.arn) continue;
      const auto* v = a_.verdict(y);
      if (!v || v->outcome == Outcome::Restricted) continue;
      if (!best || chain_less(path[y], *best)) {
        best = path[y];
        best_verdict = v;
      }
    }
    for (const auto& q : order) {
      const auto* qe = pol.find(q);
      if (!qe) continue;
      for (const auto& t : order) {
        const auto* te = pol.find(t);
        if (!te) continue;
        const auto* tv = a_.verdict(t);
        if (tv && tv->outcome != Outcome::Restricted) continue;  // reached as it is
        std::vector<Step> chain = path[q];
        // Chains are at least as long as the path to q plus one step; prune early.
        if (best && best->size() < chain.size() + 1) continue;
        auto m = modify(*qe, *te);
        if (!m) continue;
        for (const auto& mod : m->first) chain.push_back({q, t, mod.action, mod.statement});
        if (!best || chain_less(chain, *best)) {
          best = chain;
          owned = m->second;
          best_verdict = &owned;
          best_note = q == t ? "" : " (it reaches " + t + " through " + std::to_string(path[t].size()) + " step(s))";
        }
      }
    }
    if (!best || !best_verdict) return std::nullopt;
    Finding f;
    f.check = ci.id;
    f.severity = ci.severity;
    f.resource = p.arn;
    f.principal = p.arn;
    f.title = std::string(p.is_user ? "User " : "Role ") + p.arn +
              " can become a principal that creates presigned notebook URLs from outside the approved VPC endpoints";
    Json chain = Json::array();
    std::string words;
    for (const auto& s : *best) {
      Json j = Json::object();
      j["from"] = s.from;
      j["to"] = s.to;
      j["via"] = s.via;
      j["statement"] = statement_json(s.statement);
      chain.push_back(std::move(j));
      words += (words.empty() ? "" : "; then ") + s.from + " uses " + s.via + " on " + s.to;
      if (s.statement)
        words += " (allowed by statement " + std::to_string(s.statement->index) +
                 (s.statement->sid ? " Sid \"" + *s.statement->sid + "\"" : "") + " of " + s.statement->policy + ")";
    }
    const auto& fin = *best_verdict;
    f.detail = std::string(p.is_user ? "User " : "Role ") + p.arn +
               " cannot create presigned notebook URLs from outside the approved network itself, but it can: " + words +
               best_note + ". After that " + fin.principal->arn + " is unrestricted: " +
               presigned_detail(a_, fin);
    f.evidence = Json::object();
    f.evidence["chain"] = std::move(chain);
    f.evidence["witness"] = presigned::witness_json(fin.answer);
    f.evidence["statements"] = presigned::statements_json(fin.answer.statements);
    f.evidence["notebooks"] = fin.notebooks;
    if (p.loc) f.location = *p.loc;
    f.remediation = "Remove the permissions that make the chain possible (trust policies naming this principal or its "
                    "account, sts:AssumeRole, and IAM write actions on other principals or on itself), or close the "
                    "final principal as presigned-url-unrestricted's remediation says: " +
                    presigned_remediation(a_);
    return f;
  }
}

}  // namespace

// A principal that cannot create presigned notebook URLs from outside the approved network
// itself, but can become one that can: assume roles (transitively), rewrite a trust policy,
// create credentials of another user, or change IAM policies of a principal it can act as
// (itself included). See docs/checks.d/presigned-url-escalation.md for the exact list.
void PresignedUrlEscalation::run(const CheckContext& ctx, FindingSink& sink) const {
  const auto& analysis = PresignedAnalysis::get(ctx);
  Escalation e(ctx, analysis);
  e.run(sink, info());
}

}  // namespace vpcgate::checks
