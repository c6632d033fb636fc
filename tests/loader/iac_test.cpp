// CloudFormation templates and Terraform plans read into the model (analyzer/loader/iac.hpp,
// CONTRACT.md "Infrastructure as code", docs/iac.md).
#include <algorithm>
#include <string>

#include <gtest/gtest.h>

#include "analyzer/loader/load_file.hpp"
#include "analyzer/loader/loader.hpp"
#include "model/input_error.hpp"

namespace vpcgate::loader {
namespace {

const std::string kFixtures = std::string(VPCGATE_FIXTURES) + "/iac";

template <class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const model::InputError& e) {
    return e.what();
  }
  return "";
}

// One or more files (text, name, yaml) merged as `vpcgate scan` would.
model::Account merged(std::initializer_list<std::tuple<std::string, std::string, bool>> files) {
  Merger m;
  for (const auto& [text, name, yaml] : files) m.add(load_text(text, name, yaml));
  return std::move(m).finish();
}
model::Account yaml(const std::string& text) { return merged({{text, "t.yaml", true}}); }

template <class T>
const T* named(const std::vector<T>& v, const std::string& name) {
  auto it = std::find_if(v.begin(), v.end(), [&](const T& x) { return x.name == name; });
  return it == v.end() ? nullptr : &*it;
}
template <class T>
const T* with_id(const std::vector<T>& v, const std::string& id) {
  auto it = std::find_if(v.begin(), v.end(), [&](const T& x) { return x.id == id; });
  return it == v.end() ? nullptr : &*it;
}

const char* kTemplate = R"(AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Env:
    Type: String
    Default: prod
  Subnet:
    Type: AWS::EC2::Subnet::Id
Mappings:
  Sizes:
    prod: {Type: ml.m5.xlarge}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.1.0.0/16
  Role:
    Type: AWS::IAM::Role
    Properties:
      RoleName: !Sub "${Env}-scientist"
      Path: /ml/
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {AWS: !Sub "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"}
            Action: sts:AssumeRole
      ManagedPolicyArns:
        - !Ref Managed
        - arn:aws:iam::aws:policy/ReadOnlyAccess
      Policies:
        - PolicyName: presign
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: sagemaker:CreatePresignedNotebookInstanceUrl
                Resource: !GetAtt Notebook.NotebookInstanceArn
                Condition:
                  StringEquals:
                    aws:SourceVpce: !Ref Api
  Managed:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Action: !Split [",", "s3:GetObject,s3:PutObject"]
            Resource: !Join ["", ["arn:aws:s3:::", !Select [1, [a, data-bucket]], "/*"]]
  Api:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      VpcId: !Ref Vpc
      VpcEndpointType: Interface
      ServiceName: !Sub com.amazonaws.${AWS::Region}.sagemaker.api
  Notebook:
    Type: AWS::SageMaker::NotebookInstance
    Properties:
      InstanceType: !FindInMap [Sizes, !Ref Env, Type]
      RoleArn: !GetAtt Role.Arn
      SubnetId: !Ref Subnet
      DirectInternetAccess: !If [IsProd, Disabled, Enabled]
)";

TEST(CloudFormation, IntrinsicsArnsAndDefaults) {
  auto a = yaml(kTemplate);
  ASSERT_EQ(a.roles.size(), 1u);
  const auto& role = a.roles[0];
  EXPECT_EQ(role.name, "prod-scientist");  // !Sub with a parameter's Default
  EXPECT_EQ(role.arn, "arn:aws:iam::${AWS::AccountId}:role/ml/prod-scientist");
  EXPECT_EQ(role.loc.file, "t.yaml");
  EXPECT_EQ(role.loc.line, 18);  // the line of the logical ID
  ASSERT_EQ(role.attached.size(), 2u);
  EXPECT_EQ(role.attached[0].arn, "arn:aws:iam::${AWS::AccountId}:policy/Managed");  // !Ref of a managed policy: its ARN
  ASSERT_EQ(role.inline_policies.size(), 1u);
  const auto& st = role.inline_policies[0].document.statements.at(0);
  // The stack's own account and region, literal (escaped from the policy-variable syntax).
  EXPECT_EQ(st.resources, std::vector<std::string>{"arn:aws:sagemaker:${$}{AWS::Region}:${$}{AWS::AccountId}:notebook-instance/Notebook"});
  ASSERT_EQ(st.conditions.size(), 1u);
  EXPECT_EQ(st.conditions[0].values, std::vector<std::string>{"Api"});  // !Ref of an endpoint: the template's own

  ASSERT_EQ(a.policies.size(), 1u);
  const auto& ms = a.policies[0].document.statements.at(0);
  EXPECT_EQ(ms.actions, (std::vector<std::string>{"s3:GetObject", "s3:PutObject"}));
  EXPECT_EQ(ms.resources, std::vector<std::string>{"arn:aws:s3:::data-bucket/*"});

  ASSERT_EQ(a.vpc_endpoints.size(), 1u);
  EXPECT_EQ(a.vpc_endpoints[0].id, "Api");
  EXPECT_EQ(a.vpc_endpoints[0].vpc_id, "Vpc");
  EXPECT_EQ(a.vpc_endpoints[0].service_name, "com.amazonaws.${AWS::Region}.sagemaker.api");
  EXPECT_EQ(a.vpc_endpoints[0].region, "${AWS::Region}");
  EXPECT_FALSE(a.vpc_endpoints[0].policy.has_value());  // AWS's default full-access policy

  ASSERT_EQ(a.notebooks.size(), 1u);
  const auto& nb = a.notebooks[0];
  EXPECT_EQ(nb.arn, "arn:aws:sagemaker:${AWS::Region}:${AWS::AccountId}:notebook-instance/Notebook");
  EXPECT_EQ(nb.role_arn, role.arn);
  EXPECT_FALSE(nb.direct_internet_access);  // !If on a condition over a Default
  // A parameter without a Default: still in a subnet (an unknown one), and said so.
  EXPECT_EQ(nb.subnet_id, std::optional<std::string>("${Subnet}"));
  ASSERT_FALSE(nb.assumed.empty());
  EXPECT_NE(nb.assumed[0].find("parameter Subnet has no Default"), std::string::npos);
  ASSERT_EQ(a.vpcs.size(), 1u);
  EXPECT_TRUE(a.vpcs[0].from_iac);
}

TEST(CloudFormation, DirectInternetAccessDefaultsToEnabled) {
  auto a = yaml("Resources:\n  Nb:\n    Type: AWS::SageMaker::NotebookInstance\n    Properties:\n"
                "      NotebookInstanceName: nb1\n      InstanceType: ml.t3.medium\n      RoleArn: arn:aws:iam::1:role/r\n");
  ASSERT_EQ(a.notebooks.size(), 1u);
  EXPECT_TRUE(a.notebooks[0].direct_internet_access);
  EXPECT_FALSE(a.notebooks[0].subnet_id.has_value());
  EXPECT_EQ(a.notebooks[0].arn, "arn:aws:sagemaker:${AWS::Region}:${AWS::AccountId}:notebook-instance/nb1");
}

TEST(CloudFormation, UnresolvedAllowResourceIsBroad) {
  auto a = yaml(R"(Parameters:
  Bucket: {Type: String}
Resources:
  P:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement:
          - {Effect: Allow, Action: s3:GetObject, Resource: !Sub "arn:aws:s3:::${Bucket}/*"}
          - {Effect: Deny, Action: s3:PutObject, Resource: !Sub "arn:aws:s3:::${Bucket}/*"}
)");
  ASSERT_EQ(a.policies.size(), 1u);
  const auto& s = a.policies[0].document.statements;
  EXPECT_EQ(s[0].resources, std::vector<std::string>{"arn:aws:s3:::*/*"});          // Allow: any
  EXPECT_EQ(s[1].resources, std::vector<std::string>{"arn:aws:s3:::${$}{Bucket}/*"});  // Deny: only itself
  ASSERT_FALSE(a.policies[0].assumed.empty());
}

TEST(CloudFormation, NetworkAndDefaults) {
  auto a = yaml(R"(Resources:
  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}
  Sub: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: !Select [0, !Cidr [10.0.0.0/16, 2, 8]]}}
  Rt: {Type: AWS::EC2::RouteTable, Properties: {VpcId: !Ref Vpc}}
  Assoc: {Type: AWS::EC2::SubnetRouteTableAssociation, Properties: {SubnetId: !Ref Sub, RouteTableId: !Ref Rt}}
  Igw: {Type: AWS::EC2::InternetGateway}
  Attach: {Type: AWS::EC2::VPCGatewayAttachment, Properties: {VpcId: !Ref Vpc, InternetGatewayId: !Ref Igw}}
  Default: {Type: AWS::EC2::Route, Properties: {RouteTableId: !Ref Rt, DestinationCidrBlock: 0.0.0.0/0, GatewayId: !Ref Igw}}
  Sg: {Type: AWS::EC2::SecurityGroup, Properties: {GroupDescription: x, VpcId: !Ref Vpc}}
  Acl: {Type: AWS::EC2::NetworkAcl, Properties: {VpcId: !Ref Vpc}}
  Out: {Type: AWS::EC2::NetworkAclEntry, Properties: {NetworkAclId: !Ref Acl, RuleNumber: 100, Protocol: -1, RuleAction: allow, Egress: true, CidrBlock: 0.0.0.0/0}}
)");
  const auto* sub = with_id(a.subnets, "Sub");
  ASSERT_TRUE(sub);
  EXPECT_EQ(sub->cidr, "10.0.0.0/24");
  EXPECT_TRUE(sub->from_iac);
  const auto* rt = with_id(a.route_tables, "Rt");
  ASSERT_TRUE(rt);
  ASSERT_EQ(rt->routes.size(), 2u);
  EXPECT_EQ(rt->routes[0].target_kind, model::RouteTargetKind::Local);
  EXPECT_EQ(rt->routes[1].target_id, "Igw");
  EXPECT_EQ(rt->routes[1].target_kind, model::RouteTargetKind::InternetGateway);
  ASSERT_EQ(rt->associations.size(), 1u);
  EXPECT_EQ(rt->associations[0].subnet_id, "Sub");
  EXPECT_EQ(a.internet_gateways.at(0).vpc_ids, std::vector<std::string>{"Vpc"});
  // No SecurityGroupEgress: AWS's default rule allows all egress.
  ASSERT_EQ(a.security_groups.at(0).egress.size(), 1u);
  EXPECT_EQ(a.security_groups.at(0).egress[0].ipv4_ranges, std::vector<std::string>{"0.0.0.0/0"});
  const auto& acl = a.network_acls.at(0);
  EXPECT_TRUE(std::any_of(acl.entries.begin(), acl.entries.end(),
                          [](const model::NetworkAclEntry& e) { return e.rule_number == 100 && e.egress && e.allow; }));
  EXPECT_TRUE(std::any_of(acl.entries.begin(), acl.entries.end(),
                          [](const model::NetworkAclEntry& e) { return e.rule_number == 32767 && !e.allow; }));
}

TEST(CloudFormation, JsonTemplateLines) {
  auto a = merged({{"{\n  \"Resources\": {\n    \"Grp\": {\"Type\": \"AWS::IAM::Group\"},\n"
                    "    \"Alice\": {\n      \"Type\": \"AWS::IAM::User\",\n"
                    "      \"Properties\": {\"UserName\": \"alice\", \"Groups\": [{\"Ref\": \"Grp\"}]}\n    }\n  }\n}\n",
                    "t.json", false}});
  ASSERT_EQ(a.users.size(), 1u);
  EXPECT_EQ(a.users[0].arn, "arn:aws:iam::${AWS::AccountId}:user/alice");
  EXPECT_EQ(a.users[0].loc.line, 4);
  EXPECT_EQ(a.users[0].groups, std::vector<std::string>{"Grp"});
  EXPECT_EQ(a.groups.at(0).loc.line, 3);
}

TEST(CloudFormation, Errors) {
  EXPECT_EQ(error_of([] {
              yaml("Resources:\n  A:\n    Type: AWS::IAM::Role\n    Properties:\n      RoleName: !Ref B\n"
                   "  B:\n    Type: AWS::IAM::Role\n    Properties:\n      RoleName: !Ref A\n");
            }),
            "t.yaml: line 5, column 17: circular reference: B -> A -> B");
  EXPECT_EQ(error_of([] { yaml("Resources:\n  A:\n    Properties: {}\n"); }), "t.yaml: line 2, column 3: resource A has no Type");
  EXPECT_EQ(error_of([] { yaml("Resources:\n  A:\n    Type: AWS::SNS::Topic\n    Properties: {Name: !Ref Nope}\n"); }),
            "t.yaml: line 4, column 24: unresolved reference Nope (not a parameter, resource or pseudo parameter)");
  EXPECT_EQ(error_of([] { yaml("Resources: [\n"); }).rfind("t.yaml: line ", 0), 0u);
}

TEST(CloudFormation, ReplacesExportEntitiesAndTakesItsAccount) {
  const std::string iam = R"({"RoleDetailList": [{"Path": "/", "RoleName": "DataScientist", "RoleId": "AROA1",
    "Arn": "arn:aws:iam::111122223333:role/DataScientist",
    "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": []},
    "RolePolicyList": [{"PolicyName": "old", "PolicyDocument": {"Version": "2012-10-17", "Statement": []}}]},
   {"Path": "/", "RoleName": "Other", "RoleId": "AROA2", "Arn": "arn:aws:iam::111122223333:role/Other",
    "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": []}}]})";
  const std::string subnets = R"({"Subnets": [{"SubnetId": "subnet-1", "VpcId": "vpc-1", "AvailabilityZone": "eu-west-1a",
    "OwnerId": "111122223333", "CidrBlock": "10.0.0.0/24"}]})";
  const std::string tmpl = R"(Resources:
  Scientist:
    Type: AWS::IAM::Role
    Properties:
      RoleName: DataScientist
      AssumeRolePolicyDocument: {Version: "2012-10-17", Statement: []}
  Extra:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: extra
      Roles: [Other]
      PolicyDocument: {Version: "2012-10-17", Statement: [{Effect: Allow, Action: "s3:*", Resource: !Sub "arn:aws:s3:::${AWS::AccountId}-${AWS::Region}"}]}
)";
  auto a = merged({{iam, "export/iam.json", false}, {subnets, "export/subnets.json", false}, {tmpl, "t.yaml", true}});
  ASSERT_EQ(a.roles.size(), 2u);
  const auto* ds = named(a.roles, "DataScientist");
  ASSERT_TRUE(ds);
  EXPECT_EQ(ds->arn, "arn:aws:iam::111122223333:role/DataScientist");
  EXPECT_EQ(ds->loc.file, "t.yaml");  // the template's role replaced the export's
  EXPECT_TRUE(ds->inline_policies.empty());
  const auto* other = named(a.roles, "Other");
  ASSERT_TRUE(other);
  ASSERT_EQ(other->inline_policies.size(), 1u);  // AWS::IAM::Policy attaches to an export role by name
  EXPECT_EQ(other->inline_policies[0].document.statements[0].resources,
            std::vector<std::string>{"arn:aws:s3:::111122223333-eu-west-1"});
  EXPECT_EQ(a.inline_policy_count, 1u);
}

// ---------------------------------------------------------------- Terraform

const char* kPlan = R"({
  "format_version": "1.2", "terraform_version": "1.7.5",
  "planned_values": {"root_module": {"resources": [
    {"address": "aws_vpc.main", "mode": "managed", "type": "aws_vpc", "name": "main",
     "values": {"cidr_block": "10.9.0.0/16"}},
    {"address": "aws_subnet.a", "mode": "managed", "type": "aws_subnet", "name": "a",
     "values": {"cidr_block": "10.9.1.0/24"}},
    {"address": "aws_iam_role.r", "mode": "managed", "type": "aws_iam_role", "name": "r",
     "values": {"name": "nb-user", "path": "/",
                "assume_role_policy": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"sagemaker.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}"}},
    {"address": "aws_iam_role_policy.p", "mode": "managed", "type": "aws_iam_role_policy", "name": "p",
     "values": {"name": "presign"}}
  ], "child_modules": [{"address": "module.nb", "resources": [
    {"address": "module.nb.aws_sagemaker_notebook_instance.this", "mode": "managed",
     "type": "aws_sagemaker_notebook_instance", "name": "this",
     "values": {"name": "nb1", "direct_internet_access": "Disabled", "security_groups": ["sg-1"]}}]}]}},
  "resource_changes": [
    {"address": "aws_vpc.main", "mode": "managed", "type": "aws_vpc", "name": "main",
     "change": {"actions": ["create"], "before": null, "after": {"cidr_block": "10.9.0.0/16"}, "after_unknown": {"id": true}}},
    {"address": "aws_subnet.a", "mode": "managed", "type": "aws_subnet", "name": "a",
     "change": {"actions": ["create"], "before": null, "after": {}, "after_unknown": {"id": true, "vpc_id": true}}},
    {"address": "aws_iam_role.r", "mode": "managed", "type": "aws_iam_role", "name": "r",
     "change": {"actions": ["create"], "before": null, "after": {}, "after_unknown": {"arn": true}}},
    {"address": "aws_iam_role_policy.p", "mode": "managed", "type": "aws_iam_role_policy", "name": "p",
     "change": {"actions": ["create"], "before": null, "after": {}, "after_unknown": {"policy": true, "role": true}}},
    {"address": "module.nb.aws_sagemaker_notebook_instance.this", "module_address": "module.nb", "mode": "managed",
     "type": "aws_sagemaker_notebook_instance", "name": "this",
     "change": {"actions": ["create"], "before": null, "after": {}, "after_unknown": {"subnet_id": true, "role_arn": true}}},
    {"address": "aws_iam_role.gone", "mode": "managed", "type": "aws_iam_role", "name": "gone",
     "change": {"actions": ["delete"], "before": {"arn": "arn:aws:iam::111122223333:role/Gone"}, "after": null, "after_unknown": {}}}
  ],
  "configuration": {"provider_config": {"aws": {"name": "aws", "expressions": {"region": {"constant_value": "eu-central-1"}}}},
    "root_module": {"resources": [
      {"address": "aws_subnet.a", "mode": "managed", "type": "aws_subnet", "name": "a",
       "expressions": {"vpc_id": {"references": ["aws_vpc.main.id", "aws_vpc.main"]}}},
      {"address": "aws_iam_role_policy.p", "mode": "managed", "type": "aws_iam_role_policy", "name": "p",
       "expressions": {"role": {"references": ["aws_iam_role.r.name", "aws_iam_role.r"]},
                       "policy": {"references": ["aws_vpc_endpoint.api.id", "aws_vpc_endpoint.api"]}}}],
     "module_calls": {"nb": {"source": "./nb", "module": {"resources": [
      {"address": "aws_sagemaker_notebook_instance.this", "mode": "managed", "type": "aws_sagemaker_notebook_instance",
       "name": "this", "expressions": {"subnet_id": {"references": ["var.subnet_id"]}}}]}}}}}
})";

TEST(Terraform, ReferencesUnknownsAndPointers) {
  auto a = merged({{kPlan, "plan.json", false}});
  const auto* sub = with_id(a.subnets, "aws_subnet.a");
  ASSERT_TRUE(sub);
  EXPECT_EQ(sub->vpc_id, "aws_vpc.main");  // known after apply: followed through configuration
  EXPECT_EQ(sub->region, "eu-central-1");  // the provider's region
  EXPECT_EQ(sub->loc.pointer, "/planned_values/root_module/resources/1");
  EXPECT_EQ(sub->loc.line, 0);
  ASSERT_EQ(a.roles.size(), 1u);
  EXPECT_EQ(a.roles[0].arn, "arn:aws:iam::unknown:role/nb-user");
  // The inline policy is known only after apply: taken as Allow * on *, and said so.
  ASSERT_EQ(a.roles[0].inline_policies.size(), 1u);
  EXPECT_EQ(a.roles[0].inline_policies[0].document.statements.at(0).actions, std::vector<std::string>{"*"});
  EXPECT_FALSE(a.roles[0].assumed.empty());
  ASSERT_EQ(a.notebooks.size(), 1u);
  const auto& nb = a.notebooks[0];
  EXPECT_EQ(nb.arn, "arn:aws:sagemaker:eu-central-1:unknown:notebook-instance/nb1");
  EXPECT_EQ(nb.loc.pointer, "/planned_values/root_module/child_modules/0/resources/0");
  ASSERT_TRUE(nb.subnet_id.has_value());  // unknown, but in a subnet
  EXPECT_EQ(*nb.subnet_id, "${module.nb.aws_sagemaker_notebook_instance.this.subnet_id}");
  EXPECT_FALSE(nb.direct_internet_access);
  EXPECT_FALSE(nb.assumed.empty());
}

TEST(Terraform, DeletesAndReplacesExportEntities) {
  const std::string iam = R"({"RoleDetailList": [{"Path": "/", "RoleName": "Gone", "RoleId": "AROA1",
    "Arn": "arn:aws:iam::111122223333:role/Gone", "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": []}},
    {"Path": "/", "RoleName": "nb-user", "RoleId": "AROA2", "Arn": "arn:aws:iam::111122223333:role/nb-user",
     "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": []}}]})";
  auto a = merged({{iam, "export/iam.json", false}, {kPlan, "plan.json", false}});
  ASSERT_EQ(a.roles.size(), 1u);  // Gone is deleted; nb-user is replaced (account from the export)
  EXPECT_EQ(a.roles[0].arn, "arn:aws:iam::111122223333:role/nb-user");
  EXPECT_EQ(a.roles[0].loc.file, "plan.json");
}

TEST(Terraform, Errors) {
  EXPECT_EQ(error_of([] { merged({{R"({"format_version": "2.0", "planned_values": {}})", "p.json", false}}); }),
            "p.json: /format_version: unsupported format_version 2.0 (1.x expected)");
  EXPECT_EQ(error_of([] {
              merged({{R"({"format_version": "1.2", "planned_values": {"root_module": {"resources": [{"type": 1}]}}})",
                       "p.json", false}});
            }),
            "p.json: /planned_values/root_module/resources/0/address: expected a string");
}

TEST(Fixtures, GatePairsLoad) {
  for (const char* f : {"/gate/before/notebook.yaml", "/gate/after/notebook.yaml", "/gate/before/plan.json",
                        "/gate/after/plan.json"}) {
    auto a = load({kFixtures + f});
    EXPECT_EQ(a.notebooks.size(), 1u) << f;
    EXPECT_EQ(a.vpc_endpoints.size(), 2u) << f;
  }
}

}  // namespace
}  // namespace vpcgate::loader
