// Golden files for the review formats on the demo export: `scan --format html` and
// `--format markdown` compared byte for byte with tests/cli/golden/demo.{html,md}. Regenerate
// after reading the diff: VPCGATE_UPDATE_GOLDENS=1 build/cli_tests --gtest_filter='ReviewReport.*'.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include "tests/common/run_command.hpp"

namespace {

std::string scan(const std::string& format) {
  std::string cmd = "cd '" + std::string(VPCGATE_SOURCE_DIR) + "' && VPCGATE_TODAY=2026-11-26 '" +
                    std::string(VPCGATE_BINARY) + "' scan fixtures/demo/export --format " + format + " 2>/dev/null";
  auto r = vpcgate::test::run_command(cmd);
  EXPECT_EQ(r.status, 1);  // the demo has findings
  return r.out;
}

void golden(const std::string& format, const std::string& file) {
  std::string path = std::string(VPCGATE_SOURCE_DIR) + "/tests/cli/golden/" + file;
  std::string got = scan(format);
  if (const char* u = std::getenv("VPCGATE_UPDATE_GOLDENS"); u && *u == '1') {
    std::ofstream(path, std::ios::binary) << got;
  }
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(in) << "missing " << path;
  std::stringstream want;
  want << in.rdbuf();
  EXPECT_EQ(got, want.str()) << "scan --format " << format << " differs from " << path;
  EXPECT_EQ(scan(format), got) << "not deterministic";
}

TEST(ReviewReport, HtmlGolden) { golden("html", "demo.html"); }
TEST(ReviewReport, MarkdownGolden) { golden("markdown", "demo.md"); }
TEST(ReviewReport, SarifGolden) { golden("sarif", "demo.sarif"); }
TEST(ReviewReport, JsonGolden) { golden("json", "demo.json"); }
TEST(ReviewReport, TextGolden) { golden("text", "demo.txt"); }

TEST(ReviewReport, HtmlIsSelfContained) {
  std::string html = scan("html");
  EXPECT_NE(html.find("Content-Security-Policy\" content=\"default-src 'none'"), std::string::npos);
  for (const char* external : {"src=\"http", "href=\"http", "src=\"//", "href=\"//", "@import", "url("})
    EXPECT_EQ(html.find(external), std::string::npos) << external;
  std::size_t svgs = 0;
  for (std::size_t pos = 0; (pos = html.find("<svg ", pos)) != std::string::npos; ++pos) ++svgs;
  EXPECT_EQ(svgs, 23u);  // one drawing per finding
}

}  // namespace
