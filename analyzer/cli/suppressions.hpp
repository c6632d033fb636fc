#pragma once
// The suppressions file (`--config`, YAML or JSON):
// {"suppressions": [{"check": "ID", "resource": "glob", "principal": "glob",
//                    "reason": "required text", "expires": "YYYY-MM-DD"}]}
#include <optional>
#include <string>
#include <vector>

#include "analyzer/checks/check.hpp"

namespace vpcgate::cli {

struct SuppressionRule {
  std::string check;
  std::optional<std::string> resource;   // glob: `*` matches any run of characters
  std::optional<std::string> principal;  // glob
  std::string reason;
  std::string expires;  // "" = never; the last day it applies (UTC)
  model::SourceLoc loc;
};

// Throws model::InputError naming the file and the line.
std::vector<SuppressionRule> load_suppressions(const std::string& file);

// Does the rule match the finding (ignoring expiry)?
bool suppression_matches(const SuppressionRule& rule, const checks::Finding& f);

// Is the rule past its expiry date on `today` (YYYY-MM-DD)?
bool suppression_expired(const SuppressionRule& rule, const std::string& today);

// `*`-only glob, linear time.
bool glob_match(const std::string& pattern, const std::string& text);

}  // namespace vpcgate::cli
