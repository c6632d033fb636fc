// Merging partial Accounts: pages of get-account-authorization-details, the same describe-*
// output exported twice, ... An entity (by ARN, or ID for EC2) seen again with the same content
// is dropped; with different content the input is unusable (CONTRACT.md, Input).
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <map>

#include "analyzer/loader/iac.hpp"
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

// MurmurHash3_x64_128 (Austin Appleby, public domain).
std::uint64_t rotl(std::uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }
std::uint64_t fmix(std::uint64_t k) {
  k ^= k >> 33;
  k *= 0xff51afd7ed558ccdULL;
  k ^= k >> 33;
  k *= 0xc4ceb9fe1a85ec53ULL;
  k ^= k >> 33;
  return k;
}

std::string murmur3_128(std::string_view data) {
  const std::size_t len = data.size();
  const std::size_t blocks = len / 16;
  std::uint64_t h1 = 0x9368e53c2f6af274ULL;  // seed
  std::uint64_t h2 = 0x586dcd208f7cd3fdULL;
  const std::uint64_t c1 = 0x87c37b91114253d5ULL;
  const std::uint64_t c2 = 0x4cf5ad432745937fULL;
  const char* p = data.data();
  for (std::size_t i = 0; i < blocks; ++i) {
    std::uint64_t k1 = 0;
    std::uint64_t k2 = 0;
    std::memcpy(&k1, p + i * 16, 8);
    std::memcpy(&k2, p + i * 16 + 8, 8);
    k1 *= c1;
    k1 = rotl(k1, 31);
    k1 *= c2;
    h1 ^= k1;
    h1 = rotl(h1, 27);
    h1 += h2;
    h1 = h1 * 5 + 0x52dce729;
    k2 *= c2;
    k2 = rotl(k2, 33);
    k2 *= c1;
    h2 ^= k2;
    h2 = rotl(h2, 31);
    h2 += h1;
    h2 = h2 * 5 + 0x38495ab5;
  }
  const auto* tail = reinterpret_cast<const unsigned char*>(p + blocks * 16);
  std::uint64_t k1 = 0;
  std::uint64_t k2 = 0;
  const std::size_t rest = len & 15;
  for (std::size_t i = rest; i > 8; --i) k2 ^= static_cast<std::uint64_t>(tail[i - 1]) << ((i - 9) * 8);
  for (std::size_t i = std::min<std::size_t>(rest, 8); i > 0; --i) k1 ^= static_cast<std::uint64_t>(tail[i - 1]) << ((i - 1) * 8);
  if (rest > 8) {
    k2 *= c2;
    k2 = rotl(k2, 33);
    k2 *= c1;
    h2 ^= k2;
  }
  if (rest > 0) {
    k1 *= c1;
    k1 = rotl(k1, 31);
    k1 *= c2;
    h1 ^= k1;
  }
  h1 ^= len;
  h2 ^= len;
  h1 += h2;
  h2 += h1;
  h1 = fmix(h1);
  h2 = fmix(h2);
  h1 += h2;
  h2 += h1;
  // 120 of the 128 bits: 15 bytes stay in std::string's small buffer (no allocation).
  std::string out(15, '\0');
  std::memcpy(out.data(), &h1, 8);
  std::memcpy(out.data() + 8, &h2, 7);
  return out;
}

void digest_all(std::vector<std::string>& prints) {
  for (auto& p : prints) p = murmur3_128(p);
}

auto by_arn = [](const auto& x) { return x.arn; };
auto by_id = [](const auto& x) { return x.id; };

}  // namespace

Fingerprints digest(Fingerprints&& prints) {
  Fingerprints d = std::move(prints);
  for (auto* v : {&d.users, &d.groups, &d.roles, &d.policies, &d.scps, &d.vpcs, &d.subnets, &d.route_tables,
                  &d.internet_gateways, &d.nat_gateways, &d.egress_only_gateways, &d.security_groups,
                  &d.network_acls, &d.vpc_endpoints, &d.notebooks, &d.training_jobs, &d.processing_jobs,
                  &d.models, &d.domains}) {
    digest_all(*v);
  }
  return d;
}

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
  if (part.iac) iac_.push_back(std::move(part.iac));
  for (auto& f : p.files) a.files.push_back(std::move(f));
  for (auto& f : p.skipped) a.skipped.push_back(std::move(f));
  a.has_security_groups = a.has_security_groups || p.has_security_groups;
  a.has_network_acls = a.has_network_acls || p.has_network_acls;
  a.has_route_tables = a.has_route_tables || p.has_route_tables;
}

model::Account Merger::finish() && {
  model::Account a = std::move(account_);
  // Templates and plans last, over the export: the account after the change.
  apply_iac(a, iac_);
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
