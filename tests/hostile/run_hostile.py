#!/usr/bin/env python3
"""Runs vpcgate on the hostile inputs of generate.py (issue 7, docs/security.md).

    run_hostile.py --vpcgate BUILD/vpcgate [--only REGEX] [--keep DIR] [--jobs N]

Each case runs under a time limit and an address-space limit (ulimit -v) whose only job is to
catch hangs and blow-ups, and must give its expected exit status and messages. Under a
sanitizer build (VPCGATE_SANITIZED=1 or --sanitized) the time limits are multiplied by 6 and
the address-space limit is not applied (ASan reserves terabytes of address space).
"""
import argparse
import concurrent.futures
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
CONTROL = re.compile(rb"[\x00-\x09\x0b-\x1f\x7f]|\xc2[\x80-\x9f]")


def check_output(case, out, err, rc):
    problems = []
    if rc < 0:
        problems.append(f"killed by signal {-rc}")
    if rc != case["exit"]:
        problems.append(f"exit status {rc}, expected {case['exit']}")
    if CONTROL.search(err):
        problems.append("stderr holds control characters (terminal injection)")
    err_text = err.decode("utf-8", "replace")
    out_text = out.decode("utf-8", "replace")
    if case["exit"] == 2 and case["args"][0] == "scan":
        lines = [l for l in err_text.splitlines() if l.startswith("vpcgate: error:")]
        if len(lines) != 1:
            problems.append(f"expected exactly one error message, got {len(lines)}")
    if case["stderr"] and not re.search(case["stderr"], err_text, re.M):
        problems.append(f"stderr does not match /{case['stderr']}/")
    if case["stdout"] and not re.search(case["stdout"], out_text, re.M):
        problems.append(f"stdout does not match /{case['stdout']}/")
    for check in case["checks"]:
        try:
            if check == "json":
                json.loads(out.decode("utf-8"))
            elif check == "jsonl":
                for line in out.decode("utf-8").splitlines():
                    json.loads(line)
            elif check == "sarif":
                doc = json.loads(out.decode("utf-8"))
                if doc.get("version") != "2.1.0":
                    problems.append("SARIF version is not 2.1.0")
                for run in doc.get("runs", []):
                    for res in run.get("results", []):
                        uri = res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                        if re.search(r"[\x00-\x20\x7f-\uffff]", uri):
                            problems.append(f"SARIF uri not percent-encoded: {uri!r}")
            elif check == "c0_safe":
                if re.search(rb"[\x00-\x09\x0b-\x1f\x7f]", out):
                    problems.append("stdout holds C0 control characters (terminal injection)")
            elif check == "text_safe":
                if CONTROL.search(out):
                    problems.append("stdout holds control characters (terminal injection)")
        except (ValueError, KeyError, IndexError) as e:
            problems.append(f"{check}: invalid output: {e}")
    return problems


def run_case(case, workdir, binary, sanitized, scale):
    limit_s = case["timeout"] * (6 if sanitized else 1) * scale
    mem = case["mem_mb"] * 1024 * 1024

    def limits():
        if not sanitized:
            resource.setrlimit(resource.RLIMIT_AS, (mem, mem))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    stdin = open(os.path.join(workdir, case["stdin"]), "rb") if case.get("stdin") else subprocess.DEVNULL
    start = time.monotonic()
    try:
        p = subprocess.run([binary] + case["args"], cwd=workdir, stdin=stdin, capture_output=True,
                           timeout=limit_s, preexec_fn=limits, env=dict(os.environ, NO_COLOR="1"))
    except subprocess.TimeoutExpired:
        return case, [f"timed out after {limit_s:.0f} s (hang or blow-up)"], b"", time.monotonic() - start
    finally:
        if stdin is not subprocess.DEVNULL:
            stdin.close()
    elapsed = time.monotonic() - start
    problems = check_output(case, p.stdout, p.stderr, p.returncode)
    return case, problems, p.stderr, elapsed


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--vpcgate", required=True)
    ap.add_argument("--only", help="run only the cases whose name matches this regular expression")
    ap.add_argument("--keep", help="generate into this directory and keep it")
    ap.add_argument("--jobs", type=int, default=int(os.environ.get("HOSTILE_JOBS", "2")))
    ap.add_argument("--sanitized", action="store_true", default=os.environ.get("VPCGATE_SANITIZED") == "1")
    ap.add_argument("--time-scale", type=float, default=float(os.environ.get("HOSTILE_TIME_SCALE", "1")))
    a = ap.parse_args()
    binary = os.path.abspath(a.vpcgate)

    workdir = a.keep or tempfile.mkdtemp(prefix="vpcgate-hostile-")
    try:
        if a.keep and os.path.exists(workdir):
            shutil.rmtree(workdir)
        gen = [sys.executable, os.path.join(HERE, "generate.py"), workdir]
        subprocess.run(gen, check=True)
        with open(os.path.join(workdir, "manifest.json")) as f:
            cases = json.load(f)
        if a.only:
            cases = [c for c in cases if re.search(a.only, c["name"])]
        failed = 0
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, a.jobs)) as pool:
            futures = [pool.submit(run_case, c, workdir, binary, a.sanitized, a.time_scale) for c in cases]
            for fut in futures:
                case, problems, err, elapsed = fut.result()
                status = "ok  " if not problems else "FAIL"
                print(f"{status} {case['name']:<32} {elapsed:7.2f} s")
                if problems:
                    failed += 1
                    for pr in problems:
                        print(f"       {pr}")
                    first = err.decode("utf-8", "replace")[:400]
                    print(f"       stderr: {first!r}")
                sys.stdout.flush()
        print(f"hostile: {len(cases) - failed}/{len(cases)} cases passed")
        return 1 if failed else 0
    finally:
        if not a.keep:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
