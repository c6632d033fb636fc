#!/usr/bin/env python3
"""Generate a synthetic AWS Organizations export in real AWS CLI shape, for benchmarks.

Usage: generate_export.py --size-mb N [--seed S] --out DIR

Deterministic: the same seed and size give the same bytes. Only the Python standard library is
used (plus the repository's data/aws-managed-policies.json for real AWS managed documents).

The export is what a script like docs/input.md's would write for a whole organisation, one
account after another, until the size is reached:

  organizations/describe-policy-<id>.json          the SCPs (one level, every account)
  <account>/iam/get-account-authorization-details-page-<n>.json
                                                   100 items a page (IsTruncated/Marker)
  <account>/ec2/<region>/describe-<kind>.json      VPCs, subnets, route tables, IGW, NAT,
                                                   egress-only IGW, SGs, NACLs, VPC endpoints
  <account>/sagemaker/describe-<kind>-<name>.json  notebooks, training/processing jobs, models,
                                                   domains: one file each

IAM is modelled on a real organisation: IAM Identity Center roles (one permission set per
role, the same in every account), service-linked roles, Control Tower roles, SageMaker
execution roles (each with its own inline S3 policy), application roles sharing customer
managed policies, data-science roles whose presigned-URL access is conditioned on
aws:SourceVpce / aws:SourceVpc / aws:SourceIp (allows, denies, NotAction, boundaries), and a
few legacy IAM users in groups. AWS managed policies are the real documents; most principals
share policies, and inline policies plus per-account ARNs keep enough of them distinct to
stress the per-principal analysis.
"""
import argparse
import base64
import hashlib
import json
import os
import random
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SNAPSHOT = os.path.join(HERE, "..", "data", "aws-managed-policies.json")

MGMT = "900000000001"
ORG = "o-b3nch4org1"
PRESIGN = "sagemaker:CreatePresignedNotebookInstanceUrl"
REGIONS = ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2"]
AZ_ID_PREFIX = {"us-east-1": "use1", "us-west-2": "usw2", "eu-west-1": "euw1", "eu-central-1": "euc1",
                "ap-southeast-2": "apse2"}
CREATED = "2024-03-04T09:12:44+00:00"


# ------------------------------------------------------------------ rendering

class Renderer:
    """json.dumps(indent=4) is pure Python and slow: big sub-documents (policy documents) are
    put in as placeholders, rendered once per indentation and spliced in."""

    PLACEHOLDER = re.compile(r'\n( *)([^\n]*?)"@@R(\d+)@@"')

    def __init__(self):
        self.docs = []
        self.ids = {}
        self.cache = {}

    def ref(self, doc):
        key = json.dumps(doc, sort_keys=False, separators=(",", ":"))
        i = self.ids.get(key)
        if i is None:
            i = len(self.docs)
            self.ids[key] = i
            self.docs.append(doc)
        return "@@R%d@@" % i

    def _text(self, i, indent):
        k = (i, indent)
        t = self.cache.get(k)
        if t is None:
            t = json.dumps(self.docs[i], indent=4, ensure_ascii=False).replace("\n", "\n" + " " * indent)
            if len(self.cache) > 200000:
                self.cache.clear()
            self.cache[k] = t
        return t

    def dumps(self, obj):
        text = json.dumps(obj, indent=4, ensure_ascii=False)
        return self.PLACEHOLDER.sub(lambda m: "\n" + m.group(1) + m.group(2) +
                                    self._text(int(m.group(3)), len(m.group(1))), text) + "\n"


class Writer:
    def __init__(self, root):
        self.root = root
        self.bytes = 0
        self.files = 0
        self.dirs = set()

    def text(self, rel, text):
        path = os.path.join(self.root, rel)
        d = os.path.dirname(path)
        if d not in self.dirs:
            os.makedirs(d, exist_ok=True)
            self.dirs.add(d)
        data = text.encode("utf-8")
        with open(path, "wb") as fh:
            fh.write(data)
        self.bytes += len(data)
        self.files += 1


# ------------------------------------------------------------------ ids

def hexid(seed, n=17):
    return hashlib.sha256(seed.encode()).hexdigest()[:n]


def iam_id(prefix, seed):
    return prefix + base64.b32encode(hashlib.sha1(seed.encode()).digest()).decode()[:17]


def tags(name, **extra):
    t = [{"Key": "Name", "Value": name}]
    for k, v in extra.items():
        t.append({"Key": k, "Value": v})
    return t


# ------------------------------------------------------------------ policy documents

def doc(*statements):
    return {"Version": "2012-10-17", "Statement": list(statements)}


def stmt(effect, action=None, resource="*", condition=None, sid=None, not_action=None, principal=None,
         not_resource=None):
    s = {}
    if sid:
        s["Sid"] = sid
    s["Effect"] = effect
    if principal is not None:
        s["Principal"] = principal
    if not_action is not None:
        s["NotAction"] = not_action
    else:
        s["Action"] = action
    if not_resource is not None:
        s["NotResource"] = not_resource
    elif resource is not None:
        s["Resource"] = resource
    if condition:
        s["Condition"] = condition
    return s


SERVICES = ["s3", "ec2", "lambda", "dynamodb", "sqs", "sns", "kms", "logs", "cloudwatch", "ecr", "ecs", "glue",
            "athena", "states", "events", "secretsmanager", "ssm", "rds", "kinesis", "firehose", "sagemaker",
            "elasticloadbalancing", "autoscaling", "cloudformation", "codebuild", "codepipeline", "xray"]
VERBS = ["Get", "List", "Describe", "Put", "Create", "Delete", "Update", "Start", "Stop", "Tag", "Untag", "Batch"]
NOUNS = ["Object", "Item", "Function", "Queue", "Topic", "Key", "LogEvents", "MetricData", "Image", "Task", "Table",
         "Job", "Query", "Execution", "Rule", "Secret", "Parameter", "Instance", "Stream", "Record", "Endpoint",
         "Model", "Pipeline", "Build", "Trace"]


def app_statements(rng, acct, region, app, n):
    out = []
    for i in range(n):
        svc = rng.choice(SERVICES)
        acts = sorted({f"{svc}:{rng.choice(VERBS)}{rng.choice(NOUNS)}" for _ in range(rng.randint(2, 9))})
        if svc == "s3":
            res = [f"arn:aws:s3:::{app}-{acct}-data", f"arn:aws:s3:::{app}-{acct}-data/*"]
        elif svc in ("sagemaker",):
            res = f"arn:aws:sagemaker:{region}:{acct}:*/{app}-*"
        elif rng.random() < 0.3:
            res = "*"
        else:
            res = f"arn:aws:{svc}:{region}:{acct}:*{app}*"
        cond = None
        r = rng.random()
        if r < 0.15:
            cond = {"StringEquals": {"aws:ResourceTag/app": app}}
        elif r < 0.22:
            cond = {"Bool": {"aws:SecureTransport": "true"}}
        out.append(stmt("Allow", acts, res, cond, sid=f"{app.title().replace('-', '')}{i}"))
    if rng.random() < 0.2:
        out.append(stmt("Deny", ["s3:DeleteBucket", "s3:PutBucketPolicy"], "*", sid="NoBucketChanges"))
    return doc(*out)


class Account:
    """One member account: its IAM, network and SageMaker resources."""

    def __init__(self, g, index):
        self.g = g
        rng = self.rng = random.Random(g.seed * 1000003 + index)
        self.index = index
        self.acct = "%012d" % (210000000000 + index * 7919)
        nreg = 1 if rng.random() < 0.7 else 2
        self.regions = rng.sample(REGIONS, nreg)
        self.region = self.regions[0]
        self.scale = rng.choice([0.5, 1, 1, 1, 2])
        self.vpces = {}      # region -> approved sagemaker.api endpoint id (when the VPC has one)
        self.vpcs = {}       # region -> ML VPC id
        self.subnets = {}    # region -> private subnet ids of the ML VPC
        self.sgs = {}        # region -> notebook security group
        self.projects = [f"proj{rng.randint(10, 99)}-{w}" for w in rng.sample(
            ["churn", "fraud", "recsys", "forecast", "nlp", "vision", "pricing", "ltv", "ranking", "anomaly"], 3)]

    # ---------------------------------------------------------------- network

    def network(self, w, r):
        rng = self.rng
        acct = self.acct
        ex = {k: [] for k in ["Vpcs", "Subnets", "RouteTables", "InternetGateways", "NatGateways",
                               "EgressOnlyInternetGateways", "SecurityGroups", "NetworkAcls", "VpcEndpoints"]}
        nvpc = max(1, int(round(rng.randint(2, 3) * self.scale)))
        for v in range(nvpc):
            seed = f"{acct}{r}{v}"
            vpc_id = "vpc-" + hexid(seed)
            second = 10 + (v * 16) % 240
            cidr = f"10.{second}.0.0/16"
            ml = v == 0
            ex["Vpcs"].append({
                "OwnerId": acct, "InstanceTenancy": "default",
                "CidrBlockAssociationSet": [{"AssociationId": "vpc-cidr-assoc-" + hexid(seed + "c"), "CidrBlock": cidr,
                                             "CidrBlockState": {"State": "associated"}}],
                "IsDefault": False, "Tags": tags("ml-private" if ml else f"workload-{v}"),
                "VpcId": vpc_id, "State": "available", "CidrBlock": cidr, "DhcpOptionsId": "dopt-" + hexid(seed + "d")})
            azs = [r + x for x in "abc"]
            public, private = [], []
            for i, az in enumerate(azs):
                for kind, lst, off in (("public", public, 0), ("private", private, 64)):
                    sid = "subnet-" + hexid(seed + kind + az)
                    lst.append(sid)
                    ex["Subnets"].append({
                        "AvailabilityZoneId": f"{AZ_ID_PREFIX[r]}-az{i + 1}", "MapCustomerOwnedIpOnLaunch": False,
                        "OwnerId": acct, "AssignIpv6AddressOnCreation": False, "Ipv6CidrBlockAssociationSet": [],
                        "Tags": tags(f"{kind}-{az}"), "SubnetArn": f"arn:aws:ec2:{r}:{acct}:subnet/{sid}",
                        "EnableDns64": False, "Ipv6Native": False,
                        "PrivateDnsNameOptionsOnLaunch": {"HostnameType": "ip-name",
                                                          "EnableResourceNameDnsARecord": False,
                                                          "EnableResourceNameDnsAAAARecord": False},
                        "SubnetId": sid, "State": "available", "VpcId": vpc_id,
                        "CidrBlock": f"10.{second}.{off + i * 16}.0/20", "AvailableIpAddressCount": 4000 + i,
                        "AvailabilityZone": az, "DefaultForAz": False, "MapPublicIpOnLaunch": kind == "public"})
            has_igw = not ml or rng.random() < 0.5
            igw_id = "igw-" + hexid(seed + "igw")
            nat_ids = []
            if has_igw:
                ex["InternetGateways"].append({"Attachments": [{"State": "available", "VpcId": vpc_id}],
                                               "InternetGatewayId": igw_id, "OwnerId": acct, "Tags": tags("igw")})
                for i in range(1 if rng.random() < 0.6 else 3):
                    nid = "nat-" + hexid(seed + "nat" + str(i))
                    nat_ids.append(nid)
                    ex["NatGateways"].append({
                        "CreateTime": CREATED, "NatGatewayAddresses": [{
                            "AllocationId": "eipalloc-" + hexid(nid + "a"), "NetworkInterfaceId": "eni-" + hexid(nid + "e"),
                            "PrivateIp": f"10.{second}.{i * 16}.10", "PublicIp": f"203.0.113.{(v * 7 + i) % 250 + 1}",
                            "AssociationId": "eipassoc-" + hexid(nid + "s"), "IsPrimary": True, "Status": "succeeded"}],
                        "NatGatewayId": nid, "State": "available", "SubnetId": public[i], "VpcId": vpc_id,
                        "Tags": tags(f"nat-{i}"), "ConnectivityType": "public"})
            local = {"DestinationCidrBlock": cidr, "GatewayId": "local", "Origin": "CreateRouteTable", "State": "active"}

            def rtb(rid, routes, subnets, main=False):
                assocs = []
                if main:
                    assocs.append({"Main": True, "RouteTableAssociationId": "rtbassoc-" + hexid(rid + "m"),
                                   "RouteTableId": rid, "AssociationState": {"State": "associated"}})
                for s in subnets:
                    assocs.append({"Main": False, "RouteTableAssociationId": "rtbassoc-" + hexid(rid + s),
                                   "RouteTableId": rid, "SubnetId": s, "AssociationState": {"State": "associated"}})
                ex["RouteTables"].append({"Associations": assocs, "PropagatingVgws": [], "RouteTableId": rid,
                                          "Routes": routes, "Tags": tags(rid), "VpcId": vpc_id, "OwnerId": acct})

            def route(dest, **target):
                rt = {"DestinationCidrBlock": dest}
                rt.update(target)
                rt["Origin"] = "CreateRoute"
                rt["State"] = "active"
                return rt

            rtb("rtb-" + hexid(seed + "main"), [local], [], main=True)
            if has_igw:
                rtb("rtb-" + hexid(seed + "pub"), [local, route("0.0.0.0/0", GatewayId=igw_id)], public)
            tgw = "tgw-" + hexid(acct + "tgw")
            for i, s in enumerate(private):
                routes = [local, route("10.0.0.0/8", TransitGatewayId=tgw)]
                if nat_ids:
                    routes.append(route("0.0.0.0/0", NatGatewayId=nat_ids[i % len(nat_ids)]))
                rtb("rtb-" + hexid(seed + "priv" + s), routes, [s])

            def perm(proto="-1", cidrs=("0.0.0.0/0",), ports=None, groups=()):
                p = {"IpProtocol": proto}
                if ports:
                    p["FromPort"], p["ToPort"] = ports
                p["UserIdGroupPairs"] = [{"UserId": acct, "GroupId": gid} for gid in groups]
                p["IpRanges"] = [{"CidrIp": c} for c in cidrs]
                p["Ipv6Ranges"] = []
                p["PrefixListIds"] = []
                return p

            default_sg = "sg-" + hexid(seed + "default")
            groups = [(default_sg, "default", [perm(groups=[default_sg], cidrs=())], [perm()])]
            for k in range(max(2, int(4 * self.scale))):
                gid = "sg-" + hexid(seed + "sg" + str(k))
                egress = [perm()] if rng.random() < 0.7 else [perm("tcp", [cidr], (443, 443))]
                groups.append((gid, f"app-{k}", [perm("tcp", [cidr], (443, 443)), perm("tcp", [cidr], (8080, 8090))],
                               egress))
            for gid, name, ingress, egress in groups:
                g_ = {"GroupId": gid, "IpPermissionsEgress": egress, "VpcId": vpc_id,
                      "SecurityGroupArn": f"arn:aws:ec2:{r}:{acct}:security-group/{gid}", "OwnerId": acct,
                      "GroupName": name, "Description": f"{name} security group", "IpPermissions": ingress}
                if name != "default":
                    g_["Tags"] = tags(name)
                ex["SecurityGroups"].append(g_)

            def entry(num, egress, action="allow", cidr_="0.0.0.0/0", proto="-1", ports=None):
                e = {"CidrBlock": cidr_, "Egress": egress}
                if ports:
                    e["PortRange"] = {"From": ports[0], "To": ports[1]}
                e["Protocol"] = proto
                e["RuleAction"] = action
                e["RuleNumber"] = num
                return e

            acl_default = "acl-" + hexid(seed + "acl")
            ex["NetworkAcls"].append({
                "Associations": [{"NetworkAclAssociationId": "aclassoc-" + hexid(acl_default + s),
                                  "NetworkAclId": acl_default, "SubnetId": s} for s in public],
                "Entries": [entry(100, True), entry(32767, True, "deny"), entry(100, False), entry(32767, False, "deny")],
                "IsDefault": True, "NetworkAclId": acl_default, "Tags": [], "VpcId": vpc_id, "OwnerId": acct})
            acl_priv = "acl-" + hexid(seed + "aclp")
            ex["NetworkAcls"].append({
                "Associations": [{"NetworkAclAssociationId": "aclassoc-" + hexid(acl_priv + s),
                                  "NetworkAclId": acl_priv, "SubnetId": s} for s in private],
                "Entries": [entry(100, True, cidr_="10.0.0.0/8"), entry(110, True, proto="6", ports=(443, 443)),
                            entry(32767, True, "deny"), entry(100, False, cidr_="10.0.0.0/8"),
                            entry(110, False, proto="6", ports=(1024, 65535)), entry(32767, False, "deny")],
                "IsDefault": False, "NetworkAclId": acl_priv, "Tags": tags("private"), "VpcId": vpc_id,
                "OwnerId": acct})

            endpoint_policy = json.dumps(doc(stmt(
                "Allow", "*", "*", {"StringEquals": {"aws:PrincipalAccount": acct, "aws:ResourceAccount": acct}},
                sid="AccountOnly", principal="*")), indent=2)
            services = [f"com.amazonaws.{r}.sts"]
            if ml:
                services = [f"com.amazonaws.{r}.sagemaker.api", f"aws.sagemaker.{r}.notebook"] + services
            for sname in services:
                eid = "vpce-" + hexid(seed + sname)
                if sname.endswith("sagemaker.api"):
                    self.vpces[r] = eid
                open_policy = rng.random() < 0.2
                e = {"VpcEndpointId": eid, "VpcEndpointType": "Interface", "VpcId": vpc_id, "ServiceName": sname,
                     "State": "available"}
                if not open_policy:
                    e["PolicyDocument"] = endpoint_policy
                e.update({"RouteTableIds": [], "SubnetIds": private, "Groups": [{"GroupId": groups[1][0],
                                                                                 "GroupName": groups[1][1]}],
                          "IpAddressType": "ipv4", "DnsOptions": {"DnsRecordIpType": "ipv4"},
                          "PrivateDnsEnabled": True, "RequesterManaged": False,
                          "NetworkInterfaceIds": ["eni-" + hexid(eid + s) for s in private],
                          "DnsEntries": [{"DnsName": f"{eid}.{sname}.vpce.amazonaws.com",
                                          "HostedZoneId": "Z7HUB22UULQXV"}],
                          "CreationTimestamp": "2024-02-12T14:03:55.102000+00:00", "Tags": tags(sname),
                          "OwnerId": acct})
                ex["VpcEndpoints"].append(e)
            ex["VpcEndpoints"].append({
                "VpcEndpointId": "vpce-" + hexid(seed + "s3"), "VpcEndpointType": "Gateway", "VpcId": vpc_id,
                "ServiceName": f"com.amazonaws.{r}.s3", "State": "available",
                "PolicyDocument": json.dumps(doc(stmt("Allow", "*", "*", principal="*")), indent=2),
                "RouteTableIds": ["rtb-" + hexid(seed + "priv" + s) for s in private], "SubnetIds": [], "Groups": [],
                "PrivateDnsEnabled": False, "RequesterManaged": False, "NetworkInterfaceIds": [], "DnsEntries": [],
                "CreationTimestamp": "2024-02-12T13:58:21+00:00", "Tags": tags("s3"), "OwnerId": acct})
            if ml:
                self.vpcs[r] = vpc_id
                self.subnets[r] = private
                self.sgs[r] = groups[1][0]
        names = {"Vpcs": "describe-vpcs", "Subnets": "describe-subnets", "RouteTables": "describe-route-tables",
                 "InternetGateways": "describe-internet-gateways", "NatGateways": "describe-nat-gateways",
                 "EgressOnlyInternetGateways": "describe-egress-only-internet-gateways",
                 "SecurityGroups": "describe-security-groups", "NetworkAcls": "describe-network-acls",
                 "VpcEndpoints": "describe-vpc-endpoints"}
        for k, items in ex.items():
            w.text(f"{acct}/ec2/{r}/{names[k]}.json", json.dumps({k: items}, indent=4) + "\n")

    # ---------------------------------------------------------------- SageMaker

    def sagemaker(self, w):
        rng, acct, g = self.rng, self.acct, self.g
        n = lambda base: max(1, int(round(base * self.scale * rng.uniform(0.6, 1.4))))  # noqa: E731
        roles = self.exec_roles
        for i in range(n(4)):
            r = rng.choice(self.regions)
            name = f"{rng.choice(self.projects)}-nb-{i}"
            in_vpc = rng.random() < 0.8
            w.text(f"{acct}/sagemaker/describe-notebook-instance-{name}.json", g.sm.notebook(
                acct, r, name, rng.choice(roles), self.subnets[r][0] if in_vpc else None, self.sgs[r],
                "Disabled" if rng.random() < 0.7 else "Enabled"))
        for i in range(n(10)):
            r = rng.choice(self.regions)
            name = f"{rng.choice(self.projects)}-train-2024-05-{10 + i % 20:02d}-{i:04d}"
            vpc = (self.subnets[r][:2], [self.sgs[r]]) if rng.random() < 0.7 else None
            w.text(f"{acct}/sagemaker/describe-training-job-{name}.json",
                   g.sm.training_job(acct, r, name, rng.choice(roles), vpc, rng.random() < 0.6))
        for i in range(n(5)):
            r = rng.choice(self.regions)
            name = f"{rng.choice(self.projects)}-prep-{i:04d}"
            vpc = (self.subnets[r][:2], [self.sgs[r]]) if rng.random() < 0.7 else None
            w.text(f"{acct}/sagemaker/describe-processing-job-{name}.json",
                   g.sm.processing_job(acct, r, name, rng.choice(roles), vpc, rng.random() < 0.4))
        for i in range(n(5)):
            r = rng.choice(self.regions)
            name = f"{rng.choice(self.projects)}-model-{i}"
            vpc = (self.subnets[r][:2], [self.sgs[r]]) if rng.random() < 0.6 else None
            w.text(f"{acct}/sagemaker/describe-model-{name}.json",
                   g.sm.model(acct, r, name, rng.choice(roles), vpc, rng.random() < 0.5))
        if rng.random() < 0.4:
            r = self.region
            did = "d-" + hexid(acct + "domain", 12)
            w.text(f"{acct}/sagemaker/describe-domain-{did}.json", g.sm.domain(
                acct, r, did, self.vpcs[r], self.subnets[r], self.sgs[r], rng.choice(roles),
                "VpcOnly" if rng.random() < 0.7 else "PublicInternetOnly"))

    # ---------------------------------------------------------------- IAM

    def iam(self, w):
        rng, acct, g, region = self.rng, self.acct, self.g, self.region
        R = g.render.ref
        users, groups, roles, policies = [], [], [], []
        attached_count = {}
        vpce = self.vpces.get(region, "vpce-" + hexid(acct + "missing"))
        vpc = self.vpcs.get(region, "vpc-" + hexid(acct + "missing"))
        nb_all = f"arn:aws:sagemaker:*:{acct}:notebook-instance/*"

        def attach(arns):
            for a in arns:
                attached_count[a] = attached_count.get(a, 0) + 1
            return [{"PolicyName": a.rsplit("/", 1)[1], "PolicyArn": a} for a in arns]

        # Customer managed policies (the same names in every account, ARNs per account).
        cmp = {}

        def customer(name, document, versions=1, path="/"):
            arn = f"arn:aws:iam::{acct}:policy{path}{name}"
            vl = []
            for v in range(versions, 0, -1):
                d = document if v == versions else doc(*document["Statement"][:max(1, len(document["Statement"]) - 1)])
                vl.append({"Document": R(d), "VersionId": f"v{v}", "IsDefaultVersion": v == versions,
                           "CreateDate": f"2024-0{min(v, 9)}-11T10:00:00+00:00"})
            cmp[name] = arn
            policies.append({"PolicyName": name, "PolicyId": iam_id("ANPA", arn), "Arn": arn, "Path": path,
                             "DefaultVersionId": f"v{versions}", "AttachmentCount": 0,
                             "PermissionsBoundaryUsageCount": 0, "IsAttachable": True,
                             "CreateDate": "2024-01-11T10:00:00+00:00", "UpdateDate": "2024-05-11T10:00:00+00:00",
                             "PolicyVersionList": vl})
            return arn

        presign_vpce = customer("SageMakerNotebookAccess-Vpce", doc(
            stmt("Allow", [PRESIGN, "sagemaker:DescribeNotebookInstance", "sagemaker:ListNotebookInstances"], nb_all,
                 {"StringEquals": {"aws:SourceVpce": vpce}}, sid="PresignThroughApprovedEndpoint"),
            stmt("Allow", ["sagemaker:Describe*", "sagemaker:List*"], "*", sid="ReadOnly")), versions=2)
        presign_vpc = customer("SageMakerNotebookAccess-Vpc", doc(
            stmt("Allow", [PRESIGN, "sagemaker:StartNotebookInstance", "sagemaker:StopNotebookInstance"], nb_all,
                 {"StringEquals": {"aws:SourceVpc": vpc}}, sid="PresignFromMlVpc")))
        presign_ip = customer("SageMakerNotebookAccess-Office", doc(
            stmt("Allow", PRESIGN, nb_all, {"IpAddress": {"aws:SourceIp": ["198.51.100.0/24", "203.0.113.0/24"]}},
                 sid="PresignFromOffice")))
        deny_outside = customer("DenyPresignOutsideVpce", doc(
            stmt("Deny", PRESIGN, "*", {"StringNotEqualsIfExists": {"aws:SourceVpce": vpce},
                                        "Null": {"aws:SourceVpce": "false"}}, sid="DenyOtherEndpoints"),
            stmt("Deny", PRESIGN, "*", {"Null": {"aws:SourceVpce": "true"}}, sid="DenyWithoutEndpoint")))
        sm_dev = customer("SageMakerDeveloper", doc(
            stmt("Allow", ["sagemaker:*"], "*", sid="SageMakerAll"),
            stmt("Allow", ["iam:PassRole"], f"arn:aws:iam::{acct}:role/service-role/AmazonSageMaker-*",
                 {"StringEquals": {"iam:PassedToService": "sagemaker.amazonaws.com"}}, sid="PassExecutionRole"),
            stmt("Deny", [PRESIGN], "*", {"NotIpAddress": {"aws:SourceIp": "10.0.0.0/8"},
                                          "Bool": {"aws:ViaAWSService": "false"}}, sid="PresignOnlyInternal")),
            versions=3)
        power = customer("PowerUserNoIam", doc(
            stmt("Allow", None, "*", not_action=["iam:*", "organizations:*", "account:*"], sid="EverythingButIam"),
            stmt("Allow", ["iam:CreateServiceLinkedRole", "iam:DeleteServiceLinkedRole", "iam:ListRoles",
                           "organizations:DescribeOrganization", "account:ListRegions"], "*", sid="IamReads")))
        boundary = customer("DataScienceBoundary", doc(
            stmt("Allow", ["sagemaker:*", "s3:*", "logs:*", "cloudwatch:*", "ecr:*", "kms:Decrypt"], "*",
                 sid="WorkloadServices"),
            stmt("Deny", PRESIGN, "*", {"StringNotEquals": {"aws:SourceVpce": vpce}}, sid="PresignOnlyApproved"),
            stmt("Deny", ["iam:*", "organizations:*"], "*", sid="NoIam")))
        project_tag = customer("ProjectNotebooks", doc(
            stmt("Allow", [PRESIGN, "sagemaker:DescribeNotebookInstance"],
                 f"arn:aws:sagemaker:*:{acct}:notebook-instance/${{aws:PrincipalTag/project}}-*",
                 {"StringEquals": {"aws:SourceVpce": [vpce, "vpce-" + hexid("shared-services-endpoint")]}},
                 sid="OwnProjectNotebooks")))
        for k in range(int(10 * self.scale)):
            app = f"app{k:02d}"
            customer(f"{app}-permissions", app_statements(random.Random(k), acct, region, app, 6 + k % 8),
                     versions=1 + k % 3, path="/apps/")
        app_policies = sorted(v for k, v in cmp.items() if k.startswith("app"))

        # AWS managed policies the account attaches (the real documents).
        aws = g.aws_arns

        # Groups and users.
        gdefs = [("Admins", [aws["AdministratorAccess"]], {}),
                 ("Developers", [aws["PowerUserAccess"], cmp["SageMakerDeveloper"]], {}),
                 ("DataScientists", [presign_vpce, aws["AmazonSageMakerReadOnly"]], {
                     "NotebookDeny": doc(stmt("Deny", PRESIGN, "*",
                                              {"StringNotEqualsIfExists": {"aws:SourceVpc": vpc}}, sid="OnlyFromVpc"))}),
                 ("ReadOnly", [aws["ReadOnlyAccess"]], {}),
                 ("Analysts", [presign_ip, aws["AmazonSageMakerReadOnly"]], {})]
        for name, att, inl in gdefs:
            arn = f"arn:aws:iam::{acct}:group/{name}"
            groups.append({"Path": "/", "GroupName": name, "GroupId": iam_id("AGPA", arn), "Arn": arn,
                           "CreateDate": CREATED,
                           "GroupPolicyList": [{"PolicyName": k, "PolicyDocument": R(v)} for k, v in inl.items()],
                           "AttachedManagedPolicies": attach(att)})
        for i in range(int(12 * self.scale)):
            name = f"user{i:03d}.{rng.choice(['ds', 'dev', 'ops', 'analyst'])}"
            arn = f"arn:aws:iam::{acct}:user/{name}"
            u = {"Path": "/", "UserName": name, "UserId": iam_id("AIDA", arn), "Arn": arn, "CreateDate": CREATED}
            x = rng.random()
            if x < 0.15:
                u["UserPolicyList"] = [{"PolicyName": "personal-presign", "PolicyDocument": R(doc(stmt(
                    "Allow", PRESIGN, f"arn:aws:sagemaker:{region}:{acct}:notebook-instance/{name.split('.')[0]}-*",
                    {"IpAddress": {"aws:SourceIp": f"192.0.2.{i % 250}/32"}}, sid="OwnNotebook")))}]
            u["GroupList"] = sorted(rng.sample([gd[0] for gd in gdefs], rng.randint(0, 2)))
            u["AttachedManagedPolicies"] = attach([cmp["SageMakerDeveloper"]] if x > 0.9 else [])
            if x > 0.8:
                u["PermissionsBoundary"] = {"PermissionsBoundaryType": "Policy", "PermissionsBoundaryArn": boundary}
            u["Tags"] = [{"Key": "project", "Value": rng.choice(self.projects)}] if rng.random() < 0.5 else []
            users.append(u)

        def role(name, trust, att=(), inline=None, path="/", bnd=None, tags_=None):
            arn = f"arn:aws:iam::{acct}:role{path}{name}"
            r = {"Path": path, "RoleName": name, "RoleId": iam_id("AROA", arn), "Arn": arn, "CreateDate": CREATED,
                 "AssumeRolePolicyDocument": R(trust), "InstanceProfileList": [],
                 "RolePolicyList": [{"PolicyName": k, "PolicyDocument": R(v)} for k, v in (inline or {}).items()],
                 "AttachedManagedPolicies": attach(att)}
            if bnd:
                r["PermissionsBoundary"] = {"PermissionsBoundaryType": "Policy", "PermissionsBoundaryArn": bnd}
            r["Tags"] = tags_ or []
            r["RoleLastUsed"] = {"LastUsedDate": "2024-05-22T07:41:00+00:00", "Region": region}
            roles.append(r)
            return arn

        def service_trust(svc):
            return doc(stmt("Allow", "sts:AssumeRole", None, principal={"Service": svc}))

        # IAM Identity Center permission sets: identical in every account.
        saml = f"arn:aws:iam::{acct}:saml-provider/AWSSSO_{hexid(acct + 'sso', 16)}_DO_NOT_DELETE"
        sso_trust = doc(stmt("Allow", ["sts:AssumeRoleWithSAML", "sts:TagSession"], None,
                             {"StringEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml"}},
                             principal={"Federated": saml}))
        for ps, att, inl in g.permission_sets:
            role(f"AWSReservedSSO_{ps}_{hexid(acct + ps, 16)}", sso_trust, att, inl,
                 path="/aws-reserved/sso.amazonaws.com/")
        # Control Tower and organisation access.
        mgmt_trust = doc(stmt("Allow", "sts:AssumeRole", None, principal={"AWS": f"arn:aws:iam::{MGMT}:root"}))
        role("AWSControlTowerExecution", mgmt_trust, [aws["AdministratorAccess"]])
        role("OrganizationAccountAccessRole", mgmt_trust, [aws["AdministratorAccess"]])
        # Service-linked roles.
        for svc, pol in g.service_linked:
            role(f"AWSServiceRoleFor{svc}", service_trust(f"{svc.lower()}.amazonaws.com"), [pol],
                 path=f"/aws-service-role/{svc.lower()}.amazonaws.com/")
        # SageMaker execution roles: each with its own inline S3 policy.
        self.exec_roles = []
        for i in range(max(2, int(6 * self.scale))):
            proj = self.projects[i % len(self.projects)]
            bucket = f"sagemaker-{proj}-{acct}"
            self.exec_roles.append(role(
                f"AmazonSageMaker-ExecutionRole-2024{i:02d}01T101500", service_trust("sagemaker.amazonaws.com"),
                [aws["AmazonSageMakerFullAccess"]],
                {"s3-access": doc(stmt("Allow", ["s3:GetObject", "s3:PutObject", "s3:ListBucket"],
                                       [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"], sid="ProjectBucket"))},
                path="/service-role/"))
        # Application roles sharing customer managed policies.
        for i in range(int(25 * self.scale)):
            att = rng.sample(app_policies, min(len(app_policies), rng.randint(1, 3)))
            if rng.random() < 0.3:
                att.append(aws[rng.choice(["AmazonS3ReadOnlyAccess", "CloudWatchAgentServerPolicy",
                                           "AmazonSSMManagedInstanceCore"])])
            inl = None
            if rng.random() < 0.25:
                inl = {"extra": app_statements(rng, acct, region, f"svc{i}", rng.randint(1, 4))}
            role(f"app-{i:03d}-{rng.choice(['api', 'worker', 'batch', 'lambda'])}",
                 service_trust(rng.choice(["lambda.amazonaws.com", "ecs-tasks.amazonaws.com", "ec2.amazonaws.com"])),
                 att, inl, path="/apps/")
        # Data-science roles: the presigned-URL mix.
        ds_variants = [
            ([presign_vpce], None, None),
            ([presign_vpc], None, None),
            ([presign_ip], None, None),
            ([sm_dev], None, None),
            ([sm_dev, deny_outside], None, None),
            ([sm_dev], boundary, None),
            ([power], None, None),
            ([power], boundary, None),
            ([project_tag, aws["AmazonSageMakerReadOnly"]], None, "project"),
            ([aws["AmazonSageMakerFullAccess"]], None, None),
            ([aws["AmazonSageMakerFullAccess"], deny_outside], None, None),
        ]
        ds_role_arns = []
        for i in range(int(12 * self.scale)):
            att, bnd, tag = ds_variants[i % len(ds_variants)]
            inl = None
            if rng.random() < 0.3:
                # A condition of its own: distinct for the analysis.
                inl = {"presign-exception": doc(stmt(
                    "Allow", PRESIGN, f"arn:aws:sagemaker:{region}:{acct}:notebook-instance/*",
                    {"StringEquals": {"aws:SourceVpce": "vpce-" + hexid(acct + str(i))}}, sid="LegacyEndpoint"))}
            tg = [{"Key": "project", "Value": self.projects[i % 3]}] if tag else None
            ds_role_arns.append(role(f"ds-{i:03d}", doc(stmt("Allow", "sts:AssumeRole", None, principal={
                "AWS": f"arn:aws:iam::{acct}:root"})), att, inl, bnd=bnd, tags_=tg))
        # A notebook admin role the data scientists can assume (escalation paths).
        role("NotebookAdmin", doc(stmt("Allow", "sts:AssumeRole", None, principal={"AWS": ds_role_arns[:3]})),
             [sm_dev])

        # The AWS managed policies attached, as the CLI lists them (real documents).
        for arn in sorted(a for a in attached_count if ":iam::aws:policy/" in a):
            policies.append(g.aws_policy_item(arn, attached_count[arn]))
        for p in policies:
            if p["Arn"] in attached_count:
                p["AttachmentCount"] = attached_count[p["Arn"]]

        # Pages of 100 items, in the API's order.
        items = ([("UserDetailList", u) for u in users] + [("GroupDetailList", x) for x in groups] +
                 [("RoleDetailList", x) for x in roles] + [("Policies", x) for x in policies])
        pages = [items[i:i + 100] for i in range(0, len(items), 100)]
        for n_, page in enumerate(pages, 1):
            body = {"UserDetailList": [], "GroupDetailList": [], "RoleDetailList": [], "Policies": []}
            for k, v in page:
                body[k].append(v)
            last = n_ == len(pages)
            body["IsTruncated"] = not last
            if not last:
                body["Marker"] = base64.b64encode(hashlib.sha256(f"{acct}{n_}".encode()).digest() * 2).decode()
            w.text(f"{acct}/iam/get-account-authorization-details-page-{n_:03d}.json", g.render.dumps(body))

    def write(self, w):
        for r in self.regions:
            self.network(w, r)
        self.iam(w)  # sets exec_roles
        self.sagemaker(w)


class SageMakerTemplates:
    """describe-* outputs rendered once per shape, then filled in."""

    TOKEN = re.compile(r"@@(\w+)@@")

    def __init__(self):
        self.cache = {}

    def fill(self, key, build, values):
        t = self.cache.get(key)
        if t is None:
            t = json.dumps(build(), indent=4) + "\n"
            self.cache[key] = t
        return self.TOKEN.sub(lambda m: values[m.group(1)], t)

    def notebook(self, acct, region, name, role, subnet, sg, direct):
        def build():
            nb = {"NotebookInstanceArn": "arn:aws:sagemaker:@@R@@:@@A@@:notebook-instance/@@N@@",
                  "NotebookInstanceName": "@@N@@", "NotebookInstanceStatus": "InService",
                  "Url": "@@N@@.notebook.@@R@@.sagemaker.aws", "InstanceType": "ml.t3.medium",
                  "IpAddressType": "ipv4"}
            if subnet:
                nb["SubnetId"] = "@@S@@"
                nb["SecurityGroups"] = ["@@G@@"]
            nb["RoleArn"] = "@@ROLE@@"
            nb["KmsKeyId"] = "arn:aws:kms:@@R@@:@@A@@:key/1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"
            if subnet:
                nb["NetworkInterfaceId"] = "eni-@@E@@"
            nb["LastModifiedTime"] = "2024-05-21T16:02:09.884000+00:00"
            nb["CreationTime"] = "2024-03-04T09:12:44.517000+00:00"
            nb["DirectInternetAccess"] = "@@D@@"
            nb["VolumeSizeInGB"] = 50
            nb["RootAccess"] = "Disabled"
            nb["PlatformIdentifier"] = "notebook-al2-v3"
            nb["InstanceMetadataServiceConfiguration"] = {"MinimumInstanceMetadataServiceVersion": "2"}
            return nb
        return self.fill(("nb", bool(subnet)), build, {"R": region, "A": acct, "N": name, "S": subnet or "",
                                                         "G": sg, "ROLE": role, "E": hexid(name), "D": direct})

    def training_job(self, acct, region, name, role, vpc, isolation):
        def build():
            tj = {"TrainingJobName": "@@N@@", "TrainingJobArn": "arn:aws:sagemaker:@@R@@:@@A@@:training-job/@@N@@",
                  "ModelArtifacts": {"S3ModelArtifacts": "s3://sagemaker-@@A@@/models/@@N@@/output/model.tar.gz"},
                  "TrainingJobStatus": "Completed", "SecondaryStatus": "Completed",
                  "HyperParameters": {"eval_metric": "auc", "max_depth": "6", "num_round": "200",
                                      "objective": "binary:logistic", "eta": "0.2"},
                  "AlgorithmSpecification": {
                      "TrainingImage": "683313688378.dkr.ecr.@@R@@.amazonaws.com/sagemaker-xgboost:1.7-1",
                      "TrainingInputMode": "File",
                      "MetricDefinitions": [{"Name": "validation:auc",
                                             "Regex": ".*\\[[0-9]+\\].*#011validation-auc:([-+]?[0-9]*\\.?[0-9]+).*"}],
                      "EnableSageMakerMetricsTimeSeries": False},
                  "RoleArn": "@@ROLE@@",
                  "InputDataConfig": [{"ChannelName": ch, "DataSource": {"S3DataSource": {
                      "S3DataType": "S3Prefix", "S3Uri": f"s3://sagemaker-@@A@@/@@N@@/{ch}/",
                      "S3DataDistributionType": "FullyReplicated"}}, "ContentType": "text/csv",
                      "CompressionType": "None", "RecordWrapperType": "None"} for ch in ("train", "validation")],
                  "OutputDataConfig": {"S3OutputPath": "s3://sagemaker-@@A@@/models/", "CompressionType": "GZIP"},
                  "ResourceConfig": {"InstanceType": "ml.m5.xlarge", "InstanceCount": 1, "VolumeSizeInGB": 30}}
            if vpc:
                tj["VpcConfig"] = {"SecurityGroupIds": ["@@G@@"], "Subnets": ["@@S1@@", "@@S2@@"]}
            tj["StoppingCondition"] = {"MaxRuntimeInSeconds": 86400}
            tj["CreationTime"] = "2024-05-14T10:22:31.118000+00:00"
            tj["TrainingStartTime"] = "2024-05-14T10:25:02.904000+00:00"
            tj["TrainingEndTime"] = "2024-05-14T10:31:47.225000+00:00"
            tj["LastModifiedTime"] = "2024-05-14T10:31:47.225000+00:00"
            tj["SecondaryStatusTransitions"] = [
                {"Status": s, "StartTime": "2024-05-14T10:22:31.118000+00:00",
                 "EndTime": "2024-05-14T10:25:02.904000+00:00", "StatusMessage": m}
                for s, m in (("Starting", "Preparing the instances for training"),
                             ("Downloading", "Downloading input data"),
                             ("Training", "Training image download completed. Training in progress."),
                             ("Uploading", "Uploading generated training model"),
                             ("Completed", "Training job completed"))]
            tj["FinalMetricDataList"] = [{"MetricName": "validation:auc", "Value": 0.9132000207901001,
                                          "Timestamp": "2024-05-14T10:31:15+00:00"}]
            tj["EnableNetworkIsolation"] = isolation
            tj["EnableInterContainerTrafficEncryption"] = False
            tj["EnableManagedSpotTraining"] = False
            tj["TrainingTimeInSeconds"] = 405
            tj["BillableTimeInSeconds"] = 405
            return tj
        v = vpc or ([None, None], [None])
        return self.fill(("tj", bool(vpc), isolation), build, {
            "R": region, "A": acct, "N": name, "ROLE": role, "G": v[1][0] or "", "S1": v[0][0] or "",
            "S2": v[0][1] or ""})

    def processing_job(self, acct, region, name, role, vpc, isolation):
        def build():
            pj = {"ProcessingInputs": [{"InputName": "code", "AppManaged": False, "S3Input": {
                "S3Uri": "s3://sagemaker-@@A@@/code/@@N@@/preprocess.py", "LocalPath": "/opt/ml/processing/input/code",
                "S3DataType": "S3Prefix", "S3InputMode": "File", "S3DataDistributionType": "FullyReplicated",
                "S3CompressionType": "None"}}],
                "ProcessingOutputConfig": {"Outputs": [{"OutputName": "train", "S3Output": {
                    "S3Uri": "s3://sagemaker-@@A@@/@@N@@/train/", "LocalPath": "/opt/ml/processing/train",
                    "S3UploadMode": "EndOfJob"}, "AppManaged": False}]},
                "ProcessingJobName": "@@N@@",
                "ProcessingResources": {"ClusterConfig": {"InstanceCount": 1, "InstanceType": "ml.m5.xlarge",
                                                          "VolumeSizeInGB": 30}},
                "StoppingCondition": {"MaxRuntimeInSeconds": 3600},
                "AppSpecification": {"ImageUri": "683313688378.dkr.ecr.@@R@@.amazonaws.com/sagemaker-scikit-learn:1.2-1",
                                     "ContainerEntrypoint": ["python3", "/opt/ml/processing/input/code/preprocess.py"]}}
            nc = {"EnableInterContainerTrafficEncryption": False, "EnableNetworkIsolation": isolation}
            if vpc:
                nc["VpcConfig"] = {"SecurityGroupIds": ["@@G@@"], "Subnets": ["@@S1@@", "@@S2@@"]}
            pj["NetworkConfig"] = nc
            pj["RoleArn"] = "@@ROLE@@"
            pj["ProcessingJobArn"] = "arn:aws:sagemaker:@@R@@:@@A@@:processing-job/@@N@@"
            pj["ProcessingJobStatus"] = "Completed"
            pj["ProcessingEndTime"] = "2024-05-20T07:53:40.009000+00:00"
            pj["ProcessingStartTime"] = "2024-05-20T07:48:31.562000+00:00"
            pj["LastModifiedTime"] = "2024-05-20T07:53:40.381000+00:00"
            pj["CreationTime"] = "2024-05-20T07:45:12.274000+00:00"
            return pj
        v = vpc or ([None, None], [None])
        return self.fill(("pj", bool(vpc), isolation), build, {
            "R": region, "A": acct, "N": name, "ROLE": role, "G": v[1][0] or "", "S1": v[0][0] or "",
            "S2": v[0][1] or ""})

    def model(self, acct, region, name, role, vpc, isolation):
        def build():
            m = {"ModelName": "@@N@@", "PrimaryContainer": {
                "Image": "683313688378.dkr.ecr.@@R@@.amazonaws.com/sagemaker-xgboost:1.7-1", "Mode": "SingleModel",
                "ModelDataUrl": "s3://sagemaker-@@A@@/models/@@N@@/model.tar.gz", "Environment": {}},
                "ExecutionRoleArn": "@@ROLE@@"}
            if vpc:
                m["VpcConfig"] = {"SecurityGroupIds": ["@@G@@"], "Subnets": ["@@S1@@", "@@S2@@"]}
            m["CreationTime"] = "2024-05-14T11:05:09.772000+00:00"
            m["ModelArn"] = "arn:aws:sagemaker:@@R@@:@@A@@:model/@@N@@"
            m["EnableNetworkIsolation"] = isolation
            return m
        v = vpc or ([None, None], [None])
        return self.fill(("m", bool(vpc), isolation), build, {
            "R": region, "A": acct, "N": name, "ROLE": role, "G": v[1][0] or "", "S1": v[0][0] or "",
            "S2": v[0][1] or ""})

    def domain(self, acct, region, did, vpc_id, subnets, sg, role, access):
        d = {"DomainArn": f"arn:aws:sagemaker:{region}:{acct}:domain/{did}", "DomainId": did,
             "DomainName": f"studio-{acct}", "HomeEfsFileSystemId": "fs-" + hexid(did),
             "Status": "InService", "CreationTime": "2024-03-18T13:40:26.153000+00:00",
             "LastModifiedTime": "2024-05-02T08:17:55.640000+00:00", "AuthMode": "IAM",
             "DefaultUserSettings": {"ExecutionRole": role, "SecurityGroups": [sg],
                                     "SharingSettings": {"NotebookOutputOption": "Disabled"}},
             "AppNetworkAccessType": access, "SubnetIds": list(subnets),
             "Url": f"https://{did}.studio.{region}.sagemaker.aws", "VpcId": vpc_id,
             "AppSecurityGroupManagement": "Service"}
        return json.dumps(d, indent=4) + "\n"


class Generator:
    def __init__(self, seed):
        self.seed = seed
        self.render = Renderer()
        self.sm = SageMakerTemplates()
        with open(SNAPSHOT, encoding="utf-8") as fh:
            snap = json.load(fh)["policies"]
        self.snap = snap
        wanted = ["AdministratorAccess", "PowerUserAccess", "ReadOnlyAccess", "AmazonSageMakerFullAccess",
                  "AmazonSageMakerReadOnly", "AmazonS3ReadOnlyAccess", "CloudWatchAgentServerPolicy",
                  "AmazonSSMManagedInstanceCore", "job-function/ViewOnlyAccess", "job-function/DataScientist",
                  "SecurityAudit", "job-function/Billing"]
        self.aws_arns = {}
        for name in wanted:
            for prefix in ("arn:aws:iam::aws:policy/",):
                if prefix + name in snap:
                    self.aws_arns[name.split("/")[-1]] = prefix + name
                    break
            else:
                raise SystemExit(f"generate_export: {name} is not in {SNAPSHOT}")
        a = self.aws_arns
        self.service_linked = []
        for svc in ["AutoScaling", "ElasticLoadBalancing", "RDS", "ECS", "SSO", "Organizations", "Support",
                    "TrustedAdvisor", "AmazonSageMakerNotebooks", "CloudWatchEvents"]:
            arn = next((k for k in sorted(snap) if "/aws-service-role/" in k and svc.lower() in k.lower()), None)
            if arn:
                self.service_linked.append((svc, arn))
        self.permission_sets = [
            ("AdministratorAccess", [a["AdministratorAccess"]], None),
            ("ReadOnly", [a["ViewOnlyAccess"], a["SecurityAudit"]], None),
            ("Billing", [a["Billing"]], None),
            ("DataScientist", [a["DataScientist"]], {"AwsSSOInlinePolicy": doc(
                stmt("Deny", PRESIGN, "*", {"StringNotEqualsIfExists": {"aws:SourceVpc": ["vpc-0000sharedservices"]}},
                     sid="PresignOnlyFromSharedVpc"))}),
            ("PowerUser", [a["PowerUserAccess"]], None),
        ]
        self.aws_items = {}

    def aws_policy_item(self, arn, count):
        item = self.aws_items.get(arn)
        if item is None:
            p = self.snap[arn]
            n = int(p.get("version", "v1").lstrip("v") or 1)
            vl = [{"Document": self.render.ref(p["document"]), "VersionId": f"v{n}", "IsDefaultVersion": True,
                   "CreateDate": "2024-04-01T00:00:00+00:00"}]
            if n > 1:  # an older version, as the CLI lists every version
                older = dict(p["document"])
                older["Statement"] = list(p["document"]["Statement"])[:-1] or list(p["document"]["Statement"])
                vl.append({"Document": self.render.ref(older), "VersionId": f"v{n - 1}", "IsDefaultVersion": False,
                           "CreateDate": "2023-04-01T00:00:00+00:00"})
            path = "/" + arn.split(":policy/", 1)[1].rsplit("/", 1)[0] + "/" if arn.count("/") > 1 else "/"
            item = {"PolicyName": p["name"], "PolicyId": iam_id("ANPA", arn), "Arn": arn, "Path": path,
                    "DefaultVersionId": f"v{n}", "AttachmentCount": 0, "PermissionsBoundaryUsageCount": 0,
                    "IsAttachable": True, "CreateDate": "2015-02-06T18:40:00+00:00",
                    "UpdateDate": "2024-04-01T00:00:00+00:00", "PolicyVersionList": vl}
            self.aws_items[arn] = item
        return dict(item)  # AttachmentCount is set per account

    def scps(self, w):
        def scp(pid, name, document, aws_managed=False):
            arn = (f"arn:aws:organizations::aws:policy/service_control_policy/{pid}" if aws_managed else
                   f"arn:aws:organizations::{MGMT}:policy/{ORG}/service_control_policy/{pid}")
            w.text(f"organizations/describe-policy-{pid}.json", json.dumps({"Policy": {
                "PolicySummary": {"Id": pid, "Arn": arn, "Name": name, "Description": name,
                                  "Type": "SERVICE_CONTROL_POLICY", "AwsManaged": aws_managed},
                "Content": json.dumps(document, indent=4)}}, indent=4) + "\n")
        scp("p-FullAWSAccess", "FullAWSAccess", doc(stmt("Allow", "*", "*")), True)
        scp("p-" + hexid("region", 8), "DenyOutsideApprovedRegions", doc(
            stmt("Deny", None, "*", {"StringNotEquals": {"aws:RequestedRegion": REGIONS}}, sid="DenyOtherRegions",
                 not_action=["iam:*", "organizations:*", "route53:*", "budgets:*", "waf:*", "cloudfront:*",
                             "globalaccelerator:*", "importexport:*", "support:*", "sts:*", "health:*"])))
        scp("p-" + hexid("leave", 8), "DenyLeaveOrganization", doc(
            stmt("Deny", "organizations:LeaveOrganization", "*", sid="DenyLeave")))
        scp("p-" + hexid("root", 8), "DenyRootUser", doc(
            stmt("Deny", "*", "*", {"StringLike": {"aws:PrincipalArn": "arn:aws:iam::*:root"}}, sid="DenyRoot")))
        scp("p-" + hexid("guard", 8), "ProtectSecurityServices", doc(
            stmt("Deny", ["guardduty:DeleteDetector", "guardduty:DisassociateFromMasterAccount",
                          "cloudtrail:StopLogging", "cloudtrail:DeleteTrail", "config:DeleteConfigurationRecorder",
                          "config:StopConfigurationRecorder", "securityhub:DisableSecurityHub"], "*",
                 {"ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/AWSControlTowerExecution"}},
                 sid="ProtectSecurity")))
        scp("p-" + hexid("presign", 8), "PresignedUrlsThroughEndpoints", doc(
            stmt("Deny", PRESIGN, "*", {"Bool": {"aws:ViaAWSService": "false"},
                                        "StringNotLikeIfExists": {"aws:SourceVpce": "vpce-*"},
                                        "ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/AWSReservedSSO_*"}},
                 sid="PresignOnlyThroughEndpoints")))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--size-mb", type=float, required=True, help="stop once the export holds this many MB")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", required=True, help="directory to write (must not exist or be empty)")
    args = ap.parse_args(argv)
    if os.path.exists(args.out) and os.listdir(args.out):
        raise SystemExit(f"generate_export: {args.out} is not empty")
    target = int(args.size_mb * 1024 * 1024)
    g = Generator(args.seed)
    w = Writer(args.out)
    g.scps(w)
    accounts = 0
    while w.bytes < target:
        Account(g, accounts).write(w)
        accounts += 1
    print(f"generate_export: {args.out}: {accounts} accounts, {w.files} files, {w.bytes} bytes "
          f"({w.bytes / 1048576:.1f} MB), seed {args.seed}", file=sys.stderr)


if __name__ == "__main__":
    main()
