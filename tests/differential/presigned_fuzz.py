#!/usr/bin/env python3
"""Randomized differential test of `presigned-url-unrestricted` (python3 stdlib only).

For each seed: generate a small account export in AWS CLI shape (IAM authorization details
with 1-3 users/roles and inline policies, describe-vpc-endpoints with 1-4 endpoints in 1-2
VPCs, 1-2 notebooks, optionally SCPs), then

1. run `vpcgate scan DIR --checks presigned-url-unrestricted --format json`;
2. brute-force the decision with the engine (`vpcgate simulate --requests -`) over a grid of
   request contexts that do not come through an approved endpoint or from an approved VPC;
3. compare: brute force finds an allowed context  =>  the scan reports the principal; every
   reported principal has a witness that is a request AWS could see, is not approved, and
   re-evaluates as allowed; `notebooks` is exactly the set the witness reaches (non-empty).

A scan finding the grid misses is accepted when its witness checks out (the grid is an
under-approximation); it is counted as a "grid limit".

Usage: presigned_fuzz.py --binary build/vpcgate [--seeds N] [--start S] [--seed-list 1,2]
                         [--keep DIR] [--jobs J] [--verbose]
Exit status 0 when every seed agrees, 1 otherwise.
"""

import argparse
import ipaddress
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

ACCOUNT = "111122223333"
REGION = "us-east-1"
ACTION = "sagemaker:CreatePresignedNotebookInstanceUrl"
SAGEMAKER_API = "com.amazonaws.%s.sagemaker.api" % REGION
FULL_ACCESS = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}

CANONICAL_KEYS = {k.lower(): k for k in [
    "aws:SourceVpce", "aws:SourceVpc", "aws:SourceIp", "aws:SecureTransport",
    "aws:RequestedRegion", "aws:PrincipalTag/team", "aws:username", "aws:PrincipalArn",
    "aws:PrincipalAccount", "aws:PrincipalType", "aws:ResourceAccount"]}

UNKNOWN_VPCE = "vpce-0fedcba9876543210"
UNKNOWN_VPC = "vpc-0fedcba9876543210"
FRESH_VPCE = "vpce-0999999999999999e"   # never used in policies
FRESH_VPC = "vpc-0999999999999999e"
OUTSIDE_IPS = ["8.8.8.8", "2600:1f18::1"]


def hexid(rng, prefix, n=17):
    return prefix + "".join(rng.choice("0123456789abcdef") for _ in range(n))


# --------------------------------------------------------------------------- generation

class Export:
    pass


def gen_export(seed):
    rng = random.Random(seed)
    ex = Export()
    ex.seed = seed
    # VPCs and endpoints
    nvpc = rng.randint(1, 2)
    ex.vpcs = sorted({hexid(rng, "vpc-") for _ in range(nvpc)})
    nep = rng.randint(1, 4)
    services = [(SAGEMAKER_API, "Interface"), (SAGEMAKER_API, "Interface"),
                ("aws.sagemaker.%s.notebook" % REGION, "Interface"),
                ("com.amazonaws.%s.sts" % REGION, "Interface")]
    ex.endpoints = []  # dicts: id, vpc, service, type, policy (dict or None)
    have_s3 = False
    for _ in range(nep):
        if not have_s3 and rng.random() < 0.25:
            svc, typ = "com.amazonaws.%s.s3" % REGION, "Gateway"
            have_s3 = True
        else:
            svc, typ = rng.choice(services)
        ex.endpoints.append({"id": hexid(rng, "vpce-"), "vpc": rng.choice(ex.vpcs), "service": svc,
                             "type": typ, "policy": None})
    ex.approved_vpce = sorted(e["id"] for e in ex.endpoints
                              if e["service"] == SAGEMAKER_API and e["type"] == "Interface")
    ex.approved_vpc = sorted({e["vpc"] for e in ex.endpoints if e["id"] in ex.approved_vpce})
    ex.by_vpce = {e["id"]: e for e in ex.endpoints}
    # notebooks
    names = ["nb-alpha", "nb-beta", "research-01", "nb-alpha-2"]
    rng.shuffle(names)
    ex.notebooks = ["arn:aws:sagemaker:%s:%s:notebook-instance/%s" % (REGION, ACCOUNT, n)
                    for n in sorted(names[:rng.randint(1, 2)])]
    # principals
    ex.principals = []
    nprin = rng.randint(1, 3)
    pnames = ["alice", "bob", "DataScientist", "MlOps", "carol"]
    rng.shuffle(pnames)
    for i in range(nprin):
        kind = rng.choice(["user", "role"])
        name = pnames[i]
        arn = "arn:aws:iam::%s:%s/%s" % (ACCOUNT, kind, name)
        tags = {}
        if rng.random() < 0.4:
            tags["team"] = rng.choice(["ml", "data", "mlops"])
        p = {"kind": kind, "name": name, "arn": arn, "tags": tags, "policies": []}
        ex.principals.append(p)
    # literals available to policies (endpoint/VPC IDs of the export, unknown ones, wildcards)
    ex.vpce_lits = [e["id"] for e in ex.endpoints] + [UNKNOWN_VPCE, "vpce-*", ex.endpoints[0]["id"][:9] + "*",
                                                     ex.endpoints[0]["id"][:-1] + "?"]
    ex.vpc_lits = list(ex.vpcs) + [UNKNOWN_VPC, "vpc-*", ex.vpcs[0][:8] + "*"]
    ex.ip_lits = ["203.0.113.0/24", "198.51.100.7/32", "10.0.0.0/8", "0.0.0.0/0", "198.51.100.64/26",
                  "2001:db8::/32", "8.8.8.8"]
    for p in ex.principals:
        for j in range(rng.randint(1, 2)):
            doc = gen_policy(rng, ex, p, identity=True)
            p["policies"].append({"name": "Presign%d" % j, "doc": doc})
    # endpoint policies
    for e in ex.endpoints:
        if rng.random() < 0.45:
            e["policy"] = gen_endpoint_policy(rng, ex)
    # SCPs
    ex.scps = []
    if rng.random() < 0.35:
        for k in range(rng.randint(1, 2)):
            ex.scps.append(gen_policy(rng, ex, None, identity=False))
        if rng.random() < 0.5:
            ex.scps.append(FULL_ACCESS)
    return ex


ACTIONS = [ACTION, ACTION, "SageMaker:createPresignedNotebookInstanceURL", "sagemaker:*", "sagemaker:CreatePresigned*",
           "sagemaker:*Presigned*", "sagemaker:CreatePresigned?otebookInstanceUrl", "*", "s3:*",
           "sagemaker:DescribeNotebookInstance", "sagemaker:CreatePresignedDomainUrl", "SAGEMAKER:Create*Url",
           "sagemaker:createpresigned*"]


def resources(rng, ex, p):
    opts = ["*", "*", "arn:aws:sagemaker:%s:%s:notebook-instance/*" % (REGION, ACCOUNT),
            "arn:aws:sagemaker:*:*:notebook-instance/nb-*",
            "arn:aws:sagemaker:%s:%s:notebook-instance/other" % (REGION, ACCOUNT),
            "arn:aws:sagemaker:us-west-2:%s:notebook-instance/*" % ACCOUNT,
            "arn:aws:sagemaker:*:*:*"] + ex.notebooks
    if p is not None and p["kind"] == "user":
        opts.append("arn:aws:sagemaker:%s:%s:notebook-instance/${aws:username}*" % (REGION, ACCOUNT))
    return [rng.choice(opts) for _ in range(rng.randint(1, 2))]


def one_or_list(rng, xs):
    xs = list(dict.fromkeys(xs))
    return xs[0] if len(xs) == 1 and rng.random() < 0.7 else xs


def mixed_case_key(rng, k):
    if rng.random() < 0.1:
        return k.lower()
    if rng.random() < 0.05:
        return k.upper()
    return k


def gen_condition(rng, ex):
    cond = {}
    for _ in range(rng.randint(1, 2)):
        key = rng.choice(["aws:SourceVpce", "aws:SourceVpce", "aws:SourceVpc", "aws:SourceIp", "aws:SecureTransport",
                          "aws:RequestedRegion", "aws:PrincipalTag/team"])
        if rng.random() < 0.12:
            op, vals = "Null", [rng.choice(["true", "false"])]
        elif key == "aws:SourceIp":
            op = rng.choice(["IpAddress", "NotIpAddress", "IpAddressIfExists", "NotIpAddressIfExists"])
            vals = [rng.choice(ex.ip_lits) for _ in range(rng.randint(1, 2))]
        elif key == "aws:SecureTransport":
            op = rng.choice(["Bool", "BoolIfExists"])
            vals = [rng.choice(["true", "false", "True"])]
        else:
            op = rng.choice(["StringEquals", "StringNotEquals", "StringLike", "StringNotLike", "StringEqualsIfExists",
                             "StringNotEqualsIfExists", "StringLikeIfExists", "ForAnyValue:StringEquals",
                             "ForAnyValue:StringLike", "ForAllValues:StringEquals", "StringEqualsIgnoreCase"])
            lits = {"aws:SourceVpce": ex.vpce_lits, "aws:SourceVpc": ex.vpc_lits,
                    "aws:RequestedRegion": [REGION, "us-west-2", "us-*", "eu-west-1"],
                    "aws:PrincipalTag/team": ["ml", "data", "m*", "mlops"]}[key]
            vals = [rng.choice(lits) for _ in range(rng.randint(1, 2))]
            if "Like" not in op:
                vals = [v for v in vals if not any(c in v for c in "*?") or rng.random() < 0.3]
                if not vals:
                    vals = [lits[0]]
            if "IgnoreCase" in op and rng.random() < 0.5:
                vals = [v.upper() for v in vals]
        block = cond.setdefault(op, {})
        block[mixed_case_key(rng, key)] = one_or_list(rng, vals)
    return cond


def gen_statement(rng, ex, p, effect=None, identity=True):
    st = {}
    if rng.random() < 0.6:
        st["Sid"] = "S%d" % rng.randint(0, 99)
    st["Effect"] = effect or ("Allow" if rng.random() < 0.65 else "Deny")
    akey = "NotAction" if rng.random() < 0.15 else "Action"
    st[akey] = one_or_list(rng, [rng.choice(ACTIONS) for _ in range(rng.randint(1, 2))])
    rkey = "NotResource" if rng.random() < 0.1 else "Resource"
    st[rkey] = one_or_list(rng, resources(rng, ex, p))
    if rng.random() < 0.75:
        st["Condition"] = gen_condition(rng, ex)
    return st


def gen_policy(rng, ex, p, identity):
    sts = []
    n = rng.randint(1, 3)
    for i in range(n):
        eff = None
        if identity and i == 0:
            eff = "Allow"
        sts.append(gen_statement(rng, ex, p, eff, identity))
    if not identity and rng.random() < 0.4:
        # an SCP allow of its own, possibly narrow
        sts.append({"Effect": "Allow", "Action": rng.choice(["*", "sagemaker:*", "s3:*"]), "Resource": "*"})
    return {"Version": "2012-10-17", "Statement": sts}


def gen_endpoint_policy(rng, ex):
    choice = rng.random()
    if choice < 0.2:
        return {"Statement": [{"Action": "*", "Effect": "Allow", "Principal": "*", "Resource": "*"}]}
    sts = []
    if choice < 0.45:
        sts.append({"Effect": "Allow", "Principal": "*", "Action": "sagemaker:*", "Resource": "*",
                    "Condition": {"StringEquals": {"aws:PrincipalAccount": rng.choice([ACCOUNT, "999988887777"])}}})
    else:
        rkey = "NotResource" if rng.random() < 0.15 else "Resource"
        sts.append({"Effect": "Allow", "Principal": rng.choice(["*", {"AWS": "*"}]),
                    "Action": rng.choice(["*", "sagemaker:Describe*", ACTION, "sagemaker:CreatePresigned*"]),
                    rkey: rng.choice(["*"] + ex.notebooks + ex.notebooks)})
    if rng.random() < 0.4:
        st = {"Effect": "Deny", "Principal": "*", "Action": ACTION, "Resource": rng.choice(["*"] + ex.notebooks)}
        if rng.random() < 0.5:
            st["Principal"] = {"AWS": rng.choice([p["arn"] for p in ex.principals])}
        sts.append(st)
    return {"Version": "2012-10-17", "Statement": sts}


# --------------------------------------------------------------------------- export files

def write_export(ex, d):
    os.makedirs(os.path.join(d, "iam"), exist_ok=True)
    os.makedirs(os.path.join(d, "ec2"), exist_ok=True)
    os.makedirs(os.path.join(d, "sagemaker"), exist_ok=True)
    users, roles = [], []
    for i, p in enumerate(ex.principals):
        tags = [{"Key": k, "Value": v} for k, v in p["tags"].items()]
        inline = [{"PolicyName": pol["name"], "PolicyDocument": pol["doc"]} for pol in p["policies"]]
        if p["kind"] == "user":
            users.append({"Path": "/", "UserName": p["name"], "UserId": "AIDA%016dX" % (ex.seed * 10 + i),
                          "Arn": p["arn"], "CreateDate": "2024-03-01T10:15:00+00:00", "UserPolicyList": inline,
                          "GroupList": [], "AttachedManagedPolicies": [], "Tags": tags})
        else:
            roles.append({"Path": "/", "RoleName": p["name"], "RoleId": "AROA%016dX" % (ex.seed * 10 + i),
                          "Arn": p["arn"], "CreateDate": "2024-03-01T10:15:00+00:00",
                          "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [
                              {"Effect": "Allow", "Principal": {"Service": "sagemaker.amazonaws.com"},
                               "Action": "sts:AssumeRole"}]},
                          "InstanceProfileList": [], "RolePolicyList": inline, "AttachedManagedPolicies": [],
                          "Tags": tags, "RoleLastUsed": {}})
    iam = {"UserDetailList": users, "GroupDetailList": [], "RoleDetailList": roles, "Policies": [],
           "IsTruncated": False}
    dump(os.path.join(d, "iam", "get-account-authorization-details.json"), iam)
    vpcs = {"Vpcs": [{"OwnerId": ACCOUNT, "InstanceTenancy": "default", "IsDefault": False, "VpcId": v,
                      "State": "available", "CidrBlock": "10.%d.0.0/16" % (20 + i),
                      "DhcpOptionsId": "dopt-0c4f1e2d3b5a69788"} for i, v in enumerate(ex.vpcs)]}
    dump(os.path.join(d, "ec2", "describe-vpcs.json"), vpcs)
    subnets = {"Subnets": [{"SubnetId": "subnet-%s" % v[4:], "VpcId": v, "CidrBlock": "10.%d.1.0/24" % (20 + i),
                            "State": "available", "AvailabilityZone": REGION + "a", "AvailableIpAddressCount": 250,
                            "DefaultForAz": False, "MapPublicIpOnLaunch": False, "OwnerId": ACCOUNT}
                           for i, v in enumerate(ex.vpcs)]}
    dump(os.path.join(d, "ec2", "describe-subnets.json"), subnets)
    eps = []
    for e in ex.endpoints:
        item = {"VpcEndpointId": e["id"], "VpcEndpointType": e["type"], "VpcId": e["vpc"],
                "ServiceName": e["service"], "State": "available"}
        if e["policy"] is not None:
            item["PolicyDocument"] = json.dumps(e["policy"], indent=2)
        if e["type"] == "Gateway":
            item.update({"RouteTableIds": [], "SubnetIds": [], "Groups": [], "PrivateDnsEnabled": False})
        else:
            item.update({"RouteTableIds": [], "SubnetIds": ["subnet-%s" % e["vpc"][4:]], "Groups": [],
                         "PrivateDnsEnabled": True, "IpAddressType": "ipv4"})
        item.update({"RequesterManaged": False, "NetworkInterfaceIds": [], "DnsEntries": [],
                     "CreationTimestamp": "2024-02-12T14:03:55.102000+00:00", "Tags": [], "OwnerId": ACCOUNT})
        eps.append(item)
    dump(os.path.join(d, "ec2", "describe-vpc-endpoints.json"), {"VpcEndpoints": eps})
    for nb in ex.notebooks:
        name = nb.rsplit("/", 1)[1]
        v = ex.vpcs[0]
        dump(os.path.join(d, "sagemaker", "describe-notebook-instance-%s.json" % name), {
            "NotebookInstanceArn": nb, "NotebookInstanceName": name, "NotebookInstanceStatus": "InService",
            "Url": "%s.notebook.%s.sagemaker.aws" % (name, REGION), "InstanceType": "ml.t3.medium",
            "SubnetId": "subnet-%s" % v[4:], "SecurityGroups": [],
            "RoleArn": "arn:aws:iam::%s:role/service-role/SageMakerExec" % ACCOUNT,
            "LastModifiedTime": "2024-05-21T16:02:09.884000+00:00",
            "CreationTime": "2024-03-04T09:12:44.517000+00:00", "DirectInternetAccess": "Disabled",
            "VolumeSizeInGB": 5, "RootAccess": "Disabled"})
    if ex.scps:
        os.makedirs(os.path.join(d, "organizations"), exist_ok=True)
        for i, doc in enumerate(ex.scps):
            pid = "p-%08dz%d" % (ex.seed, i)
            dump(os.path.join(d, "organizations", "describe-policy-%s.json" % pid), {"Policy": {
                "PolicySummary": {"Id": pid, "Arn": "arn:aws:organizations::444455556666:policy/o-aa111bb222/"
                                  "service_control_policy/%s" % pid, "Name": "Scp%d" % i, "Description": "",
                                  "Type": "SERVICE_CONTROL_POLICY", "AwsManaged": False},
                "Content": json.dumps(doc, indent=4)}})


def dump(path, obj):
    with open(path, "w") as f:
        json.dump(obj, f, indent=4)
        f.write("\n")


# --------------------------------------------------------------------------- brute force grid

def all_policy_docs(ex):
    docs = [pol["doc"] for p in ex.principals for pol in p["policies"]] + list(ex.scps)
    return docs


def condition_literals(ex):
    """key (lower-case) -> set of literal values mentioned in the identity policies and SCPs."""
    out = {}
    for doc in all_policy_docs(ex):
        for st in doc["Statement"]:
            for op, block in st.get("Condition", {}).items():
                for k, v in block.items():
                    vs = v if isinstance(v, list) else [v]
                    if op == "Null":
                        continue
                    out.setdefault(k.lower(), set()).update(str(x) for x in vs)
    return out


def instances(vals):
    """concrete values for patterns: each literal, and for wildcard patterns an instance."""
    out = set()
    for v in vals:
        if "*" in v or "?" in v:
            out.add(v)  # the pattern itself, as a literal string (StringEquals "vpc-*")
            out.add(v.replace("*", "zz").replace("?", "q"))
            out.add(v.replace("*", "").replace("?", "0"))
        else:
            out.add(v)
            if v != v.lower():
                out.add(v.lower())
    return out


def ip_values(lits):
    out = {None}
    for v in lits:
        try:
            net = ipaddress.ip_network(v, strict=False)
        except ValueError:
            continue
        out.add(str(net.network_address))
        if net.num_addresses > 2:
            out.add(str(net.network_address + 1))
            out.add(str(net.broadcast_address))
        try:
            out.add(str(net.broadcast_address + 1))
        except ValueError:
            pass
        try:
            out.add(str(net.network_address - 1))
        except ValueError:
            pass
    out.update(OUTSIDE_IPS)
    return out


def network_contexts(ex, lits):
    """(SourceVpce, SourceVpc, SourceIp) triples AWS could see, not approved."""
    # endpoint and VPC IDs are lower-case in every request AWS sees (an upper-case spelling of a
    # known ID is that ID, not an unknown endpoint)
    vpce_vals = ({e["id"] for e in ex.endpoints} | {v.lower() for v in instances(lits.get("aws:sourcevpce", set()))}
                 | {FRESH_VPCE})
    vpc_lits = {v.lower() for v in instances(lits.get("aws:sourcevpc", set()))} | {FRESH_VPC}
    out = []
    for ip in sorted(ip_values(lits.get("aws:sourceip", set())), key=lambda x: (x is not None, x or "")):
        out.append((None, None, ip))
    for vpce in sorted(vpce_vals):
        if vpce in ex.approved_vpce:
            continue
        if vpce in ex.by_vpce:
            vpcs = [ex.by_vpce[vpce]["vpc"]]
        else:
            vpcs = sorted(vpc_lits)
        for vpc in vpcs:
            if vpc in ex.approved_vpc:
                continue
            out.append((vpce, vpc, None))
    return out


def fixed_context(ex, p, nb):
    ctx = {"aws:RequestedRegion": nb.split(":")[3]}
    if "team" in p["tags"]:
        ctx["aws:PrincipalTag/team"] = p["tags"]["team"]
    return ctx


def grid(ex, p, lits):
    st_vals = [None, "true", "false"]
    for vpce, vpc, ip in network_contexts(ex, lits):
        for st in st_vals:
            ctx = {}
            if vpce is not None:
                ctx["aws:SourceVpce"] = vpce
                ctx["aws:SourceVpc"] = vpc
            if ip is not None:
                ctx["aws:SourceIp"] = ip
            if st is not None:
                ctx["aws:SecureTransport"] = st
            yield ctx


def scp_levels(ex):
    if not ex.scps:
        return []
    level = list(ex.scps)
    if not any(st.get("Effect") == "Allow" for d in level for st in d["Statement"]):
        level.append(FULL_ACCESS)
    return [level]


def request(ex, p, nb, ctx):
    full = dict(fixed_context(ex, p, nb))
    full.update(ctx)
    ep = None
    vpce = ctx.get("aws:SourceVpce")
    if vpce in ex.by_vpce and ex.by_vpce[vpce]["policy"] is not None:
        ep = ex.by_vpce[vpce]["policy"]
    return {"policies": [pol["doc"] for pol in p["policies"]], "resource_policy": None, "boundary": None,
            "scps": scp_levels(ex), "endpoint_policy": ep, "action": ACTION, "resource": nb,
            "resource_account": None, "principal": p["arn"], "context": full}


def simulate(binary, reqs):
    data = "".join(json.dumps(r) + "\n" for r in reqs)
    r = subprocess.run([binary, "simulate", "--requests", "-"], input=data, capture_output=True, text=True,
                       timeout=600)
    lines = [json.loads(l) for l in r.stdout.splitlines() if l.strip()]
    if len(lines) != len(reqs):
        raise RuntimeError("simulate printed %d lines for %d requests (rc %d): %s" %
                           (len(lines), len(reqs), r.returncode, r.stderr[:500]))
    for l in lines:
        if "error" in l:
            raise RuntimeError("simulate error: %s" % l)
    return lines


# --------------------------------------------------------------------------- one seed

def policy_ids(p):
    return ["%s#%s" % (p["arn"], pol["name"]) for pol in p["policies"]]


def check_seed(seed, binary, keep=None):
    """Returns (problems, info). problems: list of strings (real disagreements)."""
    ex = gen_export(seed)
    tmp = tempfile.mkdtemp(prefix="pfuzz-%d-" % seed)
    d = os.path.join(tmp, "export")
    write_export(ex, d)
    problems, notes = [], []
    try:
        r = subprocess.run([binary, "scan", d, "--checks", "presigned-url-unrestricted", "--format", "json"],
                           capture_output=True, text=True, timeout=300)
        if r.returncode not in (0, 1):
            problems.append("scan exit %d: %s" % (r.returncode, r.stderr.strip()[:400]))
            return problems, notes, ex
        report = json.loads(r.stdout)
        findings = {f["principal"]: f for f in report["findings"] if f["check"] == "presigned-url-unrestricted"}
        if (r.returncode == 1) != bool(report["findings"]):
            problems.append("scan exit %d with %d findings" % (r.returncode, len(report["findings"])))
        lits = condition_literals(ex)
        reqs, meta = [], []
        for p in ex.principals:
            for ctx in grid(ex, p, lits):
                for nb in ex.notebooks:
                    reqs.append(request(ex, p, nb, ctx))
                    meta.append((p["arn"], nb, ctx))
        # witness re-evaluation requests
        wmeta = []
        for p in ex.principals:
            f = findings.get(p["arn"])
            if f is None:
                continue
            w = f["evidence"].get("witness", {})
            wctx = {k: v for k, v in w.items() if v is not None}
            for nb in ex.notebooks:
                req = request(ex, p, nb, {})
                ctx = dict(fixed_context(ex, p, nb))
                ctx.update(wctx)
                req["context"] = ctx
                vpce = ctx.get("aws:SourceVpce")
                req["endpoint_policy"] = (ex.by_vpce[vpce]["policy"] if isinstance(vpce, str) and vpce in ex.by_vpce
                                          else None)
                reqs.append(req)
                wmeta.append((p["arn"], nb))
        res = simulate(binary, reqs)
        brute = {}
        for (parn, nb, ctx), out in zip(meta, res[:len(meta)]):
            if out["EvalDecision"] == "allowed":
                brute.setdefault(parn, {}).setdefault(nb, ctx)
        wres = {}
        for (parn, nb), out in zip(wmeta, res[len(meta):]):
            wres.setdefault(parn, {})[nb] = out
        for p in ex.principals:
            parn = p["arn"]
            f = findings.get(parn)
            b = brute.get(parn, {})
            if f is None:
                if b:
                    nb, ctx = sorted(b.items())[0]
                    problems.append("MISSED %s: brute force allows %s on %s" % (parn, json.dumps(ctx, sort_keys=True), nb))
                continue
            ev = f["evidence"]
            w = ev.get("witness", {})
            wp = check_witness(ex, p, w)
            reached = sorted(nb for nb, out in wres.get(parn, {}).items() if out["EvalDecision"] == "allowed")
            if not reached:
                wp.append("witness %s is not allowed on any notebook" % json.dumps(w, sort_keys=True))
            nbs = ev.get("notebooks", [])
            if not nbs:
                wp.append("empty notebooks")
            elif sorted(nbs) != reached:
                wp.append("notebooks %s != notebooks the witness reaches %s" % (nbs, reached))
            # statements: identity Allow statements that allow the witness request
            ids = policy_ids(p)
            granted = set()
            for nb in reached:
                for m in wres[parn][nb]["MatchedStatements"]:
                    if m["SourcePolicyType"] == "identity":
                        i = int(m["SourcePolicyId"].split("[")[1].rstrip("]"))
                        granted.add((ids[i], m["Sid"], m["Index"]))
            stm = {(s["policy"], s["sid"], s["index"]) for s in ev.get("statements", [])}
            if reached and not stm:
                wp.append("no statements")
            elif reached and not stm <= granted:
                wp.append("statements %s not among the witness's identity grants %s" % (sorted(stm, key=str),
                                                                                      sorted(granted, key=str)))
            if wp:
                problems.extend("WITNESS %s: %s" % (parn, x) for x in wp)
            elif not b:
                notes.append("GRID-LIMIT %s: scan witness %s (valid) outside the grid" % (parn, json.dumps(w, sort_keys=True)))
            else:
                extra = set(nbs) - set(b)
                if extra:
                    notes.append("GRID-LIMIT %s: notebooks %s not in brute set" % (parn, sorted(extra)))
        for parn in findings:
            if parn not in {p["arn"] for p in ex.principals}:
                problems.append("finding for unknown principal %s" % parn)
    finally:
        if keep and (problems or keep == "all"):
            dst = os.path.join(keep, "seed-%d" % seed)
            shutil.rmtree(dst, ignore_errors=True)
            shutil.copytree(d, dst)
        shutil.rmtree(tmp, ignore_errors=True)
    return problems, notes, ex


def check_witness(ex, p, w):
    out = []
    for k in w:
        if k.lower().startswith("aws:principaltag/"):
            if not k.startswith("aws:PrincipalTag/"):
                out.append("witness key %r not spelled as AWS documents it" % k)
        elif k.lower() in CANONICAL_KEYS and CANONICAL_KEYS[k.lower()] != k:
            out.append("witness key %r not spelled as AWS documents it" % k)
    wl = {k.lower(): v for k, v in w.items()}
    if len(wl) != len(w):
        out.append("witness names a key twice (in different letter case): %s" % sorted(w))
    if "aws:sourcevpce" not in wl or "aws:sourcevpc" not in wl:
        out.append("witness lacks aws:SourceVpce/aws:SourceVpc")
    vpce, vpc, ip = wl.get("aws:sourcevpce"), wl.get("aws:sourcevpc"), wl.get("aws:sourceip")
    if (vpce is None) != (vpc is None):
        out.append("aws:SourceVpc present iff aws:SourceVpce violated")
    if vpce is not None and ip is not None:
        out.append("aws:SourceIp present through an endpoint")
    if vpce in ex.by_vpce and vpc != ex.by_vpce[vpce]["vpc"]:
        out.append("known endpoint %s with VPC %s (its VPC is %s)" % (vpce, vpc, ex.by_vpce[vpce]["vpc"]))
    st = wl.get("aws:securetransport")
    if st is not None and (not isinstance(st, str) or st.lower() not in ("true", "false")):
        out.append("aws:SecureTransport is %r in the witness: AWS sets it to true or false" % (st,))
    if ip is not None:
        try:
            ipaddress.ip_address(ip)
        except (ValueError, TypeError):
            out.append("aws:SourceIp is %r in the witness: not an IP address" % (ip,))
    if vpce in ex.approved_vpce or vpc in ex.approved_vpc:
        out.append("witness is approved (%s, %s)" % (vpce, vpc))
    for nb in ex.notebooks[:1]:
        for k, v in fixed_context(ex, p, nb).items():
            if k.lower() in wl and wl[k.lower()] not in (v, [v]):
                out.append("fixed key %s is %r in the witness, the request has %r" % (k, wl[k.lower()], v))
    if "aws:principaltag/team" in wl and "team" not in p["tags"] and wl["aws:principaltag/team"] is not None:
        out.append("witness gives a principal tag the principal does not have")
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--seeds", type=int, default=200)
    ap.add_argument("--start", type=int, default=1)
    ap.add_argument("--seed-list", default="")
    ap.add_argument("--skip", default="", help="comma-separated seeds to skip (known failures)")
    ap.add_argument("--keep", default="", help="copy failing exports to this directory")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--verbose", action="store_true")
    a = ap.parse_args()
    seeds = ([int(s) for s in a.seed_list.split(",") if s] if a.seed_list
             else list(range(a.start, a.start + a.seeds)))
    skip = {int(s) for s in a.skip.split(",") if s}
    seeds = [s for s in seeds if s not in skip]
    if a.keep:
        os.makedirs(a.keep, exist_ok=True)
    failed, nfind, ngrid, nprin = [], 0, 0, 0

    def run(s):
        try:
            return s, check_seed(s, a.binary, a.keep or None)
        except Exception as e:  # noqa: BLE001
            return s, (["EXCEPTION %r" % e], [], None)

    with ThreadPoolExecutor(max_workers=a.jobs) as pool:
        for s, (problems, notes, ex) in pool.map(run, seeds):
            if ex is not None:
                nprin += len(ex.principals)
            ngrid += sum(1 for n in notes if n.startswith("GRID-LIMIT"))
            if problems:
                failed.append(s)
                print("seed %d: FAIL" % s)
                for x in problems:
                    print("   ", x)
            if a.verbose:
                for x in notes:
                    print("seed %d: %s" % (s, x))
    print("presigned_fuzz: %d seeds, %d principals, %d grid-limit notes, %d failing seeds%s" %
          (len(seeds), nprin, ngrid, len(failed), (": " + ",".join(map(str, failed))) if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
