#!/usr/bin/env python3
"""The HTML report in headless Chromium: it loads with no console error, makes no network
request, its filters work, hostile input text stays text, and a screenshot shows a page.

usage: html_browser_test.py VPCGATE_BINARY SOURCE_DIR [SCREENSHOT_DIR]

Drives Chromium over the DevTools protocol on a pipe (--remote-debugging-pipe: NUL-terminated
JSON on fds 3/4), so it sees every request (Network.requestWillBeSent), console message,
log entry (CSP violations included) and exception. Exits 77 (CTest: skipped) when no Chromium
is installed. Python 3 standard library only.
"""
import fcntl
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import zlib

SKIP = 77


def fail(msg):
    print(f"FAIL: {msg}", file=sys.stderr)
    sys.exit(1)


class Browser:
    def __init__(self, exe, profile):
        to_child_r, self.to_child_w = os.pipe()
        self.from_child_r, from_child_w = os.pipe()
        # The child's fd 3 reads commands, fd 4 writes answers and events. Move the child's ends
        # above 4 first, so that dup2 cannot overwrite one with the other.
        high_r = fcntl.fcntl(to_child_r, fcntl.F_DUPFD_CLOEXEC, 10)
        high_w = fcntl.fcntl(from_child_w, fcntl.F_DUPFD_CLOEXEC, 10)
        os.close(to_child_r)
        os.close(from_child_w)
        to_child_r, from_child_w = high_r, high_w

        def setup():
            os.dup2(to_child_r, 3)  # dup2'd descriptors are inheritable
            os.dup2(from_child_w, 4)
        self.proc = subprocess.Popen(
            [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--disable-default-apps", "--disable-extensions", "--mute-audio", "--hide-scrollbars",
             f"--user-data-dir={profile}", "--window-size=1280,2000", "--remote-debugging-pipe", "about:blank"],
            close_fds=False, preexec_fn=setup,  # subprocess would close fds 3/4 after setup() stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_child_r)
        os.close(from_child_w)
        self.buf = b""
        self.next_id = 0
        self.events = []

    def _read_message(self, deadline):
        while b"\0" not in self.buf:
            if time.time() > deadline:
                fail("Chromium did not answer in time")
            import select
            ready, _, _ = select.select([self.from_child_r], [], [], 0.5)
            if ready:
                chunk = os.read(self.from_child_r, 1 << 20)
                if not chunk:
                    fail("Chromium closed the debugging pipe")
                self.buf += chunk
        msg, self.buf = self.buf.split(b"\0", 1)
        return json.loads(msg)

    def call(self, method, params=None, session=None, timeout=30):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self.to_child_w, json.dumps(msg).encode() + b"\0")
        deadline = time.time() + timeout
        while True:
            m = self._read_message(deadline)
            if m.get("id") == self.next_id:
                if "error" in m:
                    fail(f"{method}: {m['error']}")
                return m.get("result", {})
            self.events.append(m)

    def wait_event(self, method, timeout=30):
        deadline = time.time() + timeout
        for e in self.events:
            if e.get("method") == method:
                return e
        while True:
            m = self._read_message(deadline)
            self.events.append(m)
            if m.get("method") == method:
                return m

    def pump(self, seconds):
        deadline = time.time() + seconds
        import select
        while time.time() < deadline:
            ready, _, _ = select.select([self.from_child_r], [], [], 0.1)
            if ready:
                chunk = os.read(self.from_child_r, 1 << 20)
                if not chunk:
                    return
                self.buf += chunk
                while b"\0" in self.buf:
                    msg, self.buf = self.buf.split(b"\0", 1)
                    self.events.append(json.loads(msg))

    def close(self):
        try:
            self.call("Browser.close", timeout=5)
        except (SystemExit, OSError):
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def png_size_and_variety(data):
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        fail("screenshot is not a PNG")
    width, height = struct.unpack(">II", data[16:24])
    idat, pos = b"", 8
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        if kind == b"IDAT":
            idat += data[pos + 8:pos + 8 + length]
        pos += 12 + length
    raw = zlib.decompress(idat)
    return width, height, len(set(raw[::97]))


def open_report(browser, path):
    targets = browser.call("Target.getTargets")["targetInfos"]
    page = next(t for t in targets if t["type"] == "page")
    session = browser.call("Target.attachToTarget", {"targetId": page["targetId"], "flatten": True})["sessionId"]
    for domain in ("Page", "Runtime", "Log", "Network"):
        browser.call(f"{domain}.enable", session=session)
    browser.events.clear()
    browser.call("Page.navigate", {"url": "file://" + path}, session=session)
    browser.wait_event("Page.loadEventFired")
    browser.pump(1.0)
    return session


def problems(browser, report_url):
    out = []
    for e in browser.events:
        m, p = e.get("method"), e.get("params", {})
        if m == "Network.requestWillBeSent" and p["request"]["url"] != report_url:
            out.append(f"network request: {p['request']['url']}")
        elif m == "Runtime.exceptionThrown":
            out.append(f"exception: {p['exceptionDetails'].get('text')} {p['exceptionDetails'].get('exception', {})}")
        elif m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "warning", "assert"):
            out.append(f"console {p['type']}: {p.get('args')}")
        elif m == "Log.entryAdded" and p["entry"]["level"] in ("error", "warning"):
            out.append(f"log {p['entry']['level']}: {p['entry'].get('text')}")
        elif m == "Page.javascriptDialogOpening":
            out.append(f"dialog: {p.get('message')}")
    return out


def evaluate(browser, session, expr):
    r = browser.call("Runtime.evaluate", {"expression": expr, "returnByValue": True}, session=session)
    if "exceptionDetails" in r:
        fail(f"{expr}: {r['exceptionDetails']}")
    return r["result"].get("value")


HOSTILE_NOTEBOOK = {
    "NotebookInstanceArn": "arn:aws:sagemaker:us-east-1:111122223333:notebook-instance/x<script>window.pwned=1</script>"
                           "<img src=http://127.0.0.1:9/leak onerror=\"window.pwned=2\">",
    "NotebookInstanceName": "x\"'><svg onload=window.pwned=3>",
    "NotebookInstanceStatus": "InService",
    "InstanceType": "ml.t3.medium",
    "RoleArn": "arn:aws:iam::111122223333:role/R",
    "DirectInternetAccess": "Enabled",
    "CreationTime": "2026-01-05T10:00:00.000000+00:00",
    "LastModifiedTime": "2026-01-05T10:00:00.000000+00:00",
}


def main():
    vpcgate, source = sys.argv[1], sys.argv[2]
    shots = sys.argv[3] if len(sys.argv) > 3 else None
    exe = next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome") if shutil.which(n)), None)
    if exe is None:
        print("SKIP: Chromium is not installed (apt-get install chromium)")
        return SKIP
    work = tempfile.mkdtemp(prefix="vpcgate-html-test-")
    report = os.path.join(work, "demo.html")
    r = subprocess.run([vpcgate, "scan", "fixtures/demo/export", "--format", "html", "--output", report],
                       cwd=source, capture_output=True, text=True)
    if r.returncode != 1:
        fail(f"scan: exit {r.returncode}: {r.stderr}")
    hostile_dir = os.path.join(work, "hostile")
    os.makedirs(hostile_dir)
    with open(os.path.join(hostile_dir, "nb.json"), "w") as f:
        json.dump(HOSTILE_NOTEBOOK, f)
    hostile = os.path.join(work, "hostile.html")
    r = subprocess.run([vpcgate, "scan", hostile_dir, "--format", "html", "--output", hostile],
                       capture_output=True, text=True)
    if r.returncode != 1:
        fail(f"hostile scan: exit {r.returncode}: {r.stderr}")

    browser = Browser(exe, os.path.join(work, "profile"))
    try:
        # 1. The demo report: loads clean, nothing fetched, filters work, screenshot shows it.
        session = open_report(browser, report)
        found = problems(browser, "file://" + report)
        if found:
            fail("demo report:\n  " + "\n  ".join(found))
        total = evaluate(browser, session, "document.querySelectorAll('details.finding').length")
        if total != 23:
            fail(f"expected 23 findings on the page, got {total}")
        if evaluate(browser, session, "document.querySelectorAll('details.finding svg').length") < 23:
            fail("every finding should have its drawn path")
        shown = evaluate(browser, session,
                         "var q=document.getElementById('q');q.value='MLOpsEngineer';"
                         "q.dispatchEvent(new Event('input'));"
                         "[document.querySelectorAll('details.finding:not([hidden])').length,"
                         " document.getElementById('shown').textContent]")
        if shown[0] != 1 or shown[1] != "1 of 23 shown":
            fail(f"text filter: {shown}")
        shown = evaluate(browser, session,
                         "q.value='';q.dispatchEvent(new Event('input'));"
                         "var h=document.querySelector('input[data-sev=high]');h.checked=false;"
                         "h.dispatchEvent(new Event('change'));"
                         "var c=document.getElementById('check');c.value='internet-egress-path';"
                         "c.dispatchEvent(new Event('change'));"
                         "document.querySelectorAll('details.finding:not([hidden])').length")
        if shown != 2:
            fail(f"severity + check filter: {shown} shown, want the 2 internet-egress-path findings")
        evaluate(browser, session, "h.checked=true;h.dispatchEvent(new Event('change'));c.value='';"
                                   "c.dispatchEvent(new Event('change'));window.scrollTo(0,0);1")
        shot = browser.call("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": False},
                            session=session)
        import base64
        png = base64.b64decode(shot["data"])
        width, height, variety = png_size_and_variety(png)
        if width < 800 or height < 600 or variety < 8:
            fail(f"screenshot looks empty: {width}x{height}, {variety} distinct byte values")
        if shots:
            os.makedirs(shots, exist_ok=True)
            with open(os.path.join(shots, "html-report.png"), "wb") as f:
                f.write(png)
        found = problems(browser, "file://" + report)
        if found:
            fail("after using the filters:\n  " + "\n  ".join(found))

        # 2. Hostile text: shown as text, never run, never fetched.
        session = open_report(browser, hostile)
        found = problems(browser, "file://" + hostile)
        if found:
            fail("hostile report:\n  " + "\n  ".join(found))
        if evaluate(browser, session, "typeof window.pwned") != "undefined":
            fail("input text ran as script")
        if evaluate(browser, session, "document.querySelectorAll('main img, main script, svg svg').length") != 0:
            fail("input text became markup")
        if "<script>window.pwned=1</script>" not in evaluate(browser, session, "document.body.textContent"):
            fail("input text not shown")
    finally:
        browser.close()

    # 3. The plain --screenshot path (what a person would run) works on the report too.
    shot = os.path.join(work, "shot.png")
    subprocess.run([exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    f"--user-data-dir={os.path.join(work, 'profile2')}", "--window-size=1280,1600",
                    f"--screenshot={shot}", "file://" + report],
                   stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)
    with open(shot, "rb") as f:
        width, height, variety = png_size_and_variety(f.read())
    if (width, height) != (1280, 1600) or variety < 8:
        fail(f"--screenshot: {width}x{height}, {variety} distinct byte values")
    shutil.rmtree(work, ignore_errors=True)
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
