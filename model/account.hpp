#pragma once
// The loaded input: IAM, SCPs, EC2 network data, VPC endpoints and SageMaker resources, as the
// AWS CLI describes them. Every subject remembers where it came from (file + JSON pointer for
// exports and plans, file + line for templates).
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/policy.hpp"

namespace vpcgate::model {

struct SourceLoc {
  std::string file;     // as given on the command line, joined with the path inside a directory
  std::string pointer;  // JSON pointer, e.g. "/RoleDetailList/4" (exports, plans)
  int line = 0;         // 1-based line (templates); 0 when unknown
};

struct Tag {
  std::string key;
  std::string value;
};

// ---------------------------------------------------------------- IAM
struct ManagedPolicy {
  std::string arn;
  std::string name;
  std::string path;
  PolicyDocument document;  // the default version
  bool aws_managed = false;   // arn:aws:iam::aws:policy/...
  bool from_snapshot = false; // taken from the shipped snapshot of AWS managed policies
  SourceLoc loc;
  // What an infrastructure-as-code input left unresolved and was assumed, in words (for details).
  std::vector<std::string> assumed;
};

struct InlinePolicy {
  std::string name;
  PolicyDocument document;
};

struct AttachedPolicy {
  std::string arn;
  std::string name;
};

struct User {
  std::string arn, name, id, path;
  std::vector<std::string> groups;  // group names (GroupList)
  std::vector<AttachedPolicy> attached;
  std::vector<InlinePolicy> inline_policies;
  std::optional<std::string> boundary_arn;
  std::vector<Tag> tags;
  SourceLoc loc;
  // What an infrastructure-as-code input left unresolved and was assumed, in words (for details).
  std::vector<std::string> assumed;
};

struct Group {
  std::string arn, name, id, path;
  std::vector<AttachedPolicy> attached;
  std::vector<InlinePolicy> inline_policies;
  SourceLoc loc;
  // What an infrastructure-as-code input left unresolved and was assumed, in words (for details).
  std::vector<std::string> assumed;
};

struct Role {
  std::string arn, name, id, path;
  PolicyDocument trust;  // AssumeRolePolicyDocument
  std::vector<AttachedPolicy> attached;
  std::vector<InlinePolicy> inline_policies;
  std::optional<std::string> boundary_arn;
  std::vector<Tag> tags;
  SourceLoc loc;
  // What an infrastructure-as-code input left unresolved and was assumed, in words (for details).
  std::vector<std::string> assumed;
};

struct ServiceControlPolicy {
  std::string arn, id, name;
  PolicyDocument document;
  SourceLoc loc;
};

// ---------------------------------------------------------------- EC2
struct Vpc {
  std::string id, owner_id, region;  // region from the input where known ("" otherwise)
  std::vector<std::string> cidrs;       // CidrBlock + CidrBlockAssociationSet
  std::vector<std::string> ipv6_cidrs;  // Ipv6CidrBlockAssociationSet
  bool is_default = false;
  SourceLoc loc;
  // Created by a template or plan (not an export): AWS's defaults for it are known (CONTRACT.md).
  bool from_iac = false;
  // What an infrastructure-as-code input left unresolved and was assumed, in words (for details).
  std::vector<std::string> assumed;
};

struct Subnet {
  std::string id, vpc_id, availability_zone, owner_id, arn;
  std::string region;  // from the ARN, else the availability zone ("" when neither is known)
  std::string cidr;
  std::vector<std::string> ipv6_cidrs;
  SourceLoc loc;
  // Created by a template or plan (not an export): AWS's defaults for it are known (CONTRACT.md).
  bool from_iac = false;
  // What an infrastructure-as-code input left unresolved and was assumed, in words (for details).
  std::vector<std::string> assumed;
};

enum class RouteTargetKind {
  Local, InternetGateway, NatGateway, EgressOnlyInternetGateway, TransitGateway,
  VpcPeering, VirtualPrivateGateway, VpcEndpoint, NetworkInterface, Instance, CarrierGateway,
  LocalGateway, CoreNetwork, Other,
};

struct Route {
  std::string destination;  // CIDR (IPv4 or IPv6); "" when only a prefix list
  std::string destination_prefix_list;
  RouteTargetKind target_kind = RouteTargetKind::Other;
  std::string target_id;    // "local", "igw-…", "nat-…", "eigw-…", "tgw-…", "pcx-…", "vgw-…", …
  std::string state;        // "active" / "blackhole" ("" = active)
};

struct RouteTableAssociation {
  bool main = false;
  std::string subnet_id;   // "" when not a subnet association
  std::string gateway_id;  // edge association
};

struct RouteTable {
  std::string id, vpc_id, owner_id;
  std::vector<Route> routes;
  std::vector<RouteTableAssociation> associations;
  SourceLoc loc;
  // Created by a template or plan (not an export): AWS's defaults for it are known (CONTRACT.md).
  bool from_iac = false;
  // What an infrastructure-as-code input left unresolved and was assumed, in words (for details).
  std::vector<std::string> assumed;
};

struct InternetGateway {
  std::string id, owner_id;
  std::vector<std::string> vpc_ids;  // attachments
  SourceLoc loc;
  // Created by a template or plan (not an export): AWS's defaults for it are known (CONTRACT.md).
  bool from_iac = false;
};

struct NatGateway {
  std::string id, subnet_id, vpc_id, state;
  std::string connectivity_type = "public";  // "public" / "private"
  SourceLoc loc;
};

struct EgressOnlyInternetGateway {
  std::string id;
  std::vector<std::string> vpc_ids;
  SourceLoc loc;
  // Created by a template or plan (not an export): AWS's defaults for it are known (CONTRACT.md).
  bool from_iac = false;
};

struct SecurityGroupRule {
  std::string protocol = "-1";  // IpProtocol: "-1", "tcp", "udp", "icmp", "6", ...
  std::optional<int> from_port, to_port;
  std::vector<std::string> ipv4_ranges;   // CidrIp
  std::vector<std::string> ipv6_ranges;   // CidrIpv6
  std::vector<std::string> prefix_lists;  // PrefixListId
  std::vector<std::string> groups;        // UserIdGroupPairs GroupId
};

struct SecurityGroup {
  std::string id, name, vpc_id, owner_id;
  std::vector<SecurityGroupRule> ingress;
  std::vector<SecurityGroupRule> egress;
  SourceLoc loc;
  // What an infrastructure-as-code input left unresolved and was assumed, in words (for details).
  std::vector<std::string> assumed;
};

struct NetworkAclEntry {
  int rule_number = 0;
  std::string protocol = "-1";
  bool allow = true;
  bool egress = false;
  std::string cidr;       // CidrBlock
  std::string ipv6_cidr;  // Ipv6CidrBlock
  std::optional<int> port_from, port_to;
};

struct NetworkAcl {
  std::string id, vpc_id, owner_id;
  bool is_default = false;
  std::vector<NetworkAclEntry> entries;
  std::vector<std::string> subnet_ids;  // associations
  SourceLoc loc;
  // What an infrastructure-as-code input left unresolved and was assumed, in words (for details).
  std::vector<std::string> assumed;
};

struct VpcEndpoint {
  std::string id, vpc_id, owner_id, service_name, state;
  std::string region;  // the region its ServiceName names ("" when it names none)
  std::string type = "Interface";  // "Interface" / "Gateway" / "GatewayLoadBalancer"
  std::optional<PolicyDocument> policy;  // absent: AWS's default full-access policy
  std::vector<std::string> subnet_ids, route_table_ids, security_group_ids;
  bool private_dns = false;
  SourceLoc loc;
  // What an infrastructure-as-code input left unresolved and was assumed, in words (for details).
  std::vector<std::string> assumed;
};

// ---------------------------------------------------------------- SageMaker
struct VpcConfig {
  std::vector<std::string> subnets;
  std::vector<std::string> security_group_ids;
};

struct NotebookInstance {
  std::string arn, name, role_arn, status;
  std::optional<std::string> subnet_id;
  std::vector<std::string> security_groups;
  bool direct_internet_access = true;  // DirectInternetAccess "Enabled" (the default)
  SourceLoc loc;
  // What an infrastructure-as-code input left unresolved and was assumed, in words (for details).
  std::vector<std::string> assumed;
};

struct TrainingJob {
  std::string arn, name, role_arn;
  std::optional<VpcConfig> vpc_config;
  bool network_isolation = false;
  SourceLoc loc;
};

struct ProcessingJob {
  std::string arn, name, role_arn;
  std::optional<VpcConfig> vpc_config;  // NetworkConfig.VpcConfig
  bool network_isolation = false;       // NetworkConfig.EnableNetworkIsolation
  SourceLoc loc;
};

struct SageMakerModel {
  std::string arn, name, role_arn;
  std::optional<VpcConfig> vpc_config;
  bool network_isolation = false;
  SourceLoc loc;
  // What an infrastructure-as-code input left unresolved and was assumed, in words (for details).
  std::vector<std::string> assumed;
};

struct Domain {
  std::string arn, id, name;
  std::string app_network_access_type = "PublicInternetOnly";  // or "VpcOnly"
  std::string vpc_id;
  std::vector<std::string> subnet_ids;
  std::vector<std::string> security_groups;  // DefaultUserSettings.SecurityGroups
  SourceLoc loc;
  // What an infrastructure-as-code input left unresolved and was assumed, in words (for details).
  std::vector<std::string> assumed;
};

// ---------------------------------------------------------------- the whole input
struct Account {
  std::vector<User> users;
  std::vector<Group> groups;
  std::vector<Role> roles;
  std::vector<ManagedPolicy> policies;  // managed policies the input holds (+ snapshot ones used)
  std::vector<ServiceControlPolicy> scps;

  std::vector<Vpc> vpcs;
  std::vector<Subnet> subnets;
  std::vector<RouteTable> route_tables;
  std::vector<InternetGateway> internet_gateways;
  std::vector<NatGateway> nat_gateways;
  std::vector<EgressOnlyInternetGateway> egress_only_gateways;
  std::vector<SecurityGroup> security_groups;
  std::vector<NetworkAcl> network_acls;
  std::vector<VpcEndpoint> vpc_endpoints;

  std::vector<NotebookInstance> notebooks;
  std::vector<TrainingJob> training_jobs;
  std::vector<ProcessingJob> processing_jobs;
  std::vector<SageMakerModel> models;
  std::vector<Domain> domains;

  // Input bookkeeping for the report.
  std::vector<std::string> files;    // recognised files, in bytewise order
  std::vector<std::string> skipped;  // unrecognised files, in bytewise order
  std::size_t inline_policy_count = 0;  // inline policies the input holds (users+groups+roles)
  std::size_t input_managed_policy_count = 0;  // managed policies the input itself holds

  // Filled by the loader: which kinds of network data the input holds at all, so that an
  // input with subnets but no network ACLs takes AWS's defaults (CONTRACT.md, Input).
  bool has_security_groups = false;
  bool has_network_acls = false;
  bool has_route_tables = false;
};

// Account and region from an ARN (arn:partition:service:region:account:resource); "" if none.
std::string arn_account(const std::string& arn);
std::string arn_region(const std::string& arn);

}  // namespace vpcgate::model
