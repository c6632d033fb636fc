#pragma once
// Typed IAM policy documents (identity, resource, trust, boundary, SCP, endpoint policies).
// Grammar: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace vpcgate::model {

enum class Effect { Allow, Deny };

// Principal / NotPrincipal. `"Principal": "*"` sets `wildcard`; otherwise `by_type` maps
// "AWS", "Service", "Federated", "CanonicalUser" to the values as written (a string becomes a
// one-element list). `{"AWS": "*"}` is kept as by_type["AWS"] = {"*"}.
struct PrincipalSpec {
  bool wildcard = false;
  std::map<std::string, std::vector<std::string>> by_type;
};

// The base operator of a condition, without IfExists and without a set qualifier.
enum class ConditionOperator {
  StringEquals, StringNotEquals, StringEqualsIgnoreCase, StringNotEqualsIgnoreCase,
  StringLike, StringNotLike,
  NumericEquals, NumericNotEquals, NumericLessThan, NumericLessThanEquals,
  NumericGreaterThan, NumericGreaterThanEquals,
  DateEquals, DateNotEquals, DateLessThan, DateLessThanEquals, DateGreaterThan,
  DateGreaterThanEquals,
  Bool, BinaryEquals,
  IpAddress, NotIpAddress,
  ArnEquals, ArnLike, ArnNotEquals, ArnNotLike,
  Null,
};

enum class SetQualifier { None, ForAnyValue, ForAllValues };

// One operator/key pair of a Condition block: `"StringEquals": {"aws:SourceVpce": ["a", "b"]}`.
// Values are kept as strings: JSON numbers and booleans are written as JSON prints them
// (`true`, `12`, `1.5`).
struct Condition {
  std::string operator_text;  // as written, e.g. "ForAnyValue:StringLikeIfExists"
  ConditionOperator op = ConditionOperator::StringEquals;
  SetQualifier qualifier = SetQualifier::None;
  bool if_exists = false;
  std::string key;            // as written; keys compare case-insensitively
  std::vector<std::string> values;
};

struct Statement {
  std::optional<std::string> sid;
  Effect effect = Effect::Allow;
  std::optional<PrincipalSpec> principal;
  std::optional<PrincipalSpec> not_principal;
  // Exactly one of Action / NotAction is present in a valid statement.
  std::vector<std::string> actions;
  bool not_action = false;
  // Resource / NotResource; `has_resource` is false when neither is present (trust policies).
  std::vector<std::string> resources;
  bool not_resource = false;
  bool has_resource = false;
  std::vector<Condition> conditions;
  std::size_t index = 0;  // position in the document's Statement list, from 0
  std::string pointer;    // JSON pointer of the statement inside its document, e.g. "/Statement/1"
};

struct PolicyDocument {
  std::string version;  // "2012-10-17", "2008-10-17" or "" when absent
  std::optional<std::string> id;
  std::vector<Statement> statements;
  // Policy variables (${aws:username}) are substituted only under Version 2012-10-17.
  bool variables_enabled() const { return version == "2012-10-17"; }
};

// Equal ignoring case (std::tolower): how the grammar compares operator names and Null's values.
bool iequals(std::string_view a, std::string_view b);

// Reads a condition operator as written ("ForAnyValue:StringLikeIfExists") into c.op,
// c.qualifier and c.if_exists (case-insensitively). Returns the error message when it is not one
// ("unknown condition operator ...", or Null with IfExists), nullopt when it is.
std::optional<std::string> read_condition_operator(std::string_view text, Condition& c);

// Parse a policy document. On malformed input throws InputError{file, pointer_prefix + place,
// message}. `pointer_prefix` is the JSON pointer of the document inside its file ("" for a
// document file; "/RoleDetailList/3/AssumeRolePolicyDocument" inside an export).
PolicyDocument parse_policy(const nlohmann::json& doc, const std::string& file,
                            const std::string& pointer_prefix = "");

// Parse a policy held in a JSON string (SCP `Content`, endpoint `PolicyDocument`, URL-encoded
// documents of some CLI outputs). Errors name `string_pointer` and the place inside the string:
// "/Policy/Content: /Statement/0/Effect" or "/Policy/Content: line 1, column 7".
PolicyDocument parse_policy_string(const std::string& text, const std::string& file,
                                   const std::string& string_pointer);

// Parse a policy file as `simulate` accepts it: a bare document, or an AWS CLI output that
// wraps one (`get-policy-version` {"PolicyVersion": {"Document": ...}}, `get-role-policy` /
// `get-user-policy` / `get-group-policy` {"PolicyDocument": ...}, `organizations
// describe-policy` {"Policy": {"Content": "<json string>"}}, `ec2 describe-vpc-endpoints`
// {"VpcEndpoints": [{"PolicyDocument": "<json string>"}]} with exactly one endpoint).
// A document may itself be a JSON string (URL-encoded or not). `text` is the file's content.
PolicyDocument parse_policy_file_content(const std::string& text, const std::string& file);

// The same for an already parsed JSON value at `pointer` of `file`: a document, a JSON string
// holding one, or one of the CLI wrappers above.
PolicyDocument parse_policy_json(const nlohmann::json& j, const std::string& file,
                                 const std::string& pointer);

// Parse a JSON text with a clear error "line L, column C: message" (throws InputError).
// A member that appears twice in one object is an error ("/Statement/0/Effect: duplicate
// member"), and so is nesting deeper than kMaxJsonDepth or a number out of range
// (docs/security.md).
nlohmann::json parse_json_text(const std::string& text, const std::string& file,
                               const std::string& where_prefix = "");

// The nesting limit of every JSON text vpcgate reads (simdjson's default).
inline constexpr std::size_t kMaxJsonDepth = 1024;

// Where a JSON text goes wrong in ways the parsers report without a place, as "line L, column
// C": the first array or object deeper than `max_depth`, the first number outside the range of
// a 64-bit integer (integers) or of a double (others). Strings are skipped; nullopt if none.
std::optional<std::string> json_too_deep_at(std::string_view text, std::size_t max_depth = kMaxJsonDepth);
std::optional<std::string> json_number_out_of_range_at(std::string_view text);

}  // namespace vpcgate::model
