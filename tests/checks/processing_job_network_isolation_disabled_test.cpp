#include <gtest/gtest.h>

#include "analyzer/checks/processing_job_network_isolation_disabled.hpp"
#include "tests/checks/account_builders.hpp"

namespace vpcgate::test {
namespace {

TEST(ProcessingJobNetworkIsolationDisabled, ReportsResourcesWithoutIsolation) {
  model::Account a;
  a.processing_jobs.push_back(processing_job("none", std::nullopt, false));
  a.processing_jobs.push_back(processing_job("vpc-open", vpc_config({"subnet-1"}, {"sg-1"}), false));
  a.processing_jobs.push_back(processing_job("isolated", std::nullopt, true));
  a.processing_jobs.push_back(processing_job("vpc-isolated", vpc_config({"subnet-1"}, {"sg-1"}), true));
  auto r = run_check(checks::ProcessingJobNetworkIsolationDisabled(), a);
  EXPECT_EQ(resources(r), (std::vector<std::string>{sagemaker_arn("processing-job", "none"), sagemaker_arn("processing-job", "vpc-open")}));
  for (const auto& f : r.findings) {
    EXPECT_EQ(f.check, "processing-job-network-isolation-disabled");
    EXPECT_EQ(f.severity, checks::Severity::Medium);
    EXPECT_FALSE(f.principal);
    EXPECT_EQ(f.evidence, checks::Json::object());
    EXPECT_FALSE(f.detail.empty());
    EXPECT_FALSE(f.remediation.empty());
  }
  EXPECT_EQ(r.findings[0].title, "Processing job none runs without network isolation");
}

TEST(ProcessingJobNetworkIsolationDisabled, EmptyInputHasNoFinding) {
  EXPECT_TRUE(run_check(checks::ProcessingJobNetworkIsolationDisabled(), model::Account{}).findings.empty());
}

}  // namespace
}  // namespace vpcgate::test
