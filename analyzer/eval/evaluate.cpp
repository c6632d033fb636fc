// AWS's policy evaluation logic for one request:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
// Same account vs cross account:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
// Boundaries and resource-based policies:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html
// docs/evaluation.md explains the choices where the documentation leaves room.
#include "analyzer/eval/evaluate.hpp"

#include <algorithm>
#include <array>

#include "analyzer/eval/arn.hpp"
#include "analyzer/eval/variables.hpp"

namespace vpcgate::eval {

const char* to_string(PolicyType t) {
  switch (t) {
    case PolicyType::Identity: return "identity";
    case PolicyType::Resource: return "resource";
    case PolicyType::Boundary: return "boundary";
    case PolicyType::Scp: return "scp";
    case PolicyType::Endpoint: return "endpoint";
  }
  return "identity";
}

const char* to_string(Decision d) {
  switch (d) {
    case Decision::Allowed: return "allowed";
    case Decision::ExplicitDeny: return "explicitDeny";
    case Decision::ImplicitDeny: return "implicitDeny";
  }
  return "implicitDeny";
}

namespace {

// arn:partition:service:region:account:resource
struct ArnParts {
  std::string partition, service, region, account, resource;
};

std::optional<ArnParts> split_arn(std::string_view arn) {
  if (arn.substr(0, 4) != "arn:") return std::nullopt;
  std::array<std::string_view, 6> parts;
  std::size_t start = 0;
  for (std::size_t i = 0; i < 5; ++i) {
    const std::size_t colon = arn.find(':', start);
    if (colon == std::string_view::npos) return std::nullopt;
    parts[i] = arn.substr(start, colon - start);
    start = colon + 1;
  }
  parts[5] = arn.substr(start);
  return ArnParts{std::string(parts[1]), std::string(parts[2]), std::string(parts[3]),
                  std::string(parts[4]), std::string(parts[5])};
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string last_segment(std::string_view resource) {
  const auto slash = resource.rfind('/');
  return std::string(slash == std::string_view::npos ? resource : resource.substr(slash + 1));
}

const std::string* single_value(const Context& ctx, std::string_view key) {
  const auto* v = ctx.get(key);
  return (v != nullptr && v->size() == 1) ? &(*v)[0] : nullptr;
}

enum class CallerKind { Unknown, User, Role, AssumedRole, Root, FederatedUser, Other };

struct Caller {
  std::optional<std::string> arn;
  std::string account;
  std::string partition = "aws";
  CallerKind kind = CallerKind::Unknown;
  std::string role_name;  // AssumedRole: the role of the session
  std::string user_name;  // FederatedUser: the user of the session
};

Caller make_caller(const Request& request) {
  Caller c;
  if (request.principal_arn) {
    c.arn = *request.principal_arn;
  } else if (const auto* v = single_value(request.context, "aws:PrincipalArn")) {
    c.arn = *v;
  }
  if (c.arn) {
    if (auto parts = split_arn(*c.arn)) {
      c.account = parts->account;
      c.partition = parts->partition;
      const std::string& r = parts->resource;
      if (parts->service == "iam" && r.rfind("user/", 0) == 0) {
        c.kind = CallerKind::User;
      } else if (parts->service == "iam" && r.rfind("role/", 0) == 0) {
        c.kind = CallerKind::Role;
      } else if (parts->service == "iam" && r == "root") {
        c.kind = CallerKind::Root;
      } else if (parts->service == "sts" && r.rfind("assumed-role/", 0) == 0) {
        c.kind = CallerKind::AssumedRole;
        std::string_view rest = std::string_view(r).substr(13);
        c.role_name = std::string(rest.substr(0, rest.find('/')));
      } else if (parts->service == "sts" && r.rfind("federated-user/", 0) == 0) {
        c.kind = CallerKind::FederatedUser;
        c.user_name = r.substr(15);
      } else {
        c.kind = CallerKind::Other;
      }
    } else {
      c.kind = CallerKind::Other;  // a service principal, a federated provider, ...
    }
  }
  if (const auto* v = single_value(request.context, "aws:PrincipalAccount")) c.account = *v;
  return c;
}

// How a Principal element covers the caller. Direct: by its own ARN (user, role session,
// service, federated) or by "*"; RoleArn: by the ARN of the role (or the user of a federated
// session), which a permissions boundary still caps; Account: by the caller's account, which
// delegates the decision to the account's own identity policies.
enum class PrincipalMatch { None = 0, Account = 1, RoleArn = 2, Direct = 3 };

PrincipalMatch match_aws_value(const Caller& c, const std::string& v) {
  if (v == "*") return PrincipalMatch::Direct;
  if (all_digits(v)) return (!c.account.empty() && v == c.account) ? PrincipalMatch::Account : PrincipalMatch::None;
  auto parts = split_arn(v);
  if (parts && parts->service == "iam" && parts->resource == "root") {
    return (!c.account.empty() && parts->account == c.account) ? PrincipalMatch::Account : PrincipalMatch::None;
  }
  if (!c.arn) return PrincipalMatch::None;
  if (v == *c.arn) return c.kind == CallerKind::Role ? PrincipalMatch::RoleArn : PrincipalMatch::Direct;
  if (!parts || parts->account != c.account || parts->partition != c.partition) return PrincipalMatch::None;
  if (c.kind == CallerKind::AssumedRole && parts->service == "iam" && parts->resource.rfind("role/", 0) == 0 &&
      last_segment(parts->resource) == c.role_name) {
    return PrincipalMatch::RoleArn;  // a role ARN covers every session of the role
  }
  if (c.kind == CallerKind::FederatedUser && parts->service == "iam" &&
      parts->resource.rfind("user/", 0) == 0 && last_segment(parts->resource) == c.user_name) {
    return PrincipalMatch::RoleArn;
  }
  return PrincipalMatch::None;
}

PrincipalMatch match_spec(const Caller& c, const model::PrincipalSpec& spec) {
  if (spec.wildcard) return PrincipalMatch::Direct;
  PrincipalMatch best = PrincipalMatch::None;
  for (const auto& [type, values] : spec.by_type) {
    for (const auto& v : values) {
      PrincipalMatch m = PrincipalMatch::None;
      if (type == "AWS") {
        m = match_aws_value(c, v);
      } else if (c.arn && v == *c.arn) {
        m = PrincipalMatch::Direct;  // Service, Federated, CanonicalUser: by identity
      }
      best = std::max(best, m);
    }
  }
  return best;
}

// Principal/NotPrincipal of a statement in a resource-based or endpoint policy.
PrincipalMatch statement_principal(const model::Statement& s, const Caller& c, PolicyType type,
                                   bool has_boundary) {
  if (s.principal) return match_spec(c, *s.principal);
  if (s.not_principal) {
    // access_policies_boundaries.html: a Deny with NotPrincipal in a resource-based policy always
    // denies an IAM principal that has a permissions boundary, whatever NotPrincipal names.
    if (s.effect == model::Effect::Deny && has_boundary && type == PolicyType::Resource) {
      return PrincipalMatch::Direct;
    }
    return match_spec(c, *s.not_principal) == PrincipalMatch::None ? PrincipalMatch::Direct : PrincipalMatch::None;
  }
  // No principal element: an endpoint policy then applies to every principal; a resource-based
  // policy statement names nobody.
  return type == PolicyType::Endpoint ? PrincipalMatch::Direct : PrincipalMatch::None;
}

bool is_role_trust_request(std::string_view action, const std::optional<ArnParts>& resource) {
  if (!resource || resource->service != "iam" || resource->resource.rfind("role/", 0) != 0) return false;
  return ascii_lower(action).rfind("sts:assumerole", 0) == 0;
}

bool is_kms_key_request(const std::optional<ArnParts>& resource) {
  return resource && resource->service == "kms" && resource->resource.rfind("key/", 0) == 0;
}

struct Tally {
  std::vector<MatchedStatement> allows;
  std::vector<MatchedStatement> denies;
  PrincipalMatch best_allow = PrincipalMatch::None;  // resource policies
};

void scan_policy(const SourcedPolicy& sp, PolicyType type, const Request& request, const Caller& caller,
                 bool has_boundary, Tally& tally) {
  if (sp.doc == nullptr) return;
  const model::PolicyDocument& doc = *sp.doc;
  const bool principal_based = type == PolicyType::Resource || type == PolicyType::Endpoint;
  for (const auto& s : doc.statements) {
    if (!action_matches(s, request.action)) continue;
    if (!resource_matches(doc, s, request.resource, request.context)) continue;
    PrincipalMatch pm = PrincipalMatch::Direct;
    if (principal_based) {
      pm = statement_principal(s, caller, type, has_boundary);
      if (pm == PrincipalMatch::None) continue;
    }
    if (!conditions_hold(doc, s, request.context)) continue;
    MatchedStatement m{sp.source_id, type, s.sid, s.index, &s};
    if (s.effect == model::Effect::Deny) {
      tally.denies.push_back(std::move(m));
    } else {
      tally.allows.push_back(std::move(m));
      tally.best_allow = std::max(tally.best_allow, pm);
    }
  }
}

void append(std::vector<MatchedStatement>& out, const std::vector<MatchedStatement>& in) {
  out.insert(out.end(), in.begin(), in.end());
}

}  // namespace

bool action_matches(const model::Statement& s, std::string_view action) {
  bool any = false;
  for (const auto& pattern : s.actions) {
    if (wildcard_match(pattern, action, true)) {
      any = true;
      break;
    }
  }
  return s.not_action ? !any : any;
}

bool resource_matches(const model::PolicyDocument& doc, const model::Statement& s, std::string_view resource,
                      const Context& ctx) {
  if (!s.has_resource) return true;
  bool any = false;
  for (const auto& text : s.resources) {
    auto pattern = detail::substitute(text, ctx, doc.variables_enabled(), true);
    if (!pattern) continue;  // an unresolvable variable: the entry matches no resource
    if (detail::arn_like(*pattern, resource)) {
      any = true;
      break;
    }
  }
  return s.not_resource ? !any : any;
}

void add_derived_keys(Request& request) {
  Context& ctx = request.context;
  auto set_default = [&](std::string_view key, std::string value) {
    if (!ctx.has(key)) ctx.set(key, std::move(value));
  };
  std::string principal_account;
  if (request.principal_arn) {
    const std::string& arn = *request.principal_arn;
    if (auto parts = split_arn(arn)) {
      principal_account = parts->account;
      const std::string& r = parts->resource;
      std::string principal_arn = arn;
      std::optional<std::string> type;
      if (parts->service == "iam" && r.rfind("user/", 0) == 0) {
        type = "User";
        set_default("aws:username", last_segment(r));
      } else if (parts->service == "iam" && r.rfind("role/", 0) == 0) {
        type = "AssumedRole";
      } else if (parts->service == "sts" && r.rfind("assumed-role/", 0) == 0) {
        type = "AssumedRole";
        // aws:PrincipalArn of a role session is the role's ARN (condition keys reference).
        std::string_view rest = std::string_view(r).substr(13);
        principal_arn = "arn:" + parts->partition + ":iam::" + parts->account + ":role/" +
                        std::string(rest.substr(0, rest.find('/')));
      } else if (parts->service == "iam" && r == "root") {
        type = "Account";
      } else if (parts->service == "sts" && r.rfind("federated-user/", 0) == 0) {
        type = "FederatedUser";
      }
      set_default("aws:PrincipalArn", principal_arn);
      if (!principal_account.empty()) set_default("aws:PrincipalAccount", principal_account);
      if (type) set_default("aws:PrincipalType", *type);
    }
  }
  if (const auto* v = single_value(ctx, "aws:PrincipalAccount")) principal_account = *v;
  std::string resource_account;
  if (request.resource_account) {
    resource_account = *request.resource_account;
  } else if (auto parts = split_arn(request.resource); parts && !parts->account.empty()) {
    resource_account = parts->account;
  } else {
    resource_account = principal_account;
  }
  if (!resource_account.empty()) set_default("aws:ResourceAccount", resource_account);
}

Result evaluate(const PolicySet& policies, const Request& request) {
  const Caller caller = make_caller(request);
  const bool has_boundary = policies.boundary.has_value() && policies.boundary->doc != nullptr;

  Tally identity, resource, boundary, endpoint;
  std::vector<Tally> scps(policies.scp_levels.size());
  for (const auto& p : policies.identity) scan_policy(p, PolicyType::Identity, request, caller, has_boundary, identity);
  if (policies.resource) scan_policy(*policies.resource, PolicyType::Resource, request, caller, has_boundary, resource);
  if (has_boundary) scan_policy(*policies.boundary, PolicyType::Boundary, request, caller, has_boundary, boundary);
  for (std::size_t i = 0; i < policies.scp_levels.size(); ++i) {
    for (const auto& p : policies.scp_levels[i]) scan_policy(p, PolicyType::Scp, request, caller, has_boundary, scps[i]);
  }
  if (policies.endpoint) scan_policy(*policies.endpoint, PolicyType::Endpoint, request, caller, has_boundary, endpoint);

  Result result;
  // 1. An explicit deny in any policy wins.
  append(result.matched, identity.denies);
  append(result.matched, resource.denies);
  append(result.matched, boundary.denies);
  for (const auto& t : scps) append(result.matched, t.denies);
  append(result.matched, endpoint.denies);
  if (!result.matched.empty()) {
    result.decision = Decision::ExplicitDeny;
    return result;
  }

  // 2. Every SCP level must allow; the endpoint policy (if any) must allow.
  bool allowed = std::all_of(scps.begin(), scps.end(), [](const Tally& t) { return !t.allows.empty(); });
  if (policies.endpoint && endpoint.allows.empty()) allowed = false;

  // 3. Identity and resource-based policies.
  const bool boundary_allows = !has_boundary || !boundary.allows.empty();
  const bool identity_ok = !identity.allows.empty() && boundary_allows;
  const PrincipalMatch rp = resource.best_allow;
  // A resource policy that names the caller itself grants without an identity allow; one that
  // names the caller's role (not the session) is still capped by the boundary.
  const bool rp_grants = rp == PrincipalMatch::Direct || (rp == PrincipalMatch::RoleArn && boundary_allows);

  std::string principal_account = caller.account;
  std::string resource_account;
  const auto resource_arn = split_arn(request.resource);
  if (const auto* v = single_value(request.context, "aws:ResourceAccount")) {
    resource_account = *v;
  } else if (request.resource_account) {
    resource_account = *request.resource_account;
  } else if (resource_arn && !resource_arn->account.empty()) {
    resource_account = resource_arn->account;
  }
  const bool same_account =
      principal_account.empty() || resource_account.empty() || principal_account == resource_account;
  // Role trust policies and KMS key policies must themselves allow the request.
  const bool resource_policy_required =
      is_role_trust_request(request.action, resource_arn) || is_kms_key_request(resource_arn);

  bool granted = false;
  if (!same_account) {
    granted = rp != PrincipalMatch::None && identity_ok;
  } else if (resource_policy_required) {
    granted = rp_grants || (rp != PrincipalMatch::None && identity_ok);
  } else {
    granted = identity_ok || rp_grants;
  }
  if (!(allowed && granted)) {
    result.decision = Decision::ImplicitDeny;
    return result;
  }
  result.decision = Decision::Allowed;
  append(result.matched, identity.allows);
  append(result.matched, resource.allows);
  append(result.matched, boundary.allows);
  for (const auto& t : scps) append(result.matched, t.allows);
  append(result.matched, endpoint.allows);
  return result;
}

}  // namespace vpcgate::eval
