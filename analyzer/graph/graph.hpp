#pragma once
// The loaded input as one typed graph (PMapper/cartography style): principals, groups,
// policies, trust, VPCs, subnets, route tables, gateways, endpoints, SageMaker resources.
// Every edge says why. Vertices point back into the model by index; look-ups go through
// the id index, never a scan.
#include <cstddef>
#include <string>
#include <unordered_map>
#include <vector>

#include <boost/graph/adjacency_list.hpp>

#include "model/account.hpp"

namespace vpcgate::graph {

enum class VertexKind {
  User, Group, Role, ManagedPolicy, InlinePolicy, Scp,
  Vpc, Subnet, RouteTable, InternetGateway, NatGateway, EgressOnlyInternetGateway,
  SecurityGroup, NetworkAcl, VpcEndpoint,
  NotebookInstance, TrainingJob, ProcessingJob, Model, Domain,
  Missing,  // referenced but not in the input (export-incomplete-*)
};
const char* to_string(VertexKind k);

enum class EdgeKind {
  MemberOf,        // user -> group
  Attaches,        // principal/group -> managed policy
  HasInline,       // principal/group -> inline policy
  BoundedBy,       // principal -> boundary policy
  CanAssume,       // principal -> role (trust policy and the caller's own permissions)
  InVpc,           // subnet/route table/gateway/sg/acl/endpoint -> vpc
  InSubnet,        // resource/nat/endpoint -> subnet
  UsesSecurityGroup,
  AssociatedWith,  // subnet -> route table (explicit or main), subnet -> network acl
  RoutesTo,        // route table -> gateway/endpoint/peer (reason: the destination CIDR)
  AttachedTo,      // gateway -> vpc
};
const char* to_string(EdgeKind k);

struct VertexProps {
  VertexKind kind = VertexKind::Missing;
  std::string id;  // ARN for IAM and SageMaker subjects, AWS ID for network ones
  std::size_t model_index = 0;  // index into the matching Account vector
};

struct EdgeProps {
  EdgeKind kind = EdgeKind::MemberOf;
  std::string reason;  // "trust Sid Dev allows sts:AssumeRole", "0.0.0.0/0"
};

using BoostGraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS,
                                         VertexProps, EdgeProps>;
using Vertex = BoostGraph::vertex_descriptor;

class Graph {
 public:
  explicit Graph(const model::Account& account);

  const model::Account& account() const { return account_; }
  const BoostGraph& boost() const { return g_; }

  // The vertex of an ID or ARN; nullptr-like: returns false when absent.
  bool find(const std::string& id, Vertex& out) const;
  const VertexProps& props(Vertex v) const { return g_[v]; }

  // Model look-ups by ID / ARN (nullptr when the input does not hold it).
  const model::Vpc* vpc(const std::string& id) const;
  const model::Subnet* subnet(const std::string& id) const;
  const model::RouteTable* route_table(const std::string& id) const;
  const model::SecurityGroup* security_group(const std::string& id) const;
  const model::NetworkAcl* network_acl(const std::string& id) const;
  const model::NatGateway* nat_gateway(const std::string& id) const;
  const model::InternetGateway* internet_gateway(const std::string& id) const;
  const model::EgressOnlyInternetGateway* egress_only_gateway(const std::string& id) const;
  const model::VpcEndpoint* vpc_endpoint(const std::string& id) const;
  const model::ManagedPolicy* managed_policy(const std::string& arn) const;
  const model::Group* group_by_name(const std::string& name) const;
  const model::Role* role(const std::string& arn) const;
  const model::User* user(const std::string& arn) const;

  // Adds a CanAssume edge (principal -> role) decided by an analysis above this layer (the
  // engine over the trust policy and the caller's own policies); `reason` says why.
  void add_can_assume(const std::string& from, const std::string& to, std::string reason);

  // The route table of a subnet: its explicit association, else its VPC's main table
  // (nullptr when the input holds neither). `is_main` tells which one it is.
  const model::RouteTable* route_table_of_subnet(const std::string& subnet_id) const;
  const model::RouteTable* route_table_of_subnet(const std::string& subnet_id, bool& is_main) const;
  // The main route table of a VPC (nullptr when the input does not hold it).
  const model::RouteTable* main_route_table(const std::string& vpc_id) const;
  // The network ACL of a subnet: the one whose associations name it, else its VPC's default
  // ACL, which AWS associates with every subnet that has no other (nullptr when the input
  // holds neither).
  const model::NetworkAcl* network_acl_of_subnet(const std::string& subnet_id) const;
  // The VPC's default network ACL / default security group (group name "default").
  const model::NetworkAcl* default_network_acl(const std::string& vpc_id) const;
  const model::SecurityGroup* default_security_group(const std::string& vpc_id) const;

 private:
  Vertex add_vertex(VertexKind kind, const std::string& id, std::size_t index);
  void add_edge(Vertex from, Vertex to, EdgeKind kind, std::string reason);

  const model::Account& account_;
  BoostGraph g_;
  std::unordered_map<std::string, Vertex> index_;
  std::unordered_map<std::string, std::size_t> vpc_, subnet_, route_table_, sg_, acl_, nat_, igw_,
      eigw_, vpce_, policy_, group_name_, role_, user_;
  std::unordered_map<std::string, std::size_t> subnet_route_table_, subnet_acl_, main_route_table_,
      default_acl_, default_sg_;
};

}  // namespace vpcgate::graph
