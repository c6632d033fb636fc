// The CI gate end to end through the built binary (issue 5, "Done when"): a one-line change in
// a CloudFormation template or a Terraform plan flips the exit status from 0 to 1, with a
// finding that points at the changed resource; the same input gives the same bytes.
// Fixtures: fixtures/iac/gate/{before,after}/ (plan.json from make_plans.py).
#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>
#include "tests/common/run_command.hpp"

namespace fs = std::filesystem;

namespace {

const std::string kGate = std::string(VPCGATE_FIXTURES) + "/iac/gate";

struct RunResult {
  int status = -1;
  std::string out;
};

RunResult run(const std::string& args) {
  std::string cmd = "'" + std::string(VPCGATE_BINARY) + "' " + args + " 2>/dev/null";
  RunResult r;
  auto c = vpcgate::test::run_command(cmd);
  r.status = c.status;
  r.out = std::move(c.out);
  return r;
}

std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The 1-based line of the first line of `text` that contains `needle`.
int line_of(const std::string& text, const std::string& needle) {
  std::istringstream in(text);
  std::string l;
  for (int n = 1; std::getline(in, l); ++n)
    if (l.find(needle) != std::string::npos) return n;
  return 0;
}

TEST(Gate, CloudFormationPolicyLoosened) {
  const std::string before = kGate + "/before/notebook.yaml", after = kGate + "/after/notebook.yaml";
  auto b = run("scan '" + before + "' --format json");
  EXPECT_EQ(b.status, 0) << b.out;
  auto a = run("scan '" + after + "' --format json");
  ASSERT_EQ(a.status, 1) << a.out;
  auto j = nlohmann::json::parse(a.out);
  ASSERT_EQ(j["findings"].size(), 1u) << a.out;
  const auto& f = j["findings"][0];
  EXPECT_EQ(f["check"], "presigned-url-unrestricted");
  EXPECT_EQ(f["resource"], "arn:aws:iam::${AWS::AccountId}:role/DataScientist");
  EXPECT_EQ(f["location"]["file"], after);
  EXPECT_EQ(f["location"]["line"], line_of(read(after), "  DataScientistRole:"));
  EXPECT_FALSE(f["location"].contains("pointer"));
  // Same input, same bytes.
  EXPECT_EQ(run("scan '" + after + "' --format json").out, a.out);
  EXPECT_EQ(run("scan '" + after + "' --format sarif").out, run("scan '" + after + "' --format sarif").out);
}

TEST(Gate, CloudFormationDirectInternetAccess) {
  // One line: DirectInternetAccess Disabled -> Enabled.
  std::string text = read(kGate + "/before/notebook.yaml");
  auto at = text.find("DirectInternetAccess: Disabled");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, std::string("DirectInternetAccess: Disabled").size(), "DirectInternetAccess: Enabled");
  fs::path dir = fs::temp_directory_path() / ("vpcgate-gate-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "notebook.yaml", std::ios::binary) << text;
  auto r = run("scan '" + (dir / "notebook.yaml").string() + "' --format json");
  fs::remove_all(dir);
  ASSERT_EQ(r.status, 1) << r.out;
  auto j = nlohmann::json::parse(r.out);
  bool found = false;
  for (const auto& f : j["findings"]) {
    if (f["check"] != "notebook-direct-internet-access") continue;
    found = true;
    EXPECT_EQ(f["resource"], "arn:aws:sagemaker:${AWS::Region}:${AWS::AccountId}:notebook-instance/research-notebook");
    EXPECT_EQ(f["location"]["line"], line_of(text, "  Notebook:"));
  }
  EXPECT_TRUE(found) << r.out;
}

TEST(Gate, TerraformPlanPolicyLoosened) {
  const std::string before = kGate + "/before/plan.json", after = kGate + "/after/plan.json";
  auto b = run("scan '" + before + "' --format json");
  EXPECT_EQ(b.status, 0) << b.out;
  auto a = run("scan '" + after + "' --format json");
  ASSERT_EQ(a.status, 1) << a.out;
  auto j = nlohmann::json::parse(a.out);
  ASSERT_EQ(j["findings"].size(), 1u) << a.out;
  const auto& f = j["findings"][0];
  EXPECT_EQ(f["check"], "presigned-url-unrestricted");
  EXPECT_EQ(f["resource"], "arn:aws:iam::111122223333:role/DataScientist");
  EXPECT_EQ(f["location"]["file"], after);
  // The role's entry in planned_values.
  auto plan = nlohmann::json::parse(read(after));
  std::string pointer = f["location"]["pointer"];
  ASSERT_EQ(pointer.rfind("/planned_values/root_module/resources/", 0), 0u);
  EXPECT_EQ(plan.at(nlohmann::json::json_pointer(pointer))["address"], "aws_iam_role.data_scientist");
  EXPECT_EQ(run("scan '" + after + "' --format json").out, a.out);
}

TEST(Gate, TemplateOverExportWithBaseline) {
  const std::string demo = std::string(VPCGATE_FIXTURES) + "/demo/export";
  fs::path dir = fs::temp_directory_path() / ("vpcgate-gate-baseline-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string baseline = (dir / "baseline.json").string();
  auto base = run("scan '" + demo + "' --format json --output '" + baseline + "'");
  ASSERT_EQ(base.status, 1);  // the demo account has findings of its own
  // The account after the change: nothing new before, one new finding after.
  auto b = run("scan '" + demo + "' '" + kGate + "/before/notebook.yaml' --format json --baseline '" + baseline + "'");
  EXPECT_EQ(b.status, 0) << b.out;
  auto a = run("scan '" + demo + "' '" + kGate + "/after/notebook.yaml' --format json --baseline '" + baseline + "'");
  EXPECT_EQ(a.status, 1) << a.out;
  auto j = nlohmann::json::parse(a.out);
  EXPECT_EQ(j["summary"]["new"], 1);
  for (const auto& f : j["findings"]) {
    if (!f["new"].get<bool>()) continue;
    // The template takes the export's one account.
    EXPECT_EQ(f["resource"], "arn:aws:iam::111122223333:role/DataScientist");
    EXPECT_EQ(f["location"]["file"], kGate + "/after/notebook.yaml");
  }
  fs::remove_all(dir);
}

}  // namespace
