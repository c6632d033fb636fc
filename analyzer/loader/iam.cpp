// aws iam get-account-authorization-details
// Shape: botocore iam/2010-05-08 GetAccountAuthorizationDetailsResponse. botocore marks almost
// nothing required there; we also require what identifies an entity (Arn, its name) and what
// decides a verdict (a role's AssumeRolePolicyDocument, an inline policy's document, a managed
// policy's default version): the CLI always prints them.
#include <string>
#include <unordered_map>

#include "analyzer/loader/readers.hpp"
#include "model/input_error.hpp"

namespace vpcgate::loader::detail {

namespace {

// The same policy documents recur all over an organisation's export (AWS managed policies in
// every account's authorization details, permission sets, trust policies): each thread parses a
// document once and copies the result for its other occurrences. The key is the document's
// canonical text (or, for a document held in a JSON string, "S" and the string), so equal keys
// parse to equal PolicyDocuments (they hold no file or place); only documents that parsed are
// kept, so every error is still raised, at its own place. Bounded: cleared past 32 MB of keys.
class PolicyCache {
 public:
  const model::PolicyDocument* find(const std::string& key) const {
    auto it = docs_.find(key);
    return it == docs_.end() ? nullptr : &it->second;
  }
  void insert(std::string key, const model::PolicyDocument& doc) {
    if (bytes_ > (std::size_t{32} << 20)) {
      docs_.clear();
      bytes_ = 0;
    }
    bytes_ += key.size();
    docs_.emplace(std::move(key), doc);
  }

 private:
  std::unordered_map<std::string, model::PolicyDocument> docs_;
  std::size_t bytes_ = 0;
};

thread_local PolicyCache tl_policy_cache;

}  // namespace

model::PolicyDocument read_policy(const Node& node) {
  std::string key;
  if (node.is_object()) {
    append_canonical(node.raw(), key);
    if (const auto* d = tl_policy_cache.find(key)) return *d;
    model::PolicyDocument doc = model::parse_policy(to_nlohmann(node), node.file(), node.pointer());
    tl_policy_cache.insert(std::move(key), doc);
    return doc;
  }
  if (node.is_string()) {
    key = "S" + node.as_string();
    if (const auto* d = tl_policy_cache.find(key)) return *d;
    model::PolicyDocument doc = model::parse_policy_string(key.substr(1), node.file(), node.pointer());
    tl_policy_cache.insert(std::move(key), doc);
    return doc;
  }
  node.fail("expected a policy document (an object or a JSON string), got " + json_type_name(node.raw()));
}

bool is_aws_managed_policy_arn(const std::string& arn) {
  // arn:PARTITION:iam::aws:policy/...
  if (arn.rfind("arn:", 0) != 0) return false;
  static constexpr std::string_view kAwsPolicy = ":iam::aws:policy/";
  auto colon = arn.find(':', 4);
  return colon != std::string::npos && arn.compare(colon, kAwsPolicy.size(), kAwsPolicy) == 0;
}

std::string arn_last_segment(const std::string& arn) {
  auto slash = arn.rfind('/');
  if (slash != std::string::npos) return arn.substr(slash + 1);
  auto colon = arn.rfind(':');
  return colon == std::string::npos ? arn : arn.substr(colon + 1);
}

model::SourceLoc loc_of(const Node& node) { return model::SourceLoc{node.file(), node.pointer(), 0}; }

namespace {

std::vector<model::AttachedPolicy> read_attached(const Node& entity) {
  std::vector<model::AttachedPolicy> out;
  for (const auto& a : entity.items("AttachedManagedPolicies")) {
    model::AttachedPolicy p;
    p.arn = a.string("PolicyArn");
    p.name = a.string_or("PolicyName", arn_last_segment(p.arn));
    out.push_back(std::move(p));
  }
  return out;
}

std::vector<model::InlinePolicy> read_inline(const Node& entity, std::string_view key) {
  std::vector<model::InlinePolicy> out;
  for (const auto& p : entity.items(key)) {
    model::InlinePolicy ip;
    ip.name = p.string("PolicyName");
    ip.document = read_policy(p.require("PolicyDocument"));
    out.push_back(std::move(ip));
  }
  return out;
}

std::optional<std::string> read_boundary(const Node& entity) {
  auto b = entity.get("PermissionsBoundary");
  if (!b) return std::nullopt;
  return b->string("PermissionsBoundaryArn");
}

std::vector<model::Tag> read_tags(const Node& entity) {
  std::vector<model::Tag> out;
  for (const auto& t : entity.items("Tags")) out.push_back({t.string("Key"), t.string("Value")});
  return out;
}

// The default version of a managed policy: IsDefaultVersion, else DefaultVersionId.
Node default_version(const Node& policy) {
  auto versions = policy.require("PolicyVersionList").items();
  std::optional<Node> chosen;
  for (const auto& v : versions) {
    if (!v.opt_bool("IsDefaultVersion").value_or(false)) continue;
    if (chosen) v.require("IsDefaultVersion").fail("a second default version (the first is " + chosen->pointer() + ")");
    chosen = v;
  }
  if (chosen) return *chosen;
  if (auto id = policy.opt_string("DefaultVersionId")) {
    for (const auto& v : versions) {
      if (v.opt_string("VersionId") == id) return v;
    }
  }
  policy.require("PolicyVersionList").fail("no default version (no item has IsDefaultVersion true)");
}

}  // namespace

void read_iam(const Node& root, FileLoad& out) {
  auto& acc = out.account;
  for (const auto& n : root.items("UserDetailList")) {
    model::User u;
    u.arn = n.string("Arn");
    u.name = n.string("UserName");
    u.id = n.string_or("UserId");
    u.path = n.string_or("Path");
    u.groups = n.strings("GroupList");
    u.attached = read_attached(n);
    u.inline_policies = read_inline(n, "UserPolicyList");
    u.boundary_arn = read_boundary(n);
    u.tags = read_tags(n);
    u.loc = loc_of(n);
    acc.users.push_back(std::move(u));
    out.prints.users.push_back(fingerprint(
        n, {"Arn", "UserName", "UserId", "Path", "GroupList", "AttachedManagedPolicies",
            "UserPolicyList", "PermissionsBoundary", "Tags"}));
  }
  for (const auto& n : root.items("GroupDetailList")) {
    model::Group g;
    g.arn = n.string("Arn");
    g.name = n.string("GroupName");
    g.id = n.string_or("GroupId");
    g.path = n.string_or("Path");
    g.attached = read_attached(n);
    g.inline_policies = read_inline(n, "GroupPolicyList");
    g.loc = loc_of(n);
    acc.groups.push_back(std::move(g));
    out.prints.groups.push_back(fingerprint(
        n, {"Arn", "GroupName", "GroupId", "Path", "AttachedManagedPolicies", "GroupPolicyList"}));
  }
  for (const auto& n : root.items("RoleDetailList")) {
    model::Role r;
    r.arn = n.string("Arn");
    r.name = n.string("RoleName");
    r.id = n.string_or("RoleId");
    r.path = n.string_or("Path");
    r.trust = read_policy(n.require("AssumeRolePolicyDocument"));
    r.attached = read_attached(n);
    r.inline_policies = read_inline(n, "RolePolicyList");
    r.boundary_arn = read_boundary(n);
    r.tags = read_tags(n);
    r.loc = loc_of(n);
    acc.roles.push_back(std::move(r));
    out.prints.roles.push_back(fingerprint(
        n, {"Arn", "RoleName", "RoleId", "Path", "AssumeRolePolicyDocument", "AttachedManagedPolicies",
            "RolePolicyList", "PermissionsBoundary", "Tags"}));
  }
  for (const auto& n : root.items("Policies")) {
    model::ManagedPolicy p;
    p.arn = n.string("Arn");
    p.name = n.string("PolicyName");
    p.path = n.string_or("Path");
    Node version = default_version(n);
    Node document = version.require("Document");
    p.document = read_policy(document);
    p.aws_managed = is_aws_managed_policy_arn(p.arn);
    p.loc = loc_of(n);
    acc.policies.push_back(std::move(p));
    std::string print = fingerprint(n, {"Arn", "PolicyName", "PolicyId", "Path"});
    print += "Document:";
    append_canonical(document.raw(), print);
    out.prints.policies.push_back(std::move(print));
  }
}

}  // namespace vpcgate::loader::detail
