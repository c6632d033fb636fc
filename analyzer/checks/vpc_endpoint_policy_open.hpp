#pragma once
// `vpc-endpoint-policy-open` and the exact search behind it (endpoint_policy::decide).
#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "analyzer/checks/check.hpp"
#include "model/policy.hpp"

namespace vpcgate::checks {

/// `vpc-endpoint-policy-open`: a VPC endpoint (interface or gateway) in a VPC that hosts
/// SageMaker resources whose policy lets a principal of another account through, or reaches a
/// resource of another account. Fails, e.g., for an S3 gateway endpoint with the default policy
/// `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}`: a notebook
/// can copy data to a bucket of any account through it.
class VpcEndpointPolicyOpen : public Check {
 public:
  CheckInfo info() const override {
    return {"vpc-endpoint-policy-open", Severity::Medium,
            "VPC endpoint policy lets principals or resources of other accounts through"};
  }
  void run(const CheckContext& ctx, FindingSink& sink) const override;
};

namespace endpoint_policy {

// The trusted accounts of a scan, sorted, with a cache of the accounts that each pattern operand
// tells apart from the others (the candidate accounts of a decision; see Search::trusted_candidates
// in the .cpp). Built once per scan and shared by its decisions (thread-safe).
class TrustedIndex;
std::shared_ptr<const TrustedIndex> make_trusted_index(const std::set<std::string>& accounts);

// Who is inside (CONTRACT.md, --trusted-account / --org-id).
struct Perimeter {
  std::set<std::string> accounts;     // trusted accounts
  std::optional<std::string> org_id;  // the organisation, when known
  std::size_t budget = 200000;        // concrete evaluations per decision
  // make_trusted_index(accounts), when the caller decides several endpoints; decide() builds one
  // of its own when absent. Must have been built from `accounts`.
  std::shared_ptr<const TrustedIndex> index;
};

// The endpoint the requests go through: fixes aws:SourceVpce, aws:SourceVpc, aws:RequestedRegion.
struct Endpoint {
  std::string id;            // also the policy's name in `statements`
  std::string service_name;  // com.amazonaws.us-east-1.s3, aws.sagemaker.us-east-1.notebook, ...
  std::string vpc_id;        // "" when unknown
};

using KeyValue = std::optional<std::vector<std::string>>;  // nullopt = absent

struct StatementRef {
  std::string policy;
  std::optional<std::string> sid;
  std::size_t index = 0;
};

enum class Outcome { Closed, Open, Incomplete };

struct Answer {
  Outcome outcome = Outcome::Closed;
  // canonical key -> value, in bytewise order of the keys (Open; Incomplete: all absent).
  std::vector<std::pair<std::string, KeyValue>> witness;
  std::set<std::string> multi_valued;  // keys whose value is a set
  std::string action, resource, principal_arn;
  bool principal_outside = false, resource_outside = false;
  std::vector<StatementRef> statements;  // the Allow statements that allow the witness request
  std::size_t evaluations = 0;
  bool witness_minimal = true;
};

// AWS's default endpoint policy (full access), used where an endpoint has none.
const model::PolicyDocument& default_policy();

// The IAM action prefixes of the requests an endpoint service carries
// (com.amazonaws.us-east-1.sagemaker.api -> {"sagemaker"}; ...ecr.dkr -> {"ecr"}); empty for an
// endpoint service that is not an AWS service (com.amazonaws.vpce.REGION.vpce-svc-...).
std::vector<std::string> action_prefixes(const std::string& service_name);
// The region a service name names ("" when none).
std::string service_region(const std::string& service_name);

// Does the endpoint policy allow some request whose principal or resource is outside the
// perimeter? Exact over the classes of the values that the policy's conditions, principals,
// actions and resources mention (see docs/checks.md#vpc-endpoint-policy-open).
Answer decide(const model::PolicyDocument& doc, const Endpoint& endpoint, const Perimeter& perimeter);

Json witness_json(const Answer& a);
Json statements_json(const std::vector<StatementRef>& s);

}  // namespace endpoint_policy
}  // namespace vpcgate::checks
