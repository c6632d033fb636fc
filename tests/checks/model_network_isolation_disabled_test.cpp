#include <gtest/gtest.h>

#include "analyzer/checks/model_network_isolation_disabled.hpp"
#include "tests/checks/account_builders.hpp"

namespace vpcgate::test {
namespace {

TEST(ModelNetworkIsolationDisabled, ReportsResourcesWithoutIsolation) {
  model::Account a;
  a.models.push_back(sm_model("none", std::nullopt, false));
  a.models.push_back(sm_model("vpc-open", vpc_config({"subnet-1"}, {"sg-1"}), false));
  a.models.push_back(sm_model("isolated", std::nullopt, true));
  a.models.push_back(sm_model("vpc-isolated", vpc_config({"subnet-1"}, {"sg-1"}), true));
  auto r = run_check(checks::ModelNetworkIsolationDisabled(), a);
  EXPECT_EQ(resources(r), (std::vector<std::string>{sagemaker_arn("model", "none"), sagemaker_arn("model", "vpc-open")}));
  for (const auto& f : r.findings) {
    EXPECT_EQ(f.check, "model-network-isolation-disabled");
    EXPECT_EQ(f.severity, checks::Severity::Medium);
    EXPECT_FALSE(f.principal);
    EXPECT_EQ(f.evidence, checks::Json::object());
    EXPECT_FALSE(f.detail.empty());
    EXPECT_FALSE(f.remediation.empty());
  }
  EXPECT_EQ(r.findings[0].title, "Model none runs without network isolation");
}

TEST(ModelNetworkIsolationDisabled, EmptyInputHasNoFinding) {
  EXPECT_TRUE(run_check(checks::ModelNetworkIsolationDisabled(), model::Account{}).findings.empty());
}

}  // namespace
}  // namespace vpcgate::test
