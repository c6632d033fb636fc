// CloudFormation templates (JSON or YAML) -> the model. Short-form intrinsics (`!Ref`, `!Sub`,
// ...) are rewritten to their long form while reading, so one resolver serves both syntaxes.
// Every value keeps the line and column it came from, for subjects' locations and for errors.
// Resource types and properties: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <map>
#include <set>

#include <yaml-cpp/yaml.h>

#include "analyzer/loader/iac.hpp"
#include "analyzer/loader/json_node.hpp"
#include "analyzer/loader/readers.hpp"
#include "model/input_error.hpp"

namespace vpcgate::loader {
namespace {

using Json = nlohmann::json;
using detail::placeholder;
using detail::plain;

struct Mark {
  int line = 0, column = 0;  // 1-based
};
// JSON pointer of a value -> where it is written (for a member: its key).
using Marks = std::map<std::string, Mark>;

// ---------------------------------------------------------------- YAML -> long-form JSON

Json yaml_scalar(const YAML::Node& node) {
  const std::string& s = node.Scalar();
  if (node.Tag() == "?") {  // plain scalar: YAML 1.2 core schema
    if (s == "null" || s == "Null" || s == "NULL" || s == "~" || s.empty()) return nullptr;
    if (s == "true" || s == "True" || s == "TRUE") return true;
    if (s == "false" || s == "False" || s == "FALSE") return false;
    auto number = Json::parse(s, nullptr, /*allow_exceptions=*/false);
    if (number.is_number()) return number;
  }
  return s;
}

void from_yaml(const YAML::Node& node, const std::string& ptr, Json& out, Marks& marks, const std::string& file);

Json from_yaml_untagged(const YAML::Node& node, const std::string& ptr, Marks& marks, const std::string& file) {
  Json out;
  switch (node.Type()) {
    case YAML::NodeType::Map:
      out = Json::object();
      for (const auto& kv : node) {
        if (!kv.first.IsScalar()) {
          throw model::InputError(file,
                                  "line " + std::to_string(kv.first.Mark().line + 1) + ", column " +
                                      std::to_string(kv.first.Mark().column + 1),
                                  "unsupported YAML: a mapping key that is not a scalar");
        }
        std::string key = kv.first.Scalar();
        std::string child = ptr + "/" + detail::pointer_escape(key);
        marks[child] = {kv.first.Mark().line + 1, kv.first.Mark().column + 1};
        Json value;
        from_yaml(kv.second, child, value, marks, file);
        out[key] = std::move(value);
      }
      return out;
    case YAML::NodeType::Sequence: {
      out = Json::array();
      std::size_t i = 0;
      for (const auto& item : node) {
        std::string child = ptr + "/" + std::to_string(i++);
        marks[child] = {item.Mark().line + 1, item.Mark().column + 1};
        Json value;
        from_yaml(item, child, value, marks, file);
        out.push_back(std::move(value));
      }
      return out;
    }
    case YAML::NodeType::Scalar:
      return yaml_scalar(node);
    default:
      return nullptr;
  }
}

// "!Ref X" -> {"Ref": "X"}, "!GetAtt A.B" -> {"Fn::GetAtt": ["A", "B"]}, "!Sub s" -> {"Fn::Sub": s}.
void from_yaml(const YAML::Node& node, const std::string& ptr, Json& out, Marks& marks, const std::string& file) {
  const std::string& tag = node.Tag();
  if (tag.size() > 1 && tag[0] == '!' && tag != "!") {
    std::string name = tag.substr(1);
    std::string key = name == "Ref" || name == "Condition" ? name : "Fn::" + name;
    std::string inner = ptr + "/" + detail::pointer_escape(key);
    marks[inner] = {node.Mark().line + 1, node.Mark().column + 1};
    Json value;
    if (node.IsScalar()) {
      value = node.Scalar();  // intrinsic arguments are strings as written
      if (name == "GetAtt") {
        const std::string& s = node.Scalar();
        auto dot = s.find('.');
        value = dot == std::string::npos ? Json::array({s}) : Json::array({s.substr(0, dot), s.substr(dot + 1)});
      }
    } else {
      value = from_yaml_untagged(node, inner, marks, file);
    }
    out = Json::object();
    out[key] = std::move(value);
    return;
  }
  out = from_yaml_untagged(node, ptr, marks, file);
}

// ---------------------------------------------------------------- JSON positions

// Records the position of every member key and array item of a JSON text that is known to be
// valid (simdjson accepted it).
class JsonMarker {
 public:
  JsonMarker(const std::string& text, Marks& marks) : t_(text), marks_(marks) {}
  void run() {
    ws();
    value("");
  }

 private:
  Mark here() const { return {line_, static_cast<int>(i_ - line_start_) + 1}; }
  void advance() {
    if (t_[i_] == '\n') {
      ++line_;
      line_start_ = i_ + 1;
    }
    ++i_;
  }
  void ws() {
    while (i_ < t_.size() && (t_[i_] == ' ' || t_[i_] == '\t' || t_[i_] == '\n' || t_[i_] == '\r')) advance();
  }
  std::string string_token() {
    std::size_t start = i_;
    advance();  // "
    while (i_ < t_.size() && t_[i_] != '"') {
      if (t_[i_] == '\\') advance();
      advance();
    }
    advance();  // "
    auto decoded = Json::parse(t_.substr(start, i_ - start), nullptr, false);
    return decoded.is_string() ? decoded.get<std::string>() : std::string();
  }
  void value(const std::string& ptr) {
    if (i_ >= t_.size()) return;
    char c = t_[i_];
    if (c == '{') {
      advance();
      ws();
      while (i_ < t_.size() && t_[i_] != '}') {
        Mark m = here();
        std::string key = string_token();
        std::string child = ptr + "/" + detail::pointer_escape(key);
        marks_.emplace(child, m);
        ws();
        advance();  // :
        ws();
        value(child);
        ws();
        if (i_ < t_.size() && t_[i_] == ',') {
          advance();
          ws();
        }
      }
      advance();
    } else if (c == '[') {
      advance();
      ws();
      std::size_t n = 0;
      while (i_ < t_.size() && t_[i_] != ']') {
        std::string child = ptr + "/" + std::to_string(n++);
        marks_.emplace(child, here());
        value(child);
        ws();
        if (i_ < t_.size() && t_[i_] == ',') {
          advance();
          ws();
        }
      }
      advance();
    } else if (c == '"') {
      (void)string_token();
    } else {
      while (i_ < t_.size() && t_[i_] != ',' && t_[i_] != '}' && t_[i_] != ']' && t_[i_] != ' ' &&
             t_[i_] != '\n' && t_[i_] != '\r' && t_[i_] != '\t')
        advance();
    }
  }

  const std::string& t_;
  Marks& marks_;
  std::size_t i_ = 0;
  int line_ = 1;
  std::size_t line_start_ = 0;
};

// ---------------------------------------------------------------- the template

struct Resource {
  std::string logical, type;
  const Json* properties = nullptr;  // nullptr: none
  std::string ptr;                   // "/Resources/<logical>"
  int line = 0;
};

class Template final : public IacDocument {
 public:
  Template(Json root, Marks marks, std::string file) : root_(std::move(root)), marks_(std::move(marks)), file_(std::move(file)) {
    validate();
  }

  IacResult build(const IacContext& context) const override;

  const Json& root() const { return root_; }
  const std::string& file() const { return file_; }
  const std::map<std::string, Resource>& resources() const { return resources_; }

  // "line L, column C" of the pointer or of its nearest marked ancestor.
  std::string where(const std::string& ptr) const {
    std::string p = ptr;
    while (true) {
      auto it = marks_.find(p);
      if (it != marks_.end())
        return "line " + std::to_string(it->second.line) + ", column " + std::to_string(it->second.column);
      auto slash = p.rfind('/');
      if (slash == std::string::npos || p.empty()) return "";
      p = p.substr(0, slash);
    }
  }
  int line(const std::string& ptr) const {
    auto it = marks_.find(ptr);
    return it == marks_.end() ? 0 : it->second.line;
  }
  [[noreturn]] void fail(const std::string& ptr, const std::string& message) const {
    throw model::InputError(file_, where(ptr), message);
  }

 private:
  void validate() {
    if (!root_.is_object()) fail("", "a template must be a mapping");
    auto res = root_.find("Resources");
    if (res == root_.end()) fail("", "a template needs a Resources section");
    if (!res->is_object()) fail("/Resources", "Resources must be a mapping of logical IDs to resources");
    for (auto it = res->begin(); it != res->end(); ++it) {
      std::string ptr = "/Resources/" + detail::pointer_escape(it.key());
      if (!it->is_object()) fail(ptr, "resource " + it.key() + " must be a mapping");
      auto type = it->find("Type");
      if (type == it->end()) fail(ptr, "resource " + it.key() + " has no Type");
      if (!type->is_string()) fail(ptr + "/Type", "Type must be a string");
      Resource r{it.key(), type->get<std::string>(), nullptr, ptr, line(ptr)};
      if (auto p = it->find("Properties"); p != it->end() && !p->is_null()) {
        if (!p->is_object()) fail(ptr + "/Properties", "Properties must be a mapping");
        r.properties = &*p;
      }
      resources_.emplace(it.key(), std::move(r));
    }
    for (const char* section : {"Parameters", "Mappings", "Conditions"}) {
      auto s = root_.find(section);
      if (s != root_.end() && !s->is_object()) fail(std::string("/") + section, std::string(section) + " must be a mapping");
    }
  }

  Json root_;
  Marks marks_;
  std::string file_;
  std::map<std::string, Resource> resources_;
};

// ---------------------------------------------------------------- resolution

// A value, or nothing (AWS::NoValue).
using Value = std::optional<Json>;

class Resolver {
 public:
  Resolver(const Template& t, const IacContext& c) : t_(t) {
    account_ = c.account.empty() ? placeholder("AWS::AccountId") : c.account;
    region_ = c.region.empty() ? placeholder("AWS::Region") : c.region;
    partition_ = c.region.empty() ? "aws" : detail::partition_of(c.region);
  }

  const std::string& account() const { return account_; }
  const std::string& region() const { return region_; }
  const std::string& partition() const { return partition_; }

  // Assumptions made while resolving go here (the current resource's).
  void collect_into(std::vector<std::string>* sink) { sink_ = sink; }
  void assume(const std::string& text) {
    if (sink_ && std::find(sink_->begin(), sink_->end(), text) == sink_->end()) sink_->push_back(text);
  }

  Value resolve(const Json& v, const std::string& ptr) {
    if (v.is_array()) {
      Json out = Json::array();
      for (std::size_t i = 0; i < v.size(); ++i) {
        Value x = resolve(v[i], ptr + "/" + std::to_string(i));
        if (x) out.push_back(std::move(*x));
      }
      return out;
    }
    if (!v.is_object()) return v;
    if (v.size() == 1) {
      const std::string& key = v.begin().key();
      const Json& arg = v.begin().value();
      const std::string p = ptr + "/" + detail::pointer_escape(key);
      if (key == "Ref") return ref(string_arg(arg, p, "Ref"), p);
      if (key.rfind("Fn::", 0) == 0) return intrinsic(key.substr(4), arg, p);
      if (key == "Condition" && arg.is_string() && in_conditions_) return condition(arg.get<std::string>(), p);
    }
    Json out = Json::object();
    for (auto it = v.begin(); it != v.end(); ++it) {
      Value x = resolve(it.value(), ptr + "/" + detail::pointer_escape(it.key()));
      if (x) out[it.key()] = std::move(*x);
    }
    return out;
  }

  // The value `Ref` gives for a resource of the template.
  Json resource_ref(const std::string& logical, const std::string& ptr) {
    const Resource& r = t_.resources().at(logical);
    const std::string& ty = r.type;
    if (ty == "AWS::IAM::Role" || ty == "AWS::IAM::User" || ty == "AWS::IAM::Group") return name_of(r, ptr);
    if (ty == "AWS::IAM::ManagedPolicy" || ty == "AWS::SageMaker::NotebookInstance" || ty == "AWS::SageMaker::Model")
      return arn_of(r, ptr);
    return logical;
  }

  // The name a resource gets: its name property, else its logical ID.
  std::string name_of(const Resource& r, const std::string& from_ptr) {
    static const std::map<std::string, std::string> props = {
        {"AWS::IAM::Role", "RoleName"},
        {"AWS::IAM::User", "UserName"},
        {"AWS::IAM::Group", "GroupName"},
        {"AWS::IAM::ManagedPolicy", "ManagedPolicyName"},
        {"AWS::IAM::Policy", "PolicyName"},
        {"AWS::SageMaker::NotebookInstance", "NotebookInstanceName"},
        {"AWS::SageMaker::Model", "ModelName"},
        {"AWS::SageMaker::Domain", "DomainName"},
        {"AWS::EC2::SecurityGroup", "GroupName"},
    };
    auto it = props.find(r.type);
    if (it == props.end() || !r.properties || !r.properties->contains(it->second)) return r.logical;
    if (std::find(naming_.begin(), naming_.end(), r.logical) != naming_.end()) {
      std::string chain;
      for (const auto& n : naming_) chain += n + " -> ";
      t_.fail(from_ptr, "circular reference: " + chain + r.logical);
    }
    naming_.push_back(r.logical);
    std::string p = r.ptr + "/Properties/" + it->second;
    Value v = resolve((*r.properties)[it->second], p);
    naming_.pop_back();
    if (!v || !v->is_string()) {
      if (!v || v->is_null()) return r.logical;
      t_.fail(p, it->second + " must be a string");
    }
    return v->get<std::string>();
  }

  std::string path_of(const Resource& r) {
    if (!r.properties || !r.properties->contains("Path")) return "/";
    Value v = resolve((*r.properties)["Path"], r.ptr + "/Properties/Path");
    return v && v->is_string() ? v->get<std::string>() : "/";
  }

  std::string arn_of(const Resource& r, const std::string& ptr) {
    const std::string& ty = r.type;
    if (ty == "AWS::IAM::Role") return "arn:" + partition_ + ":iam::" + account_ + ":role" + path_of(r) + name_of(r, ptr);
    if (ty == "AWS::IAM::User") return "arn:" + partition_ + ":iam::" + account_ + ":user" + path_of(r) + name_of(r, ptr);
    if (ty == "AWS::IAM::Group")
      return "arn:" + partition_ + ":iam::" + account_ + ":group" + path_of(r) + name_of(r, ptr);
    if (ty == "AWS::IAM::ManagedPolicy")
      return "arn:" + partition_ + ":iam::" + account_ + ":policy" + path_of(r) + name_of(r, ptr);
    if (ty == "AWS::SageMaker::NotebookInstance") return sagemaker_arn("notebook-instance", name_of(r, ptr));
    if (ty == "AWS::SageMaker::Model") return sagemaker_arn("model", name_of(r, ptr));
    if (ty == "AWS::SageMaker::Domain") return sagemaker_arn("domain", name_of(r, ptr));
    return placeholder(r.logical + ".Arn");
  }

  std::string sagemaker_arn(const std::string& kind, const std::string& name) const {
    return "arn:" + partition_ + ":sagemaker:" + region_ + ":" + account_ + ":" + kind + "/" + name;
  }

  bool condition(const std::string& name, const std::string& ptr) {
    auto cached = conditions_.find(name);
    if (cached != conditions_.end()) return cached->second;
    const Json& all = t_.root().contains("Conditions") ? t_.root()["Conditions"] : Json::object();
    if (!all.contains(name)) t_.fail(ptr, "condition " + name + " is not defined in Conditions");
    if (std::find(evaluating_.begin(), evaluating_.end(), name) != evaluating_.end())
      t_.fail(ptr, "circular condition: " + name);
    evaluating_.push_back(name);
    bool saved = in_conditions_;
    in_conditions_ = true;
    std::string p = "/Conditions/" + detail::pointer_escape(name);
    Value v = resolve(all[name], p);
    in_conditions_ = saved;
    evaluating_.pop_back();
    bool result = truthy(v, p, name);
    conditions_[name] = result;
    return result;
  }

 private:
  bool truthy(const Value& v, const std::string& ptr, const std::string& what) {
    if (v && v->is_boolean()) return v->get<bool>();
    if (v && v->is_string()) {
      auto s = v->get<std::string>();
      if (s == "true" || s == "True") return true;
      if (s == "false" || s == "False") return false;
      if (detail::has_placeholder(s)) {
        assume("condition " + what + " depends on unresolved " + plain(s) + "; taken as false");
        return false;
      }
    }
    t_.fail(ptr, "condition " + what + " is not a boolean");
  }

  std::string string_arg(const Json& arg, const std::string& ptr, const std::string& fn) {
    Value v = resolve(arg, ptr);
    if (!v || !v->is_string()) t_.fail(ptr, fn + " needs a string");
    return v->get<std::string>();
  }

  static std::string to_text(const Json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

  Value parameter(const std::string& name, const std::string& ptr) {
    const Json& p = t_.root()["Parameters"][name];
    std::string type = p.is_object() && p.contains("Type") && p["Type"].is_string() ? p["Type"].get<std::string>() : "String";
    bool list = type.rfind("List<", 0) == 0 || type == "CommaDelimitedList";
    if (!p.is_object() || !p.contains("Default")) {
      assume("parameter " + name + " has no Default; its value is unknown (${" + name + "})");
      return list ? Json::array({placeholder(name)}) : Json(placeholder(name));
    }
    Value d = resolve(p["Default"], "/Parameters/" + detail::pointer_escape(name) + "/Default");
    (void)ptr;
    if (!d) return d;
    if (list && d->is_string()) {
      Json out = Json::array();
      std::string s = d->get<std::string>();
      std::size_t start = 0;
      while (true) {
        auto comma = s.find(',', start);
        std::string item = s.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        auto b = item.find_first_not_of(' ');
        auto e = item.find_last_not_of(' ');
        out.push_back(b == std::string::npos ? std::string() : item.substr(b, e - b + 1));
        if (comma == std::string::npos) break;
        start = comma + 1;
      }
      return out;
    }
    if (d->is_number() || d->is_boolean()) return Json(d->dump());
    return d;
  }

  Value ref(const std::string& name, const std::string& ptr) {
    if (name == "AWS::NoValue") return std::nullopt;
    if (name == "AWS::AccountId") return Json(account_);
    if (name == "AWS::Region") return Json(region_);
    if (name == "AWS::Partition") return Json(partition_);
    if (name == "AWS::URLSuffix") return Json(partition_ == "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com");
    if (name == "AWS::NotificationARNs") return Json::array();
    if (name.rfind("AWS::", 0) == 0) return Json(placeholder(name));
    const Json& params = t_.root().contains("Parameters") ? t_.root()["Parameters"] : Json::object();
    if (params.contains(name)) return parameter(name, ptr);
    if (t_.resources().count(name)) return resource_ref(name, ptr);
    t_.fail(ptr, "unresolved reference " + name + " (not a parameter, resource or pseudo parameter)");
  }

  Json get_att(const std::string& logical, const std::string& attr, const std::string& ptr) {
    auto it = t_.resources().find(logical);
    if (it == t_.resources().end()) t_.fail(ptr, "GetAtt of " + logical + ", which is not a resource of the template");
    const Resource& r = it->second;
    const std::string& ty = r.type;
    auto prop = [&](const char* key) -> Json {
      if (!r.properties || !r.properties->contains(key)) return placeholder(logical + "." + attr);
      Value v = resolve((*r.properties)[key], r.ptr + "/Properties/" + key);
      return v ? *v : Json(placeholder(logical + "." + attr));
    };
    if (attr == "Arn" || attr == "PolicyArn" || attr == "DomainArn" || attr == "NotebookInstanceArn" ||
        attr == "ModelArn") {
      if (ty.rfind("AWS::IAM::", 0) == 0 || ty.rfind("AWS::SageMaker::", 0) == 0) return arn_of(r, ptr);
    }
    if (ty == "AWS::EC2::VPC") {
      if (attr == "VpcId") return logical;
      if (attr == "CidrBlock") return prop("CidrBlock");
      if (attr == "DefaultSecurityGroup") return logical + ".DefaultSecurityGroup";
      if (attr == "DefaultNetworkAcl") return logical + ".DefaultNetworkAcl";
    }
    if (ty == "AWS::EC2::Subnet") {
      if (attr == "SubnetId") return logical;
      if (attr == "VpcId") return prop("VpcId");
      if (attr == "AvailabilityZone") return prop("AvailabilityZone");
      if (attr == "CidrBlock") return prop("CidrBlock");
    }
    if (ty == "AWS::EC2::SecurityGroup") {
      if (attr == "GroupId") return logical;
      if (attr == "VpcId") return prop("VpcId");
    }
    if (ty == "AWS::EC2::VPCEndpoint" && attr == "Id") return logical;
    if (ty == "AWS::EC2::NetworkAcl" && attr == "Id") return logical;
    if (ty == "AWS::EC2::RouteTable" && attr == "RouteTableId") return logical;
    if (ty == "AWS::EC2::InternetGateway" && attr == "InternetGatewayId") return logical;
    if (ty == "AWS::EC2::EgressOnlyInternetGateway" && attr == "Id") return logical;
    if (ty == "AWS::SageMaker::Domain" && attr == "DomainId") return logical;
    if ((ty == "AWS::SageMaker::NotebookInstance" && attr == "NotebookInstanceName") ||
        (ty == "AWS::SageMaker::Model" && attr == "ModelName"))
      return name_of(r, ptr);
    assume("attribute " + logical + "." + attr + " is known only after the stack is created (${" + logical + "." + attr +
           "})");
    return placeholder(logical + "." + attr);
  }

  std::string sub(const std::string& text, const Json& vars, const std::string& ptr) {
    std::string out;
    std::size_t i = 0;
    while (i < text.size()) {
      if (text[i] != '$' || i + 1 >= text.size() || text[i + 1] != '{') {
        out += text[i++];
        continue;
      }
      auto close = text.find('}', i + 2);
      if (close == std::string::npos) {
        out += text.substr(i);
        break;
      }
      std::string name = text.substr(i + 2, close - i - 2);
      i = close + 1;
      if (!name.empty() && name[0] == '!') {  // ${!Literal} -> ${Literal}
        out += "${" + name.substr(1) + "}";
        continue;
      }
      auto b = name.find_first_not_of(' ');
      auto e = name.find_last_not_of(' ');
      name = b == std::string::npos ? "" : name.substr(b, e - b + 1);
      if (vars.is_object() && vars.contains(name)) {
        out += to_text(vars[name]);
        continue;
      }
      auto dot = name.find('.');
      if (dot != std::string::npos && name.rfind("AWS::", 0) != 0) {
        out += to_text(get_att(name.substr(0, dot), name.substr(dot + 1), ptr));
        continue;
      }
      Value v = ref(name, ptr);
      if (!v) continue;
      if (v->is_array()) t_.fail(ptr, "Fn::Sub: ${" + name + "} is a list");
      out += to_text(*v);
    }
    return out;
  }

  // Fn::Cidr for IPv4: `count` subnets of `bits` host bits each, from the block's start.
  static std::optional<Json> ipv4_cidrs(const std::string& block, long count, long bits) {
    unsigned a = 0, b = 0, c = 0, d = 0, prefix = 0;
    char tail = 0;
    if (std::sscanf(block.c_str(), "%u.%u.%u.%u/%u%c", &a, &b, &c, &d, &prefix, &tail) != 5) return std::nullopt;
    if (a > 255 || b > 255 || c > 255 || d > 255 || prefix > 32 || count < 1 || count > 256 || bits < 0 ||
        bits > 32 - static_cast<long>(prefix))
      return std::nullopt;
    std::uint64_t base = (std::uint64_t{a} << 24) | (b << 16) | (c << 8) | d;
    Json out = Json::array();
    for (long i = 0; i < count; ++i) {
      std::uint64_t net = base + (static_cast<std::uint64_t>(i) << bits);
      if (net > 0xFFFFFFFFull) break;
      out.push_back(std::to_string((net >> 24) & 255) + "." + std::to_string((net >> 16) & 255) + "." +
                    std::to_string((net >> 8) & 255) + "." + std::to_string(net & 255) + "/" +
                    std::to_string(32 - bits));
    }
    return out;
  }

  Json list_arg(const Json& arg, const std::string& ptr, const std::string& fn) {
    Value v = resolve(arg, ptr);
    // An unknown list (a placeholder) stays unknown: one unknown element.
    if (v && v->is_string() && detail::has_placeholder(v->get<std::string>())) return Json::array({*v});
    if (!v || !v->is_array()) t_.fail(ptr, fn + " needs a list");
    return *v;
  }

  Value intrinsic(const std::string& fn, const Json& arg, const std::string& ptr) {
    if (fn == "GetAtt") {
      std::string logical, attr;
      if (arg.is_string()) {
        auto s = arg.get<std::string>();
        auto dot = s.find('.');
        if (dot == std::string::npos) t_.fail(ptr, "Fn::GetAtt needs Resource.Attribute");
        logical = s.substr(0, dot);
        attr = s.substr(dot + 1);
      } else if (arg.is_array() && arg.size() == 2 && arg[0].is_string()) {
        logical = arg[0].get<std::string>();
        attr = string_arg(arg[1], ptr + "/1", "Fn::GetAtt");
      } else {
        t_.fail(ptr, "Fn::GetAtt needs [Resource, Attribute]");
      }
      return get_att(logical, attr, ptr);
    }
    if (fn == "Sub") {
      if (arg.is_string()) return Json(sub(arg.get<std::string>(), Json::object(), ptr));
      if (arg.is_array() && arg.size() == 2 && arg[0].is_string()) {
        Value vars = resolve(arg[1], ptr + "/1");
        return Json(sub(arg[0].get<std::string>(), vars ? *vars : Json::object(), ptr));
      }
      t_.fail(ptr, "Fn::Sub needs a string or [string, variables]");
    }
    if (fn == "Join") {
      if (!arg.is_array() || arg.size() != 2) t_.fail(ptr, "Fn::Join needs [delimiter, list]");
      std::string delim = string_arg(arg[0], ptr + "/0", "Fn::Join");
      Json items = list_arg(arg[1], ptr + "/1", "Fn::Join");
      std::string out;
      for (std::size_t i = 0; i < items.size(); ++i) out += (i ? delim : "") + to_text(items[i]);
      return Json(out);
    }
    if (fn == "Select") {
      if (!arg.is_array() || arg.size() != 2) t_.fail(ptr, "Fn::Select needs [index, list]");
      Value index = resolve(arg[0], ptr + "/0");
      Json items = list_arg(arg[1], ptr + "/1", "Fn::Select");
      long long i = -1;
      if (index && index->is_number_integer()) i = index->get<long long>();
      if (index && index->is_string()) i = std::atoll(index->get<std::string>().c_str());
      if (i < 0 || static_cast<std::size_t>(i) >= items.size()) {
        if (items.size() == 1 && items[0].is_string() && detail::has_placeholder(items[0].get<std::string>()))
          return items[0];  // an unknown list: an unknown element
        t_.fail(ptr, "Fn::Select: index out of range");
      }
      return items[static_cast<std::size_t>(i)];
    }
    if (fn == "Split") {
      if (!arg.is_array() || arg.size() != 2) t_.fail(ptr, "Fn::Split needs [delimiter, string]");
      std::string delim = string_arg(arg[0], ptr + "/0", "Fn::Split");
      std::string s = string_arg(arg[1], ptr + "/1", "Fn::Split");
      Json out = Json::array();
      if (delim.empty()) return Json::array({s});
      std::size_t start = 0;
      while (true) {
        auto at = s.find(delim, start);
        out.push_back(s.substr(start, at == std::string::npos ? std::string::npos : at - start));
        if (at == std::string::npos) break;
        start = at + delim.size();
      }
      return out;
    }
    if (fn == "If") {
      if (!arg.is_array() || arg.size() != 3 || !arg[0].is_string()) t_.fail(ptr, "Fn::If needs [condition, then, else]");
      bool c = condition(arg[0].get<std::string>(), ptr + "/0");
      return c ? resolve(arg[1], ptr + "/1") : resolve(arg[2], ptr + "/2");
    }
    if (fn == "Equals") {
      if (!arg.is_array() || arg.size() != 2) t_.fail(ptr, "Fn::Equals needs two values");
      Value a = resolve(arg[0], ptr + "/0");
      Value b = resolve(arg[1], ptr + "/1");
      std::string x = a ? to_text(*a) : "", y = b ? to_text(*b) : "";
      if (detail::has_placeholder(x) || detail::has_placeholder(y)) {
        return Json(placeholder("Fn::Equals(" + plain(x) + ", " + plain(y) + ")"));
      }
      return Json(x == y);
    }
    if (fn == "And" || fn == "Or") {
      if (!arg.is_array()) t_.fail(ptr, "Fn::" + fn + " needs a list of conditions");
      bool result = fn == "And";
      for (std::size_t i = 0; i < arg.size(); ++i) {
        bool c = truthy(resolve(arg[i], ptr + "/" + std::to_string(i)), ptr, "Fn::" + fn);
        result = fn == "And" ? result && c : result || c;
      }
      return Json(result);
    }
    if (fn == "Not") {
      if (!arg.is_array() || arg.size() != 1) t_.fail(ptr, "Fn::Not needs one condition");
      return Json(!truthy(resolve(arg[0], ptr + "/0"), ptr, "Fn::Not"));
    }
    if (fn == "FindInMap") {
      if (!arg.is_array() || arg.size() < 3) t_.fail(ptr, "Fn::FindInMap needs [map, key, key]");
      std::string m = string_arg(arg[0], ptr + "/0", "Fn::FindInMap");
      std::string k1 = string_arg(arg[1], ptr + "/1", "Fn::FindInMap");
      std::string k2 = string_arg(arg[2], ptr + "/2", "Fn::FindInMap");
      const Json& maps = t_.root().contains("Mappings") ? t_.root()["Mappings"] : Json::object();
      if (maps.contains(m) && maps[m].is_object() && maps[m].contains(k1) && maps[m][k1].is_object() &&
          maps[m][k1].contains(k2))
        return resolve(maps[m][k1][k2], "/Mappings/" + detail::pointer_escape(m) + "/" + detail::pointer_escape(k1) +
                                            "/" + detail::pointer_escape(k2));
      if (detail::has_placeholder(k1) || detail::has_placeholder(k2)) {
        assume("Fn::FindInMap " + m + " with unresolved key " + plain(k1 + "/" + k2) + " is unknown");
        return Json(placeholder("FindInMap:" + m));
      }
      if (arg.size() == 4 && arg[3].is_object() && arg[3].contains("DefaultValue"))
        return resolve(arg[3]["DefaultValue"], ptr + "/3/DefaultValue");
      t_.fail(ptr, "Fn::FindInMap: no " + m + "/" + k1 + "/" + k2 + " in Mappings");
    }
    if (fn == "GetAZs") {
      return Json::array({region_ + "a", region_ + "b", region_ + "c"});
    }
    if (fn == "Cidr") {
      if (!arg.is_array() || arg.size() != 3) t_.fail(ptr, "Fn::Cidr needs [ipBlock, count, cidrBits]");
      std::string block = string_arg(arg[0], ptr + "/0", "Fn::Cidr");
      Value count = resolve(arg[1], ptr + "/1");
      Value bits = resolve(arg[2], ptr + "/2");
      auto number = [](const Value& v) -> long {
        if (v && v->is_number_integer()) return v->get<long>();
        if (v && v->is_string()) return std::atol(v->get<std::string>().c_str());
        return -1;
      };
      if (auto cidrs = ipv4_cidrs(block, number(count), number(bits))) return *cidrs;
      assume("Fn::Cidr of " + plain(block) + " is not computed; its value is unknown");
      return Json(placeholder("Fn::Cidr"));
    }
    if (fn == "Base64") return resolve(arg, ptr);
    if (fn == "ToJsonString") {
      Value v = resolve(arg, ptr);
      return Json(v ? v->dump() : "null");
    }
    if (fn == "Length") {
      Json items = list_arg(arg, ptr, "Fn::Length");
      return Json(items.size());
    }
    if (fn == "ImportValue") {
      Value v = resolve(arg, ptr);
      std::string name = v && v->is_string() ? plain(v->get<std::string>()) : "?";
      assume("Fn::ImportValue " + name + " comes from another stack and is unknown");
      return Json(placeholder("ImportValue:" + name));
    }
    // Fn::Cidr, Fn::Transform, ...: a value we do not compute.
    assume("Fn::" + fn + " is not evaluated; its value is unknown");
    return Json(placeholder("Fn::" + fn));
  }

  const Template& t_;
  std::string account_, region_, partition_;
  std::vector<std::string>* sink_ = nullptr;
  std::vector<std::string> naming_;
  std::vector<std::string> evaluating_;
  std::map<std::string, bool> conditions_;
  bool in_conditions_ = false;
};

// ---------------------------------------------------------------- building the model

class Builder {
 public:
  Builder(const Template& t, const IacContext& c) : t_(t), r_(t, c) {}

  IacResult run() {
    for (const auto& [logical, res] : t_.resources()) {
      assumed_.clear();
      r_.collect_into(&assumed_);
      if (!included(res)) continue;
      Json props = Json::object();
      if (res.properties) {
        Value v = r_.resolve(*res.properties, res.ptr + "/Properties");
        if (v && v->is_object()) props = std::move(*v);
      }
      map(res, props);
    }
    r_.collect_into(nullptr);
    return std::move(out_);
  }

 private:
  bool included(const Resource& res) {
    const Json& def = t_.root()["Resources"][res.logical];
    if (!def.contains("Condition")) return true;
    if (!def["Condition"].is_string()) t_.fail(res.ptr + "/Condition", "Condition must be a string");
    return r_.condition(def["Condition"].get<std::string>(), res.ptr + "/Condition");
  }

  model::SourceLoc loc(const Resource& res) const { return model::SourceLoc{t_.file(), "", res.line}; }

  std::string str(const Json& props, const char* key, const std::string& fallback = "") {
    if (!props.contains(key) || props[key].is_null()) return fallback;
    const Json& v = props[key];
    std::string s = v.is_string() ? v.get<std::string>() : v.dump();
    note(s);
    return plain(s);
  }
  std::optional<std::string> opt_str(const Json& props, const char* key) {
    if (!props.contains(key) || props[key].is_null()) return std::nullopt;
    return str(props, key);
  }
  std::vector<std::string> strs(const Json& props, const char* key) {
    std::vector<std::string> out;
    if (!props.contains(key)) return out;
    const Json& v = props[key];
    if (v.is_array()) {
      for (const auto& x : v) {
        std::string s = x.is_string() ? x.get<std::string>() : x.dump();
        note(s);
        out.push_back(plain(s));
      }
    } else if (v.is_string()) {
      note(v.get<std::string>());
      out.push_back(plain(v.get<std::string>()));
    }
    return out;
  }
  std::optional<bool> opt_bool(const Json& props, const char* key) {
    if (!props.contains(key)) return std::nullopt;
    const Json& v = props[key];
    if (v.is_boolean()) return v.get<bool>();
    if (v.is_string()) {
      auto s = v.get<std::string>();
      if (s == "true" || s == "True") return true;
      if (s == "false" || s == "False") return false;
    }
    return std::nullopt;
  }
  std::optional<int> opt_int(const Json& props, const char* key) {
    if (!props.contains(key)) return std::nullopt;
    const Json& v = props[key];
    if (v.is_number_integer()) return v.get<int>();
    if (v.is_string()) {
      auto s = v.get<std::string>();
      char* end = nullptr;
      long n = std::strtol(s.c_str(), &end, 10);
      if (!s.empty() && end == s.c_str() + s.size()) return static_cast<int>(n);
    }
    return std::nullopt;
  }
  // An unresolved value used as an identifier: noted once per resource (the resolver already
  // noted why; this keeps the record when only a placeholder travelled here).
  void note(const std::string& s) {
    for (const auto& n : detail::placeholder_names(s)) {
      if (n == "AWS::AccountId" || n == "AWS::Region") continue;
      r_.assume("${" + n + "} is unresolved and taken literally");
    }
  }

  model::PolicyDocument policy(const Json& doc, const std::string& ptr) {
    Json d = doc;
    if (d.is_string()) {
      auto parsed = Json::parse(d.get<std::string>(), nullptr, false);
      if (parsed.is_discarded()) t_.fail(ptr, "policy document is not valid JSON");
      d = std::move(parsed);
    }
    std::vector<std::string> unknown;
    detail::neutralise_policy(d, unknown);
    for (const auto& n : unknown) {
      if (n == "AWS::AccountId" || n == "AWS::Region") continue;
      r_.assume("policy value ${" + n + "} is unresolved: in Allow actions and resources it is taken as *, "
                "elsewhere as a literal that matches nothing else");
    }
    try {
      return model::parse_policy(d, t_.file(), ptr);
    } catch (const model::InputError& e) {
      throw model::InputError(t_.file(), t_.where(e.where()), e.message() + " (at " + e.where() + ")");
    }
  }
  model::PolicyDocument policy_member(const Resource& res, const Json& props, const char* key) {
    if (!props.contains(key)) t_.fail(res.ptr + "/Properties", std::string(key) + " is required");
    return policy(props[key], res.ptr + "/Properties/" + key);
  }

  std::vector<model::InlinePolicy> inline_policies(const Resource& res, const Json& props) {
    std::vector<model::InlinePolicy> out;
    if (!props.contains("Policies")) return out;
    if (!props["Policies"].is_array()) t_.fail(res.ptr + "/Properties/Policies", "Policies must be a list");
    for (std::size_t i = 0; i < props["Policies"].size(); ++i) {
      const Json& p = props["Policies"][i];
      std::string ptr = res.ptr + "/Properties/Policies/" + std::to_string(i);
      if (!p.is_object() || !p.contains("PolicyName") || !p.contains("PolicyDocument"))
        t_.fail(ptr, "a policy needs PolicyName and PolicyDocument");
      out.push_back({str(p, "PolicyName"), policy(p["PolicyDocument"], ptr + "/PolicyDocument")});
    }
    return out;
  }
  std::vector<model::AttachedPolicy> attached(const Json& props) {
    std::vector<model::AttachedPolicy> out;
    for (auto& arn : strs(props, "ManagedPolicyArns")) out.push_back({arn, detail::arn_last_segment(arn)});
    return out;
  }
  std::string arn(const Resource& res) { return plain(r_.arn_of(res, res.ptr)); }
  std::string name(const Resource& res) { return plain(r_.name_of(res, res.ptr)); }
  std::string account() const { return plain(r_.account()); }
  std::string region() const { return plain(r_.region()); }

  // Which kind of gateway an ID names: a template resource's type, else the ID's prefix.
  model::RouteTargetKind gateway_kind(const std::string& id) {
    auto it = t_.resources().find(id);
    if (it == t_.resources().end()) return model::RouteTargetKind::Other;
    const auto& ty = it->second.type;
    if (ty == "AWS::EC2::InternetGateway") return model::RouteTargetKind::InternetGateway;
    if (ty == "AWS::EC2::VPNGateway") return model::RouteTargetKind::VirtualPrivateGateway;
    if (ty == "AWS::EC2::NatGateway") return model::RouteTargetKind::NatGateway;
    if (ty == "AWS::EC2::EgressOnlyInternetGateway") return model::RouteTargetKind::EgressOnlyInternetGateway;
    if (ty == "AWS::EC2::TransitGateway") return model::RouteTargetKind::TransitGateway;
    if (ty == "AWS::EC2::VPCPeeringConnection") return model::RouteTargetKind::VpcPeering;
    if (ty == "AWS::EC2::VPCEndpoint") return model::RouteTargetKind::VpcEndpoint;
    return model::RouteTargetKind::Other;
  }

  model::SecurityGroupRule sg_rule(const Json& j, bool egress) {
    model::SecurityGroupRule r;
    r.protocol = str(j, "IpProtocol", "-1");
    r.from_port = opt_int(j, "FromPort");
    r.to_port = opt_int(j, "ToPort");
    if (auto c = opt_str(j, "CidrIp")) r.ipv4_ranges.push_back(*c);
    if (auto c = opt_str(j, "CidrIpv6")) r.ipv6_ranges.push_back(*c);
    if (auto c = opt_str(j, egress ? "DestinationPrefixListId" : "SourcePrefixListId")) r.prefix_lists.push_back(*c);
    if (auto c = opt_str(j, egress ? "DestinationSecurityGroupId" : "SourceSecurityGroupId")) r.groups.push_back(*c);
    return r;
  }

  model::NetworkAclEntry acl_entry(const Json& j) {
    model::NetworkAclEntry e;
    e.rule_number = opt_int(j, "RuleNumber").value_or(0);
    e.protocol = str(j, "Protocol", "-1");
    e.allow = str(j, "RuleAction", "allow") == "allow";
    e.egress = opt_bool(j, "Egress").value_or(false);
    e.cidr = str(j, "CidrBlock");
    e.ipv6_cidr = str(j, "Ipv6CidrBlock");
    if (j.contains("PortRange") && j["PortRange"].is_object()) {
      e.port_from = opt_int(j["PortRange"], "From");
      e.port_to = opt_int(j["PortRange"], "To");
    }
    return e;
  }

  template <class T>
  void finish(T& x) {
    x.assumed = assumed_;
  }

  void map(const Resource& res, const Json& p) {
    using detail::PrincipalKind;
    auto& a = out_.account;
    const std::string& ty = res.type;
    const std::string& id = res.logical;
    if (ty == "AWS::IAM::Role") {
      model::Role x;
      x.name = name(res);
      x.arn = arn(res);
      x.path = str(p, "Path", "/");
      x.trust = policy_member(res, p, "AssumeRolePolicyDocument");
      x.attached = attached(p);
      x.inline_policies = inline_policies(res, p);
      x.boundary_arn = opt_str(p, "PermissionsBoundary");
      x.loc = loc(res);
      finish(x);
      a.roles.push_back(std::move(x));
    } else if (ty == "AWS::IAM::User") {
      model::User x;
      x.name = name(res);
      x.arn = arn(res);
      x.path = str(p, "Path", "/");
      x.groups = strs(p, "Groups");
      x.attached = attached(p);
      x.inline_policies = inline_policies(res, p);
      x.boundary_arn = opt_str(p, "PermissionsBoundary");
      x.loc = loc(res);
      finish(x);
      a.users.push_back(std::move(x));
    } else if (ty == "AWS::IAM::Group") {
      model::Group x;
      x.name = name(res);
      x.arn = arn(res);
      x.path = str(p, "Path", "/");
      x.attached = attached(p);
      x.inline_policies = inline_policies(res, p);
      x.loc = loc(res);
      finish(x);
      a.groups.push_back(std::move(x));
    } else if (ty == "AWS::IAM::ManagedPolicy") {
      model::ManagedPolicy x;
      x.name = name(res);
      x.arn = arn(res);
      x.path = str(p, "Path", "/");
      x.document = policy_member(res, p, "PolicyDocument");
      x.loc = loc(res);
      finish(x);
      for (const auto& n : strs(p, "Roles")) {
        out_.links.push_back(detail::link_managed_policy(PrincipalKind::Role, n, x.arn));
        if (!assumed_.empty()) out_.links.push_back(detail::link_principal_notes(PrincipalKind::Role, n, assumed_));
      }
      for (const auto& n : strs(p, "Users")) out_.links.push_back(detail::link_managed_policy(PrincipalKind::User, n, x.arn));
      for (const auto& n : strs(p, "Groups"))
        out_.links.push_back(detail::link_managed_policy(PrincipalKind::Group, n, x.arn));
      a.policies.push_back(std::move(x));
    } else if (ty == "AWS::IAM::Policy" || ty == "AWS::IAM::RolePolicy" || ty == "AWS::IAM::UserPolicy" ||
               ty == "AWS::IAM::GroupPolicy") {
      model::InlinePolicy x{str(p, "PolicyName", id), policy_member(res, p, "PolicyDocument")};
      auto add = [&](PrincipalKind k, const std::vector<std::string>& names) {
        for (const auto& n : names) {
          out_.links.push_back(detail::link_inline_policy(k, n, x));
          if (!assumed_.empty()) out_.links.push_back(detail::link_principal_notes(k, n, assumed_));
        }
      };
      if (ty == "AWS::IAM::Policy") {
        add(PrincipalKind::Role, strs(p, "Roles"));
        add(PrincipalKind::User, strs(p, "Users"));
        add(PrincipalKind::Group, strs(p, "Groups"));
      } else if (ty == "AWS::IAM::RolePolicy") {
        add(PrincipalKind::Role, strs(p, "RoleName"));
      } else if (ty == "AWS::IAM::UserPolicy") {
        add(PrincipalKind::User, strs(p, "UserName"));
      } else {
        add(PrincipalKind::Group, strs(p, "GroupName"));
      }
    } else if (ty == "AWS::IAM::UserToGroupAddition") {
      std::string group = str(p, "GroupName");
      for (const auto& u : strs(p, "Users")) out_.links.push_back(detail::link_membership(u, group));
    } else if (ty == "AWS::EC2::VPC") {
      model::Vpc x;
      x.id = id;
      x.owner_id = account();
      x.region = region();
      if (auto c = opt_str(p, "CidrBlock")) x.cidrs.push_back(*c);
      x.loc = loc(res);
      x.from_iac = true;
      finish(x);
      a.vpcs.push_back(std::move(x));
    } else if (ty == "AWS::EC2::VPCCidrBlock") {
      std::string vpc = str(p, "VpcId");
      auto cidr = opt_str(p, "CidrBlock");
      auto v6 = opt_str(p, "Ipv6CidrBlock");
      bool amazon = opt_bool(p, "AmazonProvidedIpv6CidrBlock").value_or(false);
      out_.links.push_back([vpc, cidr, v6, amazon](model::Account& acc) {
        for (auto& v : acc.vpcs)
          if (v.id == vpc) {
            if (cidr) v.cidrs.push_back(*cidr);
            if (v6) v.ipv6_cidrs.push_back(*v6);
            else if (amazon) v.ipv6_cidrs.push_back("::/0");  // an Amazon-provided /56, address unknown
          }
      });
    } else if (ty == "AWS::EC2::Subnet") {
      model::Subnet x;
      x.id = id;
      x.vpc_id = str(p, "VpcId");
      x.availability_zone = str(p, "AvailabilityZone");
      x.owner_id = account();
      x.region = region();
      x.arn = "arn:" + r_.partition() + ":ec2:" + region() + ":" + account() + ":subnet/" + id;
      x.cidr = str(p, "CidrBlock");
      if (auto c = opt_str(p, "Ipv6CidrBlock")) x.ipv6_cidrs.push_back(*c);
      x.loc = loc(res);
      x.from_iac = true;
      finish(x);
      a.subnets.push_back(std::move(x));
    } else if (ty == "AWS::EC2::RouteTable") {
      model::RouteTable x;
      x.id = id;
      x.vpc_id = str(p, "VpcId");
      x.owner_id = account();
      x.loc = loc(res);
      x.from_iac = true;
      finish(x);
      std::string table = x.id, vpc = x.vpc_id;
      a.route_tables.push_back(std::move(x));
      a.has_route_tables = true;
      // Every route table has the local routes of its VPC.
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
    } else if (ty == "AWS::EC2::Route") {
      model::Route route;
      route.destination = str(p, "DestinationCidrBlock");
      if (route.destination.empty()) route.destination = str(p, "DestinationIpv6CidrBlock");
      route.destination_prefix_list = str(p, "DestinationPrefixListId");
      route.state = "active";
      static const std::pair<const char*, model::RouteTargetKind> targets[] = {
          {"GatewayId", model::RouteTargetKind::Other},
          {"NatGatewayId", model::RouteTargetKind::NatGateway},
          {"EgressOnlyInternetGatewayId", model::RouteTargetKind::EgressOnlyInternetGateway},
          {"TransitGatewayId", model::RouteTargetKind::TransitGateway},
          {"VpcPeeringConnectionId", model::RouteTargetKind::VpcPeering},
          {"InstanceId", model::RouteTargetKind::Instance},
          {"NetworkInterfaceId", model::RouteTargetKind::NetworkInterface},
          {"VpcEndpointId", model::RouteTargetKind::VpcEndpoint},
          {"CarrierGatewayId", model::RouteTargetKind::CarrierGateway},
          {"LocalGatewayId", model::RouteTargetKind::LocalGateway},
          {"CoreNetworkArn", model::RouteTargetKind::CoreNetwork},
      };
      for (const auto& [key, kind] : targets) {
        if (auto t = opt_str(p, key)) {
          route.target_id = *t;
          route.target_kind = kind;
          if (kind == model::RouteTargetKind::Other) route.target_kind = gateway_kind(*t);
          break;
        }
      }
      out_.links.push_back(detail::link_route(str(p, "RouteTableId"), route));
    } else if (ty == "AWS::EC2::SubnetRouteTableAssociation") {
      out_.links.push_back(detail::link_subnet_route_table(str(p, "RouteTableId"), str(p, "SubnetId")));
    } else if (ty == "AWS::EC2::InternetGateway") {
      model::InternetGateway x;
      x.id = id;
      x.owner_id = account();
      x.loc = loc(res);
      x.from_iac = true;
      a.internet_gateways.push_back(std::move(x));
    } else if (ty == "AWS::EC2::VPCGatewayAttachment") {
      if (auto g = opt_str(p, "InternetGatewayId")) out_.links.push_back(detail::link_gateway_attachment(*g, str(p, "VpcId")));
    } else if (ty == "AWS::EC2::EgressOnlyInternetGateway") {
      model::EgressOnlyInternetGateway x;
      x.id = id;
      x.vpc_ids = strs(p, "VpcId");
      x.loc = loc(res);
      x.from_iac = true;
      a.egress_only_gateways.push_back(std::move(x));
    } else if (ty == "AWS::EC2::NatGateway") {
      model::NatGateway x;
      x.id = id;
      x.subnet_id = str(p, "SubnetId");
      x.state = "available";
      x.connectivity_type = str(p, "ConnectivityType", "public");
      x.loc = loc(res);
      std::string nat = x.id, subnet = x.subnet_id;
      a.nat_gateways.push_back(std::move(x));
      out_.links.push_back([nat, subnet](model::Account& acc) {
        for (const auto& s : acc.subnets)
          if (s.id == subnet)
            for (auto& n : acc.nat_gateways)
              if (n.id == nat) n.vpc_id = s.vpc_id;
      });
    } else if (ty == "AWS::EC2::SecurityGroup") {
      model::SecurityGroup x;
      x.id = id;
      x.name = str(p, "GroupName", id);
      x.vpc_id = str(p, "VpcId");
      x.owner_id = account();
      if (p.contains("SecurityGroupIngress") && p["SecurityGroupIngress"].is_array())
        for (const auto& r : p["SecurityGroupIngress"]) x.ingress.push_back(sg_rule(r, false));
      if (p.contains("SecurityGroupEgress") && p["SecurityGroupEgress"].is_array()) {
        for (const auto& r : p["SecurityGroupEgress"]) x.egress.push_back(sg_rule(r, true));
      } else {
        // Without SecurityGroupEgress, AWS's default rule: all traffic out.
        model::SecurityGroupRule all;
        all.ipv4_ranges.push_back("0.0.0.0/0");
        x.egress.push_back(all);
      }
      x.loc = loc(res);
      finish(x);
      a.security_groups.push_back(std::move(x));
      a.has_security_groups = true;
    } else if (ty == "AWS::EC2::SecurityGroupEgress" || ty == "AWS::EC2::SecurityGroupIngress") {
      bool egress = ty == "AWS::EC2::SecurityGroupEgress";
      out_.links.push_back(detail::link_security_group_rule(str(p, "GroupId"), egress, sg_rule(p, egress)));
    } else if (ty == "AWS::EC2::NetworkAcl") {
      model::NetworkAcl x;
      x.id = id;
      x.vpc_id = str(p, "VpcId");
      x.owner_id = account();
      // A new network ACL denies everything until entries are added (the "*" rules).
      for (bool egress : {false, true}) {
        x.entries.push_back({32767, "-1", false, egress, "0.0.0.0/0", "", std::nullopt, std::nullopt});
        x.entries.push_back({32768, "-1", false, egress, "", "::/0", std::nullopt, std::nullopt});
      }
      x.loc = loc(res);
      finish(x);
      a.network_acls.push_back(std::move(x));
      a.has_network_acls = true;
    } else if (ty == "AWS::EC2::NetworkAclEntry") {
      out_.links.push_back(detail::link_network_acl_entry(str(p, "NetworkAclId"), acl_entry(p)));
    } else if (ty == "AWS::EC2::SubnetNetworkAclAssociation") {
      out_.links.push_back(detail::link_subnet_network_acl(str(p, "NetworkAclId"), str(p, "SubnetId")));
    } else if (ty == "AWS::EC2::VPCEndpoint") {
      model::VpcEndpoint x;
      x.id = id;
      x.vpc_id = str(p, "VpcId");
      x.owner_id = account();
      x.service_name = str(p, "ServiceName");
      x.region = detail::region_of_service_name(x.service_name);
      if (x.region.empty() && x.service_name.find("${AWS::Region}") != std::string::npos) x.region = region();
      x.state = "available";
      x.type = str(p, "VpcEndpointType", "Gateway");  // CloudFormation's default
      if (p.contains("PolicyDocument") && !p["PolicyDocument"].is_null())
        x.policy = policy(p["PolicyDocument"], res.ptr + "/Properties/PolicyDocument");
      x.subnet_ids = strs(p, "SubnetIds");
      x.route_table_ids = strs(p, "RouteTableIds");
      x.security_group_ids = strs(p, "SecurityGroupIds");
      x.private_dns = opt_bool(p, "PrivateDnsEnabled").value_or(false);
      x.loc = loc(res);
      finish(x);
      a.vpc_endpoints.push_back(std::move(x));
    } else if (ty == "AWS::SageMaker::NotebookInstance") {
      model::NotebookInstance x;
      x.name = name(res);
      x.arn = arn(res);
      x.role_arn = str(p, "RoleArn");
      x.status = "InService";
      x.subnet_id = opt_str(p, "SubnetId");
      x.security_groups = strs(p, "SecurityGroupIds");
      auto dia = str(p, "DirectInternetAccess", "Enabled");
      if (dia != "Enabled" && dia != "Disabled") {
        r_.assume("DirectInternetAccess is " + dia + ", taken as Enabled");
      }
      x.direct_internet_access = dia != "Disabled";
      x.loc = loc(res);
      finish(x);
      a.notebooks.push_back(std::move(x));
    } else if (ty == "AWS::SageMaker::Model") {
      model::SageMakerModel x;
      x.name = name(res);
      x.arn = arn(res);
      x.role_arn = str(p, "ExecutionRoleArn");
      if (p.contains("VpcConfig") && p["VpcConfig"].is_object()) {
        model::VpcConfig c;
        c.subnets = strs(p["VpcConfig"], "Subnets");
        c.security_group_ids = strs(p["VpcConfig"], "SecurityGroupIds");
        x.vpc_config = std::move(c);
      }
      x.network_isolation = opt_bool(p, "EnableNetworkIsolation").value_or(false);
      x.loc = loc(res);
      finish(x);
      a.models.push_back(std::move(x));
    } else if (ty == "AWS::SageMaker::Domain") {
      model::Domain x;
      x.name = name(res);
      x.arn = arn(res);
      x.id = id;
      x.app_network_access_type = str(p, "AppNetworkAccessType", "PublicInternetOnly");
      x.vpc_id = str(p, "VpcId");
      x.subnet_ids = strs(p, "SubnetIds");
      if (p.contains("DefaultUserSettings") && p["DefaultUserSettings"].is_object())
        x.security_groups = strs(p["DefaultUserSettings"], "SecurityGroups");
      x.loc = loc(res);
      finish(x);
      a.domains.push_back(std::move(x));
    }
  }

  const Template& t_;
  Resolver r_;
  IacResult out_;
  std::vector<std::string> assumed_;
};

IacResult Template::build(const IacContext& context) const { return Builder(*this, context).run(); }

}  // namespace

std::shared_ptr<const IacDocument> read_cloudformation(const std::string& text, bool yaml,
                                                       const std::string& display_path) {
  Json root;
  Marks marks;
  if (yaml) {
    YAML::Node doc;
    try {
      doc = YAML::Load(text);
    } catch (const YAML::ParserException& e) {
      throw model::InputError(display_path,
                              "line " + std::to_string(e.mark.line + 1) + ", column " + std::to_string(e.mark.column + 1),
                              "invalid YAML: " + e.msg);
    }
    from_yaml(doc, "", root, marks, display_path);
  } else {
    root = model::parse_json_text(text, display_path);
    JsonMarker(text, marks).run();
  }
  return std::make_shared<Template>(std::move(root), std::move(marks), display_path);
}

}  // namespace vpcgate::loader
