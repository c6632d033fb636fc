#include "analyzer/graph/graph.hpp"

#include <fmt/format.h>

namespace vpcgate::graph {

const char* to_string(VertexKind k) {
  switch (k) {
    case VertexKind::User: return "user";
    case VertexKind::Group: return "group";
    case VertexKind::Role: return "role";
    case VertexKind::ManagedPolicy: return "managed-policy";
    case VertexKind::InlinePolicy: return "inline-policy";
    case VertexKind::Scp: return "scp";
    case VertexKind::Vpc: return "vpc";
    case VertexKind::Subnet: return "subnet";
    case VertexKind::RouteTable: return "route-table";
    case VertexKind::InternetGateway: return "internet-gateway";
    case VertexKind::NatGateway: return "nat-gateway";
    case VertexKind::EgressOnlyInternetGateway: return "egress-only-internet-gateway";
    case VertexKind::SecurityGroup: return "security-group";
    case VertexKind::NetworkAcl: return "network-acl";
    case VertexKind::VpcEndpoint: return "vpc-endpoint";
    case VertexKind::NotebookInstance: return "notebook-instance";
    case VertexKind::TrainingJob: return "training-job";
    case VertexKind::ProcessingJob: return "processing-job";
    case VertexKind::Model: return "model";
    case VertexKind::Domain: return "domain";
    case VertexKind::Missing: return "missing";
  }
  return "missing";
}

const char* to_string(EdgeKind k) {
  switch (k) {
    case EdgeKind::MemberOf: return "member-of";
    case EdgeKind::Attaches: return "attaches";
    case EdgeKind::HasInline: return "has-inline";
    case EdgeKind::BoundedBy: return "bounded-by";
    case EdgeKind::CanAssume: return "can-assume";
    case EdgeKind::InVpc: return "in-vpc";
    case EdgeKind::InSubnet: return "in-subnet";
    case EdgeKind::UsesSecurityGroup: return "uses-security-group";
    case EdgeKind::AssociatedWith: return "associated-with";
    case EdgeKind::RoutesTo: return "routes-to";
    case EdgeKind::AttachedTo: return "attached-to";
  }
  return "unknown";
}

Vertex Graph::add_vertex(VertexKind kind, const std::string& id, std::size_t index) {
  auto it = index_.find(id);
  if (it != index_.end()) {
    // A referenced-but-missing vertex becomes the real one once the subject is seen.
    if (g_[it->second].kind == VertexKind::Missing) {
      g_[it->second].kind = kind;
      g_[it->second].model_index = index;
    }
    return it->second;
  }
  Vertex v = boost::add_vertex(VertexProps{kind, id, index}, g_);
  index_.emplace(id, v);
  return v;
}

void Graph::add_edge(Vertex from, Vertex to, EdgeKind kind, std::string reason) {
  boost::add_edge(from, to, EdgeProps{kind, std::move(reason)}, g_);
}

namespace {
template <class T>
void index_by(std::unordered_map<std::string, std::size_t>& map, const std::vector<T>& items,
              std::string T::*field) {
  for (std::size_t i = 0; i < items.size(); ++i) map.emplace(items[i].*field, i);
}
}  // namespace

Graph::Graph(const model::Account& account) : account_(account) {
  const auto& a = account_;
  index_by(vpc_, a.vpcs, &model::Vpc::id);
  index_by(subnet_, a.subnets, &model::Subnet::id);
  index_by(route_table_, a.route_tables, &model::RouteTable::id);
  index_by(sg_, a.security_groups, &model::SecurityGroup::id);
  index_by(acl_, a.network_acls, &model::NetworkAcl::id);
  index_by(nat_, a.nat_gateways, &model::NatGateway::id);
  index_by(igw_, a.internet_gateways, &model::InternetGateway::id);
  index_by(eigw_, a.egress_only_gateways, &model::EgressOnlyInternetGateway::id);
  index_by(vpce_, a.vpc_endpoints, &model::VpcEndpoint::id);
  index_by(policy_, a.policies, &model::ManagedPolicy::arn);
  index_by(group_name_, a.groups, &model::Group::name);
  index_by(role_, a.roles, &model::Role::arn);
  index_by(user_, a.users, &model::User::arn);
  for (std::size_t i = 0; i < a.route_tables.size(); ++i) {
    for (const auto& assoc : a.route_tables[i].associations) {
      if (assoc.main) main_route_table_.emplace(a.route_tables[i].vpc_id, i);
      if (!assoc.subnet_id.empty()) subnet_route_table_.emplace(assoc.subnet_id, i);
    }
  }
  for (std::size_t i = 0; i < a.network_acls.size(); ++i) {
    for (const auto& s : a.network_acls[i].subnet_ids) subnet_acl_.emplace(s, i);
    if (a.network_acls[i].is_default) default_acl_.emplace(a.network_acls[i].vpc_id, i);
  }
  for (std::size_t i = 0; i < a.security_groups.size(); ++i)
    if (a.security_groups[i].name == "default") default_sg_.emplace(a.security_groups[i].vpc_id, i);

  // A reference to a subject the input may not hold; an empty reference is no reference.
  auto ref = [&](const std::string& id) { return add_vertex(VertexKind::Missing, id, 0); };

  // IAM
  for (std::size_t i = 0; i < a.policies.size(); ++i)
    add_vertex(VertexKind::ManagedPolicy, a.policies[i].arn, i);
  for (std::size_t i = 0; i < a.scps.size(); ++i) add_vertex(VertexKind::Scp, a.scps[i].arn, i);
  auto attach_policies = [&](Vertex owner, const std::string& owner_arn,
                             const std::vector<model::AttachedPolicy>& attached,
                             const std::vector<model::InlinePolicy>& inl) {
    for (const auto& p : attached) add_edge(owner, ref(p.arn), EdgeKind::Attaches, "attached");
    for (std::size_t j = 0; j < inl.size(); ++j) {
      Vertex v = add_vertex(VertexKind::InlinePolicy, owner_arn + "#" + inl[j].name, j);
      add_edge(owner, v, EdgeKind::HasInline, "inline");
    }
  };
  for (std::size_t i = 0; i < a.groups.size(); ++i) {
    Vertex v = add_vertex(VertexKind::Group, a.groups[i].arn, i);
    attach_policies(v, a.groups[i].arn, a.groups[i].attached, a.groups[i].inline_policies);
  }
  for (std::size_t i = 0; i < a.users.size(); ++i) {
    const auto& u = a.users[i];
    Vertex v = add_vertex(VertexKind::User, u.arn, i);
    attach_policies(v, u.arn, u.attached, u.inline_policies);
    for (const auto& gname : u.groups) {
      auto it = group_name_.find(gname);
      std::string garn = it != group_name_.end()
                             ? a.groups[it->second].arn
                             : fmt::format("arn:aws:iam::{}:group/{}", model::arn_account(u.arn), gname);
      add_edge(v, ref(garn), EdgeKind::MemberOf, "GroupList");
    }
    if (u.boundary_arn) add_edge(v, ref(*u.boundary_arn), EdgeKind::BoundedBy, "PermissionsBoundary");
  }
  for (std::size_t i = 0; i < a.roles.size(); ++i) {
    const auto& r = a.roles[i];
    Vertex v = add_vertex(VertexKind::Role, r.arn, i);
    attach_policies(v, r.arn, r.attached, r.inline_policies);
    if (r.boundary_arn) add_edge(v, ref(*r.boundary_arn), EdgeKind::BoundedBy, "PermissionsBoundary");
  }

  // Network
  for (std::size_t i = 0; i < a.vpcs.size(); ++i) add_vertex(VertexKind::Vpc, a.vpcs[i].id, i);
  for (std::size_t i = 0; i < a.subnets.size(); ++i) {
    Vertex v = add_vertex(VertexKind::Subnet, a.subnets[i].id, i);
    if (!a.subnets[i].vpc_id.empty()) add_edge(v, ref(a.subnets[i].vpc_id), EdgeKind::InVpc, "VpcId");
  }
  for (std::size_t i = 0; i < a.internet_gateways.size(); ++i) {
    Vertex v = add_vertex(VertexKind::InternetGateway, a.internet_gateways[i].id, i);
    for (const auto& vpc : a.internet_gateways[i].vpc_ids) add_edge(v, ref(vpc), EdgeKind::AttachedTo, "attachment");
  }
  for (std::size_t i = 0; i < a.egress_only_gateways.size(); ++i) {
    Vertex v = add_vertex(VertexKind::EgressOnlyInternetGateway, a.egress_only_gateways[i].id, i);
    for (const auto& vpc : a.egress_only_gateways[i].vpc_ids) add_edge(v, ref(vpc), EdgeKind::AttachedTo, "attachment");
  }
  for (std::size_t i = 0; i < a.nat_gateways.size(); ++i) {
    Vertex v = add_vertex(VertexKind::NatGateway, a.nat_gateways[i].id, i);
    if (!a.nat_gateways[i].subnet_id.empty()) add_edge(v, ref(a.nat_gateways[i].subnet_id), EdgeKind::InSubnet, "SubnetId");
  }
  for (std::size_t i = 0; i < a.security_groups.size(); ++i) {
    Vertex v = add_vertex(VertexKind::SecurityGroup, a.security_groups[i].id, i);
    if (!a.security_groups[i].vpc_id.empty()) add_edge(v, ref(a.security_groups[i].vpc_id), EdgeKind::InVpc, "VpcId");
  }
  for (std::size_t i = 0; i < a.network_acls.size(); ++i) {
    const auto& acl = a.network_acls[i];
    Vertex v = add_vertex(VertexKind::NetworkAcl, acl.id, i);
    if (!acl.vpc_id.empty()) add_edge(v, ref(acl.vpc_id), EdgeKind::InVpc, "VpcId");
    for (const auto& s : acl.subnet_ids) add_edge(ref(s), v, EdgeKind::AssociatedWith, "network ACL association");
  }
  for (std::size_t i = 0; i < a.route_tables.size(); ++i) {
    const auto& rt = a.route_tables[i];
    Vertex v = add_vertex(VertexKind::RouteTable, rt.id, i);
    if (!rt.vpc_id.empty()) add_edge(v, ref(rt.vpc_id), EdgeKind::InVpc, "VpcId");
    for (const auto& assoc : rt.associations)
      if (!assoc.subnet_id.empty()) add_edge(ref(assoc.subnet_id), v, EdgeKind::AssociatedWith, "explicit association");
    for (const auto& route : rt.routes) {
      if (route.target_id.empty() || route.target_id == "local") continue;
      std::string reason = route.destination.empty() ? route.destination_prefix_list : route.destination;
      if (route.state == "blackhole") reason += " (blackhole)";
      add_edge(v, ref(route.target_id), EdgeKind::RoutesTo, std::move(reason));
    }
  }
  for (std::size_t i = 0; i < a.subnets.size(); ++i) {
    const auto& s = a.subnets[i];
    if (subnet_route_table_.count(s.id)) continue;
    auto it = main_route_table_.find(s.vpc_id);
    if (it != main_route_table_.end())
      add_edge(index_.at(s.id), index_.at(a.route_tables[it->second].id), EdgeKind::AssociatedWith, "main route table");
  }
  for (std::size_t i = 0; i < a.subnets.size(); ++i) {
    const auto& s = a.subnets[i];
    if (subnet_acl_.count(s.id)) continue;
    auto it = default_acl_.find(s.vpc_id);
    if (it != default_acl_.end())
      add_edge(index_.at(s.id), index_.at(a.network_acls[it->second].id), EdgeKind::AssociatedWith,
               "default network ACL");
  }
  for (std::size_t i = 0; i < a.vpc_endpoints.size(); ++i) {
    const auto& e = a.vpc_endpoints[i];
    Vertex v = add_vertex(VertexKind::VpcEndpoint, e.id, i);
    // Which VPC, subnets and route tables the endpoint serves, and for which service: the
    // endpoint's policy decides every request through these edges (vpc-endpoint-policy-open).
    const std::string serves = e.service_name + " (" + e.type + (e.policy ? ", own policy" : ", default full-access policy") + ")";
    if (!e.vpc_id.empty()) add_edge(v, ref(e.vpc_id), EdgeKind::InVpc, "VpcId: serves the VPC for " + serves);
    for (const auto& s : e.subnet_ids)
      add_edge(v, ref(s), EdgeKind::InSubnet, "SubnetIds: network interface for " + serves);
    for (const auto& rt : e.route_table_ids)
      add_edge(v, ref(rt), EdgeKind::AssociatedWith, "RouteTableIds: routes the table's traffic to " + serves);
    for (const auto& sg : e.security_group_ids) add_edge(v, ref(sg), EdgeKind::UsesSecurityGroup, "Groups");
  }

  // SageMaker
  auto place = [&](Vertex v, const std::vector<std::string>& subnets, const std::vector<std::string>& sgs) {
    for (const auto& s : subnets) add_edge(v, ref(s), EdgeKind::InSubnet, "subnet");
    for (const auto& sg : sgs) add_edge(v, ref(sg), EdgeKind::UsesSecurityGroup, "security group");
  };
  for (std::size_t i = 0; i < a.notebooks.size(); ++i) {
    const auto& n = a.notebooks[i];
    Vertex v = add_vertex(VertexKind::NotebookInstance, n.arn, i);
    place(v, n.subnet_id ? std::vector<std::string>{*n.subnet_id} : std::vector<std::string>{}, n.security_groups);
  }
  for (std::size_t i = 0; i < a.training_jobs.size(); ++i) {
    const auto& j = a.training_jobs[i];
    Vertex v = add_vertex(VertexKind::TrainingJob, j.arn, i);
    if (j.vpc_config) place(v, j.vpc_config->subnets, j.vpc_config->security_group_ids);
  }
  for (std::size_t i = 0; i < a.processing_jobs.size(); ++i) {
    const auto& j = a.processing_jobs[i];
    Vertex v = add_vertex(VertexKind::ProcessingJob, j.arn, i);
    if (j.vpc_config) place(v, j.vpc_config->subnets, j.vpc_config->security_group_ids);
  }
  for (std::size_t i = 0; i < a.models.size(); ++i) {
    const auto& m = a.models[i];
    Vertex v = add_vertex(VertexKind::Model, m.arn, i);
    if (m.vpc_config) place(v, m.vpc_config->subnets, m.vpc_config->security_group_ids);
  }
  for (std::size_t i = 0; i < a.domains.size(); ++i) {
    const auto& d = a.domains[i];
    Vertex v = add_vertex(VertexKind::Domain, d.arn, i);
    if (!d.vpc_id.empty()) add_edge(v, ref(d.vpc_id), EdgeKind::InVpc, "VpcId");
    place(v, d.subnet_ids, d.security_groups);
  }
}

void Graph::add_can_assume(const std::string& from, const std::string& to, std::string reason) {
  Vertex f, t;
  if (!find(from, f) || !find(to, t)) return;
  add_edge(f, t, EdgeKind::CanAssume, std::move(reason));
}

bool Graph::find(const std::string& id, Vertex& out) const {
  auto it = index_.find(id);
  if (it == index_.end()) return false;
  out = it->second;
  return true;
}

namespace {
template <class T>
const T* lookup(const std::unordered_map<std::string, std::size_t>& map, const std::vector<T>& items,
                const std::string& key) {
  auto it = map.find(key);
  return it == map.end() ? nullptr : &items[it->second];
}
}  // namespace

const model::Vpc* Graph::vpc(const std::string& id) const { return lookup(vpc_, account_.vpcs, id); }
const model::Subnet* Graph::subnet(const std::string& id) const { return lookup(subnet_, account_.subnets, id); }
const model::RouteTable* Graph::route_table(const std::string& id) const { return lookup(route_table_, account_.route_tables, id); }
const model::SecurityGroup* Graph::security_group(const std::string& id) const { return lookup(sg_, account_.security_groups, id); }
const model::NetworkAcl* Graph::network_acl(const std::string& id) const { return lookup(acl_, account_.network_acls, id); }
const model::NetworkAcl* Graph::default_network_acl(const std::string& vpc_id) const { return lookup(default_acl_, account_.network_acls, vpc_id); }
const model::SecurityGroup* Graph::default_security_group(const std::string& vpc_id) const { return lookup(default_sg_, account_.security_groups, vpc_id); }
const model::RouteTable* Graph::main_route_table(const std::string& vpc_id) const { return lookup(main_route_table_, account_.route_tables, vpc_id); }
const model::NatGateway* Graph::nat_gateway(const std::string& id) const { return lookup(nat_, account_.nat_gateways, id); }
const model::InternetGateway* Graph::internet_gateway(const std::string& id) const { return lookup(igw_, account_.internet_gateways, id); }
const model::EgressOnlyInternetGateway* Graph::egress_only_gateway(const std::string& id) const { return lookup(eigw_, account_.egress_only_gateways, id); }
const model::VpcEndpoint* Graph::vpc_endpoint(const std::string& id) const { return lookup(vpce_, account_.vpc_endpoints, id); }
const model::ManagedPolicy* Graph::managed_policy(const std::string& arn) const { return lookup(policy_, account_.policies, arn); }
const model::Group* Graph::group_by_name(const std::string& name) const { return lookup(group_name_, account_.groups, name); }
const model::Role* Graph::role(const std::string& arn) const { return lookup(role_, account_.roles, arn); }
const model::User* Graph::user(const std::string& arn) const { return lookup(user_, account_.users, arn); }

const model::RouteTable* Graph::route_table_of_subnet(const std::string& subnet_id) const {
  bool is_main = false;
  return route_table_of_subnet(subnet_id, is_main);
}

const model::RouteTable* Graph::route_table_of_subnet(const std::string& subnet_id, bool& is_main) const {
  is_main = false;
  auto it = subnet_route_table_.find(subnet_id);
  if (it != subnet_route_table_.end()) return &account_.route_tables[it->second];
  const model::Subnet* s = subnet(subnet_id);
  if (!s) return nullptr;
  is_main = true;
  return main_route_table(s->vpc_id);
}

const model::NetworkAcl* Graph::network_acl_of_subnet(const std::string& subnet_id) const {
  auto it = subnet_acl_.find(subnet_id);
  if (it != subnet_acl_.end()) return &account_.network_acls[it->second];
  const model::Subnet* s = subnet(subnet_id);
  return s ? default_network_acl(s->vpc_id) : nullptr;
}

}  // namespace vpcgate::graph
