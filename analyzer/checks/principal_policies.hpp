#pragma once
// The policies that reach each principal (user or role) of the input, as the evaluation engine
// takes them: identity policies (own inline and attached; for a user also its groups' inline
// and attached), the permissions boundary, and the SCPs (CONTRACT.md, Input: every SCP of the
// input applies to every principal, all as ONE level; when none of them has an Allow
// statement, AWS's FullAWSAccess is assumed beside them).
//
// A referenced policy, group or boundary that the input does not hold is taken as the worst
// case, `Allow *` on `*` (CONTRACT.md, export-incomplete-iam), and named in `missing`.
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "analyzer/eval/evaluate.hpp"
#include "analyzer/graph/graph.hpp"
#include "model/account.hpp"

namespace vpcgate::checks {

// Source id of the FullAWSAccess SCP that is assumed when no SCP of the input allows anything.
inline constexpr const char* kAssumedFullAwsAccessId =
    "arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess";

struct PrincipalEntry {
  std::string arn;
  bool is_user = false;
  const model::User* user = nullptr;
  const model::Role* role = nullptr;
  std::string id;  // UserId / RoleId
  std::vector<model::Tag> tags;
  const model::SourceLoc* loc = nullptr;
  eval::PolicySet policies;           // identity, boundary, scp_levels (endpoint/resource unset)
  std::vector<std::string> missing;   // ARNs taken as Allow * on * (sorted, unique)
  std::vector<std::string> group_arns;  // the user's groups (resolved or synthesized ARNs)
};

// One document per source id, owned here; `SourcedPolicy::doc` points into it.
class PrincipalPolicies {
 public:
  explicit PrincipalPolicies(const graph::Graph& graph);

  const std::vector<PrincipalEntry>& principals() const { return principals_; }
  const PrincipalEntry* find(const std::string& arn) const;
  // The SCP level that applies to every principal (empty when the input holds no SCP).
  const std::vector<eval::SourcedPolicy>& scp_level() const { return scp_level_; }

  // `Allow *` on `*`: stands for a missing policy, group or boundary.
  static const model::PolicyDocument& allow_all();
  // Does the identity policy, boundary or SCP with this source id stand for something missing?
  bool is_missing(const std::string& source_id) const { return missing_ids_.count(source_id) > 0; }

  // Identity policies of a group (resolved by ARN); empty for an unknown group.
  std::vector<eval::SourcedPolicy> group_policies(const std::string& group_arn) const;
  // Document of an inline policy source id `OWNER#name` or a managed policy ARN (nullptr when
  // the input holds neither).
  const model::PolicyDocument* document(const std::string& source_id) const;

 private:
  const graph::Graph& graph_;
  std::vector<PrincipalEntry> principals_;
  std::map<std::string, std::size_t> by_arn_;
  std::vector<eval::SourcedPolicy> scp_level_;
  std::map<std::string, std::vector<eval::SourcedPolicy>> group_policies_;
  std::map<std::string, const model::PolicyDocument*> documents_;
  std::set<std::string> missing_ids_;
};

}  // namespace vpcgate::checks
