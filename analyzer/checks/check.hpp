#pragma once
// What a check is and what it produces. One check = one file pair in this folder, registered
// in registry.cpp, documented in docs/checks.md, with fixtures under fixtures/checks/<id>/.
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analyzer/graph/graph.hpp"
#include "model/account.hpp"

namespace vpcgate::checks {

using Json = nlohmann::ordered_json;

enum class Severity { Critical, High, Medium, Low };
const char* to_string(Severity s);  // "critical", "high", "medium", "low"
std::optional<Severity> severity_from_string(const std::string& s);

struct CheckInfo {
  std::string id;  // kebab-case, stable
  Severity severity = Severity::Medium;
  std::string title;
};

struct Finding {
  std::string check;
  Severity severity = Severity::Medium;
  std::string resource;
  std::optional<std::string> principal;
  std::string title;
  std::string detail;
  Json evidence = Json::object();
  model::SourceLoc location;
  std::string remediation;
  // For the rows whose id includes the service (vpc-endpoint-missing): NUL + service.
  std::optional<std::string> id_service;
};

// Options of `scan` that checks read, resolved by the scan command before checks run.
struct ScanOptions {
  std::set<std::string> approved_vpces;   // --approved-vpce, default: sagemaker.api endpoints
  std::set<std::string> approved_vpcs;    // --approved-vpc, default: VPCs of approved endpoints
  std::set<std::string> trusted_accounts; // input accounts + --trusted-account
  std::optional<std::string> org_id;      // --org-id, else from SCP ARNs
  // Budget of the exact presigned-URL search (concrete evaluations per decision).
  std::size_t search_budget = 200000;
};

// Collects findings and notes from checks (thread-safe).
class FindingSink {
 public:
  void add(Finding f);
  // A line for the text report's notes (e.g. routes not followed); de-duplicated, sorted.
  void note(std::string text);
  std::vector<Finding> take_findings();
  std::vector<std::string> notes() const;

 private:
  mutable std::mutex mu_;
  std::vector<Finding> findings_;
  std::set<std::string> notes_;
};

struct CheckContext {
  const graph::Graph& graph;
  const ScanOptions& options;
  // Analyses shared by several checks (e.g. the presigned-URL decision per principal) keep
  // their results here, under a name of their choosing.
  mutable std::mutex cache_mu;
  mutable std::map<std::string, std::shared_ptr<void>> cache;

  const model::Account& account() const { return graph.account(); }
};

class Check {
 public:
  virtual ~Check() = default;
  virtual CheckInfo info() const = 0;
  virtual void run(const CheckContext& ctx, FindingSink& sink) const = 0;
};

// Every check, sorted by id (registry.cpp).
std::vector<std::unique_ptr<Check>> all_checks();
// Info of every check including those the scan command runs itself (suppression-expired),
// sorted by id.
std::vector<CheckInfo> all_check_infos();

}  // namespace vpcgate::checks
