// Hostile JSON texts read through model::parse_json_text (policy strings, simulate files):
// every problem is an InputError naming the place (docs/security.md; tests/hostile has the
// end-to-end cases).
#include <gtest/gtest.h>

#include <string>

#include "model/input_error.hpp"
#include "model/policy.hpp"

namespace vpcgate::model {
namespace {

std::string where_of(const std::string& text, const std::string& prefix = "") {
  try {
    (void)parse_json_text(text, "f.json", prefix);
  } catch (const InputError& e) {
    return e.where() + ": " + e.message();
  }
  return "no error";
}

TEST(JsonLimits, DuplicateMemberNamesItsPointer) {
  EXPECT_EQ(where_of(R"({"Statement": [{"Effect": "Allow", "Effect": "Deny"}]})"),
            "/Statement/0/Effect: duplicate member");
  EXPECT_EQ(where_of(R"({"a": 1, "a": 2})", "/Policy/Content"), "/Policy/Content: /a: duplicate member");
  EXPECT_EQ(where_of(R"([{"a/b": 1}, {"x": [1, {"a~": 1, "a~": 2}]}])"), "/1/x/1/a~0: duplicate member");
  // The same name in different objects is fine.
  EXPECT_EQ(where_of(R"([{"a": 1}, {"a": 2}, {"b": {"a": 3}}])"), "no error");
}

TEST(JsonLimits, TooDeepNamesLineAndColumn) {
  std::string deep(100000, '[');
  deep += std::string(100000, ']');
  EXPECT_EQ(where_of(deep), "line 1, column 1025: invalid JSON: nested too deep (more than 1024 levels)");
  std::string ok(1024, '[');
  ok += std::string(1024, ']');
  EXPECT_EQ(where_of(ok), "no error");
  // Brackets inside strings do not count.
  EXPECT_EQ(where_of("[\"" + std::string(5000, '[') + "\"]"), "no error");
}

TEST(JsonLimits, NumberOutOfRangeNamesLineAndColumn) {
  EXPECT_EQ(where_of("{\n  \"a\": 1e999}"), "line 2, column 8: invalid JSON: number out of range");
  EXPECT_EQ(json_number_out_of_range_at(R"({"a": 99999999999999999999999})"), "line 1, column 7");
  EXPECT_EQ(json_number_out_of_range_at(R"({"a": -9223372036854775808, "b": 18446744073709551615})"), std::nullopt);
  EXPECT_EQ(json_number_out_of_range_at(R"({"1e999": "1e999"})"), std::nullopt);
}

}  // namespace
}  // namespace vpcgate::model
