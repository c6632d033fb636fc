#pragma once
// Network placement of SageMaker resources and the internet egress search behind
// `internet-egress-path` (and the references that `export-incomplete-network` and
// `vpc-endpoint-missing` follow). CONTRACT.md, checks table, `internet-egress-path`.
//
// The search is exact over the CIDRs, protocols and ports that the input mentions: the
// destination space (IPv4, or IPv6 global unicast) is cut at every CIDR boundary of the route
// tables, security groups and network ACLs involved, so that one representative address per
// piece decides for the whole piece; protocols and ports are cut the same way.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "analyzer/checks/check.hpp"
#include "analyzer/graph/graph.hpp"
#include "model/account.hpp"

namespace vpcgate::checks::net {

// ---------------------------------------------------------------- addresses
__extension__ typedef unsigned __int128 Addr;  // IPv4 in the low 32 bits

enum class Family { V4, V6 };

struct Cidr {
  Family family = Family::V4;
  Addr first = 0, last = 0;
  int prefix = 0;
};

// "10.0.0.0/16", "::/0", "2600:1f18::/56"; a bare address is a /32 or /128. nullopt if not a CIDR.
std::optional<Cidr> parse_cidr(const std::string& text);
std::string format_addr(Family f, Addr a);

// IP protocol of a security group rule or network ACL entry: -1 for all, else the number
// ("tcp" = 6, "udp" = 17, "icmp" = 1, "icmpv6" = 58). nullopt when unreadable.
std::optional<int> protocol_number(const std::string& text);

// ---------------------------------------------------------------- placement
enum class ResourceKind { NotebookInstance, TrainingJob, ProcessingJob, Model, Domain };

// A SageMaker resource and where it sits in the network.
struct Placement {
  ResourceKind kind = ResourceKind::NotebookInstance;
  std::string arn;
  std::string name;
  std::vector<std::string> subnets;          // as the resource names them
  std::vector<std::string> security_groups;  // as the resource names them
  std::string vpc_id;                        // domains: VpcId ("" for the others)
  bool in_vpc = false;                       // names at least one subnet
  bool egress_in_scope = false;              // in a VPC, not network-isolated (domains: VpcOnly)
  const model::SourceLoc* loc = nullptr;
};

// "notebook instance", "training job", ...
const char* label(ResourceKind k);
// Every SageMaker resource of the input, notebooks first, then training jobs, processing
// jobs, models and domains, each in input order.
std::vector<Placement> placements(const model::Account& account);

// ---------------------------------------------------------------- egress search
struct Hop {
  std::string kind;               // "subnet", "security-group", "network-acl", "route-table", ...
  std::optional<std::string> id;  // nullopt: an assumed AWS default (security group, ACL)
  std::optional<int> rule;        // network-acl: the rule number that allows the traffic
  std::optional<std::string> route;  // route-table: the destination of the matching route
};
Json to_json(const std::vector<Hop>& hops);

struct EgressPath {
  std::vector<Hop> hops;
  std::string sentence;                  // the path in words
  std::vector<std::string> assumptions;  // what was assumed where the input is silent
};

// Why a subnet's network verdicts are unknown (no internet-egress-path through it).
enum class SubnetStatus { Known, SubnetMissing, VpcMissing, RouteTableUnknown };

class EgressSearch {
 public:
  // Notes about routes that are not followed go to `sink`.
  EgressSearch(const graph::Graph& g, FindingSink& sink) : g_(g), sink_(sink) {}

  SubnetStatus subnet_status(const std::string& subnet_id) const;

  // The first path (CONTRACT.md order: subnets, then security groups, bytewise; IPv4 before
  // IPv6) from the resource's subnets to the internet, nullopt when there is none.
  std::optional<EgressPath> first_path(const Placement& p);

 private:
  // One security group as the search sees it: a held group, one the input does not hold
  // (allows all), or an assumed default group (id nullopt, allows all).
  struct GroupView {
    std::optional<std::string> id;
    const model::SecurityGroup* sg = nullptr;
  };
  std::vector<GroupView> groups_for(const Placement& p, const model::Subnet& s) const;
  std::optional<EgressPath> search(const model::Subnet& s, const GroupView& group, Family f);
  void note_unfollowed(const model::Subnet& s, const model::RouteTable& rt, Family f);

  const graph::Graph& g_;
  FindingSink& sink_;
  std::map<std::tuple<std::string, std::string, bool, int>, std::optional<EgressPath>> memo_;
  std::map<std::pair<std::string, int>, bool> noted_;
};

}  // namespace vpcgate::checks::net
