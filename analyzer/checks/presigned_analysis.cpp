#include "analyzer/checks/presigned_analysis.hpp"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstdio>
#include <functional>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <tuple>

#include "analyzer/checks/presigned_values.hpp"
#include "model/terminal_safe.hpp"
#include "model/threads.hpp"

namespace vpcgate::checks::presigned {
namespace {

using model::ConditionOperator;

// ---------------------------------------------------------------- condition keys

// Global condition keys as the AWS documentation spells them:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
const std::map<std::string, std::string>& global_keys() {
  static const std::map<std::string, std::string> keys = [] {
    std::map<std::string, std::string> m;
    for (const char* k :
         {"aws:CalledVia", "aws:CalledViaFirst", "aws:CalledViaLast", "aws:CurrentTime",
          "aws:EpochTime", "aws:FederatedProvider", "aws:MultiFactorAuthAge",
          "aws:MultiFactorAuthPresent", "aws:PrincipalAccount", "aws:PrincipalArn",
          "aws:PrincipalIsAWSService", "aws:PrincipalOrgID", "aws:PrincipalOrgPaths",
          "aws:PrincipalServiceName", "aws:PrincipalServiceNamesList", "aws:PrincipalType",
          "aws:Referer", "aws:RequestedRegion", "aws:ResourceAccount", "aws:ResourceOrgID",
          "aws:ResourceOrgPaths", "aws:SecureTransport", "aws:SourceAccount", "aws:SourceArn",
          "aws:SourceIdentity", "aws:SourceIp", "aws:SourceOrgID", "aws:SourceOrgPaths",
          "aws:SourceVpc", "aws:SourceVpce", "aws:SourceVpcArn", "aws:TagKeys",
          "aws:TokenIssueTime", "aws:UserAgent", "aws:userid", "aws:username",
          "aws:ViaAWSService", "aws:VpcSourceIp", "aws:Ec2InstanceSourceVpc",
          "aws:Ec2InstanceSourcePrivateIPv4", "aws:RoleSessionName", "aws:AssumedRoot",
          "aws:ChatbotSourceArn", "sts:ExternalId", "sts:RoleSessionName", "sts:SourceIdentity",
          "sts:TransitiveTagKeys", "iam:PolicyARN", "iam:PermissionsBoundary",
          "iam:PassedToService", "iam:AssociatedResourceArn"})
      m.emplace(eval::ascii_lower(k), k);
    return m;
  }();
  return keys;
}

// Keys whose request value is a set (the AWS documentation's multivalued keys).
bool known_multi_valued(const std::string& lower) {
  static const std::set<std::string> keys = {
      "aws:calledvia", "aws:principalorgpaths", "aws:principalservicenameslist",
      "aws:resourceorgpaths", "aws:sourceorgpaths", "aws:tagkeys", "sts:transitivetagkeys"};
  return keys.count(lower) > 0;
}

bool starts_with(const std::string& s, const std::string& prefix) {
  return s.size() >= prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
}

// Policy variable names (`${name}`) in a text.
void variables_in(const std::string& text, std::vector<std::string>& out) {
  std::size_t pos = 0;
  while ((pos = text.find("${", pos)) != std::string::npos) {
    auto end = text.find('}', pos + 2);
    if (end == std::string::npos) return;
    out.push_back(text.substr(pos + 2, end - pos - 2));
    pos = end + 1;
  }
}

std::string lower_key(const std::string& k) { return eval::ascii_lower(k); }

const model::PolicyDocument& plain_doc() {
  static const model::PolicyDocument doc = [] {
    model::PolicyDocument d;
    d.version = "";  // no policy variables: operands are resolved already
    return d;
  }();
  return doc;
}

template <class F>
void for_each_policy(const eval::PolicySet& set, F&& f) {
  for (const auto& p : set.identity) f(p, eval::PolicyType::Identity);
  if (set.resource) f(*set.resource, eval::PolicyType::Resource);
  if (set.boundary) f(*set.boundary, eval::PolicyType::Boundary);
  for (const auto& level : set.scp_levels)
    for (const auto& p : level) f(p, eval::PolicyType::Scp);
  if (set.endpoint) f(*set.endpoint, eval::PolicyType::Endpoint);
}

}  // namespace

// ---------------------------------------------------------------- endpoint index

// The export's endpoints as aws:SourceVpce candidates. Searcher::build_dims gives each value the
// class signature (the answers of the conditions on aws:SourceVpce, approved or not, and the
// class of its VPC: unknown, or the answers of the conditions on aws:SourceVpc and approved or
// not) and keeps the bytewise-smallest value of each class. An endpoint that no condition tells
// apart from the others ("unnamed": the answer of every condition is the common one) differs
// from another unnamed endpoint only by its VPC's class; so a decision needs as candidates the
// named endpoints, and of the unnamed ones only the smallest in a VPC of unknown class, in each
// VPC that the conditions on aws:SourceVpc name, in an unnamed approved VPC and in an unnamed
// other VPC. Every class and every class representative stay those of the whole list, at a cost
// that does not grow with the number of endpoints of the export. Approved endpoints are never
// candidates and are left out.
class EndpointIndex {
 public:
  EndpointIndex(const std::map<std::string, std::string>& endpoint_vpc, const std::set<std::string>& approved_vpces,
                const std::set<std::string>& approved_vpcs,
                const std::map<std::string, const model::PolicyDocument*>& endpoint_policy) {
    // Endpoints with a policy of their own are decided by it: each is a candidate of its own.
    for (const auto& [id, doc] : endpoint_policy)
      if (!approved_vpces.count(id)) with_policy_.push_back({id, doc});
    std::set<std::string> eps;
    for (const auto& [id, vpc] : endpoint_vpc) {
      std::string v = eval::ascii_lower(id);  // build_dims lower-cases endpoint IDs
      if (!approved_vpces.count(v)) eps.insert(v);
    }
    std::set<std::string> vpcs;
    for (const auto& v : eps)
      if (auto it = endpoint_vpc.find(v); it != endpoint_vpc.end()) vpcs.insert(it->second);
    init_list(eps_, eps);
    init_list(vpcs_, vpcs);
    by_vpc_.resize(vpcs_.values.size());
    for (std::size_t i = 0; i < eps_.values.size(); ++i) {
      // An endpoint with a policy of its own represents no other: it is a candidate of its own.
      if (endpoint_policy.count(eps_.values[i])) continue;
      auto it = endpoint_vpc.find(eps_.values[i]);
      if (it == endpoint_vpc.end()) {
        unknown_.push_back(i);
        continue;
      }
      auto vi = static_cast<std::size_t>(
          std::lower_bound(vpcs_.values.begin(), vpcs_.values.end(), it->second) - vpcs_.values.begin());
      ep_vpc_[i] = static_cast<std::ptrdiff_t>(vi);
      by_vpc_[vi].push_back(i);
      (approved_vpcs.count(it->second) ? in_approved_ : in_other_).push_back(i);
    }
  }

  // The aws:SourceVpce candidates of a decision whose conditions compare aws:SourceVpce with
  // `ops` and aws:SourceVpc with `vpc_ops` (operands_of in build_dims).
  void candidates(const std::vector<Operand>& ops, const std::vector<Operand>& vpc_ops,
                  std::vector<std::string>& out) const {
    std::vector<char> named_ep(eps_.values.size(), 0), named_vpc(vpcs_.values.size(), 0);
    std::vector<std::size_t> hits;
    for (const auto& o : ops) exceptions(eps_, false, o, hits);
    for (std::size_t i : hits) named_ep[i] = 1;
    std::vector<std::size_t> vpc_hits;
    for (const auto& o : vpc_ops) exceptions(vpcs_, true, o, vpc_hits);
    for (std::size_t i : vpc_hits) named_vpc[i] = 1;
    std::sort(hits.begin(), hits.end());
    hits.erase(std::unique(hits.begin(), hits.end()), hits.end());
    for (std::size_t i : hits) out.push_back(eps_.values[i]);
    auto first_unnamed = [&](const std::vector<std::size_t>& list, bool skip_named_vpcs) {
      for (std::size_t i : list) {
        if (named_ep[i]) continue;
        if (skip_named_vpcs && named_vpc[static_cast<std::size_t>(ep_vpc_[i])]) continue;
        out.push_back(eps_.values[i]);
        return;
      }
    };
    first_unnamed(unknown_, false);
    first_unnamed(in_approved_, true);
    first_unnamed(in_other_, true);
    std::sort(vpc_hits.begin(), vpc_hits.end());
    vpc_hits.erase(std::unique(vpc_hits.begin(), vpc_hits.end()), vpc_hits.end());
    for (std::size_t v : vpc_hits) first_unnamed(by_vpc_[v], false);
  }

  // The endpoints with a policy of their own (not approved) that may allow `action` to a
  // principal of `account`, in ID order: Searcher::live_endpoints tests these exactly, every other
  // one denies the request. An organisation's endpoint policies commonly admit their own account
  // only (`StringEquals aws:PrincipalAccount`); they are indexed by the accounts they admit, so
  // that a decision reads the policies that concern its principal, not every one of the export.
  std::vector<std::pair<std::string, const model::PolicyDocument*>> policy_candidates(const std::string& action,
                                                                                       const std::string& account) const {
    const PolicyGates* g = nullptr;
    {
      std::lock_guard lock(mu_);
      auto it = gates_.find(action);
      if (it == gates_.end()) it = gates_.emplace(action, gates_for(action)).first;
      g = &it->second;
    }
    std::vector<std::size_t> idx = g->general;
    if (auto it = g->by_account.find(account); it != g->by_account.end())
      idx.insert(idx.end(), it->second.begin(), it->second.end());
    std::sort(idx.begin(), idx.end());
    idx.erase(std::unique(idx.begin(), idx.end()), idx.end());
    std::vector<std::pair<std::string, const model::PolicyDocument*>> out;
    for (std::size_t i : idx) out.push_back(with_policy_[i]);
    return out;
  }

 private:
  std::vector<std::pair<std::string, const model::PolicyDocument*>> with_policy_;  // lower-cased IDs, sorted

  struct PolicyGates {
    std::vector<std::size_t> general;                               // may admit any account
    std::map<std::string, std::vector<std::size_t>> by_account;     // admit only these accounts
  };

  // Per endpoint policy: the accounts it can admit for `action`. Every Allow statement that
  // matches the action must require aws:PrincipalAccount by a plain StringEquals (no IfExists,
  // no set qualifier, no policy variables) for the policy to be indexed by those values; a
  // policy with no such statement admits nobody; any other is general.
  PolicyGates gates_for(const std::string& action) const {
    PolicyGates g;
    for (std::size_t i = 0; i < with_policy_.size(); ++i) {
      std::set<std::string> accounts;
      bool general = false;
      for (const auto& st : with_policy_[i].second->statements) {
        if (st.effect != model::Effect::Allow || !eval::action_matches(st, action)) continue;
        const model::Condition* gate = nullptr;
        for (const auto& c : st.conditions) {
          if (c.op != ConditionOperator::StringEquals || c.if_exists || c.qualifier != model::SetQualifier::None ||
              eval::ascii_lower(c.key) != "aws:principalaccount")
            continue;
          bool variables = false;
          for (const auto& v : c.values) variables = variables || v.find("${") != std::string::npos;
          if (!variables) { gate = &c; break; }
        }
        if (!gate) { general = true; break; }
        accounts.insert(gate->values.begin(), gate->values.end());
      }
      if (general) g.general.push_back(i);
      else
        for (const auto& a : accounts) g.by_account[a].push_back(i);
    }
    return g;
  }
  mutable std::map<std::string, PolicyGates> gates_;  // by action, under mu_

  struct List {
    std::vector<std::string> values;                          // sorted, distinct
    std::vector<std::pair<std::string, std::size_t>> lower;   // (lower-cased value, index), sorted
  };

  void init_list(List& l, const std::set<std::string>& values) {
    l.values.assign(values.begin(), values.end());
    for (std::size_t i = 0; i < l.values.size(); ++i) l.lower.push_back({eval::ascii_lower(l.values[i]), i});
    std::sort(l.lower.begin(), l.lower.end());
    if (&l == &eps_) ep_vpc_.assign(l.values.size(), -1);
  }

  // Appends the indexes of the values on which a condition `op` gives another answer than on the
  // others (signature() in build_dims evaluates the same condition).
  void exceptions(const List& l, bool vpc, const Operand& o, std::vector<std::size_t>& out) const {
    if (o.op == ConditionOperator::StringEquals || o.op == ConditionOperator::StringNotEquals) {
      // Exact comparison (the operand has no policy variables left): only an equal value differs.
      auto it = std::lower_bound(l.values.begin(), l.values.end(), o.value);
      if (it != l.values.end() && *it == o.value) out.push_back(static_cast<std::size_t>(it - l.values.begin()));
      return;
    }
    if (o.op == ConditionOperator::StringEqualsIgnoreCase || o.op == ConditionOperator::StringNotEqualsIgnoreCase) {
      std::string lv = eval::ascii_lower(o.value);
      auto it = std::lower_bound(l.lower.begin(), l.lower.end(), std::make_pair(lv, std::size_t{0}));
      for (; it != l.lower.end() && it->first == lv; ++it) out.push_back(it->second);
      return;
    }
    // Other operators (patterns, ARNs, ...): evaluated on every value once per scan, the
    // minority answer kept.
    auto key = std::make_tuple(vpc, static_cast<int>(o.op), o.value);
    {
      std::lock_guard lock(mu_);
      if (auto it = cache_.find(key); it != cache_.end()) {
        out.insert(out.end(), it->second.begin(), it->second.end());
        return;
      }
    }
    const std::string k = vpc ? "aws:sourcevpc" : "aws:sourcevpce";
    model::Condition c;
    c.op = o.op;
    c.key = k;
    c.values = {o.value};
    std::vector<char> bits(l.values.size(), 0);
    std::size_t ones = 0;
    for (std::size_t i = 0; i < l.values.size(); ++i) {
      eval::Context ctx;
      ctx.set(k, l.values[i]);
      bits[i] = eval::condition_holds(plain_doc(), c, ctx) ? 1 : 0;
      ones += bits[i];
    }
    const char common = ones * 2 > l.values.size() ? 1 : 0;
    std::vector<std::size_t> exc;
    for (std::size_t i = 0; i < bits.size(); ++i)
      if (bits[i] != common) exc.push_back(i);
    out.insert(out.end(), exc.begin(), exc.end());
    std::lock_guard lock(mu_);
    cache_.emplace(key, std::move(exc));
  }

  List eps_, vpcs_;
  std::vector<std::ptrdiff_t> ep_vpc_;  // per endpoint: index into vpcs_.values; -1: VPC unknown
  std::vector<std::size_t> unknown_, in_approved_, in_other_;  // endpoints by their VPC, ascending
  std::vector<std::vector<std::size_t>> by_vpc_;                // per VPC: its endpoints, ascending
  mutable std::mutex mu_;
  mutable std::map<std::tuple<bool, int, std::string>, std::vector<std::size_t>> cache_;
};

namespace {

// ---------------------------------------------------------------- the search

struct Choice {
  KeyValue value;
  std::string cls;   // class signature ("" for absent); equal classes behave alike
  ValueKind kind = ValueKind::Derived;
};

struct Dim {
  std::string lower, canonical;
  bool multi = false;
  bool network = false;           // aws:SourceVpce / aws:SourceVpc / aws:SourceIp (cross-key rules)
  std::vector<Choice> reps;       // one per class, absent first
  std::vector<Choice> witness;    // witness order: absent, literals, placeholders, others
};

struct RelStatement {
  const model::PolicyDocument* doc = nullptr;
  const model::Statement* st = nullptr;
};

struct BudgetExceeded {};

class Searcher {
 public:
  explicit Searcher(const Problem& p) : p_(p) {}

  Answer run();
  std::size_t bound();

 private:
  void fixed_keys();
  std::optional<std::string> resolve(const std::string& value, const model::PolicyDocument& doc) const;
  void relevant_statements();
  void filter_policies();
  eval::SourcedPolicy filtered(const eval::SourcedPolicy& sp, bool shared = true);
  const eval::PolicySet& set_for(const eval::Context& ctx);
  void live_endpoints();
  bool dead(const std::string& endpoint) const;  // has a policy of its own that never allows
  void build_dims();
  void build_resources();
  bool valid(const std::vector<const Choice*>& a) const;
  bool evaluate_on(const std::vector<const Choice*>& a, const std::string& resource, eval::Result* out);
  eval::Context context_for(const std::vector<const Choice*>& a, const std::string& resource) const;
  // Is there a completion of a[0..k) over the other dims and a resource rep? Fills a.
  bool complete(std::vector<const Choice*>& a, std::size_t k, std::string* resource);
  bool fixed(const std::string& lower) const;

  const Problem& p_;
  std::string account_;
  std::map<std::string, std::pair<std::string, KeyValue>> fixed_;  // lower -> (canonical, value)
  eval::Context base_;
  std::vector<RelStatement> relevant_;
  std::vector<RelStatement> action_matching_;
  std::map<std::string, std::string> spelling_;  // lower -> canonical spelling
  std::map<std::string, std::vector<std::pair<const model::PolicyDocument*, const model::Condition*>>> conds_;
  std::set<std::string> variable_keys_;
  std::vector<Dim> dims_;
  // The problem's policies with only the statements that match its action (filter_policies), and
  // the same with the policy of each endpoint a request went through (set_for).
  FilteredDocs own_docs_;  // documents not shared (p_.docs absent, or the resource policy)
  eval::PolicySet set_;
  bool filtered_done_ = false;
  std::map<std::string, eval::PolicySet> via_endpoint_;
  // Endpoints with a policy of their own whose policy may allow this request (live_endpoints).
  std::vector<std::pair<std::string, const model::PolicyDocument*>> live_;
  std::set<std::string> live_ids_;
  std::vector<std::string> res_reps_;
  std::map<std::string, std::vector<std::string>> res_members_;
  std::size_t evals_ = 0;
  std::size_t limit_ = 0;
};

bool Searcher::fixed(const std::string& lower) const {
  if (fixed_.count(lower)) return true;
  if (starts_with(lower, "aws:principaltag/")) return true;
  if (lower == "aws:resourceaccount") return true;
  if (lower == "aws:requestedregion" && p_.resource_fixes_region) return true;
  return false;
}

void Searcher::fixed_keys() {
  const Subject& s = p_.subject;
  account_ = model::arn_account(s.arn);
  auto put = [&](const std::string& canonical, KeyValue v) {
    fixed_[lower_key(canonical)] = {canonical, std::move(v)};
  };
  put("aws:PrincipalArn", std::vector<std::string>{s.arn});
  put("aws:PrincipalAccount", std::vector<std::string>{account_});
  put("aws:PrincipalType", std::vector<std::string>{s.is_user ? "User" : "AssumedRole"});
  put("aws:PrincipalIsAWSService", std::vector<std::string>{"false"});
  if (s.is_user) {
    put("aws:username", std::vector<std::string>{s.name});
    if (!s.id.empty()) put("aws:userid", std::vector<std::string>{s.id});
  } else {
    put("aws:username", std::nullopt);
  }
  for (const auto& t : s.tags) put("aws:PrincipalTag/" + t.key, std::vector<std::string>{t.value});
  if (s.org_id) put("aws:PrincipalOrgID", std::vector<std::string>{*s.org_id});
  for (const auto& [k, v] : p_.extra_fixed) put(k, v);
  for (const auto& [lower, kv] : fixed_)
    if (kv.second) base_.set(kv.first, *kv.second);
}

std::optional<std::string> Searcher::resolve(const std::string& value,
                                             const model::PolicyDocument& doc) const {
  if (!doc.variables_enabled() || value.find("${") == std::string::npos) return value;
  std::string out;
  std::size_t pos = 0;
  while (pos < value.size()) {
    auto start = value.find("${", pos);
    if (start == std::string::npos) { out += value.substr(pos); break; }
    auto end = value.find('}', start + 2);
    if (end == std::string::npos) { out += value.substr(pos); break; }
    out += value.substr(pos, start - pos);
    std::string name = value.substr(start + 2, end - start - 2);
    if (name == "*") out += "*";
    else if (name == "?") out += "?";
    else if (name == "$") out += "$";
    else {
      const auto* v = base_.get(name);
      if (!v || v->empty()) return std::nullopt;
      out += v->front();
    }
    pos = end + 1;
  }
  return out;
}

void Searcher::relevant_statements() {
  // The filtered documents: every statement matches the action.
  for_each_policy(set_, [&](const eval::SourcedPolicy& sp, eval::PolicyType) {
    for (const auto& st : sp.doc->statements) {
      action_matching_.push_back({sp.doc, &st});
      bool any = false;
      for (const auto& r : p_.resources) {
        if (eval::resource_matches(*sp.doc, st, r, base_)) { any = true; break; }
      }
      // A Resource that names a free key as a policy variable: keep it (the search decides).
      if (!any && sp.doc->variables_enabled())
        for (const auto& r : st.resources)
          if (r.find("${") != std::string::npos) any = true;
      if (any) relevant_.push_back({sp.doc, &st});
    }
  });
  for (const auto& rs : relevant_) {
    for (const auto& c : rs.st->conditions) {
      std::string lower = lower_key(c.key);
      std::string canon = canonical_key(c.key);
      auto [it, inserted] = spelling_.emplace(lower, canon);
      if (!inserted && canon < it->second) it->second = canon;
      conds_[lower].push_back({rs.doc, &c});
      if (rs.doc->variables_enabled()) {
        std::vector<std::string> vars;
        for (const auto& v : c.values) variables_in(v, vars);
        for (auto& v : vars) variable_keys_.insert(lower_key(v));
      }
    }
    if (rs.doc->variables_enabled()) {
      std::vector<std::string> vars;
      for (const auto& r : rs.st->resources) variables_in(r, vars);
      for (auto& v : vars) variable_keys_.insert(lower_key(v));
    }
  }
  for (const auto& v : variable_keys_) {
    if (v == "*" || v == "?" || v == "$") continue;
    spelling_.emplace(v, canonical_key(v));
  }
}

// evaluate() skips a statement whose Action does not match the request's before it reads
// anything else, so the documents of a decision, which always asks for one action, can hold only
// the statements that match it: the same decisions and matched statements (a statement keeps its
// Sid, index and pointer), without matching every action pattern of large AWS managed policies
// again on every evaluation.
eval::SourcedPolicy Searcher::filtered(const eval::SourcedPolicy& sp, bool shared) {
  FilteredDocs& docs = shared && p_.docs ? *p_.docs : own_docs_;
  return {docs.get(sp.doc, p_.action), sp.source_id};
}

void Searcher::filter_policies() {
  if (filtered_done_) return;
  filtered_done_ = true;
  const auto& in = p_.policies;
  for (const auto& sp : in.identity) set_.identity.push_back(filtered(sp));
  if (in.resource) set_.resource = filtered(*in.resource, /*shared=*/false);
  if (in.boundary) set_.boundary = filtered(*in.boundary);
  for (const auto& level : in.scp_levels) {
    set_.scp_levels.emplace_back();
    for (const auto& sp : level) set_.scp_levels.back().push_back(filtered(sp));
  }
  if (in.endpoint) set_.endpoint = filtered(*in.endpoint);
}

// policies_for() over the filtered documents, the set per endpoint built once.
const eval::PolicySet& Searcher::set_for(const eval::Context& ctx) {
  if (!p_.network || !p_.network->endpoint_policy || p_.policies.endpoint) return set_;
  const auto* vpce = ctx.get("aws:SourceVpce");
  if (!vpce || vpce->size() != 1) return set_;
  auto it = p_.network->endpoint_policy->find(eval::ascii_lower(vpce->front()));
  if (it == p_.network->endpoint_policy->end()) return set_;
  auto [pos, inserted] = via_endpoint_.try_emplace(it->first);
  if (inserted) {
    pos->second = set_;
    pos->second.endpoint = filtered(eval::SourcedPolicy{it->second, it->first});
  }
  return pos->second;
}

// A request through an endpoint with a policy of its own is allowed only if that policy allows
// it. The policy can do so only with an Allow statement that matches the action and whose
// conditions on the keys this request fixes (the principal's) hold. An endpoint without such a
// statement denies every request of the search ("dead"): it is no candidate, its statements
// split no resources, and the decision and the witness are those of the whole list (a dead
// endpoint never completes a request). Conditions on free keys, or whose values name policy
// variables, are taken to hold; the Principal element is not read (both keep the test sound).
void Searcher::live_endpoints() {
  if (!p_.network || !p_.network->endpoint_policy) return;
  std::vector<std::pair<std::string, const model::PolicyDocument*>> all;
  if (p_.network->index) {
    // Only the endpoints whose policy may admit the principal's account (EndpointIndex).
    auto acct = fixed_.find("aws:principalaccount");
    all = p_.network->index->policy_candidates(
        p_.action, acct != fixed_.end() && acct->second.second && acct->second.second->size() == 1
                       ? acct->second.second->front() : std::string("\x01"));
  } else {
    all.assign(p_.network->endpoint_policy->begin(), p_.network->endpoint_policy->end());
  }
  for (const auto& [id, doc] : all) {
    bool may = false;
    for (const auto& st : doc->statements) {
      if (st.effect != model::Effect::Allow || !eval::action_matches(st, p_.action)) continue;
      bool holds = true;
      for (const auto& c : st.conditions) {
        std::string lower = lower_key(c.key);
        if (!fixed_.count(lower) && !starts_with(lower, "aws:principaltag/")) continue;
        bool variables = false;
        for (const auto& v : c.values) variables = variables || v.find("${") != std::string::npos;
        if (variables) continue;
        if (!eval::condition_holds(*doc, c, base_)) { holds = false; break; }
      }
      if (holds) { may = true; break; }
    }
    if (may) live_.push_back({id, doc});
  }
  for (const auto& [id, doc] : live_) live_ids_.insert(id);
}

bool Searcher::dead(const std::string& endpoint) const {
  return p_.network && p_.network->endpoint_policy && p_.network->endpoint_policy->count(endpoint) &&
         !live_ids_.count(endpoint);
}

void Searcher::build_resources() {
  // Resources behave alike when every action-matching statement matches them alike and they
  // fix the same account (and region): one representative each.
  std::map<std::string, std::string> rep_of_sig;
  for (const auto& r : p_.resources) {
    std::string sig;
    for (const auto& rs : action_matching_) sig += eval::resource_matches(*rs.doc, *rs.st, r, base_) ? '1' : '0';
    // Requests through a known endpoint are decided by its policy too: its statements count.
    for (const auto& [id, doc] : live_)
        for (const auto& st : doc->statements)
          if (eval::action_matches(st, p_.action)) sig += eval::resource_matches(*doc, st, r, base_) ? '1' : '0';
    std::string acct = model::arn_account(r);
    sig += '|' + (acct.empty() ? account_ : acct);
    if (p_.resource_fixes_region) sig += '|' + model::arn_region(r);
    // Policy variables in Resource may depend on nothing else: the signature is exact.
    auto [it, inserted] = rep_of_sig.emplace(sig, r);
    if (inserted) res_reps_.push_back(r);
    res_members_[it->second].push_back(r);
  }
}

void Searcher::build_dims() {
  std::set<std::string> free_keys;
  for (const auto& [lower, canon] : spelling_)
    if (!fixed(lower)) free_keys.insert(lower);
  if (p_.network) {
    free_keys.insert("aws:sourcevpce");
    free_keys.insert("aws:sourcevpc");
    spelling_.emplace("aws:sourcevpce", "aws:SourceVpce");
    spelling_.emplace("aws:sourcevpc", "aws:SourceVpc");
  }
  // A role's aws:userid is "ROLEID:<session name>": the session name is the caller's choice.
  std::optional<std::string> userid_prefix;
  if (!p_.subject.is_user && !p_.subject.id.empty()) userid_prefix = p_.subject.id + ":";

  // Operands per key (variables resolved from the fixed keys).
  auto operands_of = [&](const std::string& lower) {
    std::vector<Operand> ops;
    for (const auto& [doc, c] : conds_[lower]) {
      if (c->op == ConditionOperator::Null) continue;
      for (const auto& v : c->values)
        if (auto r = resolve(v, *doc)) ops.push_back({c->op, *r});
    }
    std::sort(ops.begin(), ops.end(), [](const Operand& a, const Operand& b) {
      return std::make_pair(static_cast<int>(a.op), a.value) < std::make_pair(static_cast<int>(b.op), b.value);
    });
    ops.erase(std::unique(ops.begin(), ops.end(),
                          [](const Operand& a, const Operand& b) { return a.op == b.op && a.value == b.value; }),
              ops.end());
    return ops;
  };
  auto signature = [&](const std::string& lower, const std::vector<Operand>& ops, const std::string& v) {
    std::string sig = "v";
    eval::Context ctx;
    ctx.set(lower, v);
    for (const auto& o : ops) {
      model::Condition c;
      c.op = o.op;
      c.key = lower;
      c.values = {o.value};
      sig += eval::condition_holds(plain_doc(), c, ctx) ? '1' : '0';
    }
    return sig;
  };

  const std::set<std::string> empty_set;
  const auto& approved_vpces = p_.network && p_.network->approved_vpces ? *p_.network->approved_vpces : empty_set;
  const auto& approved_vpcs = p_.network && p_.network->approved_vpcs ? *p_.network->approved_vpcs : empty_set;
  const std::map<std::string, std::string> no_endpoints;
  const auto& endpoint_vpc = p_.network && p_.network->endpoint_vpc ? *p_.network->endpoint_vpc : no_endpoints;

  std::vector<Operand> vpc_ops;
  if (p_.network) vpc_ops = operands_of("aws:sourcevpc");
  auto vpc_sig = [&](const std::string& v) {
    return signature("aws:sourcevpc", vpc_ops, v) + (approved_vpcs.count(v) ? "A" : "a");
  };
  std::set<std::string> rep_endpoint_vpcs;  // VPCs of the known endpoints kept as representatives

  auto make_dim = [&](const std::string& lower) {
    Dim d;
    d.lower = lower;
    d.canonical = spelling_.count(lower) ? spelling_[lower] : canonical_key(lower);
    d.network = p_.network && (lower == "aws:sourcevpce" || lower == "aws:sourcevpc" || lower == "aws:sourceip");
    bool qualified = false;
    for (const auto& [doc, c] : conds_[lower]) qualified = qualified || c->qualifier != model::SetQualifier::None;
    d.multi = known_multi_valued(lower) ||
              (qualified && !global_keys().count(lower) && !starts_with(lower, "aws:requesttag/") &&
               !starts_with(lower, "aws:resourcetag/"));
    auto ops = lower == "aws:sourcevpc" ? vpc_ops : operands_of(lower);
    auto pool = candidate_values(lower, ops);
    if (lower == "aws:sourcevpce") {
      if (p_.network && p_.network->index) {
        std::vector<std::string> eps;
        p_.network->index->candidates(ops, vpc_ops, eps);
        for (auto& e : eps)
          if (!dead(e)) pool.push_back({std::move(e), ValueKind::Derived});
        for (const auto& [e, doc] : live_) pool.push_back({e, ValueKind::Derived});
      } else {
        for (const auto& [e, vpc] : endpoint_vpc)
          if (!dead(eval::ascii_lower(e))) pool.push_back({e, ValueKind::Derived});
      }
    }
    if (lower == "aws:sourcevpc")
      for (const auto& v : rep_endpoint_vpcs) pool.push_back({v, ValueKind::Derived});
    if (lower == "aws:sourcevpce" || lower == "aws:sourcevpc") {
      // Endpoint and VPC IDs are lower case in every request: a case variant of an approved
      // ID is that ID, not another endpoint.
      for (auto& c : pool) c.value = eval::ascii_lower(c.value);
    }
    if (lower == "aws:userid" && userid_prefix) {
      std::vector<CandidateValue> kept;
      for (auto& c : pool)
        if (starts_with(c.value, *userid_prefix)) kept.push_back(c);
      kept.push_back({*userid_prefix + "vpcgate", ValueKind::Placeholder});
      pool = std::move(kept);
    }
    // Best kind per value.
    std::map<std::string, ValueKind> best;
    for (const auto& c : pool) keep_best(best, c.value, c.kind);
    // Classing costs (values x operands) condition tests and as many bytes: beyond a thousand
    // times the budget the search could not finish either; fail closed (docs/security.md).
    if (best.size() * ops.size() > 1000 * p_.budget) throw BudgetExceeded{};
    std::map<std::string, std::string> cls_of;  // value -> class
    for (const auto& [v, k] : best) {
      std::string sig = signature(lower, ops, v);
      if (lower == "aws:sourcevpce") {
        sig += approved_vpces.count(v) ? "A" : "a";
        auto it = endpoint_vpc.find(v);
        sig += it != endpoint_vpc.end() ? "@" + vpc_sig(it->second) : "@?";
        // Endpoints with a policy of their own are decided by it: keep them apart.
        if (p_.network && p_.network->endpoint_policy && p_.network->endpoint_policy->count(v)) sig += "#" + v;
      } else if (lower == "aws:sourcevpc") {
        sig = vpc_sig(v) + (rep_endpoint_vpcs.count(v) ? "=" + v : "");
      }
      cls_of[v] = sig;
    }
    auto approved = [&](const std::string& v) {
      return (lower == "aws:sourcevpce" && approved_vpces.count(v)) ||
             (lower == "aws:sourcevpc" && approved_vpcs.count(v));
    };
    // Representatives: the bytewise-smallest value of each class.
    std::map<std::string, std::string> rep;
    for (const auto& [v, sig] : cls_of)
      if (!approved(v)) rep.emplace(sig, v);
    std::map<std::string, std::string> rep_by_value;
    for (const auto& [sig, v] : rep) rep_by_value.emplace(v, sig);
    std::vector<Choice> elems;
    for (const auto& [v, sig] : rep_by_value) elems.push_back({std::vector<std::string>{v}, sig, best[v]});
    if (lower == "aws:sourcevpce")
      for (const auto& e : elems) {
        auto it = endpoint_vpc.find(e.value->front());
        if (it != endpoint_vpc.end()) rep_endpoint_vpcs.insert(it->second);
      }
    // Witness order: absent, literals, placeholders, other values; bytewise within each.
    std::vector<Choice> worder;
    for (int kind = 0; kind <= 2; ++kind) {
      for (const auto& [v, k] : best) {
        if (static_cast<int>(k) != kind || approved(v)) continue;
        if (kind == 2 && rep.count(cls_of[v]) && rep[cls_of[v]] != v) continue;
        worder.push_back({std::vector<std::string>{v}, cls_of[v], k});
      }
    }
    d.reps.push_back({std::nullopt, "", ValueKind::Literal});
    d.witness.push_back({std::nullopt, "", ValueKind::Literal});
    if (!d.multi) {
      for (auto& e : elems) d.reps.push_back(e);
      for (auto& w : worder) d.witness.push_back(w);
    } else {
      // Sets of element classes: empty, singletons, pairs, triples (few classes), all.
      auto add_set = [&](std::vector<const Choice*> members, std::vector<Choice>& out) {
        std::vector<std::string> vals;
        std::string cls = "{";
        std::sort(members.begin(), members.end(), [](const Choice* a, const Choice* b) { return a->cls < b->cls; });
        for (const auto* m : members) { vals.push_back(m->value->front()); cls += m->cls + ","; }
        std::sort(vals.begin(), vals.end());
        out.push_back({vals, cls + "}", ValueKind::Derived});
      };
      add_set({}, d.reps);
      add_set({}, d.witness);
      for (const auto& w : worder) add_set({&w}, d.witness);
      for (std::size_t i = 0; i < elems.size(); ++i) add_set({&elems[i]}, d.reps);
      // More pairs than the budget has evaluations: the search could not finish (and the pairs
      // alone would take memory quadratic in the input): fail closed (docs/security.md).
      if (elems.size() * (elems.size() - 1) / 2 > p_.budget) throw BudgetExceeded{};
      for (std::size_t i = 0; i < elems.size(); ++i)
        for (std::size_t j = i + 1; j < elems.size(); ++j) add_set({&elems[i], &elems[j]}, d.reps);
      if (elems.size() <= 8)
        for (std::size_t i = 0; i < elems.size(); ++i)
          for (std::size_t j = i + 1; j < elems.size(); ++j)
            for (std::size_t k = j + 1; k < elems.size(); ++k)
              add_set({&elems[i], &elems[j], &elems[k]}, d.reps);
      if (elems.size() > 3) {
        std::vector<const Choice*> all;
        for (const auto& e : elems) all.push_back(&e);
        add_set(all, d.reps);
      }
      for (std::size_t i = 1; i < d.reps.size(); ++i) d.witness.push_back(d.reps[i]);
    }
    return d;
  };
  // aws:SourceVpc first: the SourceVpce classes refer to the VPC classes, and the VPCs of the
  // representative endpoints must stay distinct among the SourceVpc classes.
  std::vector<std::string> order(free_keys.begin(), free_keys.end());
  std::vector<Dim> built;
  if (free_keys.count("aws:sourcevpce")) built.push_back(make_dim("aws:sourcevpce"));
  for (const auto& k : order)
    if (k != "aws:sourcevpce") built.push_back(make_dim(k));
  std::sort(built.begin(), built.end(), [](const Dim& a, const Dim& b) { return a.canonical < b.canonical; });
  dims_ = std::move(built);
}

bool Searcher::valid(const std::vector<const Choice*>& a) const {
  if (!p_.network) return true;
  const KeyValue* vpce = nullptr;
  const KeyValue* vpc = nullptr;
  const KeyValue* ip = nullptr;
  for (std::size_t i = 0; i < dims_.size(); ++i) {
    if (!dims_[i].network) continue;
    if (dims_[i].lower == "aws:sourcevpce") vpce = &a[i]->value;
    else if (dims_[i].lower == "aws:sourcevpc") vpc = &a[i]->value;
    else if (dims_[i].lower == "aws:sourceip") ip = &a[i]->value;
  }
  bool has_vpce = vpce && vpce->has_value() && !(*vpce)->empty();
  bool has_vpc = vpc && vpc->has_value() && !(*vpc)->empty();
  if (has_vpce != has_vpc) return false;  // aws:SourceVpc is present exactly when aws:SourceVpce is
  if (!has_vpce) return true;
  const std::string& e = (*vpce)->front();
  const std::string& v = (*vpc)->front();
  if (p_.network->approved_vpces && p_.network->approved_vpces->count(e)) return false;
  if (p_.network->approved_vpcs && p_.network->approved_vpcs->count(v)) return false;
  if (p_.network->endpoint_vpc) {
    auto it = p_.network->endpoint_vpc->find(e);
    if (it != p_.network->endpoint_vpc->end() && !it->second.empty() && it->second != v) return false;
  }
  if (ip && ip->has_value()) return false;  // aws:SourceIp is absent through an endpoint
  return true;
}

eval::Context Searcher::context_for(const std::vector<const Choice*>& a, const std::string& resource) const {
  eval::Context ctx = base_;
  std::string acct = model::arn_account(resource);
  ctx.set("aws:ResourceAccount", acct.empty() ? account_ : acct);
  if (p_.resource_fixes_region) {
    std::string region = model::arn_region(resource);
    if (!region.empty()) ctx.set("aws:RequestedRegion", region);
  }
  for (std::size_t i = 0; i < dims_.size(); ++i)
    if (a[i]->value) ctx.set(dims_[i].canonical, *a[i]->value);
  return ctx;
}

bool Searcher::evaluate_on(const std::vector<const Choice*>& a, const std::string& resource, eval::Result* out) {
  if (evals_ >= limit_) throw BudgetExceeded{};
  ++evals_;
  eval::Request req;
  req.action = p_.action;
  req.resource = resource;
  req.principal_arn = p_.subject.arn;
  std::string acct = model::arn_account(resource);
  req.resource_account = acct.empty() ? account_ : acct;
  req.context = context_for(a, resource);
  eval::Result r = eval::evaluate(set_for(req.context), req);
  bool allowed = r.decision == eval::Decision::Allowed;
  if (out) *out = std::move(r);
  return allowed;
}

bool Searcher::complete(std::vector<const Choice*>& a, std::size_t k, std::string* resource) {
  std::size_t n = dims_.size();
  std::vector<std::size_t> idx(n, 0);
  for (std::size_t i = k; i < n; ++i) a[i] = &dims_[i].reps[0];
  while (true) {
    if (valid(a)) {
      for (const auto& r : res_reps_) {
        if (evaluate_on(a, r, nullptr)) {
          if (resource) *resource = r;
          return true;
        }
      }
    }
    // Odometer over dims k..n-1 (last fastest).
    std::size_t i = n;
    while (true) {
      if (i == k) return false;  // every combination tried
      --i;
      if (++idx[i] < dims_[i].reps.size()) {
        a[i] = &dims_[i].reps[idx[i]];
        break;
      }
      idx[i] = 0;
      a[i] = &dims_[i].reps[0];
    }
  }
}

// An upper bound of the evaluations that run() makes when no request is allowed: the product of
// the dims' representatives and the resources, over the dims that any subset of the statements
// matching the action could give (every Resource taken to match). Each operand yields at most 7
// candidate values (presigned_values.cpp: a pattern's 3 instances and itself, 3 case variants;
// a number's 3 neighbours, a date's 4, a CIDR's 4 and the placeholder), plus the key's
// placeholder, "0" and the merges of its patterns (2 per ordered pair); a role's aws:userid adds
// its own placeholder. A multi-valued key has at most 3 + E + E^2 + E^3 sets of E classes.
std::size_t Searcher::bound() {
  constexpr std::size_t kMax = static_cast<std::size_t>(-1);
  if (p_.network) return kMax;
  fixed_keys();
  auto mul = [&](std::size_t a, std::size_t b) { return (a != 0 && b > kMax / a) ? kMax : a * b; };
  struct KeyOps {
    std::size_t values = 0, patterns = 0;
    bool qualified = false;
  };
  std::map<std::string, KeyOps> keys;
  filter_policies();
  for_each_policy(set_, [&](const eval::SourcedPolicy& sp, eval::PolicyType) {
    for (const auto& st : sp.doc->statements) {
      std::vector<std::string> vars;
      for (const auto& c : st.conditions) {
        auto& k = keys[lower_key(c.key)];
        k.qualified = k.qualified || c.qualifier != model::SetQualifier::None;
        if (c.op != ConditionOperator::Null) {
          k.values += c.values.size();
          if (is_wildcard_op(c.op))
            for (const auto& v : c.values) k.patterns += v.find_first_of("*?") != std::string::npos ? 1 : 0;
        }
        if (sp.doc->variables_enabled())
          for (const auto& v : c.values) variables_in(v, vars);
      }
      if (sp.doc->variables_enabled())
        for (const auto& r : st.resources) variables_in(r, vars);
      for (const auto& v : vars) keys[lower_key(v)];
    }
  });
  std::size_t total = p_.resources.size();
  for (const auto& [lower, k] : keys) {
    if (lower == "*" || lower == "?" || lower == "$" || fixed(lower)) continue;
    std::size_t b = 4;
    b = b > kMax - mul(7, k.values) ? kMax : b + mul(7, k.values);
    std::size_t merges = mul(2, mul(k.patterns, k.patterns));
    b = b > kMax - merges ? kMax : b + merges;
    bool multi = known_multi_valued(lower) ||
                 (k.qualified && !global_keys().count(lower) && !starts_with(lower, "aws:requesttag/") &&
                  !starts_with(lower, "aws:resourcetag/"));
    // build_dims refuses up front (Incomplete) when classing a key would cost more than 1,000
    // times the budget, or a multi-valued key needs more pairs than the budget: no bound then.
    if (mul(b, k.values) > mul(1000, p_.budget) || (multi && mul(b, b) / 2 > p_.budget)) return kMax;
    std::size_t reps = 1 + b;
    if (multi) {
      std::size_t b2 = mul(b, b), b3 = mul(b2, b);
      reps = 3 + b;
      reps = reps > kMax - b2 ? kMax : reps + b2;
      reps = reps > kMax - b3 ? kMax : reps + b3;
    }
    total = mul(total, reps);
  }
  return total;
}

Answer Searcher::run() {
  Answer ans;
  fixed_keys();
  filter_policies();
  relevant_statements();
  live_endpoints();
  build_resources();
  try {
    build_dims();
  } catch (const BudgetExceeded&) {
    ans.outcome = Outcome::Incomplete;
    ans.resources = p_.resources;
    ans.context = base_;
    return ans;
  }
  for (const auto& d : dims_)
    if (d.multi) ans.multi_valued.insert(d.canonical);

  std::vector<const Choice*> a(dims_.size());
  for (std::size_t i = 0; i < dims_.size(); ++i) a[i] = &dims_[i].reps[0];

  // 1. The decision.
  limit_ = p_.budget;
  bool found = false;
  try {
    found = !res_reps_.empty() && complete(a, 0, nullptr);
  } catch (const BudgetExceeded&) {
    ans.outcome = Outcome::Incomplete;
    ans.evaluations = evals_;
    for (std::size_t i = 0; i < dims_.size(); ++i) a[i] = &dims_[i].reps[0];
    for (const auto& d : dims_) ans.witness.push_back({d.canonical, std::nullopt});
    ans.resources = p_.resources;
    ans.context = base_;
    return ans;
  }
  if (!found) {
    ans.outcome = Outcome::Restricted;
    ans.evaluations = evals_;
    return ans;
  }
  ans.outcome = Outcome::Allowed;
  std::vector<const Choice*> found_assignment = a;

  // 2. The witness: key by key in bytewise order; absent if a completion exists, else the
  // smallest literal that works, else a placeholder, else another value.
  limit_ = evals_ + p_.budget;
  std::vector<const Choice*> w(dims_.size());
  try {
    for (std::size_t i = 0; i < dims_.size(); ++i) {
      std::set<std::string> failed;
      bool chosen = false;
      for (const auto& c : dims_[i].witness) {
        // Network keys interact by value (an endpoint implies its VPC): no class short cut.
        if (!dims_[i].network && failed.count(c.cls)) continue;
        w[i] = &c;
        std::vector<const Choice*> trial = w;
        if (complete(trial, i + 1, nullptr)) { chosen = true; break; }
        failed.insert(c.cls);
      }
      if (!chosen) throw BudgetExceeded{};  // cannot happen: the decision found one
    }
  } catch (const BudgetExceeded&) {
    w = found_assignment;
    ans.witness_minimal = false;
  }
  ans.evaluations = evals_;

  // 3. What the witness request reaches, and the statements that allow it.
  limit_ = static_cast<std::size_t>(-1);
  std::set<StatementRef> stmts;
  for (const auto& r : res_reps_) {
    eval::Result res;
    if (!evaluate_on(w, r, &res)) continue;
    for (const auto& m : res.matched) {
      if (m.source_id == kAssumedFullAwsAccessId) continue;
      if (m.statement && m.statement->effect != model::Effect::Allow) continue;
      stmts.insert({m.source_id, m.sid, m.index, m.type});
    }
    for (const auto& member : res_members_[r]) ans.resources.push_back(member);
  }
  std::sort(ans.resources.begin(), ans.resources.end());
  ans.statements.assign(stmts.begin(), stmts.end());
  std::string first = ans.resources.empty() ? (p_.resources.empty() ? "" : p_.resources.front()) : ans.resources.front();
  ans.context = context_for(w, first);

  // Witness keys: the check's own (network) keys and every condition key of the relevant
  // statements, with the value the request has.
  std::map<std::string, KeyValue> wit;
  for (std::size_t i = 0; i < dims_.size(); ++i) wit[dims_[i].canonical] = w[i]->value;
  for (const auto& [lower, canon] : spelling_) {
    if (wit.count(canon)) continue;
    if (!conds_.count(lower)) continue;
    const auto* v = ans.context.get(canon);
    wit[canon] = v ? KeyValue(*v) : std::nullopt;
  }
  for (auto& [k, v] : wit) ans.witness.push_back({k, v});
  return ans;
}

}  // namespace

const model::PolicyDocument* FilteredDocs::get(const model::PolicyDocument* doc, const std::string& action) {
  auto key = std::make_pair(doc, action);
  {
    std::lock_guard lock(mu_);
    if (auto it = docs_.find(key); it != docs_.end()) return it->second.get();
  }
  auto d = std::make_unique<model::PolicyDocument>();
  d->version = doc->version;
  d->id = doc->id;
  for (const auto& st : doc->statements)
    if (eval::action_matches(st, action)) d->statements.push_back(st);
  std::lock_guard lock(mu_);
  return docs_.emplace(std::move(key), std::move(d)).first->second.get();  // the first stored wins
}

std::string canonical_key(const std::string& key) {
  std::string lower = lower_key(key);
  const auto& g = global_keys();
  if (auto it = g.find(lower); it != g.end()) return it->second;
  for (const char* prefix : {"aws:PrincipalTag/", "aws:ResourceTag/", "aws:RequestTag/"}) {
    std::string lp = lower_key(prefix);
    if (starts_with(lower, lp)) return prefix + key.substr(lp.size());
  }
  return key;
}

eval::PolicySet policies_for(const Problem& problem, const eval::Context& context) {
  if (!problem.network || !problem.network->endpoint_policy || problem.policies.endpoint) return problem.policies;
  const auto* vpce = context.get("aws:SourceVpce");
  if (!vpce || vpce->size() != 1) return problem.policies;
  auto it = problem.network->endpoint_policy->find(eval::ascii_lower(vpce->front()));
  if (it == problem.network->endpoint_policy->end()) return problem.policies;
  eval::PolicySet set = problem.policies;
  set.endpoint = eval::SourcedPolicy{it->second, it->first};
  return set;
}

namespace {
// AWS's default endpoint policy: one statement allowing every action on every resource to
// every principal, without conditions. It changes no decision, so it is not applied.
bool is_full_access(const model::PolicyDocument& d) {
  if (d.statements.size() != 1) return false;
  const auto& st = d.statements[0];
  bool anyone = st.principal && (st.principal->wildcard ||
                                 (st.principal->by_type.size() == 1 && st.principal->by_type.count("AWS") &&
                                  st.principal->by_type.at("AWS") == std::vector<std::string>{"*"}));
  return st.effect == model::Effect::Allow && anyone && !st.not_principal && !st.not_action &&
         st.actions == std::vector<std::string>{"*"} && !st.not_resource &&
         st.resources == std::vector<std::string>{"*"} && st.conditions.empty();
}
}  // namespace

Answer decide(const Problem& problem) {
  Searcher s(problem);
  return s.run();
}

std::size_t evaluation_bound(const Problem& problem) {
  Searcher s(problem);
  return s.bound();
}

eval::Result evaluate_answer(const Problem& problem, const Answer& answer, const std::string& resource) {
  eval::Request req;
  req.action = problem.action;
  req.resource = resource;
  req.principal_arn = problem.subject.arn;
  std::string acct = model::arn_account(resource);
  req.resource_account = acct.empty() ? model::arn_account(problem.subject.arn) : acct;
  req.context = answer.context;
  if (!acct.empty()) req.context.set("aws:ResourceAccount", acct);
  if (problem.resource_fixes_region && !model::arn_region(resource).empty())
    req.context.set("aws:RequestedRegion", model::arn_region(resource));
  return eval::evaluate(policies_for(problem, req.context), req);
}

Json witness_json(const Answer& answer) {
  Json w = Json::object();
  for (const auto& [k, v] : answer.witness) {
    if (!v) {
      w[k] = nullptr;
    } else if (answer.multi_valued.count(k)) {
      w[k] = *v;
    } else if (v->size() == 1) {
      w[k] = v->front();
    } else {
      w[k] = *v;
    }
  }
  return w;
}

Json statements_json(const std::vector<StatementRef>& statements) {
  Json out = Json::array();
  for (const auto& s : statements) {
    Json j = Json::object();
    j["policy"] = s.policy;
    j["sid"] = s.sid ? Json(*s.sid) : Json(nullptr);
    j["index"] = s.index;
    out.push_back(std::move(j));
  }
  return out;
}

std::string describe_statements(const std::vector<StatementRef>& statements) {
  std::string out;
  for (std::size_t i = 0; i < statements.size(); ++i) {
    const auto& s = statements[i];
    if (i) out += i + 1 == statements.size() ? " and " : ", ";
    out += "statement " + std::to_string(s.index);
    if (s.sid) out += " (Sid \"" + *s.sid + "\")";
    out += " of ";
    out += eval::to_string(s.type);
    out += " policy " + s.policy;
  }
  return out;
}

std::string describe_witness(const Answer& answer) {
  std::string out;
  for (const auto& [k, v] : answer.witness) {
    if (!out.empty()) out += ", ";
    out += k + " ";
    if (!v) {
      out += "absent";
    } else {
      out += "= ";
      for (std::size_t i = 0; i < v->size(); ++i) out += (i ? "," : "") + (*v)[i];
      if (v->empty()) out += "[]";
    }
  }
  return out;
}

// ---------------------------------------------------------------- PresignedAnalysis

PresignedAnalysis::PresignedAnalysis(const CheckContext& ctx)
    : ctx_(ctx), options_(ctx.options), policies_(ctx.graph) {
  const auto& a = ctx.account();
  for (const auto& e : a.vpc_endpoints) endpoint_vpc_[e.id] = e.vpc_id;
  network_.approved_vpces = &options_.approved_vpces;
  network_.approved_vpcs = &options_.approved_vpcs;
  network_.endpoint_vpc = &endpoint_vpc_;
  for (const auto& e : a.vpc_endpoints)
    if (e.policy && !is_full_access(*e.policy)) endpoint_policy_[eval::ascii_lower(e.id)] = &*e.policy;
  network_.endpoint_policy = &endpoint_policy_;
  endpoint_index_ = std::make_shared<const EndpointIndex>(endpoint_vpc_, options_.approved_vpces, options_.approved_vpcs,
                                                          endpoint_policy_);
  network_.index = endpoint_index_.get();
  for (const auto& n : a.notebooks) notebooks_.push_back(n.arn);
  std::sort(notebooks_.begin(), notebooks_.end());
  notebooks_.erase(std::unique(notebooks_.begin(), notebooks_.end()), notebooks_.end());
  for (const auto& n : notebooks_) notebooks_by_account_[model::arn_account(n)].push_back(n);
  std::set<std::string> regions;
  for (const auto& v : a.vpcs)
    if (!v.region.empty()) regions.insert(v.region);
  for (const auto& e : a.vpc_endpoints) {
    // com.amazonaws.<region>.<service>
    const auto& s = e.service_name;
    auto p1 = s.find('.');
    auto p2 = p1 == std::string::npos ? p1 : s.find('.', p1 + 1);
    auto p3 = p2 == std::string::npos ? p2 : s.find('.', p2 + 1);
    if (p3 != std::string::npos) regions.insert(s.substr(p2 + 1, p3 - p2 - 1));
  }
  if (regions.empty()) regions.insert("us-east-1");
  regions_.assign(regions.begin(), regions.end());
  run();
}

Subject PresignedAnalysis::subject_of(const PrincipalEntry& p) const {
  Subject s;
  s.arn = p.arn;
  s.is_user = p.is_user;
  s.name = p.user ? p.user->name : "";
  s.id = p.id;
  s.tags = p.tags;
  s.org_id = options_.org_id;
  return s;
}

namespace {

// Notebook ARNs that stand for "any notebook" when the input holds none: the principal's
// account, the input's regions, and names instantiated from the Resource patterns of the
// statements that match the action (plus a generic name).
std::vector<std::string> generic_notebooks(const eval::PolicySet& set, const std::string& principal_arn,
                                           const std::vector<std::string>& regions) {
  std::string account = model::arn_account(principal_arn);
  std::string partition = "aws";
  if (auto p1 = principal_arn.find(':'); p1 != std::string::npos) {
    auto p2 = principal_arn.find(':', p1 + 1);
    if (p2 != std::string::npos) partition = principal_arn.substr(p1 + 1, p2 - p1 - 1);
  }
  std::set<std::string> region_set(regions.begin(), regions.end());
  std::vector<Operand> name_patterns;
  for_each_policy(set, [&](const eval::SourcedPolicy& sp, eval::PolicyType) {
    for (const auto& st : sp.doc->statements) {
      if (!eval::action_matches(st, kAction)) continue;
      for (const auto& r : st.resources) {
        const std::string marker = "notebook-instance/";
        if (auto pos = r.find(marker); pos != std::string::npos)
          name_patterns.push_back({model::ConditionOperator::StringLike, r.substr(pos + marker.size())});
        // arn:partition:service:region:... -> a region written out in full
        std::vector<std::string> parts;
        std::size_t start = 0;
        for (int i = 0; i < 4; ++i) {
          auto c = r.find(':', start);
          if (c == std::string::npos) break;
          parts.push_back(r.substr(start, c - start));
          start = c + 1;
        }
        if (parts.size() == 4 && parts[0] == "arn") {
          auto c = r.find(':', start);
          std::string region = c == std::string::npos ? "" : r.substr(start, c - start);
          if (!region.empty() && region.find_first_of("*?$") == std::string::npos) region_set.insert(region);
        }
      }
    }
  });
  std::set<std::string> names = {"vpcgate-any-notebook"};
  for (const auto& c : candidate_values("notebook-name", name_patterns)) {
    if (c.value.empty() || c.value == "placeholder" || c.value.find_first_of("*?$:/") != std::string::npos) continue;
    names.insert(c.value);
  }
  std::vector<std::string> out;
  for (const auto& region : region_set)
    for (const auto& n : names)
      out.push_back("arn:" + partition + ":sagemaker:" + region + ":" + account + ":notebook-instance/" + n);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

Problem PresignedAnalysis::problem_for(const PrincipalEntry& p, const eval::PolicySet& set) const {
  Problem pr;
  pr.policies = set;
  pr.action = kAction;
  if (notebooks_.empty()) {
    pr.resources = generic_notebooks(set, p.arn, regions_);
  } else if (!set.resource) {
    // Without a resource-based policy a request on another account's notebook is never allowed
    // (eval::evaluate, cross-account): only the principal's own account's notebooks can be
    // reached, and the decision and witness are the same as over every notebook. This keeps a
    // decision's cost independent of the number of accounts in the export (bench/).
    auto it = notebooks_by_account_.find(model::arn_account(p.arn));
    if (it != notebooks_by_account_.end()) pr.resources = it->second;
  } else {
    pr.resources = notebooks_;
  }
  pr.subject = subject_of(p);
  pr.network = network_;
  pr.resource_fixes_region = true;
  pr.budget = options_.search_budget;
  pr.docs = &filtered_docs_;
  return pr;
}

Verdict PresignedAnalysis::decide_with(const PrincipalEntry& p, const eval::PolicySet& set) const {
  return decide_logged(p, set, std::cerr);
}

Verdict PresignedAnalysis::decide_logged(const PrincipalEntry& p, const eval::PolicySet& set, std::ostream& log) const {
  Problem pr = problem_for(p, set);
  Verdict v;
  v.principal = &p;
  v.answer = decide(pr);
  v.outcome = v.answer.outcome;
  // The statements that allow it are the grants: identity policies (group policies
  // included). Boundaries and SCPs only permit; they do not grant
  // (docs/checks.md#presigned-url-unrestricted).
  std::erase_if(v.answer.statements,
                [](const StatementRef& s) { return s.type != eval::PolicyType::Identity; });
  if (v.outcome == Outcome::Allowed) {
    // Re-evaluate the final witness with the engine before reporting it.
    bool ok = !v.answer.resources.empty() &&
              evaluate_answer(pr, v.answer, v.answer.resources.front()).decision == eval::Decision::Allowed;
    if (!ok) {
      log << "vpcgate: warning: presigned-url: witness for " << model::terminal_safe(p.arn)
                << " did not re-evaluate as allowed; reporting the principal as unrestricted\n";
      v.outcome = Outcome::Incomplete;
    }
  } else if (v.outcome == Outcome::Incomplete) {
    log << "vpcgate: warning: presigned-url: the decision for " << model::terminal_safe(p.arn) << " exceeded the search budget ("
              << pr.budget << " evaluations); reporting it as unrestricted\n";
  }
  if (!notebooks_.empty()) {
    v.notebooks = Json::array();
    for (const auto& n : v.answer.resources) v.notebooks.push_back(n);
  } else {
    v.notebooks = Json::array({"*"});
  }
  return v;
}

namespace {

// Which keys the caller fixes and the statements test: the grouping of principals must keep
// apart those that the conditions (or policy variables) tell apart.
std::string fixed_key_signature(const PrincipalEntry& p, const Subject& s) {
  std::string sig;
  std::vector<std::pair<const model::PolicyDocument*, const model::Statement*>> stmts;
  for_each_policy(p.policies, [&](const eval::SourcedPolicy& sp, eval::PolicyType) {
    for (const auto& st : sp.doc->statements)
      if (eval::action_matches(st, kAction)) stmts.push_back({sp.doc, &st});
  });
  eval::Context ctx;
  std::string account = model::arn_account(s.arn);
  ctx.set("aws:PrincipalArn", s.arn);
  ctx.set("aws:PrincipalAccount", account);
  ctx.set("aws:PrincipalType", s.is_user ? "User" : "AssumedRole");
  if (s.is_user) ctx.set("aws:username", s.name);
  if (s.is_user && !s.id.empty()) ctx.set("aws:userid", s.id);
  for (const auto& t : s.tags) ctx.set("aws:PrincipalTag/" + t.key, t.value);
  bool variables = false;
  for (const auto& [doc, st] : stmts) {
    if (!doc->variables_enabled()) continue;
    for (const auto& r : st->resources) variables = variables || r.find("${") != std::string::npos;
    for (const auto& c : st->conditions)
      for (const auto& v : c.values) variables = variables || v.find("${") != std::string::npos;
  }
  if (variables) {
    // Policy variables may read any key: keep the principal apart.
    return "arn=" + s.arn;
  }
  for (const auto& [doc, st] : stmts) {
    for (const auto& c : st->conditions) {
      std::string lower = eval::ascii_lower(c.key);
      bool principal_key = lower == "aws:principalarn" || lower == "aws:principalaccount" ||
                           lower == "aws:principaltype" || lower == "aws:username" ||
                           lower == "aws:userid" || starts_with(lower, "aws:principaltag/");
      if (!principal_key) continue;
      if (lower == "aws:userid" && !s.is_user) {
        sig += "|rid=" + s.id;
        continue;
      }
      sig += eval::condition_holds(*doc, c, ctx) ? '1' : '0';
    }
  }
  return sig;
}

}  // namespace

void PresignedAnalysis::run() {
  const auto& ps = policies_.principals();
  // Group principals by the policies that reach them and what their fixed keys make of the
  // conditions; decide once per group.
  std::map<std::string, std::vector<std::size_t>> groups;
  for (std::size_t i = 0; i < ps.size(); ++i) {
    const auto& p = ps[i];
    std::string key = p.is_user ? "U|" : "R|";
    key += model::arn_account(p.arn) + "|";
    for (const auto& sp : p.policies.identity) key += sp.source_id + '\n';
    key += "|b=" + (p.policies.boundary ? p.policies.boundary->source_id : std::string("-"));
    key += "|f=" + fixed_key_signature(p, subject_of(p));
    groups[key].push_back(i);
  }
  verdicts_.resize(ps.size());
  // The groups are independent: decided on every core (VPCGATE_THREADS caps the threads, 1 is
  // sequential), each writing the verdicts of its own members, its warnings kept per group and
  // printed in group order afterwards: the same verdicts and bytes whatever the threads.
  std::vector<const std::vector<std::size_t>*> order;
  order.reserve(groups.size());
  for (const auto& [key, members] : groups) order.push_back(&members);
  std::vector<std::string> logs(order.size());
  model::parallel_for(order.size(), [&](std::size_t gi) {
    std::ostringstream log;
    decide_members(*order[gi], log);
    logs[gi] = log.str();
  });
  for (const auto& l : logs) std::cerr << l;
  for (std::size_t i = 0; i < ps.size(); ++i) by_arn_.emplace(ps[i].arn, i);
}

void PresignedAnalysis::decide_members(const std::vector<std::size_t>& members, std::ostream& log) {
  const auto& ps = policies_.principals();
  {
    const auto& rep = ps[members.front()];
    Verdict rv = decide_logged(rep, rep.policies, log);
    for (std::size_t m : members) {
      const auto& p = ps[m];
      if (m == members.front()) {
        verdicts_[m] = rv;
        continue;
      }
      Verdict v = rv;
      v.principal = &p;
      if (rv.outcome == Outcome::Allowed) {
        // Same free values; the member's own fixed keys.
        Problem pr = problem_for(p, p.policies);
        Answer a = rv.answer;
        eval::Context c = a.context;
        Subject s = subject_of(p);
        c.set("aws:PrincipalArn", s.arn);
        c.set("aws:PrincipalAccount", model::arn_account(s.arn));
        if (s.is_user) c.set("aws:username", s.name);
        if (s.is_user && !s.id.empty()) c.set("aws:userid", s.id);
        for (const auto& e : rep.tags) c.erase("aws:PrincipalTag/" + e.key);
        for (const auto& t : s.tags) c.set("aws:PrincipalTag/" + t.key, t.value);
        a.context = c;
        for (auto& [k, val] : a.witness) {
          const auto* cv = c.get(k);
          std::string lower = eval::ascii_lower(k);
          bool principal_key = lower == "aws:principalarn" || lower == "aws:principalaccount" ||
                               lower == "aws:username" || (lower == "aws:userid" && s.is_user) ||
                               starts_with(lower, "aws:principaltag/");
          if (principal_key) val = cv ? KeyValue(*cv) : std::nullopt;
        }
        v.answer = std::move(a);
        bool ok = evaluate_answer(pr, v.answer, v.answer.resources.front()).decision == eval::Decision::Allowed;
        if (!ok) v = decide_logged(p, p.policies, log);
      }
      verdicts_[m] = std::move(v);
    }
  }
  // The witness's full context served the re-evaluations above; nothing reads it later (the
  // reports read the witness, statements and notebooks). Freed: an organisation has tens of
  // thousands of verdicts.
  for (std::size_t m : members) verdicts_[m].answer.context = eval::Context{};
}

const Verdict* PresignedAnalysis::verdict(const std::string& arn) const {
  auto it = by_arn_.find(arn);
  return it == by_arn_.end() ? nullptr : &verdicts_[it->second];
}

const PresignedAnalysis& PresignedAnalysis::get(const CheckContext& ctx) {
  struct Holder {
    std::once_flag once;
    std::unique_ptr<PresignedAnalysis> analysis;
  };
  std::shared_ptr<Holder> holder;
  {
    std::lock_guard lock(ctx.cache_mu);
    auto& slot = ctx.cache["presigned-analysis"];
    if (!slot) slot = std::make_shared<Holder>();
    holder = std::static_pointer_cast<Holder>(slot);
  }
  std::call_once(holder->once, [&] { holder->analysis = std::make_unique<PresignedAnalysis>(ctx); });
  return *holder->analysis;
}

}  // namespace vpcgate::checks::presigned
