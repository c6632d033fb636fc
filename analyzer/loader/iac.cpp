// What the CloudFormation and Terraform readers share: placeholders for unresolved values, the
// conservative reading of policies that hold them, and the merge of a document over an export
// (CONTRACT.md: "Entities of a template or plan replace export entities with the same ARN").
#include "analyzer/loader/iac.hpp"

#include <algorithm>
#include <set>
#include <unordered_map>

namespace vpcgate::loader {
namespace detail {

std::string placeholder(const std::string& name) { return std::string(1, kPhOpen) + name + kPhClose; }

bool has_placeholder(const std::string& s) { return s.find(kPhOpen) != std::string::npos; }

namespace {

// Rewrites each placeholder with `f(name)`.
template <class F>
std::string rewrite(const std::string& s, F f) {
  if (!has_placeholder(s)) return s;
  std::string out;
  std::size_t i = 0;
  while (i < s.size()) {
    if (s[i] != kPhOpen) {
      out += s[i++];
      continue;
    }
    auto close = s.find(kPhClose, i + 1);
    if (close == std::string::npos) {
      out += s.substr(i + 1);
      break;
    }
    out += f(s.substr(i + 1, close - i - 1));
    i = close + 1;
  }
  return out;
}

bool is_pseudo(const std::string& name) { return name.rfind("AWS::", 0) == 0; }

}  // namespace

std::string plain(const std::string& s) {
  return rewrite(s, [](const std::string& n) { return "${" + n + "}"; });
}

std::vector<std::string> placeholder_names(const std::string& s) {
  std::vector<std::string> out;
  (void)rewrite(s, [&](const std::string& n) {
    out.push_back(n);
    return std::string();
  });
  return out;
}

std::string partition_of(const std::string& region) {
  if (region.rfind("cn-", 0) == 0) return "aws-cn";
  if (region.rfind("us-gov-", 0) == 0) return "aws-us-gov";
  return "aws";
}

void neutralise_policy(nlohmann::json& doc, std::vector<std::string>& unknown) {
  const bool variables = doc.is_object() && doc.contains("Version") && doc["Version"] == "2012-10-17";
  auto literal = [&](const std::string& s) {
    return rewrite(s, [&](const std::string& n) {
      unknown.push_back(n);
      return (variables ? "${$}{" : "${") + n + "}";
    });
  };
  auto broad = [&](const std::string& s) {
    return rewrite(s, [&](const std::string& n) {
      unknown.push_back(n);
      if (is_pseudo(n)) return (variables ? "${$}{" : "${") + n + "}";
      return std::string("*");
    });
  };
  std::function<void(nlohmann::json&, bool)> walk = [&](nlohmann::json& v, bool wide) {
    if (v.is_string()) {
      v = wide ? broad(v.get<std::string>()) : literal(v.get<std::string>());
    } else if (v.is_array() || v.is_object()) {
      for (auto& x : v) walk(x, wide);
    }
  };
  if (!doc.is_object()) {
    walk(doc, false);
    return;
  }
  for (auto it = doc.begin(); it != doc.end(); ++it) {
    if (it.key() != "Statement") {
      walk(it.value(), false);
      continue;
    }
    auto statement = [&](nlohmann::json& st) {
      if (!st.is_object()) return walk(st, false);
      const bool allow = st.contains("Effect") && st["Effect"] == "Allow";
      for (auto m = st.begin(); m != st.end(); ++m) {
        // Broadest reading for an Allow: an unknown action or resource may be any.
        const bool wide = allow && (m.key() == "Action" || m.key() == "Resource");
        walk(m.value(), wide);
      }
    };
    if (it.value().is_array()) {
      for (auto& st : it.value()) statement(st);
    } else {
      statement(it.value());
    }
  }
  std::sort(unknown.begin(), unknown.end());
  unknown.erase(std::unique(unknown.begin(), unknown.end()), unknown.end());
}

namespace {

template <class T>
T* named(std::vector<T>& v, const std::string& name) {
  for (auto& x : v)
    if (x.name == name) return &x;
  return nullptr;
}

template <class T>
T* with_id(std::vector<T>& v, const std::string& id) {
  for (auto& x : v)
    if (x.id == id) return &x;
  return nullptr;
}

template <class F>
void on_principal(model::Account& a, PrincipalKind kind, const std::string& name, F f) {
  switch (kind) {
    case PrincipalKind::Role:
      if (auto* r = named(a.roles, name)) f(r->inline_policies, r->attached, r->assumed);
      return;
    case PrincipalKind::User:
      if (auto* u = named(a.users, name)) f(u->inline_policies, u->attached, u->assumed);
      return;
    case PrincipalKind::Group:
      if (auto* g = named(a.groups, name)) f(g->inline_policies, g->attached, g->assumed);
      return;
  }
}

}  // namespace

Link link_inline_policy(PrincipalKind kind, std::string name, model::InlinePolicy policy) {
  return [=](model::Account& a) {
    on_principal(a, kind, name, [&](auto& inl, auto&, auto&) {
      for (auto& p : inl)
        if (p.name == policy.name) {
          p = policy;
          return;
        }
      inl.push_back(policy);
    });
  };
}

Link link_managed_policy(PrincipalKind kind, std::string name, std::string policy_arn) {
  return [=](model::Account& a) {
    on_principal(a, kind, name, [&](auto&, auto& attached, auto&) {
      for (const auto& p : attached)
        if (p.arn == policy_arn) return;
      auto slash = policy_arn.rfind('/');
      attached.push_back({policy_arn, slash == std::string::npos ? policy_arn : policy_arn.substr(slash + 1)});
    });
  };
}

Link link_principal_notes(PrincipalKind kind, std::string name, std::vector<std::string> notes) {
  return [=](model::Account& a) {
    on_principal(a, kind, name, [&](auto&, auto&, auto& assumed) {
      for (const auto& n : notes)
        if (std::find(assumed.begin(), assumed.end(), n) == assumed.end()) assumed.push_back(n);
    });
  };
}

Link link_membership(std::string user_name, std::string group_name) {
  return [=](model::Account& a) {
    if (auto* u = named(a.users, user_name))
      if (std::find(u->groups.begin(), u->groups.end(), group_name) == u->groups.end()) u->groups.push_back(group_name);
  };
}

Link link_route(std::string table_id, model::Route route) {
  return [=](model::Account& a) {
    auto* t = with_id(a.route_tables, table_id);
    if (!t) return;
    for (auto& r : t->routes)
      if (!route.destination.empty() ? r.destination == route.destination
                                     : r.destination_prefix_list == route.destination_prefix_list) {
        r = route;
        return;
      }
    t->routes.push_back(route);
  };
}

Link link_subnet_route_table(std::string table_id, std::string subnet_id) {
  return [=](model::Account& a) {
    if (!with_id(a.route_tables, table_id)) return;
    for (auto& t : a.route_tables)
      t.associations.erase(std::remove_if(t.associations.begin(), t.associations.end(),
                                          [&](const model::RouteTableAssociation& x) { return x.subnet_id == subnet_id; }),
                           t.associations.end());
    model::RouteTableAssociation assoc;
    assoc.subnet_id = subnet_id;
    with_id(a.route_tables, table_id)->associations.push_back(assoc);
  };
}

Link link_main_route_table(std::string table_id, std::string vpc_id) {
  return [=](model::Account& a) {
    if (!with_id(a.route_tables, table_id)) return;
    for (auto& t : a.route_tables)
      if (t.vpc_id == vpc_id)
        t.associations.erase(std::remove_if(t.associations.begin(), t.associations.end(),
                                            [](const model::RouteTableAssociation& x) { return x.main; }),
                             t.associations.end());
    model::RouteTableAssociation assoc;
    assoc.main = true;
    with_id(a.route_tables, table_id)->associations.push_back(assoc);
  };
}

Link link_security_group_rule(std::string group_id, bool egress, model::SecurityGroupRule rule) {
  return [=](model::Account& a) {
    if (auto* g = with_id(a.security_groups, group_id)) (egress ? g->egress : g->ingress).push_back(rule);
  };
}

Link link_network_acl_entry(std::string acl_id, model::NetworkAclEntry entry) {
  return [=](model::Account& a) {
    auto* acl = with_id(a.network_acls, acl_id);
    if (!acl) return;
    for (auto& e : acl->entries)
      if (e.rule_number == entry.rule_number && e.egress == entry.egress) {
        e = entry;
        return;
      }
    acl->entries.push_back(entry);
  };
}

Link link_subnet_network_acl(std::string acl_id, std::string subnet_id) {
  return [=](model::Account& a) {
    if (!with_id(a.network_acls, acl_id)) return;
    for (auto& acl : a.network_acls)
      acl.subnet_ids.erase(std::remove(acl.subnet_ids.begin(), acl.subnet_ids.end(), subnet_id), acl.subnet_ids.end());
    with_id(a.network_acls, acl_id)->subnet_ids.push_back(subnet_id);
  };
}

Link link_gateway_attachment(std::string gateway_id, std::string vpc_id) {
  return [=](model::Account& a) {
    auto add = [&](std::vector<std::string>& v) {
      if (std::find(v.begin(), v.end(), vpc_id) == v.end()) v.push_back(vpc_id);
    };
    if (auto* g = with_id(a.internet_gateways, gateway_id)) add(g->vpc_ids);
    if (auto* g = with_id(a.egress_only_gateways, gateway_id)) add(g->vpc_ids);
  };
}

}  // namespace detail

// ---------------------------------------------------------------- context of the export

IacContext export_context(const model::Account& a) {
  std::set<std::string> accounts, regions;
  auto arn = [&](const std::string& x) {
    auto acct = model::arn_account(x);
    if (!acct.empty() && acct != "aws") accounts.insert(acct);
    auto r = model::arn_region(x);
    if (!r.empty()) regions.insert(r);
  };
  auto owner = [&](const std::string& id) {
    if (!id.empty()) accounts.insert(id);
  };
  for (const auto& x : a.users) arn(x.arn);
  for (const auto& x : a.groups) arn(x.arn);
  for (const auto& x : a.roles) arn(x.arn);
  for (const auto& x : a.policies)
    if (!x.aws_managed) arn(x.arn);
  for (const auto& x : a.notebooks) arn(x.arn);
  for (const auto& x : a.training_jobs) arn(x.arn);
  for (const auto& x : a.processing_jobs) arn(x.arn);
  for (const auto& x : a.models) arn(x.arn);
  for (const auto& x : a.domains) arn(x.arn);
  for (const auto& x : a.vpcs) owner(x.owner_id);
  for (const auto& x : a.subnets) {
    owner(x.owner_id);
    if (!x.region.empty()) regions.insert(x.region);
  }
  for (const auto& x : a.vpc_endpoints) {
    owner(x.owner_id);
    if (!x.region.empty()) regions.insert(x.region);
  }
  IacContext c;
  if (accounts.size() == 1) c.account = *accounts.begin();
  if (regions.size() == 1) c.region = *regions.begin();
  return c;
}

// ---------------------------------------------------------------- merge

namespace {

template <class T, class Key>
void replace_into(std::vector<T>& into, std::vector<T>& from, Key key) {
  std::unordered_map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < into.size(); ++i) index.emplace(key(into[i]), i);
  for (auto& x : from) {
    auto it = index.find(key(x));
    if (it != index.end()) {
      into[it->second] = std::move(x);
    } else {
      index.emplace(key(x), into.size());
      into.push_back(std::move(x));
    }
  }
}

template <class T, class Key>
void erase_keys(std::vector<T>& v, const std::set<std::string>& keys, Key key) {
  v.erase(std::remove_if(v.begin(), v.end(), [&](const T& x) { return keys.count(key(x)) != 0; }), v.end());
}

}  // namespace

void apply_iac(model::Account& a, const std::vector<std::shared_ptr<const IacDocument>>& docs) {
  if (docs.empty()) return;
  const IacContext context = export_context(a);
  auto by_arn = [](const auto& x) { return x.arn; };
  auto by_id = [](const auto& x) { return x.id; };
  for (const auto& doc : docs) {
    IacResult r = doc->build(context);
    if (!r.deleted.empty()) {
      std::set<std::string> d(r.deleted.begin(), r.deleted.end());
      erase_keys(a.users, d, by_arn);
      erase_keys(a.groups, d, by_arn);
      erase_keys(a.roles, d, by_arn);
      erase_keys(a.policies, d, by_arn);
      erase_keys(a.vpcs, d, by_id);
      erase_keys(a.subnets, d, by_id);
      erase_keys(a.route_tables, d, by_id);
      erase_keys(a.internet_gateways, d, by_id);
      erase_keys(a.nat_gateways, d, by_id);
      erase_keys(a.egress_only_gateways, d, by_id);
      erase_keys(a.security_groups, d, by_id);
      erase_keys(a.network_acls, d, by_id);
      erase_keys(a.vpc_endpoints, d, by_id);
      erase_keys(a.notebooks, d, by_arn);
      erase_keys(a.models, d, by_arn);
      erase_keys(a.domains, d, by_arn);
    }
    auto& p = r.account;
    replace_into(a.users, p.users, by_arn);
    replace_into(a.groups, p.groups, by_arn);
    replace_into(a.roles, p.roles, by_arn);
    replace_into(a.policies, p.policies, by_arn);
    replace_into(a.scps, p.scps, by_arn);
    replace_into(a.vpcs, p.vpcs, by_id);
    replace_into(a.subnets, p.subnets, by_id);
    replace_into(a.route_tables, p.route_tables, by_id);
    replace_into(a.internet_gateways, p.internet_gateways, by_id);
    replace_into(a.nat_gateways, p.nat_gateways, by_id);
    replace_into(a.egress_only_gateways, p.egress_only_gateways, by_id);
    replace_into(a.security_groups, p.security_groups, by_id);
    replace_into(a.network_acls, p.network_acls, by_id);
    replace_into(a.vpc_endpoints, p.vpc_endpoints, by_id);
    replace_into(a.notebooks, p.notebooks, by_arn);
    replace_into(a.training_jobs, p.training_jobs, by_arn);
    replace_into(a.processing_jobs, p.processing_jobs, by_arn);
    replace_into(a.models, p.models, by_arn);
    replace_into(a.domains, p.domains, by_arn);
    a.has_security_groups = a.has_security_groups || p.has_security_groups;
    a.has_network_acls = a.has_network_acls || p.has_network_acls;
    a.has_route_tables = a.has_route_tables || p.has_route_tables;
    for (const auto& link : r.links) link(a);
  }
}

}  // namespace vpcgate::loader
