// The list of checks, sorted by id. Adding a check: one line here (see STYLE.md).
#include <algorithm>

#include "analyzer/checks/check.hpp"
#include "analyzer/checks/domain_public_internet.hpp"
#include "analyzer/checks/export_incomplete_iam.hpp"
#include "analyzer/checks/export_incomplete_network.hpp"
#include "analyzer/checks/internet_egress_path.hpp"
#include "analyzer/checks/model_network_isolation_disabled.hpp"
#include "analyzer/checks/model_not_in_vpc.hpp"
#include "analyzer/checks/notebook_direct_internet_access.hpp"
#include "analyzer/checks/notebook_not_in_vpc.hpp"
#include "analyzer/checks/presigned_url_condition_dangling.hpp"
#include "analyzer/checks/presigned_url_escalation.hpp"
#include "analyzer/checks/presigned_url_unrestricted.hpp"
#include "analyzer/checks/processing_job_network_isolation_disabled.hpp"
#include "analyzer/checks/processing_job_not_in_vpc.hpp"
#include "analyzer/checks/training_job_network_isolation_disabled.hpp"
#include "analyzer/checks/training_job_not_in_vpc.hpp"
#include "analyzer/checks/vpc_endpoint_missing.hpp"
#include "analyzer/checks/vpc_endpoint_policy_open.hpp"

namespace vpcgate::checks {

std::vector<std::unique_ptr<Check>> all_checks() {
  std::vector<std::unique_ptr<Check>> out;
  out.push_back(std::make_unique<DomainPublicInternet>());
  out.push_back(std::make_unique<ExportIncompleteIam>());
  out.push_back(std::make_unique<ExportIncompleteNetwork>());
  out.push_back(std::make_unique<InternetEgressPath>());
  out.push_back(std::make_unique<ModelNetworkIsolationDisabled>());
  out.push_back(std::make_unique<ModelNotInVpc>());
  out.push_back(std::make_unique<NotebookDirectInternetAccess>());
  out.push_back(std::make_unique<NotebookNotInVpc>());
  out.push_back(std::make_unique<PresignedUrlConditionDangling>());
  out.push_back(std::make_unique<PresignedUrlEscalation>());
  out.push_back(std::make_unique<PresignedUrlUnrestricted>());
  out.push_back(std::make_unique<ProcessingJobNetworkIsolationDisabled>());
  out.push_back(std::make_unique<ProcessingJobNotInVpc>());
  out.push_back(std::make_unique<TrainingJobNetworkIsolationDisabled>());
  out.push_back(std::make_unique<TrainingJobNotInVpc>());
  out.push_back(std::make_unique<VpcEndpointMissing>());
  out.push_back(std::make_unique<VpcEndpointPolicyOpen>());
  return out;
}

std::vector<CheckInfo> all_check_infos() {
  std::vector<CheckInfo> out;
  for (const auto& c : all_checks()) out.push_back(c->info());
  // Reported by the scan command itself, from the suppressions file.
  out.push_back({"suppression-expired", Severity::Low, "Suppression past its expiry date"});
  std::sort(out.begin(), out.end(), [](const CheckInfo& a, const CheckInfo& b) { return a.id < b.id; });
  return out;
}

}  // namespace vpcgate::checks
