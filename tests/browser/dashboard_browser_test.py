#!/usr/bin/python3
"""A real-browser test of okrd's dashboard (issue 10).

Starts `okrd --demo --http-listen 127.0.0.1:<free port>` on a temporary folder, drives headless
Chromium over the DevTools protocol (the real sign-in form: a POST that sets the HttpOnly
okr_session cookie), and checks that:
  * the numbers shown for several units equal `okrctl progress -o json` with the same token;
  * a lead's token shows only that lead's subtree (and another team's page is refused);
  * a unit named with <script> is shown as text (no script runs, no element is made);
  * GET /logout signs no one out, the sign-out button (a POST with a CSRF value) does.
Screenshots go to --out (under the build folder).

Exit codes: 0 pass, 1 fail, 77 skipped (no Chromium, or no python3-websocket).
Run with Debian's /usr/bin/python3 (python3-websocket is installed for it).
"""
import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

try:
    import websocket  # Debian: python3-websocket
except ImportError:
    print("SKIP: python3-websocket is not installed")
    sys.exit(77)

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
METRIC = "tickets_resolved"
SCRIPT_NAME = "<script>window.__pwned=1</script>Mallory"
failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
        print("FAIL:", message)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Okrd:
    def __init__(self, okrd, okrctl, root):
        self.okrctl = okrctl
        self.grpc = "127.0.0.1:%d" % free_port()
        self.http_port = free_port()
        self.data = os.path.join(root, "data")
        self.log = open(os.path.join(root, "okrd.log"), "w")
        self.proc = subprocess.Popen(
            [okrd, "--listen", self.grpc, "--data-dir", self.data, "--demo",
             "--http-listen", "127.0.0.1:%d" % self.http_port],
            stdout=self.log, stderr=subprocess.STDOUT)
        token_file = os.path.join(self.data, "admin.token")
        for _ in range(600):
            if os.path.exists(token_file):
                self.admin = open(token_file).read().strip()
                if self.ctl(self.admin, ["metric", "list"], check_rc=False)[0] == 0:
                    return
            if self.proc.poll() is not None:
                raise RuntimeError("okrd exited: " + open(self.log.name).read())
            time.sleep(0.1)
        raise RuntimeError("okrd did not become ready")

    def ctl(self, token, args, check_rc=True):
        env = {k: v for k, v in os.environ.items() if k not in ("OKR_TOKEN", "OKR_SERVER")}
        r = subprocess.run([self.okrctl, "--server", self.grpc, "--token", token] + args,
                           capture_output=True, text=True, env=env, timeout=60)
        if check_rc and r.returncode != 0:
            raise RuntimeError("okrctl %s: %s" % (" ".join(args), r.stderr))
        return r.returncode, r.stdout, r.stderr

    def json(self, token, args):
        return json.loads(self.ctl(token, args + ["-o", "json"])[1])

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


class Browser:
    """Headless Chromium, one page, driven over the DevTools protocol."""

    def __init__(self, root):
        self.port = free_port()
        self.profile = os.path.join(root, "chromium-profile")
        self.proc = subprocess.Popen(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--no-first-run", "--disable-dev-shm-usage", "--window-size=1280,1000",
             "--user-data-dir=" + self.profile, "--remote-debugging-address=127.0.0.1",
             "--remote-debugging-port=%d" % self.port, "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        targets = None
        for _ in range(300):
            try:
                with urllib.request.urlopen("http://127.0.0.1:%d/json/list" % self.port,
                                            timeout=2) as r:
                    targets = json.loads(r.read())
                if any(t.get("type") == "page" for t in targets):
                    break
            except OSError:
                pass
            if self.proc.poll() is not None:
                raise RuntimeError("chromium exited with %s" % self.proc.returncode)
            time.sleep(0.1)
        page = next(t for t in targets if t.get("type") == "page")
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=30,
                                              suppress_origin=True)
        self.next_id = 0
        self.call("Page.enable")
        self.call("Network.enable")
        self.call("Runtime.enable")

    def call(self, method, **params):
        self.next_id += 1
        my_id = self.next_id
        self.ws.send(json.dumps({"id": my_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == my_id:
                if "error" in message:
                    raise RuntimeError("%s: %s" % (method, message["error"]))
                return message.get("result", {})

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True,
                           awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError("evaluate %s: %s" % (expression, result["exceptionDetails"]))
        return result["result"].get("value")

    def wait_loaded(self, url_part):
        for _ in range(200):
            try:
                state = self.evaluate("[document.readyState, location.href]")
                if state and state[0] == "complete" and url_part in state[1]:
                    return
            except RuntimeError:
                pass  # the page is navigating
            time.sleep(0.05)
        raise RuntimeError("page did not load: " + url_part)

    def goto(self, url):
        self.call("Page.navigate", url=url)
        self.wait_loaded(urllib.parse.urlparse(url).path)
        # Page.navigate returns when the navigation commits; readyState then says loaded.
        time.sleep(0.1)

    def sign_in(self, base, token):
        self.call("Network.clearBrowserCookies")
        self.goto(base + "/login")
        self.evaluate("document.querySelector('input[name=token]').value = %s;"
                      "document.querySelector('form').submit(); true" % json.dumps(token))
        for _ in range(200):
            try:
                if self.evaluate("document.querySelector('#progress') !== null || "
                                 "document.title.indexOf('sign in') < 0 && "
                                 "location.pathname == '/'"):
                    break
            except RuntimeError:
                pass
            time.sleep(0.05)
        self.wait_loaded("/")
        cookies = self.call("Network.getCookies", urls=[base + "/"])["cookies"]
        session = [c for c in cookies if c["name"] == "okr_session"]
        check(len(session) == 1, "sign-in set no okr_session cookie")
        if session:
            check(session[0]["httpOnly"], "okr_session is not HttpOnly")
            check(session[0].get("sameSite") == "Strict", "okr_session is not SameSite=Strict")
        # Script cannot read the HttpOnly cookie.
        check("okr_session" not in (self.evaluate("document.cookie") or ""),
              "document.cookie exposes okr_session")

    def rows(self):
        return self.evaluate("""
          Array.from(document.querySelectorAll('#progress tr[data-unit]')).map(tr => ({
            unit: tr.dataset.unit,
            name: tr.children[1].textContent,
            target: tr.querySelector('.target').textContent,
            actual: tr.querySelector('.actual').textContent,
            expected: tr.querySelector('.expected').textContent,
            attainment: tr.querySelector('.attainment').textContent,
            status: tr.querySelector('.status').textContent,
          }))""")

    def screenshot(self, path):
        import base64
        data = self.call("Page.captureScreenshot", format="png", captureBeyondViewport=True)
        with open(path, "wb") as f:
            f.write(base64.b64decode(data["data"]))

    def close(self):
        try:
            self.ws.close()
        except Exception:
            pass
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def close_enough(shown, value, decimals):
    text = shown.rstrip("%")
    return abs(float(text) - float(value)) <= 0.5 * 10 ** -decimals + 1e-9


def compare(okrd, browser, base, token, unit, month, label, out):
    url = "%s/?unit=%s&metric=%s&month=%s" % (base, urllib.parse.quote(unit), METRIC, month)
    browser.goto(url)
    rows = browser.rows()
    browser.screenshot(os.path.join(out, "%s-%s.png" % (label, unit)))
    progress = okrd.json(token, ["progress", "--unit", unit, "--metric", METRIC, "--period",
                                 month, "--children"])
    expected = [progress] + progress.get("children", [])[:200]
    check(len(rows) == len(expected),
          "%s: %d rows shown, progress has %d" % (unit, len(rows), len(expected)))
    by_unit = {r["unit"]: r for r in rows}
    for p in expected:
        r = by_unit.get(p["unit"])
        if r is None:
            check(False, "%s: row %s missing" % (unit, p["unit"]))
            continue
        for cell, key, decimals in (("target", "target", 2), ("actual", "actual", 2),
                                    ("expected", "expected_to_date", 2),
                                    ("attainment", "attainment_pct", 1)):
            check(close_enough(r[cell], p[key], decimals),
                  "%s: %s %s shows %s, progress says %s" % (unit, p["unit"], cell, r[cell],
                                                            p[key]))
        check(r["status"] == p["status"],
              "%s: %s status %s vs %s" % (unit, p["unit"], r["status"], p["status"]))
    return rows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--okrd", required=True)
    parser.add_argument("--okrctl", required=True)
    parser.add_argument("--out", required=True, help="folder for screenshots")
    args = parser.parse_args()
    if CHROMIUM is None:
        print("SKIP: chromium is not installed")
        return 77
    os.makedirs(args.out, exist_ok=True)
    root = tempfile.mkdtemp(prefix="okr-browser-")
    okrd = browser = None
    try:
        okrd = Okrd(args.okrd, args.okrctl, root)
        base = "http://127.0.0.1:%d" % okrd.http_port
        month = time.strftime("%Y-%m", time.gmtime())

        # The demo's tree: the company, its teams, and a group with agents.
        tree = okrd.json(okrd.admin, ["org", "show"])
        nodes = tree.get("units") or tree.get("nodes") or tree
        units = {}
        for n in nodes:
            u = n.get("unit", n)
            units[u.get("unit_id") or u.get("id")] = u
        def kind_of(u):
            return str(u.get("kind", "")).lower().replace("unit_kind_", "")
        def parent_of(u):
            return u.get("parent_id") or u.get("parent") or ""
        company = next(i for i, u in units.items() if not parent_of(u))
        teams = sorted(i for i, u in units.items() if parent_of(u) == company)
        groups = sorted(i for i, u in units.items() if parent_of(u) in teams and
                        kind_of(u) != "agent")
        print("demo: %d units, company %s, teams %s" % (len(units), company, teams))
        check(len(teams) >= 2, "the demo has fewer than two teams")

        # An agent whose name is a script, in the first group.
        group = groups[0]
        csv_path = os.path.join(root, "mallory.csv")
        with open(csv_path, "w") as f:
            f.write("unit_id,parent_id,kind,name,fte,start_date,end_date\n")
            f.write("mallory,%s,agent,%s,1.0,,\n" % (group, SCRIPT_NAME))
        okrd.json(okrd.admin, ["org", "import", csv_path])

        browser = Browser(root)
        # Admin: the company, two teams and a group; every number equals okrctl progress.
        browser.sign_in(base, okrd.admin)
        browser.screenshot(os.path.join(args.out, "admin-home.png"))
        for unit in [company, teams[0], teams[1], group]:
            compare(okrd, browser, base, okrd.admin, unit, month, "admin", args.out)

        # The script-named agent is text: the cell shows the raw characters, no element exists,
        # nothing ran.
        browser.goto("%s/?unit=%s&metric=%s&month=%s" % (base, group, METRIC, month))
        rows = {r["unit"]: r for r in browser.rows()}
        check("mallory" in rows, "mallory's row is missing")
        if "mallory" in rows:
            check(rows["mallory"]["name"] == SCRIPT_NAME,
                  "mallory's name shows as %r" % rows["mallory"]["name"])
        check(browser.evaluate("document.scripts.length") == 0, "the page has script elements")
        check(browser.evaluate("window.__pwned === undefined"), "the unit name ran as script")
        browser.screenshot(os.path.join(args.out, "script-name.png"))

        # A lead of the first team: its subtree only.
        lead = okrd.json(okrd.admin, ["token", "create", "--role", "lead", "--unit", teams[0]])
        browser.sign_in(base, lead["token"])
        rows = browser.rows()
        shown = {r["unit"] for r in rows}
        progress = okrd.json(lead["token"], ["progress", "--unit", teams[0], "--metric", METRIC,
                                             "--period", month, "--children"])
        allowed = {teams[0]} | {c["unit"] for c in progress.get("children", [])}
        check(shown == allowed, "lead's home shows %s, expected %s" % (sorted(shown),
                                                                       sorted(allowed)))
        browser.screenshot(os.path.join(args.out, "lead-home.png"))
        compare(okrd, browser, base, lead["token"], teams[0], month, "lead", args.out)
        team_groups = [g for g in groups if parent_of(units[g]) == teams[0]]
        if team_groups:
            compare(okrd, browser, base, lead["token"], team_groups[0], month, "lead", args.out)
        for other in [company, teams[1]]:
            browser.goto("%s/?unit=%s&metric=%s&month=%s" % (base, other, METRIC, month))
            check(browser.evaluate("document.querySelector('#progress') === null"),
                  "lead of %s sees %s" % (teams[0], other))
            check("not allowed" in browser.evaluate("document.body.innerText"),
                  "lead of %s: no refusal on %s" % (teams[0], other))
        browser.screenshot(os.path.join(args.out, "lead-refused.png"))

        # Visiting /logout (a GET: a link, a prefetch) signs no one out; the page's own button
        # (a POST with the session's CSRF value) does, and the old cookie is dead.
        browser.goto(base + "/logout")
        browser.goto(base + "/")
        check(browser.evaluate("document.querySelector('#progress') !== null"),
              "GET /logout signed the browser out")
        browser.evaluate("document.querySelector('form[action=\"/logout\"]').submit(); true")
        browser.wait_loaded("/login")
        browser.goto(base + "/")
        check(browser.evaluate("document.querySelector('input[name=token]') !== null"),
              "still signed in after the sign-out button")
    finally:
        if browser:
            browser.close()
        if okrd:
            okrd.stop()
        shutil.rmtree(root, ignore_errors=True)
    if failures:
        print("%d failure(s)" % len(failures))
        return 1
    print("PASS: screenshots in", args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
