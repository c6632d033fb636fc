#include "analyzer/loader/json_node.hpp"

#include <algorithm>
#include <charconv>

#include "model/input_error.hpp"

namespace vpcgate::loader::detail {

using simdjson::dom::element;
using simdjson::dom::element_type;

std::string pointer_escape(std::string_view key) {
  std::string out;
  out.reserve(key.size());
  for (char c : key) {
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

std::string json_type_name(element e) {
  switch (e.type()) {
    case element_type::OBJECT: return "an object";
    case element_type::ARRAY: return "an array";
    case element_type::STRING: return "a string";
    case element_type::INT64:
    case element_type::UINT64:
    case element_type::DOUBLE: return "a number";
    case element_type::BOOL: return "a boolean";
    case element_type::NULL_VALUE: return "null";
  }
  return "a value";
}

void Node::fail(const std::string& message) const {
  throw model::InputError(*file_, pointer_, message);
}

std::string Node::as_string() const {
  std::string_view s;
  if (e_.get_string().get(s) != simdjson::SUCCESS) fail("expected a string, got " + json_type_name(e_));
  return std::string(s);
}

bool Node::as_bool() const {
  bool b = false;
  if (e_.get_bool().get(b) != simdjson::SUCCESS) fail("expected a boolean, got " + json_type_name(e_));
  return b;
}

std::int64_t Node::as_int() const {
  std::int64_t v = 0;
  if (e_.get_int64().get(v) != simdjson::SUCCESS) fail("expected an integer, got " + json_type_name(e_));
  return v;
}

std::optional<Node> Node::get(std::string_view key) const {
  simdjson::dom::object obj;
  if (e_.get_object().get(obj) != simdjson::SUCCESS) fail("expected an object, got " + json_type_name(e_));
  std::optional<Node> found;
  for (auto field : obj) {
    if (field.key != key) continue;
    std::string child = pointer_ + "/" + pointer_escape(key);
    if (found) throw model::InputError(*file_, child, "duplicate member");
    found.emplace(field.value, std::move(child), *file_);
  }
  return found;
}

bool Node::has(std::string_view key) const { return get(key).has_value(); }

Node Node::require(std::string_view key) const {
  auto n = get(key);
  if (!n) throw model::InputError(*file_, pointer_ + "/" + pointer_escape(key), "required member missing");
  return *n;
}

void Node::require_all(std::initializer_list<std::string_view> keys) const {
  for (auto k : keys) (void)require(k);
}

std::string Node::string(std::string_view key) const { return require(key).as_string(); }

std::optional<std::string> Node::opt_string(std::string_view key) const {
  auto n = get(key);
  if (!n) return std::nullopt;
  return n->as_string();
}

std::string Node::string_or(std::string_view key, std::string fallback) const {
  auto n = get(key);
  if (!n) return fallback;
  return n->as_string();
}

std::optional<bool> Node::opt_bool(std::string_view key) const {
  auto n = get(key);
  if (!n) return std::nullopt;
  return n->as_bool();
}

std::optional<int> Node::opt_int(std::string_view key) const {
  auto n = get(key);
  if (!n) return std::nullopt;
  auto v = n->as_int();
  if (v < INT32_MIN || v > INT32_MAX) n->fail("integer out of range");
  return static_cast<int>(v);
}

std::vector<std::string> Node::strings(std::string_view key) const {
  std::vector<std::string> out;
  for (const auto& item : items(key)) out.push_back(item.as_string());
  return out;
}

std::vector<Node> Node::items() const {
  simdjson::dom::array arr;
  if (e_.get_array().get(arr) != simdjson::SUCCESS) fail("expected an array, got " + json_type_name(e_));
  std::vector<Node> out;
  out.reserve(arr.size());
  std::size_t i = 0;
  for (auto v : arr) out.emplace_back(v, pointer_ + "/" + std::to_string(i++), *file_);
  return out;
}

std::vector<Node> Node::items(std::string_view key) const {
  auto n = get(key);
  if (!n) return {};
  return n->items();
}

nlohmann::json to_nlohmann(const Node& node) {
  element e = node.raw();
  switch (e.type()) {
    case element_type::OBJECT: {
      nlohmann::json out = nlohmann::json::object();
      simdjson::dom::object obj = e.get_object().value_unsafe();
      for (auto field : obj) {
        std::string key(field.key);
        Node child(field.value, node.pointer() + "/" + pointer_escape(key), node.file());
        if (out.contains(key)) child.fail("duplicate member");
        out.emplace(std::move(key), to_nlohmann(child));
      }
      return out;
    }
    case element_type::ARRAY: {
      nlohmann::json out = nlohmann::json::array();
      std::size_t i = 0;
      simdjson::dom::array arr = e.get_array().value_unsafe();
      for (auto v : arr) {
        out.push_back(to_nlohmann(Node(v, node.pointer() + "/" + std::to_string(i++), node.file())));
      }
      return out;
    }
    case element_type::STRING: return std::string(e.get_string().value_unsafe());
    case element_type::INT64: return e.get_int64().value_unsafe();
    case element_type::UINT64: return e.get_uint64().value_unsafe();
    case element_type::DOUBLE: return e.get_double().value_unsafe();
    case element_type::BOOL: return e.get_bool().value_unsafe();
    case element_type::NULL_VALUE: return nullptr;
  }
  return nullptr;
}

namespace {
void append_string(std::string_view s, std::string& out) {
  out += '"';
  // Runs of characters that need no escape are appended at once (most strings are one run).
  std::size_t run = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c != '"' && c != '\\' && static_cast<unsigned char>(c) >= 0x20) continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          static const char hex[] = "0123456789abcdef";
          out += "\\u00";
          out += hex[(c >> 4) & 0xf];
          out += hex[c & 0xf];
        }
    }
  }
  out.append(s.data() + run, s.size() - run);
  out += '"';
}
}  // namespace

void append_canonical(element e, std::string& out) {
  switch (e.type()) {
    case element_type::OBJECT: {
      std::vector<std::pair<std::string_view, element>> fields;
      simdjson::dom::object obj = e.get_object().value_unsafe();
      for (auto field : obj) fields.emplace_back(field.key, field.value);
      std::stable_sort(fields.begin(), fields.end(),
                       [](const auto& a, const auto& b) { return a.first < b.first; });
      out += '{';
      bool first = true;
      for (const auto& [k, v] : fields) {
        if (!first) out += ',';
        first = false;
        append_string(k, out);
        out += ':';
        append_canonical(v, out);
      }
      out += '}';
      return;
    }
    case element_type::ARRAY: {
      out += '[';
      bool first = true;
      simdjson::dom::array arr = e.get_array().value_unsafe();
      for (auto v : arr) {
        if (!first) out += ',';
        first = false;
        append_canonical(v, out);
      }
      out += ']';
      return;
    }
    case element_type::STRING: append_string(e.get_string().value_unsafe(), out); return;
    case element_type::INT64: out += std::to_string(e.get_int64().value_unsafe()); return;
    case element_type::UINT64: out += std::to_string(e.get_uint64().value_unsafe()); return;
    case element_type::DOUBLE: {
      char buf[64];
      auto res = std::to_chars(buf, buf + sizeof buf, e.get_double().value_unsafe());
      out.append(buf, res.ptr);
      return;
    }
    case element_type::BOOL: out += e.get_bool().value_unsafe() ? "true" : "false"; return;
    case element_type::NULL_VALUE: out += "null"; return;
  }
}

std::string fingerprint(const Node& object, std::initializer_list<std::string_view> members) {
  std::string out;
  for (auto key : members) {
    auto n = object.get(key);
    if (!n) continue;
    append_string(key, out);
    out += ':';
    append_canonical(n->raw(), out);
    out += ';';
  }
  return out;
}

}  // namespace vpcgate::loader::detail
