#include "analyzer/checks/vpc_endpoint_missing.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace vpcgate::checks {

namespace {
// Endpoints in these states carry no traffic.
bool live(const model::VpcEndpoint& e) {
  return e.state != "deleted" && e.state != "deleting" && e.state != "failed" && e.state != "rejected" &&
         e.state != "expired";
}

bool interface_type(const model::VpcEndpoint& e) {
  return e.type == "Interface" || e.type == "interface";
}

// A region that a template or plan could not resolve.
bool placeholder_region(const std::string& r) { return r.empty() || r == "unknown" || r.find("${") != std::string::npos; }

// `service` with its region written as `region`: does `name` name it? Where either side's
// region is a placeholder, any region matches (the template runs in the export's region).
bool names_service(const std::string& name, const std::string& prefix, const std::string& region,
                   const std::string& suffix) {
  if (name == prefix + region + suffix) return true;
  if (name.size() < prefix.size() + suffix.size() || name.rfind(prefix, 0) != 0 ||
      name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0)
    return false;
  std::string other = name.substr(prefix.size(), name.size() - prefix.size() - suffix.size());
  return placeholder_region(region) || placeholder_region(other);
}

struct HostedVpc {
  std::set<std::string> regions;
  std::set<std::string> notebooks;
  const model::SourceLoc* first_notebook_loc = nullptr;
  std::string first_notebook;
};

std::string why(bool api) {
  return api ? "calls to the SageMaker API from the VPC, CreatePresignedNotebookInstanceUrl included, go out over "
               "the internet or a NAT gateway, and policies cannot pin them to the VPC with aws:SourceVpce"
             : "the notebooks' Jupyter traffic (the presigned URL's sessions) cannot be kept inside the VPC, and "
               "access to the notebooks cannot be limited to a VPC endpoint";
}
}  // namespace

void VpcEndpointMissing::run(const CheckContext& ctx, FindingSink& sink) const {
  const auto& g = ctx.graph;
  const auto& a = ctx.account();
  std::map<std::string, HostedVpc> hosted;
  for (const auto& n : a.notebooks) {
    if (!n.subnet_id) continue;
    const model::Subnet* s = g.subnet(*n.subnet_id);
    if (!s || s->vpc_id.empty()) continue;  // export-incomplete-network reports a missing subnet
    auto& h = hosted[s->vpc_id];
    std::string region = model::arn_region(n.arn);
    if (region.empty()) {
      const model::Vpc* v = g.vpc(s->vpc_id);
      region = v && !v->region.empty() ? v->region : "unknown";
    }
    h.regions.insert(region);
    h.notebooks.insert(n.arn);
    if (!h.first_notebook_loc || n.arn < h.first_notebook) {
      h.first_notebook = n.arn;
      h.first_notebook_loc = &n.loc;
    }
  }
  if (hosted.empty()) return;

  std::map<std::string, std::vector<const model::VpcEndpoint*>> endpoints;  // vpc -> live interface endpoints
  for (const auto& e : a.vpc_endpoints)
    if (interface_type(e) && live(e)) endpoints[e.vpc_id].push_back(&e);

  for (const auto& [vpc_id, h] : hosted) {
    const auto& here = endpoints[vpc_id];
    for (const auto& region : h.regions) {
      struct Wanted {
        std::string prefix, suffix;
        bool api;
      };
      for (const Wanted& w : {Wanted{"com.amazonaws.", ".sagemaker.api", true},
                              Wanted{"aws.sagemaker.", ".notebook", false}}) {
        bool present = std::any_of(here.begin(), here.end(), [&](const model::VpcEndpoint* e) {
          return names_service(e->service_name, w.prefix, region, w.suffix);
        });
        if (present) continue;
        std::string service = w.prefix + region + w.suffix;
        const model::Vpc* vpc = g.vpc(vpc_id);
        Finding f;
        f.check = info().id;
        f.severity = info().severity;
        f.resource = vpc_id;
        f.id_service = service;
        f.title = fmt::format("VPC {} has no interface endpoint for {}", vpc_id, service);
        f.detail = fmt::format("VPC {} hosts notebook instances ({}) but has no interface endpoint for {}: {}.", vpc_id,
                               fmt::join(h.notebooks, ", "), service, why(w.api));
        f.evidence["service"] = service;
        f.location = vpc ? vpc->loc : *h.first_notebook_loc;
        f.remediation = fmt::format(
            "Create the endpoint: aws ec2 create-vpc-endpoint --vpc-id {} --vpc-endpoint-type Interface "
            "--service-name {} --subnet-ids SUBNETS --security-group-ids SG --private-dns-enabled (CloudFormation "
            "AWS::EC2::VPCEndpoint, Terraform aws_vpc_endpoint with vpc_endpoint_type = \"Interface\"){}.",
            vpc_id, service,
            w.api ? "; then restrict CreatePresignedNotebookInstanceUrl with aws:SourceVpce" : "");
        sink.add(std::move(f));
      }
    }
  }
}

}  // namespace vpcgate::checks
