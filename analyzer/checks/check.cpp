#include "analyzer/checks/check.hpp"

#include <algorithm>

namespace vpcgate::checks {

const char* to_string(Severity s) {
  switch (s) {
    case Severity::Critical: return "critical";
    case Severity::High: return "high";
    case Severity::Medium: return "medium";
    case Severity::Low: return "low";
  }
  return "low";
}

std::optional<Severity> severity_from_string(const std::string& s) {
  if (s == "critical") return Severity::Critical;
  if (s == "high") return Severity::High;
  if (s == "medium") return Severity::Medium;
  if (s == "low") return Severity::Low;
  return std::nullopt;
}

void FindingSink::add(Finding f) {
  std::lock_guard lock(mu_);
  findings_.push_back(std::move(f));
}

void FindingSink::note(std::string text) {
  std::lock_guard lock(mu_);
  notes_.insert(std::move(text));
}

std::vector<Finding> FindingSink::take_findings() {
  std::lock_guard lock(mu_);
  return std::move(findings_);
}

std::vector<std::string> FindingSink::notes() const {
  std::lock_guard lock(mu_);
  return {notes_.begin(), notes_.end()};
}

}  // namespace vpcgate::checks
