#include "analyzer/cli/suppressions.hpp"

#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "model/input_error.hpp"

namespace vpcgate::cli {
namespace {

bool valid_date(const std::string& d) {
  if (d.size() != 10 || d[4] != '-' || d[7] != '-') return false;
  for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u})
    if (d[i] < '0' || d[i] > '9') return false;
  int month = std::stoi(d.substr(5, 2));
  int day = std::stoi(d.substr(8, 2));
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

std::string where(const YAML::Node& n) {
  auto m = n.Mark();
  if (m.line < 0) return "";
  return fmt::format("line {}, column {}", m.line + 1, m.column + 1);
}

std::string scalar(const std::string& file, const YAML::Node& entry, const char* key, std::size_t i) {
  const YAML::Node v = entry[key];
  if (!v.IsDefined() || v.IsNull())
    throw model::InputError(file, where(entry), fmt::format("/suppressions/{}/{}: missing", i, key));
  if (!v.IsScalar())
    throw model::InputError(file, where(v), fmt::format("/suppressions/{}/{}: expected a string", i, key));
  return v.as<std::string>();
}

}  // namespace

std::vector<SuppressionRule> load_suppressions(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw model::InputError(file, "", "cannot read the suppressions file");
  std::stringstream buf;
  buf << in.rdbuf();
  YAML::Node root;
  try {
    root = YAML::Load(buf.str());
  } catch (const YAML::Exception& e) {
    throw model::InputError(file, fmt::format("line {}, column {}", e.mark.line + 1, e.mark.column + 1), e.msg);
  }
  std::vector<SuppressionRule> out;
  try {
  if (!root || root.IsNull()) return out;
  if (!root.IsMap()) throw model::InputError(file, where(root), "expected a mapping with a \"suppressions\" list");
  const YAML::Node list = root["suppressions"];
  if (!list.IsDefined() || list.IsNull()) return out;
  if (!list.IsSequence()) throw model::InputError(file, where(list), "/suppressions: expected a list");
  for (std::size_t i = 0; i < list.size(); ++i) {
    const YAML::Node e = list[i];
    if (!e.IsMap()) throw model::InputError(file, where(e), fmt::format("/suppressions/{}: expected a mapping", i));
    SuppressionRule r;
    r.loc.file = file;
    r.loc.line = e.Mark().line + 1;
    r.check = scalar(file, e, "check", i);
    if (e["resource"].IsDefined() && !e["resource"].IsNull()) r.resource = scalar(file, e, "resource", i);
    if (e["principal"].IsDefined() && !e["principal"].IsNull()) r.principal = scalar(file, e, "principal", i);
    r.reason = scalar(file, e, "reason", i);
    if (r.reason.empty()) throw model::InputError(file, where(e), fmt::format("/suppressions/{}/reason: a reason is required", i));
    if (e["expires"].IsDefined() && !e["expires"].IsNull()) {
      r.expires = scalar(file, e, "expires", i);
      if (!valid_date(r.expires))
        throw model::InputError(file, where(e["expires"]),
                                fmt::format("/suppressions/{}/expires: expected a date YYYY-MM-DD, got \"{}\"", i, r.expires));
    }
    out.push_back(std::move(r));
  }
  } catch (const YAML::Exception& e) {
    throw model::InputError(file, fmt::format("line {}, column {}", e.mark.line + 1, e.mark.column + 1), e.msg);
  }
  return out;
}

bool glob_match(const std::string& pattern, const std::string& text) {
  // Split on '*': first piece is a prefix, last a suffix, the middle ones found leftmost.
  std::vector<std::string> parts;
  std::string cur;
  for (char c : pattern) {
    if (c == '*') {
      parts.push_back(cur);
      cur.clear();
    } else {
      cur.push_back(c);
    }
  }
  parts.push_back(cur);
  if (parts.size() == 1) return pattern == text;
  const std::string& first = parts.front();
  const std::string& last = parts.back();
  if (text.size() < first.size() + last.size()) return false;
  if (text.compare(0, first.size(), first) != 0) return false;
  if (text.compare(text.size() - last.size(), last.size(), last) != 0) return false;
  std::size_t pos = first.size();
  std::size_t end = text.size() - last.size();
  for (std::size_t i = 1; i + 1 < parts.size(); ++i) {
    if (parts[i].empty()) continue;
    auto found = text.find(parts[i], pos);
    if (found == std::string::npos || found + parts[i].size() > end) return false;
    pos = found + parts[i].size();
  }
  return true;
}

bool suppression_matches(const SuppressionRule& rule, const checks::Finding& f) {
  if (rule.check != f.check && rule.check != "*") return false;
  if (rule.resource && !glob_match(*rule.resource, f.resource)) return false;
  if (rule.principal) {
    if (!f.principal || !glob_match(*rule.principal, *f.principal)) return false;
  }
  return true;
}

bool suppression_expired(const SuppressionRule& rule, const std::string& today) {
  return !rule.expires.empty() && today > rule.expires;
}

}  // namespace vpcgate::cli
