// aws sagemaker describe-notebook-instance | describe-training-job | describe-processing-job |
// describe-model | describe-domain (botocore sagemaker/2017-07-24). The members botocore marks
// required in each output are required here, plus the resource's own ARN.
#include <string>

#include "analyzer/loader/readers.hpp"

namespace vpcgate::loader::detail {
namespace {

std::optional<model::VpcConfig> read_vpc_config(const std::optional<Node>& n) {
  if (!n) return std::nullopt;
  model::VpcConfig c;
  for (const auto& s : n->require("SecurityGroupIds").items()) c.security_group_ids.push_back(s.as_string());
  for (const auto& s : n->require("Subnets").items()) c.subnets.push_back(s.as_string());
  return c;
}

bool isolation(const Node& n) { return n.opt_bool("EnableNetworkIsolation").value_or(false); }

void read_notebook(const Node& n, FileLoad& out) {
  model::NotebookInstance nb;
  nb.arn = n.string("NotebookInstanceArn");
  nb.name = n.string_or("NotebookInstanceName", arn_last_segment(nb.arn));
  nb.role_arn = n.string_or("RoleArn");
  nb.status = n.string_or("NotebookInstanceStatus");
  nb.subnet_id = n.opt_string("SubnetId");
  nb.security_groups = n.strings("SecurityGroups");
  if (auto dia = n.get("DirectInternetAccess")) {
    auto v = dia->as_string();
    if (v != "Enabled" && v != "Disabled") dia->fail("expected \"Enabled\" or \"Disabled\", got \"" + v + "\"");
    nb.direct_internet_access = v == "Enabled";
  }
  nb.loc = loc_of(n);
  out.account.notebooks.push_back(std::move(nb));
  out.prints.notebooks.push_back(fingerprint(
      n, {"NotebookInstanceArn", "NotebookInstanceName", "RoleArn", "SubnetId", "SecurityGroups", "DirectInternetAccess"}));
}

void read_training_job(const Node& n, FileLoad& out) {
  n.require_all({"TrainingJobName", "TrainingJobArn", "ModelArtifacts", "TrainingJobStatus", "SecondaryStatus",
                 "StoppingCondition", "CreationTime"});
  model::TrainingJob j;
  j.arn = n.string("TrainingJobArn");
  j.name = n.string("TrainingJobName");
  j.role_arn = n.string_or("RoleArn");
  j.vpc_config = read_vpc_config(n.get("VpcConfig"));
  j.network_isolation = isolation(n);
  j.loc = loc_of(n);
  out.account.training_jobs.push_back(std::move(j));
  out.prints.training_jobs.push_back(
      fingerprint(n, {"TrainingJobArn", "TrainingJobName", "RoleArn", "VpcConfig", "EnableNetworkIsolation"}));
}

void read_processing_job(const Node& n, FileLoad& out) {
  n.require_all({"ProcessingJobName", "ProcessingResources", "AppSpecification", "ProcessingJobArn",
                 "ProcessingJobStatus", "CreationTime"});
  model::ProcessingJob j;
  j.arn = n.string("ProcessingJobArn");
  j.name = n.string("ProcessingJobName");
  j.role_arn = n.string_or("RoleArn");
  if (auto net = n.get("NetworkConfig")) {
    j.vpc_config = read_vpc_config(net->get("VpcConfig"));
    j.network_isolation = isolation(*net);
  }
  j.loc = loc_of(n);
  out.account.processing_jobs.push_back(std::move(j));
  out.prints.processing_jobs.push_back(
      fingerprint(n, {"ProcessingJobArn", "ProcessingJobName", "RoleArn", "NetworkConfig"}));
}

void read_model(const Node& n, FileLoad& out) {
  n.require_all({"ModelName", "CreationTime", "ModelArn"});
  model::SageMakerModel m;
  m.arn = n.string("ModelArn");
  m.name = n.string("ModelName");
  m.role_arn = n.string_or("ExecutionRoleArn");
  m.vpc_config = read_vpc_config(n.get("VpcConfig"));
  m.network_isolation = isolation(n);
  m.loc = loc_of(n);
  out.account.models.push_back(std::move(m));
  out.prints.models.push_back(
      fingerprint(n, {"ModelArn", "ModelName", "ExecutionRoleArn", "VpcConfig", "EnableNetworkIsolation"}));
}

void read_domain(const Node& n, FileLoad& out) {
  model::Domain d;
  d.arn = n.string("DomainArn");
  d.id = n.string_or("DomainId", arn_last_segment(d.arn));
  d.name = n.string_or("DomainName");
  if (auto access = n.get("AppNetworkAccessType")) {
    auto v = access->as_string();
    if (v != "PublicInternetOnly" && v != "VpcOnly") {
      access->fail("expected \"PublicInternetOnly\" or \"VpcOnly\", got \"" + v + "\"");
    }
    d.app_network_access_type = v;
  }
  d.vpc_id = n.string_or("VpcId");
  d.subnet_ids = n.strings("SubnetIds");
  if (auto settings = n.get("DefaultUserSettings")) d.security_groups = settings->strings("SecurityGroups");
  d.loc = loc_of(n);
  out.account.domains.push_back(std::move(d));
  out.prints.domains.push_back(fingerprint(
      n, {"DomainArn", "DomainId", "DomainName", "AppNetworkAccessType", "VpcId", "SubnetIds", "DefaultUserSettings"}));
}

}  // namespace

void read_sagemaker(FileKind kind, const Node& root, FileLoad& out) {
  switch (kind) {
    case FileKind::NotebookInstance: read_notebook(root, out); return;
    case FileKind::ProcessingJob: read_processing_job(root, out); return;
    case FileKind::TrainingJob: read_training_job(root, out); return;
    case FileKind::Model: read_model(root, out); return;
    case FileKind::Domain: read_domain(root, out); return;
    default: return;
  }
}

}  // namespace vpcgate::loader::detail
