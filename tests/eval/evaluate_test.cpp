// Evaluation rules, one table row per documented behaviour. `source`:
// LOGIC = reference_policies_evaluation-logic.html, CROSS = ..._evaluation-logic-cross-account.html,
// BOUNDARY = access_policies_boundaries.html, SCP = organizations orgs_manage_policies_scps_evaluation.html,
// NOTACTION = reference_policies_elements_notaction.html, NOTRESOURCE = ..._notresource.html,
// NOTPRINCIPAL = ..._notprincipal.html, RESOURCE = reference_policies_elements_resource.html,
// TRUST = id_roles_terms-and-concepts.html (trust policy), KMS = kms key-policies.html,
// VARS = reference_policies_variables.html, BLOG = "Securing Amazon SageMaker Studio/notebook
// connectivity using a private VPC" (AWS ML blog).
#include <gtest/gtest.h>

#include <memory>

#include "analyzer/eval/evaluate.hpp"
#include "model/policy.hpp"

namespace vpcgate::eval {
namespace {

using V = std::vector<std::string>;

struct EvalCase {
  std::string name;
  V identity;
  std::string resource_policy;
  std::string boundary;
  std::vector<V> scps;
  std::string endpoint;
  std::string action;
  std::string resource;
  std::string principal;
  std::vector<std::pair<std::string, V>> context;
  Decision want;
  std::string source;
  std::vector<std::string> want_matched = {};  // "type:source#index", checked when non-empty
};

std::ostream& operator<<(std::ostream& os, const EvalCase& c) { return os << c.name; }

const std::string kAllowAll = R"({"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}})";
const std::string kUser = "arn:aws:iam::111122223333:user/alice";
const std::string kRole = "arn:aws:iam::111122223333:role/DataScientist";
const std::string kSession = "arn:aws:sts::111122223333:assumed-role/DataScientist/alice";
const std::string kOther = "arn:aws:iam::444455556666:user/bob";
const std::string kNotebook = "arn:aws:sagemaker:us-east-1:111122223333:notebook-instance/nb1";
const std::string kPresign = "sagemaker:CreatePresignedNotebookInstanceUrl";
const std::string kBucket = "arn:aws:s3:::amzn-s3-demo-bucket/key";

std::string allow(const std::string& action, const std::string& resource, const std::string& extra = "") {
  return R"({"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": ")" + action +
         R"(", "Resource": ")" + resource + "\"" + extra + "}}";
}
std::string deny(const std::string& action, const std::string& resource, const std::string& extra = "") {
  return R"({"Version": "2012-10-17", "Statement": {"Effect": "Deny", "Action": ")" + action +
         R"(", "Resource": ")" + resource + "\"" + extra + "}}";
}
std::string rp_allow(const std::string& principal_json, const std::string& action, const std::string& resource = "") {
  std::string s = R"({"Version": "2012-10-17", "Statement": {"Sid": "RP", "Effect": "Allow", "Principal": )" +
                  principal_json + R"(, "Action": ")" + action + "\"";
  if (!resource.empty()) s += R"(, "Resource": ")" + resource + "\"";
  return s + "}}";
}

const std::string kBlogPolicy = R"({"Version": "2012-10-17", "Statement": [
  {"Sid": "EnableCreatePresignedNotebookInstanceUrl", "Effect": "Allow",
   "Action": ["sagemaker:CreatePresignedNotebookInstanceUrl", "sagemaker:DescribeNotebookInstance"], "Resource": "*",
   "Condition": {"StringEquals": {"aws:SourceVpce": ["vpce-111bbccc", "vpce-111bbddd"]}}},
  {"Sid": "DenyOutsideVpce", "Effect": "Deny", "Action": "sagemaker:CreatePresignedNotebookInstanceUrl", "Resource": "*",
   "Condition": {"StringNotEquals": {"aws:SourceVpce": ["vpce-111bbccc", "vpce-111bbddd"]}}}]})";

const EvalCase kCases[] = {
    // Basics.
    {"NoPoliciesImplicitDeny", {}, "", "", {}, "", kPresign, "*", kUser, {}, Decision::ImplicitDeny, "LOGIC: implicit deny by default"},
    {"IdentityAllow", {kAllowAll}, "", "", {}, "", kPresign, kNotebook, kUser, {}, Decision::Allowed, "LOGIC", {"identity:p0#0"}},
    {"ExplicitDenyWins", {kAllowAll, deny("sagemaker:*", "*")}, "", "", {}, "", kPresign, kNotebook, kUser, {}, Decision::ExplicitDeny, "LOGIC: explicit deny", {"identity:p1#0"}},
    {"ActionCaseInsensitive", {allow("SageMaker:createpresigned*", "*")}, "", "", {}, "", kPresign, kNotebook, kUser, {}, Decision::Allowed, "LOGIC: action names are case-insensitive"},
    {"ActionQuestionMark", {allow("sagemaker:Describe?otebookInstance", "*")}, "", "", {}, "", "sagemaker:DescribeNotebookInstance", kNotebook, kUser, {}, Decision::Allowed, "reference_policies_elements_action.html"},
    {"OtherActionNotAllowed", {allow("sagemaker:Describe*", "*")}, "", "", {}, "", kPresign, kNotebook, kUser, {}, Decision::ImplicitDeny, "LOGIC"},
    // NotAction / NotResource.
    {"NotActionWithAllowCoversOthers", {R"({"Version": "2012-10-17", "Statement": {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}})"}, "", "", {}, "", kPresign, kNotebook, kUser, {}, Decision::Allowed, "NOTACTION: NotAction with Allow"},
    {"NotActionWithAllowExcludes", {R"({"Version": "2012-10-17", "Statement": {"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}})"}, "", "", {}, "", "iam:CreateUser", "*", kUser, {}, Decision::ImplicitDeny, "NOTACTION: NotAction with Allow"},
    {"NotActionWithDeny", {kAllowAll, R"({"Version": "2012-10-17", "Statement": {"Effect": "Deny", "NotAction": "sagemaker:Describe*", "Resource": "*"}})"}, "", "", {}, "", kPresign, kNotebook, kUser, {}, Decision::ExplicitDeny, "NOTACTION: NotAction with Deny"},
    {"NotResourceAllow", {R"({"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "sagemaker:*", "NotResource": "arn:aws:sagemaker:*:*:notebook-instance/secret*"}})"}, "", "", {}, "", kPresign, kNotebook, kUser, {}, Decision::Allowed, "NOTRESOURCE"},
    {"NotResourceExcluded", {R"({"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "sagemaker:*", "NotResource": "arn:aws:sagemaker:*:*:notebook-instance/nb*"}})"}, "", "", {}, "", kPresign, kNotebook, kUser, {}, Decision::ImplicitDeny, "NOTRESOURCE"},
    // Resource matching.
    {"ResourceSegmentWildcard", {allow(kPresign, "arn:aws:sagemaker:*:111122223333:notebook-instance/*")}, "", "", {}, "", kPresign, kNotebook, kUser, {}, Decision::Allowed, "RESOURCE: wildcards in ARN parts"},
    {"ResourceWildcardDoesNotCrossParts", {allow(kPresign, "arn:aws:sagemaker:us-east-1*")}, "", "", {}, "", kPresign, kNotebook, kUser, {}, Decision::Allowed, "RESOURCE: a pattern without six parts is matched as a whole"},
    {"ResourceAccountMismatch", {allow(kPresign, "arn:aws:sagemaker:*:444455556666:notebook-instance/*")}, "", "", {}, "", kPresign, kNotebook, kUser, {}, Decision::ImplicitDeny, "RESOURCE"},
    {"ResourceCaseSensitive", {allow(kPresign, "arn:aws:sagemaker:us-east-1:111122223333:notebook-instance/NB1")}, "", "", {}, "", kPresign, kNotebook, kUser, {}, Decision::ImplicitDeny, "RESOURCE: case-sensitive"},
    {"ResourceStarRequestOnlyMatchesStar", {allow(kPresign, "arn:aws:sagemaker:*:*:*")}, "", "", {}, "", kPresign, "*", kUser, {}, Decision::ImplicitDeny, "CONTRACT: the request's resource is taken literally"},
    {"ResourceVariable", {allow("s3:GetObject", "arn:aws:s3:::amzn-s3-demo-bucket/${aws:username}/*")}, "", "", {}, "", "s3:GetObject", "arn:aws:s3:::amzn-s3-demo-bucket/alice/x", kUser, {}, Decision::Allowed, "VARS Resource element"},
    {"ResourceVariableOtherUser", {allow("s3:GetObject", "arn:aws:s3:::amzn-s3-demo-bucket/${aws:username}/*")}, "", "", {}, "", "s3:GetObject", "arn:aws:s3:::amzn-s3-demo-bucket/bob/x", kUser, {}, Decision::ImplicitDeny, "VARS"},
    {"ResourceVariableUnresolved", {allow("s3:GetObject", "arn:aws:s3:::amzn-s3-demo-bucket/${aws:username}/*")}, "", "", {}, "", "s3:GetObject", "arn:aws:s3:::amzn-s3-demo-bucket/x/y", kRole, {}, Decision::ImplicitDeny, "VARS: a role has no aws:username"},
    {"ResourceVariableDefault", {allow("s3:GetObject", "arn:aws:s3:::amzn-s3-demo-bucket/${aws:PrincipalTag/team, 'shared'}/*")}, "", "", {}, "", "s3:GetObject", "arn:aws:s3:::amzn-s3-demo-bucket/shared/y", kRole, {}, Decision::Allowed, "VARS Specifying default values"},
    {"ResourceVariablePrincipalTag", {allow("s3:GetObject", "arn:aws:s3:::amzn-s3-demo-bucket/${aws:PrincipalTag/team}/*")}, "", "", {}, "", "s3:GetObject", "arn:aws:s3:::amzn-s3-demo-bucket/ml/y", kRole, {{"aws:PrincipalTag/team", V{"ml"}}}, Decision::Allowed, "VARS Tags as policy variables"},
    // Blog policy (aws:SourceVpce).
    {"BlogThroughApprovedEndpoint", {kBlogPolicy}, "", "", {}, "", kPresign, kNotebook, kUser, {{"aws:SourceVpce", V{"vpce-111bbccc"}}}, Decision::Allowed, "BLOG", {"identity:p0#0"}},
    {"BlogFromInternet", {kBlogPolicy}, "", "", {}, "", kPresign, kNotebook, kUser, {}, Decision::ExplicitDeny, "BLOG: StringNotEquals on a missing key", {"identity:p0#1"}},
    {"BlogOtherEndpoint", {kBlogPolicy}, "", "", {}, "", kPresign, kNotebook, kUser, {{"aws:SourceVpce", V{"vpce-0000"}}}, Decision::ExplicitDeny, "BLOG"},
    {"BlogDescribeFromInternet", {kBlogPolicy}, "", "", {}, "", "sagemaker:DescribeNotebookInstance", kNotebook, kUser, {}, Decision::ImplicitDeny, "BLOG"},
    // Permissions boundaries.
    {"BoundaryAllows", {kAllowAll}, "", allow("sagemaker:*", "*"), {}, "", kPresign, kNotebook, kUser, {}, Decision::Allowed, "BOUNDARY: effective = identity AND boundary", {"identity:p0#0", "boundary:b#0"}},
    {"BoundaryDoesNotAllow", {kAllowAll}, "", allow("s3:*", "*"), {}, "", kPresign, kNotebook, kUser, {}, Decision::ImplicitDeny, "BOUNDARY: boundary that does not allow"},
    {"BoundaryAloneGrantsNothing", {}, "", allow("sagemaker:*", "*"), {}, "", kPresign, kNotebook, kUser, {}, Decision::ImplicitDeny, "BOUNDARY: a boundary grants no permission"},
    {"BoundaryDeny", {kAllowAll}, "", deny(kPresign, "*"), {}, "", kPresign, kNotebook, kUser, {}, Decision::ExplicitDeny, "BOUNDARY"},
    // SCPs.
    {"ScpWithoutAllow", {kAllowAll}, "", "", {{allow("s3:*", "*")}}, "", kPresign, kNotebook, kUser, {}, Decision::ImplicitDeny, "SCP: an SCP without an allow"},
    {"ScpAllowsEveryLevel", {kAllowAll}, "", "", {{kAllowAll}, {allow("sagemaker:*", "*")}}, "", kPresign, kNotebook, kUser, {}, Decision::Allowed, "SCP: every level must allow", {"identity:p0#0", "scp:s0.0#0", "scp:s1.0#0"}},
    {"ScpOneLevelMissing", {kAllowAll}, "", "", {{kAllowAll}, {allow("s3:*", "*")}}, "", kPresign, kNotebook, kUser, {}, Decision::ImplicitDeny, "SCP: every level must allow"},
    {"ScpSeveralInOneLevel", {kAllowAll}, "", "", {{allow("s3:*", "*"), allow("sagemaker:*", "*")}}, "", kPresign, kNotebook, kUser, {}, Decision::Allowed, "SCP: one allow in the level suffices"},
    {"ScpDeny", {kAllowAll}, "", "", {{kAllowAll, deny("sagemaker:*", "*")}}, "", kPresign, kNotebook, kUser, {}, Decision::ExplicitDeny, "SCP: deny list strategy", {"scp:s0.1#0"}},
    {"ScpAloneGrantsNothing", {}, "", "", {{kAllowAll}}, "", kPresign, kNotebook, kUser, {}, Decision::ImplicitDeny, "SCP: SCPs grant no permission"},
    {"ScpConditionDeny", {kAllowAll}, "", "", {{kAllowAll, deny(kPresign, "*", R"(, "Condition": {"StringNotEqualsIfExists": {"aws:SourceVpc": "vpc-1"}})")}}, "", kPresign, kNotebook, kUser, {{"aws:SourceVpc", V{"vpc-2"}}}, Decision::ExplicitDeny, "SCP"},
    // Endpoint policies.
    {"EndpointAllows", {kAllowAll}, "", "", {}, R"({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}]})", kPresign, kNotebook, kUser, {}, Decision::Allowed, "vpc-endpoints-access.html: default policy"},
    {"EndpointDoesNotAllow", {kAllowAll}, "", "", {}, R"({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "*"}]})", kPresign, kNotebook, kUser, {}, Decision::ImplicitDeny, "vpc-endpoints-access.html"},
    {"EndpointPrincipalOtherAccount", {kAllowAll}, "", "", {}, R"({"Statement": [{"Effect": "Allow", "Principal": {"AWS": "444455556666"}, "Action": "*", "Resource": "*"}]})", kPresign, kNotebook, kUser, {}, Decision::ImplicitDeny, "vpc-endpoints-access.html: principals"},
    {"EndpointPrincipalOwnAccount", {kAllowAll}, "", "", {}, R"({"Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "*", "Resource": "*"}]})", kPresign, kNotebook, kUser, {}, Decision::Allowed, "vpc-endpoints-access.html: principals"},
    {"EndpointDeny", {kAllowAll}, "", "", {}, R"({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "*", "Resource": "*"}, {"Effect": "Deny", "Principal": "*", "Action": "sagemaker:*", "Resource": "*", "Condition": {"StringNotEquals": {"aws:PrincipalAccount": "111122223333"}}}]})", kPresign, kNotebook, kOther, {}, Decision::ExplicitDeny, "vpc-endpoints-access.html: data perimeter"},
    // Resource-based policies, same account.
    {"ResourcePolicyUserArnAloneAllows", {}, rp_allow(R"({"AWS": ")" + kUser + R"("})", "s3:GetObject", kBucket), "", {}, "", "s3:GetObject", kBucket, kUser, {}, Decision::Allowed, "LOGIC: resource-based policy naming the user, same account", {"resource:r#0"}},
    {"ResourcePolicyAccountNeedsIdentity", {}, rp_allow(R"({"AWS": "arn:aws:iam::111122223333:root"})", "s3:GetObject", kBucket), "", {}, "", "s3:GetObject", kBucket, kUser, {}, Decision::ImplicitDeny, "LOGIC: the account principal delegates to identity policies"},
    {"ResourcePolicyAccountWithIdentity", {allow("s3:*", "*")}, rp_allow(R"({"AWS": "111122223333"})", "s3:GetObject", kBucket), "", {}, "", "s3:GetObject", kBucket, kUser, {}, Decision::Allowed, "LOGIC", {"identity:p0#0", "resource:r#0"}},
    {"IdentityAloneSameAccount", {allow("s3:*", "*")}, rp_allow(R"({"AWS": ")" + kOther + R"("})", "s3:GetObject", kBucket), "", {}, "", "s3:GetObject", kBucket, kUser, {}, Decision::Allowed, "LOGIC: union within an account"},
    {"ResourcePolicyDenyWins", {allow("s3:*", "*")}, R"({"Statement": {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*"}})", "", {}, "", "s3:GetObject", kBucket, kUser, {}, Decision::ExplicitDeny, "LOGIC"},
    {"ResourcePolicyOtherPrincipalOnly", {}, rp_allow(R"({"AWS": ")" + kOther + R"("})", "s3:GetObject", kBucket), "", {}, "", "s3:GetObject", kBucket, kUser, {}, Decision::ImplicitDeny, "LOGIC"},
    {"ResourcePolicyWildcardPrincipal", {}, rp_allow(R"("*")", "s3:GetObject", kBucket), "", {}, "", "s3:GetObject", kBucket, kUser, {}, Decision::Allowed, "reference_policies_elements_principal.html: everyone"},
    {"ResourcePolicyUserNotLimitedByBoundary", {}, rp_allow(R"({"AWS": ")" + kUser + R"("})", "s3:GetObject", kBucket), allow("ec2:*", "*"), {}, "", "s3:GetObject", kBucket, kUser, {}, Decision::Allowed, "BOUNDARY: resource-based policy naming the user ARN"},
    {"ResourcePolicyRoleLimitedByBoundary", {}, rp_allow(R"({"AWS": ")" + kRole + R"("})", "s3:GetObject", kBucket), allow("ec2:*", "*"), {}, "", "s3:GetObject", kBucket, kSession, {}, Decision::ImplicitDeny, "BOUNDARY: resource-based policy naming the role ARN is limited"},
    {"ResourcePolicyRoleWithinBoundary", {}, rp_allow(R"({"AWS": ")" + kRole + R"("})", "s3:GetObject", kBucket), allow("s3:*", "*"), {}, "", "s3:GetObject", kBucket, kSession, {}, Decision::Allowed, "BOUNDARY"},
    {"ResourcePolicySessionNotLimited", {}, rp_allow(R"({"AWS": ")" + kSession + R"("})", "s3:GetObject", kBucket), allow("ec2:*", "*"), {}, "", "s3:GetObject", kBucket, kSession, {}, Decision::Allowed, "BOUNDARY: resource-based policy naming the session ARN"},
    {"ResourcePolicyRoleArnNoBoundary", {}, rp_allow(R"({"AWS": ")" + kRole + R"("})", "s3:GetObject", kBucket), "", {}, "", "s3:GetObject", kBucket, kRole, {}, Decision::Allowed, "LOGIC"},
    {"ResourcePolicyNoPrincipalNamesNobody", {}, R"({"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}})", "", {}, "", "s3:GetObject", kBucket, kUser, {}, Decision::ImplicitDeny, "reference_policies_elements_principal.html"},
    {"NotPrincipalDenyExcludesCaller", {allow("s3:*", "*")}, R"({"Statement": {"Effect": "Deny", "NotPrincipal": {"AWS": [")" + kUser + R"(", "arn:aws:iam::111122223333:root"]}, "Action": "s3:*", "Resource": "*"}})", "", {}, "", "s3:GetObject", kBucket, kUser, {}, Decision::Allowed, "NOTPRINCIPAL with Deny"},
    {"NotPrincipalDenyOthers", {allow("s3:*", "*")}, R"({"Statement": {"Effect": "Deny", "NotPrincipal": {"AWS": [")" + kOther + R"("]}, "Action": "s3:*", "Resource": "*"}})", "", {}, "", "s3:GetObject", kBucket, kUser, {}, Decision::ExplicitDeny, "NOTPRINCIPAL with Deny"},
    {"NotPrincipalDenyWithBoundaryAlwaysDenies", {allow("s3:*", "*")}, R"({"Statement": {"Effect": "Deny", "NotPrincipal": {"AWS": [")" + kUser + R"("]}, "Action": "s3:*", "Resource": "*"}})", kAllowAll, {}, "", "s3:GetObject", kBucket, kUser, {}, Decision::ExplicitDeny, "NOTPRINCIPAL: always denies a principal with a boundary"},
    // Cross account.
    {"CrossAccountNeedsBoth", {allow("s3:*", "*")}, rp_allow(R"({"AWS": "444455556666"})", "s3:GetObject", kBucket), "", {}, "", "s3:GetObject", kBucket, kOther, {{"aws:ResourceAccount", V{"111122223333"}}}, Decision::Allowed, "CROSS: both sides allow"},
    {"CrossAccountIdentityOnly", {allow("s3:*", "*")}, "", "", {}, "", kPresign, kNotebook, kOther, {}, Decision::ImplicitDeny, "CROSS: no resource-based policy"},
    {"CrossAccountResourceOnly", {}, rp_allow(R"({"AWS": ")" + kOther + R"("})", "sagemaker:*"), "", {}, "", kPresign, kNotebook, kOther, {}, Decision::ImplicitDeny, "CROSS: the identity side must allow too"},
    {"CrossAccountBoundaryDoesNotAllow", {allow("sagemaker:*", "*")}, rp_allow(R"({"AWS": ")" + kOther + R"("})", "sagemaker:*"), allow("s3:*", "*"), {}, "", kPresign, kNotebook, kOther, {}, Decision::ImplicitDeny, "CROSS + BOUNDARY"},
    {"ResourceAccountFromContext", {allow("s3:*", "*")}, "", "", {}, "", "s3:GetObject", kBucket, kUser, {{"aws:ResourceAccount", V{"444455556666"}}}, Decision::ImplicitDeny, "CONTRACT: --context wins over derived keys"},
    // Role trust policies.
    {"TrustNamesUser", {}, rp_allow(R"({"AWS": ")" + kUser + R"("})", "sts:AssumeRole"), "", {}, "", "sts:AssumeRole", kRole, kUser, {}, Decision::Allowed, "TRUST: the trust policy names the user"},
    {"TrustNamesAccountNeedsIdentity", {}, rp_allow(R"({"AWS": "arn:aws:iam::111122223333:root"})", "sts:AssumeRole"), "", {}, "", "sts:AssumeRole", kRole, kUser, {}, Decision::ImplicitDeny, "TRUST: root in the trust policy delegates to IAM policies"},
    {"TrustNamesAccountWithIdentity", {allow("sts:AssumeRole", kRole)}, rp_allow(R"({"AWS": "arn:aws:iam::111122223333:root"})", "sts:AssumeRole"), "", {}, "", "sts:AssumeRole", kRole, kUser, {}, Decision::Allowed, "TRUST"},
    {"TrustMissingIdentityNotEnough", {allow("sts:AssumeRole", "*")}, "", "", {}, "", "sts:AssumeRole", kRole, kUser, {}, Decision::ImplicitDeny, "TRUST: an identity allow alone is not enough"},
    {"TrustOtherPrincipal", {allow("sts:AssumeRole", "*")}, rp_allow(R"({"AWS": ")" + kOther + R"("})", "sts:AssumeRole"), "", {}, "", "sts:AssumeRole", kRole, kUser, {}, Decision::ImplicitDeny, "TRUST"},
    {"TrustCrossAccount", {allow("sts:AssumeRole", "*")}, rp_allow(R"({"AWS": "444455556666"})", "sts:AssumeRole"), "", {}, "", "sts:AssumeRole", kRole, kOther, {}, Decision::Allowed, "CROSS: role trust"},
    // KMS key policies.
    {"KmsIdentityAloneNotEnough", {allow("kms:*", "*")}, "", "", {}, "", "kms:Decrypt", "arn:aws:kms:us-east-1:111122223333:key/1234abcd", kUser, {}, Decision::ImplicitDeny, "KMS: the key policy must allow"},
    {"KmsKeyPolicyRootEnablesIam", {allow("kms:*", "*")}, rp_allow(R"({"AWS": "arn:aws:iam::111122223333:root"})", "kms:*", "*"), "", {}, "", "kms:Decrypt", "arn:aws:kms:us-east-1:111122223333:key/1234abcd", kUser, {}, Decision::Allowed, "KMS: the default key policy enables IAM policies"},
    {"KmsKeyPolicyNamesUser", {}, rp_allow(R"({"AWS": ")" + kUser + R"("})", "kms:Decrypt", "*"), "", {}, "", "kms:Decrypt", "arn:aws:kms:us-east-1:111122223333:key/1234abcd", kUser, {}, Decision::Allowed, "KMS"},
    // Conditions in the evaluation.
    {"ConditionSourceIpDeny", {kAllowAll, deny("*", "*", R"(, "Condition": {"NotIpAddress": {"aws:SourceIp": ["192.0.2.0/24"]}})")}, "", "", {}, "", kPresign, kNotebook, kUser, {{"aws:SourceIp", V{"198.51.100.1"}}}, Decision::ExplicitDeny, "OPS: deny outside an IP range"},
    {"ConditionSourceIpThroughEndpoint", {kAllowAll, deny("*", "*", R"(, "Condition": {"NotIpAddress": {"aws:SourceIp": ["192.0.2.0/24"]}})")}, "", "", {}, "", kPresign, kNotebook, kUser, {{"aws:SourceVpce", V{"vpce-1"}}}, Decision::ExplicitDeny, "aws:SourceIp is absent through an endpoint; NotIpAddress holds"},
    {"ConditionPrincipalTypeDerived", {allow("*", "*", R"(, "Condition": {"StringEquals": {"aws:PrincipalType": "AssumedRole"}})")}, "", "", {}, "", kPresign, kNotebook, kRole, {}, Decision::Allowed, "condition keys: aws:PrincipalType"},
    {"ConditionUsernameDerived", {allow("*", "*", R"(, "Condition": {"StringEquals": {"aws:username": "alice"}})")}, "", "", {}, "", kPresign, kNotebook, kUser, {}, Decision::Allowed, "condition keys: aws:username"},
};

class EvalTable : public ::testing::TestWithParam<EvalCase> {};

TEST_P(EvalTable, Decides) {
  const EvalCase& c = GetParam();
  std::vector<std::unique_ptr<model::PolicyDocument>> docs;
  auto load = [&](const std::string& text) {
    docs.push_back(std::make_unique<model::PolicyDocument>(model::parse_policy(nlohmann::json::parse(text), "t.json")));
    return docs.back().get();
  };
  PolicySet set;
  for (std::size_t i = 0; i < c.identity.size(); ++i) {
    std::string id = "p";
    id += std::to_string(i);
    set.identity.push_back({load(c.identity[i]), id});
  }
  if (!c.resource_policy.empty()) set.resource = SourcedPolicy{load(c.resource_policy), "r"};
  if (!c.boundary.empty()) set.boundary = SourcedPolicy{load(c.boundary), "b"};
  for (std::size_t i = 0; i < c.scps.size(); ++i) {
    std::vector<SourcedPolicy> level;
    for (std::size_t j = 0; j < c.scps[i].size(); ++j) {
      std::string id = "s";
      id += std::to_string(i);
      id += '.';
      id += std::to_string(j);
      level.push_back({load(c.scps[i][j]), id});
    }
    set.scp_levels.push_back(std::move(level));
  }
  if (!c.endpoint.empty()) set.endpoint = SourcedPolicy{load(c.endpoint), "e"};
  Request req;
  req.action = c.action;
  req.resource = c.resource;
  if (!c.principal.empty()) req.principal_arn = c.principal;
  for (const auto& [k, v] : c.context) req.context.set(k, v);
  add_derived_keys(req);
  const Result r = evaluate(set, req);
  EXPECT_STREQ(to_string(r.decision), to_string(c.want)) << c.source;
  if (r.decision == Decision::ImplicitDeny) {
    EXPECT_TRUE(r.matched.empty());
  }
  if (!c.want_matched.empty()) {
    std::vector<std::string> got;
    for (const auto& m : r.matched) {
      std::string id = to_string(m.type);
      id += ':';
      id += m.source_id;
      id += '#';
      id += std::to_string(m.index);
      got.push_back(id);
    }
    EXPECT_EQ(got, c.want_matched) << c.source;
  }
}

INSTANTIATE_TEST_SUITE_P(Aws, EvalTable, ::testing::ValuesIn(kCases), [](const auto& p) { return p.param.name; });

TEST(DerivedKeys, FromPrincipalAndResource) {
  Request r;
  r.principal_arn = "arn:aws:iam::111122223333:user/division/alice";
  r.resource = "arn:aws:s3:::bucket";
  r.context.set("aws:PrincipalType", "Custom");
  add_derived_keys(r);
  EXPECT_EQ(*r.context.get("aws:username"), V{"alice"});
  EXPECT_EQ(*r.context.get("aws:PrincipalArn"), V{"arn:aws:iam::111122223333:user/division/alice"});
  EXPECT_EQ(*r.context.get("aws:PrincipalAccount"), V{"111122223333"});
  EXPECT_EQ(*r.context.get("aws:PrincipalType"), V{"Custom"});  // the context wins
  EXPECT_EQ(*r.context.get("aws:ResourceAccount"), V{"111122223333"});  // S3 ARNs name no account

  Request s;
  s.principal_arn = "arn:aws:sts::111122223333:assumed-role/Admin/bob";
  s.resource = "arn:aws:sagemaker:us-east-1:444455556666:notebook-instance/x";
  add_derived_keys(s);
  EXPECT_EQ(*s.context.get("aws:PrincipalType"), V{"AssumedRole"});
  EXPECT_EQ(*s.context.get("aws:PrincipalArn"), V{"arn:aws:iam::111122223333:role/Admin"});
  EXPECT_EQ(s.context.get("aws:username"), nullptr);
  EXPECT_EQ(*s.context.get("aws:ResourceAccount"), V{"444455556666"});

  Request t;
  t.principal_arn = "arn:aws:iam::111122223333:root";
  t.resource_account = "999999999999";
  add_derived_keys(t);
  EXPECT_EQ(*t.context.get("aws:PrincipalType"), V{"Account"});
  EXPECT_EQ(*t.context.get("aws:ResourceAccount"), V{"999999999999"});
}

}  // namespace
}  // namespace vpcgate::eval
