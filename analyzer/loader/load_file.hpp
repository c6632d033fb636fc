#pragma once
// One file -> a partial Account, and the merge of partial Accounts. Files are independent until
// the merge, so they can be parsed in parallel; the merge runs in bytewise file order.
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "model/account.hpp"

namespace vpcgate::loader {

class IacDocument;

namespace detail {
class Node;
}

// What a file is, by its top-level keys (CONTRACT.md, Input; the table's order).
enum class FileKind {
  Unrecognised,
  NotebookInstance,         // aws sagemaker describe-notebook-instance
  ProcessingJob,            // aws sagemaker describe-processing-job
  TrainingJob,              // aws sagemaker describe-training-job
  Model,                    // aws sagemaker describe-model
  Domain,                   // aws sagemaker describe-domain
  IamAuthorizationDetails,  // aws iam get-account-authorization-details
  OrganizationsPolicy,      // aws organizations describe-policy
  Vpcs,
  Subnets,
  RouteTables,
  InternetGateways,
  NatGateways,
  EgressOnlyInternetGateways,
  SecurityGroups,
  NetworkAcls,
  VpcEndpoints,
  CloudFormationTemplate,
  TerraformPlan,
};

FileKind recognise(const detail::Node& root);
const char* file_kind_name(FileKind kind);

// Canonical text of each entity's content, parallel to the Account's vectors: two copies of an
// entity (same ARN or ID) are merged when these agree and are an input error otherwise.
struct Fingerprints {
  std::vector<std::string> users, groups, roles, policies, scps;
  std::vector<std::string> vpcs, subnets, route_tables, internet_gateways, nat_gateways,
      egress_only_gateways, security_groups, network_acls, vpc_endpoints;
  std::vector<std::string> notebooks, training_jobs, processing_jobs, models, domains;
};

// The same with each canonical text replaced by a 120-bit digest of it (MurmurHash3 x64/128,
// truncated to fit std::string's small buffer), so that the merge keeps 15 bytes per entity
// rather than a copy of the input. Two different texts share a digest by accident with
// probability about 2^-120; an input crafted to collide
// could only make two copies of an entity look identical, and whoever writes the export can
// make it say anything anyway.
Fingerprints digest(Fingerprints&& prints);

struct FileLoad {
  FileKind kind = FileKind::Unrecognised;
  bool skipped = false;  // unrecognised, or a describe-policy output of another policy type
  model::Account account;  // this file's entities; files/skipped hold the display path
  Fingerprints prints;
  // A template or plan: built at the merge, over the export (analyzer/loader/iac.hpp).
  std::shared_ptr<const IacDocument> iac;
};

// Reads and parses one file. `path` is opened; `display_path` is what errors and SourceLocs name.
// *.json is JSON; *.yaml/*.yml are YAML; anything else is JSON when it starts with '{' or '['.
FileLoad load_file(const std::string& path, const std::string& display_path);

// Same, from the file's text (tests; `yaml` picks the syntax).
FileLoad load_text(std::string text, const std::string& display_path, bool yaml);

// Folds partial Accounts together in the order they are added.
class Merger {
 public:
  void add(FileLoad&& part);  // throws InputError on a conflicting duplicate
  model::Account finish() &&;  // counts, VPC regions (snapshot resolution is done by load())

 private:
  model::Account account_;
  Fingerprints prints_;
  std::unordered_map<std::string, std::size_t> index_[19];
  std::vector<std::shared_ptr<const IacDocument>> iac_;  // in file order
};

}  // namespace vpcgate::loader
