#pragma once
// The evidence of one finding as a small picture: the subjects it names, in walk order, and
// the arrows between them with what each arrow means. `vpcgate graph --finding ID` prints it
// as DOT or JSON; the HTML report draws it as inline SVG. Built from the finding alone (its
// evidence), so the report needs no graph; a caller that has the graph may fill in the group
// through which a principal holds a managed policy.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/checks/check.hpp"

namespace vpcgate::report {

struct PictureNode {
  std::string id;      // ARN, AWS ID, or a made-up one for a terminal ("internet", "action:...")
  std::string kind;    // role, user, group, managed-policy, inline-policy, subnet, ..., internet, action, missing
  std::string label;   // short: "role/Admin", "subnet-0f9e…", "AnalyticsNotebooks"
  std::string detail;  // second line: "statement Sid X", "route 0.0.0.0/0", "rule 100", ""
  bool problem = false;  // the node the finding is about or a missing/outside thing: drawn highlighted
};

struct PictureEdge {
  std::size_t from = 0, to = 0;
  std::string kind;   // member-of, attaches, inline, grants, can-assume, in-subnet, egress, routes-to, ...
  std::string label;  // "sts:AssumeRole", "0.0.0.0/0", "" when the kind says it
};

struct Picture {
  std::vector<PictureNode> nodes;  // in walk order
  std::vector<PictureEdge> edges;  // in walk order
  std::vector<std::string> notes;  // the witness request, assumptions
};

// The group (ARN) through which `principal` holds the managed policy `policy`, if any.
using GroupOf = std::function<std::optional<std::string>(const std::string& principal, const std::string& policy)>;

Picture evidence_picture(const checks::Finding& f, const GroupOf& group_of = {});

// A left-to-right drawing of the picture as an <svg> element (no external references, all text
// escaped). Deterministic.
std::string render_picture_svg(const Picture& p);

// The part of an ARN after its fifth colon ("role/Admin"); the input when it is not an ARN.
std::string arn_short(const std::string& arn);

}  // namespace vpcgate::report
