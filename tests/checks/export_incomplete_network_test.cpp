#include <gtest/gtest.h>

#include "analyzer/checks/export_incomplete_network.hpp"
#include "tests/checks/account_builders.hpp"

namespace vpcgate::test {
namespace {

CheckRun run(const model::Account& a) { return run_check(checks::ExportIncompleteNetwork(), a); }

TEST(ExportIncompleteNetwork, MissingSubnetOfSageMakerResources) {
  auto a = nat_vpc();
  a.notebooks.push_back(notebook("nb2", std::string("subnet-gone"), {"sg-1"}));
  a.notebooks.push_back(notebook("nb1", std::string("subnet-gone"), {"sg-1"}));
  a.notebooks.push_back(notebook("ok", std::string("subnet-pub"), {"sg-1"}));
  // A network-isolated job still sits in its subnets.
  a.training_jobs.push_back(training_job("t1", vpc_config({"subnet-gone", "subnet-pub"}, {"sg-1"}), true));
  auto r = run(a);
  ASSERT_EQ(r.findings.size(), 1u);
  const auto& f = r.findings[0];
  EXPECT_EQ(f.check, "export-incomplete-network");
  EXPECT_EQ(f.severity, checks::Severity::Low);
  EXPECT_EQ(f.resource, "subnet-gone");
  EXPECT_FALSE(f.principal);
  EXPECT_EQ(f.evidence.dump(),
            R"({"referenced_by":["arn:aws:sagemaker:us-east-1:111122223333:notebook-instance/nb1",)"
            R"("arn:aws:sagemaker:us-east-1:111122223333:notebook-instance/nb2",)"
            R"("arn:aws:sagemaker:us-east-1:111122223333:training-job/t1"]})");
  EXPECT_EQ(f.location.file, "export/notebook-nb1.json");  // the bytewise-first referrer
  EXPECT_EQ(f.title, "Subnet subnet-gone is referenced but not in the input");
  EXPECT_NE(f.remediation.find("aws ec2 describe-subnets --subnet-ids subnet-gone"), std::string::npos);
}

TEST(ExportIncompleteNetwork, MissingVpcOfAHeldSubnetAndOfADomain) {
  auto a = nat_vpc();
  a.subnets.push_back(subnet("subnet-x", "vpc-gone", "10.9.0.0/24"));
  a.subnets.back().loc = export_loc("export/subnets.json", "/Subnets/2");
  a.models.push_back(sm_model("m1", vpc_config({"subnet-x"}, {"sg-1"}), false));
  a.domains.push_back(domain("d-1", "VpcOnly", "vpc-gone", {"subnet-x"}, {"sg-1"}));
  auto r = run(a);
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].resource, "vpc-gone");
  EXPECT_EQ(r.findings[0].evidence.dump(),
            R"({"referenced_by":["arn:aws:sagemaker:us-east-1:111122223333:domain/d-1","subnet-x"]})");
  EXPECT_EQ(r.findings[0].location.file, "export/domain-d-1.json");
  EXPECT_EQ(r.findings[0].title, "VPC vpc-gone is referenced but not in the input");
}

TEST(ExportIncompleteNetwork, EndpointReferences) {
  auto a = nat_vpc();
  auto e = endpoint("vpce-1", "vpc-9", "com.amazonaws.us-east-1.s3", "Gateway");
  e.route_table_ids = {"rtb-priv", "rtb-gone"};
  a.vpc_endpoints.push_back(e);
  auto i = endpoint("vpce-2", "vpc-1", "com.amazonaws.us-east-1.sagemaker.api");
  i.subnet_ids = {"subnet-priv", "subnet-9"};
  a.vpc_endpoints.push_back(i);
  auto r = run(a);
  EXPECT_EQ(resources(r), (std::vector<std::string>{"rtb-gone", "subnet-9", "vpc-9"}));
  EXPECT_EQ(r.findings[0].evidence.dump(), R"({"referenced_by":["vpce-1"]})");
  EXPECT_EQ(r.findings[0].title, "Route table rtb-gone is referenced but not in the input");
  EXPECT_EQ(r.findings[1].evidence.dump(), R"({"referenced_by":["vpce-2"]})");
  EXPECT_EQ(r.findings[2].location.file, "export/vpce.json");
}

TEST(ExportIncompleteNetwork, CompleteInputHasNoFinding) {
  auto a = nat_vpc();
  a.notebooks.push_back(notebook("nb1", std::string("subnet-priv"), {"sg-missing-is-not-reported"}));
  a.notebooks.push_back(notebook("nb2"));
  EXPECT_TRUE(run(a).findings.empty());
  // No route table at all: the subnet's table has no ID to report (internet-egress-path notes it).
  a.route_tables.clear();
  EXPECT_TRUE(run(a).findings.empty());
  EXPECT_TRUE(run(model::Account{}).findings.empty());
}

}  // namespace
}  // namespace vpcgate::test
