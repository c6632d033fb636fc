#pragma once
// AWS's policy evaluation logic for one request:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analyzer/eval/context.hpp"
#include "model/policy.hpp"

namespace vpcgate::eval {

enum class PolicyType { Identity, Resource, Boundary, Scp, Endpoint };
const char* to_string(PolicyType t);  // "identity", "resource", "boundary", "scp", "endpoint"

// A policy with the name it is reported under (MatchedStatements.SourcePolicyId; in scan the
// policy ARN, or OWNER-ARN#name for an inline policy). The document must outlive the set.
struct SourcedPolicy {
  const model::PolicyDocument* doc = nullptr;
  std::string source_id;
};

struct PolicySet {
  std::vector<SourcedPolicy> identity;         // user/role policies, group policies included
  std::optional<SourcedPolicy> resource;       // resource-based policy (trust policy for roles)
  std::optional<SourcedPolicy> boundary;       // permissions boundary: caps identity allows
  // SCP levels (root, OU, ..., account): every level must allow. Empty = no SCPs apply.
  std::vector<std::vector<SourcedPolicy>> scp_levels;
  std::optional<SourcedPolicy> endpoint;       // VPC endpoint policy the request goes through
};

struct Request {
  std::string action;                        // "sagemaker:CreatePresignedNotebookInstanceUrl"
  std::string resource = "*";                // taken literally
  std::optional<std::string> principal_arn;  // the caller, if known
  std::optional<std::string> resource_account;  // overrides the account in the resource ARN
  Context context;
};

// Sets aws:PrincipalArn, aws:PrincipalAccount, aws:PrincipalType (User / AssumedRole /
// Account) and for an IAM user aws:username from request.principal_arn, without overwriting
// keys the context already has; and aws:ResourceAccount from resource_account / the
// resource ARN / the principal's account.
void add_derived_keys(Request& request);

enum class Decision { Allowed, ExplicitDeny, ImplicitDeny };
const char* to_string(Decision d);  // "allowed", "explicitDeny", "implicitDeny"

struct MatchedStatement {
  std::string source_id;
  PolicyType type = PolicyType::Identity;
  std::optional<std::string> sid;
  std::size_t index = 0;
  const model::Statement* statement = nullptr;
};

struct Result {
  Decision decision = Decision::ImplicitDeny;
  // Every matching Deny for ExplicitDeny; every matching Allow of every policy type for
  // Allowed; empty for ImplicitDeny. Ordered identity, resource, boundary, scp, endpoint,
  // then input order, then statement index.
  std::vector<MatchedStatement> matched;
};

Result evaluate(const PolicySet& policies, const Request& request);

// Building blocks, exposed for the analyses.
// Does the statement's Action/NotAction cover the action (case-insensitive, * and ?)?
bool action_matches(const model::Statement& s, std::string_view action);
// Does the statement's Resource/NotResource cover the resource (ARN-aware, case-sensitive,
// policy variables resolved from the context when the document enables them)? A statement
// without Resource/NotResource matches every resource.
bool resource_matches(const model::PolicyDocument& doc, const model::Statement& s,
                      std::string_view resource, const Context& ctx);
// Do all conditions of the statement hold in the context?
bool conditions_hold(const model::PolicyDocument& doc, const model::Statement& s,
                     const Context& ctx);
// Does a single condition hold?
bool condition_holds(const model::PolicyDocument& doc, const model::Condition& c,
                     const Context& ctx);
// Linear-time wildcard match (`*` any run, `?` one character); no backtracking.
bool wildcard_match(std::string_view pattern, std::string_view text, bool ignore_case = false);

}  // namespace vpcgate::eval
