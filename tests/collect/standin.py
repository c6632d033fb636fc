"""A stand-in for the AWS APIs that scripts/vpcgate-collect calls, on 127.0.0.1, for the real AWS CLI.

It speaks the real wire protocols, driven by botocore's own service models (the ones the CLI
uses to parse the answers): the query protocol with XML answers for IAM and STS, the EC2
protocol (XML, locationName/item) for EC2, and JSON 1.1 (X-Amz-Target) for SageMaker and
Organizations. The data are AWS CLI outputs (e.g. fixtures/demo/export), serialized back into
wire form. Lists are paginated (IAM: Marker/IsTruncated; EC2, SageMaker, Organizations:
NextToken) and the first call of every operation in every region is throttled, so the CLI's
retries and the collector's are exercised. Read-only operations only: anything else is an error.

Python 3 standard library only.
"""
import base64
import datetime
import glob
import gzip
import http.server
import importlib.util
import json
import os
import re
import shutil
import subprocess
import threading
import urllib.parse
from xml.sax.saxutils import escape

ACCOUNT = "111122223333"


def botocore_data_dir(aws=None):
    """The `botocore/data` directory the AWS CLI `aws` uses (or any installed one), or None."""
    env = os.environ.get("VPCGATE_BOTOCORE_DATA")
    if env and os.path.isdir(env):
        return env
    # AWS CLI v1 is a Python script: ask its interpreter where botocore is (pyenv: through `pyenv which`).
    candidates = []
    if aws:
        candidates.append(aws)
        if shutil.which("pyenv"):
            p = subprocess.run(["pyenv", "which", "aws"], capture_output=True, text=True)
            if p.returncode == 0:
                candidates.append(p.stdout.strip())
    for script in candidates:
        try:
            with open(script, "rb") as f:
                first = f.readline().decode("utf-8", "replace")
        except OSError:
            continue
        if first.startswith("#!") and "python" in first:
            interp = first[2:].split()
            p = subprocess.run(interp + ["-c", "import botocore, os; print(os.path.dirname(botocore.__file__))"],
                               capture_output=True, text=True)
            d = os.path.join(p.stdout.strip(), "data")
            if p.returncode == 0 and os.path.isdir(d):
                return d
    spec = importlib.util.find_spec("botocore")
    if spec and spec.origin:
        d = os.path.join(os.path.dirname(spec.origin), "data")
        if os.path.isdir(d):
            return d
    for pattern in ("/usr/local/aws-cli/v2/current/dist/awscli/botocore/data",
                    "/usr/lib/python3/dist-packages/botocore/data"):
        if os.path.isdir(pattern):
            return pattern
    return None


def load_model(data_dir, service):
    version = sorted(os.listdir(os.path.join(data_dir, service)))[-1]
    base = os.path.join(data_dir, service, version, "service-2.json")
    if os.path.exists(base):
        with open(base, encoding="utf-8") as f:
            return json.load(f)
    with gzip.open(base + ".gz", "rt", encoding="utf-8") as f:
        return json.load(f)


def iso(value):
    if isinstance(value, (int, float)):
        return datetime.datetime.fromtimestamp(value, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return value


def epoch(value):
    if isinstance(value, str):
        return datetime.datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
    return value


class Serializer:
    """CLI output (member names, parsed values) -> wire form, following a botocore model."""

    def __init__(self, model):
        self.model = model
        self.shapes = model["shapes"]
        self.protocol = model["metadata"]["protocol"]

    # XML (query, ec2)
    def xml(self, shape_name, value, tag):
        shape = self.shapes[shape_name]
        t = shape["type"]
        if t == "structure":
            inner = "".join(self.xml(ref["shape"], value[name], ref.get("locationName", name))
                            for name, ref in shape["members"].items() if name in value)
            return f"<{tag}>{inner}</{tag}>"
        if t == "list":
            member = shape["member"]
            item_tag = member.get("locationName", "item" if self.protocol == "ec2" else "member")
            items = "".join(self.xml(member["shape"], v, item_tag) for v in value)
            if shape.get("flattened"):
                return "".join(self.xml(member["shape"], v, tag) for v in value)
            return f"<{tag}>{items}</{tag}>"
        if t == "map":
            entries = "".join(
                "<entry>" + self.xml(shape["key"]["shape"], k, "key") + self.xml(shape["value"]["shape"], v, "value")
                + "</entry>" for k, v in value.items())
            return f"<{tag}>{entries}</{tag}>"
        if t == "timestamp":
            text = iso(value)
        elif t == "boolean":
            text = "true" if value else "false"
        elif t == "blob":
            text = base64.b64encode(value.encode()).decode()
        elif isinstance(value, (dict, list)):
            # IAM policy documents: URL-encoded JSON on the wire (botocore decodes them again).
            text = urllib.parse.quote(json.dumps(value))
        else:
            text = str(value)
        return f"<{tag}>{escape(text)}</{tag}>"

    def query_response(self, op, result):
        out = self.model["operations"][op]["output"]
        body = "".join(self.xml(ref["shape"], result[name], ref.get("locationName", name))
                       for name, ref in self.shapes[out["shape"]]["members"].items() if name in result)
        ns = f"https://{self.model['metadata']['endpointPrefix']}.amazonaws.com/doc/{self.model['metadata']['apiVersion']}/"
        meta = "<ResponseMetadata><RequestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</RequestId></ResponseMetadata>"
        if self.protocol == "ec2":
            return (f'<?xml version="1.0" encoding="UTF-8"?>\n<{op}Response xmlns="{ns}">'
                    f"<requestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</requestId>{body}</{op}Response>")
        wrapper = out.get("resultWrapper", f"{op}Result")
        return (f'<?xml version="1.0" encoding="UTF-8"?>\n<{op}Response xmlns="{ns}">'
                f"<{wrapper}>{body}</{wrapper}>{meta}</{op}Response>")

    # JSON 1.1
    def json_value(self, shape_name, value):
        shape = self.shapes[shape_name]
        t = shape["type"]
        if t == "structure":
            return {name: self.json_value(ref["shape"], value[name])
                    for name, ref in shape["members"].items() if name in value}
        if t == "list":
            return [self.json_value(shape["member"]["shape"], v) for v in value]
        if t == "map":
            return {k: self.json_value(shape["value"]["shape"], v) for k, v in value.items()}
        if t == "timestamp":
            return epoch(value)  # JSON protocols send epoch seconds
        return value

    def json_response(self, op, result):
        return self.json_value(self.model["operations"][op]["output"]["shape"], result)


class ApiError(Exception):
    def __init__(self, status, code, message):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


class Data:
    """The account the stand-in serves: AWS CLI outputs read from an export directory."""

    def __init__(self, export_dir, region="us-east-1"):
        self.region = region
        self.iam_pages = []
        self.scps = []
        self.ec2 = {}
        self.sagemaker = {"notebook": [], "training": [], "processing": [], "model": [], "domain": []}
        for path in sorted(glob.glob(os.path.join(export_dir, "**", "*.json"), recursive=True)):
            with open(path, encoding="utf-8") as f:
                doc = json.load(f)
            if "UserDetailList" in doc or "RoleDetailList" in doc:
                self.iam_pages.append(doc)
            elif "Policy" in doc:
                self.scps.append(doc)
            elif "NotebookInstanceArn" in doc:
                self.sagemaker["notebook"].append(doc)
            elif "TrainingJobArn" in doc:
                self.sagemaker["training"].append(doc)
            elif "ProcessingJobArn" in doc:
                self.sagemaker["processing"].append(doc)
            elif "ModelArn" in doc:
                self.sagemaker["model"].append(doc)
            elif "DomainArn" in doc:
                self.sagemaker["domain"].append(doc)
            else:
                for key, items in doc.items():
                    if isinstance(items, list):
                        self.ec2.setdefault(key, []).extend(items)
        # Page 1 first: the page without a Marker leading to it.
        self.iam_pages.sort(key=lambda d: 0 if d.get("IsTruncated") else 1)


PAGE = 2  # items per page of every paginated list


def page_of(items, token, size=PAGE):
    start = int(token) if token else 0
    chunk = items[start:start + size]
    nxt = str(start + size) if start + size < len(items) else None
    return chunk, nxt


class StandIn:
    def __init__(self, data, models, deny=(), throttle_times=None):
        self.data = data
        self.ser = {name: Serializer(m) for name, m in models.items()}
        self.deny = set(deny)                    # services answering AccessDenied
        self.throttle_times = throttle_times or {}  # operation -> times to throttle (default 1)
        self.seen = {}                           # (region, operation) -> calls
        self.log = []                            # (region, service, operation, params) of every call
        self.lock = threading.Lock()

    # -- dispatch --------------------------------------------------------------------------
    def handle(self, headers, body):
        auth = headers.get("Authorization", "")
        m = re.search(r"Credential=[^/]+/\d+/([^/]+)/([^/]+)/aws4_request", auth)
        if not m:
            return 403, "application/json", json.dumps({"__type": "MissingAuthenticationTokenException",
                                                         "message": "Missing Authentication Token"})
        region, signing = m.group(1), m.group(2)
        target = headers.get("X-Amz-Target")
        if target:
            prefix, op = target.split(".", 1)
            service = {"SageMaker": "sagemaker", "AWSOrganizationsV20161128": "organizations"}.get(prefix)
            params = json.loads(body or "{}")
        else:
            params = {k: v[0] for k, v in urllib.parse.parse_qs(body, keep_blank_values=True).items()}
            op = params.get("Action", "")
            service = {"iam": "iam", "ec2": "ec2", "sts": "sts"}.get(signing)
        with self.lock:
            self.log.append((region, service, op, params))
            n = self.seen[(region, op)] = self.seen.get((region, op), 0) + 1
        try:
            if service is None:
                raise ApiError(400, "UnknownOperationException", f"unknown service {signing} {target}")
            if service in self.deny:
                raise ApiError(400 if service != "ec2" else 403,
                               "AccessDeniedException" if target else
                               ("UnauthorizedOperation" if service == "ec2" else "AccessDenied"),
                               f"User: arn:aws:iam::{ACCOUNT}:user/collector is not authorized to perform: "
                               f"{service}:{op}")
            if n <= self.throttle_times.get(op, 1):
                if service == "ec2":
                    raise ApiError(503, "RequestLimitExceeded", "Request limit exceeded.")
                raise ApiError(400, "ThrottlingException" if target else "Throttling", "Rate exceeded")
            result = getattr(self, f"op_{op}")(region, params)
        except ApiError as e:
            return self.error(service, target, e)
        ser = self.ser[service]
        if target:
            return 200, "application/x-amz-json-1.1", json.dumps(ser.json_response(op, result))
        return 200, "text/xml", ser.query_response(op, result)

    def error(self, service, target, e):
        if target:
            return e.status, "application/x-amz-json-1.1", json.dumps({"__type": e.code, "message": e.message})
        if service == "ec2":
            return e.status, "text/xml", (
                f'<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>{e.code}</Code>'
                f"<Message>{escape(e.message)}</Message></Error></Errors>"
                "<RequestID>ea966190-f9aa-478e-9ede-example</RequestID></Response>")
        return e.status, "text/xml", (
            f'<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type>'
            f"<Code>{e.code}</Code><Message>{escape(e.message)}</Message></Error>"
            "<RequestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</RequestId></ErrorResponse>")

    def home(self, region):
        return region == self.data.region

    # -- STS, IAM ------------------------------------------------------------------------------
    def op_GetCallerIdentity(self, region, params):
        return {"UserId": "AIDASAMPLEUSERID", "Account": ACCOUNT, "Arn": f"arn:aws:iam::{ACCOUNT}:user/collector"}

    def op_GetAccountAuthorizationDetails(self, region, params):
        pages = self.data.iam_pages
        marker = params.get("Marker")
        if not marker:
            return pages[0]
        for i, p in enumerate(pages[:-1]):
            if p.get("Marker") == marker:
                return pages[i + 1]
        raise ApiError(400, "InvalidInput", "Invalid Marker")

    # -- EC2 -----------------------------------------------------------------------------------
    def op_DescribeRegions(self, region, params):
        return {"Regions": [
            {"Endpoint": "ec2.eu-west-1.amazonaws.com", "RegionName": "eu-west-1", "OptInStatus": "opt-in-not-required"},
            {"Endpoint": f"ec2.{self.data.region}.amazonaws.com", "RegionName": self.data.region,
             "OptInStatus": "opt-in-not-required"}]}

    def ec2_list(self, key, region, params):
        items = self.data.ec2.get(key, []) if self.home(region) else []
        chunk, nxt = page_of(items, params.get("NextToken"))
        out = {key: chunk}
        if nxt:
            out["NextToken"] = nxt
        return out

    def __getattr__(self, name):
        ec2 = {"op_DescribeVpcs": "Vpcs", "op_DescribeSubnets": "Subnets", "op_DescribeRouteTables": "RouteTables",
               "op_DescribeInternetGateways": "InternetGateways", "op_DescribeNatGateways": "NatGateways",
               "op_DescribeEgressOnlyInternetGateways": "EgressOnlyInternetGateways",
               "op_DescribeSecurityGroups": "SecurityGroups", "op_DescribeNetworkAcls": "NetworkAcls",
               "op_DescribeVpcEndpoints": "VpcEndpoints"}
        if name in ec2:
            return lambda region, params: self.ec2_list(ec2[name], region, params)
        if name.startswith("op_"):
            def unsupported(region, params):
                raise ApiError(400, "InvalidAction", f"The action {name[3:]} is not valid for this web service.")
            return unsupported
        raise AttributeError(name)

    # -- SageMaker -----------------------------------------------------------------------------
    def sm_list(self, kind, key, summary, region, params):
        items = self.data.sagemaker[kind] if self.home(region) else []
        if params.get("SortBy") == "CreationTime":
            items = sorted(items, key=lambda d: epoch(d["CreationTime"]),
                           reverse=params.get("SortOrder", "Descending") == "Descending")
        chunk, nxt = page_of(items, params.get("NextToken"))
        out = {key: [{k: d[k] for k in summary if k in d} for d in chunk]}
        if nxt:
            out["NextToken"] = nxt
        return out

    def sm_describe(self, kind, name_key, region, params):
        for d in (self.data.sagemaker[kind] if self.home(region) else []):
            if d[name_key] == params.get(name_key):
                return d
        raise ApiError(400, "ValidationException" if kind != "domain" else "ResourceNotFound",
                       f"Could not find {kind} \"{params.get(name_key)}\"")

    def op_ListNotebookInstances(self, region, params):
        return self.sm_list("notebook", "NotebookInstances",
                            ["NotebookInstanceName", "NotebookInstanceArn", "NotebookInstanceStatus", "InstanceType",
                             "CreationTime", "LastModifiedTime"], region, params)

    def op_DescribeNotebookInstance(self, region, params):
        return self.sm_describe("notebook", "NotebookInstanceName", region, params)

    def op_ListTrainingJobs(self, region, params):
        return self.sm_list("training", "TrainingJobSummaries",
                            ["TrainingJobName", "TrainingJobArn", "CreationTime", "TrainingEndTime",
                             "LastModifiedTime", "TrainingJobStatus"], region, params)

    def op_DescribeTrainingJob(self, region, params):
        return self.sm_describe("training", "TrainingJobName", region, params)

    def op_ListProcessingJobs(self, region, params):
        return self.sm_list("processing", "ProcessingJobSummaries",
                            ["ProcessingJobName", "ProcessingJobArn", "CreationTime", "ProcessingEndTime",
                             "LastModifiedTime", "ProcessingJobStatus"], region, params)

    def op_DescribeProcessingJob(self, region, params):
        return self.sm_describe("processing", "ProcessingJobName", region, params)

    def op_ListModels(self, region, params):
        return self.sm_list("model", "Models", ["ModelName", "ModelArn", "CreationTime"], region, params)

    def op_DescribeModel(self, region, params):
        return self.sm_describe("model", "ModelName", region, params)

    def op_ListDomains(self, region, params):
        return self.sm_list("domain", "Domains", ["DomainArn", "DomainId", "DomainName", "Status", "CreationTime",
                                                  "LastModifiedTime", "Url"], region, params)

    def op_DescribeDomain(self, region, params):
        return self.sm_describe("domain", "DomainId", region, params)

    # -- Organizations -------------------------------------------------------------------------
    def op_ListPolicies(self, region, params):
        if params.get("Filter") != "SERVICE_CONTROL_POLICY":
            raise ApiError(400, "InvalidInputException", "Filter must be SERVICE_CONTROL_POLICY here")
        summaries = [d["Policy"]["PolicySummary"] for d in self.data.scps]
        chunk, nxt = page_of(summaries, params.get("NextToken"), 1)
        out = {"Policies": chunk}
        if nxt:
            out["NextToken"] = nxt
        return out

    def op_DescribePolicy(self, region, params):
        for d in self.data.scps:
            if d["Policy"]["PolicySummary"]["Id"] == params.get("PolicyId"):
                return d
        raise ApiError(400, "PolicyNotFoundException", "We can't find a policy with the PolicyId that you specified.")


def serve(standin):
    """Starts the stand-in on 127.0.0.1 (a free port) in a thread; returns (server, url)."""

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self):  # noqa: N802 (http.server's naming)
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length).decode("utf-8")
            status, ctype, text = standin.handle(self.headers, body)
            data = text.encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("x-amzn-RequestId", "7a62c49f-347e-4fc4-9331-6e8eEXAMPLE")
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, fmt, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def models(data_dir):
    return {s: load_model(data_dir, s) for s in ("iam", "sts", "ec2", "sagemaker", "organizations")}
