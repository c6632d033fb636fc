// Merging partial Accounts: pages of get-account-authorization-details, the same describe-*
// output exported twice, ... An entity (by ARN, or ID for EC2) seen again with the same content
// is dropped; with different content the input is unusable (CONTRACT.md, Input).
#include <algorithm>
#include <map>

#include "analyzer/loader/load_file.hpp"
#include "model/input_error.hpp"

namespace vpcgate::loader {
namespace {

template <class T, class Key>
void merge_kind(std::vector<T>& into, std::vector<std::string>& into_prints,
                std::unordered_map<std::string, std::size_t>& index, std::vector<T>& from,
                std::vector<std::string>& from_prints, Key key, const char* what) {
  for (std::size_t i = 0; i < from.size(); ++i) {
    std::string k = key(from[i]);
    auto [it, inserted] = index.emplace(k, into.size());
    if (!inserted) {
      if (into_prints[it->second] == from_prints[i]) continue;  // an identical copy
      const auto& first = into[it->second].loc;
      throw model::InputError(from[i].loc.file, from[i].loc.pointer,
                              std::string(what) + " " + k + " differs from its copy in " + first.file +
                                  (first.pointer.empty() ? "" : " at " + first.pointer));
    }
    into.push_back(std::move(from[i]));
    into_prints.push_back(std::move(from_prints[i]));
  }
}

auto by_arn = [](const auto& x) { return x.arn; };
auto by_id = [](const auto& x) { return x.id; };

}  // namespace

void Merger::add(FileLoad&& part) {
  auto& a = account_;
  auto& p = part.account;
  auto& pp = part.prints;
  merge_kind(a.users, prints_.users, index_[0], p.users, pp.users, by_arn, "user");
  merge_kind(a.groups, prints_.groups, index_[1], p.groups, pp.groups, by_arn, "group");
  merge_kind(a.roles, prints_.roles, index_[2], p.roles, pp.roles, by_arn, "role");
  merge_kind(a.policies, prints_.policies, index_[3], p.policies, pp.policies, by_arn, "managed policy");
  merge_kind(a.scps, prints_.scps, index_[4], p.scps, pp.scps, by_arn, "service control policy");
  merge_kind(a.vpcs, prints_.vpcs, index_[5], p.vpcs, pp.vpcs, by_id, "VPC");
  merge_kind(a.subnets, prints_.subnets, index_[6], p.subnets, pp.subnets, by_id, "subnet");
  merge_kind(a.route_tables, prints_.route_tables, index_[7], p.route_tables, pp.route_tables, by_id, "route table");
  merge_kind(a.internet_gateways, prints_.internet_gateways, index_[8], p.internet_gateways, pp.internet_gateways,
             by_id, "internet gateway");
  merge_kind(a.nat_gateways, prints_.nat_gateways, index_[9], p.nat_gateways, pp.nat_gateways, by_id, "NAT gateway");
  merge_kind(a.egress_only_gateways, prints_.egress_only_gateways, index_[10], p.egress_only_gateways,
             pp.egress_only_gateways, by_id, "egress-only internet gateway");
  merge_kind(a.security_groups, prints_.security_groups, index_[11], p.security_groups, pp.security_groups, by_id,
             "security group");
  merge_kind(a.network_acls, prints_.network_acls, index_[12], p.network_acls, pp.network_acls, by_id, "network ACL");
  merge_kind(a.vpc_endpoints, prints_.vpc_endpoints, index_[13], p.vpc_endpoints, pp.vpc_endpoints, by_id,
             "VPC endpoint");
  merge_kind(a.notebooks, prints_.notebooks, index_[14], p.notebooks, pp.notebooks, by_arn, "notebook instance");
  merge_kind(a.training_jobs, prints_.training_jobs, index_[15], p.training_jobs, pp.training_jobs, by_arn,
             "training job");
  merge_kind(a.processing_jobs, prints_.processing_jobs, index_[16], p.processing_jobs, pp.processing_jobs, by_arn,
             "processing job");
  merge_kind(a.models, prints_.models, index_[17], p.models, pp.models, by_arn, "model");
  merge_kind(a.domains, prints_.domains, index_[18], p.domains, pp.domains, by_arn, "domain");
  for (auto& f : p.files) a.files.push_back(std::move(f));
  for (auto& f : p.skipped) a.skipped.push_back(std::move(f));
  a.has_security_groups = a.has_security_groups || p.has_security_groups;
  a.has_network_acls = a.has_network_acls || p.has_network_acls;
  a.has_route_tables = a.has_route_tables || p.has_route_tables;
}

model::Account Merger::finish() && {
  model::Account a = std::move(account_);
  a.inline_policy_count = 0;
  for (const auto& u : a.users) a.inline_policy_count += u.inline_policies.size();
  for (const auto& g : a.groups) a.inline_policy_count += g.inline_policies.size();
  for (const auto& r : a.roles) a.inline_policy_count += r.inline_policies.size();
  a.input_managed_policy_count = a.policies.size();

  // A VPC's region, which describe-vpcs does not print: from its subnets, else its endpoints'
  // service names; the first found in that order.
  std::map<std::string, std::string> region;
  auto note = [&](const std::string& vpc, const std::string& r) {
    if (!vpc.empty() && !r.empty()) region.emplace(vpc, r);
  };
  for (const auto& s : a.subnets) note(s.vpc_id, s.region);
  for (const auto& e : a.vpc_endpoints) note(e.vpc_id, e.region);
  for (auto& v : a.vpcs) {
    if (!v.region.empty()) continue;
    if (auto it = region.find(v.id); it != region.end()) v.region = it->second;
  }
  return a;
}

}  // namespace vpcgate::loader
