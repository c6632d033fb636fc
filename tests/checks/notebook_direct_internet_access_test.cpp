#include <gtest/gtest.h>

#include "analyzer/checks/notebook_direct_internet_access.hpp"
#include "tests/checks/account_builders.hpp"

namespace vpcgate::test {
namespace {

TEST(NotebookDirectInternetAccess, ReportsEnabledOnly) {
  model::Account a;
  a.notebooks.push_back(notebook("open", std::string("subnet-1"), {"sg-1"}, true));
  a.notebooks.push_back(notebook("closed", std::string("subnet-1"), {"sg-1"}, false));
  a.notebooks.push_back(notebook("novpc", std::nullopt, {}, true));
  auto r = run_check(checks::NotebookDirectInternetAccess(), a);
  EXPECT_EQ(resources(r), (std::vector<std::string>{sagemaker_arn("notebook-instance", "novpc"),
                                                    sagemaker_arn("notebook-instance", "open")}));
  for (const auto& f : r.findings) {
    EXPECT_EQ(f.check, "notebook-direct-internet-access");
    EXPECT_EQ(f.evidence, checks::Json::object());
  }
  EXPECT_EQ(r.findings[1].title, "Notebook instance open has direct internet access");
  EXPECT_NE(r.findings[0].detail.find("not in a VPC at all"), std::string::npos);
}

TEST(NotebookDirectInternetAccess, EmptyInputHasNoFinding) {
  EXPECT_TRUE(run_check(checks::NotebookDirectInternetAccess(), model::Account{}).findings.empty());
}

}  // namespace
}  // namespace vpcgate::test
