#pragma once
// Words shared by the presigned-URL checks: details and remediation.
#include <string>

#include "analyzer/checks/presigned_analysis.hpp"

namespace vpcgate::checks {

// "through endpoint vpce-1 in vpc-1" / "from outside any VPC endpoint" + the other keys.
std::string describe_request(const presigned::Answer& answer);
// Why a principal is unrestricted: the request, the statements, the missing policies.
std::string presigned_detail(const presigned::PresignedAnalysis& analysis, const presigned::Verdict& v);
std::string presigned_remediation(const presigned::PresignedAnalysis& analysis);
std::string approved_list(const presigned::PresignedAnalysis& analysis);

}  // namespace vpcgate::checks
