#include "analyzer/checks/presigned_url_unrestricted.hpp"

#include <string>

#include "analyzer/checks/presigned_analysis.hpp"
#include "analyzer/checks/presigned_url_common.hpp"

namespace vpcgate::checks {

// A principal that can call sagemaker:CreatePresignedNotebookInstanceUrl in some request that
// comes neither through an approved endpoint nor from an approved VPC (presigned_analysis.hpp
// decides it exactly; CONTRACT.md gives the witness rules).
void PresignedUrlUnrestricted::run(const CheckContext& ctx, FindingSink& sink) const {
  const auto& analysis = presigned::PresignedAnalysis::get(ctx);
  const CheckInfo ci = info();
  for (const auto& v : analysis.verdicts()) {
    if (v.outcome == presigned::Outcome::Restricted) continue;
    const auto& p = *v.principal;
    Finding f;
    f.check = ci.id;
    f.severity = ci.severity;
    f.resource = p.arn;
    f.principal = p.arn;
    f.title = (p.is_user ? "User " : "Role ") + p.arn +
              " can create presigned notebook URLs from outside the approved VPC endpoints";
    f.detail = presigned_detail(analysis, v);
    f.evidence = Json::object();
    f.evidence["witness"] = presigned::witness_json(v.answer);
    f.evidence["statements"] = presigned::statements_json(v.answer.statements);
    f.evidence["notebooks"] = v.notebooks;
    if (p.loc) f.location = *p.loc;
    f.remediation = presigned_remediation(analysis);
    sink.add(std::move(f));
  }
}

}  // namespace vpcgate::checks
