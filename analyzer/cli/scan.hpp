#pragma once
// The scan pipeline: load -> graph -> checks -> findings -> report.
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "analyzer/checks/check.hpp"
#include "analyzer/report/report.hpp"

namespace vpcgate::cli {

struct ScanRequest {
  std::vector<std::string> paths;
  std::vector<std::string> approved_vpces, approved_vpcs, trusted_accounts;
  std::optional<std::string> org_id;
  std::optional<std::set<std::string>> only_checks;  // --checks
  std::set<std::string> skip_checks;                 // --skip-checks
  std::optional<std::string> baseline_file;
  std::optional<std::string> config_file;            // suppressions
  std::string today;                                 // YYYY-MM-DD (UTC)
};

struct ScanResult {
  report::Report report;
};

// Runs the whole pipeline; throws model::InputError / UsageError.
ScanResult run_scan(const ScanRequest& request);

// Today's date in UTC as YYYY-MM-DD (VPCGATE_TODAY overrides it, for tests).
std::string today_utc();

}  // namespace vpcgate::cli
