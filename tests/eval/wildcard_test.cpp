#include <chrono>
#include <string>

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
