#pragma once
// The shipped snapshot of AWS managed policies (data/aws-managed-policies.json, built by
// scripts/build-managed-policies): read only when an input attaches an AWS managed policy that
// it does not hold, and then only once.
#include <memory>
#include <optional>
#include <string>

#include "model/account.hpp"

namespace vpcgate::loader {

class ManagedPolicySnapshot {
 public:
  explicit ManagedPolicySnapshot(std::string path);
  ~ManagedPolicySnapshot();
  ManagedPolicySnapshot(const ManagedPolicySnapshot&) = delete;
  ManagedPolicySnapshot& operator=(const ManagedPolicySnapshot&) = delete;

  // The policy with this ARN (any partition: the snapshot holds the `aws` one), marked
  // aws_managed and from_snapshot; nullopt when the snapshot does not know it. Throws
  // InputError when the snapshot cannot be read.
  std::optional<model::ManagedPolicy> find(const std::string& arn);

  const std::string& path() const { return path_; }

 private:
  struct Data;
  void open();
  std::string path_;
  std::unique_ptr<Data> data_;
};

// The snapshot's default location: VPCGATE_DATA_DIR/aws-managed-policies.json.
std::string default_snapshot_path();

}  // namespace vpcgate::loader
