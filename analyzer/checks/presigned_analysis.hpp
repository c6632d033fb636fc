#pragma once
// The exact presigned-URL decision (presigned-url-unrestricted, presigned-url-escalation).
//
// decide(): is there a request context in which `action` on one of `resources` is allowed by
// `policies`, for this caller, while (with `network` set) the request comes neither through an
// approved VPC endpoint nor from an approved VPC? Exact over the conditions: the value space of
// every condition key that the relevant statements (action and resource match; identity,
// resource, boundary, SCP; Allow and Deny) test splits into finitely many classes by the
// literals and patterns they mention (plus absent and some other value). One representative of
// each class is enumerated, over the product of the keys, and evaluated concretely with
// eval::evaluate. Keys the caller fixes (aws:PrincipalArn, ...) and the resource fixes
// (aws:ResourceAccount, aws:RequestedRegion) are not free.
//
// PresignedAnalysis: decide() for every user and role of the input, grouped by the policies
// that reach them, computed once per scan and shared through CheckContext::cache.
#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <ostream>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "analyzer/checks/check.hpp"
#include "analyzer/checks/principal_policies.hpp"
#include "analyzer/eval/evaluate.hpp"

namespace vpcgate::checks::presigned {

inline constexpr const char* kAction = "sagemaker:CreatePresignedNotebookInstanceUrl";

// The caller and the keys it fixes.
struct Subject {
  std::string arn;
  std::string name;  // user name (aws:username); "" for a role
  bool is_user = false;
  std::string id;    // UserId / RoleId (aws:userid; for a role "ROLEID:<session>", session free)
  std::vector<model::Tag> tags;
  std::optional<std::string> org_id;  // aws:PrincipalOrgID when the organisation is known
};

// What a request through the network must look like (CONTRACT.md, the witness paragraph).
class EndpointIndex;

struct NetworkRules {
  const std::set<std::string>* approved_vpces = nullptr;
  const std::set<std::string>* approved_vpcs = nullptr;
  const std::map<std::string, std::string>* endpoint_vpc = nullptr;  // known endpoint -> VPC
  // The same endpoints, indexed so that a decision adds as aws:SourceVpce candidates only the
  // endpoints its conditions tell apart plus one per remaining class (presigned_analysis.cpp).
  // Built from the three members above; nullptr: every endpoint is a candidate.
  const EndpointIndex* index = nullptr;
  // Known endpoints (lower-cased IDs) whose policy is not AWS's default full-access one. A
  // request through such an endpoint is also decided by its policy: it must allow, and its
  // denies win (issue 9; CONTRACT.md, simulate --endpoint-policy). Each is its own candidate.
  const std::map<std::string, const model::PolicyDocument*>* endpoint_policy = nullptr;
};


using KeyValue = std::optional<std::vector<std::string>>;  // nullopt = absent

// Policy documents holding only the statements of a document that match an action (a decision
// asks one action; evaluate() skips the other statements first thing), made once per document
// and action and shared by the decisions (and threads) of one analysis. Keys are document
// addresses: only documents that outlive the cache may be put in it (the model's, the static
// ones of PrincipalPolicies); a decision keeps a FilteredDocs of its own for other documents
// (synthetic trust policies).
class FilteredDocs {
 public:
  const model::PolicyDocument* get(const model::PolicyDocument* doc, const std::string& action);

 private:
  std::mutex mu_;
  std::map<std::pair<const model::PolicyDocument*, std::string>, std::unique_ptr<model::PolicyDocument>> docs_;
};

struct Problem {
  eval::PolicySet policies;
  std::string action;
  std::vector<std::string> resources;  // candidate resources, concrete ARNs
  Subject subject;
  std::optional<NetworkRules> network;
  // Further keys fixed by the request (e.g. iam:PolicyARN), canonical spelling -> value.
  std::vector<std::pair<std::string, KeyValue>> extra_fixed;
  bool resource_fixes_region = false;  // aws:RequestedRegion = the resource ARN's region
  std::size_t budget = 200000;         // concrete evaluations for the decision
  // Shared filtered documents for `policies` and the endpoint policies (not the resource policy);
  // nullptr: the decision filters them itself.
  FilteredDocs* docs = nullptr;
};

struct StatementRef {
  std::string policy;
  std::optional<std::string> sid;
  std::size_t index = 0;
  eval::PolicyType type = eval::PolicyType::Identity;
  bool operator<(const StatementRef& o) const {
    return std::tie(policy, index) < std::tie(o.policy, o.index);
  }
  bool operator==(const StatementRef& o) const { return policy == o.policy && index == o.index; }
};

enum class Outcome { Restricted, Allowed, Incomplete };

struct Answer {
  Outcome outcome = Outcome::Restricted;
  // Witness: canonical key -> value, in bytewise order of the keys (Allowed, Incomplete).
  std::vector<std::pair<std::string, KeyValue>> witness;
  std::set<std::string> multi_valued;   // canonical keys whose value is a set
  eval::Context context;                // the full request context of the witness
  std::vector<std::string> resources;   // candidate resources the witness request reaches
  std::vector<StatementRef> statements; // Allow statements that allow it (sorted, unique)
  std::size_t evaluations = 0;
  bool witness_minimal = true;          // false when the witness search ran out of budget
};

Answer decide(const Problem& problem);
// The policies that decide a request: the problem's, plus the policy of the known endpoint the
// request comes through (aws:SourceVpce), where that endpoint has one of its own.
eval::PolicySet policies_for(const Problem& problem, const eval::Context& context);
// An upper bound of the evaluations decide() makes on a problem without `network` when no
// request is allowed, whatever subset of the statements that match the action the resources
// select: decide() on such a problem is Restricted, not Incomplete, whenever this bound is
// within `budget` and no request can be allowed (e.g. another account's resource without a
// resource-based policy). SIZE_MAX with `network`.
std::size_t evaluation_bound(const Problem& problem);
// Re-evaluate an answer's request on one resource with the engine.
eval::Result evaluate_answer(const Problem& problem, const Answer& answer, const std::string& resource);

// Canonical spelling of a condition key (the AWS documentation's), e.g. aws:sourcevpce ->
// aws:SourceVpce, aws:principaltag/Team -> aws:PrincipalTag/Team; other keys as written.
std::string canonical_key(const std::string& key);

Json witness_json(const Answer& answer);
Json statements_json(const std::vector<StatementRef>& statements);
// "sid X (statement N) of policy P" lines for details.
std::string describe_statements(const std::vector<StatementRef>& statements);
std::string describe_witness(const Answer& answer);

// Verdict on one principal.
struct Verdict {
  const PrincipalEntry* principal = nullptr;
  Outcome outcome = Outcome::Restricted;
  Answer answer;
  Json notebooks;  // sorted ARNs, or ["*"] when the input holds no notebook
};

class PresignedAnalysis {
 public:
  explicit PresignedAnalysis(const CheckContext& ctx);

  const PrincipalPolicies& policies() const { return policies_; }
  const std::vector<Verdict>& verdicts() const { return verdicts_; }  // sorted by ARN
  const Verdict* verdict(const std::string& arn) const;

  // Problem for a principal with its (possibly modified) policy set.
  Problem problem_for(const PrincipalEntry& p, const eval::PolicySet& set) const;
  // Is the principal with this policy set unrestricted? (Cached by the caller.)
  Verdict decide_with(const PrincipalEntry& p, const eval::PolicySet& set) const;
  // The same, with its warnings written to `log` instead of stderr.
  Verdict decide_with(const PrincipalEntry& p, const eval::PolicySet& set, std::ostream& log) const {
    return decide_logged(p, set, log);
  }
  Subject subject_of(const PrincipalEntry& p) const;
  const ScanOptions& options() const { return options_; }
  FilteredDocs& filtered_docs() const { return filtered_docs_; }
  const NetworkRules& network() const { return network_; }
  bool has_notebooks() const { return !notebooks_.empty(); }

  // Shared instance in CheckContext::cache (computed once).
  static const PresignedAnalysis& get(const CheckContext& ctx);

 private:
  void run();
  // Decides one group of principals (run()), warnings to `log`.
  void decide_members(const std::vector<std::size_t>& members, std::ostream& log);
  Verdict decide_logged(const PrincipalEntry& p, const eval::PolicySet& set, std::ostream& log) const;

  const CheckContext& ctx_;
  const ScanOptions& options_;
  PrincipalPolicies policies_;
  std::map<std::string, std::string> endpoint_vpc_;
  std::shared_ptr<const EndpointIndex> endpoint_index_;
  std::map<std::string, const model::PolicyDocument*> endpoint_policy_;
  NetworkRules network_;
  std::vector<std::string> notebooks_;  // sorted ARNs
  std::map<std::string, std::vector<std::string>> notebooks_by_account_;  // account -> sorted ARNs
  std::vector<std::string> regions_;    // regions seen in the input (generic notebooks)
  std::vector<Verdict> verdicts_;
  mutable FilteredDocs filtered_docs_;
  std::map<std::string, std::size_t> by_arn_;
};

}  // namespace vpcgate::checks::presigned
