// Terraform plans (`terraform show -json PLANFILE`, format_version 1.x) -> the model.
// Values come from `planned_values` (root module and child modules); what is known only after
// apply (`resource_changes[].change.after_unknown`) is followed through `configuration`'s
// references to the resource it names; `resource_changes` "delete" actions remove entities.
// Shapes: https://developer.hashicorp.com/terraform/internals/json-format
#include <algorithm>
#include <map>
#include <set>

#include "analyzer/loader/iac.hpp"
#include "analyzer/loader/json_node.hpp"
#include "analyzer/loader/readers.hpp"
#include "model/input_error.hpp"

namespace vpcgate::loader {
namespace {

using Json = nlohmann::json;
using detail::placeholder;
using detail::plain;

const Json kNull;

const Json& member(const Json& j, const std::string& key) {
  if (!j.is_object()) return kNull;
  auto it = j.find(key);
  return it == j.end() ? kNull : *it;
}
const Json& item(const Json& j, std::size_t i) { return j.is_array() && i < j.size() ? j[i] : kNull; }

// True when after_unknown marks the value (or any part of it) unknown.
bool any_true(const Json& j) {
  if (j.is_boolean()) return j.get<bool>();
  if (j.is_array() || j.is_object()) {
    for (const auto& x : j)
      if (any_true(x)) return true;
  }
  return false;
}

struct Instance {
  std::string address;  // "module.net.aws_subnet.private[0]"
  std::string module;   // "module.net" (instance keys dropped), "" for the root module
  std::string type, name, mode;
  Json index;           // null, number or string
  const Json* values = &kNull;
  const Json* after_unknown = &kNull;
  const Json* expressions = &kNull;  // configuration expressions of its resource block
  std::string ptr;                   // "/planned_values/root_module/resources/3"
};

std::string strip_instance_keys(const std::string& module_address) {
  std::string out;
  int depth = 0;
  for (char c : module_address) {
    if (c == '[') ++depth;
    else if (c == ']') --depth;
    else if (depth == 0) out += c;
  }
  return out;
}

class Plan final : public IacDocument {
 public:
  Plan(Json root, std::string file) : root_(std::move(root)), file_(std::move(file)) { index(); }
  IacResult build(const IacContext& context) const override;

  const std::vector<Instance>& instances() const { return instances_; }
  const std::string& file() const { return file_; }
  const Json& root() const { return root_; }
  const std::vector<std::string>& deleted() const { return deleted_; }
  const std::vector<const Instance*>* by_config(const std::string& key) const {
    auto it = by_config_.find(key);
    return it == by_config_.end() ? nullptr : &it->second;
  }
  [[noreturn]] void fail(const std::string& ptr, const std::string& message) const {
    throw model::InputError(file_, ptr, message);
  }

 private:
  void index() {
    if (!root_.is_object()) fail("", "a plan must be a JSON object");
    const Json& fv = member(root_, "format_version");
    if (!fv.is_string()) fail("/format_version", "expected a string");
    if (fv.get<std::string>().rfind("1.", 0) != 0)
      fail("/format_version", "unsupported format_version " + fv.get<std::string>() + " (1.x expected)");
    // after_unknown and configuration by address.
    const Json& changes = member(root_, "resource_changes");
    if (!changes.is_null() && !changes.is_array()) fail("/resource_changes", "expected an array");
    if (changes.is_array()) {
      for (std::size_t i = 0; i < changes.size(); ++i) {
        const Json& c = changes[i];
        std::string ptr = "/resource_changes/" + std::to_string(i);
        if (!c.is_object() || !member(c, "address").is_string()) fail(ptr + "/address", "expected a string");
        const Json& change = member(c, "change");
        if (!change.is_object()) fail(ptr + "/change", "expected an object");
        unknown_[c["address"].get<std::string>()] = &member(change, "after_unknown");
        const Json& actions = member(change, "actions");
        if (!actions.is_array()) fail(ptr + "/change/actions", "expected an array");
        if (actions.size() == 1 && actions[0] == "delete" && member(c, "mode") == "managed") {
          const Json& before = member(change, "before");
          for (const char* key : {"arn", "id"})
            if (member(before, key).is_string()) deleted_.push_back(before[key].get<std::string>());
        }
      }
    }
    index_config(member(member(root_, "configuration"), "root_module"), "");
    const Json& pv = member(root_, "planned_values");
    if (!pv.is_null() && !pv.is_object()) fail("/planned_values", "expected an object");
    walk_module(member(pv, "root_module"), "/planned_values/root_module");
    // Data sources read before the plan (aws_caller_identity, aws_region, policy documents).
    walk_module(member(member(member(root_, "prior_state"), "values"), "root_module"),
                "/prior_state/values/root_module", true);
  }

  void index_config(const Json& module, const std::string& prefix) {
    for (const auto& r : member(module, "resources")) {
      if (!member(r, "address").is_string()) continue;
      config_[prefix + "|" + r["address"].get<std::string>()] = &member(r, "expressions");
    }
    const Json& calls = member(module, "module_calls");
    if (calls.is_object())
      for (auto it = calls.begin(); it != calls.end(); ++it)
        index_config(member(it.value(), "module"), (prefix.empty() ? "" : prefix + ".") + "module." + it.key());
  }

  void walk_module(const Json& module, const std::string& ptr, bool data_only = false) {
    if (module.is_null()) return;
    if (!module.is_object()) fail(ptr, "expected an object");
    const Json& resources = member(module, "resources");
    if (!resources.is_null() && !resources.is_array()) fail(ptr + "/resources", "expected an array");
    std::string module_address = member(module, "address").is_string() ? module["address"].get<std::string>() : "";
    for (std::size_t i = 0; i < resources.size(); ++i) {
      const Json& r = resources[i];
      std::string p = ptr + "/resources/" + std::to_string(i);
      for (const char* key : {"address", "type", "name"})
        if (!member(r, key).is_string()) fail(p + "/" + key, "expected a string");
      Instance inst;
      inst.address = r["address"].get<std::string>();
      inst.mode = member(r, "mode").is_string() ? r["mode"].get<std::string>() : "managed";
      if (data_only && inst.mode != "data") continue;
      inst.type = r["type"].get<std::string>();
      inst.name = r["name"].get<std::string>();
      inst.index = member(r, "index");
      inst.module = strip_instance_keys(module_address);
      inst.values = &member(r, "values");
      if (!inst.values->is_null() && !inst.values->is_object()) fail(p + "/values", "expected an object");
      auto u = unknown_.find(inst.address);
      if (u != unknown_.end()) inst.after_unknown = u->second;
      std::string config_address = (inst.mode == "data" ? "data." : "") + inst.type + "." + inst.name;
      auto c = config_.find(inst.module + "|" + config_address);
      if (c != config_.end()) inst.expressions = c->second;
      inst.ptr = p;
      if (data_only && seen_.count(inst.address)) continue;
      seen_.insert(inst.address);
      instances_.push_back(std::move(inst));
    }
    const Json& children = member(module, "child_modules");
    if (!children.is_null() && !children.is_array()) fail(ptr + "/child_modules", "expected an array");
    for (std::size_t i = 0; i < children.size(); ++i)
      walk_module(children[i], ptr + "/child_modules/" + std::to_string(i), data_only);
    if (ptr.rfind("/planned_values", 0) == 0 && ptr == "/planned_values/root_module") {
      // Index once, after the whole tree (pointers into instances_ are stable from here on).
    }
  }

 public:
  void finish_index() {
    for (const auto& inst : instances_) {
      std::string config_address = (inst.mode == "data" ? "data." : "") + inst.type + "." + inst.name;
      by_config_[inst.module + "|" + config_address].push_back(&inst);
      by_address_[inst.address] = &inst;
    }
  }
  const Instance* by_address(const std::string& a) const {
    auto it = by_address_.find(a);
    return it == by_address_.end() ? nullptr : it->second;
  }

 private:
  Json root_;
  std::string file_;
  std::vector<Instance> instances_;
  std::set<std::string> seen_;
  std::vector<std::string> deleted_;
  std::map<std::string, const Json*> unknown_;
  std::map<std::string, const Json*> config_;
  std::map<std::string, std::vector<const Instance*>> by_config_;
  std::map<std::string, const Instance*> by_address_;
};

// ---------------------------------------------------------------- building

class Builder {
 public:
  Builder(const Plan& p, const IacContext& c) : p_(p) {
    region_ = provider_region();
    for (const auto& inst : p_.instances()) {
      if (inst.mode != "data") continue;
      if (inst.type == "aws_caller_identity" && member(*inst.values, "account_id").is_string() && account_.empty())
        account_ = (*inst.values)["account_id"].get<std::string>();
      if (inst.type == "aws_region" && member(*inst.values, "name").is_string() && region_.empty())
        region_ = (*inst.values)["name"].get<std::string>();
    }
    if (account_.empty()) account_ = c.account;
    if (region_.empty()) region_ = c.region;
    if (account_.empty()) account_ = "unknown";
    if (region_.empty()) region_ = "unknown";
    partition_ = detail::partition_of(region_);
  }

  IacResult run() {
    out_.deleted = p_.deleted();
    for (const auto& inst : p_.instances()) {
      if (inst.mode != "managed") continue;
      assumed_.clear();
      cur_ = &inst;
      map(inst);
    }
    if (!main_tables_.empty()) {
      for (const auto& [vpc, table] : main_tables_) {
        model::RouteTable t;
        t.id = table;
        t.vpc_id = vpc;
        t.owner_id = account_;
        model::RouteTableAssociation m;
        m.main = true;
        t.associations.push_back(m);
        t.from_iac = true;
        if (const Instance* v = p_.by_address(vpc_address_[vpc])) t.loc = loc(*v);
        out_.account.route_tables.push_back(std::move(t));
        add_local_routes(table, vpc);
      }
    }
    return std::move(out_);
  }

 private:
  std::string provider_region() const {
    const Json& pc = member(member(p_.root(), "configuration"), "provider_config");
    if (!pc.is_object()) return "";
    for (auto it = pc.begin(); it != pc.end(); ++it) {
      if (member(it.value(), "name") != "aws" || member(it.value(), "alias").is_string()) continue;
      const Json& r = member(member(member(it.value(), "expressions"), "region"), "constant_value");
      if (r.is_string()) return r.get<std::string>();
    }
    return "";
  }

  model::SourceLoc loc(const Instance& i) const { return model::SourceLoc{p_.file(), i.ptr, 0}; }

  void assume(const std::string& text) {
    if (std::find(assumed_.begin(), assumed_.end(), text) == assumed_.end()) assumed_.push_back(text);
  }

  // The identifier another resource gets when it refers to `t` by `attr`.
  std::string attribute_of(const Instance& t, const std::string& attr) {
    if (attr == "id" || attr.empty()) return id_of(t);
    if (attr == "arn") return arn_of(t);
    if (attr == "name") return name_of(t);
    if (t.type == "aws_vpc" && (attr == "main_route_table_id" || attr == "default_route_table_id")) {
      std::string vpc = id_of(t);
      const Json& v = member(*t.values, attr);
      if (v.is_string()) return v.get<std::string>();
      std::string table = vpc + ".main_route_table";
      main_tables_.emplace(vpc, table);
      vpc_address_[vpc] = t.address;
      return table;
    }
    if (t.type == "aws_sagemaker_domain" && attr == "id") return id_of(t);
    const Json& v = member(*t.values, attr);
    if (v.is_string()) return v.get<std::string>();
    assume(t.address + "." + attr + " is known only after apply");
    return placeholder(t.address + "." + attr);
  }

  std::string id_of(const Instance& t) const {
    const Json& v = member(*t.values, "id");
    return v.is_string() ? v.get<std::string>() : t.address;
  }

  std::string name_of(const Instance& t) const {
    const Json& v = member(*t.values, "name");
    if (v.is_string()) return v.get<std::string>();
    if (t.type == "aws_sagemaker_domain" && member(*t.values, "domain_name").is_string())
      return (*t.values)["domain_name"].get<std::string>();
    return t.name;
  }

  std::string arn_of(const Instance& t) const {
    const Json& v = member(*t.values, "arn");
    if (v.is_string()) return v.get<std::string>();
    std::string path = member(*t.values, "path").is_string() ? (*t.values)["path"].get<std::string>() : "/";
    std::string iam = "arn:" + partition_ + ":iam::" + account_ + ":";
    if (t.type == "aws_iam_role") return iam + "role" + path + name_of(t);
    if (t.type == "aws_iam_user") return iam + "user" + path + name_of(t);
    if (t.type == "aws_iam_group") return iam + "group" + path + name_of(t);
    if (t.type == "aws_iam_policy") return iam + "policy" + path + name_of(t);
    std::string sm = "arn:" + partition_ + ":sagemaker:" + region_ + ":" + account_ + ":";
    if (t.type == "aws_sagemaker_notebook_instance") return sm + "notebook-instance/" + name_of(t);
    if (t.type == "aws_sagemaker_model") return sm + "model/" + name_of(t);
    if (t.type == "aws_sagemaker_domain") return sm + "domain/" + name_of(t);
    return placeholder(t.address + ".arn");
  }

  // Resolves one configuration reference ("aws_vpc.main.id", "aws_subnet.a[0]",
  // "data.aws_iam_policy_document.x.json") seen from `from`.
  std::vector<std::string> follow(const Instance& from, const std::string& ref) {
    std::string r = ref;
    std::string prefix;
    if (r.rfind("data.", 0) == 0) {
      prefix = "data.";
      r = r.substr(5);
    }
    auto dot1 = r.find('.');
    if (dot1 == std::string::npos) return {};
    auto dot2 = r.find('.', dot1 + 1);
    std::string head = r.substr(0, dot2);
    std::string attr = dot2 == std::string::npos ? "" : r.substr(dot2 + 1);
    std::string key_index;
    auto bracket = head.find('[');
    if (bracket != std::string::npos) {
      key_index = head.substr(bracket);
      head = head.substr(0, bracket);
    }
    if (attr.find('[') != std::string::npos) attr = attr.substr(0, attr.find('['));
    const auto* targets = p_.by_config(from.module + "|" + prefix + head);
    if (!targets) return {};
    std::vector<const Instance*> chosen;
    for (const auto* t : *targets) {
      if (!key_index.empty()) {
        if (t->address.size() >= key_index.size() &&
            t->address.compare(t->address.size() - key_index.size(), key_index.size(), key_index) == 0)
          chosen.push_back(t);
      } else if (!from.index.is_null() && t->index == from.index) {
        chosen = {t};
        break;
      } else {
        chosen.push_back(t);
      }
    }
    std::vector<std::string> out;
    for (const auto* t : chosen) out.push_back(attribute_of(*t, attr));
    return out;
  }

  // A value at `path` of the current instance: planned, else through the configuration's
  // references, else a placeholder (noted).
  struct Got {
    std::vector<std::string> values;
    bool known = true;
    bool present = false;
  };
  Got get(const std::vector<std::string>& path) {
    const Instance& i = *cur_;
    const Json* v = i.values;
    const Json* u = i.after_unknown;
    const Json* c = i.expressions;
    for (const auto& step : path) {
      bool numeric = !step.empty() && std::all_of(step.begin(), step.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
      if (numeric) {
        std::size_t n = std::stoul(step);
        v = &item(*v, n);
        u = &item(*u, n);
        c = c->is_array() ? &item(*c, n) : c;
      } else {
        v = &member(*v, step);
        u = &member(*u, step);
        c = &member(*c, step);
      }
    }
    Got g;
    auto text = [](const Json& x) { return x.is_string() ? x.get<std::string>() : x.dump(); };
    if (!any_true(*u)) {
      if (v->is_array()) {
        for (const auto& x : *v)
          if (!x.is_null()) g.values.push_back(text(x));
        g.present = true;
        return g;
      }
      if (!v->is_null()) {
        g.values.push_back(text(*v));
        g.present = true;
        return g;
      }
      return g;
    }
    g.present = true;
    const Json& refs = member(*c, "references");
    std::set<std::string> seen;
    if (refs.is_array()) {
      // ["aws_vpc.main.id", "aws_vpc.main"]: the first of each resource.
      std::set<std::string> done;
      for (const auto& r : refs) {
        if (!r.is_string()) continue;
        std::string s = r.get<std::string>();
        bool covered = false;
        for (const auto& d : done)
          if (s.rfind(d, 0) == 0 || d.rfind(s, 0) == 0) covered = true;
        if (covered) continue;
        auto vals = follow(i, s);
        if (vals.empty()) continue;
        done.insert(s);
        for (auto& x : vals)
          if (seen.insert(x).second) g.values.push_back(x);
      }
    }
    // Known elements of a partly known list stay.
    if (v->is_array())
      for (std::size_t n = 0; n < v->size(); ++n)
        if (!any_true(item(*u, n)) && !(*v)[n].is_null() && seen.insert(text((*v)[n])).second)
          g.values.push_back(text((*v)[n]));
    if (g.values.empty()) {
      g.known = false;
      std::string what = i.address;
      for (const auto& s : path) what += "." + s;
      assume(what + " is known only after apply");
      g.values.push_back(placeholder(what));
    }
    return g;
  }
  std::string str(const std::vector<std::string>& path, const std::string& fallback = "") {
    Got g = get(path);
    return g.values.empty() ? fallback : plain(g.values[0]);
  }
  std::optional<std::string> opt_str(const std::vector<std::string>& path) {
    Got g = get(path);
    if (g.values.empty() || (g.values[0].empty() && g.known)) return std::nullopt;
    return plain(g.values[0]);
  }
  std::vector<std::string> strs(const std::vector<std::string>& path) {
    std::vector<std::string> out;
    for (auto& s : get(path).values) out.push_back(plain(s));
    return out;
  }
  std::optional<bool> opt_bool(const std::vector<std::string>& path) {
    Got g = get(path);
    if (!g.known || g.values.empty()) return std::nullopt;
    if (g.values[0] == "true") return true;
    if (g.values[0] == "false") return false;
    return std::nullopt;
  }
  std::optional<int> opt_int(const std::vector<std::string>& path) {
    Got g = get(path);
    if (!g.known || g.values.empty()) return std::nullopt;
    char* end = nullptr;
    long n = std::strtol(g.values[0].c_str(), &end, 10);
    if (end != g.values[0].c_str() + g.values[0].size()) return std::nullopt;
    return static_cast<int>(n);
  }
  std::size_t count(const std::string& key) {
    const Json& v = member(*cur_->values, key);
    return v.is_array() ? v.size() : 0;
  }

  // A policy document attribute (a JSON string, as jsonencode and aws_iam_policy_document give).
  // Unknown until apply: `unknown_reading` is used and noted.
  std::optional<model::PolicyDocument> policy(const std::vector<std::string>& path, const char* unknown_reading) {
    Got g = get(path);
    std::string ptr = cur_->ptr + "/values";
    for (const auto& s : path) ptr += "/" + detail::pointer_escape(s);
    if (g.values.empty()) return std::nullopt;
    if (!g.known || detail::has_placeholder(g.values[0])) {
      if (!unknown_reading) return std::nullopt;
      assume(std::string("the policy is known only after apply; it is taken as ") + unknown_reading);
      Json doc = Json::parse(unknown_reading);
      return model::parse_policy(doc, p_.file(), ptr);
    }
    return model::parse_policy_string(g.values[0], p_.file(), ptr);
  }

  template <class T>
  void finish(T& x) {
    x.assumed = assumed_;
  }

  static model::RouteTargetKind kind_of_target(const std::string& id) {
    auto starts = [&](const char* p) {
      return id.rfind(p, 0) == 0 || id.find(std::string(".") + p) != std::string::npos;
    };
    if (starts("aws_internet_gateway.")) return model::RouteTargetKind::InternetGateway;
    if (starts("aws_nat_gateway.")) return model::RouteTargetKind::NatGateway;
    if (starts("aws_egress_only_internet_gateway.")) return model::RouteTargetKind::EgressOnlyInternetGateway;
    if (starts("aws_vpn_gateway.")) return model::RouteTargetKind::VirtualPrivateGateway;
    if (starts("aws_ec2_transit_gateway.")) return model::RouteTargetKind::TransitGateway;
    if (starts("aws_vpc_peering_connection.")) return model::RouteTargetKind::VpcPeering;
    if (starts("aws_vpc_endpoint.")) return model::RouteTargetKind::VpcEndpoint;
    return model::RouteTargetKind::Other;
  }

  // A route of aws_route_table's `route` blocks (prefix "route", i) or of aws_route (prefix "").
  model::Route route(const std::vector<std::string>& at, bool block) {
    auto path = [&](const char* k) {
      auto p = at;
      p.push_back(k);
      return p;
    };
    model::Route r;
    r.state = "active";
    r.destination = str(path(block ? "cidr_block" : "destination_cidr_block"));
    if (r.destination.empty()) r.destination = str(path(block ? "ipv6_cidr_block" : "destination_ipv6_cidr_block"));
    r.destination_prefix_list = str(path(block ? "destination_prefix_list_id" : "destination_prefix_list_id"));
    static const std::pair<const char*, model::RouteTargetKind> targets[] = {
        {"gateway_id", model::RouteTargetKind::Other},
        {"nat_gateway_id", model::RouteTargetKind::NatGateway},
        {"egress_only_gateway_id", model::RouteTargetKind::EgressOnlyInternetGateway},
        {"transit_gateway_id", model::RouteTargetKind::TransitGateway},
        {"vpc_peering_connection_id", model::RouteTargetKind::VpcPeering},
        {"network_interface_id", model::RouteTargetKind::NetworkInterface},
        {"vpc_endpoint_id", model::RouteTargetKind::VpcEndpoint},
        {"carrier_gateway_id", model::RouteTargetKind::CarrierGateway},
        {"local_gateway_id", model::RouteTargetKind::LocalGateway},
        {"core_network_arn", model::RouteTargetKind::CoreNetwork},
    };
    for (const auto& [key, kind] : targets) {
      auto t = opt_str(path(key));
      if (!t || t->empty()) continue;
      r.target_id = *t;
      r.target_kind = kind == model::RouteTargetKind::Other ? kind_of_target(*t) : kind;
      if (r.target_id == "local") r.target_kind = model::RouteTargetKind::Local;
      break;
    }
    return r;
  }

  model::SecurityGroupRule sg_block(const std::vector<std::string>& at) {
    auto path = [&](const char* k) {
      auto p = at;
      p.push_back(k);
      return p;
    };
    model::SecurityGroupRule r;
    r.protocol = str(path("protocol"), "-1");
    r.from_port = opt_int(path("from_port"));
    r.to_port = opt_int(path("to_port"));
    if (r.protocol == "-1" || r.protocol == "all") r.from_port = r.to_port = std::nullopt;
    r.ipv4_ranges = strs(path("cidr_blocks"));
    r.ipv6_ranges = strs(path("ipv6_cidr_blocks"));
    r.prefix_lists = strs(path("prefix_list_ids"));
    r.groups = strs(path("security_groups"));
    if (auto s = opt_str(path("source_security_group_id"))) r.groups.push_back(*s);
    if (get(path("self")).values == std::vector<std::string>{"true"}) r.groups.push_back(id_of(*cur_));
    return r;
  }

  void add_local_routes(const std::string& table, const std::string& vpc) {
    out_.links.push_back([table, vpc](model::Account& acc) {
      for (const auto& v : acc.vpcs) {
        if (v.id != vpc) continue;
        for (auto& t : acc.route_tables) {
          if (t.id != table) continue;
          for (const auto& c : v.cidrs) t.routes.insert(t.routes.begin(), {c, "", model::RouteTargetKind::Local, "local", "active"});
          for (const auto& c : v.ipv6_cidrs) t.routes.push_back({c, "", model::RouteTargetKind::Local, "local", "active"});
        }
      }
    });
  }

  static constexpr const char* kAllowAll =
      R"({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})";

  void map(const Instance& i) {
    using detail::PrincipalKind;
    auto& a = out_.account;
    const std::string& ty = i.type;
    if (ty == "aws_iam_role") {
      model::Role x;
      x.name = name_of(i);
      x.arn = plain(arn_of(i));
      x.path = str({"path"}, "/");
      std::string trust_unknown = R"({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:)" +
                                  partition_ + ":iam::" + account_ + R"(:root"}, "Action": "sts:AssumeRole"}]})";
      if (auto t = policy({"assume_role_policy"}, trust_unknown.c_str())) x.trust = std::move(*t);
      for (auto& arn : strs({"managed_policy_arns"})) x.attached.push_back({arn, detail::arn_last_segment(arn)});
      for (std::size_t n = 0; n < count("inline_policy"); ++n) {
        std::string pn = str({"inline_policy", std::to_string(n), "name"});
        if (pn.empty()) continue;  // the empty block AWS shows for a role without inline policies
        if (auto d = policy({"inline_policy", std::to_string(n), "policy"}, kAllowAll)) x.inline_policies.push_back({pn, *d});
      }
      x.boundary_arn = opt_str({"permissions_boundary"});
      x.loc = loc(i);
      finish(x);
      a.roles.push_back(std::move(x));
    } else if (ty == "aws_iam_user") {
      model::User x;
      x.name = name_of(i);
      x.arn = plain(arn_of(i));
      x.path = str({"path"}, "/");
      x.boundary_arn = opt_str({"permissions_boundary"});
      x.loc = loc(i);
      finish(x);
      a.users.push_back(std::move(x));
    } else if (ty == "aws_iam_group") {
      model::Group x;
      x.name = name_of(i);
      x.arn = plain(arn_of(i));
      x.path = str({"path"}, "/");
      x.loc = loc(i);
      finish(x);
      a.groups.push_back(std::move(x));
    } else if (ty == "aws_iam_policy") {
      model::ManagedPolicy x;
      x.name = name_of(i);
      x.arn = plain(arn_of(i));
      x.path = str({"path"}, "/");
      if (auto d = policy({"policy"}, kAllowAll)) x.document = std::move(*d);
      x.loc = loc(i);
      finish(x);
      a.policies.push_back(std::move(x));
    } else if (ty == "aws_iam_role_policy" || ty == "aws_iam_user_policy" || ty == "aws_iam_group_policy") {
      const char* owner = ty == "aws_iam_role_policy" ? "role" : ty == "aws_iam_user_policy" ? "user" : "group";
      auto kind = ty == "aws_iam_role_policy" ? PrincipalKind::Role
                  : ty == "aws_iam_user_policy" ? PrincipalKind::User : PrincipalKind::Group;
      std::string owner_name = str({owner});
      // `role` may be given as the role's ID/ARN as well as its name.
      if (owner_name.rfind("arn:", 0) == 0) owner_name = detail::arn_last_segment(owner_name);
      auto d = policy({"policy"}, kAllowAll);
      if (d) out_.links.push_back(detail::link_inline_policy(kind, owner_name, {str({"name"}, i.name), *d}));
      note_links(kind, owner_name);
    } else if (ty == "aws_iam_role_policy_attachment" || ty == "aws_iam_user_policy_attachment" ||
               ty == "aws_iam_group_policy_attachment") {
      const char* owner = ty == "aws_iam_role_policy_attachment" ? "role" : ty == "aws_iam_user_policy_attachment" ? "user" : "group";
      auto kind = ty == "aws_iam_role_policy_attachment" ? PrincipalKind::Role
                  : ty == "aws_iam_user_policy_attachment" ? PrincipalKind::User : PrincipalKind::Group;
      std::string owner_name = str({owner});
      if (owner_name.rfind("arn:", 0) == 0) owner_name = detail::arn_last_segment(owner_name);
      out_.links.push_back(detail::link_managed_policy(kind, owner_name, str({"policy_arn"})));
      note_links(kind, owner_name);
    } else if (ty == "aws_iam_user_group_membership") {
      std::string user = str({"user"});
      for (const auto& g : strs({"groups"})) out_.links.push_back(detail::link_membership(user, g));
    } else if (ty == "aws_iam_group_membership") {
      std::string group = str({"group"});
      for (const auto& u : strs({"users"})) out_.links.push_back(detail::link_membership(u, group));
    } else if (ty == "aws_vpc") {
      model::Vpc x;
      x.id = id_of(i);
      x.owner_id = account_;
      x.region = region_;
      if (auto c = opt_str({"cidr_block"})) x.cidrs.push_back(*c);
      if (auto c = opt_str({"ipv6_cidr_block"}); c && !c->empty() && !detail::has_placeholder(*c)) x.ipv6_cidrs.push_back(*c);
      x.loc = loc(i);
      x.from_iac = true;
      finish(x);
      a.vpcs.push_back(std::move(x));
    } else if (ty == "aws_subnet") {
      model::Subnet x;
      x.id = id_of(i);
      x.vpc_id = str({"vpc_id"});
      x.availability_zone = str({"availability_zone"});
      x.owner_id = account_;
      x.region = region_;
      x.arn = "arn:" + partition_ + ":ec2:" + region_ + ":" + account_ + ":subnet/" + x.id;
      x.cidr = str({"cidr_block"});
      if (auto c = opt_str({"ipv6_cidr_block"}); c && !c->empty()) x.ipv6_cidrs.push_back(*c);
      x.loc = loc(i);
      x.from_iac = true;
      finish(x);
      a.subnets.push_back(std::move(x));
    } else if (ty == "aws_route_table" || ty == "aws_default_route_table") {
      model::RouteTable x;
      x.id = id_of(i);
      x.vpc_id = str({"vpc_id"});
      x.owner_id = account_;
      for (std::size_t n = 0; n < count("route"); ++n) x.routes.push_back(route({"route", std::to_string(n)}, true));
      if (ty == "aws_default_route_table") {
        model::RouteTableAssociation m;
        m.main = true;
        x.associations.push_back(m);
      }
      x.loc = loc(i);
      x.from_iac = true;
      finish(x);
      add_local_routes(x.id, x.vpc_id);
      a.route_tables.push_back(std::move(x));
      a.has_route_tables = true;
    } else if (ty == "aws_route") {
      out_.links.push_back(detail::link_route(str({"route_table_id"}), route({}, false)));
    } else if (ty == "aws_route_table_association") {
      if (auto s = opt_str({"subnet_id"}); s && !s->empty())
        out_.links.push_back(detail::link_subnet_route_table(str({"route_table_id"}), *s));
    } else if (ty == "aws_main_route_table_association") {
      out_.links.push_back(detail::link_main_route_table(str({"route_table_id"}), str({"vpc_id"})));
    } else if (ty == "aws_internet_gateway") {
      model::InternetGateway x;
      x.id = id_of(i);
      x.owner_id = account_;
      if (auto v = opt_str({"vpc_id"}); v && !v->empty()) x.vpc_ids.push_back(*v);
      x.loc = loc(i);
      x.from_iac = true;
      a.internet_gateways.push_back(std::move(x));
    } else if (ty == "aws_internet_gateway_attachment") {
      out_.links.push_back(detail::link_gateway_attachment(str({"internet_gateway_id"}), str({"vpc_id"})));
    } else if (ty == "aws_egress_only_internet_gateway") {
      model::EgressOnlyInternetGateway x;
      x.id = id_of(i);
      if (auto v = opt_str({"vpc_id"}); v && !v->empty()) x.vpc_ids.push_back(*v);
      x.loc = loc(i);
      x.from_iac = true;
      a.egress_only_gateways.push_back(std::move(x));
    } else if (ty == "aws_nat_gateway") {
      model::NatGateway x;
      x.id = id_of(i);
      x.subnet_id = str({"subnet_id"});
      x.state = "available";
      x.connectivity_type = str({"connectivity_type"}, "public");
      x.loc = loc(i);
      std::string nat = x.id, subnet = x.subnet_id;
      a.nat_gateways.push_back(std::move(x));
      out_.links.push_back([nat, subnet](model::Account& acc) {
        for (const auto& s : acc.subnets)
          if (s.id == subnet)
            for (auto& n : acc.nat_gateways)
              if (n.id == nat) n.vpc_id = s.vpc_id;
      });
    } else if (ty == "aws_security_group" || ty == "aws_default_security_group") {
      model::SecurityGroup x;
      x.id = id_of(i);
      x.name = ty == "aws_default_security_group" ? "default" : str({"name"}, i.name);
      x.vpc_id = str({"vpc_id"});
      x.owner_id = account_;
      for (std::size_t n = 0; n < count("ingress"); ++n) x.ingress.push_back(sg_block({"ingress", std::to_string(n)}));
      if (any_true(member(*i.after_unknown, "egress"))) {
        // Rules decided at apply time: all egress, the broadest reading.
        assume(i.address + ".egress is known only after apply; all egress is assumed");
        model::SecurityGroupRule all;
        all.ipv4_ranges.push_back("0.0.0.0/0");
        all.ipv6_ranges.push_back("::/0");
        x.egress.push_back(all);
      } else {
        // Terraform removes AWS's default egress rule; only the listed rules remain.
        for (std::size_t n = 0; n < count("egress"); ++n) x.egress.push_back(sg_block({"egress", std::to_string(n)}));
      }
      x.loc = loc(i);
      finish(x);
      a.security_groups.push_back(std::move(x));
      a.has_security_groups = true;
    } else if (ty == "aws_security_group_rule") {
      bool egress = str({"type"}) == "egress";
      out_.links.push_back(detail::link_security_group_rule(str({"security_group_id"}), egress, sg_block({})));
    } else if (ty == "aws_vpc_security_group_egress_rule" || ty == "aws_vpc_security_group_ingress_rule") {
      model::SecurityGroupRule r;
      r.protocol = str({"ip_protocol"}, "-1");
      r.from_port = opt_int({"from_port"});
      r.to_port = opt_int({"to_port"});
      if (auto c = opt_str({"cidr_ipv4"}); c && !c->empty()) r.ipv4_ranges.push_back(*c);
      if (auto c = opt_str({"cidr_ipv6"}); c && !c->empty()) r.ipv6_ranges.push_back(*c);
      if (auto c = opt_str({"prefix_list_id"}); c && !c->empty()) r.prefix_lists.push_back(*c);
      if (auto c = opt_str({"referenced_security_group_id"}); c && !c->empty()) r.groups.push_back(*c);
      out_.links.push_back(detail::link_security_group_rule(str({"security_group_id"}),
                                                            ty == "aws_vpc_security_group_egress_rule", r));
    } else if (ty == "aws_network_acl" || ty == "aws_default_network_acl") {
      model::NetworkAcl x;
      x.id = id_of(i);
      x.vpc_id = str({"vpc_id"});
      x.owner_id = account_;
      x.is_default = ty == "aws_default_network_acl";
      for (const char* dir : {"ingress", "egress"}) {
        for (std::size_t n = 0; n < count(dir); ++n) {
          std::vector<std::string> at{dir, std::to_string(n)};
          auto path = [&](const char* k) {
            auto p = at;
            p.push_back(k);
            return p;
          };
          model::NetworkAclEntry e;
          e.rule_number = opt_int(path("rule_no")).value_or(0);
          e.protocol = str(path("protocol"), "-1");
          e.allow = str(path("action"), "allow") == "allow";
          e.egress = std::string(dir) == "egress";
          e.cidr = str(path("cidr_block"));
          e.ipv6_cidr = str(path("ipv6_cidr_block"));
          e.port_from = opt_int(path("from_port"));
          e.port_to = opt_int(path("to_port"));
          if (e.protocol == "-1" || e.protocol == "all") e.port_from = e.port_to = std::nullopt;
          x.entries.push_back(std::move(e));
        }
      }
      for (bool egress : {false, true}) {
        x.entries.push_back({32767, "-1", false, egress, "0.0.0.0/0", "", std::nullopt, std::nullopt});
        x.entries.push_back({32768, "-1", false, egress, "", "::/0", std::nullopt, std::nullopt});
      }
      x.subnet_ids = strs({"subnet_ids"});
      x.loc = loc(i);
      finish(x);
      std::string acl = x.id;
      auto subnets = x.subnet_ids;
      a.network_acls.push_back(std::move(x));
      a.has_network_acls = true;
      for (const auto& s : subnets) out_.links.push_back(detail::link_subnet_network_acl(acl, s));
    } else if (ty == "aws_network_acl_rule") {
      model::NetworkAclEntry e;
      e.rule_number = opt_int({"rule_number"}).value_or(0);
      e.protocol = str({"protocol"}, "-1");
      e.allow = str({"rule_action"}, "allow") == "allow";
      e.egress = opt_bool({"egress"}).value_or(false);
      e.cidr = str({"cidr_block"});
      e.ipv6_cidr = str({"ipv6_cidr_block"});
      e.port_from = opt_int({"from_port"});
      e.port_to = opt_int({"to_port"});
      if (e.protocol == "-1" || e.protocol == "all") e.port_from = e.port_to = std::nullopt;
      out_.links.push_back(detail::link_network_acl_entry(str({"network_acl_id"}), e));
    } else if (ty == "aws_network_acl_association") {
      out_.links.push_back(detail::link_subnet_network_acl(str({"network_acl_id"}), str({"subnet_id"})));
    } else if (ty == "aws_vpc_endpoint") {
      model::VpcEndpoint x;
      x.id = id_of(i);
      x.vpc_id = str({"vpc_id"});
      x.owner_id = account_;
      x.service_name = str({"service_name"});
      x.region = detail::region_of_service_name(x.service_name);
      x.state = "available";
      x.type = str({"vpc_endpoint_type"}, "Gateway");  // the provider's default
      // Unknown until apply: AWS's default full-access policy is the broadest reading.
      Got g = get({"policy"});
      if (!g.values.empty() && g.known && !g.values[0].empty()) {
        std::string ptr = i.ptr + "/values/policy";
        x.policy = model::parse_policy_string(g.values[0], p_.file(), ptr);
      } else if (!g.known) {
        assume("the endpoint policy is known only after apply; AWS's default full-access policy is assumed");
      }
      x.subnet_ids = strs({"subnet_ids"});
      x.route_table_ids = strs({"route_table_ids"});
      x.security_group_ids = strs({"security_group_ids"});
      x.private_dns = opt_bool({"private_dns_enabled"}).value_or(false);
      x.loc = loc(i);
      finish(x);
      a.vpc_endpoints.push_back(std::move(x));
    } else if (ty == "aws_sagemaker_notebook_instance") {
      model::NotebookInstance x;
      x.name = name_of(i);
      x.arn = plain(arn_of(i));
      x.role_arn = str({"role_arn"});
      x.status = "InService";
      if (auto s = opt_str({"subnet_id"}); s && !s->empty()) x.subnet_id = *s;
      x.security_groups = strs({"security_groups"});
      auto dia = str({"direct_internet_access"}, "Enabled");
      if (dia != "Enabled" && dia != "Disabled") assume("direct_internet_access is unknown; taken as Enabled");
      x.direct_internet_access = dia != "Disabled";
      x.loc = loc(i);
      finish(x);
      a.notebooks.push_back(std::move(x));
    } else if (ty == "aws_sagemaker_model") {
      model::SageMakerModel x;
      x.name = name_of(i);
      x.arn = plain(arn_of(i));
      x.role_arn = str({"execution_role_arn"});
      if (count("vpc_config") > 0) {
        model::VpcConfig c;
        c.subnets = strs({"vpc_config", "0", "subnets"});
        c.security_group_ids = strs({"vpc_config", "0", "security_group_ids"});
        x.vpc_config = std::move(c);
      }
      x.network_isolation = opt_bool({"enable_network_isolation"}).value_or(false);
      x.loc = loc(i);
      finish(x);
      a.models.push_back(std::move(x));
    } else if (ty == "aws_sagemaker_domain") {
      model::Domain x;
      x.name = name_of(i);
      x.arn = plain(arn_of(i));
      x.id = id_of(i);
      x.app_network_access_type = str({"app_network_access_type"}, "PublicInternetOnly");
      x.vpc_id = str({"vpc_id"});
      x.subnet_ids = strs({"subnet_ids"});
      if (count("default_user_settings") > 0) x.security_groups = strs({"default_user_settings", "0", "security_groups"});
      x.loc = loc(i);
      finish(x);
      a.domains.push_back(std::move(x));
    }
  }

  // Assumptions of a resource that only links (an attachment or inline policy) belong to the
  // principal it links to.
  void note_links(detail::PrincipalKind kind, const std::string& name) {
    if (!assumed_.empty()) out_.links.push_back(detail::link_principal_notes(kind, name, assumed_));
  }

  const Plan& p_;
  std::string account_, region_, partition_;
  IacResult out_;
  std::vector<std::string> assumed_;
  const Instance* cur_ = nullptr;
  std::map<std::string, std::string> main_tables_;  // vpc id -> its main route table's id
  std::map<std::string, std::string> vpc_address_;
};

IacResult Plan::build(const IacContext& context) const { return Builder(*this, context).run(); }

}  // namespace

std::shared_ptr<const IacDocument> read_terraform_plan(const std::string& text, const std::string& display_path) {
  Json root = model::parse_json_text(text, display_path);
  auto plan = std::make_shared<Plan>(std::move(root), display_path);
  plan->finish_index();
  return plan;
}

}  // namespace vpcgate::loader
