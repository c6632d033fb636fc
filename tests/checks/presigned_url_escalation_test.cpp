// presigned-url-escalation: assume-role chains (explicit ARN trust, :root trust with the
// caller's own sts permission) and IAM changes (iam:PutRolePolicy on itself).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "analyzer/checks/presigned_url_escalation.hpp"
#include "analyzer/graph/graph.hpp"
#include "model/policy.hpp"

namespace vpcgate::test {
namespace {

using checks::Json;

const std::string kUser = "arn:aws:iam::111122223333:user/alice";
const std::string kOpen = "arn:aws:iam::111122223333:role/OpenRole";
const std::string kMid = "arn:aws:iam::111122223333:role/MidRole";

model::PolicyDocument doc(const std::string& text) { return model::parse_policy(nlohmann::json::parse(text), "t.json"); }
std::string policy(const std::string& statements) {
  return R"({"Version":"2012-10-17","Statement":[)" + statements + "]}";
}
std::string trust(const std::string& principal) {
  return policy(R"({"Sid":"Trust","Effect":"Allow","Principal":{"AWS":")" + principal + R"("},"Action":"sts:AssumeRole"})");
}
const std::string kPresignAll = R"({"Sid":"Presign","Effect":"Allow","Action":"sagemaker:CreatePresignedNotebookInstanceUrl","Resource":"*"})";

model::Role role(const std::string& arn, const std::string& trust_doc, const std::string& inline_doc) {
  model::Role r;
  r.arn = arn;
  r.name = arn.substr(arn.rfind('/') + 1);
  r.id = "AROA" + r.name;
  r.trust = doc(trust_doc);
  if (!inline_doc.empty()) r.inline_policies.push_back({"p", doc(inline_doc)});
  return r;
}

model::Account account(const std::string& user_policy, const std::string& open_trust) {
  model::Account a;
  model::NotebookInstance n;
  n.arn = "arn:aws:sagemaker:us-east-1:111122223333:notebook-instance/nb1";
  a.notebooks.push_back(n);
  model::User u;
  u.arn = kUser;
  u.name = "alice";
  u.id = "AIDAALICE";
  if (!user_policy.empty()) u.inline_policies.push_back({"own", doc(user_policy)});
  u.loc = {"export/iam.json", "/UserDetailList/0", 0};
  a.users.push_back(u);
  a.roles.push_back(role(kOpen, open_trust, policy(kPresignAll)));
  return a;
}

std::vector<checks::Finding> run(const model::Account& a) {
  graph::Graph g(a);
  checks::ScanOptions o;
  o.approved_vpces = {"vpce-approved"};
  o.approved_vpcs = {"vpc-a"};
  checks::CheckContext ctx{g, o, {}, {}};
  checks::FindingSink sink;
  checks::PresignedUrlEscalation().run(ctx, sink);
  auto f = sink.take_findings();
  std::sort(f.begin(), f.end(), [](const auto& x, const auto& y) { return x.resource < y.resource; });
  return f;
}

TEST(PresignedUrlEscalation, ExplicitTrustNeedsNoOwnPermission) {
  auto f = run(account("", trust(kUser)));
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].check, "presigned-url-escalation");
  EXPECT_EQ(f[0].resource, kUser);
  EXPECT_EQ(f[0].principal, kUser);
  EXPECT_EQ(f[0].evidence["chain"], Json::parse(R"([{"from":")" + kUser + R"(","to":")" + kOpen +
                                                R"(","via":"sts:AssumeRole","statement":{"policy":")" + kOpen +
                                                R"(#AssumeRolePolicyDocument","sid":"Trust","index":0}}])"));
  EXPECT_EQ(f[0].evidence["witness"], Json::parse(R"({"aws:SourceVpc":null,"aws:SourceVpce":null})"));
  EXPECT_EQ(f[0].evidence["statements"], Json::parse(R"([{"policy":")" + kOpen + R"(#p","sid":"Presign","index":0}])"));
  EXPECT_EQ(f[0].evidence["notebooks"], Json::array({"arn:aws:sagemaker:us-east-1:111122223333:notebook-instance/nb1"}));
  EXPECT_EQ(f[0].location.pointer, "/UserDetailList/0");
}

TEST(PresignedUrlEscalation, RootTrustNeedsOwnStsPermission) {
  EXPECT_TRUE(run(account("", trust("arn:aws:iam::111122223333:root"))).empty());
  auto own = policy(R"({"Sid":"Assume","Effect":"Allow","Action":"sts:AssumeRole","Resource":")" + kOpen + R"("})");
  auto f = run(account(own, trust("arn:aws:iam::111122223333:root")));
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].evidence["chain"][0]["statement"],
            Json::parse(R"({"policy":")" + kUser + R"(#own","sid":"Assume","index":0})"));
  // A permission on another role only does not help.
  auto other = policy(R"({"Effect":"Allow","Action":"sts:AssumeRole","Resource":"arn:aws:iam::111122223333:role/Other"})");
  EXPECT_TRUE(run(account(other, trust("arn:aws:iam::111122223333:root"))).empty());
}

TEST(PresignedUrlEscalation, TransitiveChainShortestFirst) {
  auto a = account("", trust("arn:aws:iam::111122223333:role/Nobody"));
  a.roles.push_back(role(kMid, trust(kUser), ""));
  a.roles[0].trust = doc(trust(kMid));
  auto f = run(a);
  ASSERT_EQ(f.size(), 2u);  // alice -> MidRole -> OpenRole; MidRole -> OpenRole
  EXPECT_EQ(f[0].resource, kMid);
  EXPECT_EQ(f[0].evidence["chain"].size(), 1u);
  EXPECT_EQ(f[1].resource, kUser);
  ASSERT_EQ(f[1].evidence["chain"].size(), 2u);
  EXPECT_EQ(f[1].evidence["chain"][0]["to"], kMid);
  EXPECT_EQ(f[1].evidence["chain"][1]["from"], kMid);
  EXPECT_EQ(f[1].evidence["chain"][1]["to"], kOpen);
}

TEST(PresignedUrlEscalation, PutRolePolicyOnItself) {
  model::Account a;
  const std::string self = "arn:aws:iam::111122223333:role/Builder";
  a.roles.push_back(role(self, trust("arn:aws:iam::111122223333:role/Nobody"),
                         policy(R"({"Sid":"Iam","Effect":"Allow","Action":"iam:PutRolePolicy","Resource":")" + self + R"("})")));
  auto f = run(a);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].evidence["chain"], Json::parse(R"([{"from":")" + self + R"(","to":")" + self +
                                                R"(","via":"iam:PutRolePolicy","statement":{"policy":")" + self +
                                                R"(#p","sid":"Iam","index":0}}])"));
  EXPECT_EQ(f[0].evidence["notebooks"], Json::array({"*"}));
  // A boundary that does not allow the action still caps it after the change.
  model::ManagedPolicy b;
  b.arn = "arn:aws:iam::111122223333:policy/Boundary";
  b.document = doc(policy(R"({"Effect":"Allow","Action":"iam:*","Resource":"*"})"));
  a.policies.push_back(b);
  a.roles[0].boundary_arn = b.arn;
  EXPECT_TRUE(run(a).empty());
}

TEST(PresignedUrlEscalation, UnrestrictedPrincipalsAreNotReportedHere) {
  auto a = account(policy(kPresignAll), trust(kUser));
  EXPECT_TRUE(run(a).empty());
}

}  // namespace
}  // namespace vpcgate::test
