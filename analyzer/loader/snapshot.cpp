#include "analyzer/loader/snapshot.hpp"

#include <simdjson.h>

#include "analyzer/loader/json_node.hpp"
#include "analyzer/loader/readers.hpp"
#include "model/input_error.hpp"

#ifndef VPCGATE_DATA_DIR
#define VPCGATE_DATA_DIR "data"
#endif

namespace vpcgate::loader {

struct ManagedPolicySnapshot::Data {
  simdjson::dom::parser parser;  // owns the document the elements below point into
  simdjson::dom::object policies;
};

ManagedPolicySnapshot::ManagedPolicySnapshot(std::string path) : path_(std::move(path)) {}
ManagedPolicySnapshot::~ManagedPolicySnapshot() = default;

std::string default_snapshot_path() { return std::string(VPCGATE_DATA_DIR) + "/aws-managed-policies.json"; }

void ManagedPolicySnapshot::open() {
  auto data = std::make_unique<Data>();
  simdjson::padded_string text;
  if (simdjson::padded_string::load(path_).get(text) != simdjson::SUCCESS) {
    throw model::InputError(path_, "", "cannot read the snapshot of AWS managed policies");
  }
  simdjson::dom::element root;
  if (auto error = data->parser.parse(text).get(root)) {
    throw model::InputError(path_, "", std::string("invalid JSON: ") + simdjson::error_message(error));
  }
  if (root["policies"].get_object().get(data->policies) != simdjson::SUCCESS) {
    throw model::InputError(path_, "/policies", "expected an object of AWS managed policies");
  }
  data_ = std::move(data);
}

std::optional<model::ManagedPolicy> ManagedPolicySnapshot::find(const std::string& arn) {
  if (!detail::is_aws_managed_policy_arn(arn)) return std::nullopt;
  if (!data_) open();
  // arn:PARTITION:iam::aws:policy/PATH/NAME -> the snapshot's arn:aws:iam::aws:policy/PATH/NAME
  std::string key = "arn:aws" + arn.substr(arn.find(':', 4));
  simdjson::dom::element entry;
  if (data_->policies[key].get(entry) != simdjson::SUCCESS) return std::nullopt;
  detail::Node node(entry, "/policies/" + detail::pointer_escape(key), path_);
  model::ManagedPolicy p;
  p.arn = arn;
  p.name = node.string("name");
  // The path is what lies between "policy" and the name: ".../policy/service-role/X" -> "/service-role/".
  auto policy_at = arn.find(":policy/") + 7;
  auto last = arn.rfind('/');
  p.path = arn.substr(policy_at, last - policy_at + 1);
  p.document = detail::read_policy(node.require("document"));
  p.aws_managed = true;
  p.from_snapshot = true;
  return p;
}

}  // namespace vpcgate::loader
