#pragma once
// Reading a simdjson DOM with exact error places: every Node knows its file and JSON pointer,
// and every accessor that finds the wrong type or a missing member throws model::InputError
// naming them (cedar's diagnostics carry source_loc the same way).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>
#include <simdjson.h>

namespace vpcgate::loader::detail {

// RFC 6901: "~" -> "~0", "/" -> "~1".
std::string pointer_escape(std::string_view key);

// "an object", "a string", ... for messages.
std::string json_type_name(simdjson::dom::element e);

class Node {
 public:
  Node(simdjson::dom::element e, std::string pointer, const std::string& file)
      : e_(e), pointer_(std::move(pointer)), file_(&file) {}

  simdjson::dom::element raw() const { return e_; }
  const std::string& pointer() const { return pointer_; }
  const std::string& file() const { return *file_; }

  [[noreturn]] void fail(const std::string& message) const;

  bool is_object() const { return e_.type() == simdjson::dom::element_type::OBJECT; }
  bool is_array() const { return e_.type() == simdjson::dom::element_type::ARRAY; }
  bool is_string() const { return e_.type() == simdjson::dom::element_type::STRING; }
  bool is_null() const { return e_.type() == simdjson::dom::element_type::NULL_VALUE; }

  std::string as_string() const;  // throws unless a string
  bool as_bool() const;           // throws unless a boolean
  std::int64_t as_int() const;    // throws unless an integer

  // Objects. Members are looked up by exact name; a member we read that appears twice is an
  // error (the CLI never prints one twice, and two parsers would disagree on which one wins).
  std::optional<Node> get(std::string_view key) const;  // throws unless an object
  Node require(std::string_view key) const;             // missing: "required member missing"
  bool has(std::string_view key) const;
  std::string string(std::string_view key) const;  // required string member
  std::optional<std::string> opt_string(std::string_view key) const;
  std::string string_or(std::string_view key, std::string fallback = {}) const;
  std::optional<bool> opt_bool(std::string_view key) const;
  std::optional<int> opt_int(std::string_view key) const;
  // Optional list of strings (absent: empty).
  std::vector<std::string> strings(std::string_view key) const;
  // Present members of `keys` must be there; throws for the first missing one in list order.
  void require_all(std::initializer_list<std::string_view> keys) const;

  // Arrays.
  std::vector<Node> items() const;  // throws unless an array
  // Optional array member (absent: empty).
  std::vector<Node> items(std::string_view key) const;

 private:
  simdjson::dom::element e_;
  std::string pointer_;
  const std::string* file_;
};

// The value as nlohmann::json (for model::parse_policy). Duplicate keys are an error.
nlohmann::json to_nlohmann(const Node& node);

// Canonical text of a value: objects with keys sorted bytewise, no whitespace. Two values with
// the same canonical text are the same JSON value.
void append_canonical(simdjson::dom::element e, std::string& out);

// Canonical text of the listed members of an object (absent ones skipped), used to tell
// identical duplicates of an entity from conflicting ones.
std::string fingerprint(const Node& object, std::initializer_list<std::string_view> members);

}  // namespace vpcgate::loader::detail
