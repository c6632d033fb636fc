// Micro-benchmarks of the hot parts of `vpcgate scan` (Google Benchmark; docs/performance.md).
//
//   build/bench/vpcgate_bench [--benchmark_filter=REGEX]
//
// VPCGATE_BENCH_EXPORT=DIR names the export the loading, presigned-URL and route-walk
// benchmarks read (bench/run-e2e leaves generated ones in /tmp/vpcgate-bench/); without it they
// read fixtures/demo/export. Policies come from data/aws-managed-policies.json (real AWS
// managed documents) and from the demo export.
#include <benchmark/benchmark.h>
#include <simdjson.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "analyzer/checks/check.hpp"
#include "analyzer/checks/network_reach.hpp"
#include "analyzer/checks/presigned_analysis.hpp"
#include "analyzer/eval/evaluate.hpp"
#include "analyzer/graph/graph.hpp"
#include "analyzer/loader/loader.hpp"
#include "model/policy.hpp"

namespace {

using namespace vpcgate;
namespace fs = std::filesystem;
namespace presigned = vpcgate::checks::presigned;

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string export_dir() {
  if (const char* env = std::getenv("VPCGATE_BENCH_EXPORT"); env && *env) return env;
  return std::string(VPCGATE_FIXTURES) + "/demo/export";
}

std::size_t tree_bytes(const std::string& dir) {
  std::size_t total = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) total += e.file_size();
  return total;
}

const nlohmann::json& managed_policies() {
  static const nlohmann::json j =
      nlohmann::json::parse(read_text(std::string(VPCGATE_SOURCE_DIR) + "/data/aws-managed-policies.json"));
  return j;
}

const nlohmann::json& managed_document(const std::string& name) {
  return managed_policies()["policies"]["arn:aws:iam::aws:policy/" + name]["document"];
}

// ---------------------------------------------------------------- JSON loading

// The whole loader (read, simdjson parse, recognise, model, merge) on an export directory.
void BM_LoadExport(benchmark::State& state) {
  const std::string dir = export_dir();
  const std::size_t bytes = tree_bytes(dir);
  for (auto _ : state) {
    model::Account a = loader::load({dir});
    benchmark::DoNotOptimize(a.roles.size());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
  state.SetLabel(dir);
}
BENCHMARK(BM_LoadExport)->Unit(benchmark::kMillisecond)->UseRealTime();

// The two JSON parsers on the same text (docs/performance.md, simdjson vs nlohmann): the
// managed-policy snapshot, 3.4 MB of policy documents.
void BM_JsonParse_Simdjson(benchmark::State& state) {
  const std::string text = read_text(std::string(VPCGATE_SOURCE_DIR) + "/data/aws-managed-policies.json");
  simdjson::dom::parser parser;
  simdjson::padded_string padded(text);
  for (auto _ : state) {
    simdjson::dom::element e;
    auto err = parser.parse(padded).get(e);
    benchmark::DoNotOptimize(err);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_JsonParse_Simdjson)->Unit(benchmark::kMillisecond);

void BM_JsonParse_Nlohmann(benchmark::State& state) {
  const std::string text = read_text(std::string(VPCGATE_SOURCE_DIR) + "/data/aws-managed-policies.json");
  for (auto _ : state) {
    auto j = nlohmann::json::parse(text);
    benchmark::DoNotOptimize(j.size());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_JsonParse_Nlohmann)->Unit(benchmark::kMillisecond);

// ---------------------------------------------------------------- policy parsing

void BM_ParsePolicy(benchmark::State& state, const std::string& name) {
  const nlohmann::json& doc = managed_document(name);
  const std::size_t bytes = doc.dump().size();
  for (auto _ : state) {
    model::PolicyDocument d = model::parse_policy(doc, "bench.json");
    benchmark::DoNotOptimize(d.statements.size());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
}
BENCHMARK_CAPTURE(BM_ParsePolicy, AdministratorAccess, std::string("AdministratorAccess"));
BENCHMARK_CAPTURE(BM_ParsePolicy, AmazonSageMakerFullAccess, std::string("AmazonSageMakerFullAccess"));
BENCHMARK_CAPTURE(BM_ParsePolicy, ReadOnlyAccess, std::string("ReadOnlyAccess"));

void BM_ParsePolicyString(benchmark::State& state) {
  const std::string text = managed_document("AmazonSageMakerFullAccess").dump(4);
  for (auto _ : state) {
    model::PolicyDocument d = model::parse_policy_string(text, "bench.json", "/Policy/Content");
    benchmark::DoNotOptimize(d.statements.size());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_ParsePolicyString);

// ---------------------------------------------------------------- action / resource matching

void BM_WildcardMatch(benchmark::State& state, std::string pattern, std::string text, bool ignore_case) {
  for (auto _ : state) benchmark::DoNotOptimize(eval::wildcard_match(pattern, text, ignore_case));
}
BENCHMARK_CAPTURE(BM_WildcardMatch, literal, std::string("sagemaker:CreatePresignedNotebookInstanceUrl"),
                  std::string("sagemaker:CreatePresignedNotebookInstanceUrl"), true);
BENCHMARK_CAPTURE(BM_WildcardMatch, prefix_star, std::string("sagemaker:Create*"),
                  std::string("sagemaker:CreatePresignedNotebookInstanceUrl"), true);
BENCHMARK_CAPTURE(BM_WildcardMatch, middle_stars, std::string("arn:aws:sagemaker:*:*:notebook-instance/*-prod-*"),
                  std::string("arn:aws:sagemaker:us-east-1:111122223333:notebook-instance/churn-prod-01"), false);
BENCHMARK_CAPTURE(BM_WildcardMatch, question_mark, std::string("sagemaker:CreatePresigned?otebook*Url"),
                  std::string("sagemaker:CreatePresignedNotebookInstanceUrl"), true);

// action_matches over every statement of a big AWS managed policy (ReadOnlyAccess: ~1,700
// action patterns) for the presigned-URL action.
void BM_ActionMatches_ReadOnlyAccess(benchmark::State& state) {
  const model::PolicyDocument d = model::parse_policy(managed_document("ReadOnlyAccess"), "bench.json");
  std::size_t patterns = 0;
  for (const auto& s : d.statements) patterns += s.actions.size();
  for (auto _ : state) {
    bool any = false;
    for (const auto& s : d.statements) any = eval::action_matches(s, presigned::kAction) || any;
    benchmark::DoNotOptimize(any);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * patterns));
  state.SetLabel("items = action patterns");
}
BENCHMARK(BM_ActionMatches_ReadOnlyAccess);

void BM_ResourceMatches(benchmark::State& state) {
  model::PolicyDocument d = model::parse_policy(nlohmann::json::parse(R"({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "sagemaker:*", "Resource": [
      "arn:aws:sagemaker:*:111122223333:notebook-instance/${aws:username}-*",
      "arn:aws:sagemaker:us-west-2:*:notebook-instance/*",
      "arn:aws:sagemaker:us-east-1:111122223333:notebook-instance/team-*"]}]})"),
                                                "bench.json");
  eval::Context ctx;
  ctx.set("aws:username", "alice");
  const std::string arn = "arn:aws:sagemaker:us-east-1:111122223333:notebook-instance/team-research";
  for (auto _ : state) benchmark::DoNotOptimize(eval::resource_matches(d, d.statements[0], arn, ctx));
}
BENCHMARK(BM_ResourceMatches);

// ---------------------------------------------------------------- condition evaluation

void BM_Conditions(benchmark::State& state, std::string condition) {
  model::PolicyDocument d = model::parse_policy(
      nlohmann::json::parse(R"({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*",
        "Resource": "*", "Condition": )" + condition + "}]}"),
      "bench.json");
  eval::Context ctx;
  ctx.set("aws:SourceVpce", "vpce-0a1b2c3d4e5f65001");
  ctx.set("aws:SourceVpc", "vpc-0a1b2c3d4e5f60718");
  ctx.set("aws:SourceIp", "10.20.3.4");
  ctx.set("aws:PrincipalArn", "arn:aws:iam::111122223333:role/DataScientist");
  for (auto _ : state) benchmark::DoNotOptimize(eval::conditions_hold(d, d.statements[0], ctx));
}
BENCHMARK_CAPTURE(BM_Conditions, StringEquals_vpce,
                  std::string(R"({"StringEquals": {"aws:SourceVpce": ["vpce-1", "vpce-0a1b2c3d4e5f65001"]}})"));
BENCHMARK_CAPTURE(BM_Conditions, StringNotEqualsIfExists_vpc,
                  std::string(R"({"StringNotEqualsIfExists": {"aws:SourceVpc": "vpc-0a1b2c3d4e5f60718"}})"));
BENCHMARK_CAPTURE(BM_Conditions, IpAddress,
                  std::string(R"({"IpAddress": {"aws:SourceIp": ["192.0.2.0/24", "10.0.0.0/8"]}})"));
BENCHMARK_CAPTURE(BM_Conditions, ArnLike_principal,
                  std::string(R"({"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/Data*"}})"));
BENCHMARK_CAPTURE(BM_Conditions, three_keys,
                  std::string(R"({"StringEquals": {"aws:SourceVpce": "vpce-0a1b2c3d4e5f65001"},
                                  "StringLike": {"aws:SourceVpc": "vpc-*"}, "Null": {"aws:SourceIp": "false"}})"));

// One whole evaluation (evaluate()) of the presigned-URL request against the demo's policies
// plus AWS's ReadOnlyAccess, the SCP level and a boundary.
void BM_Evaluate(benchmark::State& state) {
  auto doc = [](const std::string& name) {
    return std::make_unique<model::PolicyDocument>(model::parse_policy(managed_document(name), "bench.json"));
  };
  auto readonly = doc("ReadOnlyAccess");
  auto sagemaker = doc("AmazonSageMakerFullAccess");
  auto admin = doc("AdministratorAccess");
  eval::PolicySet set;
  set.identity.push_back({readonly.get(), "ReadOnlyAccess"});
  set.identity.push_back({sagemaker.get(), "AmazonSageMakerFullAccess"});
  set.boundary = eval::SourcedPolicy{admin.get(), "AdministratorAccess"};
  set.scp_levels.push_back({{admin.get(), "FullAWSAccess"}});
  eval::Request req;
  req.action = presigned::kAction;
  req.resource = "arn:aws:sagemaker:us-east-1:111122223333:notebook-instance/nb1";
  req.principal_arn = "arn:aws:iam::111122223333:role/DataScientist";
  req.context.set("aws:SourceVpce", "vpce-0a1b2c3d4e5f65001");
  eval::add_derived_keys(req);
  for (auto _ : state) benchmark::DoNotOptimize(eval::evaluate(set, req).decision);
}
BENCHMARK(BM_Evaluate);

// ---------------------------------------------------------------- analyses on an export

struct Loaded {
  model::Account account;
  std::unique_ptr<graph::Graph> graph;
  checks::ScanOptions options;
  std::unique_ptr<checks::CheckContext> ctx;
};

// Loaded once, never moved (the graph and the context point into it).
Loaded& loaded() {
  static Loaded* l = [] {
    auto* x = new Loaded;
    x->account = loader::load({export_dir()});
    x->graph = std::make_unique<graph::Graph>(x->account);
    for (const auto& e : x->account.vpc_endpoints) {
      const auto& s = e.service_name;
      if (e.type == "Interface" && s.size() > 14 && s.compare(s.size() - 14, 14, ".sagemaker.api") == 0) {
        x->options.approved_vpces.insert(e.id);
        x->options.approved_vpcs.insert(e.vpc_id);
      }
    }
    x->ctx.reset(new checks::CheckContext{*x->graph, x->options, {}, {}});
    return x;
  }();
  return *l;
}

// The presigned-URL decision (the exact search) for one principal after another.
void BM_PresignedDecisionPerPrincipal(benchmark::State& state) {
  Loaded& l = loaded();
  const auto& analysis = presigned::PresignedAnalysis::get(*l.ctx);
  const auto& ps = analysis.policies().principals();
  std::size_t i = 0;
  for (auto _ : state) {
    const auto& p = ps[i++ % ps.size()];
    auto v = analysis.decide_with(p, p.policies);
    benchmark::DoNotOptimize(v.outcome);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
  state.SetLabel(std::to_string(ps.size()) + " principals, items = decisions");
}
BENCHMARK(BM_PresignedDecisionPerPrincipal)->Unit(benchmark::kMicrosecond);

// The whole per-principal analysis (grouping plus one decision per group) on the export.
void BM_PresignedAnalysis(benchmark::State& state) {
  Loaded& l = loaded();
  for (auto _ : state) {
    presigned::PresignedAnalysis a(*l.ctx);
    benchmark::DoNotOptimize(a.verdicts().size());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * (l.account.users.size() + l.account.roles.size())));
  state.SetLabel("items = principals");
}
BENCHMARK(BM_PresignedAnalysis)->Unit(benchmark::kMillisecond);

// The route walk of internet-egress-path: every SageMaker resource's first egress path.
void BM_RouteWalk(benchmark::State& state) {
  Loaded& l = loaded();
  const auto placements = checks::net::placements(l.account);
  for (auto _ : state) {
    checks::FindingSink sink;
    checks::net::EgressSearch search(*l.graph, sink);
    std::size_t paths = 0;
    for (const auto& p : placements) {
      if (!p.egress_in_scope) continue;
      paths += search.first_path(p).has_value() ? 1 : 0;
    }
    benchmark::DoNotOptimize(paths);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * placements.size()));
  state.SetLabel(std::to_string(placements.size()) + " resources");
}
BENCHMARK(BM_RouteWalk)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
