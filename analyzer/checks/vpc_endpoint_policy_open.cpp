#include "analyzer/checks/vpc_endpoint_policy_open.hpp"
#include "model/terminal_safe.hpp"

#include <algorithm>
#include <iostream>
#include <mutex>
#include <tuple>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "analyzer/checks/presigned_analysis.hpp"  // canonical_key (read only)
#include "analyzer/checks/presigned_values.hpp"    // candidate_values (read only)
#include "analyzer/eval/evaluate.hpp"

namespace vpcgate::checks {
namespace endpoint_policy {

using model::ConditionOperator;
using presigned::keep_best;

// ---------------------------------------------------------------- trusted accounts of a scan

// The trusted accounts, sorted, split into plain ones (all digits: the only ones a decision may
// leave out, see Search::trusted_candidates) and the others; and named(): which plain accounts a
// condition operand or a Resource entry tells apart when the account is put into a value
// `a + account + b` (a = b = "" for aws:PrincipalAccount/aws:ResourceAccount; the rest of an ARN
// around its account field for aws:PrincipalArn and Resource). EndpointIndex in
// presigned_analysis.cpp does the same for endpoint IDs.
class TrustedIndex {
 public:
  enum class Test { Condition, Resource };

  explicit TrustedIndex(const std::set<std::string>& accounts) {
    for (const auto& a : accounts) (plain(a) ? plain_ : others_).push_back(a);
  }

  static bool plain(const std::string& a) {
    return !a.empty() && std::all_of(a.begin(), a.end(), [](char c) { return c >= '0' && c <= '9'; });
  }
  const std::vector<std::string>& plain_accounts() const { return plain_; }  // sorted
  const std::vector<std::string>& other_accounts() const { return others_; }

  // Adds to `out` a superset of the plain accounts u on which the positive test of `v` on
  // x = a + u + b differs from its test on most plain accounts. Test::Condition: a condition
  // `op` with the one value `v` (as eval::condition_holds tests it on a key whose value is x);
  // Test::Resource: a Resource entry `v` (eval::resource_matches on the resource x). `v` holds no
  // policy variable (or the document has them disabled): it is read as written.
  void named(Test t, ConditionOperator op, const std::string& v, const std::string& a, const std::string& b,
             std::set<std::string>& out) const {
    using Op = ConditionOperator;
    // The u with a + u + b == s (exact comparison: only that account can differ).
    auto equal_to = [&](const std::string& s, const std::string& pa, const std::string& pb) {
      if (s.size() >= pa.size() + pb.size() && s.compare(0, pa.size(), pa) == 0 &&
          s.compare(s.size() - pb.size(), pb.size(), pb) == 0)
        out.insert(s.substr(pa.size(), s.size() - pa.size() - pb.size()));
    };
    // x is an ARN whose account field is u: a = "p0:p1:p2:p3:", b = ":p5".
    const bool arn_shape = std::count(a.begin(), a.end(), ':') == 4 && !a.empty() && a.back() == ':' && !b.empty() &&
                           b.front() == ':';
    const bool wild = v.find_first_of("*?") != std::string::npos;
    const bool arn_family = op == Op::ArnEquals || op == Op::ArnLike || op == Op::ArnNotEquals || op == Op::ArnNotLike;
    if (t == Test::Condition) {
      switch (op) {
        case Op::Null:
          return;  // tests presence only: x is always present
        case Op::StringEquals:
        case Op::StringNotEquals:
          equal_to(v, a, b);
          return;
        case Op::StringEqualsIgnoreCase:
        case Op::StringNotEqualsIgnoreCase:
        case Op::Bool:  // lower(v) == lower(x); lower(u) == u for a plain account
          equal_to(eval::ascii_lower(v), eval::ascii_lower(a), eval::ascii_lower(b));
          return;
        default:
          break;
      }
    }
    if (t == Test::Resource && !arn_shape) {
      generic(t, op, v, a, b, out);  // field by field or as a whole, depending on x
      return;
    }
    if ((t == Test::Resource || arn_family) && arn_shape) {
      // ARN matching (arn_condition_match, arn_like) compares the six fields one by one when the
      // pattern has five colons (all literal: no variables): the account field alone depends on
      // u. With fewer, a condition never matches and a Resource entry is matched as a whole.
      std::vector<std::string> parts = split_colons(v);
      if (parts.size() == 6) {
        const std::string& field = parts[4];
        if (field.find_first_of("*?") == std::string::npos) {
          out.insert(field);
          return;
        }
        generic(t, op, "*:*:*:*:" + field + ":*", "p0:p1:p2:p3:", ":p5", out);
        return;
      }
      if (t == Test::Condition) return;
    }
    if (t == Test::Resource || op == Op::StringLike || op == Op::StringNotLike) {  // x matched as a whole
      if (!wild) {
        equal_to(v, a, b);  // a pattern without wildcards matches one text
        return;
      }
      // The literal head of the pattern: when it reaches past `a` into a non-digit character, a
      // matching x has u = the digits of the head after `a` (u is digits, then b begins with a
      // non-digit or x ends).
      if (b.empty() || b.front() < '0' || b.front() > '9') {
        std::string head = v.substr(0, v.find_first_of("*?"));
        if (head.compare(0, std::min(head.size(), a.size()), a, 0, std::min(head.size(), a.size())) != 0) return;
        if (head.size() > a.size()) {
          std::string rest = head.substr(a.size());
          auto j = rest.find_first_not_of("0123456789");
          if (j != std::string::npos) {
            if (j > 0) out.insert(rest.substr(0, j));
            return;
          }
        }
      }
    }
    generic(t, op, v, a, b, out);
  }

 private:
  static std::vector<std::string> split_colons(const std::string& s) {
    std::vector<std::string> p;
    std::size_t start = 0;
    while (p.size() < 5) {
      auto pos = s.find(':', start);
      if (pos == std::string::npos) break;
      p.push_back(s.substr(start, pos - start));
      start = pos + 1;
    }
    p.push_back(s.substr(start));
    return p;
  }

  static bool holds(Test t, ConditionOperator op, const std::string& v, const std::string& x) {
    static const model::PolicyDocument plain_doc;  // no Version: values read as written
    if (t == Test::Condition) {
      model::Condition c;
      c.op = op;
      c.key = "vpcgate:value";
      c.values = {v};
      eval::Context ctx;
      ctx.set("vpcgate:value", x);
      return eval::condition_holds(plain_doc, c, ctx);
    }
    model::Statement st;
    st.resources = {v};
    st.has_resource = true;
    return eval::resource_matches(plain_doc, st, x, eval::Context{});
  }

  // Evaluated on every plain account once per scan; the minority answer is named.
  void generic(Test t, ConditionOperator op, const std::string& v, const std::string& a, const std::string& b,
               std::set<std::string>& out) const {
    auto key = std::make_tuple(static_cast<int>(t), static_cast<int>(op), v, a, b);
    {
      std::lock_guard lock(mu_);
      if (auto it = cache_.find(key); it != cache_.end()) {
        out.insert(it->second.begin(), it->second.end());
        return;
      }
    }
    std::vector<char> bits(plain_.size(), 0);
    std::size_t ones = 0;
    for (std::size_t i = 0; i < plain_.size(); ++i) {
      bits[i] = holds(t, op, v, a + plain_[i] + b) ? 1 : 0;
      ones += static_cast<std::size_t>(bits[i]);
    }
    const char common = ones * 2 > plain_.size() ? 1 : 0;
    std::vector<std::string> exc;
    for (std::size_t i = 0; i < plain_.size(); ++i)
      if (bits[i] != common) exc.push_back(plain_[i]);
    out.insert(exc.begin(), exc.end());
    std::lock_guard lock(mu_);
    cache_.emplace(std::move(key), std::move(exc));
  }

  std::vector<std::string> plain_, others_;
  mutable std::mutex mu_;
  mutable std::map<std::tuple<int, int, std::string, std::string, std::string>, std::vector<std::string>> cache_;
};

std::shared_ptr<const TrustedIndex> make_trusted_index(const std::set<std::string>& accounts) {
  return std::make_shared<const TrustedIndex>(accounts);
}

namespace {

// Preference of a value in the witness: literals of the policy first, then well-known names
// (actions), then placeholders, then other values (CONTRACT.md, the witness paragraph).
enum Kind { kLiteral = 0, kKnown = 1, kPlaceholder = 2, kDerived = 3 };

const std::string kOutsideAccount = "999999999999";   // principal side placeholder
const std::string kOutsideResourceAccount = "888888888888";
const std::string kOutsideOrg = "o-0000000000";

bool starts_with(const std::string& s, const std::string& p) { return s.rfind(p, 0) == 0; }
bool has_wildcard(const std::string& s) { return s.find_first_of("*?") != std::string::npos; }
bool has_variable(const std::string& s) { return s.find("${") != std::string::npos; }
std::string lower(const std::string& s) { return eval::ascii_lower(s); }

std::vector<std::string> split(const std::string& s, char sep, std::size_t max_parts) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (out.size() + 1 < max_parts) {
    auto pos = s.find(sep, start);
    if (pos == std::string::npos) break;
    out.push_back(s.substr(start, pos - start));
    start = pos + 1;
  }
  out.push_back(s.substr(start));
  return out;
}

// arn:partition:service:region:account:resource -> 6 parts, else empty.
std::vector<std::string> arn_parts(const std::string& arn) {
  if (!starts_with(arn, "arn:")) return {};
  auto p = split(arn, ':', 6);
  if (p.size() != 6) return {};
  return p;
}
std::string join_arn(const std::vector<std::string>& p) {
  return fmt::format("{}:{}:{}:{}:{}:{}", p[0], p[1], p[2], p[3], p[4], p[5]);
}

bool known_multi_valued(const std::string& l) {
  static const std::set<std::string> keys = {"aws:calledvia", "aws:principalorgpaths", "aws:principalservicenameslist",
                                             "aws:resourceorgpaths", "aws:sourceorgpaths", "aws:tagkeys",
                                             "sts:transitivetagkeys"};
  return keys.count(l) > 0;
}

// Keys of the check itself and keys the principal's ARN determines.
bool principal_key(const std::string& l) {
  return l == "aws:principalaccount" || l == "aws:principalarn" || l == "aws:principaltype" || l == "aws:username";
}

const model::PolicyDocument& allow_all(bool with_principal) {
  static const model::PolicyDocument identity = [] {
    model::PolicyDocument d;
    model::Statement s;
    s.actions = {"*"};
    s.resources = {"*"};
    s.has_resource = true;
    d.statements.push_back(s);
    return d;
  }();
  static const model::PolicyDocument resource = [] {
    model::PolicyDocument d = identity;
    d.statements[0].principal = model::PrincipalSpec{true, {}};
    return d;
  }();
  return with_principal ? resource : identity;
}

// Well-known actions per prefix, for readable witnesses (any other name of the prefix is
// reached through the pattern instances).
const std::vector<std::string>& known_actions(const std::string& prefix) {
  static const std::map<std::string, std::vector<std::string>> m = {
      {"sagemaker", {"CreatePresignedNotebookInstanceUrl", "DescribeNotebookInstance", "InvokeEndpoint"}},
      {"s3", {"GetObject", "ListBucket", "PutObject"}},
      {"sts", {"AssumeRole", "GetCallerIdentity"}},
      {"ecr", {"BatchGetImage", "GetAuthorizationToken", "GetDownloadUrlForLayer"}},
      {"logs", {"CreateLogStream", "PutLogEvents"}},
      {"dynamodb", {"GetItem", "PutItem"}},
      {"kms", {"Decrypt", "GenerateDataKey"}},
      {"secretsmanager", {"GetSecretValue"}},
      {"ssm", {"GetParameter"}},
      {"cloudwatch", {"PutMetricData"}},
  };
  static const std::vector<std::string> none;
  auto it = m.find(prefix);
  return it == m.end() ? none : it->second;
}

struct Choice {
  std::string a, b;  // principal: account, ARN; resource: account, ARN; action: name
  KeyValue v;        // org and other keys
  bool forced_inside = false;  // a bucket written out in full
  std::string cls;
  std::vector<std::pair<int, std::string>> order;  // witness preference
};

enum class DimKind { Principal, PrincipalOrg, Resource, ResourceOrg, Action, Key };

struct Dim {
  DimKind kind = DimKind::Key;
  std::string key;  // canonical key (sort order); "~action" for the action
  bool multi = false;
  std::vector<Choice> reps;     // one per class
  std::vector<Choice> witness;  // every candidate, in witness order
};

struct BudgetExceeded {};

class Search {
 public:
  Search(const model::PolicyDocument& doc, const Endpoint& e, const Perimeter& p, const TrustedIndex& index)
      : doc_(doc), e_(e), p_(p), index_(index) {}
  Answer run();

 private:
  void collect();
  std::vector<presigned::Operand> operands(const std::string& l) const;
  std::vector<presigned::CandidateValue> pool(const std::string& l) const;
  std::string cond_bits(const std::set<std::string>& keys, const eval::Context& ctx) const;
  void finish_dim(Dim& d);
  Dim principal_dim();
  Dim resource_dim();
  Dim action_dim();
  Dim org_dim(const std::string& canonical);
  Dim key_dim(const std::string& l);
  bool principal_matches(const model::PrincipalSpec& spec, const std::string& acct, const std::string& arn) const;
  std::vector<std::string> trusted_candidates(const std::set<std::string>* named) const;
  void name_operands(const std::string& l, const std::string& a, const std::string& b, std::set<std::string>& out) const;
  bool valid(const std::vector<const Choice*>& a) const;
  eval::Request request(const std::vector<const Choice*>& a) const;
  bool allowed(const std::vector<const Choice*>& a, eval::Result* out);
  bool complete(std::vector<const Choice*>& a, std::size_t k);
  const Choice* of(const std::vector<const Choice*>& a, DimKind k) const;

  const model::PolicyDocument& doc_;
  const Endpoint& e_;
  const Perimeter& p_;
  const TrustedIndex& index_;
  eval::PolicySet set_;
  std::vector<std::string> prefixes_;
  std::string region_;
  std::set<std::string> orgs_;  // the organisation(s): inside
  bool variables_ = false;      // policy variables anywhere: no class short cuts
  std::map<std::string, std::string> spelling_;  // lower key -> canonical
  std::map<std::string, std::vector<const model::Condition*>> conds_;
  std::set<std::string> literal_accounts_;
  std::vector<std::string> principal_arns_;  // ARNs the Principal elements and conditions name
  std::vector<Dim> dims_;
  eval::Context fixed_;
  std::size_t evals_ = 0, limit_ = 0;
};

std::vector<presigned::Operand> Search::operands(const std::string& l) const {
  std::vector<presigned::Operand> ops;
  auto it = conds_.find(l);
  if (it == conds_.end()) return ops;
  for (const auto* c : it->second) {
    if (c->op == ConditionOperator::Null) continue;
    for (const auto& v : c->values)
      if (!has_variable(v)) ops.push_back({c->op, v});
  }
  return ops;
}

std::vector<presigned::CandidateValue> Search::pool(const std::string& l) const {
  auto out = presigned::candidate_values(l, operands(l));
  if (variables_) {
    // A condition may compare this key with another key's value (${aws:PrincipalOrgID}): every
    // value of every key is a candidate.
    for (const auto& [other, cs] : conds_)
      if (other != l)
        for (auto& c : presigned::candidate_values(other, operands(other))) out.push_back(c);
  }
  return out;
}

// Which of the policy's conditions on these keys hold in ctx.
std::string Search::cond_bits(const std::set<std::string>& keys, const eval::Context& ctx) const {
  std::string bits;
  for (const auto& k : keys) {
    auto it = conds_.find(k);
    if (it == conds_.end()) continue;
    for (const auto* c : it->second) bits += eval::condition_holds(doc_, *c, ctx) ? '1' : '0';
  }
  return bits;
}

void Search::collect() {
  for (const auto& st : doc_.statements) {
    for (const auto& c : st.conditions) {
      std::string l = lower(c.key);
      std::string canon = presigned::canonical_key(c.key);
      auto [it, inserted] = spelling_.emplace(l, canon);
      if (!inserted && canon < it->second) it->second = canon;
      conds_[l].push_back(&c);
      for (const auto& v : c.values) {
        if (doc_.variables_enabled() && has_variable(v)) variables_ = true;
        if ((l == "aws:principalorgid" || l == "aws:resourceorgid") && !has_wildcard(v) && !has_variable(v) &&
            !p_.org_id)
          orgs_.insert(v);  // CONTRACT.md: such a condition names the organisation
        if (l == "aws:principalarn" && !has_variable(v)) principal_arns_.push_back(v);
        if ((l == "aws:principalaccount" || l == "aws:resourceaccount") && !has_wildcard(v) && !has_variable(v))
          literal_accounts_.insert(v);
        if (l == "aws:principalarn" || l == "aws:resourcearn") {
          auto parts = arn_parts(v);
          if (!parts.empty() && !parts[4].empty() && !has_wildcard(parts[4]) && !has_variable(parts[4]))
            literal_accounts_.insert(parts[4]);
        }
      }
    }
    for (const auto* spec : {st.principal ? &*st.principal : nullptr, st.not_principal ? &*st.not_principal : nullptr}) {
      if (!spec) continue;
      auto it = spec->by_type.find("AWS");
      if (it == spec->by_type.end()) continue;
      for (const auto& v : it->second) {
        if (v == "*") continue;
        if (std::all_of(v.begin(), v.end(), [](char ch) { return ch >= '0' && ch <= '9'; })) {
          literal_accounts_.insert(v);
          continue;
        }
        auto parts = arn_parts(v);
        if (parts.empty()) continue;
        if (!parts[4].empty()) literal_accounts_.insert(parts[4]);
        if (parts[5] != "root") principal_arns_.push_back(v);
      }
    }
    for (const auto& r : st.resources) {
      if (doc_.variables_enabled() && has_variable(r)) variables_ = true;
      auto parts = arn_parts(r);
      if (!parts.empty() && !parts[4].empty() && !has_wildcard(parts[4]) && !has_variable(parts[4]))
        literal_accounts_.insert(parts[4]);
    }
  }
  if (p_.org_id) orgs_.insert(*p_.org_id);
}

bool Search::principal_matches(const model::PrincipalSpec& spec, const std::string& acct,
                               const std::string& arn) const {
  if (spec.wildcard) return true;
  for (const auto& [type, values] : spec.by_type)
    for (const auto& v : values) {
      if (type != "AWS") {
        if (v == arn) return true;
        continue;
      }
      if (v == "*" || v == acct || v == arn) return true;
      auto parts = arn_parts(v);
      if (!parts.empty() && parts[5] == "root" && parts[4] == acct) return true;
    }
  return false;
}

// Class signature plus witness order; keep one representative per class.
void Search::finish_dim(Dim& d) {
  std::sort(d.witness.begin(), d.witness.end(), [](const Choice& x, const Choice& y) { return x.order < y.order; });
  d.witness.erase(std::unique(d.witness.begin(), d.witness.end(),
                              [](const Choice& x, const Choice& y) { return x.a == y.a && x.b == y.b && x.v == y.v; }),
                  d.witness.end());
  std::set<std::string> seen;
  for (const auto& c : d.witness)
    if (seen.insert(c.cls).second) d.reps.push_back(c);
}

// The trusted accounts a dimension tries (principal_dim, resource_dim): with `named` null, every
// one; else the accounts that are not plain (all digits), the plain ones in `named`, and the
// bytewise-smallest plain one not in `named` -- which stands for all the others.
//
// Why the output stays the same. A dimension's candidates (Dim::witness) are sorted by `order`;
// its classes are the distinct `cls`; finish_dim keeps the first candidate of each class as the
// class's representative (Dim::reps, all that complete() tries), and the witness loop in run()
// visits a candidate only if no earlier one of its class has been visited (it skips failed
// classes and stops at the first success). Both read only the first candidate of each class. So
// leaving out candidates changes nothing as long as each left out candidate has an earlier
// candidate of the same class that stays. Let u0 < u be plain trusted accounts, neither in
// `named`. With `named` as the callers build it:
//  - u0 and u carry kind kDerived (every account of the policy's literals and candidate values,
//    and the placeholder, is in `named`), so every candidate of u0 sorts before every candidate of
//    u (`order` starts with (kind, account));
//  - the candidates of u are those of u0 with u0 replaced by u in the account and in the ARN's
//    account field (no shape or Resource pattern has u or u0 as its account field: those fields
//    are in `named`; a plain account holds no ':' or wildcard, so an ARN splits the same around
//    it and no candidate ARN gains or loses a wildcard);
//  - such two candidates have the same class. Principal side: cond_bits reads aws:PrincipalAccount
//    (= the account), aws:PrincipalArn (= the ARN), aws:PrincipalType and aws:username (from the
//    ARN's service and resource fields, which do not hold the account; eval::add_derived_keys
//    also sets aws:ResourceAccount, which the principal side's conditions do not read); a
//    condition on a present single value is a function of the tests of its values one by one
//    (condition_holds: any/all over eval::positive_any, Null tests presence only), and `named`
//    holds every plain account on which such a test of a value of a condition on these keys
//    differs from most plain accounts (TrustedIndex::named, per ARN shape and the placeholder
//    role); 'T' holds for both (trusted); principal_matches compares the account and the ARN
//    exactly with Principal/NotPrincipal values and their ARN account fields, all in `named`.
//    Resource side: cond_bits reads aws:ResourceAccount (conditions on it likewise); 'T' holds;
//    'F' and the resource ARN's shape do not depend on the account; resource_matches per
//    statement is a function of the tests of its Resource entries on the ARN, each in `named`
//    for every ARN template that gets the account (TrustedIndex::named, Test::Resource). The
//    organisation keys are dimensions of their own (org_dim): they do not depend on the account.
// Policy variables (variables_) compare keys with one another: then every trusted account stays.
std::vector<std::string> Search::trusted_candidates(const std::set<std::string>* named) const {
  if (!named) return {p_.accounts.begin(), p_.accounts.end()};
  std::vector<std::string> out = index_.other_accounts();
  const auto& plain = index_.plain_accounts();
  for (const auto& n : *named)
    if (std::binary_search(plain.begin(), plain.end(), n)) out.push_back(n);
  for (const auto& u : plain)
    if (!named->count(u)) {
      out.push_back(u);
      break;
    }
  return out;
}

// Adds the plain trusted accounts that a value of a condition on key `l` tells apart, the key's
// value being a + account + b (TrustedIndex::named).
void Search::name_operands(const std::string& l, const std::string& a, const std::string& b,
                           std::set<std::string>& out) const {
  auto it = conds_.find(l);
  if (it == conds_.end()) return;
  for (const auto* c : it->second)
    for (const auto& v : c->values) index_.named(TrustedIndex::Test::Condition, c->op, v, a, b, out);
}

Dim Search::principal_dim() {
  Dim d;
  d.kind = DimKind::Principal;
  d.key = "aws:PrincipalAccount";
  std::map<std::string, int> accounts;  // account -> kind
  for (const auto& c : pool("aws:principalaccount"))
    if (c.value != "placeholder" && !c.value.empty() && !has_wildcard(c.value))
      keep_best(accounts, c.value, c.kind == presigned::ValueKind::Literal ? kLiteral : kDerived);
  for (const auto& a : literal_accounts_) keep_best(accounts, a, kLiteral);
  keep_best(accounts, kOutsideAccount, kPlaceholder);

  // ARN shapes: the ARNs named (and instances of the ARN patterns), with the account replaced.
  std::map<std::string, int> shapes;  // ARN with account field -> kind
  std::vector<presigned::Operand> ops = operands("aws:principalarn");
  for (const auto& c : presigned::candidate_values("aws:principalarn", ops))
    if (!arn_parts(c.value).empty()) keep_best(shapes, c.value, c.kind == presigned::ValueKind::Literal ? kLiteral : kDerived);
  for (const auto& a : principal_arns_)
    if (!has_wildcard(a) && !arn_parts(a).empty()) keep_best(shapes, a, kLiteral);  // "false" of a Null, ...

  // The trusted accounts (trusted_candidates): those that the policy tells apart.
  std::set<std::string> named;
  if (!variables_) {
    for (const auto& [acct, k] : accounts) named.insert(acct);
    name_operands("aws:principalaccount", "", "", named);
    std::vector<std::vector<std::string>> around = {{"arn", "aws", "iam", "", "", "role/vpcgate-principal"}};
    for (const auto& [shape, sk] : shapes) {
      auto parts = arn_parts(shape);
      named.insert(parts[4]);
      if (parts[2] == "iam" || parts[2] == "sts") around.push_back(parts);
    }
    for (const auto& p : around)
      name_operands("aws:principalarn", fmt::format("{}:{}:{}:{}:", p[0], p[1], p[2], p[3]), ":" + p[5], named);
    for (const auto& st : doc_.statements)
      for (const auto* spec : {st.principal ? &*st.principal : nullptr, st.not_principal ? &*st.not_principal : nullptr}) {
        if (!spec) continue;
        for (const auto& [type, values] : spec->by_type)
          for (const auto& v : values) {
            named.insert(v);
            auto parts = arn_parts(v);
            if (!parts.empty()) named.insert(parts[4]);
          }
      }
  }
  for (const auto& a : trusted_candidates(variables_ ? nullptr : &named)) keep_best(accounts, a, kDerived);

  std::set<std::string> ckeys;
  for (const auto& [l, cs] : conds_)
    if (principal_key(l)) ckeys.insert(l);
  for (const auto& [acct, ak] : accounts) {
    std::map<std::string, int> arns;
    for (const auto& [shape, sk] : shapes) {
      auto parts = arn_parts(shape);
      bool own = parts[4] == acct;
      if (parts[2] != "iam" && parts[2] != "sts") continue;
      parts[4] = acct;
      std::string arn = join_arn(parts);
      if (has_wildcard(arn)) continue;
      keep_best(arns, arn, own ? sk : kDerived);
    }
    keep_best(arns, "arn:aws:iam::" + acct + ":role/vpcgate-principal", kPlaceholder);
    for (const auto& [arn, k] : arns) {
      Choice c;
      c.a = acct;
      c.b = arn;
      c.order = {{ak, acct}, {k, arn}};
      eval::Request r;
      r.principal_arn = arn;
      r.context.set("aws:PrincipalAccount", acct);
      r.context.set("aws:PrincipalArn", arn);
      eval::add_derived_keys(r);
      c.cls = cond_bits(ckeys, r.context) + '|' + (p_.accounts.count(acct) ? 'T' : 't');
      for (const auto& st : doc_.statements) {
        if (st.principal) c.cls += principal_matches(*st.principal, acct, arn) ? '1' : '0';
        if (st.not_principal) c.cls += principal_matches(*st.not_principal, acct, arn) ? '1' : '0';
      }
      if (variables_) c.cls += '|' + acct + '|' + arn;
      d.witness.push_back(std::move(c));
    }
  }
  finish_dim(d);
  return d;
}

Dim Search::resource_dim() {
  Dim d;
  d.kind = DimKind::Resource;
  d.key = "aws:ResourceAccount";
  std::map<std::string, int> accounts;
  for (const auto& c : pool("aws:resourceaccount"))
    if (c.value != "placeholder" && !c.value.empty() && !has_wildcard(c.value))
      keep_best(accounts, c.value, c.kind == presigned::ValueKind::Literal ? kLiteral : kDerived);
  for (const auto& a : literal_accounts_) keep_best(accounts, a, kLiteral);
  keep_best(accounts, kOutsideResourceAccount, kPlaceholder);

  // Resource ARNs: instances of the Resource patterns, and a resource of each prefix.
  std::vector<presigned::Operand> ops;
  std::set<std::string> full_buckets;  // S3 buckets written out in full
  for (const auto& st : doc_.statements)
    for (const auto& r : st.resources) {
      if (has_variable(r)) continue;
      ops.push_back({ConditionOperator::StringLike, r});
      auto parts = arn_parts(r);
      if (!parts.empty() && parts[2] == "s3" && parts[4].empty()) {
        std::string bucket = parts[5].substr(0, parts[5].find('/'));
        if (!bucket.empty() && !has_wildcard(bucket)) full_buckets.insert(bucket);
      }
    }
  std::map<std::string, int> arns;
  for (const auto& c : presigned::candidate_values("resource", ops)) {
    auto parts = arn_parts(c.value);
    // A request names one resource: no wildcards, no empty bucket or object key.
    if (parts.empty() || has_wildcard(c.value)) continue;
    if (parts[2] == "s3" && (parts[5].empty() || parts[5].front() == '/' || parts[5].back() == '/')) continue;
    bool literal = false;
    for (const auto& o : ops) literal = literal || (o.value == c.value && !has_wildcard(o.value));
    keep_best(arns, c.value, literal ? kLiteral : kDerived);
  }
  for (const auto& prefix : prefixes_) {
    std::string region = region_.empty() ? "us-east-1" : region_;
    if (prefix == "s3") keep_best(arns, "arn:aws:s3:::vpcgate-outside-bucket", kPlaceholder);
    else if (prefix == "sagemaker")
      keep_best(arns, "arn:aws:sagemaker:" + region + ":" + kOutsideResourceAccount + ":notebook-instance/vpcgate-outside",
          kPlaceholder);
    else if (prefix == "dynamodb")
      keep_best(arns, "arn:aws:dynamodb:" + region + ":" + kOutsideResourceAccount + ":table/vpcgate-outside", kPlaceholder);
    else keep_best(arns, "arn:aws:" + prefix + ":" + region + ":" + kOutsideResourceAccount + ":vpcgate-outside", kPlaceholder);
  }

  // The trusted accounts (trusted_candidates): those that the policy tells apart.
  std::set<std::string> named;
  if (!variables_) {
    for (const auto& [acct, k] : accounts) named.insert(acct);
    name_operands("aws:resourceaccount", "", "", named);
    for (const auto& [arn, rk] : arns) {
      auto parts = arn_parts(arn);
      if (parts[4].empty() || (!has_wildcard(parts[4]) && rk == kLiteral)) continue;  // not put under each account
      std::string a = fmt::format("{}:{}:{}:{}:", parts[0], parts[1], parts[2], parts[3]), b = ":" + parts[5];
      for (const auto& st : doc_.statements)
        for (const auto& r : st.resources)
          index_.named(TrustedIndex::Test::Resource, ConditionOperator::StringLike, r, a, b, named);
    }
  }
  for (const auto& a : trusted_candidates(variables_ ? nullptr : &named)) keep_best(accounts, a, kDerived);

  std::set<std::string> ckeys;
  if (conds_.count("aws:resourceaccount")) ckeys.insert("aws:resourceaccount");
  for (const auto& [arn, rk] : arns) {
    auto parts = arn_parts(arn);
    std::vector<std::pair<std::string, std::string>> variants;  // (account, arn)
    bool forced = false;
    if (parts[4].empty()) {
      // No account in the ARN (S3): the owner is free, unless the bucket is written in full.
      std::string bucket = parts[5].substr(0, parts[5].find('/'));
      forced = parts[2] == "s3" && full_buckets.count(bucket) > 0;
      for (const auto& [acct, ak] : accounts)
        if (!forced || p_.accounts.count(acct) || p_.accounts.empty()) variants.push_back({acct, arn});
    } else if (!has_wildcard(parts[4]) && rk == kLiteral) {
      variants.push_back({parts[4], arn});
    } else {
      for (const auto& [acct, ak] : accounts) {
        auto q = parts;
        q[4] = acct;
        variants.push_back({acct, join_arn(q)});
      }
    }
    for (const auto& [acct, r] : variants) {
      Choice c;
      c.a = acct;
      c.b = r;
      c.forced_inside = forced;
      c.order = {{accounts.count(acct) ? accounts[acct] : kDerived, acct}, {rk, r}};
      eval::Context ctx;
      ctx.set("aws:ResourceAccount", acct);
      c.cls = cond_bits(ckeys, ctx) + '|' + (p_.accounts.count(acct) ? 'T' : 't') + (forced ? 'F' : 'f') + '|';
      for (const auto& st : doc_.statements) c.cls += eval::resource_matches(doc_, st, r, fixed_) ? '1' : '0';
      if (variables_) c.cls += '|' + acct + '|' + r;
      d.witness.push_back(std::move(c));
    }
  }
  finish_dim(d);
  return d;
}

Dim Search::action_dim() {
  Dim d;
  d.kind = DimKind::Action;
  d.key = "~action";
  std::map<std::string, int> names;
  for (const auto& prefix : prefixes_) {
    std::vector<presigned::Operand> ops;
    for (const auto& st : doc_.statements)
      for (const auto& a : st.actions) {
        auto colon = a.find(':');
        std::string ap = colon == std::string::npos ? a : a.substr(0, colon);
        std::string an = colon == std::string::npos ? "*" : a.substr(colon + 1);
        if (!eval::wildcard_match(ap, prefix, true)) continue;
        if (a == "*") an = "*";
        ops.push_back({ConditionOperator::StringLike, an});
        if (!has_wildcard(an)) keep_best(names, prefix + ":" + an, kLiteral);
      }
    for (const auto& k : known_actions(prefix)) keep_best(names, prefix + ":" + k, kKnown);
    for (const auto& c : presigned::candidate_values("action", ops))
      if (!c.value.empty() && !has_wildcard(c.value) && c.value.find(':') == std::string::npos)
        keep_best(names, prefix + ":" + c.value, kDerived);
    keep_best(names, prefix + ":VpcgateOtherAction", kPlaceholder);
  }
  for (const auto& [name, k] : names) {
    Choice c;
    c.a = name;
    c.order = {{k, name}};
    for (const auto& st : doc_.statements) c.cls += eval::action_matches(st, name) ? '1' : '0';
    d.witness.push_back(std::move(c));
  }
  finish_dim(d);
  return d;
}

Dim Search::org_dim(const std::string& canonical) {
  Dim d;
  d.kind = canonical == "aws:PrincipalOrgID" ? DimKind::PrincipalOrg : DimKind::ResourceOrg;
  d.key = canonical;
  std::string l = lower(canonical);
  std::map<std::string, int> values;
  for (const auto& c : pool(l))
    if (c.value != "placeholder") keep_best(values, c.value, c.kind == presigned::ValueKind::Literal ? kLiteral : kDerived);
  for (const auto& o : orgs_) keep_best(values, o, kDerived);
  keep_best(values, kOutsideOrg, kPlaceholder);
  std::set<std::string> ckeys = {l};
  auto add = [&](KeyValue v, int k, const std::string& text) {
    Choice c;
    c.v = v;
    c.order = {{v ? 1 : 0, ""}, {k, text}};
    eval::Context ctx;
    if (v) ctx.set(canonical, *v);
    c.cls = cond_bits(ckeys, ctx) + '|' + (v && orgs_.count(v->front()) ? 'O' : 'o');
    if (variables_) c.cls += '|' + (v ? v->front() : std::string("-"));
    d.witness.push_back(std::move(c));
  };
  add(std::nullopt, 0, "");
  for (const auto& [v, k] : values) add(std::vector<std::string>{v}, k, v);
  finish_dim(d);
  return d;
}

Dim Search::key_dim(const std::string& l) {
  Dim d;
  d.kind = DimKind::Key;
  d.key = spelling_.count(l) ? spelling_[l] : presigned::canonical_key(l);
  bool qualified = false;
  for (const auto* c : conds_[l]) qualified = qualified || c->qualifier != model::SetQualifier::None;
  d.multi = known_multi_valued(l) || qualified;
  std::map<std::string, int> values;
  for (const auto& c : pool(l)) {
    int k = c.kind == presigned::ValueKind::Literal ? kLiteral
            : c.kind == presigned::ValueKind::Placeholder ? kPlaceholder : kDerived;
    keep_best(values, c.value, k);
  }
  std::set<std::string> ckeys = {l};
  auto add = [&](KeyValue v, int k, const std::string& text) {
    Choice c;
    c.v = v;
    c.order = {{v ? 1 : 0, ""}, {k, text}};
    eval::Context ctx;
    if (v) ctx.set(d.key, *v);
    c.cls = cond_bits(ckeys, ctx);
    if (variables_) c.cls += '|' + (v ? fmt::format("{}", fmt::join(*v, ",")) : std::string("-"));
    d.witness.push_back(std::move(c));
  };
  add(std::nullopt, 0, "");
  if (!d.multi) {
    for (const auto& [v, k] : values) add(std::vector<std::string>{v}, k, v);
  } else {
    // Element classes by each operand alone; then sets of them: empty, singletons, pairs,
    // triples (few classes), all.
    std::map<std::string, std::string> elem;  // class -> representative
    std::vector<std::string> literal_elems;
    for (const auto& [v, k] : values) {
      std::string sig;
      eval::Context ctx;
      ctx.set(d.key, v);
      for (const auto* c : conds_[l])
        for (const auto& val : c->values) {
          model::Condition one = *c;
          one.qualifier = model::SetQualifier::None;
          one.if_exists = false;
          one.values = {val};
          sig += eval::condition_holds(doc_, one, ctx) ? '1' : '0';
        }
      if (variables_) sig += '|' + v;
      elem.emplace(sig, v);
      if (k == kLiteral) literal_elems.push_back(v);
    }
    std::vector<std::string> reps;
    for (const auto& [sig, v] : elem) reps.push_back(v);
    auto add_set = [&](std::vector<std::string> vals, int k) {
      std::sort(vals.begin(), vals.end());
      vals.erase(std::unique(vals.begin(), vals.end()), vals.end());
      add(vals, k, fmt::format("{}", fmt::join(vals, ",")));
    };
    add_set({}, kDerived);
    for (const auto& v : literal_elems) add_set({v}, kLiteral);
    for (std::size_t i = 0; i < reps.size(); ++i) add_set({reps[i]}, kDerived);
    for (std::size_t i = 0; i < reps.size(); ++i)
      for (std::size_t j = i + 1; j < reps.size(); ++j) add_set({reps[i], reps[j]}, kDerived);
    if (reps.size() <= 8)
      for (std::size_t i = 0; i < reps.size(); ++i)
        for (std::size_t j = i + 1; j < reps.size(); ++j)
          for (std::size_t k = j + 1; k < reps.size(); ++k) add_set({reps[i], reps[j], reps[k]}, kDerived);
    if (reps.size() > 3) add_set(reps, kDerived);
  }
  finish_dim(d);
  return d;
}

const Choice* Search::of(const std::vector<const Choice*>& a, DimKind k) const {
  for (std::size_t i = 0; i < dims_.size(); ++i)
    if (dims_[i].kind == k) return a[i];
  return nullptr;
}

bool Search::valid(const std::vector<const Choice*>& a) const {
  const Choice* pr = of(a, DimKind::Principal);
  const Choice* po = of(a, DimKind::PrincipalOrg);
  const Choice* rs = of(a, DimKind::Resource);
  const Choice* ro = of(a, DimKind::ResourceOrg);
  auto in_org = [&](const Choice* c) { return c->v && orgs_.count(c->v->front()) > 0; };
  bool principal_outside = !p_.accounts.count(pr->a) && !in_org(po);
  bool resource_outside = !rs->forced_inside && !p_.accounts.count(rs->a) && !in_org(ro);
  if (!principal_outside && !resource_outside) return false;
  // One account belongs to one organisation (or none).
  if (pr->a == rs->a && po->v != ro->v) return false;
  return true;
}

eval::Request Search::request(const std::vector<const Choice*>& a) const {
  eval::Request r;
  r.context = fixed_;
  for (std::size_t i = 0; i < dims_.size(); ++i) {
    const Choice* c = a[i];
    switch (dims_[i].kind) {
      case DimKind::Principal:
        r.principal_arn = c->b;
        r.context.set("aws:PrincipalAccount", c->a);
        r.context.set("aws:PrincipalArn", c->b);
        break;
      case DimKind::Resource:
        r.resource = c->b;
        r.resource_account = c->a;
        r.context.set("aws:ResourceAccount", c->a);
        break;
      case DimKind::Action:
        r.action = c->a;
        break;
      default:
        if (c->v) r.context.set(dims_[i].key, *c->v);
    }
  }
  eval::add_derived_keys(r);
  return r;
}

bool Search::allowed(const std::vector<const Choice*>& a, eval::Result* out) {
  if (evals_ >= limit_) throw BudgetExceeded{};
  ++evals_;
  eval::Result r = eval::evaluate(set_, request(a));
  bool ok = r.decision == eval::Decision::Allowed;
  if (out) *out = std::move(r);
  return ok;
}

bool Search::complete(std::vector<const Choice*>& a, std::size_t k) {
  std::size_t n = dims_.size();
  std::vector<std::size_t> idx(n, 0);
  for (std::size_t i = k; i < n; ++i) a[i] = &dims_[i].reps[0];
  while (true) {
    if (valid(a) && allowed(a, nullptr)) return true;
    std::size_t i = n;
    while (true) {
      if (i == k) return false;
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

Answer Search::run() {
  Answer ans;
  prefixes_ = action_prefixes(e_.service_name);
  if (prefixes_.empty()) return ans;
  region_ = service_region(e_.service_name);
  set_.identity.push_back({&allow_all(false), "vpcgate:any-identity"});
  set_.resource = eval::SourcedPolicy{&allow_all(true), "vpcgate:any-resource"};
  set_.endpoint = eval::SourcedPolicy{&doc_, e_.id};
  // Requests through this endpoint (CONTRACT.md, the witness paragraph).
  if (!e_.id.empty()) fixed_.set("aws:SourceVpce", e_.id);
  if (!e_.vpc_id.empty()) fixed_.set("aws:SourceVpc", e_.vpc_id);
  if (!region_.empty()) fixed_.set("aws:RequestedRegion", region_);
  fixed_.set("aws:PrincipalIsAWSService", "false");
  collect();

  dims_.push_back(principal_dim());
  dims_.push_back(org_dim("aws:PrincipalOrgID"));
  dims_.push_back(resource_dim());
  dims_.push_back(org_dim("aws:ResourceOrgID"));
  dims_.push_back(action_dim());
  for (const auto& [l, cs] : conds_) {
    if (principal_key(l) || l == "aws:principalorgid" || l == "aws:resourceaccount" || l == "aws:resourceorgid" ||
        fixed_.has(l) || l == "aws:sourceip")
      continue;
    dims_.push_back(key_dim(l));
  }
  std::sort(dims_.begin(), dims_.end(), [](const Dim& x, const Dim& y) { return x.key < y.key; });
  for (const auto& d : dims_) {
    if (d.reps.empty()) return ans;  // nothing to request (cannot happen: placeholders)
    if (d.multi) ans.multi_valued.insert(d.key);
  }

  std::vector<const Choice*> a(dims_.size());
  limit_ = p_.budget;
  try {
    if (!complete(a, 0)) {
      ans.evaluations = evals_;
      return ans;
    }
  } catch (const BudgetExceeded&) {
    ans.outcome = Outcome::Incomplete;
    ans.evaluations = evals_;
    for (const auto& k : {"aws:PrincipalAccount", "aws:PrincipalArn", "aws:PrincipalOrgID", "aws:ResourceAccount",
                          "aws:ResourceOrgID"})
      ans.witness.push_back({k, std::nullopt});
    ans.witness_minimal = false;
    return ans;
  }
  ans.outcome = Outcome::Open;
  std::vector<const Choice*> found = a;

  // The witness: dim by dim in bytewise order of the keys, the first choice that still has a
  // completion (absent, literals, placeholders, others).
  limit_ = evals_ + p_.budget;
  std::vector<const Choice*> w(dims_.size());
  try {
    for (std::size_t i = 0; i < dims_.size(); ++i) {
      std::set<std::string> failed;
      bool chosen = false;
      for (const auto& c : dims_[i].witness) {
        if (failed.count(c.cls)) continue;
        w[i] = &c;
        std::vector<const Choice*> trial = w;
        if (complete(trial, i + 1)) {
          chosen = true;
          break;
        }
        failed.insert(c.cls);
      }
      if (!chosen) throw BudgetExceeded{};
    }
  } catch (const BudgetExceeded&) {
    w = found;
    ans.witness_minimal = false;
  }
  ans.evaluations = evals_;

  limit_ = static_cast<std::size_t>(-1);
  eval::Result res;
  allowed(w, &res);
  eval::Request req = request(w);
  std::set<std::tuple<std::string, std::size_t>> seen;
  for (const auto& m : res.matched) {
    if (m.type != eval::PolicyType::Endpoint || !m.statement || m.statement->effect != model::Effect::Allow) continue;
    if (seen.insert({m.source_id, m.index}).second) ans.statements.push_back({m.source_id, m.sid, m.index});
  }
  std::sort(ans.statements.begin(), ans.statements.end(),
            [](const StatementRef& x, const StatementRef& y) { return std::tie(x.policy, x.index) < std::tie(y.policy, y.index); });
  ans.action = req.action;
  ans.resource = req.resource;
  ans.principal_arn = req.principal_arn.value_or("");
  const Choice* pr = of(w, DimKind::Principal);
  const Choice* rs = of(w, DimKind::Resource);
  auto in_org = [&](const Choice* c) { return c->v && orgs_.count(c->v->front()) > 0; };
  ans.principal_outside = !p_.accounts.count(pr->a) && !in_org(of(w, DimKind::PrincipalOrg));
  ans.resource_outside = !rs->forced_inside && !p_.accounts.count(rs->a) && !in_org(of(w, DimKind::ResourceOrg));

  // Witness keys: the check's own and every condition key of the statements whose action and
  // resource match the request, with the value the request has.
  std::map<std::string, KeyValue> wit;
  for (const auto& k : {"aws:PrincipalAccount", "aws:PrincipalArn", "aws:PrincipalOrgID", "aws:ResourceAccount",
                        "aws:ResourceOrgID"}) {
    const auto* v = req.context.get(k);
    wit[k] = v ? KeyValue(*v) : std::nullopt;
  }
  for (const auto& st : doc_.statements) {
    if (!eval::action_matches(st, req.action) || !eval::resource_matches(doc_, st, req.resource, req.context)) continue;
    for (const auto& c : st.conditions) {
      std::string canon = spelling_.count(lower(c.key)) ? spelling_[lower(c.key)] : presigned::canonical_key(c.key);
      if (wit.count(canon)) continue;
      const auto* v = req.context.get(canon);
      wit[canon] = v ? KeyValue(*v) : std::nullopt;
    }
  }
  for (auto& [k, v] : wit) ans.witness.push_back({k, v});
  return ans;
}

}  // namespace

const model::PolicyDocument& default_policy() {
  static const model::PolicyDocument doc = [] {
    model::PolicyDocument d;
    model::Statement s;
    s.effect = model::Effect::Allow;
    s.principal = model::PrincipalSpec{true, {}};
    s.actions = {"*"};
    s.resources = {"*"};
    s.has_resource = true;
    s.index = 0;
    s.pointer = "/Statement/0";
    d.statements.push_back(s);
    return d;
  }();
  return doc;
}

std::string service_region(const std::string& service_name) {
  auto parts = split(service_name, '.', 8);
  if (parts.size() >= 3 && parts[0] == "com" && parts[1] == "amazonaws") {
    if (parts[2] == "vpce" && parts.size() >= 4) return parts[3];
    return parts[2];
  }
  if (parts.size() >= 3 && parts[0] == "aws" && parts[1] == "sagemaker") return parts[2];
  return "";
}

std::vector<std::string> action_prefixes(const std::string& service_name) {
  auto parts = split(service_name, '.', 8);
  if (parts.size() >= 4 && parts[0] == "aws" && parts[1] == "sagemaker") return {"sagemaker"};  // notebook, studio
  if (parts.size() < 4 || parts[0] != "com" || parts[1] != "amazonaws" || parts[2] == "vpce") return {};
  const std::string& svc = parts[3];
  static const std::map<std::string, std::string> names = {
      {"monitoring", "cloudwatch"}, {"git-codecommit", "codecommit"}, {"s3-global", "s3"},
      {"bedrock-runtime", "bedrock"}, {"bedrock-agent-runtime", "bedrock"}, {"email-smtp", "ses"},
      {"elasticfilesystem", "elasticfilesystem"}, {"execute-api", "execute-api"}};
  auto it = names.find(svc);
  return {it == names.end() ? svc : it->second};
}

Json witness_json(const Answer& a) {
  Json w = Json::object();
  for (const auto& [k, v] : a.witness) {
    if (!v) w[k] = nullptr;
    else if (a.multi_valued.count(k) || v->size() != 1) w[k] = *v;
    else w[k] = v->front();
  }
  return w;
}

Json statements_json(const std::vector<StatementRef>& s) {
  Json out = Json::array();
  for (const auto& r : s) {
    Json j = Json::object();
    j["policy"] = r.policy;
    j["sid"] = r.sid ? Json(*r.sid) : Json(nullptr);
    j["index"] = r.index;
    out.push_back(std::move(j));
  }
  return out;
}

Answer decide(const model::PolicyDocument& doc, const Endpoint& endpoint, const Perimeter& perimeter) {
  std::shared_ptr<const TrustedIndex> own;
  const TrustedIndex* index = perimeter.index.get();
  if (!index) {
    own = make_trusted_index(perimeter.accounts);
    index = own.get();
  }
  Search s(doc, endpoint, perimeter, *index);
  return s.run();
}

}  // namespace endpoint_policy

namespace {

bool live(const model::VpcEndpoint& e) {
  return e.state != "deleted" && e.state != "deleting" && e.state != "failed" && e.state != "rejected" &&
         e.state != "expired";
}

std::string describe_value(const endpoint_policy::KeyValue& v) {
  if (!v) return "absent";
  return fmt::format("= {}", fmt::join(*v, ","));
}

std::string describe_statements(const std::vector<endpoint_policy::StatementRef>& s) {
  std::vector<std::string> parts;
  for (const auto& r : s)
    parts.push_back(r.sid ? fmt::format("statement {} (Sid \"{}\")", r.index, *r.sid) : fmt::format("statement {}", r.index));
  return fmt::format("{}", fmt::join(parts, ", "));
}

}  // namespace

void VpcEndpointPolicyOpen::run(const CheckContext& ctx, FindingSink& sink) const {
  const auto& g = ctx.graph;
  const auto& a = ctx.account();
  // VPC -> the SageMaker resources placed in it.
  std::map<std::string, std::set<std::string>> hosted;
  auto place = [&](const std::string& subnet_id, const std::string& arn) {
    const model::Subnet* s = g.subnet(subnet_id);
    if (s && !s->vpc_id.empty()) hosted[s->vpc_id].insert(arn);
  };
  for (const auto& n : a.notebooks)
    if (n.subnet_id) place(*n.subnet_id, n.arn);
  for (const auto& j : a.training_jobs)
    if (j.vpc_config)
      for (const auto& s : j.vpc_config->subnets) place(s, j.arn);
  for (const auto& j : a.processing_jobs)
    if (j.vpc_config)
      for (const auto& s : j.vpc_config->subnets) place(s, j.arn);
  for (const auto& m : a.models)
    if (m.vpc_config)
      for (const auto& s : m.vpc_config->subnets) place(s, m.arn);
  for (const auto& d : a.domains) {
    if (!d.vpc_id.empty()) hosted[d.vpc_id].insert(d.arn);
    for (const auto& s : d.subnet_ids) place(s, d.arn);
  }
  if (hosted.empty()) return;

  endpoint_policy::Perimeter perimeter;
  perimeter.accounts = ctx.options.trusted_accounts;
  perimeter.org_id = ctx.options.org_id;
  perimeter.budget = ctx.options.search_budget;
  perimeter.index = endpoint_policy::make_trusted_index(perimeter.accounts);  // shared by the decisions

  for (const auto& e : a.vpc_endpoints) {
    if (e.type == "GatewayLoadBalancer" || !live(e)) continue;
    auto h = hosted.find(e.vpc_id);
    if (h == hosted.end()) continue;
    const model::PolicyDocument& doc = e.policy ? *e.policy : endpoint_policy::default_policy();
    auto ans = endpoint_policy::decide(doc, {e.id, e.service_name, e.vpc_id}, perimeter);
    if (ans.outcome == endpoint_policy::Outcome::Closed) continue;

    std::vector<std::string> hosts(h->second.begin(), h->second.end());
    std::string hosts_text = hosts.size() <= 3
                                 ? fmt::format("{}", fmt::join(hosts, ", "))
                                 : fmt::format("{}, and {} more", fmt::join(hosts.begin(), hosts.begin() + 3, ", "),
                                               hosts.size() - 3);
    std::string which = e.policy ? "its policy" : "the default full-access policy (no PolicyDocument)";
    Finding f;
    f.check = info().id;
    f.severity = info().severity;
    f.resource = e.id;
    f.location = e.loc;
    f.evidence["service"] = e.service_name;
    f.evidence["witness"] = endpoint_policy::witness_json(ans);
    if (ans.outcome == endpoint_policy::Outcome::Incomplete) {
      std::cerr << "vpcgate: warning: vpc-endpoint-policy-open: the decision for " << model::terminal_safe(e.id)
                << " exceeded the search budget (" << perimeter.budget << " evaluations); reporting it as open\n";
      f.evidence["statements"] = Json::array();
      f.title = fmt::format("VPC endpoint {} ({}): policy could not be shown to keep other accounts out", e.id,
                            e.service_name);
      f.detail = fmt::format(
          "VPC endpoint {} ({} endpoint for {}) in VPC {}, which hosts {}: the search over {} did not finish within "
          "its budget of {} evaluations, so the endpoint is assumed to let principals or resources of other "
          "accounts through.",
          e.id, e.type, e.service_name, e.vpc_id, hosts_text, which, perimeter.budget);
    } else {
      f.evidence["statements"] = endpoint_policy::statements_json(ans.statements);
      const auto& w = ans.witness;
      auto value_of = [&](const std::string& k) -> std::string {
        for (const auto& [key, v] : w)
          if (key == k && v && !v->empty()) return v->front();
        return "absent";
      };
      std::vector<std::string> why;
      if (ans.principal_outside)
        why.push_back(fmt::format("the principal's account {} is outside the trusted accounts and organisation",
                                  value_of("aws:PrincipalAccount")));
      if (ans.resource_outside)
        why.push_back(fmt::format("the resource's account {} is outside {}", value_of("aws:ResourceAccount"),
                                  ans.principal_outside ? "them" : "the trusted accounts and organisation"));
      std::vector<std::string> wt;
      for (const auto& [k, v] : w) wt.push_back(k + " " + describe_value(v));
      f.title = ans.principal_outside
                    ? fmt::format("VPC endpoint {} ({}) lets principals of other accounts through", e.id, e.service_name)
                    : fmt::format("VPC endpoint {} ({}) reaches resources of other accounts", e.id, e.service_name);
      f.detail = fmt::format(
          "VPC endpoint {} ({} endpoint for {}) in VPC {}, which hosts {}: {} allows {} on {} by {}, and {} ({} of "
          "the endpoint policy). Witness request: {}. Through this endpoint data can leave the accounts that own the "
          "SageMaker resources.",
          e.id, e.type, e.service_name, e.vpc_id, hosts_text, which, ans.action, ans.resource, ans.principal_arn,
          fmt::join(why, " and "), describe_statements(ans.statements), fmt::join(wt, ", "));
    }
    f.remediation = fmt::format(
        "Give the endpoint a data-perimeter policy that allows only your organisation's principals and resources, "
        "e.g. Allow with \"Principal\": \"*\" and \"Condition\": {{\"StringEquals\": {{\"aws:PrincipalOrgID\": "
        "\"o-...\", \"aws:ResourceOrgID\": \"o-...\"}}}} (or aws:PrincipalAccount/aws:ResourceAccount): aws ec2 "
        "modify-vpc-endpoint --vpc-endpoint-id {} --policy-document file://policy.json (CloudFormation "
        "PolicyDocument of AWS::EC2::VPCEndpoint, Terraform aws_vpc_endpoint.policy).",
        e.id);
    sink.add(std::move(f));
  }
}

}  // namespace vpcgate::checks
