// presigned-url-condition-dangling: endpoint/VPC IDs that the export does not hold, endpoints
// of other services; wildcards and statements that cannot cover the action are left out.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "analyzer/checks/presigned_url_condition_dangling.hpp"
#include "analyzer/graph/graph.hpp"
#include "model/policy.hpp"

namespace vpcgate::test {
namespace {

using checks::Json;

model::PolicyDocument doc(const std::string& text) { return model::parse_policy(nlohmann::json::parse(text), "t.json"); }

model::VpcEndpoint endpoint(const std::string& id, const std::string& vpc, const std::string& service) {
  model::VpcEndpoint e;
  e.id = id;
  e.vpc_id = vpc;
  e.service_name = service;
  return e;
}

std::vector<checks::Finding> run(const model::Account& a) {
  graph::Graph g(a);
  checks::ScanOptions o;
  checks::CheckContext ctx{g, o, {}, {}};
  checks::FindingSink sink;
  checks::PresignedUrlConditionDangling().run(ctx, sink);
  auto f = sink.take_findings();
  std::sort(f.begin(), f.end(), [](const auto& x, const auto& y) { return x.resource < y.resource; });
  return f;
}

TEST(PresignedUrlConditionDangling, OneFindingPerPolicyWithSortedValues) {
  model::Account a;
  model::Vpc v;
  v.id = "vpc-a";
  a.vpcs.push_back(v);
  a.vpc_endpoints.push_back(endpoint("vpce-api", "vpc-a", "com.amazonaws.us-east-1.sagemaker.api"));
  a.vpc_endpoints.push_back(endpoint("vpce-s3", "vpc-a", "com.amazonaws.us-east-1.s3"));
  model::ManagedPolicy p;
  p.arn = "arn:aws:iam::111122223333:policy/Notebooks";
  p.loc = {"export/iam.json", "/Policies/0", 0};
  p.document = doc(R"({"Version":"2012-10-17","Statement":[
    {"Effect":"Allow","Action":"sagemaker:CreatePresigned*","Resource":"*",
     "Condition":{"StringEquals":{"aws:SourceVpce":["vpce-s3","vpce-gone","vpce-api"]}}},
    {"Effect":"Deny","Action":"sagemaker:*","Resource":"*",
     "Condition":{"StringNotEquals":{"aws:sourcevpc":["vpc-gone","vpc-a"]},"StringNotLike":{"aws:SourceVpce":"vpce-*"}}},
    {"Effect":"Allow","Action":"s3:GetObject","Resource":"*",
     "Condition":{"StringEquals":{"aws:SourceVpce":"vpce-elsewhere"}}}]})");
  a.policies.push_back(p);
  model::Role r;
  r.arn = "arn:aws:iam::111122223333:role/Clean";
  r.inline_policies.push_back({"ok", doc(R"({"Version":"2012-10-17","Statement":[
    {"Effect":"Allow","Action":"sagemaker:CreatePresignedNotebookInstanceUrl","Resource":"*",
     "Condition":{"StringEquals":{"aws:SourceVpce":"vpce-api","aws:SourceVpc":"vpc-a"}}}]})")});
  r.inline_policies.push_back({"stale", doc(R"({"Version":"2012-10-17","Statement":[
    {"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:SourceVpce":"vpce-old"}}}]})")});
  r.loc = {"export/iam.json", "/RoleDetailList/0", 0};
  a.roles.push_back(r);
  auto f = run(a);
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].check, "presigned-url-condition-dangling");
  EXPECT_EQ(f[0].severity, checks::Severity::Medium);
  EXPECT_EQ(f[0].resource, "arn:aws:iam::111122223333:policy/Notebooks");
  EXPECT_FALSE(f[0].principal);
  EXPECT_EQ(f[0].evidence["values"], Json::parse(R"(["vpc-gone","vpce-gone","vpce-s3"])"));
  EXPECT_EQ(f[0].location.pointer, "/Policies/0");
  EXPECT_NE(f[0].detail.find("another service"), std::string::npos);
  EXPECT_EQ(f[1].resource, "arn:aws:iam::111122223333:role/Clean#stale");
  EXPECT_EQ(f[1].evidence["values"], Json::parse(R"(["vpce-old"])"));
  EXPECT_TRUE(run(model::Account{}).empty());
}

}  // namespace
}  // namespace vpcgate::test
