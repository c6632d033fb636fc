// internet-egress-path: the path hop by hop (CONTRACT.md's format), on small VPCs built in code.
#include <gtest/gtest.h>

#include "analyzer/checks/internet_egress_path.hpp"
#include "analyzer/checks/network_reach.hpp"
#include "tests/checks/account_builders.hpp"

namespace vpcgate::test {
namespace {

using checks::Json;

const std::string kNb = sagemaker_arn("notebook-instance", "nb1");

CheckRun run(const model::Account& a) { return run_check(checks::InternetEgressPath(), a); }

Json path_of(const CheckRun& r, std::size_t i = 0) { return r.findings.at(i).evidence.at("path"); }

model::RouteTable& table(model::Account& a, const std::string& id) {
  for (auto& t : a.route_tables)
    if (t.id == id) return t;
  throw std::runtime_error("no route table " + id);
}

// CONTRACT.md's example, hop for hop.
TEST(InternetEgressPath, NatChainIsTheContractsExample) {
  auto a = nat_vpc();
  a.notebooks.push_back(notebook("nb1", std::string("subnet-priv"), {"sg-1"}));
  auto r = run(a);
  ASSERT_EQ(r.findings.size(), 1u);
  const auto& f = r.findings[0];
  EXPECT_EQ(f.check, "internet-egress-path");
  EXPECT_EQ(f.resource, kNb);
  EXPECT_FALSE(f.principal);
  EXPECT_EQ(f.location.file, "export/notebook-nb1.json");
  EXPECT_EQ(f.evidence.dump(),
            R"({"path":[{"kind":"subnet","id":"subnet-priv"},{"kind":"security-group","id":"sg-1"},)"
            R"({"kind":"network-acl","id":"acl-1","rule":100},{"kind":"route-table","id":"rtb-priv","route":"0.0.0.0/0"},)"
            R"({"kind":"nat-gateway","id":"nat-1"},{"kind":"subnet","id":"subnet-pub"},)"
            R"({"kind":"route-table","id":"rtb-pub","route":"0.0.0.0/0"},{"kind":"internet-gateway","id":"igw-1"}]})");
  EXPECT_EQ(f.title, "Notebook instance nb1 reaches the internet through igw-1");
  EXPECT_NE(f.detail.find("NAT gateway nat-1 in subnet subnet-pub"), std::string::npos) << f.detail;
  EXPECT_NE(f.detail.find("network ACL acl-1 of the NAT gateway's subnet lets it out too (rule 100)"),
            std::string::npos)
      << f.detail;
  EXPECT_TRUE(r.notes.empty());
}

TEST(InternetEgressPath, DirectRouteToInternetGateway) {
  auto a = nat_vpc();
  a.notebooks.push_back(notebook("nb1", std::string("subnet-pub"), {"sg-1"}));
  auto r = run(a);
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(path_of(r).dump(),
            R"([{"kind":"subnet","id":"subnet-pub"},{"kind":"security-group","id":"sg-1"},)"
            R"({"kind":"network-acl","id":"acl-1","rule":100},{"kind":"route-table","id":"rtb-pub","route":"0.0.0.0/0"},)"
            R"({"kind":"internet-gateway","id":"igw-1"}])");
}

TEST(InternetEgressPath, PrivateSubnetWithoutInternetRouteHasNoPath) {
  auto a = nat_vpc();
  table(a, "rtb-priv").routes.pop_back();  // only the local route
  a.notebooks.push_back(notebook("nb1", std::string("subnet-priv"), {"sg-1"}));
  EXPECT_TRUE(run(a).findings.empty());
}

TEST(InternetEgressPath, LongestPrefixWins) {
  // 0.0.0.0/0 goes to the internet gateway, but the two halves go to a transit gateway: no
  // internet address reaches the gateway.
  auto a = nat_vpc();
  table(a, "rtb-priv").routes = {route("10.0.0.0/16", "local"), route("0.0.0.0/0", "igw-1"),
                                 route("0.0.0.0/1", "tgw-1"), route("128.0.0.0/1", "tgw-1")};
  a.notebooks.push_back(notebook("nb1", std::string("subnet-priv"), {"sg-1"}));
  auto r = run(a);
  EXPECT_TRUE(r.findings.empty());
  EXPECT_EQ(r.notes, (std::vector<std::string>{
                         "internet-egress-path: route 0.0.0.0/1 of route table rtb-priv (subnet subnet-priv) goes to "
                         "transit gateway tgw-1; not followed, the input does not show the other side",
                         "internet-egress-path: route 128.0.0.0/1 of route table rtb-priv (subnet subnet-priv) goes "
                         "to transit gateway tgw-1; not followed, the input does not show the other side"}));

  // The other way round: the halves go to the internet gateway, the default to the transit gateway.
  table(a, "rtb-priv").routes = {route("10.0.0.0/16", "local"), route("0.0.0.0/0", "tgw-1"),
                                 route("0.0.0.0/1", "igw-1"), route("128.0.0.0/1", "igw-1")};
  r = run(a);
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(path_of(r)[3].dump(), R"({"kind":"route-table","id":"rtb-priv","route":"0.0.0.0/1"})");
  EXPECT_EQ(path_of(r)[4].dump(), R"({"kind":"internet-gateway","id":"igw-1"})");
}

TEST(InternetEgressPath, LongestPrefixOnlyPartlyCovered) {
  // Only 128.0.0.0/1 is sent to the transit gateway: the lower half still reaches the NAT.
  auto a = nat_vpc();
  table(a, "rtb-priv").routes.push_back(route("0.0.0.0/1", "tgw-1"));
  a.notebooks.push_back(notebook("nb1", std::string("subnet-priv"), {"sg-1"}));
  auto r = run(a);
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(path_of(r)[3].dump(), R"({"kind":"route-table","id":"rtb-priv","route":"0.0.0.0/0"})");
  EXPECT_NE(r.findings[0].detail.find("to 128.0.0.0"), std::string::npos) << r.findings[0].detail;
}

TEST(InternetEgressPath, NetworkAclRulesAreEvaluatedInRuleNumberOrder) {
  auto a = nat_vpc();
  a.notebooks.push_back(notebook("nb1", std::string("subnet-pub"), {"sg-1"}));
  // Listed allow-first, but rule 90 (deny) comes first.
  a.network_acls[0].entries = {acl_out(100, true, "0.0.0.0/0"), acl_out(90, false, "0.0.0.0/0"),
                               acl_out(32767, false, "0.0.0.0/0")};
  EXPECT_TRUE(run(a).findings.empty());

  // Rule 100 allows before rule 200 denies.
  a.network_acls[0].entries = {acl_out(200, false, "0.0.0.0/0"), acl_out(100, true, "0.0.0.0/0"),
                               acl_out(32767, false, "0.0.0.0/0")};
  auto r = run(a);
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(path_of(r)[2].dump(), R"({"kind":"network-acl","id":"acl-1","rule":100})");
}

TEST(InternetEgressPath, NetworkAclDeniesSomeTrafficOnly) {
  // tcp is denied first; udp is allowed by rule 110, and a NAT gateway carries udp.
  auto a = nat_vpc();
  a.network_acls[0].entries = {acl_out(100, false, "0.0.0.0/0", "6"), acl_out(110, true, "0.0.0.0/0"),
                               acl_out(32767, false, "0.0.0.0/0")};
  a.notebooks.push_back(notebook("nb1", std::string("subnet-priv"), {"sg-1"}));
  auto r = run(a);
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(path_of(r)[2].dump(), R"({"kind":"network-acl","id":"acl-1","rule":110})");
  EXPECT_NE(r.findings[0].detail.find("udp port 443"), std::string::npos) << r.findings[0].detail;

  // Allowed only to a private range: no internet address gets out.
  a.network_acls[0].entries = {acl_out(100, true, "10.0.0.0/8"), acl_out(32767, false, "0.0.0.0/0")};
  EXPECT_TRUE(run(a).findings.empty());
}

TEST(InternetEgressPath, AclAndSecurityGroupMustAgreeOnTraffic) {
  // The group lets out only tcp 443; the ACL denies tcp 443 and allows everything else.
  auto a = nat_vpc();
  a.security_groups[0].egress = {sg_rule("tcp", {"0.0.0.0/0"}, 443, 443)};
  a.network_acls[0].entries = {acl_out(100, false, "0.0.0.0/0", "6", 443, 443), acl_out(200, true, "0.0.0.0/0"),
                               acl_out(32767, false, "0.0.0.0/0")};
  a.notebooks.push_back(notebook("nb1", std::string("subnet-pub"), {"sg-1"}));
  EXPECT_TRUE(run(a).findings.empty());

  // tcp 80 is allowed by both.
  a.security_groups[0].egress.push_back(sg_rule("tcp", {"0.0.0.0/0"}, 80, 80));
  auto r = run(a);
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(path_of(r)[2].dump(), R"({"kind":"network-acl","id":"acl-1","rule":200})");
  EXPECT_NE(r.findings[0].detail.find("tcp port 80"), std::string::npos);
}

TEST(InternetEgressPath, SecurityGroupWithoutEgress) {
  auto a = nat_vpc();
  a.security_groups[0].egress.clear();
  a.notebooks.push_back(notebook("nb1", std::string("subnet-priv"), {"sg-1"}));
  EXPECT_TRUE(run(a).findings.empty());

  // Egress to the VPC and to a private range only is not internet egress.
  a.security_groups[0].egress = {sg_rule("-1", {"10.0.0.0/16", "192.168.0.0/16"})};
  EXPECT_TRUE(run(a).findings.empty());

  // One public /32 on tcp 443 is.
  a.security_groups[0].egress.push_back(sg_rule("tcp", {"52.94.133.131/32"}, 443, 443));
  auto r = run(a);
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_NE(r.findings[0].detail.find("tcp port 443 to 52.94.133.131"), std::string::npos) << r.findings[0].detail;
}

TEST(InternetEgressPath, SeveralGroupsFirstAllowingInBytewiseOrder) {
  auto a = nat_vpc();
  a.security_groups.push_back(security_group("sg-0closed", "vpc-1", {}));
  a.security_groups.push_back(security_group("sg-2", "vpc-1", all_egress()));
  a.notebooks.push_back(notebook("nb1", std::string("subnet-pub"), {"sg-2", "sg-0closed", "sg-1"}));
  auto r = run(a);
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(path_of(r)[1].dump(), R"({"kind":"security-group","id":"sg-1"})");
}

TEST(InternetEgressPath, SeveralSubnetsFirstInBytewiseOrder) {
  auto a = nat_vpc();
  a.training_jobs.push_back(training_job("t1", vpc_config({"subnet-pub", "subnet-priv"}, {"sg-1"}), false));
  auto r = run(a);
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].resource, sagemaker_arn("training-job", "t1"));
  EXPECT_EQ(path_of(r)[0].dump(), R"({"kind":"subnet","id":"subnet-priv"})");  // "subnet-pri" < "subnet-pub"
  EXPECT_EQ(r.findings[0].title, "Training job t1 reaches the internet through igw-1");

  // Without the NAT route, the path goes through the public subnet.
  table(a, "rtb-priv").routes.pop_back();
  r = run(a);
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(path_of(r)[0].dump(), R"({"kind":"subnet","id":"subnet-pub"})");
}

TEST(InternetEgressPath, NetworkIsolationAndDomainsInScope) {
  auto a = nat_vpc();
  a.training_jobs.push_back(training_job("isolated", vpc_config({"subnet-pub"}, {"sg-1"}), true));
  a.processing_jobs.push_back(processing_job("p1", vpc_config({"subnet-pub"}, {"sg-1"}), false));
  a.models.push_back(sm_model("m1", vpc_config({"subnet-pub"}, {"sg-1"}), false));
  a.models.push_back(sm_model("m-isolated", vpc_config({"subnet-pub"}, {"sg-1"}), true));
  a.domains.push_back(domain("d-public", "PublicInternetOnly", "vpc-1", {"subnet-pub"}, {"sg-1"}));
  a.domains.push_back(domain("d-vpc", "VpcOnly", "vpc-1", {"subnet-pub"}, {"sg-1"}));
  auto r = run(a);
  EXPECT_EQ(resources(r), (std::vector<std::string>{sagemaker_arn("domain", "d-vpc"), sagemaker_arn("model", "m1"),
                                                    sagemaker_arn("processing-job", "p1")}));
}

TEST(InternetEgressPath, Ipv6ThroughEgressOnlyGateway) {
  auto a = nat_vpc();
  a.subnets[1].ipv6_cidrs = {"2600:1f18:1:100::/64"};
  table(a, "rtb-priv").routes = {route("10.0.0.0/16", "local"), route("2600:1f18:1::/56", "local"),
                                 route("::/0", "eigw-1")};
  a.egress_only_gateways.push_back(eigw("eigw-1", "vpc-1"));
  a.security_groups[0].egress = all_egress(true);
  a.network_acls[0].entries = default_acl_entries(true);
  a.notebooks.push_back(notebook("nb1", std::string("subnet-priv"), {"sg-1"}));
  auto r = run(a);
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(path_of(r).dump(),
            R"([{"kind":"subnet","id":"subnet-priv"},{"kind":"security-group","id":"sg-1"},)"
            R"({"kind":"network-acl","id":"acl-1","rule":101},{"kind":"route-table","id":"rtb-priv","route":"::/0"},)"
            R"({"kind":"egress-only-internet-gateway","id":"eigw-1"}])");
  EXPECT_EQ(r.findings[0].title, "Notebook instance nb1 reaches the internet through eigw-1");

  // A group that lets out IPv4 only: no IPv6 egress.
  a.security_groups[0].egress = all_egress(false);
  EXPECT_TRUE(run(a).findings.empty());

  // The subnet without an IPv6 CIDR: the ::/0 route does not matter.
  a.security_groups[0].egress = all_egress(true);
  a.subnets[1].ipv6_cidrs.clear();
  EXPECT_TRUE(run(a).findings.empty());
}

TEST(InternetEgressPath, Ipv4BeforeIpv6) {
  auto a = nat_vpc();
  a.subnets[0].ipv6_cidrs = {"2600:1f18:1:1::/64"};
  table(a, "rtb-pub").routes.push_back(route("::/0", "igw-1"));
  a.security_groups[0].egress = all_egress(true);
  a.network_acls[0].entries = default_acl_entries(true);
  a.notebooks.push_back(notebook("nb1", std::string("subnet-pub"), {"sg-1"}));
  auto r = run(a);
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(path_of(r)[3].dump(), R"({"kind":"route-table","id":"rtb-pub","route":"0.0.0.0/0"})");

  // With IPv4 closed by the ACL, the IPv6 path through the internet gateway.
  a.network_acls[0].entries = {acl_out(90, false, "0.0.0.0/0"), acl_out(101, true, "::/0")};
  r = run(a);
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(path_of(r)[2].dump(), R"({"kind":"network-acl","id":"acl-1","rule":101})");
  EXPECT_EQ(path_of(r)[3].dump(), R"({"kind":"route-table","id":"rtb-pub","route":"::/0"})");
  EXPECT_EQ(path_of(r)[4].dump(), R"({"kind":"internet-gateway","id":"igw-1"})");
}

TEST(InternetEgressPath, MainRouteTableFallback) {
  auto a = nat_vpc();
  a.subnets.push_back(subnet("subnet-other", "vpc-1", "10.0.2.0/24"));
  table(a, "rtb-main").routes.push_back(route("0.0.0.0/0", "igw-1"));
  a.notebooks.push_back(notebook("nb1", std::string("subnet-other"), {"sg-1"}));
  auto r = run(a);
  ASSERT_EQ(r.findings.size(), 1u);
  // acl-1 is the VPC's default ACL: it covers a subnet no ACL names.
  EXPECT_EQ(path_of(r).dump(),
            R"([{"kind":"subnet","id":"subnet-other"},{"kind":"security-group","id":"sg-1"},)"
            R"({"kind":"network-acl","id":"acl-1","rule":100},{"kind":"route-table","id":"rtb-main","route":"0.0.0.0/0"},)"
            R"({"kind":"internet-gateway","id":"igw-1"}])");
  EXPECT_NE(r.findings[0].detail.find("(the VPC's main table)"), std::string::npos);
}

TEST(InternetEgressPath, BlackholeRoutesDropTraffic) {
  auto a = nat_vpc();
  table(a, "rtb-priv").routes.back().state = "blackhole";
  a.notebooks.push_back(notebook("nb1", std::string("subnet-priv"), {"sg-1"}));
  EXPECT_TRUE(run(a).findings.empty());

  // A more specific blackhole route wins over an active default route.
  a = nat_vpc();
  table(a, "rtb-pub").routes.push_back(route("0.0.0.0/1", "nat-gone", "blackhole"));
  table(a, "rtb-pub").routes.push_back(route("128.0.0.0/1", "nat-gone", "blackhole"));
  a.notebooks.push_back(notebook("nb1", std::string("subnet-pub"), {"sg-1"}));
  EXPECT_TRUE(run(a).findings.empty());
}

TEST(InternetEgressPath, NatGatewayConditions) {
  model::Account a = nat_vpc();
  a.notebooks.push_back(notebook("nb1", std::string("subnet-priv"), {"sg-1"}));
  a.nat_gateways[0].connectivity_type = "private";
  EXPECT_TRUE(run(a).findings.empty()) << "a private NAT gateway does not reach the internet";

  a = nat_vpc();
  a.notebooks.push_back(notebook("nb1", std::string("subnet-priv"), {"sg-1"}));
  table(a, "rtb-pub").routes.pop_back();
  EXPECT_TRUE(run(a).findings.empty()) << "the NAT's subnet has no route to an internet gateway";

  a = nat_vpc();
  a.notebooks.push_back(notebook("nb1", std::string("subnet-priv"), {"sg-1"}));
  a.network_acls.push_back(network_acl("acl-pub", "vpc-1", {acl_out(100, false, "0.0.0.0/0")}, {"subnet-pub"}));
  a.network_acls[0].subnet_ids = {"subnet-priv"};
  EXPECT_TRUE(run(a).findings.empty()) << "the NAT's subnet's ACL keeps the traffic in";

  // A group that lets out only a protocol the NAT gateway does not translate (GRE).
  a = nat_vpc();
  a.notebooks.push_back(notebook("nb1", std::string("subnet-priv"), {"sg-1"}));
  a.security_groups[0].egress = {sg_rule("47", {"0.0.0.0/0"})};
  EXPECT_TRUE(run(a).findings.empty());
}

TEST(InternetEgressPath, InternetGatewayOfAnotherVpcIsNotFollowed) {
  auto a = nat_vpc();
  a.internet_gateways[0].vpc_ids = {"vpc-other"};
  a.notebooks.push_back(notebook("nb1", std::string("subnet-pub"), {"sg-1"}));
  EXPECT_TRUE(run(a).findings.empty());
}

TEST(InternetEgressPath, TransitGatewayAndPeeringAreNotedNotFollowed) {
  auto a = nat_vpc();
  table(a, "rtb-priv").routes = {route("10.0.0.0/16", "local"), route("0.0.0.0/0", "tgw-0abc"),
                                 route("172.16.0.0/12", "pcx-1")};
  a.notebooks.push_back(notebook("nb1", std::string("subnet-priv"), {"sg-1"}));
  auto r = run(a);
  EXPECT_TRUE(r.findings.empty());
  // The peering route covers no internet address: only the transit gateway is noted.
  EXPECT_EQ(r.notes, (std::vector<std::string>{
                         "internet-egress-path: route 0.0.0.0/0 of route table rtb-priv (subnet subnet-priv) goes to "
                         "transit gateway tgw-0abc; not followed, the input does not show the other side"}));
}

TEST(InternetEgressPath, AwsDefaultsWhenTheInputHoldsNoGroupsOrAcls) {
  auto a = nat_vpc();
  a.security_groups.clear();
  a.network_acls.clear();
  a.has_security_groups = a.has_network_acls = false;
  a.notebooks.push_back(notebook("nb1", std::string("subnet-pub")));
  auto r = run(a);
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(path_of(r).dump(),
            R"([{"kind":"subnet","id":"subnet-pub"},{"kind":"security-group","id":null},)"
            R"({"kind":"network-acl","id":null},{"kind":"route-table","id":"rtb-pub","route":"0.0.0.0/0"},)"
            R"({"kind":"internet-gateway","id":"igw-1"}])");
  EXPECT_NE(r.findings[0].detail.find("the input holds no security groups"), std::string::npos);
  EXPECT_NE(r.findings[0].detail.find("the input holds no network ACLs"), std::string::npos);
}

TEST(InternetEgressPath, DefaultSecurityGroupOfTheVpc) {
  // A notebook without security groups is in its VPC's default group.
  auto a = nat_vpc();
  a.security_groups.push_back(security_group("sg-default", "vpc-1", {}, "default"));
  a.notebooks.push_back(notebook("nb1", std::string("subnet-pub")));
  EXPECT_TRUE(run(a).findings.empty()) << "the default group here has no egress rule";
  a.security_groups.back().egress = all_egress();
  auto r = run(a);
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(path_of(r)[1].dump(), R"({"kind":"security-group","id":"sg-default"})");
}

TEST(InternetEgressPath, GroupNotInTheInputAllowsAllAndSaysSo) {
  auto a = nat_vpc();
  a.notebooks.push_back(notebook("nb1", std::string("subnet-pub"), {"sg-elsewhere"}));
  auto r = run(a);
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(path_of(r)[1].dump(), R"({"kind":"security-group","id":"sg-elsewhere"})");
  EXPECT_NE(r.findings[0].detail.find("security group sg-elsewhere is not in the input and is taken to allow all "
                                      "egress"),
            std::string::npos);
}

TEST(InternetEgressPath, MissingSubnetVpcOrRouteTableGivesNoPath) {
  auto a = nat_vpc();
  a.notebooks.push_back(notebook("nb1", std::string("subnet-gone"), {"sg-1"}));
  EXPECT_TRUE(run(a).findings.empty());

  // The subnet is held but its VPC is not.
  a = nat_vpc();
  a.subnets.push_back(subnet("subnet-x", "vpc-gone", "10.9.0.0/24"));
  a.route_tables.push_back(route_table("rtb-x", "vpc-gone", {route("0.0.0.0/0", "igw-x")}, {"subnet-x"}));
  a.notebooks.push_back(notebook("nb1", std::string("subnet-x"), {"sg-1"}));
  EXPECT_TRUE(run(a).findings.empty());

  // An exported VPC whose route tables the input does not hold: undecided, and noted.
  a = nat_vpc();
  a.route_tables.clear();
  a.has_route_tables = false;
  a.notebooks.push_back(notebook("nb1", std::string("subnet-pub"), {"sg-1"}));
  auto r = run(a);
  EXPECT_TRUE(r.findings.empty());
  EXPECT_EQ(r.notes, (std::vector<std::string>{
                         "internet-egress-path: the input holds no route table of subnet subnet-pub (no explicit "
                         "association, no main table of vpc-1); egress through it is not decided"}));

  // A template's VPC has a main table with only local routes: known, no path, no note.
  a.vpcs[0].loc = model::SourceLoc{"template.yaml", "", 12};
  a.vpcs[0].from_iac = true;  // set by the template/plan readers
  r = run(a);
  EXPECT_TRUE(r.findings.empty());
  EXPECT_TRUE(r.notes.empty());
}

TEST(InternetEgressPath, NotInScopeWithoutSubnet) {
  auto a = nat_vpc();
  a.notebooks.push_back(notebook("nb1"));
  a.training_jobs.push_back(training_job("t1", std::nullopt, false));
  EXPECT_TRUE(run(a).findings.empty());
}

TEST(InternetEgressPath, NatGatewayNotInTheInputIsTakenToReachTheInternet) {
  auto a = nat_vpc();
  a.nat_gateways.clear();
  a.notebooks.push_back(notebook("nb1", std::string("subnet-priv"), {"sg-1"}));
  auto r = run(a);
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(path_of(r).back().dump(), R"({"kind":"nat-gateway","id":"nat-1"})");
  EXPECT_NE(r.findings[0].detail.find("NAT gateway nat-1 is not in the input"), std::string::npos);
}

// The helpers underneath.
TEST(NetworkReach, ParsesCidrs) {
  using checks::net::parse_cidr;
  auto c = parse_cidr("10.1.2.3/8");
  ASSERT_TRUE(c);
  EXPECT_EQ(checks::net::format_addr(c->family, c->first), "10.0.0.0");
  EXPECT_EQ(checks::net::format_addr(c->family, c->last), "10.255.255.255");
  auto all = parse_cidr("0.0.0.0/0");
  ASSERT_TRUE(all);
  EXPECT_EQ(checks::net::format_addr(all->family, all->last), "255.255.255.255");
  auto v6 = parse_cidr("::/0");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->family, checks::net::Family::V6);
  EXPECT_EQ(checks::net::format_addr(v6->family, v6->last), "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
  EXPECT_EQ(checks::net::format_addr(checks::net::Family::V6, parse_cidr("2600:1f18::/32")->first), "2600:1f18::");
  EXPECT_FALSE(parse_cidr("10.0.0.0/33"));
  EXPECT_FALSE(parse_cidr("pl-123"));
  EXPECT_FALSE(parse_cidr(""));
}

TEST(NetworkReach, ProtocolNumbers) {
  using checks::net::protocol_number;
  EXPECT_EQ(protocol_number("-1"), -1);
  EXPECT_EQ(protocol_number("tcp"), 6);
  EXPECT_EQ(protocol_number("6"), 6);
  EXPECT_EQ(protocol_number("icmpv6"), 58);
  EXPECT_FALSE(protocol_number("bogus"));
}

}  // namespace
}  // namespace vpcgate::test
