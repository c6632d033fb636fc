// presigned-url-unrestricted: the exact decision on the tricky cases of the scan issue.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "analyzer/checks/export_incomplete_iam.hpp"
#include "analyzer/checks/presigned_url_unrestricted.hpp"
#include "analyzer/graph/graph.hpp"
#include "model/policy.hpp"

namespace vpcgate::test {
namespace {

using checks::Json;

const std::string kAcct = "111122223333";
const std::string kNb1 = "arn:aws:sagemaker:us-east-1:111122223333:notebook-instance/nb1";
const std::string kNb2 = "arn:aws:sagemaker:us-east-1:111122223333:notebook-instance/nb2";
const std::string kRole = "arn:aws:iam::111122223333:role/DataScientist";
const std::string kUser = "arn:aws:iam::111122223333:user/alice";

model::PolicyDocument doc(const std::string& text) {
  return model::parse_policy(nlohmann::json::parse(text), "test.json");
}

// A statement list with the presigned action, e.g. stmt(R"("Effect":"Allow")").
std::string policy(const std::string& statements) {
  return R"({"Version":"2012-10-17","Statement":[)" + statements + "]}";
}

model::VpcEndpoint endpoint(const std::string& id, const std::string& vpc, const std::string& service) {
  model::VpcEndpoint e;
  e.id = id;
  e.vpc_id = vpc;
  e.service_name = service;
  e.region = "us-east-1";
  e.owner_id = kAcct;
  return e;
}

// Two VPCs: vpc-a (approved, endpoint vpce-approved) and vpc-b (endpoint vpce-other of
// sagemaker.api that is not approved, and an S3 gateway endpoint); two notebooks.
model::Account base() {
  model::Account a;
  for (const char* id : {"vpc-a", "vpc-b"}) {
    model::Vpc v;
    v.id = id;
    v.region = "us-east-1";
    a.vpcs.push_back(v);
  }
  a.vpc_endpoints.push_back(endpoint("vpce-approved", "vpc-a", "com.amazonaws.us-east-1.sagemaker.api"));
  a.vpc_endpoints.push_back(endpoint("vpce-other", "vpc-b", "com.amazonaws.us-east-1.sagemaker.api"));
  a.vpc_endpoints.push_back(endpoint("vpce-s3", "vpc-b", "com.amazonaws.us-east-1.s3"));
  for (const auto& arn : {kNb1, kNb2}) {
    model::NotebookInstance n;
    n.arn = arn;
    n.name = arn.substr(arn.rfind('/') + 1);
    a.notebooks.push_back(n);
  }
  return a;
}

model::Role role(const std::string& arn, const std::string& inline_policy) {
  model::Role r;
  r.arn = arn;
  r.name = arn.substr(arn.rfind('/') + 1);
  r.id = "AROAEXAMPLE" + r.name;
  r.trust = doc(R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"sagemaker.amazonaws.com"},"Action":"sts:AssumeRole"}]})");
  if (!inline_policy.empty()) r.inline_policies.push_back({"access", doc(inline_policy)});
  r.loc = {"export/iam.json", "/RoleDetailList/0", 0};
  return r;
}

checks::ScanOptions options() {
  checks::ScanOptions o;
  o.approved_vpces = {"vpce-approved"};
  o.approved_vpcs = {"vpc-a"};
  return o;
}

std::vector<checks::Finding> run(const checks::Check& check, const model::Account& a,
                                 const checks::ScanOptions& o = options()) {
  graph::Graph g(a);
  checks::CheckContext ctx{g, o, {}, {}};
  checks::FindingSink sink;
  check.run(ctx, sink);
  auto f = sink.take_findings();
  std::sort(f.begin(), f.end(), [](const auto& x, const auto& y) { return x.resource < y.resource; });
  return f;
}

std::vector<checks::Finding> unrestricted(const model::Account& a, const checks::ScanOptions& o = options()) {
  return run(checks::PresignedUrlUnrestricted(), a, o);
}

model::Account with_role(const std::string& inline_policy) {
  auto a = base();
  a.roles.push_back(role(kRole, inline_policy));
  return a;
}

const char* kPresign = R"("Action":"sagemaker:CreatePresignedNotebookInstanceUrl","Resource":"*")";

std::string allow(const std::string& extra = "", const std::string& sid = "AllowPresign") {
  return R"({"Sid":")" + sid + R"(","Effect":"Allow",)" + kPresign + (extra.empty() ? "" : "," + extra) + "}";
}

Json both_nb() { return Json::array({kNb1, kNb2}); }

TEST(PresignedUrlUnrestricted, StringEqualsIfExistsLeavesTheInternetOpen) {
  auto f = unrestricted(with_role(policy(allow(R"("Condition":{"StringEqualsIfExists":{"aws:SourceVpce":"vpce-approved"}})"))));
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].check, "presigned-url-unrestricted");
  EXPECT_EQ(f[0].severity, checks::Severity::High);
  EXPECT_EQ(f[0].resource, kRole);
  EXPECT_EQ(f[0].principal, kRole);
  EXPECT_EQ(f[0].evidence["witness"], Json::parse(R"({"aws:SourceVpc":null,"aws:SourceVpce":null})"));
  EXPECT_EQ(f[0].evidence["statements"],
            Json::parse(R"([{"policy":")" + kRole + R"(#access","sid":"AllowPresign","index":0}])"));
  EXPECT_EQ(f[0].evidence["notebooks"], both_nb());
  EXPECT_EQ(f[0].location.pointer, "/RoleDetailList/0");
  EXPECT_NE(f[0].detail.find("AllowPresign"), std::string::npos);
  EXPECT_FALSE(f[0].remediation.empty());
}

TEST(PresignedUrlUnrestricted, StringEqualsOnApprovedEndpointIsRestricted) {
  EXPECT_TRUE(unrestricted(with_role(policy(allow(R"("Condition":{"StringEquals":{"aws:SourceVpce":"vpce-approved"}})")))).empty());
  EXPECT_TRUE(unrestricted(with_role(policy(allow(R"("Condition":{"StringEquals":{"aws:SourceVpce":["vpce-approved"]},"Bool":{"aws:SecureTransport":"true"}})")))).empty());
}

TEST(PresignedUrlUnrestricted, DenyStringNotEqualsClosesIt) {
  auto p = policy(R"({"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny",)" + std::string(kPresign) +
                  R"(,"Condition":{"StringNotEquals":{"aws:SourceVpce":"vpce-approved"}}})");
  EXPECT_TRUE(unrestricted(with_role(p)).empty());
  // With IfExists the deny applies to requests without an endpoint too (a missing key makes
  // ...IfExists true): still closed.
  auto q = policy(R"({"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny",)" + std::string(kPresign) +
                  R"(,"Condition":{"StringNotEqualsIfExists":{"aws:SourceVpce":"vpce-approved"}}})");
  EXPECT_TRUE(unrestricted(with_role(q)).empty());
  // A deny that only covers requests through other endpoints leaves the internet open.
  auto r = policy(R"({"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny",)" + std::string(kPresign) +
                  R"(,"Condition":{"StringNotEquals":{"aws:SourceVpce":"vpce-approved"},"Null":{"aws:SourceVpce":"false"}}})");
  auto f = unrestricted(with_role(r));
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].evidence["witness"], Json::parse(R"({"aws:SourceVpc":null,"aws:SourceVpce":null})"));
}

TEST(PresignedUrlUnrestricted, ScpClosesIt) {
  auto a = with_role(policy(allow()));
  model::ServiceControlPolicy scp;
  scp.arn = "arn:aws:organizations::999988887777:policy/o-abc/service_control_policy/p-1";
  scp.document = doc(policy(R"({"Effect":"Deny",)" + std::string(kPresign) +
                            R"(,"Condition":{"StringNotEquals":{"aws:SourceVpce":"vpce-approved"}}})"));
  a.scps.push_back(scp);  // no Allow in any SCP: FullAWSAccess is assumed beside it
  EXPECT_TRUE(unrestricted(a).empty());
  // An SCP level without the deny (and FullAWSAccess assumed) leaves it open; the assumed
  // policy is not named among the statements.
  a.scps[0].document = doc(policy(R"({"Effect":"Deny","Action":"s3:*","Resource":"*"})"));
  auto f = unrestricted(a);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].evidence["statements"].size(), 1u);
}

TEST(PresignedUrlUnrestricted, BoundaryClosesIt) {
  auto a = with_role(policy(R"({"Effect":"Allow","Action":"*","Resource":"*"})"));
  model::ManagedPolicy b;
  b.arn = "arn:aws:iam::111122223333:policy/Boundary";
  b.name = "Boundary";
  b.document = doc(policy(allow(R"("Condition":{"StringEquals":{"aws:SourceVpce":"vpce-approved"}})")));
  a.policies.push_back(b);
  a.roles[0].boundary_arn = b.arn;
  EXPECT_TRUE(unrestricted(a).empty());
}

TEST(PresignedUrlUnrestricted, NotActionAndMixedCaseWildcards) {
  auto f = unrestricted(with_role(policy(R"({"Effect":"Allow","NotAction":["iam:*","s3:*"],"Resource":"*"})")));
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].evidence["statements"], Json::parse(R"([{"policy":")" + kRole + R"(#access","sid":null,"index":0}])"));
  EXPECT_EQ(unrestricted(with_role(policy(R"({"Effect":"Allow","Action":"SageMaker:createPRESIGNED*","Resource":"*"})"))).size(), 1u);
  EXPECT_EQ(unrestricted(with_role(policy(R"({"Effect":"Allow","Action":"sagemaker:CreatePresignedNotebook?nstanceUrl","Resource":"*"})"))).size(), 1u);
  EXPECT_TRUE(unrestricted(with_role(policy(R"({"Effect":"Allow","NotAction":"sagemaker:*","Resource":"*"})"))).empty());
}

TEST(PresignedUrlUnrestricted, GroupPolicyReachesTheUser) {
  auto a = base();
  model::Group g;
  g.arn = "arn:aws:iam::111122223333:group/DataScience";
  g.name = "DataScience";
  g.inline_policies.push_back({"presign", doc(policy(allow()))});
  a.groups.push_back(g);
  model::User u;
  u.arn = kUser;
  u.name = "alice";
  u.id = "AIDAALICE";
  u.groups = {"DataScience"};
  a.users.push_back(u);
  model::User bob = u;
  bob.arn = "arn:aws:iam::111122223333:user/bob";
  bob.name = "bob";
  bob.groups = {};
  a.users.push_back(bob);
  auto f = unrestricted(a);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].resource, kUser);
  EXPECT_EQ(f[0].evidence["statements"][0]["policy"], g.arn + "#presign");
}

TEST(PresignedUrlUnrestricted, ResourceCoveringSomeNotebooks) {
  auto f = unrestricted(with_role(policy(
      R"({"Effect":"Allow","Action":"sagemaker:CreatePresignedNotebookInstanceUrl","Resource":"arn:aws:sagemaker:*:111122223333:notebook-instance/nb1"})")));
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].evidence["notebooks"], Json::array({kNb1}));
  // No notebook in the input: any notebook counts.
  auto a = with_role(policy(
      R"({"Effect":"Allow","Action":"sagemaker:CreatePresignedNotebookInstanceUrl","Resource":"arn:aws:sagemaker:*:111122223333:notebook-instance/team-*"})"));
  a.notebooks.clear();
  f = unrestricted(a);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].evidence["notebooks"], Json::array({"*"}));
  // A notebook of another account cannot be reached by identity policies alone.
  a.roles[0].inline_policies[0].document = doc(policy(
      R"({"Effect":"Allow","Action":"sagemaker:CreatePresignedNotebookInstanceUrl","Resource":"arn:aws:sagemaker:*:444455556666:notebook-instance/*"})"));
  EXPECT_TRUE(unrestricted(a).empty());
}

TEST(PresignedUrlUnrestricted, SourceIpConditions) {
  auto f = unrestricted(with_role(policy(allow(R"("Condition":{"IpAddress":{"aws:SourceIp":["203.0.113.0/24","198.51.100.7"]}})"))));
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].evidence["witness"],
            Json::parse(R"({"aws:SourceIp":"198.51.100.7","aws:SourceVpc":null,"aws:SourceVpce":null})"));
  // Deny outside a corporate range: an address inside it still works from outside any endpoint.
  f = unrestricted(with_role(policy(allow() + R"(,{"Effect":"Deny",)" + kPresign +
                                    R"(,"Condition":{"NotIpAddress":{"aws:SourceIp":"10.0.0.0/8"}}})")));
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].evidence["witness"]["aws:SourceIp"], "10.0.0.0");
  // Deny unless through the approved endpoint, allow by IP: closed (no IP through an endpoint).
  EXPECT_TRUE(unrestricted(with_role(policy(
                  allow(R"("Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}})") + R"(,{"Effect":"Deny",)" +
                  kPresign + R"(,"Condition":{"StringNotEquals":{"aws:SourceVpce":"vpce-approved"}}})")))
                  .empty());
}

TEST(PresignedUrlUnrestricted, SourceVpcConditions) {
  EXPECT_TRUE(unrestricted(with_role(policy(allow(R"("Condition":{"StringEquals":{"aws:SourceVpc":"vpc-a"}})")))).empty());
  auto f = unrestricted(with_role(policy(allow(R"("Condition":{"StringEquals":{"aws:SourceVpc":"vpc-b"}})"))));
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].evidence["witness"],
            Json::parse(R"({"aws:SourceVpc":"vpc-b","aws:SourceVpce":"vpce-00000000000000000"})"));
  // A deny unless from the approved VPC closes everything.
  EXPECT_TRUE(unrestricted(with_role(policy(allow() + R"(,{"Effect":"Deny",)" + kPresign +
                                            R"(,"Condition":{"StringNotEquals":{"aws:SourceVpc":"vpc-a"}}})")))
                  .empty());
}

TEST(PresignedUrlUnrestricted, UnapprovedExistingEndpoint) {
  auto f = unrestricted(with_role(policy(allow(R"("Condition":{"StringEquals":{"aws:SourceVpce":["vpce-approved","vpce-other"]}})"))));
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].evidence["witness"], Json::parse(R"({"aws:SourceVpc":"vpc-b","aws:SourceVpce":"vpce-other"})"));
  EXPECT_NE(f[0].detail.find("vpce-other"), std::string::npos);
  // Approving it closes the gap.
  auto o = options();
  o.approved_vpces.insert("vpce-other");
  EXPECT_TRUE(unrestricted(with_role(policy(allow(R"("Condition":{"StringEquals":{"aws:SourceVpce":["vpce-approved","vpce-other"]}})"))), o).empty());
  // Or approving its VPC.
  o = options();
  o.approved_vpcs.insert("vpc-b");
  EXPECT_TRUE(unrestricted(with_role(policy(allow(R"("Condition":{"StringEquals":{"aws:SourceVpce":["vpce-approved","vpce-other"]}})"))), o).empty());
}

TEST(PresignedUrlUnrestricted, PatternsAndIgnoreCase) {
  // vpce-* covers an unknown endpoint: open.
  auto f = unrestricted(with_role(policy(allow(R"("Condition":{"StringLike":{"aws:SourceVpce":"vpce-*"}})"))));
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].evidence["witness"], Json::parse(R"({"aws:SourceVpc":"vpc-00000000000000000","aws:SourceVpce":"vpce-00000000000000000"})"));
  // Deny StringNotEqualsIgnoreCase with the approved endpoint: closed.
  EXPECT_TRUE(unrestricted(with_role(policy(allow() + R"(,{"Effect":"Deny",)" + kPresign +
                                            R"(,"Condition":{"StringNotEqualsIgnoreCase":{"aws:SourceVpce":"VPCE-APPROVED"}}})")))
                  .empty());
}

TEST(PresignedUrlUnrestricted, CannotCallAtAllIsRestricted) {
  EXPECT_TRUE(unrestricted(with_role(policy(R"({"Effect":"Allow","Action":"s3:*","Resource":"*"})"))).empty());
  EXPECT_TRUE(unrestricted(with_role("")).empty());
}

TEST(PresignedUrlUnrestricted, PrincipalKeysAreFixed) {
  // Deny unless the caller is the admin role: other roles are closed, the admin open.
  auto p = policy(allow() + R"(,{"Effect":"Deny",)" + kPresign +
                  R"(,"Condition":{"ArnNotLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/Admin"}}})");
  auto a = with_role(p);
  a.roles.push_back(role("arn:aws:iam::111122223333:role/Admin", p));
  auto f = unrestricted(a);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].resource, "arn:aws:iam::111122223333:role/Admin");
  EXPECT_EQ(f[0].evidence["witness"]["aws:PrincipalArn"], "arn:aws:iam::111122223333:role/Admin");
}

TEST(PresignedUrlUnrestricted, BudgetExceededFailsClosed) {
  auto o = options();
  o.search_budget = 1;
  auto f = unrestricted(with_role(policy(allow(R"("Condition":{"StringEquals":{"aws:SourceVpce":"vpce-approved"}})"))), o);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NE(f[0].detail.find("not completed"), std::string::npos);
}

TEST(PresignedUrlUnrestricted, MissingPolicyIsTakenAsAllowAll) {
  auto a = with_role("");
  a.roles[0].attached.push_back({"arn:aws:iam::111122223333:policy/Gone", "Gone"});
  auto f = unrestricted(a);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NE(f[0].detail.find("arn:aws:iam::111122223333:policy/Gone"), std::string::npos);
  // A boundary that closes it still wins.
  model::ManagedPolicy b;
  b.arn = "arn:aws:iam::111122223333:policy/Boundary";
  b.document = doc(policy(R"({"Effect":"Allow","Action":"s3:*","Resource":"*"})"));
  a.policies.push_back(b);
  a.roles[0].boundary_arn = b.arn;
  EXPECT_TRUE(unrestricted(a).empty());
}

TEST(ExportIncompleteIam, OneFindingPerMissingArn) {
  auto a = base();
  a.roles.push_back(role(kRole, ""));
  a.roles[0].attached.push_back({"arn:aws:iam::111122223333:policy/Gone", "Gone"});
  a.roles[0].attached.push_back({"arn:aws:iam::aws:policy/NotInSnapshot", "NotInSnapshot"});
  a.roles[0].boundary_arn = "arn:aws:iam::111122223333:policy/GoneBoundary";
  a.roles.push_back(role("arn:aws:iam::111122223333:role/Analyst", ""));
  a.roles[1].attached.push_back({"arn:aws:iam::111122223333:policy/Gone", "Gone"});
  a.roles[1].loc = {"export/iam-2.json", "/RoleDetailList/1", 0};
  model::User u;
  u.arn = kUser;
  u.name = "alice";
  u.groups = {"Ghosts"};
  u.loc = {"export/iam.json", "/UserDetailList/0", 0};
  a.users.push_back(u);
  auto f = run(checks::ExportIncompleteIam(), a);
  ASSERT_EQ(f.size(), 4u);
  EXPECT_EQ(f[0].resource, "arn:aws:iam::111122223333:group/Ghosts");
  EXPECT_EQ(f[0].evidence["referenced_by"], Json::array({kUser}));
  EXPECT_EQ(f[1].resource, "arn:aws:iam::111122223333:policy/Gone");
  EXPECT_EQ(f[1].evidence["referenced_by"], Json::array({"arn:aws:iam::111122223333:role/Analyst", kRole}));
  EXPECT_EQ(f[1].location.file, "export/iam-2.json");  // the bytewise-first referrer
  EXPECT_EQ(f[2].resource, "arn:aws:iam::111122223333:policy/GoneBoundary");
  EXPECT_EQ(f[3].resource, "arn:aws:iam::aws:policy/NotInSnapshot");
  EXPECT_EQ(f[3].severity, checks::Severity::High);
  EXPECT_FALSE(f[3].principal);
  EXPECT_TRUE(run(checks::ExportIncompleteIam(), base()).empty());
}

}  // namespace
}  // namespace vpcgate::test

namespace vpcgate::test {
namespace {

// Issue 9: a request through a known endpoint is also decided by that endpoint's policy.
TEST(PresignedUrlUnrestricted, UnapprovedEndpointWhosePolicyDeniesClosesIt) {
  const std::string through_other =
      policy(allow(R"("Condition":{"StringEquals":{"aws:SourceVpce":["vpce-approved","vpce-other"]}})"));
  // Without a policy of its own, vpce-other lets the request through: unrestricted.
  auto open = unrestricted(with_role(through_other));
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(open[0].evidence["witness"]["aws:SourceVpce"], "vpce-other");
  EXPECT_EQ(open[0].evidence["witness"]["aws:SourceVpc"], "vpc-b");
  // The default full-access policy written out changes nothing.
  auto a = with_role(through_other);
  a.vpc_endpoints[1].policy = doc(
      R"({"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]})");
  EXPECT_EQ(unrestricted(a).size(), 1u);
  // A policy that lets only another principal through closes it.
  a.vpc_endpoints[1].policy = doc(R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow",
      "Principal":{"AWS":"arn:aws:iam::111122223333:role/SomeoneElse"},"Action":"*","Resource":"*"}]})");
  EXPECT_TRUE(unrestricted(a).empty());
  // An endpoint policy whose Deny names the principal closes it too.
  a.vpc_endpoints[1].policy = doc(R"({"Version":"2012-10-17","Statement":[
      {"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"},
      {"Effect":"Deny","Principal":"*","Action":"sagemaker:CreatePresignedNotebookInstanceUrl","Resource":"*",
       "Condition":{"StringEquals":{"aws:PrincipalArn":"arn:aws:iam::111122223333:role/DataScientist"}}}]})");
  EXPECT_TRUE(unrestricted(a).empty());
}

}  // namespace
}  // namespace vpcgate::test
