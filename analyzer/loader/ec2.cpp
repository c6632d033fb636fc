// aws ec2 describe-vpcs | describe-subnets | describe-route-tables | describe-internet-gateways |
// describe-nat-gateways | describe-egress-only-internet-gateways | describe-security-groups |
// describe-network-acls | describe-vpc-endpoints (botocore ec2/2016-11-15).
// botocore marks no EC2 member required; we require the ID of each item, the VPC of the
// VPC-scoped ones, and what decides reachability (a route's destination, a rule's protocol, an
// ACL entry's number, direction and action): the CLI always prints them.
#include <algorithm>
#include <string>

#include "analyzer/loader/readers.hpp"

namespace vpcgate::loader::detail {

// Region of an availability zone: "us-east-1a" -> "us-east-1", "us-west-2-lax-1a" (Local Zone)
// -> "us-west-2", "us-gov-west-1b" -> "us-gov-west-1": up to the first part that starts with a
// digit, keeping only its digits.
std::string region_of_zone(const std::string& zone) {
  std::size_t start = 0;
  bool first = true;
  while (start < zone.size()) {
    auto dash = zone.find('-', start);
    std::string part = zone.substr(start, dash == std::string::npos ? std::string::npos : dash - start);
    if (!first && !part.empty() && part[0] >= '0' && part[0] <= '9') {
      std::size_t digits = 0;
      while (digits < part.size() && part[digits] >= '0' && part[digits] <= '9') ++digits;
      return zone.substr(0, start) + part.substr(0, digits);
    }
    first = false;
    if (dash == std::string::npos) break;
    start = dash + 1;
  }
  return {};
}

static bool looks_like_region(const std::string& s) {
  // two letters, '-', ..., '-', digits: "us-east-1", "us-gov-west-1", "ap-southeast-5"
  if (s.size() < 6 || s[2] != '-') return false;
  auto dash = s.rfind('-');
  if (dash == std::string::npos || dash + 1 >= s.size()) return false;
  return std::all_of(s.begin() + static_cast<std::ptrdiff_t>(dash) + 1, s.end(),
                     [](char c) { return c >= '0' && c <= '9'; }) &&
         std::all_of(s.begin(), s.begin() + static_cast<std::ptrdiff_t>(dash),
                     [](char c) { return (c >= 'a' && c <= 'z') || c == '-'; });
}

// "com.amazonaws.us-east-1.sagemaker.api", "aws.sagemaker.us-east-1.notebook",
// "com.amazonaws.vpce.us-east-1.vpce-svc-0123": the first dot-separated part that is a region.
std::string region_of_service_name(const std::string& name) {
  std::size_t start = 0;
  while (start <= name.size()) {
    auto dot = name.find('.', start);
    std::string part = name.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (looks_like_region(part)) return part;
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return {};
}

namespace {

void push_unique(std::vector<std::string>& v, std::string s) {
  if (std::find(v.begin(), v.end(), s) == v.end()) v.push_back(std::move(s));
}

// A CIDR association counts unless it is gone or going: describe-* still lists
// "disassociating"/"disassociated"/"failed" ones for a while.
bool association_live(const Node& assoc, std::string_view state_member) {
  auto state = assoc.get(state_member);
  if (!state) return true;
  auto s = state->string_or("State");
  return s != "disassociated" && s != "disassociating" && s != "failed" && s != "failing";
}

std::vector<std::string> cidr_set(const Node& n, std::string_view list, std::string_view cidr,
                                  std::string_view state) {
  std::vector<std::string> out;
  for (const auto& a : n.items(list)) {
    if (!association_live(a, state)) continue;
    if (auto c = a.opt_string(cidr)) push_unique(out, *c);
  }
  return out;
}

void read_vpc(const Node& n, FileLoad& out) {
  model::Vpc v;
  v.id = n.string("VpcId");
  v.owner_id = n.string_or("OwnerId");
  if (auto c = n.opt_string("CidrBlock")) v.cidrs.push_back(*c);
  for (auto& c : cidr_set(n, "CidrBlockAssociationSet", "CidrBlock", "CidrBlockState")) push_unique(v.cidrs, c);
  v.ipv6_cidrs = cidr_set(n, "Ipv6CidrBlockAssociationSet", "Ipv6CidrBlock", "Ipv6CidrBlockState");
  v.is_default = n.opt_bool("IsDefault").value_or(false);
  v.loc = loc_of(n);
  out.account.vpcs.push_back(std::move(v));
  out.prints.vpcs.push_back(fingerprint(
      n, {"VpcId", "OwnerId", "CidrBlock", "CidrBlockAssociationSet", "Ipv6CidrBlockAssociationSet", "IsDefault"}));
}

void read_subnet(const Node& n, FileLoad& out) {
  model::Subnet s;
  s.id = n.string("SubnetId");
  s.vpc_id = n.string("VpcId");
  s.availability_zone = n.string_or("AvailabilityZone");
  s.owner_id = n.string_or("OwnerId");
  s.arn = n.string_or("SubnetArn");
  s.region = model::arn_region(s.arn);
  if (s.region.empty()) s.region = region_of_zone(s.availability_zone);
  s.cidr = n.string_or("CidrBlock");  // absent in IPv6-only subnets
  s.ipv6_cidrs = cidr_set(n, "Ipv6CidrBlockAssociationSet", "Ipv6CidrBlock", "Ipv6CidrBlockState");
  s.loc = loc_of(n);
  out.account.subnets.push_back(std::move(s));
  out.prints.subnets.push_back(fingerprint(
      n, {"SubnetId", "VpcId", "AvailabilityZone", "OwnerId", "SubnetArn", "CidrBlock", "Ipv6CidrBlockAssociationSet"}));
}

model::Route read_route(const Node& n) {
  using K = model::RouteTargetKind;
  model::Route r;
  if (auto d = n.opt_string("DestinationCidrBlock")) {
    r.destination = *d;
  } else if (auto d6 = n.opt_string("DestinationIpv6CidrBlock")) {
    r.destination = *d6;
  }
  r.destination_prefix_list = n.string_or("DestinationPrefixListId");
  if (r.destination.empty() && r.destination_prefix_list.empty()) {
    n.fail("route without a destination (DestinationCidrBlock, DestinationIpv6CidrBlock or DestinationPrefixListId)");
  }
  if (auto g = n.opt_string("GatewayId")) {
    r.target_id = *g;
    if (*g == "local") {
      r.target_kind = K::Local;
    } else if (g->rfind("igw-", 0) == 0) {
      r.target_kind = K::InternetGateway;
    } else if (g->rfind("vgw-", 0) == 0) {
      r.target_kind = K::VirtualPrivateGateway;
    } else if (g->rfind("vpce-", 0) == 0) {
      r.target_kind = K::VpcEndpoint;
    } else if (g->rfind("eigw-", 0) == 0) {
      r.target_kind = K::EgressOnlyInternetGateway;
    } else if (g->rfind("nat-", 0) == 0) {
      r.target_kind = K::NatGateway;
    } else {
      r.target_kind = K::Other;
    }
  } else {
    static const std::pair<std::string_view, K> targets[] = {
        {"NatGatewayId", K::NatGateway},
        {"EgressOnlyInternetGatewayId", K::EgressOnlyInternetGateway},
        {"TransitGatewayId", K::TransitGateway},
        {"VpcPeeringConnectionId", K::VpcPeering},
        {"InstanceId", K::Instance},
        {"NetworkInterfaceId", K::NetworkInterface},
        {"CarrierGatewayId", K::CarrierGateway},
        {"LocalGatewayId", K::LocalGateway},
        {"CoreNetworkArn", K::CoreNetwork},
    };
    for (const auto& [key, kind] : targets) {
      if (auto id = n.opt_string(key)) {
        r.target_kind = kind;
        r.target_id = *id;
        break;
      }
    }
  }
  r.state = n.string_or("State");
  return r;
}

void read_route_table(const Node& n, FileLoad& out) {
  model::RouteTable t;
  t.id = n.string("RouteTableId");
  t.vpc_id = n.string("VpcId");
  t.owner_id = n.string_or("OwnerId");
  for (const auto& r : n.items("Routes")) t.routes.push_back(read_route(r));
  for (const auto& a : n.items("Associations")) {
    if (!association_live(a, "AssociationState")) continue;
    model::RouteTableAssociation assoc;
    assoc.main = a.opt_bool("Main").value_or(false);
    assoc.subnet_id = a.string_or("SubnetId");
    assoc.gateway_id = a.string_or("GatewayId");
    t.associations.push_back(std::move(assoc));
  }
  t.loc = loc_of(n);
  out.account.route_tables.push_back(std::move(t));
  out.prints.route_tables.push_back(fingerprint(n, {"RouteTableId", "VpcId", "OwnerId", "Routes", "Associations"}));
}

// Internet gateway attachments: "available" (what describe-internet-gateways prints for an
// attached gateway) or "attached"/"attaching"; "detaching"/"detached" ones no longer route.
std::vector<std::string> attached_vpcs(const Node& n) {
  std::vector<std::string> out;
  for (const auto& a : n.items("Attachments")) {
    auto state = a.string_or("State");
    if (state == "detached" || state == "detaching") continue;
    push_unique(out, a.string("VpcId"));
  }
  return out;
}

void read_internet_gateway(const Node& n, FileLoad& out) {
  model::InternetGateway g;
  g.id = n.string("InternetGatewayId");
  g.owner_id = n.string_or("OwnerId");
  g.vpc_ids = attached_vpcs(n);
  g.loc = loc_of(n);
  out.account.internet_gateways.push_back(std::move(g));
  out.prints.internet_gateways.push_back(fingerprint(n, {"InternetGatewayId", "OwnerId", "Attachments"}));
}

void read_nat_gateway(const Node& n, FileLoad& out) {
  model::NatGateway g;
  g.id = n.string("NatGatewayId");
  g.subnet_id = n.string_or("SubnetId");
  g.vpc_id = n.string_or("VpcId");
  g.state = n.string_or("State");
  g.connectivity_type = n.string_or("ConnectivityType", "public");
  g.loc = loc_of(n);
  out.account.nat_gateways.push_back(std::move(g));
  out.prints.nat_gateways.push_back(fingerprint(n, {"NatGatewayId", "SubnetId", "VpcId", "State", "ConnectivityType"}));
}

void read_egress_only_gateway(const Node& n, FileLoad& out) {
  model::EgressOnlyInternetGateway g;
  g.id = n.string("EgressOnlyInternetGatewayId");
  g.vpc_ids = attached_vpcs(n);
  g.loc = loc_of(n);
  out.account.egress_only_gateways.push_back(std::move(g));
  out.prints.egress_only_gateways.push_back(fingerprint(n, {"EgressOnlyInternetGatewayId", "Attachments"}));
}

model::SecurityGroupRule read_permission(const Node& n) {
  model::SecurityGroupRule r;
  r.protocol = n.string("IpProtocol");
  r.from_port = n.opt_int("FromPort");
  r.to_port = n.opt_int("ToPort");
  for (const auto& x : n.items("IpRanges")) r.ipv4_ranges.push_back(x.string("CidrIp"));
  for (const auto& x : n.items("Ipv6Ranges")) r.ipv6_ranges.push_back(x.string("CidrIpv6"));
  for (const auto& x : n.items("PrefixListIds")) r.prefix_lists.push_back(x.string("PrefixListId"));
  for (const auto& x : n.items("UserIdGroupPairs")) r.groups.push_back(x.string("GroupId"));
  return r;
}

void read_security_group(const Node& n, FileLoad& out) {
  model::SecurityGroup g;
  g.id = n.string("GroupId");
  g.name = n.string_or("GroupName");
  g.vpc_id = n.string_or("VpcId");
  g.owner_id = n.string_or("OwnerId");
  for (const auto& p : n.items("IpPermissions")) g.ingress.push_back(read_permission(p));
  for (const auto& p : n.items("IpPermissionsEgress")) g.egress.push_back(read_permission(p));
  g.loc = loc_of(n);
  out.account.security_groups.push_back(std::move(g));
  out.prints.security_groups.push_back(
      fingerprint(n, {"GroupId", "GroupName", "VpcId", "OwnerId", "IpPermissions", "IpPermissionsEgress"}));
}

void read_network_acl(const Node& n, FileLoad& out) {
  model::NetworkAcl acl;
  acl.id = n.string("NetworkAclId");
  acl.vpc_id = n.string("VpcId");
  acl.owner_id = n.string_or("OwnerId");
  acl.is_default = n.opt_bool("IsDefault").value_or(false);
  for (const auto& e : n.items("Entries")) {
    model::NetworkAclEntry entry;
    (void)e.require("RuleNumber");
    entry.rule_number = *e.opt_int("RuleNumber");  // the "*" rules are 32767 (IPv4) and 32768 (IPv6)
    entry.protocol = e.string("Protocol");
    Node action = e.require("RuleAction");
    auto a = action.as_string();
    if (a != "allow" && a != "deny") action.fail("expected \"allow\" or \"deny\", got \"" + a + "\"");
    entry.allow = a == "allow";
    entry.egress = e.require("Egress").as_bool();
    entry.cidr = e.string_or("CidrBlock");
    entry.ipv6_cidr = e.string_or("Ipv6CidrBlock");
    if (auto range = e.get("PortRange")) {
      entry.port_from = range->opt_int("From");
      entry.port_to = range->opt_int("To");
    }
    acl.entries.push_back(std::move(entry));
  }
  for (const auto& a : n.items("Associations")) {
    if (auto s = a.opt_string("SubnetId")) acl.subnet_ids.push_back(*s);
  }
  acl.loc = loc_of(n);
  out.account.network_acls.push_back(std::move(acl));
  out.prints.network_acls.push_back(fingerprint(n, {"NetworkAclId", "VpcId", "OwnerId", "IsDefault", "Entries", "Associations"}));
}

void read_vpc_endpoint(const Node& n, FileLoad& out) {
  model::VpcEndpoint e;
  e.id = n.string("VpcEndpointId");
  e.vpc_id = n.string("VpcId");
  e.owner_id = n.string_or("OwnerId");
  e.service_name = n.string("ServiceName");
  e.region = region_of_service_name(e.service_name);
  e.state = n.string_or("State");
  e.type = n.string_or("VpcEndpointType", "Interface");
  if (auto doc = n.get("PolicyDocument")) e.policy = read_policy(*doc);
  e.subnet_ids = n.strings("SubnetIds");
  e.route_table_ids = n.strings("RouteTableIds");
  for (const auto& g : n.items("Groups")) e.security_group_ids.push_back(g.string("GroupId"));
  e.private_dns = n.opt_bool("PrivateDnsEnabled").value_or(false);
  e.loc = loc_of(n);
  out.account.vpc_endpoints.push_back(std::move(e));
  out.prints.vpc_endpoints.push_back(fingerprint(
      n, {"VpcEndpointId", "VpcId", "OwnerId", "ServiceName", "State", "VpcEndpointType", "PolicyDocument",
          "SubnetIds", "RouteTableIds", "Groups", "PrivateDnsEnabled"}));
}

}  // namespace

void read_ec2(FileKind kind, const Node& root, FileLoad& out) {
  switch (kind) {
    case FileKind::Vpcs:
      for (const auto& n : root.items("Vpcs")) read_vpc(n, out);
      return;
    case FileKind::Subnets:
      for (const auto& n : root.items("Subnets")) read_subnet(n, out);
      return;
    case FileKind::RouteTables:
      out.account.has_route_tables = true;
      for (const auto& n : root.items("RouteTables")) read_route_table(n, out);
      return;
    case FileKind::InternetGateways:
      for (const auto& n : root.items("InternetGateways")) read_internet_gateway(n, out);
      return;
    case FileKind::NatGateways:
      for (const auto& n : root.items("NatGateways")) read_nat_gateway(n, out);
      return;
    case FileKind::EgressOnlyInternetGateways:
      for (const auto& n : root.items("EgressOnlyInternetGateways")) read_egress_only_gateway(n, out);
      return;
    case FileKind::SecurityGroups:
      out.account.has_security_groups = true;
      for (const auto& n : root.items("SecurityGroups")) read_security_group(n, out);
      return;
    case FileKind::NetworkAcls:
      out.account.has_network_acls = true;
      for (const auto& n : root.items("NetworkAcls")) read_network_acl(n, out);
      return;
    case FileKind::VpcEndpoints:
      for (const auto& n : root.items("VpcEndpoints")) read_vpc_endpoint(n, out);
      return;
    default:
      return;
  }
}

}  // namespace vpcgate::loader::detail
