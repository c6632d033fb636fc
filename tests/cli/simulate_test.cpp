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

#include "analyzer/cli/simulate_batch.hpp"
#include "tests/common/run_command.hpp"

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

// `threads`: VPCGATE_THREADS for the run ("": not set).
Outcome run_simulate(const std::string& dir, const std::vector<std::string>& args, const std::string& stdin_file = "",
                     const std::string& threads = "") {
  // One file per process: ctest runs test processes in parallel.
  const std::string err_file = ::testing::TempDir() + "/simulate_stderr_" + std::to_string(::getpid()) + ".txt";
  std::string cmd = "cd ";
  cmd += shell_quote(dir);
  cmd += " && ";
  if (!threads.empty()) cmd += "VPCGATE_THREADS=" + shell_quote(threads) + " ";
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
  auto c = vpcgate::test::run_command(cmd);
  r.status = c.status;
  r.out = std::move(c.out);
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

// --requests evaluates lines on several threads (VPCGATE_THREADS, default every core) and parses
// each distinct document once per run (analyzer/cli/simulate_batch.cpp). batch/requests.jsonl
// repeats documents on several lines (as an identity policy, an SCP and a boundary, written with
// other spacing, as a JSON string), repeats a bad document (its error each time, at its place),
// has a document seen before with a member twice, Sids that need escaping, context keys equal
// but for case, a CRLF line and no newline at the end. expected.jsonl is what the one-line-at-
// a-time implementation printed before the cache and the threads.
TEST(SimulateCli, RequestsRepeatedDocuments) {
  const std::string expected = slurp(kDir + "/batch/expected.jsonl");
  for (const std::string threads : {"", "1", "2", "3"}) {
    const Outcome r = run_simulate(kDir + "/batch", {"--requests", "requests.jsonl"}, "", threads);
    EXPECT_EQ(r.status, 2) << "VPCGATE_THREADS=" << threads;
    EXPECT_EQ(r.out, expected) << "VPCGATE_THREADS=" << threads;
    EXPECT_EQ(r.err, "");
  }
  const Outcome r = run_simulate(kDir + "/batch", {"--requests", "-"}, kDir + "/batch/requests.jsonl", "2");
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.out, expected);
}

// Many lines (several input blocks: some carry ReadOnlyAccess, 94 KB) in a scrambled order of
// the lines above: each result is the line's own, as a fresh process gives it for that line
// alone, and the results come in input order whatever the threads.
TEST(SimulateCli, RequestsManyLinesInOrder) {
  std::vector<std::string> sources;
  {
    std::istringstream in(slurp(kDir + "/batch/requests.jsonl"));
    for (std::string line; std::getline(in, line);) sources.push_back(line);
  }
  const auto managed = nlohmann::json::parse(slurp(std::string(VPCGATE_SOURCE_DIR) + "/data/aws-managed-policies.json"));
  const auto& read_only = managed.at("policies").at("arn:aws:iam::aws:policy/ReadOnlyAccess").at("document");
  const auto allow = nlohmann::json::parse(sources.front()).at("policies").at(0);
  for (const char* action : {"sagemaker:CreatePresignedNotebookInstanceUrl", "sagemaker:DescribeNotebookInstance"}) {
    nlohmann::json request = {{"policies", {read_only, allow}}, {"scps", {{read_only, allow}}}, {"action", action},
                              {"context", {{"aws:SourceVpce", "vpce-0a1b"}}}};
    sources.push_back(request.dump());
  }
  const std::string dir = ::testing::TempDir() + "/simulate_batch_" + std::to_string(::getpid());
  ASSERT_EQ(std::system(("mkdir -p " + shell_quote(dir)).c_str()), 0);
  // Each source's result alone: what follows {"line":1 (nothing for a blank line).
  std::vector<std::string> alone;
  for (const auto& s : sources) {
    std::ofstream(dir + "/one.jsonl", std::ios::binary) << s << "\n";
    const Outcome r = run_simulate(dir, {"--requests", "one.jsonl"}, "", "1");
    const std::string prefix = "{\"line\":1";
    ASSERT_TRUE(r.out.empty() || r.out.rfind(prefix, 0) == 0) << r.out;
    alone.push_back(r.out.empty() ? "" : r.out.substr(prefix.size()));
  }
  std::string many;
  std::string expected;
  const std::size_t lines = 400;
  for (std::size_t i = 0; i < lines; ++i) {
    const std::size_t k = (i * 7 + i / sources.size()) % sources.size();
    many += sources[k] + "\n";
    if (!alone[k].empty()) expected += "{\"line\":" + std::to_string(i + 1) + alone[k];
  }
  std::ofstream(dir + "/many.jsonl", std::ios::binary) << many;
  for (const std::string threads : {"1", "2", "3"}) {
    const Outcome r = run_simulate(dir, {"--requests", "many.jsonl"}, "", threads);
    EXPECT_EQ(r.status, 2) << "VPCGATE_THREADS=" << threads;
    EXPECT_TRUE(r.out == expected) << "VPCGATE_THREADS=" << threads << ": output differs";
  }
  EXPECT_EQ(std::system(("rm -rf " + shell_quote(dir)).c_str()), 0);
}

// The result lines are written by hand: the same bytes as nlohmann's dump of the same object
// (the format before), for any string (controls, quotes, UTF-8, invalid UTF-8).
TEST(SimulateBatchOutput, SameBytesAsNlohmann) {
  using ordered = nlohmann::ordered_json;
  std::vector<std::string> strings = {"", "plain", "q\"b\\s", "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", "\xff", "a\xc3", "\xed\xa0\x80",
                                      std::string("nul\0x", 5), "\x7f"};
  for (int c = 0; c < 256; ++c) strings.push_back("<" + std::string(1, static_cast<char>(c)) + ">");
  for (const auto& s : strings) {
    vpcgate::eval::Result r;
    r.decision = vpcgate::eval::Decision::ExplicitDeny;
    r.matched.push_back({s, vpcgate::eval::PolicyType::Scp, s, 3, nullptr});
    r.matched.push_back({"policies[0]", vpcgate::eval::PolicyType::Identity, std::nullopt, 12, nullptr});
    std::string got;
    vpcgate::cli::batch_detail::append_result(got, 42, r);
    ordered want;
    want["line"] = std::size_t{42};
    want["EvalDecision"] = "explicitDeny";
    want["MatchedStatements"] = ordered::array();
    for (const auto& m : r.matched) {
      ordered o;
      o["SourcePolicyId"] = m.source_id;
      o["SourcePolicyType"] = vpcgate::eval::to_string(m.type);
      if (m.sid) {
        o["Sid"] = *m.sid;
      } else {
        o["Sid"] = nullptr;
      }
      o["Index"] = m.index;
      want["MatchedStatements"].push_back(o);
    }
    EXPECT_EQ(got, want.dump(-1, ' ', false, ordered::error_handler_t::replace) + "\n");
    got.clear();
    vpcgate::cli::batch_detail::append_error(got, 7, s);
    ordered error;
    error["line"] = std::size_t{7};
    error["error"] = s;
    EXPECT_EQ(got, error.dump(-1, ' ', false, ordered::error_handler_t::replace) + "\n");
  }
}

TEST(SimulateCli, MissingActionIsAUsageError) {
  const Outcome r = run_simulate(kDir + "/blog", {"--policy", "policy.json"});
  EXPECT_EQ(r.status, 2);
}

}  // namespace
