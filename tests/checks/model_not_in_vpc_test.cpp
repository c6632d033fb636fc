#include <gtest/gtest.h>

#include "analyzer/checks/model_not_in_vpc.hpp"
#include "tests/checks/account_builders.hpp"

namespace vpcgate::test {
namespace {

TEST(ModelNotInVpc, ReportsResourcesWithoutVpcConfig) {
  model::Account a;
  a.models.push_back(sm_model("none", std::nullopt, false));
  a.models.push_back(sm_model("vpc-open", vpc_config({"subnet-1"}, {"sg-1"}), false));
  a.models.push_back(sm_model("isolated", std::nullopt, true));
  a.models.push_back(sm_model("vpc-isolated", vpc_config({"subnet-1"}, {"sg-1"}), true));
  auto r = run_check(checks::ModelNotInVpc(), a);
  EXPECT_EQ(resources(r), (std::vector<std::string>{sagemaker_arn("model", "isolated"), sagemaker_arn("model", "none")}));
  for (const auto& f : r.findings) {
    EXPECT_EQ(f.check, "model-not-in-vpc");
    EXPECT_EQ(f.severity, checks::Severity::Medium);
    EXPECT_FALSE(f.principal);
    EXPECT_EQ(f.evidence, checks::Json::object());
    EXPECT_FALSE(f.detail.empty());
    EXPECT_FALSE(f.remediation.empty());
  }
  EXPECT_EQ(r.findings[1].title, "Model none is not in a VPC");
}

TEST(ModelNotInVpc, EmptyInputHasNoFinding) {
  EXPECT_TRUE(run_check(checks::ModelNotInVpc(), model::Account{}).findings.empty());
}

}  // namespace
}  // namespace vpcgate::test
