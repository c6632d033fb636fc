// Golden tests: for every fixtures/checks/<id>/<case>/export, `vpcgate scan export --checks <id>
// --format json` run in the case directory gives exactly <case>/expected.json; a case whose
// name starts with "pass" has no finding of the check. Registry: every check has a doc section
// and fail/pass fixtures.
#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "analyzer/checks/check.hpp"
#include "tests/common/run_command.hpp"

namespace fs = std::filesystem;

namespace {

struct RunResult {
  int status = -1;
  std::string out;
};

RunResult run_in(const fs::path& dir, const std::string& args) {
  std::string cmd = "cd '" + dir.string() + "' && '" + std::string(VPCGATE_BINARY) + "' " + args + " 2>/dev/null";
  RunResult r;
  auto c = vpcgate::test::run_command(cmd);
  r.status = c.status;
  r.out = std::move(c.out);
  return r;
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct Case {
  std::string check;
  std::string name;
  fs::path dir;
};

// Readable names in test output instead of a byte dump.
void PrintTo(const Case& c, std::ostream* os) { *os << c.dir.string(); }

std::vector<Case> cases() {
  std::vector<Case> out;
  fs::path root = fs::path(VPCGATE_FIXTURES) / "checks";
  if (!fs::exists(root)) return out;
  for (const auto& check : fs::directory_iterator(root)) {
    if (!check.is_directory()) continue;
    for (const auto& c : fs::directory_iterator(check.path()))
      if (c.is_directory() && fs::exists(c.path() / "export"))
        out.push_back({check.path().filename().string(), c.path().filename().string(), c.path()});
  }
  std::sort(out.begin(), out.end(), [](const Case& a, const Case& b) { return a.dir < b.dir; });
  return out;
}

class CheckFixture : public ::testing::TestWithParam<Case> {};

TEST_P(CheckFixture, GivesExpectedReport) {
  const auto& c = GetParam();
  RunResult r = run_in(c.dir, "scan export --checks " + c.check + " --format json");
  ASSERT_TRUE(r.status == 0 || r.status == 1) << "exit " << r.status;
  auto report = nlohmann::json::parse(r.out);
  std::size_t own = 0;
  for (const auto& f : report["findings"]) own += f["check"] == c.check;
  if (c.name.rfind("pass", 0) == 0) {
    EXPECT_EQ(own, 0u) << r.out;
    EXPECT_EQ(r.status, 0);
  } else {
    EXPECT_GE(own, 1u) << r.out;
    EXPECT_EQ(r.status, 1);
  }
  fs::path expected = c.dir / "expected.json";
  if (fs::exists(expected)) {
    EXPECT_EQ(r.out, read_file(expected)) << "golden differs: " << expected;
  } else {
    ADD_FAILURE() << "missing golden " << expected;
  }
}

INSTANTIATE_TEST_SUITE_P(Fixtures, CheckFixture, ::testing::ValuesIn(cases()),
                         [](const ::testing::TestParamInfo<Case>& p) {
                           std::string n = p.param.check + "_" + p.param.name;
                           for (auto& ch : n)
                             if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           return n;
                         });
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(CheckFixture);

TEST(Registry, SortedUniqueIdsWithDocsAndFixtures) {
  auto infos = vpcgate::checks::all_check_infos();
  std::string docs = read_file(fs::path(VPCGATE_SOURCE_DIR) / "docs" / "checks.md");
  for (std::size_t i = 0; i < infos.size(); ++i) {
    if (i > 0) {
      EXPECT_LT(infos[i - 1].id, infos[i].id);
    }
    const auto& id = infos[i].id;
    EXPECT_NE(docs.find("\n## " + id + "\n"), std::string::npos) << "no docs/checks.md section for " << id;
    if (id == "suppression-expired") continue;
    fs::path dir = fs::path(VPCGATE_FIXTURES) / "checks" / id;
    EXPECT_TRUE(fs::exists(dir / "fail" / "export")) << id;
    EXPECT_TRUE(fs::exists(dir / "pass" / "export")) << id;
  }
}

TEST(Scan, EmptyExportHasNoFindings) {
  fs::path dir = fs::temp_directory_path() / ("vpcgate-empty-export-" + std::to_string(::getpid()));
  fs::create_directories(dir / "export");
  RunResult r = run_in(dir, "scan export --format json");
  EXPECT_EQ(r.status, 0);
  auto report = nlohmann::json::parse(r.out);
  EXPECT_TRUE(report["findings"].empty());
  EXPECT_EQ(report["inputs"]["files"], 0);
}

}  // namespace
