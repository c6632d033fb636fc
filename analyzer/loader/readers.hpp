#pragma once
// Readers of the AWS CLI outputs, one per recognised FileKind: each fills a FileLoad from the
// file's root object. AWS key names appear here and nowhere else (STYLE.md).
#include <string>

#include "analyzer/loader/json_node.hpp"
#include "analyzer/loader/load_file.hpp"
#include "model/policy.hpp"

namespace vpcgate::loader::detail {

// A policy document member: a JSON object (what the CLI prints) or a JSON string (URL-encoded
// or not, as older CLIs print IAM documents and as EC2/Organizations always do).
model::PolicyDocument read_policy(const Node& node);

// "arn:aws:iam::aws:policy/..." in any partition.
bool is_aws_managed_policy_arn(const std::string& arn);

// The last path segment of an ARN ("arn:aws:iam::1:policy/a/b" -> "b").
std::string arn_last_segment(const std::string& arn);

model::SourceLoc loc_of(const Node& node);

// "us-east-1a" -> "us-east-1"; "" when it is not a zone name.
std::string region_of_zone(const std::string& zone);
// "com.amazonaws.us-east-1.sagemaker.api" / "aws.sagemaker.us-east-1.notebook" -> "us-east-1".
std::string region_of_service_name(const std::string& name);

void read_iam(const Node& root, FileLoad& out);            // get-account-authorization-details
bool read_organizations_policy(const Node& root, FileLoad& out);  // false: not an SCP (skipped)
void read_ec2(FileKind kind, const Node& root, FileLoad& out);    // describe-vpcs ... -vpc-endpoints
void read_sagemaker(FileKind kind, const Node& root, FileLoad& out);  // describe-notebook-instance ...

}  // namespace vpcgate::loader::detail
