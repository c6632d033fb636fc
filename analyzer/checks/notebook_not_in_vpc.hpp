#pragma once
#include "analyzer/checks/check.hpp"

namespace vpcgate::checks {

/// `notebook-not-in-vpc`: Notebook instance not in a VPC.
/// A notebook instance without a `SubnetId` runs in SageMaker's own network: no security
/// group, network ACL, route table or endpoint policy of yours applies to it, and it always
/// has direct internet access.
///
/// Fails:
///     aws sagemaker create-notebook-instance --notebook-instance-name nb1
///       --instance-type ml.t3.medium --role-arn arn:aws:iam::111122223333:role/Nb   # no --subnet-id
class NotebookNotInVpc : public Check {
 public:
  CheckInfo info() const override {
    return {"notebook-not-in-vpc", Severity::Medium, "Notebook instance not in a VPC"};
  }
  void run(const CheckContext& ctx, FindingSink& sink) const override;
};

}  // namespace vpcgate::checks
