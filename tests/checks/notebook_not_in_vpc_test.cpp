#include <gtest/gtest.h>

#include "analyzer/checks/notebook_not_in_vpc.hpp"
#include "tests/checks/account_builders.hpp"

namespace vpcgate::test {
namespace {

TEST(NotebookNotInVpc, ReportsNotebooksWithoutSubnet) {
  model::Account a;
  a.notebooks.push_back(notebook("outside"));
  a.notebooks.push_back(notebook("inside", std::string("subnet-1"), {"sg-1"}));
  auto r = run_check(checks::NotebookNotInVpc(), a);
  ASSERT_EQ(r.findings.size(), 1u);
  const auto& f = r.findings[0];
  EXPECT_EQ(f.check, "notebook-not-in-vpc");
  EXPECT_EQ(f.severity, checks::Severity::Medium);
  EXPECT_EQ(f.resource, sagemaker_arn("notebook-instance", "outside"));
  EXPECT_FALSE(f.principal);
  EXPECT_EQ(f.evidence, checks::Json::object());
  EXPECT_EQ(f.location.file, "export/notebook-outside.json");
  EXPECT_EQ(f.title, "Notebook instance outside is not in a VPC");
  EXPECT_NE(f.detail.find("no SubnetId"), std::string::npos);
  EXPECT_FALSE(f.remediation.empty());
}

TEST(NotebookNotInVpc, EmptyInputHasNoFinding) {
  EXPECT_TRUE(run_check(checks::NotebookNotInVpc(), model::Account{}).findings.empty());
}

}  // namespace
}  // namespace vpcgate::test
