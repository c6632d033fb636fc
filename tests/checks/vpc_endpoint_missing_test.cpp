#include <gtest/gtest.h>

#include "analyzer/checks/vpc_endpoint_missing.hpp"
#include "tests/checks/account_builders.hpp"

namespace vpcgate::test {
namespace {

CheckRun run(const model::Account& a) { return run_check(checks::VpcEndpointMissing(), a); }

TEST(VpcEndpointMissing, BothServicesMissing) {
  auto a = nat_vpc();
  a.notebooks.push_back(notebook("nb1", std::string("subnet-priv"), {"sg-1"}));
  auto r = run(a);
  ASSERT_EQ(r.findings.size(), 2u);
  std::vector<std::string> services;
  for (const auto& f : r.findings) {
    EXPECT_EQ(f.check, "vpc-endpoint-missing");
    EXPECT_EQ(f.resource, "vpc-1");
    EXPECT_FALSE(f.principal);
    EXPECT_EQ(f.location.file, "export/vpcs.json");
    ASSERT_TRUE(f.id_service);
    EXPECT_EQ(f.evidence.dump(), R"({"service":")" + *f.id_service + R"("})");
    services.push_back(*f.id_service);
  }
  std::sort(services.begin(), services.end());
  EXPECT_EQ(services,
            (std::vector<std::string>{"aws.sagemaker.us-east-1.notebook", "com.amazonaws.us-east-1.sagemaker.api"}));
}

TEST(VpcEndpointMissing, OnlyLiveInterfaceEndpointsInTheSameVpcCount) {
  auto a = nat_vpc();
  a.vpcs.push_back(vpc("vpc-2", "10.1.0.0/16"));
  a.notebooks.push_back(notebook("nb1", std::string("subnet-priv"), {"sg-1"}));
  a.vpc_endpoints.push_back(endpoint("vpce-1", "vpc-1", "com.amazonaws.us-east-1.sagemaker.api"));
  a.vpc_endpoints.push_back(endpoint("vpce-2", "vpc-2", "aws.sagemaker.us-east-1.notebook"));
  a.vpc_endpoints.push_back(endpoint("vpce-3", "vpc-1", "aws.sagemaker.us-east-1.notebook", "Gateway"));
  auto deleted = endpoint("vpce-4", "vpc-1", "aws.sagemaker.us-east-1.notebook");
  deleted.state = "deleted";
  a.vpc_endpoints.push_back(deleted);
  a.vpc_endpoints.push_back(endpoint("vpce-5", "vpc-1", "aws.sagemaker.eu-west-1.notebook"));
  auto r = run(a);
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].id_service, "aws.sagemaker.us-east-1.notebook");
  EXPECT_EQ(r.findings[0].title, "VPC vpc-1 has no interface endpoint for aws.sagemaker.us-east-1.notebook");

  a.vpc_endpoints.push_back(endpoint("vpce-6", "vpc-1", "aws.sagemaker.us-east-1.notebook"));
  EXPECT_TRUE(run(a).findings.empty());
}

TEST(VpcEndpointMissing, UnresolvedTemplateRegionMatchesAnyRegion) {
  auto a = nat_vpc();
  a.notebooks.push_back(notebook("nb1", std::string("subnet-priv"), {"sg-1"}));
  a.vpc_endpoints.push_back(endpoint("vpce-1", "vpc-1", "com.amazonaws.${AWS::Region}.sagemaker.api"));
  a.vpc_endpoints.push_back(endpoint("vpce-2", "vpc-1", "aws.sagemaker.${AWS::Region}.notebook"));
  EXPECT_TRUE(run(a).findings.empty());
}

TEST(VpcEndpointMissing, VpcNotInTheInputLocatesAtTheNotebook) {
  auto a = nat_vpc();
  a.vpcs.clear();
  a.notebooks.push_back(notebook("nb2", std::string("subnet-priv"), {"sg-1"}));
  a.notebooks.push_back(notebook("nb1", std::string("subnet-pub"), {"sg-1"}));
  auto r = run(a);
  ASSERT_EQ(r.findings.size(), 2u);
  EXPECT_EQ(r.findings[0].location.file, "export/notebook-nb1.json");
  EXPECT_NE(r.findings[0].detail.find("notebook-instance/nb1, arn:"), std::string::npos);
}

TEST(VpcEndpointMissing, NoNotebooksInVpcsNoFinding) {
  auto a = nat_vpc();
  a.notebooks.push_back(notebook("outside"));
  a.notebooks.push_back(notebook("lost", std::string("subnet-gone")));
  a.training_jobs.push_back(training_job("t1", vpc_config({"subnet-priv"}, {"sg-1"}), false));
  EXPECT_TRUE(run(a).findings.empty());
  EXPECT_TRUE(run(model::Account{}).findings.empty());
}

}  // namespace
}  // namespace vpcgate::test
