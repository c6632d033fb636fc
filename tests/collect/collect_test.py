#!/usr/bin/env python3
"""scripts/vpcgate-collect against the real AWS CLI and a stand-in server on 127.0.0.1.

usage: collect_test.py VPCGATE_BINARY SOURCE_DIR

The stand-in (standin.py) serves fixtures/demo/export in wire form, paginated, throttling the
first call of every operation. The test collects an export with the real `aws` (whatever is
on PATH), checks what the stand-in saw and what was written, scans the export with vpcgate and
expects exactly the demo's findings. A second run denies Organizations and limits training jobs:
exit 1, naming what is missing. Exits 77 (CTest: skipped) when `aws` or botocore's service
models are not available.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

SKIP = 77
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import standin  # noqa: E402


def fail(msg):
    print(f"FAIL: {msg}", file=sys.stderr)
    sys.exit(1)


def check(cond, msg):
    if not cond:
        fail(msg)


def findings(vpcgate, path):
    proc = subprocess.run([vpcgate, "scan", path, "--format", "json", "--fail-on", "none"],
                          capture_output=True, text=True)
    check(proc.returncode == 0, f"vpcgate scan {path}: exit {proc.returncode}: {proc.stderr}")
    report = json.loads(proc.stdout)
    return report, sorted((f["check"], f["resource"], f.get("principal", ""), f["id"]) for f in report["findings"])


def main():
    vpcgate, source = sys.argv[1], sys.argv[2]
    aws = shutil.which("aws")
    if aws is None:
        print("SKIP: the AWS CLI (aws) is not installed")
        return SKIP
    data_dir = standin.botocore_data_dir(aws)
    if data_dir is None:
        print("SKIP: botocore's service models not found (set VPCGATE_BOTOCORE_DATA)")
        return SKIP
    version = subprocess.run([aws, "--version"], capture_output=True, text=True)
    print(f"using {aws}: {(version.stdout or version.stderr).strip()}; models {data_dir}")

    demo = os.path.join(source, "fixtures", "demo", "export")
    collect = os.path.join(source, "scripts", "vpcgate-collect")
    work = tempfile.mkdtemp(prefix="vpcgate-collect-test-")
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update({
        "AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE",
        "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_CONFIG_FILE": os.path.join(work, "no-config"),
        "AWS_SHARED_CREDENTIALS_FILE": os.path.join(work, "no-credentials"),
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_MAX_ATTEMPTS": "2",  # the CLI gives up on DescribeSecurityGroups; the collector retries
        "HOME": work,
    })
    models = standin.models(data_dir)

    # Run 1: everything, every enabled region.
    s = standin.StandIn(standin.Data(demo), models, throttle_times={"DescribeSecurityGroups": 3})
    server, url = standin.serve(s)
    out1 = os.path.join(work, "export")
    proc = subprocess.run([sys.executable, collect, "--output", out1, "--endpoint-url", url, "--retry-delay", "0.05"],
                          env=env, capture_output=True, text=True, timeout=600)
    server.shutdown()
    print(proc.stderr)
    check(proc.returncode == 0, f"collect exit {proc.returncode}")
    check("\r" not in proc.stderr, "progress written although stderr is not a terminal")
    check("complete:" in proc.stderr and "INCOMPLETE" not in proc.stderr, "summary")

    calls = [(r, svc, op) for r, svc, op, _ in s.log]
    ops = {op for _, _, op in calls}
    for op in ["GetCallerIdentity", "DescribeRegions", "GetAccountAuthorizationDetails", "ListPolicies",
               "DescribePolicy", "DescribeVpcs", "DescribeSubnets", "DescribeRouteTables",
               "DescribeInternetGateways", "DescribeNatGateways", "DescribeEgressOnlyInternetGateways",
               "DescribeSecurityGroups", "DescribeNetworkAcls", "DescribeVpcEndpoints", "ListNotebookInstances",
               "DescribeNotebookInstance", "ListTrainingJobs", "DescribeTrainingJob", "ListProcessingJobs",
               "DescribeProcessingJob", "ListModels", "DescribeModel", "ListDomains", "DescribeDomain"]:
        check(op in ops, f"the collector never called {op}")
    check(all(op.startswith(("Get", "List", "Describe")) for op in ops), f"a call that is not read-only: {ops}")
    check({r for r, _, _ in calls} >= {"us-east-1", "eu-west-1"}, "not every enabled region collected")
    # Pagination followed: IAM by Marker, EC2/SageMaker/Organizations by NextToken.
    check(any(op == "GetAccountAuthorizationDetails" and p.get("Marker") for _, _, op, p in s.log), "IAM Marker")
    for op in ["DescribeSubnets", "ListTrainingJobs", "ListPolicies", "ListModels"]:
        check(any(o == op and p.get("NextToken") for _, _, o, p in s.log), f"{op}: NextToken not followed")
    # Throttled: DescribeSecurityGroups 3 times in us-east-1 with AWS_MAX_ATTEMPTS=2, so the
    # collector itself retried.
    check(s.seen[("us-east-1", "DescribeSecurityGroups")] >= 4, "collector did not retry after the CLI gave up")
    check("1 retried" in proc.stderr or "retried after throttling" in proc.stderr, "retry count in summary")

    files = sorted(os.path.relpath(os.path.join(d, f), out1) for d, _, fs in os.walk(out1) for f in fs)
    print("\n".join(files))
    for f in ["iam/get-account-authorization-details-page-1.json",
              "organizations/describe-policy-p-9x2k7d4mqa.json",
              "regions/us-east-1/ec2/describe-vpcs.json", "regions/eu-west-1/ec2/describe-vpcs.json",
              "regions/us-east-1/sagemaker/describe-notebook-instance-analytics-legacy-nb.json",
              "regions/us-east-1/sagemaker/describe-domain-d-7xk2mq9rt4ab.json", "collect-log.txt"]:
        check(f in files, f"{f} not written")
    check(not any(f.endswith(".partial") for f in files), "partial files left")
    with open(os.path.join(out1, "iam/get-account-authorization-details-page-1.json")) as f:
        iam = json.load(f)
    check(len(iam["RoleDetailList"]) == 10 and len(iam["Policies"]) == 5, "IAM pages merged")
    check(isinstance(iam["RoleDetailList"][0]["AssumeRolePolicyDocument"], dict), "policy documents decoded")
    with open(os.path.join(out1, "regions/us-east-1/ec2/describe-subnets.json")) as f:
        check(len(json.load(f)["Subnets"]) == 4, "EC2 pages merged")

    # The collected export gives exactly the demo's findings (same IDs: IDs do not depend on files).
    want_report, want = findings(vpcgate, demo)
    got_report, got = findings(vpcgate, out1)
    check(got == want, f"findings differ:\n got {got}\nwant {want}")
    check(len(got) == 23, f"expected the demo's 23 findings, got {len(got)}")
    for key in ["users", "groups", "roles", "policies", "vpcs", "subnets", "vpc_endpoints", "notebook_instances",
                "training_jobs", "processing_jobs", "models", "domains"]:
        check(got_report["inputs"][key] == want_report["inputs"][key], f"inputs.{key} differs")
    check(got_report["inputs"]["skipped"] == [], f"skipped files: {got_report['inputs']['skipped']}")

    # Run 2: Organizations denied, one region, only the most recent training job.
    s2 = standin.StandIn(standin.Data(demo), models, deny={"organizations"})
    server, url = standin.serve(s2)
    out2 = os.path.join(work, "export2")
    proc = subprocess.run([sys.executable, collect, "-o", out2, "--endpoint-url", url, "--region", "us-east-1",
                           "--max-training-jobs", "1", "--retry-delay", "0.05"],
                          env=env, capture_output=True, text=True, timeout=600)
    server.shutdown()
    print(proc.stderr)
    check(proc.returncode == 1, f"partial failure must exit 1, got {proc.returncode}")
    check("INCOMPLETE" in proc.stderr and "organizations list-policies" in proc.stderr, "missing part not named")
    check("AccessDenied" in proc.stderr, "error code not named")
    check(not any(r == "eu-west-1" for r, _, _, _ in s2.log), "--region not honoured")
    check(not any(op == "DescribeRegions" for _, _, op, _ in s2.log), "describe-regions called despite --region")
    jobs = sorted(os.listdir(os.path.join(out2, "regions/us-east-1/sagemaker")))
    training = [j for j in jobs if j.startswith("describe-training-job-")]
    check(training == ["describe-training-job-legacy-recsys-retrain-2024-05-21.json"],
          f"--max-training-jobs 1 must keep the most recent: {training}")
    with open(os.path.join(out2, "collect-log.txt")) as f:
        check("organizations" in f.read(), "collect-log.txt does not name the failure")
    report2, _ = findings(vpcgate, out2)
    check(report2["inputs"]["training_jobs"] == 1, "training jobs in the partial export")

    # Usage errors: a non-empty output directory.
    proc = subprocess.run([sys.executable, collect, "-o", out2, "--endpoint-url", url], env=env,
                          capture_output=True, text=True)
    check(proc.returncode == 2 and "not empty" in proc.stderr, "non-empty output directory must be refused")

    shutil.rmtree(work)
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
