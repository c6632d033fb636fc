#!/usr/bin/env python3
"""Hostile inputs for vpcgate (issue 7, docs/security.md).

    generate.py OUTDIR [--big-mb N] [--files N]

writes every case under OUTDIR/<case>/ and OUTDIR/manifest.json, which run_hostile.py reads.
Nothing here is committed but this script: the large inputs (a 1,000,000-level nesting, a
string of --big-mb megabytes, a directory of --files files, a policy of 100,000 statements)
are made at test time.

A case in the manifest:
  name      unique name (also the directory that holds its files)
  args      vpcgate arguments; paths are relative to OUTDIR (the runner's working directory)
  exit      expected exit status
  stderr    regular expression that stderr must match (re.search), or null
  stdout    regular expression that stdout must match, or null
  checks    extra checks of the output: "json" (stdout is one JSON value), "jsonl" (each
            stdout line is JSON), "sarif" (SARIF 2.1.0), "text_safe" (no control characters
            but newlines in stdout)
  timeout   seconds (generous: only there to catch hangs; speed is measured in bench/)
  mem_mb    address-space limit in MiB (ulimit -v; not applied under sanitizers)
  stdin     file (relative to OUTDIR) fed to stdin, or null
"""
import argparse
import json
import os
import sys

ACCOUNT = "111122223333"
PRESIGN = "sagemaker:CreatePresignedNotebookInstanceUrl"


def w(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    mode = "wb" if isinstance(data, bytes) else "w"
    with open(path, mode) as f:
        f.write(data)


def role(name, statements, arn=None):
    return {
        "Path": "/", "RoleName": name, "RoleId": "AROA" + "X" * 17,
        "Arn": arn or f"arn:aws:iam::{ACCOUNT}:role/{name}",
        "CreateDate": "2024-01-01T00:00:00+00:00",
        "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "sagemaker.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
        "InstanceProfileList": [],
        "RolePolicyList": [{"PolicyName": "p", "PolicyDocument": {"Version": "2012-10-17", "Statement": statements}}],
        "AttachedManagedPolicies": [], "Tags": [],
    }


def iam(roles):
    return {"UserDetailList": [], "GroupDetailList": [], "RoleDetailList": roles, "Policies": [], "IsTruncated": False}


def scp(content):
    return {"Policy": {"PolicySummary": {
        "Id": "p-hostile", "Arn": f"arn:aws:organizations::{ACCOUNT}:policy/o-aa111bb222/service_control_policy/p-hostile",
        "Name": "hostile", "Type": "SERVICE_CONTROL_POLICY", "AwsManaged": False}, "Content": content}}


def notebook(arn, subnet=None):
    nb = {"NotebookInstanceArn": arn, "NotebookInstanceName": "nb", "NotebookInstanceStatus": "InService",
          "InstanceType": "ml.t3.medium", "RoleArn": f"arn:aws:iam::{ACCOUNT}:role/Exec",
          "DirectInternetAccess": "Enabled", "CreationTime": "2024-01-01T00:00:00Z",
          "LastModifiedTime": "2024-01-01T00:00:00Z"}
    if subnet:
        nb["SubnetId"] = subnet
    return nb


def dumps(obj):
    return json.dumps(obj)


class Cases:
    def __init__(self, out):
        self.out = out
        self.cases = []

    def add(self, name, files, args, exit, stderr=None, stdout=None, checks=(), timeout=60, mem_mb=4096,
            stdin=None):
        for rel, data in files.items():
            if data is None:
                continue
            w(os.path.join(self.out, name, rel), data)
        self.cases.append({"name": name, "args": args, "exit": exit, "stderr": stderr, "stdout": stdout,
                           "checks": list(checks), "timeout": timeout, "mem_mb": mem_mb, "stdin": stdin})

    def scan_error(self, name, filename, data, where_message, **kw):
        """One file that must stop the scan: exit 2, `vpcgate: error: FILE: PLACE: message`."""
        self.add(name, {filename: data}, ["scan", f"{name}/{filename}"], 2,
                 stderr=r"^vpcgate: error: " + name + "/" + filename.replace(".", r"\.") + ": " + where_message, **kw)


def generate(out, big_mb, nfiles):
    c = Cases(out)
    LC = r"line \d+, column \d+: "

    # --- syntax -------------------------------------------------------------------------------
    c.scan_error("truncated", "iam.json", '{"RoleDetailList": [', LC + "invalid JSON")
    c.scan_error("truncated-string", "vpcs.json", '{"Vpcs": [{"VpcId": "vpc-', LC + "invalid JSON")
    c.scan_error("empty", "empty.json", "", r"line 1, column 1: invalid JSON")
    c.scan_error("whitespace-only", "blank.json", "  \n\n  ", LC + "invalid JSON")
    c.scan_error("garbage", "garbage.json", b"\x00\x01\x02PK\x03\x04", LC + "invalid JSON")
    c.scan_error("truncated-yaml", "iam.yaml", 'RoleDetailList:\n  - RoleName: [x\n', LC + "invalid YAML")
    c.add("empty-yaml", {"empty.yaml": ""}, ["scan", "empty-yaml/empty.yaml"], 0, stdout=r"skipped: empty-yaml/empty\.yaml",
          checks=["text_safe"])
    c.scan_error("utf16-odd", "u16.json", b"\xff\xfe{\x00\"", r"invalid UTF-16")

    # --- wrong types ----------------------------------------------------------------------------
    c.scan_error("string-for-array", "iam.json", '{"RoleDetailList": "x"}',
                 r"/RoleDetailList: expected an array, got a string")
    c.scan_error("number-as-arn", "nb.json", '{"NotebookInstanceArn": 12345}',
                 r"/NotebookInstanceArn: expected a string, got a number")
    r = role("R", [{"Effect": "Allow", "Action": "*", "Resource": "*"}], arn=7)
    c.scan_error("number-as-role-arn", "iam.json", dumps(iam([r])), r"/RoleDetailList/0/Arn: expected a string, got a number")
    r = role("R", "x")
    c.scan_error("string-for-statement", "iam.json", dumps(iam([r])),
                 r"/RoleDetailList/0/RolePolicyList/0/PolicyDocument/Statement: expected")
    r = role("R", [{"Effect": "Maybe", "Action": "*", "Resource": "*"}])
    c.scan_error("bad-effect", "iam.json", dumps(iam([r])),
                 r"/RoleDetailList/0/RolePolicyList/0/PolicyDocument/Statement/0/Effect: expected \"Allow\" or \"Deny\"")
    c.scan_error("top-level-array-of-junk", "junk.json", '{"Subnets": [1, 2, 3]}', r"/Subnets/0: expected an object")

    # --- duplicate keys -------------------------------------------------------------------------
    c.scan_error("duplicate-top", "iam.json", '{"RoleDetailList": [], "RoleDetailList": []}',
                 r"/RoleDetailList: duplicate member")
    r = dumps(iam([role("R", [{"Effect": "Allow", "Action": "*", "Resource": "*"}])]))
    c.scan_error("duplicate-nested", "iam.json", r.replace('"RoleName": "R"', '"RoleName": "R", "RoleName": "S"'),
                 r"/RoleDetailList/0/RoleName: duplicate member")
    c.scan_error("duplicate-in-policy", "iam.json", r.replace('"Effect": "Allow"', '"Effect": "Allow", "Effect": "Deny"'),
                 r"/RoleDetailList/0/AssumeRolePolicyDocument/Statement/0/Effect: duplicate member")
    c.scan_error("duplicate-yaml", "vpcs.yaml", "Vpcs: []\nVpcs: []\n", r"line 2, column 1: unsupported YAML: duplicate member")
    c.scan_error("yaml-utf32-sniffed", "x.yaml", b"\x01\x00\x00\x00\x00\x00\x00\x01ateFormatVersion: x\n",
                 LC + "unsupported YAML: a string that is not valid UTF-8")
    c.scan_error("duplicate-in-content", "scp.json",
                 dumps(scp('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Effect": "Deny", '
                           '"Action": "*", "Resource": "*"}]}')),
                 r"/Policy/Content: /Statement/0/Effect: duplicate member")

    # --- encodings ------------------------------------------------------------------------------
    c.scan_error("invalid-utf8-string", "vpcs.json", b'{"Vpcs": [{"VpcId": "vpc-\xff\xfe", "OwnerId": "1"}]}',
                 LC + "invalid JSON")
    c.scan_error("invalid-utf8-key", "vpcs.json", b'{"Vpcs\xc0\xaf": []}', LC + "invalid JSON")
    c.scan_error("invalid-utf8-overlong", "vpcs.json", b'{"Vpcs": [{"VpcId": "\xe0\x80\xaf"}]}', LC + "invalid JSON")
    c.scan_error("invalid-utf8-yaml", "vpcs.yaml", b'Vpcs:\n  - VpcId: "vpc-\xff"\n    OwnerId: "1"\n',
                 LC + "invalid UTF-8")
    c.scan_error("lone-surrogate-escape", "vpcs.json", '{"Vpcs": [{"VpcId": "\\ud800", "OwnerId": "1"}]}',
                 LC + "invalid JSON")

    # --- numbers --------------------------------------------------------------------------------
    acl = {"NetworkAcls": [{"NetworkAclId": "acl-1", "VpcId": "vpc-1", "IsDefault": False, "Associations": [],
                            "Entries": [{"RuleNumber": 100, "Protocol": "-1", "RuleAction": "allow", "Egress": True,
                                         "CidrBlock": "0.0.0.0/0"}]}]}
    acl_text = dumps(acl)
    c.scan_error("number-huge-integer", "acl.json", acl_text.replace('"RuleNumber": 100', '"RuleNumber": 99999999999999999999999'),
                 LC + "invalid JSON: number out of range")
    c.scan_error("number-infinite", "acl.json", acl_text.replace('"RuleNumber": 100', '"RuleNumber": 1e999'),
                 LC + "invalid JSON: number out of range")
    c.scan_error("number-int32-overflow", "acl.json", acl_text.replace('"RuleNumber": 100', '"RuleNumber": 4294967296'),
                 r"/NetworkAcls/0/Entries/0/RuleNumber: integer out of range")
    c.scan_error("number-fraction-for-int", "acl.json", acl_text.replace('"RuleNumber": 100', '"RuleNumber": 1.5'),
                 r"/NetworkAcls/0/Entries/0/RuleNumber: expected an integer")
    c.scan_error("number-in-content", "scp.json",
                 dumps(scp('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*",'
                           ' "Condition": {"NumericLessThan": {"s3:max-keys": 1e999}}}]}')),
                 r"/Policy/Content: " + LC + "invalid JSON: number out of range")

    # --- policies held in strings ---------------------------------------------------------------
    c.scan_error("content-not-json", "scp.json", dumps(scp("{not json")), r"/Policy/Content: " + LC + "invalid JSON")
    c.scan_error("content-number", "scp.json", dumps(scp(5)), r"/Policy/Content: expected a string, got a number")
    c.scan_error("content-empty", "scp.json", dumps(scp("")), r"/Policy/Content: " + LC + "invalid JSON")
    c.scan_error("content-deep", "scp.json", dumps(scp("[" * 1_000_000 + "]" * 1_000_000)),
                 r"/Policy/Content: " + LC + "invalid JSON: nested too deep", timeout=120)

    # --- depth ----------------------------------------------------------------------------------
    deep = "[" * 1_000_000 + "]" * 1_000_000
    c.scan_error("deep-array", "deep.json", deep, r"line 1, column 1025: .*too deep", timeout=120)
    c.scan_error("deep-in-member", "deep.json", '{"Vpcs": ' + "{\"a\":" * 1_000_000 + "1" + "}" * 1_000_000 + "}",
                 LC + ".*too deep", timeout=120)
    c.scan_error("deep-unclosed", "deep.json", "[" * 1_000_000, LC + ".*(too deep|invalid JSON)", timeout=120)
    c.scan_error("deep-yaml-flow", "deep.yaml", "a: " + "[" * 1_000_000 + "]" * 1_000_000 + "\n",
                 LC + ".*(too deep|invalid YAML|unsupported YAML)", timeout=120)
    c.scan_error("deep-yaml-block", "deep.yaml", "".join("  " * i + "- \n" for i in range(20000)) + "  " * 20000 + "x\n",
                 LC + ".*(too deep|invalid YAML|unsupported YAML)", timeout=120)
    c.add("deep-simulate-policy", {"p.json": deep},
          ["simulate", "--policy", "deep-simulate-policy/p.json", "--action", "s3:GetObject"], 2,
          stderr=r"^vpcgate: error: deep-simulate-policy/p\.json: " + LC + ".*too deep", timeout=120)
    c.add("deep-simulate-requests", {"r.jsonl": '{"policies": []}\n' + deep + "\n"},
          ["simulate", "--requests", "deep-simulate-requests/r.jsonl"], 2,
          stdout=r'"line": ?2, ?"error"', checks=["jsonl"], timeout=120)

    # --- size -----------------------------------------------------------------------------------
    big = "a" * (big_mb * 1024 * 1024)
    c.add("big-string", {"vpcs.json": '{"Vpcs": [{"VpcId": "vpc-' + big + '", "OwnerId": "1", "CidrBlock": "10.0.0.0/16"}]}'},
          ["scan", "big-string/vpcs.json", "--format", "json"], 0, checks=["json"], timeout=180,
          mem_mb=max(4096, 24 * big_mb))
    c.add("big-string-in-name", {"nb.json": dumps(notebook(f"arn:aws:sagemaker:us-east-1:{ACCOUNT}:notebook-instance/"
                                                            + "n" * (big_mb * 1024 * 1024 // 4)))},
          ["scan", "big-string-in-name/nb.json"], 1, checks=["text_safe"], timeout=180, mem_mb=max(4096, 24 * big_mb))

    many = [{"Effect": "Allow", "Action": PRESIGN, "Resource": "*",
             "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-%017d" % i}}} for i in range(100_000)]
    c.add("policy-100k-statements", {"iam.json": dumps(iam([role("Many", many)]))},
          ["scan", "policy-100k-statements/iam.json", "--format", "json"], 1,
          stdout=r"presigned-url-unrestricted", checks=["json"], timeout=300, mem_mb=8192)
    c.add("simulate-100k-statements", {"p.json": dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::b{i}/*"} for i in range(100_000)]})},
          ["simulate", "--policy", "simulate-100k-statements/p.json", "--action", "s3:GetObject",
           "--resource", "arn:aws:s3:::b99999/x", "--format", "json"], 0, stdout=r'"allowed"', checks=["json"],
          timeout=120)
    vals = ["vpce-%017d" % i for i in range(10_000)]
    c.add("condition-10k-values", {"iam.json": dumps(iam([role("Cond", [
        {"Effect": "Allow", "Action": PRESIGN, "Resource": "*", "Condition": {"StringEquals": {"aws:SourceVpce": vals}}}])]))},
          ["scan", "condition-10k-values/iam.json", "--format", "json"], 1, stdout=r"presigned-url-unrestricted",
          checks=["json"], timeout=120)
    tags = ["t%05d" % i for i in range(10_000)]
    c.add("condition-10k-values-multi", {"iam.json": dumps(iam([role("Multi", [
        {"Effect": "Allow", "Action": PRESIGN, "Resource": "*",
         "Condition": {"ForAnyValue:StringEquals": {"aws:TagKeys": tags}}}])]))},
          ["scan", "condition-10k-values-multi/iam.json", "--format", "json"], 1, stdout=r"presigned-url-unrestricted",
          checks=["json"], timeout=120)

    # --- wildcard patterns against long values -------------------------------------------------
    pat = "*a" * 8 + "*b"
    long_a = "a" * 1_000_000
    c.add("wildcard-resource", {"p.json": dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::" + pat}]})},
          ["simulate", "--policy", "wildcard-resource/p.json", "--action", "s3:GetObject",
           "--resource", "arn:aws:s3:::" + long_a[:100_000], "--format", "json"], 0, stdout=r'"implicitDeny"',
          checks=["json"], timeout=60)
    c.add("wildcard-action", {"p.json": dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:" + pat, "Resource": "*"}]})},
          ["simulate", "--policy", "wildcard-action/p.json", "--action", "s3:" + long_a[:100_000], "--format", "json"], 0,
          stdout=r'"implicitDeny"', checks=["json"], timeout=60)
    c.add("wildcard-condition", {"p.json": dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
         "Condition": {"StringLike": {"s3:prefix": [pat] * 100}}}]})},
          ["simulate", "--policy", "wildcard-condition/p.json", "--action", "s3:GetObject",
           "--context", "s3:prefix=" + long_a[:100_000], "--format", "json"], 0, stdout=r'"implicitDeny"',
          checks=["json"], timeout=60)
    c.add("wildcard-scan", {"iam.json": dumps(iam([role("Wild", [
        {"Effect": "Allow", "Action": ["sagemaker:" + pat, PRESIGN], "Resource": "arn:aws:sagemaker:*:*:notebook-instance/" + pat,
         "Condition": {"StringLike": {"aws:SourceVpce": [pat + str(i) for i in range(200)]}}},
        {"Effect": "Deny", "Action": PRESIGN, "Resource": "*",
         "Condition": {"StringEquals": {"aws:SourceVpce": ["vpce-" + "a" * 100_000 + str(i) for i in range(20)]}}}])])),
        "nb.json": dumps(notebook(f"arn:aws:sagemaker:us-east-1:{ACCOUNT}:notebook-instance/" + "a" * 100_000))},
          ["scan", "wildcard-scan", "--format", "json"], 1, checks=["json"], timeout=120)

    # --- the exact search's budget ------------------------------------------------------------
    # Six free keys with nine literals each: 10^6 combinations, every one denied, so the
    # exact search cannot finish within its budget (200,000 evaluations) and must fail closed.
    keys = {f"aws:RequestTag/k{i}": [f"v{j}" for j in range(9)] for i in range(6)}
    c.add("search-budget", {"iam.json": dumps(iam([role("Budget", [
        {"Effect": "Allow", "Action": PRESIGN, "Resource": "*", "Condition": {"StringEquals": keys}},
        {"Effect": "Deny", "Action": PRESIGN, "Resource": "*",
         "Condition": {"StringEquals": {"aws:RequestTag/k5": keys["aws:RequestTag/k5"]}}}])]))},
          ["scan", "search-budget/iam.json", "--format", "json"], 1,
          stderr=r"vpcgate: warning: presigned-url: the decision for arn:aws:iam::111122223333:role/Budget exceeded "
                 r"the search budget",
          stdout=r"(?s)presigned-url-unrestricted.*exceeded its budget.*fail closed", checks=["json"], timeout=300)

    # --- files and directories ------------------------------------------------------------------
    files = {f"f{i:06d}.json": "{}" for i in range(nfiles)}
    c.add("many-files", files, ["scan", "many-files", "--format", "json"], 0,
          stdout=r'"skipped"', checks=["json"], timeout=180)
    c.add("symlink-loop-dir", {"iam.json": dumps(iam([]))}, ["scan", "symlink-loop-dir"], 0,
          stdout=r"1 input file read", checks=["text_safe"])
    os.makedirs(os.path.join(out, "symlink-loop-dir", "sub"))
    os.symlink("..", os.path.join(out, "symlink-loop-dir", "sub", "up"))
    os.symlink(".", os.path.join(out, "symlink-loop-dir", "self"))
    c.add("symlink-loop-file", {"iam.json": dumps(iam([]))}, ["scan", "symlink-loop-file"], 2,
          stderr=r"^vpcgate: error: symlink-loop-file/loop\.json: cannot read: Too many levels of symbolic links")
    os.symlink("loop.json", os.path.join(out, "symlink-loop-file", "loop.json"))
    c.add("dangling-link", {"iam.json": dumps(iam([]))}, ["scan", "dangling-link"], 2,
          stderr=r"^vpcgate: error: dangling-link/gone\.json: cannot read")
    os.symlink("nowhere.json", os.path.join(out, "dangling-link", "gone.json"))
    c.add("missing-path", {}, ["scan", "missing-path/nothing.json"], 2,
          stderr=r"^vpcgate: error: missing-path/nothing\.json: No such file")
    c.add("fifo-ignored", {"iam.json": dumps(iam([]))}, ["scan", "fifo-ignored"], 0, stdout=r"1 input file read")
    os.mkfifo(os.path.join(out, "fifo-ignored", "pipe.json"))

    # --- terminal injection and output validity -------------------------------------------------
    evil = "\x1b[2J\x1b[31mOWNED\x1b]0;title\x07\r\nHIGH fake-finding\u009b31m"
    nb_arn = f"arn:aws:sagemaker:us-east-1:{ACCOUNT}:notebook-instance/{evil}"
    files = {"nb.json": dumps(notebook(nb_arn)),
             "iam.json": dumps(iam([role("Evil" + evil, [{"Effect": "Allow", "Action": PRESIGN, "Resource": "*"}],
                                         arn=f"arn:aws:iam::{ACCOUNT}:role/Evil{evil}")])),
             "skip\x1b[31m\nme.json": "{}"}
    for fmt in ("text", "json", "sarif", "markdown", "html"):
        checks = {"text": ["text_safe"], "json": ["json"], "sarif": ["sarif"], "markdown": ["text_safe"],
                  "html": ["c0_safe"]}[fmt]  # C1 controls in the evidence pictures' SVG: open
        c.add(f"ansi-{fmt}", files, ["scan", f"ansi-{fmt}", "--format", fmt], 1, checks=checks)
    c.add("ansi-graph-json", files, ["graph", "ansi-graph-json", "--format", "json"], 0, checks=["json"])
    c.add("ansi-graph-dot", files, ["graph", "ansi-graph-dot"], 0, checks=["text_safe"])
    c.add("ansi-in-error", {"bad\x1b[31m\r\nname.json": "{"}, ["scan", "ansi-in-error"], 2,
          stderr=r"^vpcgate: error: ansi-in-error/bad\\x1b\[31m\\r\\nname\.json: " + LC + "invalid JSON")
    c.add("ansi-simulate-text", {"p.json": dumps({"Version": "2012-10-17", "Statement": [
        {"Sid": "S" + evil, "Effect": "Allow", "Action": "*", "Resource": "*"}]})},
          ["simulate", "--policy", "ansi-simulate-text/p.json", "--action", "s3:Get" + evil], 0, checks=["text_safe"])
    bad_name = b"bad\xff\xfe.json"
    os.makedirs(os.path.join(out, "invalid-utf8-filename"), exist_ok=True)
    c.add("invalid-utf8-filename", {}, ["scan", "invalid-utf8-filename", "--format", "sarif"], 1, checks=["sarif"])
    with open(os.path.join(os.fsencode(out), b"invalid-utf8-filename", bad_name), "wb") as f:
        f.write(dumps(notebook(f"arn:aws:sagemaker:us-east-1:{ACCOUNT}:notebook-instance/x")).encode())
    with open(os.path.join(os.fsencode(out), b"invalid-utf8-filename", b"skip\xff.json"), "wb") as f:
        f.write(b"{}")
    c.add("invalid-utf8-filename-json", {}, ["scan", "invalid-utf8-filename", "--format", "json"], 1, checks=["json"])
    c.add("invalid-utf8-filename-text", {}, ["scan", "invalid-utf8-filename"], 1, checks=["text_safe"])

    # --- simulate --requests: a bad line is reported, the run goes on, valid JSON lines --------
    c.add("requests-hostile", {"r.jsonl": b'{"policies": [], "action": "s3:GetObject"}\n'
                                          b'{"policies": [\xff]}\n'
                                          b'{"policies": [], "policies": []}\n'
                                          b'[1, 2\n'
                                          b'{"policies": [{"Statement": 5}], "action": "s3:GetObject"}\n'},
          ["simulate", "--requests", "requests-hostile/r.jsonl"], 2, stdout=r'"line": ?5, ?"error"', checks=["jsonl"])

    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump(c.cases, f, indent=1)
    return c.cases


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--big-mb", type=int, default=int(os.environ.get("HOSTILE_BIG_MB", "64")),
                    help="size of the single large string (the issue's 500 MB works too, slowly)")
    ap.add_argument("--files", type=int, default=int(os.environ.get("HOSTILE_FILES", "20000")),
                    help="files in the large directory (the issue's 100,000 works too)")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    cases = generate(a.out, a.big_mb, a.files)
    print(f"generate: {len(cases)} cases in {a.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
