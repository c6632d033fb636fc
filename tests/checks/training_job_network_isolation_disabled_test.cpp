#include <gtest/gtest.h>

#include "analyzer/checks/training_job_network_isolation_disabled.hpp"
#include "tests/checks/account_builders.hpp"

namespace vpcgate::test {
namespace {

TEST(TrainingJobNetworkIsolationDisabled, ReportsResourcesWithoutIsolation) {
  model::Account a;
  a.training_jobs.push_back(training_job("none", std::nullopt, false));
  a.training_jobs.push_back(training_job("vpc-open", vpc_config({"subnet-1"}, {"sg-1"}), false));
  a.training_jobs.push_back(training_job("isolated", std::nullopt, true));
  a.training_jobs.push_back(training_job("vpc-isolated", vpc_config({"subnet-1"}, {"sg-1"}), true));
  auto r = run_check(checks::TrainingJobNetworkIsolationDisabled(), a);
  EXPECT_EQ(resources(r), (std::vector<std::string>{sagemaker_arn("training-job", "none"), sagemaker_arn("training-job", "vpc-open")}));
  for (const auto& f : r.findings) {
    EXPECT_EQ(f.check, "training-job-network-isolation-disabled");
    EXPECT_EQ(f.severity, checks::Severity::Medium);
    EXPECT_FALSE(f.principal);
    EXPECT_EQ(f.evidence, checks::Json::object());
    EXPECT_FALSE(f.detail.empty());
    EXPECT_FALSE(f.remediation.empty());
  }
  EXPECT_EQ(r.findings[0].title, "Training job none runs without network isolation");
}

TEST(TrainingJobNetworkIsolationDisabled, EmptyInputHasNoFinding) {
  EXPECT_TRUE(run_check(checks::TrainingJobNetworkIsolationDisabled(), model::Account{}).findings.empty());
}

}  // namespace
}  // namespace vpcgate::test
