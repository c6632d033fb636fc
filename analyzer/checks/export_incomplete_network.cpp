#include "analyzer/checks/export_incomplete_network.hpp"

#include <cctype>
#include <map>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "analyzer/checks/network_reach.hpp"

namespace vpcgate::checks {

namespace {
struct Missing {
  std::string kind;  // "VPC", "subnet", "route table"
  std::set<std::string> referrers;
};
}  // namespace

void ExportIncompleteNetwork::run(const CheckContext& ctx, FindingSink& sink) const {
  const auto& g = ctx.graph;
  const auto& a = ctx.account();
  std::map<std::string, Missing> missing;
  std::map<std::string, const model::SourceLoc*> where;  // referrer -> its location

  auto refer = [&](const std::string& id, const char* kind, const std::string& referrer, const model::SourceLoc& loc) {
    if (id.empty()) return;
    auto& m = missing[id];
    if (m.kind.empty()) m.kind = kind;
    m.referrers.insert(referrer);
    where.emplace(referrer, &loc);
  };
  // A subnet something sits in: missing itself, or held with a VPC that is missing.
  auto subnet_ref = [&](const std::string& subnet_id, const std::string& referrer, const model::SourceLoc& loc) {
    if (subnet_id.empty()) return;
    const model::Subnet* s = g.subnet(subnet_id);
    if (!s) refer(subnet_id, "subnet", referrer, loc);
    else if (!s->vpc_id.empty() && !g.vpc(s->vpc_id)) refer(s->vpc_id, "VPC", s->id, s->loc);
  };

  for (const auto& p : net::placements(a)) {
    for (const auto& s : p.subnets) subnet_ref(s, p.arn, *p.loc);
    if (!p.vpc_id.empty() && !g.vpc(p.vpc_id)) refer(p.vpc_id, "VPC", p.arn, *p.loc);
  }
  for (const auto& e : a.vpc_endpoints) {
    if (!e.vpc_id.empty() && !g.vpc(e.vpc_id)) refer(e.vpc_id, "VPC", e.id, e.loc);
    for (const auto& s : e.subnet_ids) subnet_ref(s, e.id, e.loc);
    for (const auto& rt : e.route_table_ids)
      if (!g.route_table(rt)) refer(rt, "route table", e.id, e.loc);
  }

  for (const auto& [id, m] : missing) {
    const std::string& first = *m.referrers.begin();
    Finding f;
    f.check = info().id;
    f.severity = info().severity;
    f.resource = id;
    std::string kind = m.kind;
    kind[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(kind[0])));
    f.title = fmt::format("{} {} is referenced but not in the input", kind, id);
    f.detail = fmt::format(
        "{} {} is named by {} but the input does not hold it, so the network verdicts through it are unknown: "
        "no internet-egress-path is reported through it and vpc-endpoint-missing cannot place notebooks in it.",
        kind, id, fmt::join(m.referrers, ", "));
    Json refs = Json::array();
    for (const auto& r : m.referrers) refs.push_back(r);
    f.evidence["referenced_by"] = std::move(refs);
    f.location = *where.at(first);
    const char* command = m.kind == "VPC" ? "describe-vpcs --vpc-ids" : m.kind == "subnet" ? "describe-subnets --subnet-ids"
                                                                      : "describe-route-tables --route-table-ids";
    f.remediation = fmt::format(
        "Add the output of `aws ec2 {} {}` (and the rest of that VPC's network: route tables, gateways, security "
        "groups, network ACLs) to the input, or define it in the template that uses it.",
        command, id);
    sink.add(std::move(f));
  }
}

}  // namespace vpcgate::checks
