// `vpcgate graph` through the built binary: the whole graph as JSON, and one finding's evidence
// (`--finding ID`) as JSON and DOT, in walk order (CONTRACT.md, `vpcgate graph`; issue 8).
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include "tests/common/run_command.hpp"

namespace {

struct GraphRun {
  int status = -1;
  std::string out;
};

GraphRun run(const std::string& args) {
  std::string cmd = "cd '" + std::string(VPCGATE_SOURCE_DIR) + "' && '" + std::string(VPCGATE_BINARY) + "' " + args +
                    " 2>/dev/null";
  GraphRun r;
  auto c = vpcgate::test::run_command(cmd);
  r.status = c.status;
  r.out = std::move(c.out);
  return r;
}

const std::string kDemo = "fixtures/demo/export";
// IDs from fixtures/demo/README.md's "Must report" (stable: they hash check and subject only).
const std::string kEgress = "vg-5119b5331299638b";      // notebook-instance/analytics-legacy-nb
const std::string kEscalation = "vg-4f8c33eced282b34";  // role/MLOpsEngineer
const std::string kJdoe = "vg-d3d5ab6e1590fc2f";        // user/jdoe, via group DataAnalysts

std::vector<std::string> ids(const nlohmann::json& vertices) {
  std::vector<std::string> out;
  for (const auto& v : vertices) out.push_back(v["id"].get<std::string>());
  return out;
}

TEST(GraphCli, WholeGraphAsJson) {
  GraphRun r = run("graph " + kDemo + " --format json");
  ASSERT_EQ(r.status, 0);
  auto j = nlohmann::json::parse(r.out);
  ASSERT_TRUE(j["vertices"].is_array());
  ASSERT_TRUE(j["edges"].is_array());
  auto v = ids(j["vertices"]);
  EXPECT_TRUE(std::is_sorted(v.begin(), v.end()));
  EXPECT_NE(std::find(v.begin(), v.end(), "arn:aws:iam::111122223333:role/MLOpsEngineer"), v.end());
  EXPECT_NE(std::find(v.begin(), v.end(), "igw-0f9e8d7c6b5a43001"), v.end());
  bool inline_policy = false;
  for (const auto& e : j["edges"])
    if (e["from"] == "arn:aws:iam::111122223333:role/MLOpsEngineer" &&
        e["to"] == "arn:aws:iam::111122223333:role/MLOpsEngineer#MLOpsAccess" && e["kind"] == "has-inline")
      inline_policy = true;
  EXPECT_TRUE(inline_policy);
  EXPECT_EQ(run("graph " + kDemo + " --format json").out, r.out);  // same input, same bytes
}

TEST(GraphCli, EgressPathInWalkOrder) {
  GraphRun r = run("graph " + kDemo + " --finding " + kEgress + " --format json");
  ASSERT_EQ(r.status, 0);
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["finding"]["check"], "internet-egress-path");
  EXPECT_EQ(ids(j["vertices"]),
            (std::vector<std::string>{"arn:aws:sagemaker:us-east-1:111122223333:notebook-instance/analytics-legacy-nb",
                                      "subnet-0f9e8d7c6b5a41002", "sg-0f9e8d7c6b5a45001", "acl-0f9e8d7c6b5a46000",
                                      "rtb-0f9e8d7c6b5a42000", "nat-0f9e8d7c6b5a44001", "subnet-0f9e8d7c6b5a41001",
                                      "rtb-0f9e8d7c6b5a42001", "igw-0f9e8d7c6b5a43001", "internet"}));
  const auto& e = j["edges"];
  ASSERT_EQ(e.size(), 9u);
  for (std::size_t i = 0; i < e.size(); ++i) {  // a chain: each arrow starts where the last ended
    EXPECT_EQ(e[i]["from"], j["vertices"][i]["id"]);
    EXPECT_EQ(e[i]["to"], j["vertices"][i + 1]["id"]);
  }
  EXPECT_EQ(e[4]["reason"], "0.0.0.0/0");  // main route table -> NAT
  EXPECT_EQ(e[4]["kind"], "routes-to");
  EXPECT_EQ(j["vertices"][3]["detail"], "rule 100");
  EXPECT_EQ(j["vertices"][4]["detail"], "route 0.0.0.0/0");
}

TEST(GraphCli, EscalationChainThenStatementThenNotebooks) {
  GraphRun r = run("graph " + kDemo + " --finding " + kEscalation + " --format json");
  ASSERT_EQ(r.status, 0);
  auto j = nlohmann::json::parse(r.out);
  const auto& e = j["edges"];
  ASSERT_GE(e.size(), 3u);
  EXPECT_EQ(e[0]["from"], "arn:aws:iam::111122223333:role/MLOpsEngineer");
  EXPECT_EQ(e[0]["to"], "arn:aws:iam::111122223333:role/MLPipelineRole");
  EXPECT_EQ(e[0]["kind"], "can-assume");
  EXPECT_EQ(e[0]["reason"], "sts:AssumeRole (Sid AssumePipelineRole)");
  EXPECT_EQ(e[1]["from"], "arn:aws:iam::111122223333:role/MLPipelineRole");
  EXPECT_EQ(e[1]["kind"], "inline");
  bool notebooks = false;
  for (const auto& v : j["vertices"]) {
    if (v["id"] == "arn:aws:sagemaker:us-east-1:111122223333:notebook-instance/ds-research-01") notebooks = true;
    if (v["kind"] == "inline-policy") {
      EXPECT_EQ(v["detail"], "Sid SageMakerAll · statement 0");
    }
  }
  EXPECT_TRUE(notebooks);
  ASSERT_EQ(j["notes"].size(), 1u);
  EXPECT_NE(j["notes"][0].get<std::string>().find("aws:SourceVpce absent"), std::string::npos);
}

TEST(GraphCli, GroupPolicyDrawnThroughTheGroup) {
  GraphRun r = run("graph " + kDemo + " --finding " + kJdoe + " --format json");
  ASSERT_EQ(r.status, 0);
  auto j = nlohmann::json::parse(r.out);
  auto v = ids(j["vertices"]);
  ASSERT_GE(v.size(), 4u);
  EXPECT_EQ(v[0], "arn:aws:iam::111122223333:user/jdoe");
  EXPECT_EQ(v[1], "arn:aws:iam::111122223333:group/DataAnalysts");
  EXPECT_EQ(j["edges"][0]["kind"], "member-of");
  EXPECT_EQ(v[2], "arn:aws:iam::111122223333:group/DataAnalysts#AnalyticsNotebooks");
  EXPECT_EQ(j["vertices"][2]["detail"], "Sid AnalyticsNotebooks · statement 0");
  EXPECT_EQ(v.back(), "arn:aws:sagemaker:us-east-1:111122223333:notebook-instance/analytics-legacy-nb");
}

TEST(GraphCli, FindingAsDotForGraphviz) {
  GraphRun r = run("graph " + kDemo + " --finding " + kEgress + " --format dot");
  ASSERT_EQ(r.status, 0);
  EXPECT_EQ(r.out.rfind("digraph finding {\n  rankdir=LR;", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("n3 -> n4 [label=\"routed by\"];"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("n4 -> n5 [label=\"0.0.0.0/0\"];"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("label=\"nat-gateway\\nnat-0f9e8d7c6b5a44001\""), std::string::npos) << r.out;
  EXPECT_EQ(r.out.back(), '\n');
  EXPECT_EQ(run("graph " + kDemo + " --finding " + kEgress + " --format dot").out, r.out);
}

TEST(GraphCli, UnknownFindingIsAUsageError) {
  EXPECT_EQ(run("graph " + kDemo + " --finding vg-0000000000000000").status, 2);
  EXPECT_EQ(run("graph " + kDemo + " --format svg").status, 2);
}

}  // namespace
