#pragma once
// The shape shared by the SageMaker resource checks: one finding per resource, its ARN as the
// subject, no principal, located where the input holds the resource.
#include <string>

#include "analyzer/checks/check.hpp"

namespace vpcgate::checks {

inline Finding resource_finding(const CheckInfo& info, const std::string& arn, const model::SourceLoc& loc,
                                std::string title, std::string detail, std::string remediation) {
  Finding f;
  f.check = info.id;
  f.severity = info.severity;
  f.resource = arn;
  f.title = std::move(title);
  f.detail = std::move(detail);
  f.evidence = Json::object();
  f.location = loc;
  f.remediation = std::move(remediation);
  return f;
}

// The name to show in a title: the resource's name, else its ARN.
inline const std::string& display_name(const std::string& name, const std::string& arn) {
  return name.empty() ? arn : name;
}

}  // namespace vpcgate::checks
