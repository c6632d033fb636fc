// vpc-endpoint-policy-open: the exact search (endpoint_policy::decide) on the endpoint policies
// of AWS's documentation, the check over an account, and the loader's error for a malformed
// PolicyDocument string through the CLI.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include "analyzer/checks/vpc_endpoint_policy_open.hpp"
#include "tests/checks/account_builders.hpp"
#include "tests/common/run_command.hpp"

namespace vpcgate::test {
namespace {

namespace ep = checks::endpoint_policy;

const std::string kOrg = "o-a1b2c3d4e5";
const std::string kApi = "com.amazonaws.us-east-1.sagemaker.api";
const std::string kS3 = "com.amazonaws.us-east-1.s3";

model::PolicyDocument parse(const std::string& text) { return model::parse_policy_string(text, "policy.json", ""); }

ep::Answer decide(const std::string& policy, const std::string& service = kApi,
                  std::optional<std::string> org = std::nullopt, std::set<std::string> accounts = {kAccount}) {
  ep::Perimeter p;
  p.accounts = std::move(accounts);
  p.org_id = std::move(org);
  return ep::decide(parse(policy), {"vpce-0a1b", service, "vpc-1"}, p);
}

std::string witness(const ep::Answer& a) { return ep::witness_json(a).dump(); }

struct Case {
  std::string name;
  std::string policy;
  std::string service;
  std::optional<std::string> org;
  bool open;
  std::string source;
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

class EndpointPolicyDocs : public ::testing::TestWithParam<Case> {};

TEST_P(EndpointPolicyDocs, Decides) {
  const auto& c = GetParam();
  auto a = decide(c.policy, c.service, c.org);
  EXPECT_EQ(a.outcome, c.open ? ep::Outcome::Open : ep::Outcome::Closed) << c.source << "\n" << witness(a);
}

const std::string kPerimeter = R"({"Version": "2012-10-17", "Statement": [{
  "Sid": "AllowRequestsByOrgsIdentitiesToOrgsResources", "Effect": "Allow", "Principal": "*", "Action": "*",
  "Resource": "*", "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5", "aws:ResourceOrgID": "o-a1b2c3d4e5"}}}]})";

INSTANTIATE_TEST_SUITE_P(
    AwsDocs, EndpointPolicyDocs,
    ::testing::Values(
        Case{"DefaultPolicy", R"({"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]})", kApi,
             std::nullopt, true, "vpc/latest/privatelink/vpc-endpoints-access.html: default endpoint policy"},
        Case{"PrincipalOfTheAccountButAnyResource",
             R"({"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sagemaker:*","Resource":"*"}]})",
             kApi, std::nullopt, true, "privatelink: principals of one account; Resource * reaches other accounts"},
        Case{"PrincipalAndResourcesOfTheAccount",
             R"({"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/endpointuser"},"Action":"sagemaker:*","Resource":"arn:aws:sagemaker:us-east-1:111122223333:*"}]})",
             kApi, std::nullopt, false, "privatelink: access for a specific principal, to the account's resources"},
        Case{"PrincipalOfAnotherAccount",
             R"({"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:role/Partner"},"Action":"sagemaker:*","Resource":"arn:aws:sagemaker:us-east-1:111122223333:*"}]})",
             kApi, std::nullopt, true, "a principal named explicitly from another account"},
        Case{"DataPerimeterOrgKnown", kPerimeter, kS3, std::optional<std::string>(kOrg), false,
             "data-perimeter-policy-examples: vpc_endpoint_policies/default_endpoint_policy.json"},
        Case{"DataPerimeterOrgFromConditions", kPerimeter, kS3, std::nullopt, false,
             "CONTRACT.md: the condition names the organisation"},
        Case{"DataPerimeterOtherOrg", kPerimeter, kS3, std::optional<std::string>("o-zzzzzzzzzz"), true,
             "the policy names an organisation other than the scan's"},
        Case{"AccountPinned",
             R"({"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalAccount":"111122223333","aws:ResourceAccount":"111122223333"}}}]})",
             kS3, std::nullopt, false, "privatelink: restrict to the account with aws:PrincipalAccount/aws:ResourceAccount"},
        Case{"PrincipalOnlyPinned",
             R"({"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalAccount":"111122223333"}}}]})",
             kS3, std::nullopt, true, "the account's principals can still write to any bucket"},
        Case{"IfExistsOnOrgLetsPrincipalsWithoutOrgThrough",
             R"({"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"StringEqualsIfExists":{"aws:PrincipalOrgID":"o-a1b2c3d4e5","aws:ResourceOrgID":"o-a1b2c3d4e5"}}}]})",
             kS3, std::optional<std::string>(kOrg), true, "IfExists: a request without the key matches"},
        Case{"DenyOutsideWins",
             R"({"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"},
                {"Sid":"DenyOtherPrincipals","Effect":"Deny","Principal":"*","Action":"*","Resource":"*","Condition":{"StringNotEqualsIfExists":{"aws:PrincipalAccount":"111122223333"}}},
                {"Sid":"DenyOtherResources","Effect":"Deny","Principal":"*","Action":"*","Resource":"*","Condition":{"StringNotEqualsIfExists":{"aws:ResourceAccount":"111122223333"}}}]})",
             kS3, std::nullopt, false, "data perimeter with Deny statements: explicit deny wins"},
        Case{"DenyOnlyPrincipals",
             R"({"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"},
                {"Effect":"Deny","Principal":"*","Action":"*","Resource":"*","Condition":{"StringNotEquals":{"aws:PrincipalAccount":"111122223333"}}}]})",
             kS3, std::nullopt, true, "deny of other principals only: resources of other accounts stay reachable"},
        Case{"S3BucketWrittenInFull",
             R"({"Statement":[{"Effect":"Allow","Principal":"*","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::ml-data-111122223333/*","Condition":{"StringEquals":{"aws:PrincipalAccount":"111122223333"}}}]})",
             kS3, std::nullopt, false, "privatelink: access to a specific bucket (counts as inside)"},
        Case{"S3WildcardBucket",
             R"({"Statement":[{"Effect":"Allow","Principal":"*","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::ml-data-*/*","Condition":{"StringEquals":{"aws:PrincipalAccount":"111122223333"}}}]})",
             kS3, std::nullopt, true, "wildcard bucket names count as outside"},
        Case{"OtherServiceOnly",
             R"({"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}]})", kApi,
             std::nullopt, false, "an S3-only policy on the sagemaker.api endpoint allows no request through it"},
        Case{"VariableResourceOrg",
             R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-a1b2c3d4e5","aws:ResourceOrgID":"${aws:PrincipalOrgID}"}}}]})",
             kS3, std::optional<std::string>(kOrg), false, "a policy variable naming the principal's organisation"},
        Case{"SourceVpceOfThisEndpoint",
             R"({"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:SourceVpce":"vpce-other"}}}]})",
             kS3, std::nullopt, false, "aws:SourceVpce is this endpoint's ID: the condition never holds"}),
    [](const ::testing::TestParamInfo<Case>& p) { return p.param.name; });

TEST(EndpointPolicyWitness, DefaultPolicyFromOutside) {
  auto a = decide(R"({"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]})");
  ASSERT_EQ(a.outcome, ep::Outcome::Open);
  EXPECT_TRUE(a.principal_outside);
  EXPECT_EQ(witness(a),
            R"({"aws:PrincipalAccount":"999999999999","aws:PrincipalArn":"arn:aws:iam::999999999999:role/vpcgate-principal",)"
            R"("aws:PrincipalOrgID":null,"aws:ResourceAccount":"888888888888","aws:ResourceOrgID":null})");
  EXPECT_EQ(a.action, "sagemaker:CreatePresignedNotebookInstanceUrl");
  EXPECT_EQ(ep::statements_json(a.statements).dump(), R"([{"policy":"vpce-0a1b","sid":null,"index":0}])");
}

TEST(EndpointPolicyWitness, SmallestLiteralAndConditionKeys) {
  // Principals of the account or of a partner account; the partner is outside.
  auto a = decide(R"({"Statement":[{"Sid":"Partners","Effect":"Allow","Principal":"*","Action":"sagemaker:Describe*",
    "Resource":"arn:aws:sagemaker:us-east-1:111122223333:*",
    "Condition":{"StringEquals":{"aws:PrincipalAccount":["111122223333","444455556666"]},"Bool":{"aws:SecureTransport":"true"}}}]})");
  ASSERT_EQ(a.outcome, ep::Outcome::Open);
  EXPECT_EQ(witness(a),
            R"({"aws:PrincipalAccount":"444455556666","aws:PrincipalArn":"arn:aws:iam::444455556666:role/vpcgate-principal",)"
            R"("aws:PrincipalOrgID":null,"aws:ResourceAccount":"111122223333","aws:ResourceOrgID":null,"aws:SecureTransport":"true"})");
  EXPECT_EQ(a.action, "sagemaker:DescribeNotebookInstance");
  ASSERT_EQ(a.statements.size(), 1u);
  EXPECT_EQ(a.statements[0].sid, "Partners");
}

TEST(EndpointPolicyWitness, OrgIdWitnessNamesThePolicysOrganisation) {
  auto a = decide(kPerimeter, kS3, std::optional<std::string>("o-zzzzzzzzzz"));
  ASSERT_EQ(a.outcome, ep::Outcome::Open);
  auto w = ep::witness_json(a);
  EXPECT_EQ(w["aws:PrincipalOrgID"], kOrg);
  EXPECT_EQ(w["aws:ResourceOrgID"], kOrg);
}

TEST(EndpointPolicyWitness, PrincipalArnValuesThatAreNoArns) {
  // "Null": {"aws:PrincipalArn": "false"} (the data perimeter's common guard) and values that are
  // not ARNs name no principal ARN shape (they crashed the search).
  auto a = decide(R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*",
    "Condition":{"Null":{"aws:PrincipalArn":"false"}}}]})");
  ASSERT_EQ(a.outcome, ep::Outcome::Open);
  EXPECT_EQ(ep::witness_json(a)["aws:PrincipalArn"], "arn:aws:iam::999999999999:role/vpcgate-principal");
  auto b = decide(R"({"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*",
    "Condition":{"StringEquals":{"aws:PrincipalArn":["AROAEXAMPLEROLEID","ARN:AWS:IAM::444455556666:ROLE/X"]}}}]})");
  EXPECT_EQ(b.outcome, ep::Outcome::Closed);
}

// Many trusted accounts: a decision tries those that the policy tells apart and the smallest of
// the others (Search::trusted_candidates); the witness is the one trying every account gives.
std::set<std::string> many_accounts() {
  std::set<std::string> out;
  for (int i = 0; i < 50; ++i) out.insert(fmt::format("2100000000{:02d}", i));
  out.insert("partner-account");  // not all digits: always tried
  return out;
}

TEST(EndpointPolicyManyAccounts, PatternsNameTheAccountsTheyTellApart) {
  ep::Perimeter p;
  p.accounts = many_accounts();
  p.index = ep::make_trusted_index(p.accounts);
  const model::PolicyDocument principal = parse(R"({"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*",
    "Condition":{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::21*:role/ml"},"ArnNotLike":{"aws:PrincipalArn":"arn:aws:iam::21000000000?:role/ml"}}}]})");
  const model::PolicyDocument resource = parse(R"({"Statement":[{"Effect":"Allow","Principal":"*","Action":"sagemaker:*",
    "Resource":"arn:aws:sagemaker:us-east-1:21000000004?:*"}]})");
  for (int round = 0; round < 2; ++round) {  // the second from the index's cache
    // Only trusted principals match; those of 210000000000..09 are excluded by a pattern (named),
    // the other 40 are alike: the smallest of them, 210000000010, stands for them.
    auto a = ep::decide(principal, {"vpce-0a1b", kS3, "vpc-1"}, p);
    ASSERT_EQ(a.outcome, ep::Outcome::Open);
    EXPECT_FALSE(a.principal_outside);
    EXPECT_TRUE(a.resource_outside);
    auto w = ep::witness_json(a);
    EXPECT_EQ(w["aws:PrincipalAccount"], "210000000010") << w.dump();
    EXPECT_EQ(w["aws:PrincipalArn"], "arn:aws:iam::210000000010:role/ml") << w.dump();
    // Only resources of 210000000040..49 match: named by the Resource pattern, the smallest wins.
    auto b = ep::decide(resource, {"vpce-0a1b", kApi, "vpc-1"}, p);
    ASSERT_EQ(b.outcome, ep::Outcome::Open);
    EXPECT_TRUE(b.principal_outside);
    EXPECT_EQ(ep::witness_json(b)["aws:ResourceAccount"], "210000000040") << ep::witness_json(b).dump();
    EXPECT_EQ(b.resource, "arn:aws:sagemaker:us-east-1:210000000040:notebook-instance/vpcgate-outside");
  }
  // Without a shared index decide() builds its own: the same answers.
  ep::Perimeter q;
  q.accounts = p.accounts;
  EXPECT_EQ(witness(ep::decide(principal, {"vpce-0a1b", kS3, "vpc-1"}, q)),
            witness(ep::decide(principal, {"vpce-0a1b", kS3, "vpc-1"}, p)));
}

TEST(EndpointPolicyManyAccounts, PrincipalsAndExactOperands) {
  // StringEqualsIgnoreCase and a Principal name one account each; with the Deny of the first,
  // the witness is the Principal's account.
  auto a = decide(R"({"Statement":[{"Effect":"Allow","Principal":{"AWS":["210000000033","arn:aws:iam::210000000021:root"]},
    "Action":"s3:*","Resource":"*"},{"Effect":"Deny","Principal":"*","Action":"*","Resource":"*",
    "Condition":{"StringEqualsIgnoreCase":{"aws:PrincipalAccount":"210000000021"}}}]})",
                  kS3, std::nullopt, many_accounts());
  ASSERT_EQ(a.outcome, ep::Outcome::Open);
  EXPECT_EQ(ep::witness_json(a)["aws:PrincipalAccount"], "210000000033");
}

TEST(EndpointPolicyServices, Prefixes) {
  EXPECT_EQ(ep::action_prefixes(kApi), std::vector<std::string>{"sagemaker"});
  EXPECT_EQ(ep::action_prefixes("aws.sagemaker.us-east-1.notebook"), std::vector<std::string>{"sagemaker"});
  EXPECT_EQ(ep::action_prefixes("com.amazonaws.us-east-1.ecr.dkr"), std::vector<std::string>{"ecr"});
  EXPECT_EQ(ep::action_prefixes("com.amazonaws.us-east-1.monitoring"), std::vector<std::string>{"cloudwatch"});
  EXPECT_TRUE(ep::action_prefixes("com.amazonaws.vpce.us-east-1.vpce-svc-0123").empty());
  EXPECT_EQ(ep::service_region(kS3), "us-east-1");
}

// ---------------------------------------------------------------- the check

CheckRun run_with(const model::Account& a, std::optional<std::string> org = std::nullopt) {
  graph::Graph g(a);
  checks::ScanOptions options;
  options.trusted_accounts = {kAccount};
  options.org_id = std::move(org);
  checks::CheckContext ctx{g, options, {}, {}};
  checks::FindingSink sink;
  checks::VpcEndpointPolicyOpen().run(ctx, sink);
  CheckRun r;
  r.findings = sink.take_findings();
  std::sort(r.findings.begin(), r.findings.end(),
            [](const checks::Finding& x, const checks::Finding& y) { return x.resource < y.resource; });
  return r;
}

model::Account hosting_vpc() {
  auto a = nat_vpc();
  a.vpcs.push_back(vpc("vpc-2", "10.1.0.0/16"));
  a.training_jobs.push_back(training_job("t1", vpc_config({"subnet-priv"}, {"sg-1"}), true));
  return a;
}

TEST(VpcEndpointPolicyOpen, DefaultPolicyEndpointsInHostingVpcs) {
  auto a = hosting_vpc();
  a.vpc_endpoints.push_back(endpoint("vpce-1", "vpc-1", kApi));                 // no policy: default
  a.vpc_endpoints.push_back(endpoint("vpce-2", "vpc-2", kApi));                 // VPC hosts nothing
  a.vpc_endpoints.push_back(endpoint("vpce-3", "vpc-1", kS3, "Gateway"));       // default
  a.vpc_endpoints.push_back(endpoint("vpce-4", "vpc-1", "com.amazonaws.vpce.us-east-1.vpce-svc-1", "GatewayLoadBalancer"));
  auto pinned = endpoint("vpce-5", "vpc-1", "com.amazonaws.us-east-1.sts");
  pinned.policy = parse(R"({"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalAccount":"111122223333","aws:ResourceAccount":"111122223333"}}}]})");
  a.vpc_endpoints.push_back(pinned);
  auto r = run_with(a);
  EXPECT_EQ(resources(r), (std::vector<std::string>{"vpce-1", "vpce-3"}));
  ASSERT_EQ(r.findings.size(), 2u);
  const auto& f = r.findings[0];
  EXPECT_EQ(f.check, "vpc-endpoint-policy-open");
  EXPECT_EQ(f.severity, checks::Severity::Medium);
  EXPECT_FALSE(f.principal);
  EXPECT_EQ(f.location.file, "export/vpce.json");
  EXPECT_EQ(f.evidence["service"], kApi);
  EXPECT_EQ(f.evidence["witness"]["aws:PrincipalAccount"], "999999999999");
  EXPECT_EQ(f.evidence["statements"].dump(), R"([{"policy":"vpce-1","sid":null,"index":0}])");
  EXPECT_NE(f.detail.find("default full-access policy"), std::string::npos);
  EXPECT_NE(f.remediation.find("aws:PrincipalOrgID"), std::string::npos);
}

TEST(VpcEndpointPolicyOpen, EverySageMakerPlacementHosts) {
  auto a = nat_vpc();
  a.vpc_endpoints.push_back(endpoint("vpce-1", "vpc-1", kS3, "Gateway"));
  EXPECT_TRUE(run_with(a).findings.empty());
  auto with = [&](auto add) {
    auto b = a;
    add(b);
    return run_with(b).findings.size();
  };
  EXPECT_EQ(with([](model::Account& b) { b.notebooks.push_back(notebook("nb", std::string("subnet-priv"))); }), 1u);
  EXPECT_EQ(with([](model::Account& b) { b.processing_jobs.push_back(processing_job("p", vpc_config({"subnet-priv"}, {}), true)); }), 1u);
  EXPECT_EQ(with([](model::Account& b) { b.models.push_back(sm_model("m", vpc_config({"subnet-priv"}, {}), true)); }), 1u);
  EXPECT_EQ(with([](model::Account& b) { b.domains.push_back(domain("d-1", "VpcOnly", "vpc-1", {"subnet-priv"})); }), 1u);
  EXPECT_EQ(with([](model::Account& b) { b.notebooks.push_back(notebook("nb")); }), 0u);  // not in a VPC
}

TEST(VpcEndpointPolicyOpen, OrganisationFromOptions) {
  auto a = hosting_vpc();
  auto e = endpoint("vpce-1", "vpc-1", kS3, "Gateway");
  e.policy = parse(kPerimeter);
  a.vpc_endpoints.push_back(e);
  EXPECT_TRUE(run_with(a).findings.empty());
  EXPECT_TRUE(run_with(a, kOrg).findings.empty());
  EXPECT_EQ(run_with(a, std::string("o-zzzzzzzzzz")).findings.size(), 1u);
}

// ---------------------------------------------------------------- CLI: malformed PolicyDocument

TEST(VpcEndpointPolicyOpenCli, MalformedPolicyDocumentIsAnInputError) {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("vpcgate-vpce-bad-" + std::to_string(::getpid()));
  fs::create_directories(dir / "export" / "ec2");
  {
    std::ofstream out(dir / "export" / "ec2" / "describe-vpc-endpoints.json");
    out << R"({"VpcEndpoints": [{"VpcEndpointId": "vpce-1", "VpcEndpointType": "Gateway", "VpcId": "vpc-1",
  "ServiceName": "com.amazonaws.us-east-1.s3", "State": "available",
  "PolicyDocument": "{\"Statement\": [{\"Effect\": \"allow\", \"Principal\": \"*\", \"Action\": \"*\", \"Resource\": \"*\"}]}"}]})";
  }
  std::string cmd = "cd '" + dir.string() + "' && '" + std::string(VPCGATE_BINARY) + "' scan export 2>&1 >/dev/null";
  auto r = vpcgate::test::run_command(cmd);
  const std::string& err = r.out;
  fs::remove_all(dir);
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(err.find("vpcgate: error: export/ec2/describe-vpc-endpoints.json: /VpcEndpoints/0/PolicyDocument: "
                     "/Statement/0/Effect"),
            std::string::npos)
      << err;
}

}  // namespace
}  // namespace vpcgate::test
