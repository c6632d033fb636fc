#include <gtest/gtest.h>

#include "analyzer/checks/domain_public_internet.hpp"
#include "tests/checks/account_builders.hpp"

namespace vpcgate::test {
namespace {

TEST(DomainPublicInternet, ReportsPublicInternetOnly) {
  model::Account a;
  a.domains.push_back(domain("d-public", "PublicInternetOnly", "vpc-1", {"subnet-1"}));
  a.domains.push_back(domain("d-private", "VpcOnly", "vpc-1", {"subnet-1"}, {"sg-1"}));
  auto r = run_check(checks::DomainPublicInternet(), a);
  EXPECT_EQ(resources(r), (std::vector<std::string>{sagemaker_arn("domain", "d-public")}));
  for (const auto& f : r.findings) {
    EXPECT_EQ(f.check, "domain-public-internet");
    EXPECT_EQ(f.severity, checks::Severity::Medium);
    EXPECT_FALSE(f.principal);
    EXPECT_EQ(f.evidence, checks::Json::object());
    EXPECT_FALSE(f.detail.empty());
    EXPECT_FALSE(f.remediation.empty());
  }
  EXPECT_EQ(r.findings[0].title, "Studio domain d-public-name gives its apps public internet access");
  EXPECT_EQ(r.findings[0].location.file, "export/domain-d-public.json");
}

TEST(DomainPublicInternet, EmptyInputHasNoFinding) {
  EXPECT_TRUE(run_check(checks::DomainPublicInternet(), model::Account{}).findings.empty());
}

}  // namespace
}  // namespace vpcgate::test
