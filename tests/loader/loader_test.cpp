// loader::load and load_file on fixtures/loader (real AWS CLI output shapes, checked by
// validate-shapes) and on tests/loader/bad (deliberately malformed input).
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "analyzer/loader/json_node.hpp"
#include "analyzer/loader/load_file.hpp"
#include "analyzer/loader/loader.hpp"
#include "model/input_error.hpp"

namespace vpcgate::loader {
namespace {

const std::string kFixtures = std::string(VPCGATE_FIXTURES) + "/loader";
// Deliberately malformed input is test data, not AWS CLI output: it lives beside the tests.
const std::string kBad = std::string(VPCGATE_SOURCE_DIR) + "/tests/loader/bad";

// The InputError's text ("FILE: WHERE: message"), or "" when none is thrown.
template <class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const model::InputError& e) {
    return e.what();
  }
  return "";
}

template <class T>
const T* by_arn(const std::vector<T>& v, const std::string& arn) {
  auto it = std::find_if(v.begin(), v.end(), [&](const T& x) { return x.arn == arn; });
  return it == v.end() ? nullptr : &*it;
}

template <class T>
const T* by_id(const std::vector<T>& v, const std::string& id) {
  auto it = std::find_if(v.begin(), v.end(), [&](const T& x) { return x.id == id; });
  return it == v.end() ? nullptr : &*it;
}

class ExportTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { account_ = new model::Account(load({kFixtures + "/export"})); }
  static void TearDownTestSuite() {
    delete account_;
    account_ = nullptr;
  }
  static model::Account* account_;
};
model::Account* ExportTest::account_ = nullptr;

TEST_F(ExportTest, FilesAndSkippedInBytewiseOrderJoinedFromThePathGiven) {
  const auto& a = *account_;
  std::vector<std::string> files;
  for (const char* f : {"ec2/egress-only-internet-gateways.json", "ec2/internet-gateways.json",
                        "ec2/nat-gateways.json", "ec2/network-acls.json", "ec2/route-tables.json",
                        "ec2/security-groups.json", "ec2/subnets.json", "ec2/vpc-endpoints.json", "ec2/vpcs.json",
                        "iam/page-1.json", "iam/page-2.json", "org/scp-deny-regions.json",
                        "sagemaker/domain.json", "sagemaker/model.json", "sagemaker/notebook-nb1.json",
                        "sagemaker/processing-job.json", "sagemaker/training-job.json"}) {
    files.push_back(kFixtures + "/export/" + f);
  }
  EXPECT_EQ(a.files, files);
  // list-policies (Policies without PolicyVersionList), a YAML config, a non-CLI JSON file and a
  // describe-policy of a tag policy are skipped.
  std::vector<std::string> skipped;
  for (const char* f : {"notes/config.yaml", "notes/list-policies.json", "notes/readme.json", "org/tag-policy.json"}) {
    skipped.push_back(kFixtures + "/export/" + f);
  }
  EXPECT_EQ(a.skipped, skipped);
}

TEST_F(ExportTest, IamPagesMergedIdenticalDuplicatesOnce) {
  const auto& a = *account_;
  ASSERT_EQ(a.users.size(), 1u);
  ASSERT_EQ(a.groups.size(), 1u);
  // SageMakerExecution is on both pages (different RoleLastUsed only): merged.
  ASSERT_EQ(a.roles.size(), 2u);
  EXPECT_EQ(a.roles[0].arn, "arn:aws:iam::111122223333:role/service-role/SageMakerExecution");
  EXPECT_EQ(a.roles[0].loc.file, kFixtures + "/export/iam/page-1.json");
  EXPECT_EQ(a.roles[0].loc.pointer, "/RoleDetailList/0");
  EXPECT_EQ(a.roles[1].arn, "arn:aws:iam::111122223333:role/DataScientist");
  EXPECT_EQ(a.roles[1].loc.pointer, "/RoleDetailList/1");
  EXPECT_EQ(a.roles[0].path, "/service-role/");
  EXPECT_EQ(a.roles[0].id, "AROAEXAMPLEROLE000001");
}

TEST_F(ExportTest, UserDetails) {
  const auto* u = by_arn(account_->users, "arn:aws:iam::111122223333:user/alice");
  ASSERT_NE(u, nullptr);
  EXPECT_EQ(u->name, "alice");
  EXPECT_EQ(u->groups, (std::vector<std::string>{"data-scientists", "auditors"}));
  ASSERT_EQ(u->attached.size(), 1u);
  EXPECT_EQ(u->attached[0].arn, "arn:aws:iam::aws:policy/IAMUserChangePassword");
  EXPECT_EQ(u->attached[0].name, "IAMUserChangePassword");
  ASSERT_EQ(u->inline_policies.size(), 1u);
  EXPECT_EQ(u->inline_policies[0].name, "presign-anywhere");
  ASSERT_EQ(u->inline_policies[0].document.statements.size(), 1u);
  EXPECT_EQ(u->inline_policies[0].document.statements[0].sid, "Presign");
  EXPECT_EQ(u->boundary_arn, "arn:aws:iam::111122223333:policy/DeveloperBoundary");
  ASSERT_EQ(u->tags.size(), 1u);
  EXPECT_EQ(u->tags[0].key, "team");
  EXPECT_EQ(u->tags[0].value, "ml");
  EXPECT_EQ(u->loc.pointer, "/UserDetailList/0");
}

TEST_F(ExportTest, GroupInlinePolicyUrlEncodedStringAccepted) {
  const auto& g = account_->groups.at(0);
  EXPECT_EQ(g.name, "data-scientists");
  ASSERT_EQ(g.inline_policies.size(), 1u);
  ASSERT_EQ(g.inline_policies[0].document.statements.size(), 1u);
  EXPECT_EQ(g.inline_policies[0].document.statements[0].actions,
            std::vector<std::string>{"sagemaker:DescribeNotebookInstance"});
  ASSERT_EQ(g.attached.size(), 1u);
}

TEST_F(ExportTest, RoleTrustInlineAttachedBoundary) {
  const auto* r = by_arn(account_->roles, "arn:aws:iam::111122223333:role/DataScientist");
  ASSERT_NE(r, nullptr);
  ASSERT_EQ(r->trust.statements.size(), 1u);
  ASSERT_TRUE(r->trust.statements[0].principal.has_value());
  EXPECT_EQ(r->trust.statements[0].principal->by_type.at("AWS"),
            std::vector<std::string>{"arn:aws:iam::111122223333:root"});
  ASSERT_EQ(r->inline_policies.size(), 1u);
  EXPECT_EQ(r->inline_policies[0].name, "presign-from-vpce");
  ASSERT_EQ(r->attached.size(), 2u);
  EXPECT_EQ(r->boundary_arn, "arn:aws:iam::aws:policy/PowerUserAccess");
}

TEST_F(ExportTest, ManagedPolicyDefaultVersion) {
  const auto* p = by_arn(account_->policies, "arn:aws:iam::111122223333:policy/NotebookAccess");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->name, "NotebookAccess");
  EXPECT_EQ(p->path, "/");
  EXPECT_FALSE(p->aws_managed);
  EXPECT_FALSE(p->from_snapshot);
  ASSERT_EQ(p->document.statements.size(), 2u);  // v2, not v1
  EXPECT_EQ(p->document.statements[1].sid, "PresignFromVpce");
  EXPECT_EQ(p->loc.file, kFixtures + "/export/iam/page-2.json");
  EXPECT_EQ(p->loc.pointer, "/Policies/0");
}

TEST_F(ExportTest, SnapshotAddsOnlyReferencedAwsManagedPoliciesMissingFromTheInput) {
  const auto& a = *account_;
  EXPECT_EQ(a.input_managed_policy_count, 2u);  // NotebookAccess and ReadOnlyAccess
  // The input's own ReadOnlyAccess wins over the snapshot.
  const auto* ro = by_arn(a.policies, "arn:aws:iam::aws:policy/ReadOnlyAccess");
  ASSERT_NE(ro, nullptr);
  EXPECT_TRUE(ro->aws_managed);
  EXPECT_FALSE(ro->from_snapshot);
  ASSERT_EQ(ro->document.statements.size(), 1u);
  EXPECT_EQ(ro->document.statements[0].actions, std::vector<std::string>{"s3:Get*"});
  // Attached to a user, attached to a role, used as a boundary: from the snapshot.
  for (const char* arn : {"arn:aws:iam::aws:policy/IAMUserChangePassword", "arn:aws:iam::aws:policy/AmazonSageMakerFullAccess",
                          "arn:aws:iam::aws:policy/PowerUserAccess"}) {
    const auto* p = by_arn(a.policies, arn);
    ASSERT_NE(p, nullptr) << arn;
    EXPECT_TRUE(p->aws_managed) << arn;
    EXPECT_TRUE(p->from_snapshot) << arn;
    EXPECT_FALSE(p->document.statements.empty()) << arn;
  }
  EXPECT_EQ(a.policies.size(), 5u);
  // Customer managed boundary and a group the input does not hold stay dangling.
  EXPECT_EQ(by_arn(a.policies, "arn:aws:iam::111122223333:policy/DeveloperBoundary"), nullptr);
  const auto* pu = by_arn(a.policies, "arn:aws:iam::aws:policy/PowerUserAccess");
  EXPECT_EQ(pu->name, "PowerUserAccess");
  EXPECT_EQ(pu->path, "/");
  // Located at its (bytewise-first) referrer.
  EXPECT_EQ(pu->loc.file, kFixtures + "/export/iam/page-2.json");
  EXPECT_EQ(pu->loc.pointer, "/RoleDetailList/1");
}

TEST_F(ExportTest, Counts) {
  const auto& a = *account_;
  EXPECT_EQ(a.inline_policy_count, 3u);  // alice, data-scientists, DataScientist
  EXPECT_TRUE(a.has_security_groups);
  EXPECT_TRUE(a.has_network_acls);
  EXPECT_TRUE(a.has_route_tables);
}

TEST_F(ExportTest, ServiceControlPolicy) {
  ASSERT_EQ(account_->scps.size(), 1u);
  const auto& scp = account_->scps[0];
  EXPECT_EQ(scp.arn, "arn:aws:organizations::999988887777:policy/o-exampleorg/service_control_policy/p-abcd1234");
  EXPECT_EQ(scp.id, "p-abcd1234");
  EXPECT_EQ(scp.name, "DenyOtherRegions");
  ASSERT_EQ(scp.document.statements.size(), 1u);
  EXPECT_EQ(scp.document.statements[0].effect, model::Effect::Deny);
  EXPECT_TRUE(scp.document.statements[0].not_action);
  EXPECT_EQ(scp.loc.pointer, "/Policy");
}

TEST_F(ExportTest, VpcCidrsAndRegion) {
  ASSERT_EQ(account_->vpcs.size(), 1u);
  const auto& v = account_->vpcs[0];
  EXPECT_EQ(v.id, "vpc-0a1b2c3d4e5f60001");
  EXPECT_EQ(v.owner_id, "111122223333");
  EXPECT_EQ(v.cidrs, (std::vector<std::string>{"10.0.0.0/16", "10.1.0.0/16"}));  // not the disassociated one
  EXPECT_EQ(v.ipv6_cidrs, std::vector<std::string>{"2600:1f18:1234:5600::/56"});
  EXPECT_EQ(v.region, "us-east-1");
  EXPECT_FALSE(v.is_default);
}

TEST_F(ExportTest, Subnets) {
  const auto* s = by_id(account_->subnets, "subnet-0a1b2c3d4e5f60001");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->vpc_id, "vpc-0a1b2c3d4e5f60001");
  EXPECT_EQ(s->cidr, "10.0.1.0/24");
  EXPECT_EQ(s->ipv6_cidrs, std::vector<std::string>{"2600:1f18:1234:5601::/64"});
  EXPECT_EQ(s->region, "us-east-1");
  const auto* s2 = by_id(account_->subnets, "subnet-0a1b2c3d4e5f60002");
  ASSERT_NE(s2, nullptr);
  EXPECT_EQ(s2->region, "us-east-1");  // from the zone: this one has no SubnetArn
  EXPECT_EQ(s2->loc.pointer, "/Subnets/1");
}

TEST_F(ExportTest, RouteTables) {
  using K = model::RouteTargetKind;
  const auto* t = by_id(account_->route_tables, "rtb-0a1b2c3d4e5f60001");
  ASSERT_NE(t, nullptr);
  ASSERT_EQ(t->routes.size(), 5u);
  EXPECT_EQ(t->routes[0].target_kind, K::Local);
  EXPECT_EQ(t->routes[1].target_kind, K::NatGateway);
  EXPECT_EQ(t->routes[1].target_id, "nat-0a1b2c3d4e5f60001");
  EXPECT_EQ(t->routes[1].destination, "0.0.0.0/0");
  EXPECT_EQ(t->routes[2].target_kind, K::EgressOnlyInternetGateway);
  EXPECT_EQ(t->routes[2].destination, "::/0");
  EXPECT_EQ(t->routes[3].target_kind, K::VpcEndpoint);
  EXPECT_EQ(t->routes[3].destination, "");
  EXPECT_EQ(t->routes[3].destination_prefix_list, "pl-63a5400a");
  EXPECT_EQ(t->routes[4].target_kind, K::TransitGateway);
  EXPECT_EQ(t->routes[4].state, "blackhole");
  ASSERT_EQ(t->associations.size(), 1u);
  EXPECT_EQ(t->associations[0].subnet_id, "subnet-0a1b2c3d4e5f60001");
  EXPECT_FALSE(t->associations[0].main);
  const auto* main = by_id(account_->route_tables, "rtb-0a1b2c3d4e5f60002");
  ASSERT_NE(main, nullptr);
  ASSERT_EQ(main->associations.size(), 1u);
  EXPECT_TRUE(main->associations[0].main);
  EXPECT_EQ(main->routes[1].target_kind, K::InternetGateway);
}

TEST_F(ExportTest, Gateways) {
  ASSERT_EQ(account_->internet_gateways.size(), 1u);
  EXPECT_EQ(account_->internet_gateways[0].vpc_ids, std::vector<std::string>{"vpc-0a1b2c3d4e5f60001"});
  ASSERT_EQ(account_->nat_gateways.size(), 1u);
  EXPECT_EQ(account_->nat_gateways[0].subnet_id, "subnet-0a1b2c3d4e5f60002");
  EXPECT_EQ(account_->nat_gateways[0].connectivity_type, "public");
  EXPECT_EQ(account_->nat_gateways[0].state, "available");
  ASSERT_EQ(account_->egress_only_gateways.size(), 1u);
  EXPECT_EQ(account_->egress_only_gateways[0].vpc_ids, std::vector<std::string>{"vpc-0a1b2c3d4e5f60001"});
}

TEST_F(ExportTest, SecurityGroupsAndAcls) {
  ASSERT_EQ(account_->security_groups.size(), 1u);
  const auto& sg = account_->security_groups[0];
  ASSERT_EQ(sg.ingress.size(), 1u);
  EXPECT_EQ(sg.ingress[0].protocol, "tcp");
  EXPECT_EQ(sg.ingress[0].from_port, 443);
  EXPECT_EQ(sg.ingress[0].groups, std::vector<std::string>{"sg-0a1b2c3d4e5f60002"});
  ASSERT_EQ(sg.egress.size(), 1u);
  EXPECT_EQ(sg.egress[0].protocol, "-1");
  EXPECT_FALSE(sg.egress[0].from_port.has_value());
  EXPECT_EQ(sg.egress[0].ipv4_ranges, std::vector<std::string>{"0.0.0.0/0"});
  EXPECT_EQ(sg.egress[0].ipv6_ranges, std::vector<std::string>{"::/0"});

  ASSERT_EQ(account_->network_acls.size(), 1u);
  const auto& acl = account_->network_acls[0];
  EXPECT_TRUE(acl.is_default);
  EXPECT_EQ(acl.subnet_ids, std::vector<std::string>{"subnet-0a1b2c3d4e5f60001"});
  ASSERT_EQ(acl.entries.size(), 3u);
  EXPECT_EQ(acl.entries[0].rule_number, 100);
  EXPECT_TRUE(acl.entries[0].allow);
  EXPECT_TRUE(acl.entries[0].egress);
  EXPECT_EQ(acl.entries[0].port_from, 443);
  EXPECT_EQ(acl.entries[0].port_to, 443);
  EXPECT_FALSE(acl.entries[1].allow);
  EXPECT_EQ(acl.entries[2].rule_number, 32768);
  EXPECT_EQ(acl.entries[2].ipv6_cidr, "::/0");
  EXPECT_FALSE(acl.entries[2].egress);
}

TEST_F(ExportTest, VpcEndpoints) {
  const auto* api = by_id(account_->vpc_endpoints, "vpce-0a1b2c3d4e5f60001");
  ASSERT_NE(api, nullptr);
  EXPECT_EQ(api->service_name, "com.amazonaws.us-east-1.sagemaker.api");
  EXPECT_EQ(api->region, "us-east-1");
  EXPECT_EQ(api->type, "Interface");
  ASSERT_TRUE(api->policy.has_value());  // PolicyDocument is a JSON string
  ASSERT_EQ(api->policy->statements.size(), 1u);
  EXPECT_TRUE(api->policy->statements[0].principal->wildcard);
  EXPECT_EQ(api->subnet_ids, std::vector<std::string>{"subnet-0a1b2c3d4e5f60001"});
  EXPECT_EQ(api->security_group_ids, std::vector<std::string>{"sg-0a1b2c3d4e5f60001"});
  EXPECT_TRUE(api->private_dns);
  const auto* s3 = by_id(account_->vpc_endpoints, "vpce-0a1b2c3d4e5f60002");
  ASSERT_NE(s3, nullptr);
  EXPECT_EQ(s3->type, "Gateway");
  EXPECT_FALSE(s3->policy.has_value());  // none printed: AWS's default full access
  EXPECT_EQ(s3->route_table_ids, std::vector<std::string>{"rtb-0a1b2c3d4e5f60001"});
}

TEST_F(ExportTest, SageMaker) {
  const auto& a = *account_;
  ASSERT_EQ(a.notebooks.size(), 1u);
  const auto& nb = a.notebooks[0];
  EXPECT_EQ(nb.arn, "arn:aws:sagemaker:us-east-1:111122223333:notebook-instance/nb1");
  EXPECT_EQ(nb.name, "nb1");
  EXPECT_EQ(nb.subnet_id, "subnet-0a1b2c3d4e5f60001");
  EXPECT_EQ(nb.security_groups, std::vector<std::string>{"sg-0a1b2c3d4e5f60001"});
  EXPECT_FALSE(nb.direct_internet_access);
  EXPECT_EQ(nb.status, "InService");
  EXPECT_EQ(nb.role_arn, "arn:aws:iam::111122223333:role/service-role/SageMakerExecution");
  EXPECT_EQ(nb.loc.pointer, "");

  ASSERT_EQ(a.training_jobs.size(), 1u);
  EXPECT_TRUE(a.training_jobs[0].network_isolation);
  ASSERT_TRUE(a.training_jobs[0].vpc_config.has_value());
  EXPECT_EQ(a.training_jobs[0].vpc_config->subnets, std::vector<std::string>{"subnet-0a1b2c3d4e5f60001"});

  // A processing job carrying the TrainingJobArn that started it is a processing job.
  ASSERT_EQ(a.processing_jobs.size(), 1u);
  EXPECT_EQ(a.processing_jobs[0].arn, "arn:aws:sagemaker:us-east-1:111122223333:processing-job/process-1");
  EXPECT_FALSE(a.processing_jobs[0].network_isolation);
  ASSERT_TRUE(a.processing_jobs[0].vpc_config.has_value());
  EXPECT_EQ(a.processing_jobs[0].vpc_config->security_group_ids, std::vector<std::string>{"sg-0a1b2c3d4e5f60001"});

  ASSERT_EQ(a.models.size(), 1u);
  EXPECT_FALSE(a.models[0].vpc_config.has_value());
  EXPECT_FALSE(a.models[0].network_isolation);
  EXPECT_EQ(a.models[0].role_arn, "arn:aws:iam::111122223333:role/service-role/SageMakerExecution");

  ASSERT_EQ(a.domains.size(), 1u);
  EXPECT_EQ(a.domains[0].id, "d-abcdefghijkl");
  EXPECT_EQ(a.domains[0].app_network_access_type, "VpcOnly");
  EXPECT_EQ(a.domains[0].vpc_id, "vpc-0a1b2c3d4e5f60001");
  EXPECT_EQ(a.domains[0].security_groups, std::vector<std::string>{"sg-0a1b2c3d4e5f60001"});
}

// ---------------------------------------------------------------- recognition

FileLoad text(const std::string& json, const std::string& name = "in.json") { return load_text(json, name, false); }

TEST(Recognition, NotebookWithTopLevelSecurityGroupsIsANotebook) {
  auto f = text(R"({"NotebookInstanceArn": "arn:aws:sagemaker:us-east-1:1:notebook-instance/x",
                    "SecurityGroups": ["sg-1"]})");
  EXPECT_EQ(f.kind, FileKind::NotebookInstance);
  EXPECT_TRUE(f.account.security_groups.empty());
  EXPECT_FALSE(f.account.has_security_groups);
  ASSERT_EQ(f.account.notebooks.size(), 1u);
  EXPECT_EQ(f.account.notebooks[0].name, "x");  // from the ARN when the name is not printed
  EXPECT_TRUE(f.account.notebooks[0].direct_internet_access);
}

TEST(Recognition, TableOrder) {
  auto kind = [](const std::string& json) {
    simdjson::dom::parser parser;
    std::string file = "in.json";
    return recognise(detail::Node(parser.parse(json).value(), "", file));
  };
  EXPECT_EQ(kind(R"({"ProcessingJobArn": 1, "TrainingJobArn": 1})"), FileKind::ProcessingJob);
  EXPECT_EQ(kind(R"({"TrainingJobArn": 1, "ModelArn": 1})"), FileKind::TrainingJob);
  EXPECT_EQ(kind(R"({"DomainArn": 1, "Vpcs": []})"), FileKind::Domain);
  EXPECT_EQ(kind(R"({"Vpcs": [], "Subnets": []})"), FileKind::Vpcs);
  EXPECT_EQ(kind(R"({"NetworkAcls": [], "VpcEndpoints": []})"), FileKind::NetworkAcls);
  EXPECT_EQ(kind(R"({"RoleDetailList": [], "Vpcs": []})"), FileKind::IamAuthorizationDetails);
  EXPECT_EQ(kind(R"({"Policies": [{"PolicyVersionList": []}]})"), FileKind::IamAuthorizationDetails);
  EXPECT_EQ(kind(R"({"Policies": [{"PolicyName": "x"}]})"), FileKind::Unrecognised);  // list-policies
  EXPECT_EQ(kind(R"({"Policies": []})"), FileKind::Unrecognised);
  EXPECT_EQ(kind(R"({"Policy": "{\"Version\": \"2012-10-17\"}"})"), FileKind::Unrecognised);  // s3api
  EXPECT_EQ(kind(R"({"Policy": {"PolicyName": "x"}})"), FileKind::Unrecognised);  // iam get-policy
  EXPECT_EQ(kind(R"([1, 2])"), FileKind::Unrecognised);
  EXPECT_EQ(kind(R"({"Resources": {}})"), FileKind::CloudFormationTemplate);
  EXPECT_EQ(kind(R"({"format_version": "1.2"})"), FileKind::Unrecognised);
}

TEST(Recognition, UnrecognisedIsSkipped) {
  auto f = text(R"({"something": true})", "x/notes.json");
  EXPECT_TRUE(f.skipped);
  EXPECT_EQ(f.account.skipped, std::vector<std::string>{"x/notes.json"});
  EXPECT_TRUE(f.account.files.empty());
}

TEST(Recognition, OtherPolicyTypesSkipped) {
  auto f = text(R"({"Policy": {"PolicySummary": {"Type": "BACKUP_POLICY", "Arn": "a"}, "Content": "{}"}})");
  EXPECT_EQ(f.kind, FileKind::OrganizationsPolicy);
  EXPECT_TRUE(f.skipped);
  EXPECT_TRUE(f.account.scps.empty());
}

TEST(Recognition, InfrastructureAsCodeIsRead) {
  // tests/loader/iac_test.cpp covers the mapping; here: both kinds load and count as input.
  // template.yaml's notebook names a role the template does not define: CloudFormation
  // rejects it, and so do we (exit 2), with the place.
  EXPECT_EQ(error_of([] { load({kFixtures + "/iac/template.yaml"}); }),
            kFixtures + "/iac/template.yaml: line 7, column 16: GetAtt of Role, which is not a resource of the template");
  auto p = load({kFixtures + "/iac/plan.json"});
  EXPECT_EQ(p.files, std::vector<std::string>{kFixtures + "/iac/plan.json"});
  EXPECT_TRUE(p.roles.empty());
}

TEST(Recognition, YamlCliOutput) {
  auto f = load_text("Vpcs:\n- VpcId: vpc-9\n  IsDefault: true\n  CidrBlock: 10.0.0.0/16\n", "v.yaml", true);
  EXPECT_EQ(f.kind, FileKind::Vpcs);
  ASSERT_EQ(f.account.vpcs.size(), 1u);
  EXPECT_TRUE(f.account.vpcs[0].is_default);
  EXPECT_EQ(f.account.vpcs[0].cidrs, std::vector<std::string>{"10.0.0.0/16"});
}

TEST(Recognition, Utf16WithByteOrderMark) {
  std::string utf8 = R"({"Vpcs": [{"VpcId": "vpc-é"}]})";
  std::string utf16 = "\xFF\xFE";
  for (unsigned char c : std::string(R"({"Vpcs": [{"VpcId": "vpc-)")) utf16 += {static_cast<char>(c), '\0'};
  utf16 += {'\xE9', '\0'};
  for (unsigned char c : std::string(R"("}]})")) utf16 += {static_cast<char>(c), '\0'};
  auto f = text(utf16);
  ASSERT_EQ(f.account.vpcs.size(), 1u);
  EXPECT_EQ(f.account.vpcs[0].id, "vpc-\xC3\xA9");
  auto g = text("\xEF\xBB\xBF" + utf8);
  ASSERT_EQ(g.account.vpcs.size(), 1u);
}

// ---------------------------------------------------------------- errors: file and place

TEST(Errors, SyntaxErrorHasLineAndColumn) {
  auto e = error_of([] { load({kBad + "/syntax.json"}); });
  EXPECT_EQ(e.rfind(kBad + "/syntax.json: line 5, column ", 0), 0u) << e;
  EXPECT_NE(e.find("invalid JSON"), std::string::npos) << e;
}

TEST(Errors, YamlSyntaxErrorHasLineAndColumn) {
  auto e = error_of([] { load_text("a: [1, 2\nb: c\n", "t.yaml", true); });
  EXPECT_EQ(e.rfind("t.yaml: line ", 0), 0u) << e;
  EXPECT_NE(e.find("invalid YAML"), std::string::npos) << e;
}

TEST(Errors, PolicyInsideExportHasFullPointer) {
  EXPECT_EQ(error_of([] { load({kBad + "/trust-effect.json"}); }),
            kBad + "/trust-effect.json: /RoleDetailList/1/AssumeRolePolicyDocument/Statement/1/Effect: "
                        "expected \"Allow\" or \"Deny\", got \"allow\"");
}

TEST(Errors, ScpContentPointerAndPlaceInsideTheString) {
  auto e = error_of([] { load({kBad + "/scp-content.json"}); });
  EXPECT_EQ(e.rfind(kBad + "/scp-content.json: /Policy/Content: /Statement/0/Effect: ", 0), 0u) << e;
  auto syntax = error_of([] {
    text(R"({"Policy": {"PolicySummary": {"Type": "SERVICE_CONTROL_POLICY", "Arn": "a"}, "Content": "{\"Version\": x}"}})");
  });
  EXPECT_EQ(syntax.rfind("in.json: /Policy/Content: line 1, column ", 0), 0u) << syntax;
  EXPECT_EQ(error_of([] {
              text(R"({"Policy": {"PolicySummary": {"Type": "SERVICE_CONTROL_POLICY", "Arn": "a"}, "Content": {}}})");
            }),
            "in.json: /Policy/Content: expected a string, got an object");
  EXPECT_EQ(error_of([] { text(R"({"Policy": {"Content": "{}"}})"); }),
            "in.json: /Policy/PolicySummary: required member missing");
}

TEST(Errors, WrongTypeInEc2) {
  EXPECT_EQ(error_of([] { load({kBad + "/subnets-vpcid-number.json"}); }),
            kBad + "/subnets-vpcid-number.json: /Subnets/0/VpcId: expected a string, got a number");
  EXPECT_EQ(error_of([] { text(R"({"Vpcs": {}})"); }), "in.json: /Vpcs: expected an array, got an object");
  EXPECT_EQ(error_of([] { text(R"({"Vpcs": [{"CidrBlock": "10.0.0.0/16"}]})"); }),
            "in.json: /Vpcs/0/VpcId: required member missing");
  EXPECT_EQ(error_of([] {
              text(R"({"NetworkAcls": [{"NetworkAclId": "acl-1", "VpcId": "vpc-1", "Entries": [
                {"RuleNumber": 100, "Protocol": "-1", "RuleAction": "Allow", "Egress": true}]}]})");
            }),
            "in.json: /NetworkAcls/0/Entries/0/RuleAction: expected \"allow\" or \"deny\", got \"Allow\"");
  EXPECT_EQ(error_of([] {
              text(R"({"RouteTables": [{"RouteTableId": "rtb-1", "VpcId": "vpc-1", "Routes": [{"GatewayId": "local"}]}]})");
            }),
            "in.json: /RouteTables/0/Routes/0: route without a destination (DestinationCidrBlock, "
            "DestinationIpv6CidrBlock or DestinationPrefixListId)");
  EXPECT_EQ(error_of([] { text(R"({"VpcEndpoints": [{"VpcEndpointId": "vpce-1", "VpcId": "vpc-1",
                                   "ServiceName": "com.amazonaws.us-east-1.s3", "PolicyDocument": 7}]})"); }),
            "in.json: /VpcEndpoints/0/PolicyDocument: expected a policy document (an object or a JSON string), got a number");
}

TEST(Errors, MissingMembersTheCliAlwaysPrints) {
  EXPECT_EQ(error_of([] { text(R"({"RoleDetailList": [{"Arn": "arn:aws:iam::1:role/r", "RoleName": "r"}]})"); }),
            "in.json: /RoleDetailList/0/AssumeRolePolicyDocument: required member missing");
  EXPECT_EQ(error_of([] { text(R"({"UserDetailList": [{"UserName": "u"}]})"); }),
            "in.json: /UserDetailList/0/Arn: required member missing");
  EXPECT_EQ(error_of([] {
              text(R"({"Policies": [{"Arn": "arn:aws:iam::1:policy/p", "PolicyName": "p", "PolicyVersionList": [
                {"Document": {"Version": "2012-10-17", "Statement": []}, "VersionId": "v1", "IsDefaultVersion": false}]}]})");
            }),
            "in.json: /Policies/0/PolicyVersionList: no default version (no item has IsDefaultVersion true)");
  EXPECT_EQ(error_of([] {
              text(R"({"TrainingJobArn": "arn:aws:sagemaker:us-east-1:1:training-job/t", "TrainingJobName": "t"})");
            }),
            "in.json: /ModelArtifacts: required member missing");
  EXPECT_EQ(error_of([] {
              text(R"({"ModelArn": "arn:aws:sagemaker:us-east-1:1:model/m", "ModelName": "m",
                       "CreationTime": "2024-01-01T00:00:00+00:00", "VpcConfig": {"Subnets": ["subnet-1"]}})");
            }),
            "in.json: /VpcConfig/SecurityGroupIds: required member missing");
  EXPECT_EQ(error_of([] {
              text(R"({"UserDetailList": [{"Arn": "arn:aws:iam::1:user/u", "UserName": "u",
                       "UserPolicyList": [{"PolicyName": "p"}]}]})");
            }),
            "in.json: /UserDetailList/0/UserPolicyList/0/PolicyDocument: required member missing");
}

TEST(Errors, DuplicateMember) {
  EXPECT_EQ(error_of([] { text(R"({"Vpcs": [{"VpcId": "vpc-1", "VpcId": "vpc-2"}]})"); }),
            "in.json: /Vpcs/0/VpcId: duplicate member");
}

TEST(Errors, EnumValues) {
  EXPECT_EQ(error_of([] {
              text(R"({"NotebookInstanceArn": "arn:aws:sagemaker:us-east-1:1:notebook-instance/x",
                       "DirectInternetAccess": "enabled"})");
            }),
            "in.json: /DirectInternetAccess: expected \"Enabled\" or \"Disabled\", got \"enabled\"");
}

// ---------------------------------------------------------------- merging

TEST(Merge, ConflictingDuplicateAcrossFilesIsAnError) {
  EXPECT_EQ(error_of([] { load({kFixtures + "/conflict"}); }),
            kFixtures + "/conflict/page-2.json: /RoleDetailList/0: role arn:aws:iam::111122223333:role/DataScientist "
                        "differs from its copy in " + kFixtures + "/conflict/page-1.json at /RoleDetailList/0");
}

TEST(Merge, SameFileTwiceIsLoadedOnce) {
  auto a = load({kFixtures + "/export/ec2/vpcs.json", kFixtures + "/export/ec2/vpcs.json"});
  EXPECT_EQ(a.files.size(), 1u);
  EXPECT_EQ(a.vpcs.size(), 1u);
}

TEST(Merge, IdenticalDuplicateUnderAnotherNameMerged) {
  auto dir = std::filesystem::temp_directory_path() / "vpcgate-loader-merge";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir / "b");
  std::filesystem::copy_file(kFixtures + "/export/ec2/vpcs.json", dir / "a.json");
  std::filesystem::copy_file(kFixtures + "/export/ec2/vpcs.json", dir / "b" / "copy.json");
  auto a = load({dir.string()});
  EXPECT_EQ(a.files, (std::vector<std::string>{dir.string() + "/a.json", dir.string() + "/b/copy.json"}));
  ASSERT_EQ(a.vpcs.size(), 1u);
  EXPECT_EQ(a.vpcs[0].loc.file, dir.string() + "/a.json");
  std::filesystem::remove_all(dir);
}

// ---------------------------------------------------------------- walking

TEST(Walk, DisplayPathsJoinedFromThePathGivenAndSymlinkLoopsGuarded) {
  auto dir = std::filesystem::temp_directory_path() / "vpcgate-loader-walk";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir / "export" / "iam");
  std::filesystem::copy_file(kFixtures + "/export/iam/page-1.json", dir / "export" / "iam" / "page-1.json");
  std::filesystem::copy_file(kFixtures + "/export/ec2/vpcs.json", dir / "export" / "vpcs.json");
  std::ofstream(dir / "export" / "notes.txt") << "not read: wrong extension";
  std::filesystem::create_directory_symlink("..", dir / "export" / "iam" / "loop");
  auto cwd = std::filesystem::current_path();
  std::filesystem::current_path(dir);
  model::Account a;
  std::string error = error_of([&] { a = load({"export/"}); });
  std::filesystem::current_path(cwd);
  EXPECT_EQ(error, "");
  EXPECT_EQ(a.files, (std::vector<std::string>{"export/iam/page-1.json", "export/vpcs.json"}));
  EXPECT_TRUE(a.skipped.empty());
  std::filesystem::remove_all(dir);
}

TEST(Walk, MissingPathIsAnError) {
  EXPECT_EQ(error_of([] { load({"/nonexistent/vpcgate"}); }), "/nonexistent/vpcgate: No such file or directory");
}

TEST(Snapshot, UnreadableSnapshotStopsTheScanOnlyWhenNeeded) {
  LoadOptions options;
  options.managed_policy_snapshot = "/nonexistent/aws-managed-policies.json";
  // Nothing attached that the input lacks: the snapshot is never opened.
  EXPECT_EQ(error_of([&] { load({kFixtures + "/export/ec2"}, options); }), "");
  EXPECT_EQ(error_of([&] { load({kFixtures + "/export/iam"}, options); }),
            "/nonexistent/aws-managed-policies.json: cannot read the snapshot of AWS managed policies");
}

TEST(Snapshot, OtherPartitionsResolveToTheSameDocument) {
  auto dir = std::filesystem::temp_directory_path() / "vpcgate-loader-cn";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "iam.json") << R"({"RoleDetailList": [{"Arn": "arn:aws-cn:iam::1:role/r", "RoleName": "r",
      "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": []},
      "AttachedManagedPolicies": [{"PolicyName": "ReadOnlyAccess", "PolicyArn": "arn:aws-cn:iam::aws:policy/ReadOnlyAccess"},
                                  {"PolicyName": "NoSuch", "PolicyArn": "arn:aws:iam::aws:policy/NoSuchPolicyAnywhere"}]}]})";
  auto a = load({dir.string()});
  std::filesystem::remove_all(dir);
  ASSERT_EQ(a.policies.size(), 1u);  // the unknown one stays a dangling reference
  EXPECT_EQ(a.policies[0].arn, "arn:aws-cn:iam::aws:policy/ReadOnlyAccess");
  EXPECT_TRUE(a.policies[0].from_snapshot);
  EXPECT_EQ(a.input_managed_policy_count, 0u);
}

}  // namespace
}  // namespace vpcgate::loader
