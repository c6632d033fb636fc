// Condition operators, one table row per documented behaviour. `source` names the AWS page:
// OPS = reference_policies_elements_condition_operators.html,
// MULTI = reference_policies_condition-single-vs-multi-valued-context-keys.html,
// VARS = reference_policies_variables.html.
#include <gtest/gtest.h>

#include "analyzer/eval/evaluate.hpp"
#include "model/policy.hpp"

namespace vpcgate::eval {
namespace {

struct CondCase {
  std::string name;
  std::string condition;  // the Condition block
  std::vector<std::pair<std::string, std::vector<std::string>>> context;
  bool want;
  std::string source;
  std::string version = "2012-10-17";
};

std::ostream& operator<<(std::ostream& os, const CondCase& c) { return os << c.name; }

class ConditionTable : public ::testing::TestWithParam<CondCase> {};

TEST_P(ConditionTable, Holds) {
  const CondCase& c = GetParam();
  std::string text = "{";
  if (!c.version.empty()) text += "\"Version\": \"" + c.version + "\", ";
  text += R"("Statement": {"Effect": "Allow", "Action": "*", "Resource": "*", "Condition": )" + c.condition + "}}";
  auto doc = model::parse_policy(nlohmann::json::parse(text), "t.json");
  Context ctx;
  for (const auto& [k, v] : c.context) ctx.set(k, v);
  EXPECT_EQ(conditions_hold(doc, doc.statements[0], ctx), c.want) << c.source;
}

using V = std::vector<std::string>;

const CondCase kCases[] = {
    // String operators.
    {"StringEqualsMatch", R"({"StringEquals": {"aws:SourceVpce": "vpce-1a2b"}})", {{"aws:SourceVpce", V{"vpce-1a2b"}}}, true, "OPS String"},
    {"StringEqualsCaseSensitive", R"({"StringEquals": {"aws:SourceVpce": "vpce-1A2B"}})", {{"aws:SourceVpce", V{"vpce-1a2b"}}}, false, "OPS String"},
    {"StringEqualsKeyCaseInsensitive", R"({"StringEquals": {"AWS:SOURCEVPCE": "vpce-1a2b"}})", {{"aws:SourceVpce", V{"vpce-1a2b"}}}, true, "OPS: keys are case-insensitive"},
    {"StringEqualsMissingKey", R"({"StringEquals": {"aws:SourceVpce": "vpce-1a2b"}})", {}, false, "OPS String"},
    {"StringEqualsValuesAreOr", R"({"StringEquals": {"aws:SourceVpce": ["vpce-x", "vpce-1a2b"]}})", {{"aws:SourceVpce", V{"vpce-1a2b"}}}, true, "OPS: multiple values OR"},
    {"StringNotEqualsMissingKeyIsTrue", R"({"StringNotEquals": {"aws:SourceVpce": "vpce-1a2b"}})", {}, true, "OPS: negated operator on a missing key"},
    {"StringNotEqualsOtherValue", R"({"StringNotEquals": {"aws:SourceVpce": ["vpce-1", "vpce-2"]}})", {{"aws:SourceVpce", V{"vpce-3"}}}, true, "OPS String"},
    {"StringNotEqualsListedValue", R"({"StringNotEquals": {"aws:SourceVpce": ["vpce-1", "vpce-2"]}})", {{"aws:SourceVpce", V{"vpce-2"}}}, false, "OPS String"},
    {"StringEqualsIgnoreCase", R"({"StringEqualsIgnoreCase": {"aws:PrincipalTag/team": "DATA"}})", {{"aws:PrincipalTag/team", V{"data"}}}, true, "OPS String"},
    {"StringNotEqualsIgnoreCase", R"({"StringNotEqualsIgnoreCase": {"aws:PrincipalTag/team": "DATA"}})", {{"aws:PrincipalTag/team", V{"Data"}}}, false, "OPS String"},
    {"StringLikeStar", R"({"StringLike": {"s3:prefix": "home/*"}})", {{"s3:prefix", V{"home/alice/x"}}}, true, "OPS String"},
    {"StringLikeQuestion", R"({"StringLike": {"s3:prefix": "a?c"}})", {{"s3:prefix", V{"abc"}}}, true, "OPS String"},
    {"StringLikeQuestionIsOneChar", R"({"StringLike": {"s3:prefix": "a?c"}})", {{"s3:prefix", V{"abbc"}}}, false, "OPS String"},
    {"StringLikeCaseSensitive", R"({"StringLike": {"s3:prefix": "Home/*"}})", {{"s3:prefix", V{"home/x"}}}, false, "OPS String"},
    {"StringNotLikeMissing", R"({"StringNotLike": {"s3:prefix": "home/*"}})", {}, true, "OPS: negated operator on a missing key"},
    {"StringNotLikeMatch", R"({"StringNotLike": {"s3:prefix": "home/*"}})", {{"s3:prefix", V{"home/x"}}}, false, "OPS String"},
    // IfExists.
    {"IfExistsMissingKey", R"({"StringEqualsIfExists": {"aws:SourceVpce": "vpce-1"}})", {}, true, "OPS IfExists"},
    {"IfExistsPresentWrong", R"({"StringEqualsIfExists": {"aws:SourceVpce": "vpce-1"}})", {{"aws:SourceVpce", V{"vpce-2"}}}, false, "OPS IfExists"},
    {"IfExistsPresentRight", R"({"StringEqualsIfExists": {"aws:SourceVpce": "vpce-1"}})", {{"aws:SourceVpce", V{"vpce-1"}}}, true, "OPS IfExists"},
    {"NumericIfExistsMissing", R"({"NumericLessThanIfExists": {"s3:max-keys": "10"}})", {}, true, "OPS IfExists"},
    // Null.
    {"NullTrueAbsent", R"({"Null": {"aws:TokenIssueTime": "true"}})", {}, true, "OPS Null"},
    {"NullTruePresent", R"({"Null": {"aws:TokenIssueTime": "true"}})", {{"aws:TokenIssueTime", V{"2024-01-01T00:00:00Z"}}}, false, "OPS Null"},
    {"NullFalsePresent", R"({"Null": {"aws:SourceVpce": false}})", {{"aws:SourceVpce", V{"vpce-1"}}}, true, "OPS Null"},
    {"NullFalseAbsent", R"({"Null": {"aws:SourceVpce": "false"}})", {}, false, "OPS Null"},
    // Multiple keys and operators are AND.
    {"MultiKeyAllMatch", R"({"StringEquals": {"aws:SourceVpce": "vpce-1", "aws:SourceVpc": "vpc-1"}, "Bool": {"aws:SecureTransport": "true"}})",
     {{"aws:SourceVpce", V{"vpce-1"}}, {"aws:SourceVpc", V{"vpc-1"}}, {"aws:SecureTransport", V{"true"}}}, true, "OPS: multiple keys AND"},
    {"MultiKeyOneFails", R"({"StringEquals": {"aws:SourceVpce": "vpce-1", "aws:SourceVpc": "vpc-1"}})",
     {{"aws:SourceVpce", V{"vpce-1"}}, {"aws:SourceVpc", V{"vpc-2"}}}, false, "OPS: multiple keys AND"},
    {"MultiOperatorOneFails", R"({"StringEquals": {"aws:SourceVpce": "vpce-1"}, "IpAddress": {"aws:SourceIp": "10.0.0.0/8"}})",
     {{"aws:SourceVpce", V{"vpce-1"}}, {"aws:SourceIp", V{"192.168.0.1"}}}, false, "OPS: multiple operators AND"},
    // Numeric.
    {"NumericEquals", R"({"NumericEquals": {"s3:max-keys": "10"}})", {{"s3:max-keys", V{"10.0"}}}, true, "OPS Numeric"},
    {"NumericNotEquals", R"({"NumericNotEquals": {"s3:max-keys": ["10", "11"]}})", {{"s3:max-keys", V{"12"}}}, true, "OPS Numeric"},
    {"NumericLessThan", R"({"NumericLessThan": {"s3:max-keys": 10}})", {{"s3:max-keys", V{"9.99"}}}, true, "OPS Numeric"},
    {"NumericLessThanEqualBoundary", R"({"NumericLessThan": {"s3:max-keys": "10"}})", {{"s3:max-keys", V{"10"}}}, false, "OPS Numeric"},
    {"NumericLessThanEquals", R"({"NumericLessThanEquals": {"s3:max-keys": "10"}})", {{"s3:max-keys", V{"10"}}}, true, "OPS Numeric"},
    {"NumericGreaterThanNegative", R"({"NumericGreaterThan": {"n": "-5"}})", {{"n", V{"-4.5"}}}, true, "OPS Numeric"},
    {"NumericGreaterThanEquals", R"({"NumericGreaterThanEquals": {"n": "100000000000000000001"}})", {{"n", V{"100000000000000000000"}}}, false, "OPS Numeric (exact decimals)"},
    {"NumericNotANumber", R"({"NumericEquals": {"n": "10"}})", {{"n", V{"ten"}}}, false, "OPS Numeric"},
    {"NumericMissing", R"({"NumericEquals": {"n": "10"}})", {}, false, "OPS Numeric"},
    {"NumericNotEqualsMissing", R"({"NumericNotEquals": {"n": "10"}})", {}, true, "OPS: negated operator on a missing key"},
    // Date.
    {"DateLessThanIso", R"({"DateLessThan": {"aws:CurrentTime": "2024-06-30T00:00:00Z"}})", {{"aws:CurrentTime", V{"2024-06-29T23:59:59Z"}}}, true, "OPS Date"},
    {"DateGreaterThanEpoch", R"({"DateGreaterThan": {"aws:EpochTime": "1700000000"}})", {{"aws:EpochTime", V{"1700000001"}}}, true, "OPS Date (epoch)"},
    {"DateEqualsMixedForms", R"({"DateEquals": {"aws:CurrentTime": "1970-01-02T00:00:00Z"}})", {{"aws:CurrentTime", V{"86400"}}}, true, "OPS Date"},
    {"DateEqualsOffset", R"({"DateEquals": {"aws:CurrentTime": "2024-01-01T02:00:00+02:00"}})", {{"aws:CurrentTime", V{"2024-01-01T00:00:00Z"}}}, true, "OPS Date"},
    {"DateNotEquals", R"({"DateNotEquals": {"aws:CurrentTime": "2024-01-01"}})", {{"aws:CurrentTime", V{"2024-01-01T00:00:01Z"}}}, true, "OPS Date"},
    {"DateLessThanEqualsFraction", R"({"DateLessThanEquals": {"aws:CurrentTime": "2024-01-01T00:00:00.500Z"}})", {{"aws:CurrentTime", V{"2024-01-01T00:00:00.5Z"}}}, true, "OPS Date"},
    {"DateGreaterThanEquals", R"({"DateGreaterThanEquals": {"aws:CurrentTime": "2024-01-02"}})", {{"aws:CurrentTime", V{"2024-01-01T23:59:59Z"}}}, false, "OPS Date"},
    // Bool.
    {"BoolTrue", R"({"Bool": {"aws:SecureTransport": "true"}})", {{"aws:SecureTransport", V{"true"}}}, true, "OPS Boolean"},
    {"BoolJsonBool", R"({"Bool": {"aws:SecureTransport": false}})", {{"aws:SecureTransport", V{"false"}}}, true, "OPS Boolean"},
    {"BoolMismatch", R"({"Bool": {"aws:SecureTransport": "true"}})", {{"aws:SecureTransport", V{"false"}}}, false, "OPS Boolean"},
    {"BoolMissing", R"({"Bool": {"aws:SecureTransport": "false"}})", {}, false, "OPS Boolean: missing key is false"},
    {"BoolIfExistsMissing", R"({"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}})", {}, true, "OPS IfExists (MFA example)"},
    // Binary.
    {"BinaryEquals", R"({"BinaryEquals": {"key": "QmluYXJ5VmFsdWVJbkJhc2U2NA=="}})", {{"key", V{"QmluYXJ5VmFsdWVJbkJhc2U2NA=="}}}, true, "OPS Binary"},
    {"BinaryEqualsUnpadded", R"({"BinaryEquals": {"key": "QmluYXJ5VmFsdWVJbkJhc2U2NA=="}})", {{"key", V{"QmluYXJ5VmFsdWVJbkJhc2U2NA"}}}, true, "OPS Binary (bytes compared)"},
    {"BinaryNotEqual", R"({"BinaryEquals": {"key": "QUJD"}})", {{"key", V{"QUJE"}}}, false, "OPS Binary"},
    // IP addresses.
    {"IpAddressV4", R"({"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}})", {{"aws:SourceIp", V{"203.0.113.77"}}}, true, "OPS IP address"},
    {"IpAddressV4Outside", R"({"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}})", {{"aws:SourceIp", V{"203.0.114.1"}}}, false, "OPS IP address"},
    {"IpAddressSingleHost", R"({"IpAddress": {"aws:SourceIp": "203.0.113.5"}})", {{"aws:SourceIp", V{"203.0.113.5"}}}, true, "OPS IP address"},
    {"IpAddressV6", R"({"IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "2001:DB8:1234:5678::/64"]}})", {{"aws:SourceIp", V{"2001:db8:1234:5678::1"}}}, true, "OPS IP address (IPv6 example)"},
    {"IpAddressV6Outside", R"({"IpAddress": {"aws:SourceIp": "2001:DB8:1234:5678::/64"}})", {{"aws:SourceIp", V{"2001:db8:1234:5679::1"}}}, false, "OPS IP address"},
    {"IpAddressFamilyMismatch", R"({"IpAddress": {"aws:SourceIp": "0.0.0.0/0"}})", {{"aws:SourceIp", V{"::1"}}}, false, "OPS IP address"},
    {"NotIpAddressOutside", R"({"NotIpAddress": {"aws:SourceIp": ["192.0.2.0/24", "203.0.113.0/24"]}})", {{"aws:SourceIp", V{"198.51.100.1"}}}, true, "OPS IP address (deny example)"},
    {"NotIpAddressInside", R"({"NotIpAddress": {"aws:SourceIp": ["192.0.2.0/24", "203.0.113.0/24"]}})", {{"aws:SourceIp", V{"192.0.2.9"}}}, false, "OPS IP address"},
    {"NotIpAddressMissing", R"({"NotIpAddress": {"aws:SourceIp": "192.0.2.0/24"}})", {}, true, "OPS: negated operator on a missing key (through an endpoint)"},
    {"IpAddressMissing", R"({"IpAddress": {"aws:SourceIp": "0.0.0.0/0"}})", {}, false, "OPS IP address"},
    // ARN operators.
    {"ArnEqualsExact", R"({"ArnEquals": {"aws:SourceArn": "arn:aws:sns:us-east-1:111122223333:topic"}})", {{"aws:SourceArn", V{"arn:aws:sns:us-east-1:111122223333:topic"}}}, true, "OPS ARN"},
    {"ArnLikePerSegment", R"({"ArnLike": {"aws:SourceArn": "arn:aws:s3:::bucket-*"}})", {{"aws:SourceArn", V{"arn:aws:s3:::bucket-a/x"}}}, true, "OPS ARN"},
    {"ArnLikeWildcardStaysInSegment", R"({"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*"}})", {{"aws:PrincipalArn", V{"arn:aws:iam::111122223333:role/x"}}}, false, "OPS ARN: each of the six components matched separately"},
    {"ArnLikeRegionWildcard", R"({"ArnLike": {"aws:SourceArn": "arn:aws:sqs:*:111122223333:q"}})", {{"aws:SourceArn", V{"arn:aws:sqs:eu-west-1:111122223333:q"}}}, true, "OPS ARN"},
    {"ArnEqualsBehavesLikeArnLike", R"({"ArnEquals": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/*"}})", {{"aws:PrincipalArn", V{"arn:aws:iam::111122223333:role/admin"}}}, true, "OPS ARN"},
    {"ArnNotLikeMatch", R"({"ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/admin"}})", {{"aws:PrincipalArn", V{"arn:aws:iam::111122223333:role/admin"}}}, false, "OPS ARN"},
    {"ArnNotEqualsMissing", R"({"ArnNotEquals": {"aws:PrincipalArn": "arn:aws:iam::1:role/a"}})", {}, true, "OPS: negated operator on a missing key"},
    {"ArnLikeCaseSensitive", R"({"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/Admin"}})", {{"aws:PrincipalArn", V{"arn:aws:iam::111122223333:role/admin"}}}, false, "OPS ARN"},
    // Set operators.
    {"ForAllValuesSubset", R"({"ForAllValues:StringEquals": {"aws:TagKeys": ["environment", "cost-center"]}})", {{"aws:TagKeys", V{"environment"}}}, true, "MULTI ForAllValues"},
    {"ForAllValuesNotSubset", R"({"ForAllValues:StringEquals": {"aws:TagKeys": ["environment", "cost-center"]}})", {{"aws:TagKeys", V{"environment", "owner"}}}, false, "MULTI ForAllValues"},
    {"ForAllValuesMissingKeyIsTrue", R"({"ForAllValues:StringEquals": {"aws:TagKeys": ["environment"]}})", {}, true, "MULTI: ForAllValues returns true when the key is missing"},
    {"ForAllValuesEmptySetIsTrue", R"({"ForAllValues:StringEquals": {"aws:TagKeys": ["environment"]}})", {{"aws:TagKeys", V{}}}, true, "MULTI: ForAllValues on an empty set"},
    {"ForAnyValueOneMatches", R"({"ForAnyValue:StringEquals": {"aws:TagKeys": ["environment", "cost-center"]}})", {{"aws:TagKeys", V{"owner", "cost-center"}}}, true, "MULTI ForAnyValue"},
    {"ForAnyValueMissingIsFalse", R"({"ForAnyValue:StringEquals": {"aws:TagKeys": ["environment"]}})", {}, false, "MULTI: ForAnyValue returns false when the key is missing"},
    {"ForAnyValueNoneMatches", R"({"ForAnyValue:StringEquals": {"aws:TagKeys": ["environment"]}})", {{"aws:TagKeys", V{"owner"}}}, false, "MULTI ForAnyValue"},
    {"ForAllValuesStringNotEquals", R"({"ForAllValues:StringNotEquals": {"aws:TagKeys": ["a", "b"]}})", {{"aws:TagKeys", V{"c", "a"}}}, false, "MULTI"},
    {"ForAnyValueStringNotEquals", R"({"ForAnyValue:StringNotEquals": {"aws:TagKeys": ["a", "b"]}})", {{"aws:TagKeys", V{"c", "a"}}}, true, "MULTI"},
    {"ForAnyValueStringLike", R"({"ForAnyValue:StringLike": {"aws:TagKeys": ["env*"]}})", {{"aws:TagKeys", V{"x", "environment"}}}, true, "MULTI"},
    {"ForAnyValueIfExistsMissing", R"({"ForAnyValue:StringEqualsIfExists": {"aws:TagKeys": ["a"]}})", {}, true, "OPS IfExists"},
    {"SingleValuedOperatorOnSetAny", R"({"StringEquals": {"aws:TagKeys": "b"}})", {{"aws:TagKeys", V{"a", "b"}}}, true, "docs/evaluation.md: no set operator on several values"},
    {"NegatedOperatorOnSetNone", R"({"StringNotEquals": {"aws:TagKeys": "b"}})", {{"aws:TagKeys", V{"a", "b"}}}, false, "docs/evaluation.md: no set operator on several values"},
    // Policy variables in condition values.
    {"VariableUsername", R"({"StringLike": {"s3:prefix": "${aws:username}/*"}})", {{"aws:username", V{"alice"}}, {"s3:prefix", V{"alice/notes"}}}, true, "VARS Condition element"},
    {"VariableOtherUser", R"({"StringLike": {"s3:prefix": "${aws:username}/*"}})", {{"aws:username", V{"bob"}}, {"s3:prefix", V{"alice/notes"}}}, false, "VARS"},
    {"VariableKeyCaseInsensitive", R"({"StringEquals": {"aws:PrincipalTag/team": "${AWS:ResourceTag/Team}"}})", {{"aws:PrincipalTag/team", V{"ml"}}, {"aws:ResourceTag/team", V{"ml"}}}, true, "VARS"},
    {"VariableUnresolvedNeverEquals", R"({"StringEquals": {"s3:prefix": "${aws:username}"}})", {{"s3:prefix", V{""}}}, false, "VARS: a variable without value is null"},
    {"VariableUnresolvedNegated", R"({"StringNotEquals": {"s3:prefix": "${aws:username}"}})", {{"s3:prefix", V{"x"}}}, true, "VARS: null equals nothing"},
    {"VariableDefault", R"({"StringEquals": {"s3:prefix": "${aws:PrincipalTag/team, 'company-wide'}"}})", {{"s3:prefix", V{"company-wide"}}}, true, "VARS Specifying default values"},
    {"VariableDefaultNotUsedWhenPresent", R"({"StringEquals": {"s3:prefix": "${aws:PrincipalTag/team, 'company-wide'}"}})", {{"s3:prefix", V{"company-wide"}}, {"aws:PrincipalTag/team", V{"ml"}}}, false, "VARS"},
    {"VariableStarIsLiteral", R"({"StringLike": {"s3:prefix": "a${*}b"}})", {{"s3:prefix", V{"a*b"}}}, true, "VARS Special characters"},
    {"VariableStarIsNotWildcard", R"({"StringLike": {"s3:prefix": "a${*}b"}})", {{"s3:prefix", V{"axxb"}}}, false, "VARS Special characters"},
    {"VariableQuestionAndDollar", R"({"StringEquals": {"k": "${?}${$}"}})", {{"k", V{"?$"}}}, true, "VARS Special characters"},
    {"VariablesOffIn2008", R"({"StringEquals": {"k": "${aws:username}"}})", {{"k", V{"${aws:username}"}}, {"aws:username", V{"alice"}}}, true, "VARS: only Version 2012-10-17", "2008-10-17"},
    {"VariablesOffWithoutVersion", R"({"StringEquals": {"k": "${aws:username}"}})", {{"k", V{"alice"}}, {"aws:username", V{"alice"}}}, false, "VARS: only Version 2012-10-17", ""},
    {"VariableNotInNumeric", R"({"NumericEquals": {"n": "${x}"}})", {{"n", V{"1"}}, {"x", V{"1"}}}, false, "VARS: string and ARN operators only"},
    {"VariableInArn", R"({"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:user/${aws:username}"}})", {{"aws:PrincipalArn", V{"arn:aws:iam::1:user/alice"}}, {"aws:username", V{"alice"}}}, true, "VARS"},
    {"VariableMultiValuedUnresolved", R"({"StringEquals": {"k": "${aws:TagKeys}"}})", {{"k", V{"a"}}, {"aws:TagKeys", V{"a", "b"}}}, false, "MULTI: multivalued keys are not variables"},
};

INSTANTIATE_TEST_SUITE_P(Aws, ConditionTable, ::testing::ValuesIn(kCases),
                         [](const auto& p) { return p.param.name; });

}  // namespace
}  // namespace vpcgate::eval
