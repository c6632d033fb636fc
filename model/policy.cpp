// Policy documents: JSON -> model. Grammar:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
#include "model/policy.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <functional>
#include <string_view>
#include <utility>

#include "model/input_error.hpp"

namespace vpcgate::model {
namespace {

using nlohmann::json;

// Where an error is reported. A document in a file: `base` + JSON pointer. A document held in a
// JSON string: `base` is the pointer to the string and the place inside it follows ": ".
struct Place {
  std::string file;
  std::string base;
  bool in_string = false;

  std::string at(const std::string& pointer) const {
    if (!in_string) return base + pointer;
    if (pointer.empty()) return base;
    if (base.empty()) return pointer;
    return base + ": " + pointer;
  }
  [[noreturn]] void fail(const std::string& pointer, const std::string& message) const {
    throw InputError(file, at(pointer), message);
  }
};

std::string escape_pointer_token(std::string_view token) {
  std::string out;
  out.reserve(token.size());
  for (char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

std::string child(const std::string& pointer, std::string_view token) {
  return pointer + "/" + escape_pointer_token(token);
}
std::string child(const std::string& pointer, std::size_t index) {
  return pointer + "/" + std::to_string(index);
}

const char* type_name(const json& j) {
  switch (j.type()) {
    case json::value_t::null: return "null";
    case json::value_t::object: return "an object";
    case json::value_t::array: return "an array";
    case json::value_t::string: return "a string";
    case json::value_t::boolean: return "a boolean";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
    case json::value_t::number_float: return "a number";
    default: return "an unsupported value";
  }
}

std::string json_quote(const std::string& s) {
  // JSON-style quoting keeps control characters and quotes readable in one line.
  return json(s).dump(-1, ' ', false, json::error_handler_t::replace);
}

// A string or a non-empty list of strings ("Action", "Resource", principal values).
std::vector<std::string> string_or_list(const json& j, const Place& place, const std::string& ptr) {
  std::vector<std::string> out;
  if (j.is_string()) {
    out.push_back(j.get<std::string>());
    return out;
  }
  if (!j.is_array()) place.fail(ptr, std::string("expected a string or an array of strings, got ") + type_name(j));
  for (std::size_t i = 0; i < j.size(); ++i) {
    const json& v = j[i];
    if (!v.is_string()) place.fail(child(ptr, i), std::string("expected a string, got ") + type_name(v));
    out.push_back(v.get<std::string>());
  }
  return out;
}

PrincipalSpec parse_principal(const json& j, const Place& place, const std::string& ptr) {
  PrincipalSpec spec;
  if (j.is_string()) {
    if (j.get<std::string>() != "*") {
      place.fail(ptr, "expected \"*\" or an object with \"AWS\", \"Service\", \"Federated\" or "
                      "\"CanonicalUser\", got " + json_quote(j.get<std::string>()));
    }
    spec.wildcard = true;
    return spec;
  }
  if (!j.is_object()) {
    place.fail(ptr, std::string("expected \"*\" or an object, got ") + type_name(j));
  }
  for (const auto& [type, values] : j.items()) {
    if (type != "AWS" && type != "Service" && type != "Federated" && type != "CanonicalUser") {
      place.fail(child(ptr, type), "unknown principal type " + json_quote(type) +
                                       " (expected \"AWS\", \"Service\", \"Federated\" or \"CanonicalUser\")");
    }
    auto list = string_or_list(values, place, child(ptr, type));
    auto& slot = spec.by_type[type];
    slot.insert(slot.end(), list.begin(), list.end());
  }
  return spec;
}

struct OperatorInfo {
  std::string_view name;
  ConditionOperator op;
};

constexpr std::array<OperatorInfo, 27> kOperators{{
    {"StringEquals", ConditionOperator::StringEquals},
    {"StringNotEquals", ConditionOperator::StringNotEquals},
    {"StringEqualsIgnoreCase", ConditionOperator::StringEqualsIgnoreCase},
    {"StringNotEqualsIgnoreCase", ConditionOperator::StringNotEqualsIgnoreCase},
    {"StringLike", ConditionOperator::StringLike},
    {"StringNotLike", ConditionOperator::StringNotLike},
    {"NumericEquals", ConditionOperator::NumericEquals},
    {"NumericNotEquals", ConditionOperator::NumericNotEquals},
    {"NumericLessThan", ConditionOperator::NumericLessThan},
    {"NumericLessThanEquals", ConditionOperator::NumericLessThanEquals},
    {"NumericGreaterThan", ConditionOperator::NumericGreaterThan},
    {"NumericGreaterThanEquals", ConditionOperator::NumericGreaterThanEquals},
    {"DateEquals", ConditionOperator::DateEquals},
    {"DateNotEquals", ConditionOperator::DateNotEquals},
    {"DateLessThan", ConditionOperator::DateLessThan},
    {"DateLessThanEquals", ConditionOperator::DateLessThanEquals},
    {"DateGreaterThan", ConditionOperator::DateGreaterThan},
    {"DateGreaterThanEquals", ConditionOperator::DateGreaterThanEquals},
    {"Bool", ConditionOperator::Bool},
    {"BinaryEquals", ConditionOperator::BinaryEquals},
    {"IpAddress", ConditionOperator::IpAddress},
    {"NotIpAddress", ConditionOperator::NotIpAddress},
    {"ArnEquals", ConditionOperator::ArnEquals},
    {"ArnLike", ConditionOperator::ArnLike},
    {"ArnNotEquals", ConditionOperator::ArnNotEquals},
    {"ArnNotLike", ConditionOperator::ArnNotLike},
    {"Null", ConditionOperator::Null},
}};


bool istarts_with(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

// Operator names compare case-insensitively, as IAM accepts them (`stringequals`).
void parse_operator(const std::string& text, Condition& c, const Place& place, const std::string& ptr) {
  if (auto error = read_condition_operator(text, c)) place.fail(ptr, *error);
}

std::string scalar_text(const json& v, const Place& place, const std::string& ptr) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_number()) return v.dump();
  place.fail(ptr, std::string("expected a string, number or boolean, got ") + type_name(v));
}

std::vector<Condition> parse_conditions(const json& j, const Place& place, const std::string& ptr) {
  std::vector<Condition> out;
  if (!j.is_object()) place.fail(ptr, std::string("expected an object, got ") + type_name(j));
  for (const auto& [op_text, block] : j.items()) {
    const std::string op_ptr = child(ptr, op_text);
    Condition proto;
    proto.operator_text = op_text;
    parse_operator(op_text, proto, place, op_ptr);
    if (!block.is_object()) place.fail(op_ptr, std::string("expected an object, got ") + type_name(block));
    for (const auto& [key, values] : block.items()) {
      const std::string key_ptr = child(op_ptr, key);
      Condition c = proto;
      c.key = key;
      if (values.is_array()) {
        for (std::size_t i = 0; i < values.size(); ++i) {
          c.values.push_back(scalar_text(values[i], place, child(key_ptr, i)));
        }
      } else {
        c.values.push_back(scalar_text(values, place, key_ptr));
      }
      if (c.op == ConditionOperator::Null) {
        for (std::size_t i = 0; i < c.values.size(); ++i) {
          if (!iequals(c.values[i], "true") && !iequals(c.values[i], "false")) {
            place.fail(values.is_array() ? child(key_ptr, i) : key_ptr,
                       "the Null condition operator takes \"true\" or \"false\", got " + json_quote(c.values[i]));
          }
        }
      }
      out.push_back(std::move(c));
    }
  }
  return out;
}

Statement parse_statement(const json& j, const Place& place, const std::string& ptr, std::size_t index) {
  Statement s;
  s.index = index;
  s.pointer = ptr;
  if (!j.is_object()) place.fail(ptr, std::string("expected a statement object, got ") + type_name(j));
  for (const auto& [key, value] : j.items()) {
    static constexpr std::array<std::string_view, 10> kKnown{
        "Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource",
        "NotResource", "Condition", "Id"};
    if (std::find(kKnown.begin(), kKnown.end(), key) == kKnown.end()) {
      place.fail(child(ptr, key), "unknown statement element " + json_quote(key));
    }
    (void)value;
  }
  if (auto it = j.find("Sid"); it != j.end()) {
    if (!it->is_string()) place.fail(child(ptr, "Sid"), std::string("expected a string, got ") + type_name(*it));
    s.sid = it->get<std::string>();
  }
  auto effect = j.find("Effect");
  if (effect == j.end()) place.fail(ptr, "missing \"Effect\"");
  if (!effect->is_string()) {
    place.fail(child(ptr, "Effect"), std::string("expected \"Allow\" or \"Deny\", got ") + type_name(*effect));
  }
  const std::string effect_text = effect->get<std::string>();
  if (effect_text == "Allow") {
    s.effect = Effect::Allow;
  } else if (effect_text == "Deny") {
    s.effect = Effect::Deny;
  } else {
    place.fail(child(ptr, "Effect"), "expected \"Allow\" or \"Deny\", got " + json_quote(effect_text));
  }

  const bool has_p = j.contains("Principal");
  const bool has_np = j.contains("NotPrincipal");
  if (has_p && has_np) place.fail(ptr, "a statement cannot have both \"Principal\" and \"NotPrincipal\"");
  if (has_p) s.principal = parse_principal(j.at("Principal"), place, child(ptr, "Principal"));
  if (has_np) s.not_principal = parse_principal(j.at("NotPrincipal"), place, child(ptr, "NotPrincipal"));

  const bool has_a = j.contains("Action");
  const bool has_na = j.contains("NotAction");
  if (has_a && has_na) place.fail(ptr, "a statement cannot have both \"Action\" and \"NotAction\"");
  if (!has_a && !has_na) place.fail(ptr, "missing \"Action\" or \"NotAction\"");
  s.not_action = has_na;
  s.actions = string_or_list(j.at(has_a ? "Action" : "NotAction"), place, child(ptr, has_a ? "Action" : "NotAction"));

  const bool has_r = j.contains("Resource");
  const bool has_nr = j.contains("NotResource");
  if (has_r && has_nr) place.fail(ptr, "a statement cannot have both \"Resource\" and \"NotResource\"");
  s.has_resource = has_r || has_nr;
  s.not_resource = has_nr;
  if (s.has_resource) {
    s.resources = string_or_list(j.at(has_r ? "Resource" : "NotResource"), place,
                                 child(ptr, has_r ? "Resource" : "NotResource"));
  }
  if (auto it = j.find("Condition"); it != j.end()) {
    s.conditions = parse_conditions(*it, place, child(ptr, "Condition"));
  }
  return s;
}

PolicyDocument parse_document(const json& doc, const Place& place) {
  PolicyDocument out;
  if (!doc.is_object()) place.fail("", std::string("expected a policy document (an object), got ") + type_name(doc));
  for (const auto& [key, value] : doc.items()) {
    if (key != "Version" && key != "Id" && key != "Statement") {
      place.fail(child("", key), "unknown policy element " + json_quote(key));
    }
    (void)value;
  }
  if (auto it = doc.find("Version"); it != doc.end()) {
    if (!it->is_string()) {
      place.fail("/Version", std::string("expected \"2012-10-17\" or \"2008-10-17\", got ") + type_name(*it));
    }
    out.version = it->get<std::string>();
    if (out.version != "2012-10-17" && out.version != "2008-10-17") {
      place.fail("/Version", "expected \"2012-10-17\" or \"2008-10-17\", got " + json_quote(out.version));
    }
  }
  if (auto it = doc.find("Id"); it != doc.end()) {
    if (!it->is_string()) place.fail("/Id", std::string("expected a string, got ") + type_name(*it));
    out.id = it->get<std::string>();
  }
  auto st = doc.find("Statement");
  if (st == doc.end()) place.fail("", "missing \"Statement\"");
  if (st->is_object()) {
    out.statements.push_back(parse_statement(*st, place, "/Statement", 0));
  } else if (st->is_array()) {
    for (std::size_t i = 0; i < st->size(); ++i) {
      out.statements.push_back(parse_statement((*st)[i], place, child("/Statement", i), i));
    }
  } else {
    place.fail("/Statement", std::string("expected an object or an array of statements, got ") + type_name(*st));
  }
  return out;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// RFC 3986 percent-decoding, as the IAM API encodes documents ('+' stays '+').
std::string percent_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      int hi = hex_value(s[i + 1]);
      int lo = hex_value(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out += s[i];
  }
  return out;
}

bool looks_url_encoded(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
  return i < s.size() && s[i] == '%';
}

std::string line_column(const std::string& text, std::size_t byte) {
  // nlohmann's byte is 1-based: the position of the last character read.
  std::size_t pos = byte == 0 ? 0 : byte - 1;
  if (pos > text.size()) pos = text.size();
  std::size_t line = 1;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < pos; ++i) {
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(pos - line_start + 1);
}

std::string clean_parse_message(const std::string& what) {
  // "[json.exception.parse_error.101] parse error at line 1, column 7: syntax error while
  // parsing value - invalid literal; last read: 'x'" -> "syntax error while parsing value -
  // invalid literal"
  std::string msg = what;
  if (auto p = msg.find("]: "); p != std::string::npos) msg = msg.substr(p + 3);
  if (auto p = msg.find(", column "); p != std::string::npos) {
    if (auto q = msg.find(": ", p); q != std::string::npos) msg = msg.substr(q + 2);
  } else if (auto p2 = msg.find("] "); p2 != std::string::npos) {
    msg = msg.substr(p2 + 2);
  }
  if (auto p = msg.find("; last read"); p != std::string::npos) msg = msg.substr(0, p);
  return "invalid JSON: " + msg;
}

PolicyDocument parse_string_document(const std::string& text, const std::string& file,
                                      const std::string& string_pointer) {
  std::string decoded = looks_url_encoded(text) ? percent_decode(text) : text;
  json doc = parse_json_text(decoded, file, string_pointer);
  if (doc.is_string()) {
    // Double-encoded: a JSON string holding the document's JSON.
    return parse_string_document(doc.get<std::string>(), file, string_pointer);
  }
  Place place{file, string_pointer, true};
  return parse_document(doc, place);
}

PolicyDocument default_endpoint_policy() {
  PolicyDocument doc;
  doc.version = "2008-10-17";
  Statement s;
  s.effect = Effect::Allow;
  s.principal = PrincipalSpec{true, {}};
  s.actions = {"*"};
  s.resources = {"*"};
  s.has_resource = true;
  s.pointer = "/Statement/0";
  doc.statements.push_back(std::move(s));
  return doc;
}

}  // namespace

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

std::optional<std::string> read_condition_operator(std::string_view text, Condition& c) {
  std::string_view rest = text;
  c.qualifier = SetQualifier::None;
  if (istarts_with(rest, "ForAnyValue:")) {
    c.qualifier = SetQualifier::ForAnyValue;
    rest.remove_prefix(12);
  } else if (istarts_with(rest, "ForAllValues:")) {
    c.qualifier = SetQualifier::ForAllValues;
    rest.remove_prefix(13);
  }
  c.if_exists = false;
  constexpr std::string_view kIfExists = "IfExists";
  bool found = false;
  for (int attempt = 0; attempt < 2 && !found; ++attempt) {
    std::string_view base = rest;
    if (attempt == 1) {
      if (rest.size() <= kIfExists.size() || !iequals(rest.substr(rest.size() - kIfExists.size()), kIfExists)) {
        break;
      }
      base = rest.substr(0, rest.size() - kIfExists.size());
    }
    for (const auto& info : kOperators) {
      if (iequals(info.name, base)) {
        c.op = info.op;
        c.if_exists = attempt == 1;
        found = true;
        break;
      }
    }
  }
  if (!found) return "unknown condition operator " + json_quote(std::string(text));
  if (c.op == ConditionOperator::Null && c.if_exists) return "the Null condition operator cannot be combined with IfExists";
  return std::nullopt;
}

PolicyDocument parse_policy(const nlohmann::json& doc, const std::string& file,
                            const std::string& pointer_prefix) {
  Place place{file, pointer_prefix, false};
  return parse_document(doc, place);
}

PolicyDocument parse_policy_string(const std::string& text, const std::string& file,
                                   const std::string& string_pointer) {
  return parse_string_document(text, file, string_pointer);
}

namespace {

// Line and column of a 0-based byte offset.
std::string line_column_at(std::string_view text, std::size_t pos) {
  std::size_t line = 1;
  std::size_t line_start = 0;
  for (std::size_t i = 0; i < pos && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(pos - line_start + 1);
}

// Visits the tokens of a JSON text outside strings (no validation: the parsers do that).
// `on_open(pos, depth)` for '[' and '{', `on_number(pos, token)` for numbers; either returns
// true to stop at `pos`.
template <typename Open, typename Number>
std::optional<std::size_t> scan_json(std::string_view text, Open on_open, Number on_number) {
  std::size_t depth = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '"') {
      for (++i; i < text.size() && text[i] != '"'; ++i)
        if (text[i] == '\\') ++i;
    } else if (c == '[' || c == '{') {
      if (on_open(i, ++depth)) return i;
    } else if (c == ']' || c == '}') {
      if (depth > 0) --depth;
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      std::size_t j = i + 1;
      while (j < text.size() && ((text[j] >= '0' && text[j] <= '9') || text[j] == '.' || text[j] == 'e' ||
                                 text[j] == 'E' || text[j] == '+' || text[j] == '-'))
        ++j;
      if (on_number(i, text.substr(i, j - i))) return i;
      i = j - 1;
    }
  }
  return std::nullopt;
}

// The parser callback that makes a duplicate member an error, with the JSON pointer of the
// second copy.
struct DuplicateCheck {
  struct Frame {
    bool array = false;
    std::size_t next = 0;      // arrays: index of the next element
    std::string token;         // the member or index being read
    std::vector<std::string> keys;  // objects: the members seen (sorted)
  };
  const std::string* file;
  const std::string* prefix;
  std::vector<Frame> stack;

  std::string pointer_to(const std::string& key) const {
    std::string p;
    for (std::size_t i = 0; i + 1 < stack.size(); ++i) p += "/" + escape_pointer_token(stack[i].token);
    return p + "/" + escape_pointer_token(key);
  }
  void element() {
    if (!stack.empty() && stack.back().array) stack.back().token = std::to_string(stack.back().next++);
  }
  bool operator()(int /*depth*/, json::parse_event_t event, json& parsed) {
    switch (event) {
      case json::parse_event_t::object_start:
      case json::parse_event_t::array_start:
        element();
        stack.push_back({event == json::parse_event_t::array_start, 0, {}, {}});
        break;
      case json::parse_event_t::object_end:
      case json::parse_event_t::array_end:
        if (!stack.empty()) stack.pop_back();
        break;
      case json::parse_event_t::key: {
        auto& f = stack.back();
        const auto& key = parsed.get_ref<const std::string&>();
        auto it = std::lower_bound(f.keys.begin(), f.keys.end(), key);
        if (it != f.keys.end() && *it == key) {
          std::string where = pointer_to(key);
          if (!prefix->empty()) where = *prefix + ": " + where;
          throw InputError(*file, where, "duplicate member");
        }
        f.keys.insert(it, key);
        f.token = key;
        break;
      }
      case json::parse_event_t::value:
        element();
        break;
    }
    return true;
  }
};

}  // namespace

std::optional<std::string> json_too_deep_at(std::string_view text, std::size_t max_depth) {
  auto at = scan_json(
      text, [&](std::size_t, std::size_t depth) { return depth > max_depth; },
      [](std::size_t, std::string_view) { return false; });
  if (!at) return std::nullopt;
  return line_column_at(text, *at);
}

std::optional<std::string> json_number_out_of_range_at(std::string_view text) {
  auto at = scan_json(
      text, [](std::size_t, std::size_t) { return false; },
      [](std::size_t, std::string_view token) {
        std::string t(token);
        if (t.find_first_of(".eE") == std::string::npos) {
          errno = 0;
          if (t[0] == '-') {
            (void)std::strtoll(t.c_str(), nullptr, 10);
          } else {
            (void)std::strtoull(t.c_str(), nullptr, 10);
          }
          return errno == ERANGE;
        }
        return std::isinf(std::strtod(t.c_str(), nullptr));
      });
  if (!at) return std::nullopt;
  return line_column_at(text, *at);
}

nlohmann::json parse_json_text(const std::string& text, const std::string& file,
                               const std::string& where_prefix) {
  auto place = [&](std::string where) { return where_prefix.empty() ? where : where_prefix + ": " + where; };
  if (auto deep = json_too_deep_at(text)) {
    throw InputError(file, place(*deep),
                     "invalid JSON: nested too deep (more than " + std::to_string(kMaxJsonDepth) + " levels)");
  }
  try {
    DuplicateCheck check{&file, &where_prefix, {}};
    return json::parse(text, std::ref(check));
  } catch (const json::parse_error& e) {
    throw InputError(file, place(line_column(text, e.byte)), clean_parse_message(e.what()));
  } catch (const json::out_of_range&) {
    // 406: a number too large for a double (nlohmann gives no position).
    auto at = json_number_out_of_range_at(text);
    throw InputError(file, place(at ? *at : std::string("line 1, column 1")), "invalid JSON: number out of range");
  }
}

PolicyDocument parse_policy_json(const nlohmann::json& j, const std::string& file,
                                 const std::string& pointer) {
  if (j.is_string()) return parse_policy_string(j.get<std::string>(), file, pointer);
  if (!j.is_object()) {
    throw InputError(file, pointer, std::string("expected a policy document (an object), got ") + type_name(j));
  }
  if (j.contains("Statement")) return parse_policy(j, file, pointer);
  if (auto it = j.find("PolicyVersion"); it != j.end()) {
    const std::string p = pointer + "/PolicyVersion";
    if (!it->is_object()) throw InputError(file, p, std::string("expected an object, got ") + type_name(*it));
    auto d = it->find("Document");
    if (d == it->end()) throw InputError(file, p, "missing \"Document\"");
    return parse_policy_json(*d, file, p + "/Document");
  }
  if (auto it = j.find("PolicyDocument"); it != j.end()) {
    return parse_policy_json(*it, file, pointer + "/PolicyDocument");
  }
  if (auto it = j.find("Policy"); it != j.end()) {
    const std::string p = pointer + "/Policy";
    if (it->is_string()) return parse_policy_string(it->get<std::string>(), file, p);  // e.g. lambda get-policy
    if (!it->is_object()) throw InputError(file, p, std::string("expected an object, got ") + type_name(*it));
    auto c = it->find("Content");
    if (c == it->end()) throw InputError(file, p, "missing \"Content\"");
    if (!c->is_string()) {
      throw InputError(file, p + "/Content", std::string("expected a string, got ") + type_name(*c));
    }
    return parse_policy_string(c->get<std::string>(), file, p + "/Content");
  }
  if (auto it = j.find("VpcEndpoints"); it != j.end()) {
    const std::string p = pointer + "/VpcEndpoints";
    if (!it->is_array()) throw InputError(file, p, std::string("expected an array, got ") + type_name(*it));
    if (it->size() != 1) {
      throw InputError(file, p, "expected exactly one endpoint, got " + std::to_string(it->size()));
    }
    const json& ep = (*it)[0];
    if (!ep.is_object()) throw InputError(file, p + "/0", std::string("expected an object, got ") + type_name(ep));
    auto d = ep.find("PolicyDocument");
    if (d == ep.end() || d->is_null()) return default_endpoint_policy();  // AWS's default full access
    return parse_policy_json(*d, file, p + "/0/PolicyDocument");
  }
  throw InputError(file, pointer,
                   "not a policy document: expected \"Statement\", or an AWS CLI output that wraps one "
                   "(\"PolicyVersion\", \"PolicyDocument\", \"Policy\", \"VpcEndpoints\")");
}

PolicyDocument parse_policy_file_content(const std::string& text, const std::string& file) {
  json j = parse_json_text(text, file);
  return parse_policy_json(j, file, "");
}

}  // namespace vpcgate::model
