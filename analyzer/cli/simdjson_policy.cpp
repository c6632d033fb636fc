// A policy document straight from simdjson's DOM: model/policy.cpp's grammar, for the documents
// it accepts (see simdjson_policy.hpp). Each function names its model/policy.cpp counterpart.
#include "analyzer/cli/simdjson_policy.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace vpcgate::cli {
namespace {

using model::ConditionOperator;
using simdjson::dom::element;
using simdjson::dom::element_type;

// Not a document this reader takes: model::parse_policy_json decides.
struct GiveUp {};

[[noreturn]] void give_up() { throw GiveUp{}; }

std::string_view string_of(element e) {
  if (e.type() != element_type::STRING) give_up();
  return e.get_string().value_unsafe();
}

// An object's members in the order nlohmann's object iterates them (bytewise order of the
// names); a name given twice is an error of model::parse_json_text.
std::vector<std::pair<std::string_view, element>> members_of(element e) {
  if (e.type() != element_type::OBJECT) give_up();
  std::vector<std::pair<std::string_view, element>> out;
  const simdjson::dom::object object = e.get_object().value_unsafe();
  for (auto field : object) out.emplace_back(field.key, field.value);
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (std::size_t i = 1; i < out.size(); ++i) {
    if (out[i].first == out[i - 1].first) give_up();
  }
  return out;
}

const element* find(const std::vector<std::pair<std::string_view, element>>& members, std::string_view name) {
  for (const auto& [key, value] : members) {
    if (key == name) return &value;
  }
  return nullptr;
}



// parse_operator
void read_operator(std::string_view text, model::Condition& c) {
  if (model::read_condition_operator(text, c)) give_up();  // unknown operator, NullIfExists
}

// scalar_text, without numbers
std::string scalar_text(element v) {
  if (v.type() == element_type::STRING) return std::string(v.get_string().value_unsafe());
  if (v.type() == element_type::BOOL) return v.get_bool().value_unsafe() ? "true" : "false";
  give_up();
}

// string_or_list
std::vector<std::string> string_or_list(element e) {
  std::vector<std::string> out;
  if (e.type() == element_type::STRING) {
    out.emplace_back(e.get_string().value_unsafe());
    return out;
  }
  if (e.type() != element_type::ARRAY) give_up();
  const simdjson::dom::array array = e.get_array().value_unsafe();
  for (element v : array) out.emplace_back(string_of(v));
  return out;
}

// parse_principal
model::PrincipalSpec read_principal(element e) {
  model::PrincipalSpec spec;
  if (e.type() == element_type::STRING) {
    if (e.get_string().value_unsafe() != "*") give_up();
    spec.wildcard = true;
    return spec;
  }
  for (const auto& [type, values] : members_of(e)) {
    if (type != "AWS" && type != "Service" && type != "Federated" && type != "CanonicalUser") give_up();
    auto list = string_or_list(values);
    auto& slot = spec.by_type[std::string(type)];
    slot.insert(slot.end(), std::make_move_iterator(list.begin()), std::make_move_iterator(list.end()));
  }
  return spec;
}

// parse_conditions
std::vector<model::Condition> read_conditions(element e) {
  std::vector<model::Condition> out;
  for (const auto& [op_text, block] : members_of(e)) {
    model::Condition proto;
    proto.operator_text = std::string(op_text);
    read_operator(op_text, proto);
    for (const auto& [key, values] : members_of(block)) {
      model::Condition c = proto;
      c.key = std::string(key);
      if (values.type() == element_type::ARRAY) {
        const simdjson::dom::array array = values.get_array().value_unsafe();
        for (element v : array) c.values.push_back(scalar_text(v));
      } else {
        c.values.push_back(scalar_text(values));
      }
      if (c.op == ConditionOperator::Null) {
        for (const auto& v : c.values) {
          if (!model::iequals(v, "true") && !model::iequals(v, "false")) give_up();
        }
      }
      out.push_back(std::move(c));
    }
  }
  return out;
}

// parse_statement
model::Statement read_statement(element e, std::string pointer, std::size_t index) {
  model::Statement s;
  s.index = index;
  s.pointer = std::move(pointer);
  const auto members = members_of(e);
  for (const auto& [key, value] : members) {
    static constexpr std::array<std::string_view, 10> kKnown{
        "Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource",
        "NotResource", "Condition", "Id"};
    if (std::find(kKnown.begin(), kKnown.end(), key) == kKnown.end()) give_up();
    // "Id" is taken whatever it holds, and not read: a number or a container there could hide
    // what this reader does not check (a number out of nlohmann's range, nesting depth, a
    // member twice).
    if (key == "Id" && value.type() != element_type::STRING && value.type() != element_type::BOOL &&
        value.type() != element_type::NULL_VALUE) {
      give_up();
    }
  }
  if (const element* sid = find(members, "Sid")) s.sid = std::string(string_of(*sid));
  const element* effect = find(members, "Effect");
  if (effect == nullptr) give_up();
  const std::string_view effect_text = string_of(*effect);
  if (effect_text == "Allow") {
    s.effect = model::Effect::Allow;
  } else if (effect_text == "Deny") {
    s.effect = model::Effect::Deny;
  } else {
    give_up();
  }

  const element* principal = find(members, "Principal");
  const element* not_principal = find(members, "NotPrincipal");
  if (principal != nullptr && not_principal != nullptr) give_up();
  if (principal != nullptr) s.principal = read_principal(*principal);
  if (not_principal != nullptr) s.not_principal = read_principal(*not_principal);

  const element* action = find(members, "Action");
  const element* not_action = find(members, "NotAction");
  if ((action != nullptr) == (not_action != nullptr)) give_up();  // both, or neither
  s.not_action = not_action != nullptr;
  s.actions = string_or_list(action != nullptr ? *action : *not_action);

  const element* resource = find(members, "Resource");
  const element* not_resource = find(members, "NotResource");
  if (resource != nullptr && not_resource != nullptr) give_up();
  s.has_resource = resource != nullptr || not_resource != nullptr;
  s.not_resource = not_resource != nullptr;
  if (s.has_resource) s.resources = string_or_list(resource != nullptr ? *resource : *not_resource);

  if (const element* condition = find(members, "Condition")) s.conditions = read_conditions(*condition);
  return s;
}

// parse_policy_json, for a document with "Statement" (parse_document)
model::PolicyDocument read_document(element e) {
  model::PolicyDocument out;
  const auto members = members_of(e);  // a JSON string, or not an object: give up
  const element* statement = find(members, "Statement");
  if (statement == nullptr) give_up();  // an AWS CLI wrapper, or an error
  for (const auto& [key, value] : members) {
    if (key != "Version" && key != "Id" && key != "Statement") give_up();
  }
  if (const element* version = find(members, "Version")) {
    out.version = std::string(string_of(*version));
    if (out.version != "2012-10-17" && out.version != "2008-10-17") give_up();
  }
  if (const element* id = find(members, "Id")) out.id = std::string(string_of(*id));
  if (statement->type() == element_type::OBJECT) {
    out.statements.push_back(read_statement(*statement, "/Statement", 0));
  } else if (statement->type() == element_type::ARRAY) {
    std::size_t i = 0;
    const simdjson::dom::array array = statement->get_array().value_unsafe();
    for (element s : array) {
      out.statements.push_back(read_statement(s, "/Statement/" + std::to_string(i), i));
      ++i;
    }
  } else {
    give_up();
  }
  return out;
}

}  // namespace

std::optional<model::PolicyDocument> policy_from_simdjson(element doc) {
  try {
    return read_document(doc);
  } catch (const GiveUp&) {
    return std::nullopt;
  }
}

}  // namespace vpcgate::cli
