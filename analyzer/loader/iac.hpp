#pragma once
// Infrastructure as code: CloudFormation templates (JSON or YAML, short-form intrinsics included)
// and Terraform plans (`terraform show -json`), read into the same model as an export
// (CONTRACT.md, "Infrastructure as code"; docs/iac.md).
//
// A file is parsed when it is read (syntax and structure errors stop the scan there), but its
// entities are built only when all files are merged: a template takes the export's account and
// region where the export holds exactly one of each, and its entities replace export entities
// with the same ARN (ID for EC2), so the build needs the export first.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "model/account.hpp"

namespace vpcgate::loader {

// The account and region the export determines ("" when it holds none or several).
struct IacContext {
  std::string account;
  std::string region;
};

// What one template or plan contributes to the account after the change.
struct IacResult {
  model::Account account;  // entities the document defines (files/skipped untouched)
  // Entities the change deletes (Terraform "delete" actions): ARNs or EC2 IDs.
  std::vector<std::string> deleted;
  // Links to entities that may live in the export or in the document itself (a route into a
  // route table, an inline policy for a role named by name, a group membership, ...): applied
  // to the merged account after this document's entities replaced the export's.
  std::vector<std::function<void(model::Account&)>> links;
};

class IacDocument {
 public:
  virtual ~IacDocument() = default;
  virtual IacResult build(const IacContext& context) const = 0;
};

// `text` is the file's content as UTF-8; `yaml` whether it is to be read as YAML.
std::shared_ptr<const IacDocument> read_cloudformation(const std::string& text, bool yaml,
                                                       const std::string& display_path);
std::shared_ptr<const IacDocument> read_terraform_plan(const std::string& text, const std::string& display_path);

// The export's account and region: the one account that owns its entities and the one region
// they are in, each "" when there are none or several.
IacContext export_context(const model::Account& exported);

// Builds each document (in the order given) and folds it into `account`: same ARN / ID
// replaces, deletions remove, then its links are applied.
void apply_iac(model::Account& account, const std::vector<std::shared_ptr<const IacDocument>>& docs);

namespace detail {

// Placeholders for values a document leaves unresolved travel inside strings as
// "\x01NAME\x02" until the entity is built; these helpers turn them into text.
inline constexpr char kPhOpen = '\x01';
inline constexpr char kPhClose = '\x02';
std::string placeholder(const std::string& name);
bool has_placeholder(const std::string& s);
// "${NAME}" for every placeholder (ARNs, IDs, names).
std::string plain(const std::string& s);
// The names of the placeholders in s.
std::vector<std::string> placeholder_names(const std::string& s);

// Resolved policy JSON (with placeholders) -> a policy the engine reads as the document means
// it: in Allow statements an unresolved parameter or attribute in Action/Resource becomes `*`
// (the broadest reading); everywhere else a placeholder is a literal that matches only itself
// (escaped as `${$}{NAME}` under Version 2012-10-17 so that it is not taken for a policy
// variable). `unknown` collects the placeholder names found.
void neutralise_policy(nlohmann::json& doc, std::vector<std::string>& unknown);

std::string partition_of(const std::string& region);

// Links (IacResult::links) to entities found in the merged account; a link whose target the
// account does not hold changes nothing (the reference itself is what the checks report).
enum class PrincipalKind { Role, User, Group };
using Link = std::function<void(model::Account&)>;
Link link_inline_policy(PrincipalKind kind, std::string name, model::InlinePolicy policy);
Link link_managed_policy(PrincipalKind kind, std::string name, std::string policy_arn);
// Assumptions made for a policy resource belong to the principals it is attached to.
Link link_principal_notes(PrincipalKind kind, std::string name, std::vector<std::string> notes);
Link link_membership(std::string user_name, std::string group_name);
Link link_route(std::string table_id, model::Route route);
Link link_subnet_route_table(std::string table_id, std::string subnet_id);  // replaces the old one
Link link_main_route_table(std::string table_id, std::string vpc_id);
Link link_security_group_rule(std::string group_id, bool egress, model::SecurityGroupRule rule);
Link link_network_acl_entry(std::string acl_id, model::NetworkAclEntry entry);
Link link_subnet_network_acl(std::string acl_id, std::string subnet_id);  // replaces the old one
Link link_gateway_attachment(std::string gateway_id, std::string vpc_id);

}  // namespace detail

}  // namespace vpcgate::loader
