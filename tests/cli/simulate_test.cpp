// Golden tests of `vpcgate simulate`: run the built binary in tests/cli/simulate/<dir> with the
// arguments of tests/cli/simulate/cases.json; stdout (and stderr, for errors) must equal the
// expected files byte for byte, and the exit status must match. Set VPCGATE_UPDATE_GOLDENS=1 to
// rewrite the expected files, then read the diff before keeping it.
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <unistd.h>
#include <nlohmann/json.hpp>

namespace {

// vpcgate output goldens and deliberately malformed files: test data, not AWS CLI fixtures.
const std::string kDir = std::string(VPCGATE_SOURCE_DIR) + "/tests/cli/simulate";

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

struct Outcome {
  std::string out;
  std::string err;
  int status = -1;
};

Outcome run_simulate(const std::string& dir, const std::vector<std::string>& args, const std::string& stdin_file = "") {
  // One file per process: ctest runs test processes in parallel.
  const std::string err_file = ::testing::TempDir() + "/simulate_stderr_" + std::to_string(::getpid()) + ".txt";
  std::string cmd = "cd ";
  cmd += shell_quote(dir);
  cmd += " && ";
  cmd += shell_quote(VPCGATE_BINARY);
  cmd += " simulate";
  for (const auto& a : args) {
    cmd += ' ';
    cmd += shell_quote(a);
  }
  cmd += " 2>";
  cmd += shell_quote(err_file);
  if (!stdin_file.empty()) {
    cmd += " <";
    cmd += shell_quote(stdin_file);
  }
  Outcome r;
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return r;
  char buf[4096];
  std::size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  const int st = pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  r.err = slurp(err_file);
  return r;
}

class SimulateGolden : public ::testing::TestWithParam<nlohmann::json> {};

TEST_P(SimulateGolden, MatchesExpected) {
  const nlohmann::json& c = GetParam();
  const Outcome r = run_simulate(kDir + "/" + c["dir"].get<std::string>(), c["args"].get<std::vector<std::string>>());
  const bool update = std::getenv("VPCGATE_UPDATE_GOLDENS") != nullptr;
  const std::string out_file = c.value("stdout", "");
  const std::string err_file = c.value("stderr", "");
  if (update) {
    if (!out_file.empty()) std::ofstream(kDir + "/" + out_file, std::ios::binary) << r.out;
    if (!err_file.empty()) std::ofstream(kDir + "/" + err_file, std::ios::binary) << r.err;
  }
  EXPECT_EQ(r.status, c["exit"].get<int>()) << r.err;
  EXPECT_EQ(r.out, out_file.empty() ? std::string() : slurp(kDir + "/" + out_file));
  if (!err_file.empty()) {
    EXPECT_EQ(r.err, slurp(kDir + "/" + err_file));
  } else {
    EXPECT_EQ(r.err, "");
  }
}

std::vector<nlohmann::json> cases() {
  std::vector<nlohmann::json> out;
  for (const auto& c : nlohmann::json::parse(slurp(kDir + "/cases.json"))) out.push_back(c);
  return out;
}

INSTANTIATE_TEST_SUITE_P(Fixtures, SimulateGolden, ::testing::ValuesIn(cases()), [](const auto& p) {
  std::string name = p.param["name"].template get<std::string>();
  for (char& ch : name) {
    if (ch == '-') ch = '_';
  }
  return name;
});

TEST(SimulateCli, RequestsWithOtherOptionsIsAUsageError) {
  const Outcome r = run_simulate(kDir + "/requests", {"--requests", "requests.jsonl", "--format", "json"});
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.out, "");
}

TEST(SimulateCli, RequestsFromStdin) {
  const Outcome r = run_simulate(kDir + "/requests", {"--requests", "-"}, kDir + "/requests/requests.jsonl");
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.out, slurp(kDir + "/requests/expected.jsonl"));
}

TEST(SimulateCli, MissingActionIsAUsageError) {
  const Outcome r = run_simulate(kDir + "/blog", {"--policy", "policy.json"});
  EXPECT_EQ(r.status, 2);
}

}  // namespace
