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

// --requests: one JSON object per line, documents inline.
struct LineError {
  std::string message;
};

const model::PolicyDocument* line_doc(Documents& store, const json& j, const std::string& pointer) {
  try {
    return store.keep(model::parse_policy_json(j, "", pointer));
  } catch (const model::InputError& e) {
    throw LineError{e.where().empty() ? e.message() : e.where() + ": " + e.message()};
  }
}

std::string scalar(const json& v, const std::string& pointer) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_number()) return v.dump();
  throw LineError{pointer + ": expected a string, number or boolean"};
}

std::optional<std::string> optional_string(const json& obj, const char* key) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return std::nullopt;
  if (!it->is_string()) throw LineError{std::string("/") + key + ": expected a string"};
  return it->get<std::string>();
}

ordered evaluate_line(const std::string& line) {
  json j;
  try {
    j = model::parse_json_text(line, "");
  } catch (const model::InputError& e) {
    throw LineError{e.where() + ": " + e.message()};
  }
  if (!j.is_object()) throw LineError{"expected a JSON object"};
  Documents store;
  eval::PolicySet set;
  if (auto it = j.find("policies"); it != j.end() && !it->is_null()) {
    if (!it->is_array()) throw LineError{"/policies: expected an array of policy documents"};
    for (std::size_t i = 0; i < it->size(); ++i) {
      set.identity.push_back({line_doc(store, (*it)[i], "/policies/" + std::to_string(i)),
                              "policies[" + std::to_string(i) + "]"});
    }
  }
  if (auto it = j.find("resource_policy"); it != j.end() && !it->is_null()) {
    set.resource = eval::SourcedPolicy{line_doc(store, *it, "/resource_policy"), "resource_policy"};
  }
  if (auto it = j.find("boundary"); it != j.end() && !it->is_null()) {
    set.boundary = eval::SourcedPolicy{line_doc(store, *it, "/boundary"), "boundary"};
  }
  if (auto it = j.find("scps"); it != j.end() && !it->is_null()) {
    if (!it->is_array()) throw LineError{"/scps: expected an array of levels"};
    for (std::size_t i = 0; i < it->size(); ++i) {
      const json& level = (*it)[i];
      const std::string p = "/scps/" + std::to_string(i);
      const std::string id = "scps[" + std::to_string(i) + "]";
      std::vector<eval::SourcedPolicy> docs;
      if (level.is_array()) {
        for (std::size_t k = 0; k < level.size(); ++k) {
          docs.push_back({line_doc(store, level[k], p + "/" + std::to_string(k)), id + "[" + std::to_string(k) + "]"});
        }
      } else {
        docs.push_back({line_doc(store, level, p), id});
      }
      set.scp_levels.push_back(std::move(docs));
    }
  }
  if (auto it = j.find("endpoint_policy"); it != j.end() && !it->is_null()) {
    set.endpoint = eval::SourcedPolicy{line_doc(store, *it, "/endpoint_policy"), "endpoint_policy"};
  }
  eval::Request req;
  auto action = optional_string(j, "action");
  if (!action) throw LineError{"/action: missing"};
  req.action = *action;
  req.resource = optional_string(j, "resource").value_or("*");
  req.resource_account = optional_string(j, "resource_account");
  req.principal_arn = optional_string(j, "principal");
  if (auto it = j.find("context"); it != j.end() && !it->is_null()) {
    if (!it->is_object()) throw LineError{"/context: expected an object"};
    for (const auto& [key, value] : it->items()) {
      const std::string p = "/context/" + key;
      std::vector<std::string> values;
      if (value.is_array()) {
        for (std::size_t i = 0; i < value.size(); ++i) values.push_back(scalar(value[i], p + "/" + std::to_string(i)));
      } else {
        values.push_back(scalar(value, p));
      }
      req.context.set(key, std::move(values));
    }
  }
  eval::add_derived_keys(req);
  const eval::Result r = eval::evaluate(set, req);
  ordered out;
  out["EvalDecision"] = eval::to_string(r.decision);
  out["MatchedStatements"] = matched_json(r.matched);
  return out;
}

int run_requests(const std::string& path) {
  std::string content;
  std::unique_ptr<std::istream> owned;
  std::istream* in = &std::cin;
  if (path != "-") {
    owned = std::make_unique<std::ifstream>(path, std::ios::binary);
    if (!*owned) throw model::InputError(path, "", std::string("cannot read the file: ") + std::strerror(errno));
    in = owned.get();
  }
  int status = 0;
  std::string line;
  std::size_t number = 0;
  while (std::getline(*in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t\r\n") == std::string::npos) continue;
    ordered out;
    out["line"] = number;
    try {
      ordered r = evaluate_line(line);
      out["EvalDecision"] = std::move(r["EvalDecision"]);
      out["MatchedStatements"] = std::move(r["MatchedStatements"]);
    } catch (const LineError& e) {
      out["error"] = e.message;
      status = 2;
    }
    std::cout << out.dump(-1, ' ', false, ordered::error_handler_t::replace) << "\n";
  }
  std::cout.flush();
  return status;
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
