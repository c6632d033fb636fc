// The scan command through the built binary: exit statuses, usage errors, formats,
// baseline, suppressions (CONTRACT.md, `vpcgate scan`).
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

struct RunResult {
  int status = -1;
  std::string out, err;
};

class ScanCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("vpcgate-scan-cli-" + std::to_string(::getpid()) + "-" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "export");
    // aws sagemaker describe-notebook-instance, trimmed to what the CLI always prints.
    write("export/nb-open.json", R"({
    "NotebookInstanceArn": "arn:aws:sagemaker:us-east-1:111122223333:notebook-instance/open",
    "NotebookInstanceName": "open",
    "NotebookInstanceStatus": "InService",
    "InstanceType": "ml.t3.medium",
    "RoleArn": "arn:aws:iam::111122223333:role/service-role/SageMakerRole",
    "DirectInternetAccess": "Enabled",
    "CreationTime": "2026-01-05T10:00:00.000000+00:00",
    "LastModifiedTime": "2026-01-05T10:00:00.000000+00:00"
}
)");
    write("export/notes.json", R"({"hello": "world"})");
  }
  void write(const std::string& rel, const std::string& text) {
    fs::create_directories((dir_ / rel).parent_path());
    std::ofstream(dir_ / rel, std::ios::binary) << text;
  }
  RunResult run(const std::string& args) {
    std::string errfile = (dir_ / "stderr.txt").string();
    std::string cmd = "cd '" + dir_.string() + "' && VPCGATE_TODAY=2026-11-26 '" + std::string(VPCGATE_BINARY) +
                      "' " + args + " 2>'" + errfile + "'";
    RunResult r;
    auto c = vpcgate::test::run_command(cmd);
    r.status = c.status;
    r.out = std::move(c.out);
    std::ifstream e(errfile);
    std::stringstream ss;
    ss << e.rdbuf();
    r.err = ss.str();
    return r;
  }
  fs::path dir_;
};

TEST_F(ScanCli, FindingsGiveExit1AndJsonReport) {
  RunResult r = run("scan export --format json");
  ASSERT_EQ(r.status, 1) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["tool"]["name"], "vpcgate");
  EXPECT_EQ(j["inputs"]["files"], 1);
  EXPECT_EQ(j["inputs"]["skipped"], nlohmann::json::array({"export/notes.json"}));
  EXPECT_EQ(j["inputs"]["notebook_instances"], 1);
  std::set<std::string> checks;
  for (const auto& f : j["findings"]) checks.insert(f["check"].get<std::string>());
  EXPECT_TRUE(checks.count("notebook-not-in-vpc"));
  EXPECT_TRUE(checks.count("notebook-direct-internet-access"));
  EXPECT_EQ(j["findings"][0]["location"]["file"], "export/nb-open.json");
  EXPECT_EQ(j["summary"]["medium"], 2);
}

TEST_F(ScanCli, SameInputSameBytes) {
  RunResult a = run("scan export --format json");
  RunResult b = run("scan export --format json");
  EXPECT_EQ(a.out, b.out);
}

TEST_F(ScanCli, FailOnThresholdAndNone) {
  EXPECT_EQ(run("scan export --fail-on high").status, 0);
  EXPECT_EQ(run("scan export --fail-on medium").status, 1);
  EXPECT_EQ(run("scan export --fail-on none").status, 0);
}

TEST_F(ScanCli, UnknownCheckIsUsageError) {
  RunResult r = run("scan export --checks no-such-check");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("vpcgate: error: --checks: unknown check \"no-such-check\""), std::string::npos) << r.err;
  EXPECT_EQ(run("scan export --skip-checks nope").status, 2);
  EXPECT_EQ(run("scan export --format yaml").status, 2);
  EXPECT_EQ(run("scan").status, 2);
}

TEST_F(ScanCli, ChecksAndSkipChecksChoose) {
  RunResult r = run("scan export --format json --checks notebook-not-in-vpc");
  auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["findings"].size(), 1u);
  EXPECT_EQ(j["findings"][0]["check"], "notebook-not-in-vpc");
  r = run("scan export --format json --skip-checks notebook-not-in-vpc,notebook-direct-internet-access");
  j = nlohmann::json::parse(r.out);
  for (const auto& f : j["findings"]) EXPECT_NE(f["check"], "notebook-not-in-vpc");
}

TEST_F(ScanCli, BaselineMarksNewAndResolved) {
  RunResult first = run("scan export --format json --checks notebook-not-in-vpc --output base.json");
  EXPECT_EQ(first.status, 1);
  EXPECT_TRUE(first.out.empty());
  RunResult again = run("scan export --format json --baseline base.json");
  EXPECT_EQ(again.status, 1);  // notebook-direct-internet-access is new
  auto j = nlohmann::json::parse(again.out);
  for (const auto& f : j["findings"])
    EXPECT_EQ(f["new"], f["check"] != "notebook-not-in-vpc") << f.dump();
  EXPECT_EQ(j["summary"]["new"], 1);
  RunResult only_old = run("scan export --format json --checks notebook-not-in-vpc --baseline base.json");
  EXPECT_EQ(only_old.status, 0);
  // The baseline's finding disappears: resolved.
  write("export/nb-open.json", R"({"NotebookInstanceArn": "arn:aws:sagemaker:us-east-1:111122223333:notebook-instance/open", "NotebookInstanceName": "open", "NotebookInstanceStatus": "InService", "InstanceType": "ml.t3.medium", "RoleArn": "arn:aws:iam::111122223333:role/R", "SubnetId": "subnet-0123456789abcdef0", "SecurityGroups": ["sg-0123456789abcdef0"], "DirectInternetAccess": "Disabled", "CreationTime": "2026-01-05T10:00:00Z", "LastModifiedTime": "2026-01-05T10:00:00Z"})");
  RunResult fixed = run("scan export --format json --checks notebook-not-in-vpc --baseline base.json");
  EXPECT_EQ(nlohmann::json::parse(fixed.out)["summary"]["resolved"], 1);
  EXPECT_EQ(run("scan export --baseline missing.json").status, 2);
}

TEST_F(ScanCli, SuppressionsAndExpiry) {
  write("supp.yaml", R"(suppressions:
  - check: notebook-direct-internet-access
    resource: "arn:aws:sagemaker:*:notebook-instance/open"
    reason: "accepted until migration"
    expires: "2026-12-31"
  - check: notebook-not-in-vpc
    resource: "*"
    reason: "old"
    expires: "2026-01-01"
)");
  RunResult r = run("scan export --format json --config supp.yaml");
  auto j = nlohmann::json::parse(r.out);
  bool saw_suppressed = false, saw_expired = false, saw_not_in_vpc = false;
  for (const auto& f : j["findings"]) {
    if (f["check"] == "notebook-direct-internet-access") {
      saw_suppressed = true;
      EXPECT_EQ(f["suppressed"]["reason"], "accepted until migration");
      EXPECT_EQ(f["suppressed"]["expires"], "2026-12-31");
    }
    if (f["check"] == "suppression-expired") {
      saw_expired = true;
      EXPECT_EQ(f["resource"], "*");
      EXPECT_EQ(f["evidence"]["expired"], "2026-01-01");
      EXPECT_EQ(f["location"]["file"], "supp.yaml");
      EXPECT_EQ(f["location"]["line"], 6);
    }
    if (f["check"] == "notebook-not-in-vpc") {
      saw_not_in_vpc = true;
      EXPECT_FALSE(f.contains("suppressed"));
    }
  }
  EXPECT_TRUE(saw_suppressed && saw_expired && saw_not_in_vpc);
  EXPECT_EQ(j["summary"]["suppressed"], 1);
  EXPECT_EQ(j["summary"]["medium"], 1);
  EXPECT_EQ(j["summary"]["low"], 1);
  // Suppressed findings never count toward the exit status.
  EXPECT_EQ(run("scan export --config supp.yaml --checks notebook-direct-internet-access").status, 0);
  write("bad.yaml", "suppressions:\n  - check: x\n");
  RunResult bad = run("scan export --config bad.yaml");
  EXPECT_EQ(bad.status, 2);
  EXPECT_NE(bad.err.find("vpcgate: error: bad.yaml: "), std::string::npos) << bad.err;
}

TEST_F(ScanCli, SarifHasLocationsAndFingerprints) {
  RunResult r = run("scan export --format sarif");
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["version"], "2.1.0");
  const auto& run0 = j["runs"][0];
  EXPECT_FALSE(run0["tool"]["driver"]["rules"].empty());
  for (const auto& res : run0["results"]) {
    EXPECT_EQ(res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "export/nb-open.json");
    EXPECT_TRUE(res["partialFingerprints"]["vpcgate/v1"].get<std::string>().rfind("vg-", 0) == 0);
    EXPECT_EQ(res["level"], "warning");
  }
}

TEST_F(ScanCli, TextEscapesControlCharacters) {
  write("export/nb-open.json", R"({"NotebookInstanceArn": "arn:aws:sagemaker:us-east-1:111122223333:notebook-instance/x\u001b[2Jy", "NotebookInstanceName": "x", "NotebookInstanceStatus": "InService", "InstanceType": "ml.t3.medium", "RoleArn": "arn:aws:iam::111122223333:role/R", "DirectInternetAccess": "Enabled", "CreationTime": "2026-01-05T10:00:00Z", "LastModifiedTime": "2026-01-05T10:00:00Z"})");
  RunResult r = run("scan export");
  EXPECT_EQ(r.out.find('\x1b'), std::string::npos);
  EXPECT_NE(r.out.find("\\x1b[2J"), std::string::npos);
}

TEST_F(ScanCli, VersionAndChecks) {
  RunResult v = run("--version");
  EXPECT_EQ(v.status, 0);
  EXPECT_EQ(v.out, "vpcgate 0.1.0\n");
  RunResult c = run("checks --format json");
  EXPECT_EQ(c.status, 0);
  auto j = nlohmann::json::parse(c.out);
  ASSERT_TRUE(j.is_array());
  EXPECT_EQ(j[0].size(), 3u);
  EXPECT_TRUE(j[0].contains("id") && j[0].contains("severity") && j[0].contains("title"));
}

}  // namespace
