#include "analyzer/checks/internet_egress_path.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "analyzer/checks/network_reach.hpp"
#include "analyzer/checks/resource_finding.hpp"

namespace vpcgate::checks {

namespace {
std::string gateway_words(const std::string& kind) {
  if (kind == "nat-gateway") return "NAT gateway";
  std::string out = kind;
  std::replace(out.begin(), out.end(), '-', ' ');
  return out;
}

std::string capitalised(std::string s) {
  if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
  return s;
}

std::string remediation_for(const net::Placement& p, const net::EgressPath& path) {
  bool via_nat = std::any_of(path.hops.begin(), path.hops.end(),
                             [](const net::Hop& h) { return h.kind == "nat-gateway"; });
  std::string out;
  if (!via_nat)
    out = "Put the resource in private subnets: remove the route to the gateway from the subnet's route table "
          "(or associate the subnet with a table without it)";
  else
    out = "Remove the route to the NAT gateway from the subnet's route table (or associate the subnet with a "
          "table without it)";
  out += ", reach S3, ECR, CloudWatch and the SageMaker API through VPC endpoints, and limit the security "
         "groups' egress rules to the VPC's CIDRs and the endpoints' prefix lists";
  if (p.kind == net::ResourceKind::TrainingJob || p.kind == net::ResourceKind::ProcessingJob ||
      p.kind == net::ResourceKind::Model)
    out += "; where the containers need no network at all, enable network isolation instead";
  if (p.kind == net::ResourceKind::Domain) out += "; the domain's apps inherit the domain's subnets and groups";
  return out + ".";
}
}  // namespace

void InternetEgressPath::run(const CheckContext& ctx, FindingSink& sink) const {
  net::EgressSearch search(ctx.graph, sink);
  for (const auto& p : net::placements(ctx.account())) {
    if (!p.egress_in_scope) continue;
    auto path = search.first_path(p);
    if (!path) continue;
    const auto& gateway = path->hops.back();
    std::string why = p.kind == net::ResourceKind::NotebookInstance ? "sits in a VPC"
                      : p.kind == net::ResourceKind::Domain
                          ? "is a VpcOnly Studio domain"
                          : "sits in a VPC without network isolation";
    std::string detail = fmt::format("{} {} {}, and its traffic can reach the internet through {} {}. {}",
                                     capitalised(net::label(p.kind)), p.arn, why, gateway_words(gateway.kind),
                                     gateway.id.value_or(""), path->sentence);
    for (const auto& a : path->assumptions) detail += " Assumed: " + a + ".";
    Finding f = resource_finding(info(), p.arn, *p.loc,
                                 fmt::format("{} {} reaches the internet through {}", capitalised(net::label(p.kind)),
                                             display_name(p.name, p.arn), gateway.id.value_or(gateway.kind)),
                                 std::move(detail), remediation_for(p, *path));
    f.evidence["path"] = net::to_json(path->hops);
    sink.add(std::move(f));
  }
}

}  // namespace vpcgate::checks
