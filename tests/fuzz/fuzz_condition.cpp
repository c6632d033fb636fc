// libFuzzer target: condition evaluation. The input is a policy document, a line "----", then
// request lines: "action", "resource", then KEY=VALUE context entries (a key repeated for
// several values). The document is evaluated as identity, resource, boundary, SCP and endpoint
// policy; evaluate() must return a decision for any parsed policy and any request.
#include <cstddef>
#include <cstdint>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "analyzer/eval/evaluate.hpp"
#include "model/input_error.hpp"
#include "model/policy.hpp"

using namespace vpcgate;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  std::string policy_text = text;
  std::string request_text;
  if (auto sep = text.find("\n----\n"); sep != std::string::npos) {
    policy_text = text.substr(0, sep);
    request_text = text.substr(sep + 6);
  }
  model::PolicyDocument doc;
  try {
    doc = model::parse_policy_file_content(policy_text, "fuzz.json");
  } catch (const model::InputError&) {
    return 0;
  }
  eval::Request req;
  req.action = "sagemaker:CreatePresignedNotebookInstanceUrl";
  req.resource = "arn:aws:sagemaker:us-east-1:111122223333:notebook-instance/nb";
  req.principal_arn = "arn:aws:iam::111122223333:user/alice";
  std::istringstream lines(request_text);
  std::string line;
  std::map<std::string, std::vector<std::string>> context;
  for (int n = 0; std::getline(lines, line); ++n) {
    if (n == 0) {
      req.action = line;
    } else if (n == 1) {
      req.resource = line;
    } else if (auto eq = line.find('='); eq != std::string::npos) {
      context[line.substr(0, eq)].push_back(line.substr(eq + 1));
    }
  }
  for (auto& [k, v] : context) req.context.set(k, v);
  eval::add_derived_keys(req);
  eval::SourcedPolicy sp{&doc, "fuzz"};
  eval::PolicySet identity;
  identity.identity.push_back(sp);
  eval::PolicySet all = identity;
  all.resource = sp;
  all.boundary = sp;
  all.scp_levels.push_back({sp});
  all.endpoint = sp;
  (void)eval::evaluate(identity, req);
  (void)eval::evaluate(all, req);
  for (const auto& s : doc.statements) {
    (void)eval::action_matches(s, req.action);
    for (const auto& c : s.conditions) (void)eval::condition_holds(doc, c, req.context);
  }
  return 0;
}
