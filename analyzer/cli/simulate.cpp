#include "analyzer/cli/simulate.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analyzer/cli/simulate_batch.hpp"
#include "analyzer/eval/evaluate.hpp"
#include "analyzer/report/report.hpp"
#include "model/input_error.hpp"
#include "model/policy.hpp"

namespace vpcgate::cli {
namespace {

using nlohmann::json;
using ordered = nlohmann::ordered_json;

struct SimulateOptions {
  std::vector<std::string> policies;
  std::string resource_policy;
  std::string boundary;
  std::vector<std::string> scps;
  std::string endpoint_policy;
  std::vector<std::string> actions;
  std::vector<std::string> resources;
  std::string resource_account;
  std::string principal;
  std::vector<std::string> context;
  std::string format = "text";
  std::string requests;
};

std::string read_file(const std::string& path) {
  if (path == "-") {
    std::ostringstream ss;
    ss << std::cin.rdbuf();
    return ss.str();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw model::InputError(path, "", std::string("cannot read the file: ") + std::strerror(errno));
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) throw model::InputError(path, "", "cannot read the file");
  return ss.str();
}

// Owns the parsed documents; PolicySet points into it.
struct Documents {
  std::vector<std::unique_ptr<model::PolicyDocument>> docs;
  const model::PolicyDocument* keep(model::PolicyDocument d) {
    docs.push_back(std::make_unique<model::PolicyDocument>(std::move(d)));
    return docs.back().get();
  }
};

eval::SourcedPolicy load_file(Documents& store, const std::string& path) {
  return {store.keep(model::parse_policy_file_content(read_file(path), path)), path};
}

// One SCP level: a document (or a CLI output wrapping one), or a JSON array of them.
std::vector<eval::SourcedPolicy> load_scp_level(Documents& store, const std::string& path) {
  const std::string text = read_file(path);
  const json j = model::parse_json_text(text, path);
  std::vector<eval::SourcedPolicy> level;
  if (j.is_array()) {
    for (std::size_t i = 0; i < j.size(); ++i) {
      level.push_back({store.keep(model::parse_policy_json(j[i], path, "/" + std::to_string(i))),
                       path + "[" + std::to_string(i) + "]"});
    }
  } else {
    level.push_back({store.keep(model::parse_policy_json(j, path, "")), path});
  }
  return level;
}

ordered matched_json(const std::vector<eval::MatchedStatement>& matched) {
  ordered list = ordered::array();
  for (const auto& m : matched) {
    ordered o;
    o["SourcePolicyId"] = m.source_id;
    o["SourcePolicyType"] = eval::to_string(m.type);
    if (m.sid) {
      o["Sid"] = *m.sid;
    } else {
      o["Sid"] = nullptr;
    }
    o["Index"] = m.index;
    list.push_back(std::move(o));
  }
  return list;
}

void add_context_option(eval::Context& ctx, const std::string& item) {
  const auto eq = item.find('=');
  if (eq == std::string::npos || eq == 0) {
    throw CLI::ValidationError("--context", "expected KEY=VALUE, got \"" + item + "\"");
  }
  const std::string key = item.substr(0, eq);
  std::vector<std::string> values;
  if (const auto* existing = ctx.get(key)) values = *existing;
  values.push_back(item.substr(eq + 1));
  ctx.set(key, std::move(values));
}

void run_single(const SimulateOptions& o) {
  Documents store;
  eval::PolicySet set;
  for (const auto& p : o.policies) set.identity.push_back(load_file(store, p));
  if (!o.resource_policy.empty()) set.resource = load_file(store, o.resource_policy);
  if (!o.boundary.empty()) set.boundary = load_file(store, o.boundary);
  for (const auto& s : o.scps) set.scp_levels.push_back(load_scp_level(store, s));
  if (!o.endpoint_policy.empty()) set.endpoint = load_file(store, o.endpoint_policy);

  eval::Context base;
  for (const auto& c : o.context) add_context_option(base, c);
  const std::vector<std::string> resources = o.resources.empty() ? std::vector<std::string>{"*"} : o.resources;

  ordered results = ordered::array();
  std::ostringstream text;
  for (const auto& action : o.actions) {
    for (const auto& resource : resources) {
      eval::Request req;
      req.action = action;
      req.resource = resource;
      if (!o.principal.empty()) req.principal_arn = o.principal;
      if (!o.resource_account.empty()) req.resource_account = o.resource_account;
      req.context = base;
      eval::add_derived_keys(req);
      const eval::Result r = eval::evaluate(set, req);
      ordered row;
      row["EvalActionName"] = action;
      row["EvalResourceName"] = resource;
      row["EvalDecision"] = eval::to_string(r.decision);
      row["MatchedStatements"] = matched_json(r.matched);
      results.push_back(std::move(row));

      text << action << " on " << resource << ": " << eval::to_string(r.decision) << "\n";
      for (const auto& m : r.matched) {
        text << "  " << eval::to_string(m.type) << " " << m.source_id << " statement " << m.index;
        if (m.sid) text << " (Sid " << *m.sid << ")";
        text << (m.statement != nullptr && m.statement->effect == model::Effect::Deny ? " denies" : " allows") << "\n";
      }
    }
  }
  if (o.format == "json") {
    ordered out;
    out["EvaluationResults"] = std::move(results);
    std::cout << out.dump(2, ' ', false, ordered::error_handler_t::replace) << "\n";
  } else {
    // Actions, resources and Sids come from the user's input: escape control characters.
    std::string line;
    std::istringstream lines(text.str());
    while (std::getline(lines, line)) std::cout << report::terminal_safe(line) << "\n";
  }
}

}  // namespace

void register_simulate(CLI::App& app, int& exit_code) {
  auto opts = std::make_shared<SimulateOptions>();
  CLI::App* sub = app.add_subcommand("simulate", "Evaluate requests against policies with AWS's evaluation logic");
  sub->add_option("--policy", opts->policies, "identity-based policy document (repeatable)");
  sub->add_option("--resource-policy", opts->resource_policy, "resource-based policy");
  sub->add_option("--boundary", opts->boundary, "permissions boundary");
  sub->add_option("--scp", opts->scps, "SCP level: a document or a JSON array of documents (repeatable)");
  sub->add_option("--endpoint-policy", opts->endpoint_policy, "policy of the VPC endpoint the request goes through");
  sub->add_option("--action", opts->actions, "action, e.g. sagemaker:CreatePresignedNotebookInstanceUrl (repeatable)");
  sub->add_option("--resource", opts->resources, "resource ARN (repeatable; default *)");
  sub->add_option("--resource-account", opts->resource_account, "account that owns the resource");
  sub->add_option("--principal", opts->principal, "the caller's ARN");
  sub->add_option("--context", opts->context, "KEY=VALUE request context (repeatable; repeat a key for several values)");
  sub->add_option("--format", opts->format, "text or json")->check(CLI::IsMember({"text", "json"}));
  sub->add_option("--requests", opts->requests, "JSON lines of requests (FILE or - for stdin)");
  sub->callback([opts, sub, &exit_code]() {
    if (sub->count("--requests") > 0) {
      for (const char* name : {"--policy", "--resource-policy", "--boundary", "--scp", "--endpoint-policy", "--action",
                               "--resource", "--resource-account", "--principal", "--context", "--format"}) {
        if (sub->count(name) > 0) {
          throw CLI::ValidationError("--requests", std::string("cannot be combined with ") + name);
        }
      }
      exit_code = run_requests(opts->requests);
      return;
    }
    if (opts->actions.empty()) throw CLI::RequiredError("--action");
    run_single(*opts);
    exit_code = 0;
  });
}

}  // namespace vpcgate::cli
