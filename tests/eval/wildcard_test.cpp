#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "analyzer/eval/evaluate.hpp"

namespace vpcgate::eval {
namespace {

TEST(Wildcard, Basics) {
  EXPECT_TRUE(wildcard_match("*", ""));
  EXPECT_TRUE(wildcard_match("*", "anything"));
  EXPECT_TRUE(wildcard_match("", ""));
  EXPECT_FALSE(wildcard_match("", "a"));
  EXPECT_TRUE(wildcard_match("a*b*c", "abc"));
  EXPECT_TRUE(wildcard_match("a*b*c", "axxbyyc"));
  EXPECT_FALSE(wildcard_match("a*b*c", "axxbyy"));
  EXPECT_TRUE(wildcard_match("a?c", "abc"));
  EXPECT_FALSE(wildcard_match("a?c", "ac"));
  EXPECT_TRUE(wildcard_match("*?", "x"));
  EXPECT_FALSE(wildcard_match("*?", ""));
  EXPECT_TRUE(wildcard_match("**a**", "a"));
  EXPECT_TRUE(wildcard_match("*ab?d*", "xxabcabxd"));
  EXPECT_TRUE(wildcard_match("*aab", "aaab"));
  EXPECT_FALSE(wildcard_match("ab*ba", "aba"));  // prefix and suffix may not overlap
  EXPECT_TRUE(wildcard_match("sagemaker:create*", "sagemaker:CreatePresignedNotebookInstanceUrl", true));
  EXPECT_FALSE(wildcard_match("sagemaker:create*", "sagemaker:CreatePresignedNotebookInstanceUrl", false));
  EXPECT_TRUE(wildcard_match("*?b?*", "xaby"));
  EXPECT_TRUE(wildcard_match("a*?????????????????????????????????????????????????????????????????????b",
                             "a" + std::string(69, 'x') + "b"));  // a `?` segment longer than 64
  EXPECT_FALSE(wildcard_match("a*???????????????????????????????????????????????????????????????????????b",
                              "a" + std::string(69, 'x') + "b"));
}

// The linear matcher against a plain dynamic-programming reference on random small inputs.
bool reference_match(const std::string& p, const std::string& t) {
  std::vector<std::vector<bool>> dp(p.size() + 1, std::vector<bool>(t.size() + 1, false));
  dp[0][0] = true;
  for (std::size_t i = 1; i <= p.size(); ++i) {
    if (p[i - 1] == '*') dp[i][0] = dp[i - 1][0];
    for (std::size_t j = 1; j <= t.size(); ++j) {
      if (p[i - 1] == '*') {
        dp[i][j] = dp[i - 1][j] || dp[i][j - 1];
      } else {
        dp[i][j] = dp[i - 1][j - 1] && (p[i - 1] == '?' || p[i - 1] == t[j - 1]);
      }
    }
  }
  return dp[p.size()][t.size()];
}

TEST(Wildcard, AgreesWithReference) {
  std::uint32_t seed = 12345;
  auto next = [&seed]() {
    seed = seed * 1664525u + 1013904223u;
    return seed >> 8;
  };
  const char pattern_alphabet[] = {'a', 'b', '*', '?'};
  for (int round = 0; round < 20000; ++round) {
    std::string p, t;
    const std::size_t pl = next() % 8, tl = next() % 10;
    for (std::size_t i = 0; i < pl; ++i) p += pattern_alphabet[next() % 4];
    for (std::size_t i = 0; i < tl; ++i) t += static_cast<char>('a' + next() % 2);
    ASSERT_EQ(wildcard_match(p, t), reference_match(p, t)) << "pattern " << p << " text " << t;
  }
}

// Patterns come from strangers: matching must not backtrack.
TEST(Wildcard, LinearOnHostilePatterns) {
  const std::string text(1 << 20, 'a');
  const auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(wildcard_match("*a*a*a*a*a*a*a*b", text));
  EXPECT_FALSE(wildcard_match("*a?a?a?a*a?a*b", text));
  EXPECT_FALSE(wildcard_match("*" + std::string(5000, 'a') + "b*", text));
  EXPECT_TRUE(wildcard_match("*a*a*a*a*a*a*a*", text));
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
  EXPECT_LT(ms, 2000);
}

}  // namespace
}  // namespace vpcgate::eval
