// policy_from_simdjson (analyzer/cli/simdjson_policy.cpp) against model::parse_policy_json, the
// grammar it follows: whenever it gives a document, parse_policy_json gives the same one for the
// same JSON text; it takes every plain document (the 1,594 AWS managed documents among them)
// and gives up on anything it does not check itself. Randomly changed documents, too.
#include <algorithm>
#include <fstream>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <simdjson.h>

#include "analyzer/cli/simdjson_policy.hpp"
#include "model/policy.hpp"

namespace {

using nlohmann::json;
using ordered = nlohmann::ordered_json;  // keeps the members' order of the text: the reader must sort them as nlohmann's json does
using vpcgate::model::PolicyDocument;

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Every field, as text: equal texts, equal documents.
std::string describe(const PolicyDocument& d) {
  std::ostringstream o;
  auto list = [&](const std::vector<std::string>& v) {
    o << "[";
    for (const auto& s : v) o << json(s).dump() << ",";
    o << "]";
  };
  auto principal = [&](const std::optional<vpcgate::model::PrincipalSpec>& p) {
    if (!p) {
      o << "none";
      return;
    }
    o << "wildcard=" << p->wildcard << "{";
    for (const auto& [type, values] : p->by_type) {
      o << type << ":";
      list(values);
    }
    o << "}";
  };
  o << "version=" << d.version << " id=" << (d.id ? json(*d.id).dump() : "none") << "\n";
  for (const auto& s : d.statements) {
    o << "statement " << s.index << " " << s.pointer << " sid=" << (s.sid ? json(*s.sid).dump() : "none")
      << " effect=" << static_cast<int>(s.effect) << " principal=";
    principal(s.principal);
    o << " not_principal=";
    principal(s.not_principal);
    o << " not_action=" << s.not_action << " actions=";
    list(s.actions);
    o << " has_resource=" << s.has_resource << " not_resource=" << s.not_resource << " resources=";
    list(s.resources);
    o << "\n";
    for (const auto& c : s.conditions) {
      o << "  condition " << json(c.operator_text).dump() << " op=" << static_cast<int>(c.op)
        << " qualifier=" << static_cast<int>(c.qualifier) << " if_exists=" << c.if_exists << " key=" << json(c.key).dump()
        << " values=";
      list(c.values);
      o << "\n";
    }
  }
  return o.str();
}

// The reader's document for `text`, or nullopt (it gave up, or simdjson rejected the text).
std::optional<PolicyDocument> fast(simdjson::dom::parser& parser, const std::string& text) {
  simdjson::dom::element root;
  if (parser.parse(text).get(root) != simdjson::SUCCESS) return std::nullopt;
  return vpcgate::cli::policy_from_simdjson(root);
}

// model::parse_policy_json's document for `text`, or nullopt on any error.
std::optional<PolicyDocument> exact(const std::string& text) {
  try {
    return vpcgate::model::parse_policy_json(vpcgate::model::parse_json_text(text, ""), "", "");
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

bool has_number(const ordered& j) {
  if (j.is_number()) return true;
  if (j.is_object() || j.is_array()) {
    for (const auto& v : j) {
      if (has_number(v)) return true;
    }
  }
  return false;
}

// Checks one text; returns whether the reader took it.
bool check(simdjson::dom::parser& parser, const std::string& text) {
  const auto got = fast(parser, text);
  if (!got) return false;
  const auto want = exact(text);
  EXPECT_TRUE(want.has_value()) << "the reader took a document model::parse_policy_json rejects: " << text;
  if (want) {
    EXPECT_EQ(describe(*got), describe(*want)) << text;
  }
  return true;
}

TEST(SimdjsonPolicy, AwsManagedDocuments) {
  const auto managed = ordered::parse(slurp(std::string(VPCGATE_SOURCE_DIR) + "/data/aws-managed-policies.json"));
  simdjson::dom::parser parser;
  std::size_t taken = 0;
  std::size_t numbers = 0;
  for (const auto& [arn, policy] : managed.at("policies").items()) {
    const std::string text = policy.at("document").dump();
    if (check(parser, text)) {
      ++taken;
    } else if (has_number(policy.at("document")) && exact(text)) {
      ++numbers;  // the reader leaves numbers to nlohmann
    } else {
      ADD_FAILURE() << arn << ": not taken";
    }
  }
  EXPECT_GT(taken, 1500u);
  EXPECT_EQ(taken + numbers, managed.at("policies").size());
}

TEST(SimdjsonPolicy, EdgeCases) {
  simdjson::dom::parser parser;
  // Taken: the reader gives the document (and it must equal parse_policy_json's).
  const std::vector<std::string> taken = {
      R"({"Statement": []})",
      R"({"Version": "2008-10-17", "Id": "x", "Statement": {"Effect": "Deny", "NotAction": [], "NotResource": "a"}})",
      R"({"Statement": [{"Sid": "", "Effect": "Allow", "Action": "*"}, {"Effect": "Allow", "Action": ["a", "b"], "Resource": []}]})",
      R"({"Statement": {"Effect": "Allow", "Action": "*", "Principal": "*"}})",
      R"({"Statement": {"Effect": "Allow", "Action": "*", "NotPrincipal": {"AWS": ["a", "b"], "Service": "s", "Federated": [], "CanonicalUser": "c"}}})",
      R"({"Statement": {"Effect": "Allow", "Action": "*", "Id": "i"}})",
      R"({"Statement": {"Effect": "Allow", "Action": "*", "Id": null}})",
      R"({"Statement": {"Effect": "Allow", "Action": "*", "Id": true}})",
      R"({"Statement": {"Effect": "Allow", "Action": "*", "Condition": {}}})",
      R"({"Statement": {"Effect": "Allow", "Action": "*", "Condition": {"StringEquals": {}}}})",
      R"({"Statement": {"Effect": "Allow", "Action": "*", "Condition": {"stringequalsifexists": {"b": "1", "a": ["x", true, false]}, "ForAnyValue:StringLike": {"k": []}, "forallvalues:ArnNotLikeIfExists": {"k": "v"}, "Null": {"n": ["TRUE", "false"]}, "Bool": {"aws:SecureTransport": false}}}})",
      R"({"Statement": {"Effect": "Allow", "Action": "*", "Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}, "DateLessThan": {"aws:CurrentTime": "2030-01-01T00:00:00Z"}}}})",
      R"({"Statement": {"Effect": "Allow", "Action": "\u0073\u0033:*", "Resource": "\ud83d\ude00 \"q\" \\ \/"}})",
      "{\"Statement\": {\"Sid\": \"\xc3\xa9\", \"Effect\": \"Allow\", \"Action\": \"*\"}}",
  };
  for (const auto& text : taken) EXPECT_TRUE(check(parser, text)) << "not taken: " << text;
  // Given up (parse_policy_json decides: a document, or an error).
  const std::vector<std::string> left = {
      R"("{\"Statement\": []}")",
      R"({"PolicyVersion": {"Document": {"Statement": []}}})",
      R"({"PolicyDocument": {"Statement": []}})",
      R"({"Statement": {"Effect": "Allow", "Action": "*", "Condition": {"NumericLessThan": {"k": 1}}}})",
      R"({"Statement": {"Effect": "Allow", "Action": "*", "Condition": {"NumericLessThan": {"k": [1.0]}}}})",
      R"({"Statement": {"Effect": "Allow", "Action": "*", "Id": 5}})",
      R"({"Statement": {"Effect": "Allow", "Action": "*", "Id": {"a": 1, "a": 2}}})",
      R"({"Statement": {"Effect": "Allow", "Action": "*", "Id": [[[]]]}})",
      R"({"Statement": {"Effect": "Allow", "Effect": "Allow", "Action": "*"}})",
      R"({"Statement": [], "Statement": []})",
      R"({"Statement": {"Effect": "Allow", "Action": "*", "Condition": {"StringEquals": {"k": "a", "k": "b"}}}})",
      R"({"Statement": {"Effect": "Allow", "Action": "*", "Principal": {"AWS": "a", "AWS": "b"}}})",
      R"({"Statement": {"Effect": "Allow", "Action": "*", "Condition": {"NullIfExists": {"k": "true"}}}})",
      R"({"Statement": {"Effect": "Allow", "Action": "*", "Condition": {"Null": {"k": "yes"}}}})",
      R"({"Statement": {"Effect": "Allow", "Action": "*", "Condition": {"StringEqualz": {"k": "v"}}}})",
      R"({"Statement": {"Effect": "Allow", "Action": "*", "Condition": {"ForAnyValue:": {}}}})",
      R"({"Statement": {"Effect": "Allow", "Action": "*", "Condition": {"IfExists": {}}}})",
      R"({"Statement": {"Effect": "Allow", "Action": "*", "Condition": {"StringEquals": {"k": null}}}})",
      R"({"Statement": {"Effect": "Allow", "Action": "*", "Principal": "x"}})",
      R"({"Statement": {"Effect": "Allow", "Action": "*", "Principal": {"User": "x"}}})",
      R"({"Statement": {"Effect": "Allow", "Action": "*", "Principal": "*", "NotPrincipal": "*"}})",
      R"({"Statement": {"Effect": "Allow", "Action": "*", "NotAction": "*"}})",
      R"({"Statement": {"Effect": "Allow"}})",
      R"({"Statement": {"Effect": "Allow", "Action": [1]}})",
      R"({"Statement": {"Effect": "allow", "Action": "*"}})",
      R"({"Statement": {"Action": "*"}})",
      R"({"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*", "NotResource": "*"}})",
      R"({"Statement": {"Effect": "Allow", "Action": "*", "Extra": 1}})",
      R"({"Version": "2012-10-18", "Statement": []})",
      R"({"Version": 2012, "Statement": []})",
      R"({"Id": 1, "Statement": []})",
      R"({"Statement": [], "Other": 1})",
      R"({"Statement": "x"})",
      R"({"Statement": [5]})",
      R"([])",
  };
  for (const auto& text : left) EXPECT_FALSE(fast(parser, text).has_value()) << "taken: " << text;
}

// Random changes to documents: a value replaced (by another kind, another known name's value),
// a member removed, added or given twice, a name's case changed.
TEST(SimdjsonPolicy, RandomlyChangedDocuments) {
  const auto managed = ordered::parse(slurp(std::string(VPCGATE_SOURCE_DIR) + "/data/aws-managed-policies.json"));
  std::vector<ordered> seeds = {
      ordered::parse(R"({"Version": "2012-10-17", "Statement": [{"Sid": "A", "Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::1:root"]}, "Action": ["s3:Get*", "sagemaker:*"], "Resource": "*", "Condition": {"StringEquals": {"aws:SourceVpce": ["vpce-1", "vpce-2"]}, "Bool": {"aws:SecureTransport": "true"}, "Null": {"aws:SourceVpc": "false"}}}, {"Effect": "Deny", "NotAction": "iam:*", "NotResource": ["arn:aws:s3:::b/*"], "Condition": {"ForAnyValue:StringLikeIfExists": {"aws:TagKeys": "t*"}}}]})"),
      managed.at("policies").at("arn:aws:iam::aws:policy/AmazonSageMakerFullAccess").at("document"),
  };
  const std::vector<ordered> pool = {"Allow", "Deny", "*", "x", "2012-10-17", "StringEquals", "AWS", 1, 1.5, true, false,
                                     nullptr, ordered::array(), ordered::object(), ordered::array({"a", "b"}), ordered::array({1}),
                                     ordered{{"AWS", "x"}}, ordered{{"StringEquals", {{"k", "v"}}}}, ordered{{"k", ordered::array({true})}}};
  const std::vector<std::string> names = {"Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource",
                                          "NotResource", "Condition", "Id", "Version", "Statement", "Null", "Bool",
                                          "StringLike", "NullIfExists", "ForAllValues:StringEquals", "AWS", "Service", "k"};
  std::mt19937 rng(6);
  auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
  simdjson::dom::parser parser;
  std::size_t taken = 0;
  for (int round = 0; round < 4000; ++round) {
    ordered doc = seeds[pick(seeds.size())];
    std::string duplicate;
    for (int change = 0, changes = 1 + static_cast<int>(pick(3)); change < changes; ++change) {
      // A random node, reached by a random walk from the root.
      ordered* node = &doc;
      for (int depth = 0; depth < 6 && (node->is_object() || node->is_array()) && !node->empty() && pick(4) != 0; ++depth) {
        auto it = node->begin();
        std::advance(it, static_cast<long>(pick(node->size())));
        node = &*it;
      }
      switch (pick(6)) {
        case 0: *node = pool[pick(pool.size())]; break;
        case 1:
          if (node->is_object() && !node->empty()) {
            auto it = node->begin();
            std::advance(it, static_cast<long>(pick(node->size())));
            node->erase(it);
          }
          break;
        case 2:
          if (node->is_object()) (*node)[names[pick(names.size())]] = pool[pick(pool.size())];
          break;
        case 3:
          if (node->is_object() && !node->empty()) {
            auto it = node->begin();
            std::advance(it, static_cast<long>(pick(node->size())));
            std::string name = it.key();
            for (char& c : name) c = static_cast<char>(pick(2) ? std::tolower(static_cast<unsigned char>(c)) : std::toupper(static_cast<unsigned char>(c)));
            ordered value = it.value();
            node->erase(it);
            (*node)[name] = value;
          }
          break;
        case 4:
          if (node->is_object() && !node->empty()) duplicate = node->begin().key();
          break;
        default:
          if (node->is_object()) {  // the members in another order
            std::vector<std::pair<std::string, ordered>> members;
            for (auto it = node->begin(); it != node->end(); ++it) members.emplace_back(it.key(), it.value());
            std::shuffle(members.begin(), members.end(), rng);
            ordered shuffled = ordered::object();
            for (auto& [name, value] : members) shuffled[name] = std::move(value);
            *node = std::move(shuffled);
          }
          break;
      }
    }
    std::string text = doc.dump();
    if (!duplicate.empty()) {
      // The first copy of that name gets a second one, with the same value.
      const std::string quoted = json(duplicate).dump() + ":";
      if (auto at = text.find(quoted); at != std::string::npos) text.insert(at, quoted + "null,");
    }
    if (check(parser, text)) ++taken;
  }
  EXPECT_GT(taken, 500u);  // the comparison ran on many documents the reader took
}

}  // namespace
