#pragma once
// Small builders for model::Account in check tests: the fields a check reads, with the
// defaults the AWS CLI prints, and a runner that collects a check's findings and notes.
#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/checks/check.hpp"
#include "analyzer/graph/graph.hpp"
#include "model/account.hpp"

namespace vpcgate::test {

inline const std::string kAccount = "111122223333";
inline const std::string kRegion = "us-east-1";

inline model::SourceLoc export_loc(const std::string& file, const std::string& pointer) {
  return model::SourceLoc{file, pointer, 0};
}

// ---------------------------------------------------------------- EC2
inline model::Vpc vpc(const std::string& id, const std::string& cidr = "10.0.0.0/16") {
  model::Vpc v;
  v.id = id;
  v.owner_id = kAccount;
  v.region = kRegion;
  v.cidrs = {cidr};
  v.loc = export_loc("export/vpcs.json", "/Vpcs/0");
  return v;
}

inline model::Subnet subnet(const std::string& id, const std::string& vpc_id, const std::string& cidr,
                            std::vector<std::string> ipv6 = {}) {
  model::Subnet s;
  s.id = id;
  s.vpc_id = vpc_id;
  s.cidr = cidr;
  s.ipv6_cidrs = std::move(ipv6);
  s.availability_zone = kRegion + "a";
  s.region = kRegion;
  s.owner_id = kAccount;
  s.loc = export_loc("export/subnets.json", "/Subnets/0");
  return s;
}

inline model::Route route(const std::string& destination, const std::string& target,
                          const std::string& state = "active") {
  using K = model::RouteTargetKind;
  model::Route r;
  r.destination = destination;
  r.target_id = target;
  r.state = state;
  auto starts = [&](const char* p) { return target.rfind(p, 0) == 0; };
  r.target_kind = target == "local"     ? K::Local
                  : starts("igw-")      ? K::InternetGateway
                  : starts("nat-")      ? K::NatGateway
                  : starts("eigw-")     ? K::EgressOnlyInternetGateway
                  : starts("tgw-")      ? K::TransitGateway
                  : starts("pcx-")      ? K::VpcPeering
                  : starts("vgw-")      ? K::VirtualPrivateGateway
                  : starts("vpce-")     ? K::VpcEndpoint
                  : starts("eni-")      ? K::NetworkInterface
                                        : K::Other;
  return r;
}

// A route table with the VPC's local route first; `subnets` are its explicit associations.
inline model::RouteTable route_table(const std::string& id, const std::string& vpc_id, std::vector<model::Route> routes,
                                     std::vector<std::string> subnets = {}, bool main = false,
                                     const std::string& local_cidr = "10.0.0.0/16") {
  model::RouteTable t;
  t.id = id;
  t.vpc_id = vpc_id;
  t.owner_id = kAccount;
  t.routes.push_back(route(local_cidr, "local"));
  for (auto& r : routes) t.routes.push_back(std::move(r));
  if (main) t.associations.push_back({true, "", ""});
  for (auto& s : subnets) t.associations.push_back({false, s, ""});
  t.loc = export_loc("export/route-tables.json", "/RouteTables/0");
  return t;
}

inline model::InternetGateway igw(const std::string& id, const std::string& vpc_id) {
  model::InternetGateway g;
  g.id = id;
  g.owner_id = kAccount;
  if (!vpc_id.empty()) g.vpc_ids = {vpc_id};
  g.loc = export_loc("export/igw.json", "/InternetGateways/0");
  return g;
}

inline model::EgressOnlyInternetGateway eigw(const std::string& id, const std::string& vpc_id) {
  model::EgressOnlyInternetGateway g;
  g.id = id;
  g.vpc_ids = {vpc_id};
  g.loc = export_loc("export/eigw.json", "/EgressOnlyInternetGateways/0");
  return g;
}

inline model::NatGateway nat(const std::string& id, const std::string& subnet_id, const std::string& vpc_id,
                             const std::string& connectivity = "public") {
  model::NatGateway n;
  n.id = id;
  n.subnet_id = subnet_id;
  n.vpc_id = vpc_id;
  n.state = "available";
  n.connectivity_type = connectivity;
  n.loc = export_loc("export/nat.json", "/NatGateways/0");
  return n;
}

inline model::SecurityGroupRule sg_rule(const std::string& protocol, std::vector<std::string> ipv4,
                                        std::optional<int> from = std::nullopt, std::optional<int> to = std::nullopt,
                                        std::vector<std::string> ipv6 = {}) {
  model::SecurityGroupRule r;
  r.protocol = protocol;
  r.from_port = from;
  r.to_port = to;
  r.ipv4_ranges = std::move(ipv4);
  r.ipv6_ranges = std::move(ipv6);
  return r;
}

inline model::SecurityGroup security_group(const std::string& id, const std::string& vpc_id,
                                           std::vector<model::SecurityGroupRule> egress,
                                           const std::string& name = "") {
  model::SecurityGroup g;
  g.id = id;
  g.name = name.empty() ? id + "-name" : name;
  g.vpc_id = vpc_id;
  g.owner_id = kAccount;
  g.egress = std::move(egress);
  g.loc = export_loc("export/sg.json", "/SecurityGroups/0");
  return g;
}

// What AWS puts in a new group: all traffic out, IPv4 (and IPv6 where asked).
inline std::vector<model::SecurityGroupRule> all_egress(bool ipv6 = false) {
  return {sg_rule("-1", {"0.0.0.0/0"}, std::nullopt, std::nullopt,
                  ipv6 ? std::vector<std::string>{"::/0"} : std::vector<std::string>{})};
}

inline model::NetworkAclEntry acl_out(int rule, bool allow, const std::string& cidr, const std::string& protocol = "-1",
                                      std::optional<int> from = std::nullopt, std::optional<int> to = std::nullopt) {
  model::NetworkAclEntry e;
  e.rule_number = rule;
  e.allow = allow;
  e.egress = true;
  e.protocol = protocol;
  if (cidr.find(':') != std::string::npos) e.ipv6_cidr = cidr;
  else e.cidr = cidr;
  e.port_from = from;
  e.port_to = to;
  return e;
}

inline model::NetworkAcl network_acl(const std::string& id, const std::string& vpc_id,
                                     std::vector<model::NetworkAclEntry> entries, std::vector<std::string> subnets,
                                     bool is_default = false) {
  model::NetworkAcl a;
  a.id = id;
  a.vpc_id = vpc_id;
  a.owner_id = kAccount;
  a.is_default = is_default;
  a.entries = std::move(entries);
  a.subnet_ids = std::move(subnets);
  a.loc = export_loc("export/acl.json", "/NetworkAcls/0");
  return a;
}

// The default ACL's outbound rules as describe-network-acls prints them (plus the implicit deny).
inline std::vector<model::NetworkAclEntry> default_acl_entries(bool ipv6 = false) {
  std::vector<model::NetworkAclEntry> out{acl_out(100, true, "0.0.0.0/0"), acl_out(32767, false, "0.0.0.0/0")};
  if (ipv6) {
    out.push_back(acl_out(101, true, "::/0"));
    out.push_back(acl_out(32768, false, "::/0"));
  }
  return out;
}

inline model::VpcEndpoint endpoint(const std::string& id, const std::string& vpc_id, const std::string& service,
                                   const std::string& type = "Interface") {
  model::VpcEndpoint e;
  e.id = id;
  e.vpc_id = vpc_id;
  e.owner_id = kAccount;
  e.service_name = service;
  e.state = "available";
  e.type = type;
  e.loc = export_loc("export/vpce.json", "/VpcEndpoints/0");
  return e;
}

// ---------------------------------------------------------------- SageMaker
inline std::string sagemaker_arn(const std::string& type, const std::string& name) {
  return "arn:aws:sagemaker:" + kRegion + ":" + kAccount + ":" + type + "/" + name;
}

inline model::NotebookInstance notebook(const std::string& name, std::optional<std::string> subnet_id = std::nullopt,
                                        std::vector<std::string> groups = {}, bool direct_internet = false) {
  model::NotebookInstance n;
  n.name = name;
  n.arn = sagemaker_arn("notebook-instance", name);
  n.subnet_id = std::move(subnet_id);
  n.security_groups = std::move(groups);
  n.direct_internet_access = direct_internet;
  n.loc = export_loc("export/notebook-" + name + ".json", "");
  return n;
}

inline std::optional<model::VpcConfig> vpc_config(std::vector<std::string> subnets, std::vector<std::string> groups) {
  return model::VpcConfig{std::move(subnets), std::move(groups)};
}

inline model::TrainingJob training_job(const std::string& name, std::optional<model::VpcConfig> config,
                                       bool isolation) {
  model::TrainingJob j;
  j.name = name;
  j.arn = sagemaker_arn("training-job", name);
  j.vpc_config = std::move(config);
  j.network_isolation = isolation;
  j.loc = export_loc("export/training-" + name + ".json", "");
  return j;
}

inline model::ProcessingJob processing_job(const std::string& name, std::optional<model::VpcConfig> config,
                                           bool isolation) {
  model::ProcessingJob j;
  j.name = name;
  j.arn = sagemaker_arn("processing-job", name);
  j.vpc_config = std::move(config);
  j.network_isolation = isolation;
  j.loc = export_loc("export/processing-" + name + ".json", "");
  return j;
}

inline model::SageMakerModel sm_model(const std::string& name, std::optional<model::VpcConfig> config,
                                      bool isolation) {
  model::SageMakerModel m;
  m.name = name;
  m.arn = sagemaker_arn("model", name);
  m.vpc_config = std::move(config);
  m.network_isolation = isolation;
  m.loc = export_loc("export/model-" + name + ".json", "");
  return m;
}

inline model::Domain domain(const std::string& id, const std::string& access, const std::string& vpc_id,
                            std::vector<std::string> subnets, std::vector<std::string> groups = {}) {
  model::Domain d;
  d.id = id;
  d.name = id + "-name";
  d.arn = sagemaker_arn("domain", id);
  d.app_network_access_type = access;
  d.vpc_id = vpc_id;
  d.subnet_ids = std::move(subnets);
  d.security_groups = std::move(groups);
  d.loc = export_loc("export/domain-" + id + ".json", "");
  return d;
}

// ---------------------------------------------------------------- a typical VPC
// vpc-1 (10.0.0.0/16): subnet-pub (10.0.0.0/24, rtb-pub: 0.0.0.0/0 -> igw-1) holding nat-1;
// subnet-priv (10.0.1.0/24, rtb-priv: 0.0.0.0/0 -> nat-1); rtb-main (main, local only);
// sg-1 with all egress; acl-1 (the default ACL, rule 100 allows all) on both subnets.
inline model::Account nat_vpc() {
  model::Account a;
  a.vpcs.push_back(vpc("vpc-1"));
  a.subnets.push_back(subnet("subnet-pub", "vpc-1", "10.0.0.0/24"));
  a.subnets.push_back(subnet("subnet-priv", "vpc-1", "10.0.1.0/24"));
  a.route_tables.push_back(route_table("rtb-main", "vpc-1", {}, {}, true));
  a.route_tables.push_back(route_table("rtb-pub", "vpc-1", {route("0.0.0.0/0", "igw-1")}, {"subnet-pub"}));
  a.route_tables.push_back(route_table("rtb-priv", "vpc-1", {route("0.0.0.0/0", "nat-1")}, {"subnet-priv"}));
  a.internet_gateways.push_back(igw("igw-1", "vpc-1"));
  a.nat_gateways.push_back(nat("nat-1", "subnet-pub", "vpc-1"));
  a.security_groups.push_back(security_group("sg-1", "vpc-1", all_egress()));
  a.network_acls.push_back(network_acl("acl-1", "vpc-1", default_acl_entries(), {"subnet-pub", "subnet-priv"}, true));
  a.has_route_tables = a.has_security_groups = a.has_network_acls = true;
  return a;
}

// ---------------------------------------------------------------- running a check
struct CheckRun {
  std::vector<checks::Finding> findings;  // sorted by resource
  std::vector<std::string> notes;
};

inline CheckRun run_check(const checks::Check& check, const model::Account& account) {
  graph::Graph g(account);
  checks::ScanOptions options;
  checks::CheckContext ctx{g, options, {}, {}};
  checks::FindingSink sink;
  check.run(ctx, sink);
  CheckRun r;
  r.findings = sink.take_findings();
  std::stable_sort(r.findings.begin(), r.findings.end(),
                   [](const checks::Finding& x, const checks::Finding& y) { return x.resource < y.resource; });
  r.notes = sink.notes();
  return r;
}

inline std::vector<std::string> resources(const CheckRun& r) {
  std::vector<std::string> out;
  for (const auto& f : r.findings) out.push_back(f.resource);
  return out;
}

}  // namespace vpcgate::test
