// Differential test against @cloud-copilot/iam-simulate (test-only, npm). Install it with
// `npm ci --prefix tests/differential`; without node or node_modules the test is skipped.
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include <gtest/gtest.h>
#include "tests/common/run_command.hpp"

namespace {

TEST(Differential, AgreesWithIamSimulate) {
  const std::filesystem::path dir = std::filesystem::path(VPCGATE_SOURCE_DIR) / "tests" / "differential";
  if (!std::filesystem::exists(dir / "node_modules" / "@cloud-copilot" / "iam-simulate")) {
    GTEST_SKIP() << "tests/differential/node_modules is absent (npm ci --prefix tests/differential)";
  }
  if (std::system("node --version >/dev/null 2>&1") != 0) GTEST_SKIP() << "node is not installed";
  std::string cmd = "cd '";
  cmd += dir.string();
  cmd += "' && node run.mjs '";
  cmd += VPCGATE_BINARY;
  cmd += "' 400 20240501 2>&1";
  auto r = vpcgate::test::run_command(cmd);
  EXPECT_EQ(r.status, 0) << r.out;
}

}  // namespace
