// Policy documents -> model, and the errors for malformed ones (file + JSON pointer + text).
#include "model/policy.hpp"

#include <gtest/gtest.h>

#include "model/input_error.hpp"

namespace vpcgate::model {
namespace {

using nlohmann::json;

PolicyDocument parse_text(const std::string& text) { return parse_policy_file_content(text, "p.json"); }

// Asserts the exact place and message of the InputError that `fn` throws.
template <typename Fn>
void expect_error(Fn fn, const std::string& where, const std::string& message) {
  try {
    fn();
    ADD_FAILURE() << "no error; expected " << where << ": " << message;
  } catch (const InputError& e) {
    EXPECT_EQ(e.file(), "p.json");
    EXPECT_EQ(e.where(), where);
    EXPECT_EQ(e.message(), message);
  }
}

TEST(PolicyParse, FullStatement) {
  auto doc = parse_text(R"({"Version": "2012-10-17", "Id": "x", "Statement": [
    {"Sid": "A", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root",
     "Service": ["sagemaker.amazonaws.com"]}, "Action": "s3:GetObject", "Resource": ["arn:aws:s3:::b/*"],
     "Condition": {"ForAnyValue:StringLikeIfExists": {"aws:TagKeys": ["a*", 3, true]},
                   "Null": {"aws:SourceVpce": "false"}}},
    {"Effect": "Deny", "NotPrincipal": "*", "NotAction": ["iam:*"], "NotResource": "*"}]})");
  EXPECT_EQ(doc.version, "2012-10-17");
  EXPECT_TRUE(doc.variables_enabled());
  EXPECT_EQ(doc.id, "x");
  ASSERT_EQ(doc.statements.size(), 2u);
  const Statement& a = doc.statements[0];
  EXPECT_EQ(a.sid, "A");
  EXPECT_EQ(a.effect, Effect::Allow);
  ASSERT_TRUE(a.principal);
  EXPECT_FALSE(a.principal->wildcard);
  EXPECT_EQ(a.principal->by_type.at("AWS"), std::vector<std::string>{"arn:aws:iam::111122223333:root"});
  EXPECT_EQ(a.principal->by_type.at("Service"), std::vector<std::string>{"sagemaker.amazonaws.com"});
  EXPECT_EQ(a.actions, std::vector<std::string>{"s3:GetObject"});
  EXPECT_FALSE(a.not_action);
  EXPECT_TRUE(a.has_resource);
  EXPECT_EQ(a.pointer, "/Statement/0");
  ASSERT_EQ(a.conditions.size(), 2u);
  const Condition& like = a.conditions[0];
  EXPECT_EQ(like.operator_text, "ForAnyValue:StringLikeIfExists");
  EXPECT_EQ(like.op, ConditionOperator::StringLike);
  EXPECT_EQ(like.qualifier, SetQualifier::ForAnyValue);
  EXPECT_TRUE(like.if_exists);
  EXPECT_EQ(like.key, "aws:TagKeys");
  EXPECT_EQ(like.values, (std::vector<std::string>{"a*", "3", "true"}));
  EXPECT_EQ(a.conditions[1].op, ConditionOperator::Null);
  const Statement& b = doc.statements[1];
  EXPECT_EQ(b.sid, std::nullopt);
  EXPECT_EQ(b.index, 1u);
  ASSERT_TRUE(b.not_principal);
  EXPECT_TRUE(b.not_principal->wildcard);
  EXPECT_TRUE(b.not_action);
  EXPECT_TRUE(b.not_resource);
}

TEST(PolicyParse, StatementObjectAndNoResource) {
  auto doc = parse_text(R"({"Statement": {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"},
                           "Action": "sts:AssumeRole"}})");
  EXPECT_EQ(doc.version, "");
  EXPECT_FALSE(doc.variables_enabled());
  ASSERT_EQ(doc.statements.size(), 1u);
  EXPECT_FALSE(doc.statements[0].has_resource);
  EXPECT_EQ(doc.statements[0].pointer, "/Statement");
}

TEST(PolicyParse, NumbersKeepTheirJsonText) {
  auto doc = parse_text(R"({"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*",
      "Condition": {"NumericLessThan": {"s3:max-keys": [10, 1.5, -3]}}}})");
  EXPECT_EQ(doc.statements[0].conditions[0].values, (std::vector<std::string>{"10", "1.5", "-3"}));
}

TEST(PolicyParse, Wrappers) {
  const std::string inner = R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]})";
  const std::string escaped = json(inner).dump();
  EXPECT_EQ(parse_text(R"({"PolicyVersion": {"Document": )" + inner + R"(, "VersionId": "v1"}})").statements.size(), 1u);
  EXPECT_EQ(parse_text(R"({"RoleName": "r", "PolicyName": "p", "PolicyDocument": )" + inner + "}").statements.size(), 1u);
  EXPECT_EQ(parse_text(R"({"Policy": {"PolicySummary": {"Type": "SERVICE_CONTROL_POLICY"}, "Content": )" + escaped +
                       "}}").statements.size(), 1u);
  EXPECT_EQ(parse_text(R"({"VpcEndpoints": [{"VpcEndpointId": "vpce-1", "PolicyDocument": )" + escaped + "}]}")
                .statements.size(), 1u);
  // URL-encoded, as some IAM API outputs are.
  EXPECT_EQ(parse_text(R"({"PolicyVersion": {"Document": "%7B%22Statement%22%3A%7B%22Effect%22%3A%22Deny%22%2C%22Action%22%3A%22*%22%7D%7D"}})")
                .statements[0].effect, Effect::Deny);
  // An endpoint without a policy document has AWS's default full-access policy.
  auto def = parse_text(R"({"VpcEndpoints": [{"VpcEndpointId": "vpce-1"}]})");
  ASSERT_EQ(def.statements.size(), 1u);
  EXPECT_TRUE(def.statements[0].principal->wildcard);
}

TEST(PolicyParse, Errors) {
  expect_error([] { parse_text(R"({"Statement": [{"Effect": "Allow", "Action": "*"}, {"Effect": "Allow", "Action": "*"},
                                                  {"Effect": "allow", "Action": "*"}]})"); },
               "/Statement/2/Effect", R"(expected "Allow" or "Deny", got "allow")");
  expect_error([] { parse_text(R"({"Statement": {"Action": "*"}})"); }, "/Statement", R"(missing "Effect")");
  expect_error([] { parse_text(R"({"Statement": [{"Effect": "Deny"}]})"); }, "/Statement/0",
               R"(missing "Action" or "NotAction")");
  expect_error([] { parse_text(R"({"Statement": [{"Effect": "Deny", "Action": "*", "NotAction": "*"}]})"); },
               "/Statement/0", R"(a statement cannot have both "Action" and "NotAction")");
  expect_error([] { parse_text(R"({"Statement": [{"Effect": "Deny", "Action": ["a", 1]}]})"); },
               "/Statement/0/Action/1", "expected a string, got a number");
  expect_error([] { parse_text(R"({"Statement": [{"Effect": "Deny", "Action": "*", "Condition": {"StringEqualz": {"k": "v"}}}]})"); },
               "/Statement/0/Condition/StringEqualz", R"(unknown condition operator "StringEqualz")");
  expect_error([] { parse_text(R"({"Statement": [{"Effect": "Deny", "Action": "*", "Condition": {"NullIfExists": {"k": "true"}}}]})"); },
               "/Statement/0/Condition/NullIfExists", "the Null condition operator cannot be combined with IfExists");
  expect_error([] { parse_text(R"({"Statement": [{"Effect": "Deny", "Action": "*",
                                   "Condition": {"StringEquals": {"aws:PrincipalTag/team": ["a", null]}}}]})"); },
               "/Statement/0/Condition/StringEquals/aws:PrincipalTag~1team/1",
               "expected a string, number or boolean, got null");
  expect_error([] { parse_text(R"({"Statement": [{"Effect": "Deny", "Action": "*", "Principal": "me"}]})"); },
               "/Statement/0/Principal",
               R"(expected "*" or an object with "AWS", "Service", "Federated" or "CanonicalUser", got "me")");
  expect_error([] { parse_text(R"({"Statement": [{"Effect": "Deny", "Action": "*", "Principal": {"Aws": "*"}}]})"); },
               "/Statement/0/Principal/Aws",
               R"(unknown principal type "Aws" (expected "AWS", "Service", "Federated" or "CanonicalUser"))");
  expect_error([] { parse_text(R"({"Version": "2012-10-18", "Statement": []})"); }, "/Version",
               R"(expected "2012-10-17" or "2008-10-17", got "2012-10-18")");
  expect_error([] { parse_text(R"({"Statement": [{"Effect": "Deny", "Action": "*", "Condtion": {}}]})"); },
               "/Statement/0/Condtion", R"(unknown statement element "Condtion")");
  expect_error([] { parse_text(R"({"Statement": 3})"); }, "/Statement",
               "expected an object or an array of statements, got a number");
}

TEST(PolicyParse, SyntaxErrorsHaveLineAndColumn) {
  expect_error([] { parse_text("{\n  \"Statement\": [\n    {\"Effect\": Allow}\n  ]\n}"); }, "line 3, column 16",
               "invalid JSON: syntax error while parsing value - invalid literal");
}

TEST(PolicyParse, ErrorsInsideJsonStrings) {
  const std::string bad = json(R"({"Statement": [{"Effect": "allow", "Action": "*"}]})").dump();
  expect_error([&] { parse_text(R"({"Policy": {"Content": )" + bad + "}}"); }, "/Policy/Content: /Statement/0/Effect",
               R"(expected "Allow" or "Deny", got "allow")");
  const std::string broken = json(R"({"Statement": [)").dump();
  expect_error([&] { parse_text(R"({"VpcEndpoints": [{"PolicyDocument": )" + broken + "}]}"); },
               "/VpcEndpoints/0/PolicyDocument: line 1, column 16",
               "invalid JSON: syntax error while parsing value - unexpected end of input; expected '[', '{', or a literal");
  expect_error([] { parse_text(R"({"VpcEndpoints": []})"); }, "/VpcEndpoints", "expected exactly one endpoint, got 0");
  expect_error([] { parse_text(R"({"Hello": 1})"); }, "",
               R"(not a policy document: expected "Statement", or an AWS CLI output that wraps one ("PolicyVersion", "PolicyDocument", "Policy", "VpcEndpoints"))");
}

TEST(PolicyParse, PointerPrefixInsideExports) {
  try {
    parse_policy(json::parse(R"({"Statement": [{"Effect": "Allow"}]})"), "iam.json", "/RoleDetailList/3/AssumeRolePolicyDocument");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), "iam.json: /RoleDetailList/3/AssumeRolePolicyDocument/Statement/0: missing \"Action\" or \"NotAction\"");
  }
  try {
    parse_policy_string(R"({"Statement": {"Effect": 1, "Action": "*"}})", "scp.json", "/Policy/Content");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(e.where(), "/Policy/Content: /Statement/Effect");
    EXPECT_EQ(e.message(), "expected \"Allow\" or \"Deny\", got a number");
  }
}

}  // namespace
}  // namespace vpcgate::model
