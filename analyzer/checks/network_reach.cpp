#include "analyzer/checks/network_reach.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <set>

#include <fmt/format.h>

namespace vpcgate::checks::net {

// ---------------------------------------------------------------- addresses
std::optional<Cidr> parse_cidr(const std::string& text) {
  if (text.empty()) return std::nullopt;
  auto slash = text.find('/');
  std::string addr = text.substr(0, slash);
  Cidr c;
  int bits = 0;
  Addr value = 0;
  if (addr.find(':') != std::string::npos) {
    std::array<unsigned char, 16> buf{};
    if (inet_pton(AF_INET6, addr.c_str(), buf.data()) != 1) return std::nullopt;
    for (unsigned char b : buf) value = (value << 8) | b;
    c.family = Family::V6;
    bits = 128;
  } else {
    std::array<unsigned char, 4> buf{};
    if (inet_pton(AF_INET, addr.c_str(), buf.data()) != 1) return std::nullopt;
    for (unsigned char b : buf) value = (value << 8) | b;
    c.family = Family::V4;
    bits = 32;
  }
  int prefix = bits;
  if (slash != std::string::npos) {
    std::string p = text.substr(slash + 1);
    if (p.empty() || p.size() > 3 || !std::all_of(p.begin(), p.end(), [](char ch) { return ch >= '0' && ch <= '9'; }))
      return std::nullopt;
    prefix = std::stoi(p);
    if (prefix > bits) return std::nullopt;
  }
  int host = bits - prefix;
  Addr host_mask = host == 0 ? Addr{0} : (host >= 128 ? ~Addr{0} : ((Addr{1} << host) - 1));
  c.prefix = prefix;
  c.first = value & ~host_mask;
  c.last = c.first | host_mask;
  if (c.family == Family::V4) {
    c.first &= 0xffffffffu;
    c.last &= 0xffffffffu;
  }
  return c;
}

std::string format_addr(Family f, Addr a) {
  char out[INET6_ADDRSTRLEN] = {};
  if (f == Family::V4) {
    std::array<unsigned char, 4> buf{};
    for (int i = 3; i >= 0; --i, a >>= 8) buf[static_cast<std::size_t>(i)] = static_cast<unsigned char>(a & 0xff);
    inet_ntop(AF_INET, buf.data(), out, sizeof out);
  } else {
    std::array<unsigned char, 16> buf{};
    for (int i = 15; i >= 0; --i, a >>= 8) buf[static_cast<std::size_t>(i)] = static_cast<unsigned char>(a & 0xff);
    inet_ntop(AF_INET6, buf.data(), out, sizeof out);
  }
  return out;
}

std::optional<int> protocol_number(const std::string& text) {
  std::string t;
  for (char ch : text) t += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (t == "-1" || t == "all") return -1;
  if (t == "tcp") return 6;
  if (t == "udp") return 17;
  if (t == "icmp") return 1;
  if (t == "icmpv6") return 58;
  if (t.empty() || t.size() > 3 || !std::all_of(t.begin(), t.end(), [](char ch) { return ch >= '0' && ch <= '9'; }))
    return std::nullopt;
  int n = std::stoi(t);
  return n <= 255 ? std::optional<int>(n) : std::nullopt;
}

namespace {

bool contains(const Cidr& c, Family f, Addr a) { return c.family == f && c.first <= a && a <= c.last; }

// The internet, as far as egress is concerned: IPv4 without the special-purpose ranges of
// RFC 6890 (private, shared, loopback, link-local, documentation, multicast, reserved), and
// IPv6 global unicast (2000::/3) without the documentation range.
const std::vector<Cidr>& non_internet(Family f) {
  static const std::vector<Cidr> v4 = [] {
    std::vector<Cidr> out;
    for (const char* s : {"0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
                          "172.16.0.0/12", "192.0.0.0/24", "192.0.2.0/24", "192.168.0.0/16", "198.18.0.0/15",
                          "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/3"})
      out.push_back(*parse_cidr(s));
    return out;
  }();
  static const std::vector<Cidr> v6 = {*parse_cidr("2001:db8::/32")};
  return f == Family::V4 ? v4 : v6;
}

Cidr universe(Family f) {
  return f == Family::V4 ? *parse_cidr("0.0.0.0/0") : *parse_cidr("2000::/3");
}

// Cuts the family's universe at the boundaries of `cidrs`: one representative (the first
// address) per piece, ascending, internet pieces only.
std::vector<Addr> representatives(Family f, const std::vector<Cidr>& cidrs) {
  Cidr u = universe(f);
  std::set<Addr> cuts{u.first};
  auto cut = [&](const Cidr& c) {
    if (c.family != f) return;
    if (c.first > u.first && c.first <= u.last) cuts.insert(c.first);
    if (c.last >= u.first && c.last < u.last) cuts.insert(c.last + 1);
  };
  for (const auto& c : cidrs) cut(c);
  for (const auto& c : non_internet(f)) cut(c);
  std::vector<Addr> out;
  for (Addr a : cuts) {
    bool internet = std::none_of(non_internet(f).begin(), non_internet(f).end(),
                                 [&](const Cidr& c) { return contains(c, f, a); });
    if (internet) out.push_back(a);
  }
  return out;
}

model::RouteTargetKind target_kind(const model::Route& r) {
  using K = model::RouteTargetKind;
  if (r.target_kind != K::Other) return r.target_kind;
  const std::string& t = r.target_id;
  auto starts = [&](const char* p) { return t.rfind(p, 0) == 0; };
  if (t == "local") return K::Local;
  if (starts("igw-")) return K::InternetGateway;
  if (starts("nat-")) return K::NatGateway;
  if (starts("eigw-")) return K::EgressOnlyInternetGateway;
  if (starts("tgw-")) return K::TransitGateway;
  if (starts("pcx-")) return K::VpcPeering;
  if (starts("vgw-")) return K::VirtualPrivateGateway;
  if (starts("vpce-")) return K::VpcEndpoint;
  if (starts("eni-")) return K::NetworkInterface;
  if (starts("i-")) return K::Instance;
  if (starts("cagw-")) return K::CarrierGateway;
  if (starts("lgw-")) return K::LocalGateway;
  return K::Other;
}

const char* target_words(model::RouteTargetKind k) {
  using K = model::RouteTargetKind;
  switch (k) {
    case K::Local: return "the local network";
    case K::InternetGateway: return "internet gateway";
    case K::NatGateway: return "NAT gateway";
    case K::EgressOnlyInternetGateway: return "egress-only internet gateway";
    case K::TransitGateway: return "transit gateway";
    case K::VpcPeering: return "VPC peering connection";
    case K::VirtualPrivateGateway: return "virtual private gateway";
    case K::VpcEndpoint: return "VPC endpoint";
    case K::NetworkInterface: return "network interface";
    case K::Instance: return "instance";
    case K::CarrierGateway: return "carrier gateway";
    case K::LocalGateway: return "local gateway";
    case K::CoreNetwork: return "core network";
    case K::Other: return "target";
  }
  return "target";
}

bool blackhole(const model::Route& r) { return r.state == "blackhole"; }

struct Match {
  const model::Route* route = nullptr;
};

// Longest-prefix match of `a` in the table (routes to prefix lists cannot be matched: their
// addresses are not in the input).
Match longest_prefix(const model::RouteTable& rt, Family f, Addr a) {
  Match best;
  int best_prefix = -1;
  for (const auto& r : rt.routes) {
    auto c = parse_cidr(r.destination);
    if (!c || !contains(*c, f, a)) continue;
    if (c->prefix > best_prefix) {
      best_prefix = c->prefix;
      best.route = &r;
    }
  }
  return best;
}

void add_route_cidrs(const model::RouteTable& rt, std::vector<Cidr>& out) {
  for (const auto& r : rt.routes)
    if (auto c = parse_cidr(r.destination)) out.push_back(*c);
}

struct Traffic {
  int protocol = 6;
  int port = -1;  // tcp/udp only
};

std::string traffic_words(const Traffic& t) {
  switch (t.protocol) {
    case 6: return fmt::format("tcp port {}", t.port);
    case 17: return fmt::format("udp port {}", t.port);
    case 1: return "icmp";
    case 58: return "icmpv6";
    default: return fmt::format("IP protocol {}", t.protocol);
  }
}

bool port_in(int port, std::optional<int> from, std::optional<int> to) {
  int lo = from.value_or(0), hi = to.value_or(65535);
  if (lo < 0 || hi < 0) return true;  // -1: all ports
  return lo <= port && port <= hi;
}

bool protocol_matches(const std::string& text, const Traffic& t) {
  auto p = protocol_number(text);
  return p && (*p == -1 || *p == t.protocol);
}

bool group_allows(const model::SecurityGroup& sg, Family f, Addr a, const Traffic& t) {
  for (const auto& rule : sg.egress) {
    if (!protocol_matches(rule.protocol, t)) continue;
    if ((t.protocol == 6 || t.protocol == 17) && protocol_number(rule.protocol) != -1 &&
        !port_in(t.port, rule.from_port, rule.to_port))
      continue;
    // Prefix lists and group references name addresses the input does not spell out.
    const auto& ranges = f == Family::V4 ? rule.ipv4_ranges : rule.ipv6_ranges;
    for (const auto& r : ranges) {
      auto c = parse_cidr(r);
      if (c && contains(*c, f, a)) return true;
    }
  }
  return false;
}

struct AclVerdict {
  bool allow = false;
  std::optional<int> rule;  // the deciding rule; nullopt for the implicit deny
};

std::vector<const model::NetworkAclEntry*> outbound_entries(const model::NetworkAcl& acl) {
  std::vector<const model::NetworkAclEntry*> out;
  for (const auto& e : acl.entries)
    if (e.egress) out.push_back(&e);
  std::stable_sort(out.begin(), out.end(), [](const auto* x, const auto* y) { return x->rule_number < y->rule_number; });
  return out;
}

// Network ACL rules are evaluated in rule-number order; the first that matches decides
// (https://docs.aws.amazon.com/vpc/latest/userguide/nacl-rules.html).
AclVerdict acl_decides(const std::vector<const model::NetworkAclEntry*>& entries, Family f, Addr a, const Traffic& t) {
  for (const auto* e : entries) {
    auto c = parse_cidr(f == Family::V4 ? e->cidr : e->ipv6_cidr);
    if (!c || !contains(*c, f, a)) continue;
    if (!protocol_matches(e->protocol, t)) continue;
    if ((t.protocol == 6 || t.protocol == 17) && protocol_number(e->protocol) != -1 &&
        !port_in(t.port, e->port_from, e->port_to))
      continue;
    return {e->allow, e->rule_number};
  }
  return {false, std::nullopt};
}

// Traffic classes: every protocol the rules name (tcp, udp, icmp always), one protocol no
// rule names, and for tcp/udp one port per piece of the port ranges the rules name (443 where
// the piece holds it, else its first port).
std::vector<Traffic> traffic_classes(const std::vector<const model::SecurityGroup*>& groups,
                                     const std::vector<const model::NetworkAcl*>& acls, Family f) {
  std::set<int> named;
  std::map<int, std::set<int>> cuts;  // protocol -> port cuts
  auto note_rule = [&](const std::string& proto, std::optional<int> from, std::optional<int> to) {
    auto p = protocol_number(proto);
    if (!p) return;
    if (*p != -1) named.insert(*p);
    int lo = from.value_or(0), hi = to.value_or(65535);
    if (lo < 0 || hi < 0 || (*p != -1 && *p != 6 && *p != 17)) return;
    for (int q : {6, 17}) {
      if (*p != -1 && *p != q) continue;
      cuts[q].insert(lo);
      if (hi < 65535) cuts[q].insert(hi + 1);
    }
  };
  for (const auto* g : groups)
    for (const auto& r : g->egress) note_rule(r.protocol, r.from_port, r.to_port);
  for (const auto* acl : acls)
    for (const auto& e : acl->entries)
      if (e.egress) note_rule(e.protocol, e.port_from, e.port_to);
  std::vector<int> order{6, 17, 1};
  if (f == Family::V6) order.push_back(58);
  for (int p : named)
    if (std::find(order.begin(), order.end(), p) == order.end()) order.push_back(p);
  for (int p = 0; p <= 255; ++p)
    if (std::find(order.begin(), order.end(), p) == order.end()) {
      order.push_back(p);
      break;
    }
  std::vector<Traffic> out;
  for (int p : order) {
    if (p != 6 && p != 17) {
      out.push_back({p, -1});
      continue;
    }
    std::set<int> c = cuts[p];
    c.insert(0);
    std::vector<int> starts(c.begin(), c.end());
    for (std::size_t i = 0; i < starts.size(); ++i) {
      int end = i + 1 < starts.size() ? starts[i + 1] - 1 : 65535;
      out.push_back({p, starts[i] <= 443 && 443 <= end ? 443 : starts[i]});
    }
  }
  return out;
}

bool gateway_attached(const std::vector<std::string>& vpc_ids, bool gateway_from_iac, const std::string& vpc) {
  if (std::find(vpc_ids.begin(), vpc_ids.end(), vpc) != vpc_ids.end()) return true;
  // A template may attach it in a resource the loader could not resolve; an active route to it
  // is then the best evidence (AWS refuses routes to gateways of other VPCs).
  return vpc_ids.empty() && gateway_from_iac;
}

}  // namespace

// ---------------------------------------------------------------- placement
const char* label(ResourceKind k) {
  switch (k) {
    case ResourceKind::NotebookInstance: return "notebook instance";
    case ResourceKind::TrainingJob: return "training job";
    case ResourceKind::ProcessingJob: return "processing job";
    case ResourceKind::Model: return "model";
    case ResourceKind::Domain: return "Studio domain";
  }
  return "resource";
}

std::vector<Placement> placements(const model::Account& a) {
  std::vector<Placement> out;
  for (const auto& n : a.notebooks) {
    Placement p{ResourceKind::NotebookInstance, n.arn, n.name, {}, n.security_groups, "", false, false, &n.loc};
    if (n.subnet_id && !n.subnet_id->empty()) p.subnets.push_back(*n.subnet_id);
    p.in_vpc = !p.subnets.empty();
    p.egress_in_scope = p.in_vpc;  // a notebook has no network isolation setting
    out.push_back(std::move(p));
  }
  auto job = [&](ResourceKind k, const auto& j) {
    Placement p{k, j.arn, j.name, {}, {}, "", false, false, &j.loc};
    if (j.vpc_config) {
      p.subnets = j.vpc_config->subnets;
      p.security_groups = j.vpc_config->security_group_ids;
    }
    p.in_vpc = !p.subnets.empty();
    p.egress_in_scope = p.in_vpc && !j.network_isolation;
    out.push_back(std::move(p));
  };
  for (const auto& j : a.training_jobs) job(ResourceKind::TrainingJob, j);
  for (const auto& j : a.processing_jobs) job(ResourceKind::ProcessingJob, j);
  for (const auto& m : a.models) job(ResourceKind::Model, m);
  for (const auto& d : a.domains) {
    Placement p{ResourceKind::Domain, d.arn, d.name, d.subnet_ids, d.security_groups, d.vpc_id, false, false, &d.loc};
    p.in_vpc = !p.subnets.empty();
    // In PublicInternetOnly mode Studio's traffic goes through SageMaker's own network
    // (domain-public-internet reports that), not through these subnets.
    p.egress_in_scope = p.in_vpc && d.app_network_access_type == "VpcOnly";
    out.push_back(std::move(p));
  }
  return out;
}

Json to_json(const std::vector<Hop>& hops) {
  Json out = Json::array();
  for (const auto& h : hops) {
    Json j = Json::object();
    j["kind"] = h.kind;
    j["id"] = h.id ? Json(*h.id) : Json(nullptr);
    if (h.rule) j["rule"] = *h.rule;
    if (h.route) j["route"] = *h.route;
    out.push_back(std::move(j));
  }
  return out;
}

// ---------------------------------------------------------------- egress search
SubnetStatus EgressSearch::subnet_status(const std::string& subnet_id) const {
  const model::Subnet* s = g_.subnet(subnet_id);
  if (!s) return SubnetStatus::SubnetMissing;
  const model::Vpc* vpc = g_.vpc(s->vpc_id);
  if (!vpc) return SubnetStatus::VpcMissing;
  if (g_.route_table_of_subnet(subnet_id)) return SubnetStatus::Known;
  // A VPC that a template or plan creates gets a main table with only its local routes.
  return vpc->from_iac ? SubnetStatus::Known : SubnetStatus::RouteTableUnknown;
}

std::vector<EgressSearch::GroupView> EgressSearch::groups_for(const Placement& p, const model::Subnet& s) const {
  std::vector<GroupView> out;
  if (p.security_groups.empty()) {
    // Without security groups, AWS puts the resource in its VPC's default group.
    if (const auto* d = g_.default_security_group(s.vpc_id)) out.push_back({d->id, d});
    else out.push_back({std::nullopt, nullptr});
    return out;
  }
  std::set<std::string> ids(p.security_groups.begin(), p.security_groups.end());
  for (const auto& id : ids) out.push_back({id, g_.security_group(id)});
  return out;
}

void EgressSearch::note_unfollowed(const model::Subnet& s, const model::RouteTable& rt, Family f) {
  if (!noted_.emplace(std::make_pair(s.id, static_cast<int>(f)), true).second) return;
  std::vector<Cidr> cidrs;
  add_route_cidrs(rt, cidrs);
  using K = model::RouteTargetKind;
  for (Addr a : representatives(f, cidrs)) {
    Match m = longest_prefix(rt, f, a);
    if (!m.route || blackhole(*m.route)) continue;
    K k = target_kind(*m.route);
    if (k == K::Local || k == K::InternetGateway || k == K::NatGateway || k == K::EgressOnlyInternetGateway) continue;
    sink_.note(fmt::format(
        "internet-egress-path: route {} of route table {} (subnet {}) goes to {} {}; not followed, the input does "
        "not show the other side",
        m.route->destination, rt.id, s.id, target_words(k), m.route->target_id));
  }
  for (const auto& r : rt.routes) {
    K k = target_kind(r);
    if (r.destination.empty() && !r.destination_prefix_list.empty() && !blackhole(r) &&
        (k == K::InternetGateway || k == K::NatGateway || k == K::EgressOnlyInternetGateway))
      sink_.note(fmt::format(
          "internet-egress-path: route to prefix list {} of route table {} (subnet {}) goes to {} {}; not evaluated, "
          "the input does not list the prefix list's addresses",
          r.destination_prefix_list, rt.id, s.id, target_words(k), r.target_id));
  }
}

std::optional<EgressPath> EgressSearch::search(const model::Subnet& s, const GroupView& group, Family f) {
  using K = model::RouteTargetKind;
  const auto& a = g_.account();
  bool is_main = false;
  const model::RouteTable* rt = g_.route_table_of_subnet(s.id, is_main);
  if (!rt) return std::nullopt;  // a template's VPC: its main table has only local routes
  note_unfollowed(s, *rt, f);
  const model::NetworkAcl* acl = g_.network_acl_of_subnet(s.id);

  // Everything whose boundaries can change the verdict.
  std::vector<Cidr> cidrs;
  add_route_cidrs(*rt, cidrs);
  std::vector<const model::SecurityGroup*> groups;
  if (group.sg) {
    groups.push_back(group.sg);
    for (const auto& r : group.sg->egress)
      for (const auto& x : f == Family::V4 ? r.ipv4_ranges : r.ipv6_ranges)
        if (auto c = parse_cidr(x)) cidrs.push_back(*c);
  }
  std::vector<const model::NetworkAcl*> acls;
  auto add_acl = [&](const model::NetworkAcl* n) {
    if (!n) return;
    acls.push_back(n);
    for (const auto& e : n->entries)
      if (auto c = parse_cidr(f == Family::V4 ? e.cidr : e.ipv6_cidr)) cidrs.push_back(*c);
  };
  add_acl(acl);
  for (const auto& r : rt->routes) {
    if (target_kind(r) != K::NatGateway) continue;
    const auto* nat = g_.nat_gateway(r.target_id);
    if (!nat) continue;
    if (const auto* rt2 = g_.route_table_of_subnet(nat->subnet_id)) add_route_cidrs(*rt2, cidrs);
    add_acl(g_.network_acl_of_subnet(nat->subnet_id));
  }
  const std::vector<Traffic> traffic = traffic_classes(groups, acls, f);
  const auto acl_rules = acl ? outbound_entries(*acl) : std::vector<const model::NetworkAclEntry*>{};

  std::vector<std::string> base_assumptions;
  if (!group.id) {
    base_assumptions.push_back(
        a.security_groups.empty()
            ? "the input holds no security groups, so the VPC's default security group (all egress allowed) is assumed"
            : fmt::format("the resource names no security group and the input does not hold the default security "
                          "group of {}; it is taken to allow all egress",
                          s.vpc_id));
  } else if (!group.sg) {
    base_assumptions.push_back(
        fmt::format("security group {} is not in the input and is taken to allow all egress", *group.id));
  }
  if (!acl) {
    base_assumptions.push_back(
        a.network_acls.empty()
            ? "the input holds no network ACLs, so the default network ACL (all traffic allowed) is assumed"
            : fmt::format("the input holds no network ACL of subnet {} (nor the default ACL of {}); it is taken to "
                          "allow all egress",
                          s.id, s.vpc_id));
  }

  for (Addr addr : representatives(f, cidrs)) {
    Match m = longest_prefix(*rt, f, addr);
    if (!m.route || blackhole(*m.route)) continue;  // a blackhole drops; no shorter route is tried
    const model::Route& route = *m.route;
    const K kind = target_kind(route);
    std::vector<Hop> tail{{"route-table", rt->id, std::nullopt, route.destination}};
    std::string words = fmt::format("route table {}{} sends {} to {} {}", rt->id,
                                    is_main ? " (the VPC's main table)" : "", route.destination, target_words(kind),
                                    route.target_id);
    std::vector<std::string> assumptions = base_assumptions;
    bool via_nat = false;
    std::vector<const model::NetworkAclEntry*> nat_acl_rules;
    bool nat_acl_held = false;
    std::string nat_acl_id;

    if (kind == K::InternetGateway) {
      const auto* igw = g_.internet_gateway(route.target_id);
      if (igw && !gateway_attached(igw->vpc_ids, igw->from_iac, s.vpc_id)) continue;
      if (!igw)
        assumptions.push_back(fmt::format(
            "internet gateway {} is not in the input; the route to it is taken to be active", route.target_id));
      tail.push_back({"internet-gateway", route.target_id, std::nullopt, std::nullopt});
    } else if (kind == K::EgressOnlyInternetGateway) {
      if (f != Family::V6) continue;  // egress-only gateways carry IPv6 only
      const auto* eigw = g_.egress_only_gateway(route.target_id);
      if (eigw && !gateway_attached(eigw->vpc_ids, eigw->from_iac, s.vpc_id)) continue;
      if (!eigw)
        assumptions.push_back(fmt::format(
            "egress-only internet gateway {} is not in the input; the route to it is taken to be active",
            route.target_id));
      tail.push_back({"egress-only-internet-gateway", route.target_id, std::nullopt, std::nullopt});
    } else if (kind == K::NatGateway) {
      if (f != Family::V4) continue;  // NAT64 (64:ff9b::/96) is not global unicast
      via_nat = true;
      tail.push_back({"nat-gateway", route.target_id, std::nullopt, std::nullopt});
      const auto* nat = g_.nat_gateway(route.target_id);
      if (!nat) {
        assumptions.push_back(fmt::format(
            "NAT gateway {} is not in the input; it is taken to be a public NAT gateway that reaches the internet",
            route.target_id));
      } else {
        // A private NAT gateway cannot reach the internet; a failed or deleted one forwards nothing.
        if (nat->connectivity_type == "private") continue;
        if (nat->state == "failed" || nat->state == "deleted" || nat->state == "deleting") continue;
        const auto* nat_subnet = g_.subnet(nat->subnet_id);
        bool nat_main = false;
        const auto* rt2 = nat_subnet ? g_.route_table_of_subnet(nat_subnet->id, nat_main) : nullptr;
        if (!nat_subnet || !rt2) {
          if (nat_subnet && g_.vpc(nat_subnet->vpc_id) && g_.vpc(nat_subnet->vpc_id)->from_iac)
            continue;  // a template's main table: local routes only
          if (!nat->subnet_id.empty()) tail.push_back({"subnet", nat->subnet_id, std::nullopt, std::nullopt});
          assumptions.push_back(fmt::format(
              "the route table of NAT gateway {}'s subnet {} is not in the input; it is taken to route to an "
              "internet gateway",
              nat->id, nat->subnet_id.empty() ? "(unknown)" : nat->subnet_id));
          words += fmt::format(" in subnet {}", nat->subnet_id);
        } else {
          Match m2 = longest_prefix(*rt2, f, addr);
          if (!m2.route || blackhole(*m2.route)) continue;
          K k2 = target_kind(*m2.route);
          if (k2 != K::InternetGateway) {
            if (k2 != K::Local && k2 != K::NatGateway && k2 != K::EgressOnlyInternetGateway)
              sink_.note(fmt::format(
                  "internet-egress-path: route {} of route table {} (subnet {} of NAT gateway {}) goes to {} {}; not "
                  "followed, the input does not show the other side",
                  m2.route->destination, rt2->id, nat_subnet->id, nat->id, target_words(k2), m2.route->target_id));
            continue;
          }
          const auto* igw = g_.internet_gateway(m2.route->target_id);
          if (igw && !gateway_attached(igw->vpc_ids, igw->from_iac, nat_subnet->vpc_id)) continue;
          if (!igw)
            assumptions.push_back(fmt::format(
                "internet gateway {} is not in the input; the route to it is taken to be active", m2.route->target_id));
          tail.push_back({"subnet", nat_subnet->id, std::nullopt, std::nullopt});
          tail.push_back({"route-table", rt2->id, std::nullopt, m2.route->destination});
          tail.push_back({"internet-gateway", m2.route->target_id, std::nullopt, std::nullopt});
          words += fmt::format(" in subnet {}, whose route table {}{} sends {} to internet gateway {}", nat_subnet->id,
                               rt2->id, nat_main ? " (the VPC's main table)" : "", m2.route->destination,
                               m2.route->target_id);
          if (const auto* acl2 = g_.network_acl_of_subnet(nat_subnet->id)) {
            nat_acl_held = true;
            nat_acl_id = acl2->id;
            nat_acl_rules = outbound_entries(*acl2);
          } else {
            assumptions.push_back(fmt::format(
                "the input holds no network ACL of the NAT gateway's subnet {}; it is taken to allow all egress",
                nat_subnet->id));
          }
        }
      }
    } else {
      continue;  // local, or a target whose other side the input does not show (noted)
    }

    // Some traffic to this address that the security group and the network ACL(s) let out;
    // the one whose allowing ACL rule comes first.
    std::optional<Traffic> best;
    AclVerdict best_verdict;
    std::optional<int> best_nat_rule;
    for (const Traffic& t : traffic) {
      if (via_nat && t.protocol != 6 && t.protocol != 17 && t.protocol != 1) continue;  // NAT: tcp, udp, icmp
      if (group.sg && !group_allows(*group.sg, f, addr, t)) continue;
      AclVerdict v{true, std::nullopt};
      if (acl) {
        v = acl_decides(acl_rules, f, addr, t);
        if (!v.allow) continue;
      }
      std::optional<int> nat_rule;
      if (nat_acl_held) {
        AclVerdict v2 = acl_decides(nat_acl_rules, f, addr, t);
        if (!v2.allow) continue;
        nat_rule = v2.rule;
      }
      if (!best || (v.rule && best_verdict.rule && *v.rule < *best_verdict.rule)) {
        best = t;
        best_verdict = v;
        best_nat_rule = nat_rule;
      }
      if (!acl) break;
    }
    if (!best) continue;

    EgressPath path;
    path.hops.push_back({"subnet", s.id, std::nullopt, std::nullopt});
    path.hops.push_back({"security-group", group.id, std::nullopt, std::nullopt});
    path.hops.push_back({"network-acl", acl ? std::optional<std::string>(acl->id) : std::nullopt,
                         acl ? best_verdict.rule : std::nullopt, std::nullopt});
    path.hops.insert(path.hops.end(), tail.begin(), tail.end());
    std::string dest = format_addr(f, addr);
    std::string group_words = group.id ? fmt::format("security group {}", *group.id) : "the default security group";
    std::string acl_words = acl ? fmt::format("network ACL {} rule {}", acl->id, best_verdict.rule.value_or(0))
                                : "the default network ACL";
    path.sentence = fmt::format("From subnet {}, {} allows {} to {}, {} lets it out, and {}", s.id, group_words,
                                traffic_words(*best), dest, acl_words, words);
    if (nat_acl_held)
      path.sentence += fmt::format("; network ACL {} of the NAT gateway's subnet lets it out too (rule {})",
                                   nat_acl_id, best_nat_rule.value_or(0));
    path.sentence += ".";
    path.assumptions = std::move(assumptions);
    return path;
  }
  return std::nullopt;
}

std::optional<EgressPath> EgressSearch::first_path(const Placement& p) {
  std::set<std::string> subnets(p.subnets.begin(), p.subnets.end());
  for (const auto& id : subnets) {
    SubnetStatus st = subnet_status(id);
    if (st == SubnetStatus::RouteTableUnknown) {
      const auto* s = g_.subnet(id);
      sink_.note(fmt::format(
          "internet-egress-path: the input holds no route table of subnet {} (no explicit association, no main "
          "table of {}); egress through it is not decided",
          id, s ? s->vpc_id : std::string("its VPC")));
    }
    if (st != SubnetStatus::Known) continue;  // export-incomplete-network reports the missing part
    const model::Subnet& s = *g_.subnet(id);
    bool v4 = !s.cidr.empty() || s.ipv6_cidrs.empty();  // IPv6-only subnets have no IPv4 CIDR
    bool v6 = !s.ipv6_cidrs.empty();
    for (const auto& group : groups_for(p, s)) {
      for (Family f : {Family::V4, Family::V6}) {
        if ((f == Family::V4 && !v4) || (f == Family::V6 && !v6)) continue;
        auto key = std::make_tuple(s.id, group.id.value_or(""), group.id.has_value(), static_cast<int>(f));
        auto it = memo_.find(key);
        if (it == memo_.end()) it = memo_.emplace(key, search(s, group, f)).first;
        if (it->second) return it->second;
      }
    }
  }
  return std::nullopt;
}

}  // namespace vpcgate::checks::net
