"""A real Prometheus evaluating a shipped rule file against the exporter, for the live alert tests.

The rule file is a copy of the shipped one in which only the named alert's `for:` is shortened, so a
test sees the alert fire in seconds while the expression stays the one on-call gets (the promtool cases
in alerts/tests cover the real `for:`). Scrape and evaluation run every second."""

import json
import os
import time
import urllib.parse
import urllib.request

import yaml

import mailpath_testlib as lib


def shortened_rules(shipped, alert, path, for_="1s"):
    """Writes to `path` the rule file `shipped` with only `alert`'s `for:` set to `for_`; returns that rule."""
    with open(shipped) as f:
        doc = yaml.safe_load(f)
    found = [r for g in doc["groups"] for r in g["rules"] if r.get("alert") == alert]
    assert len(found) == 1, f"{alert}: {len(found)} rules of that name in {shipped}"
    assert found[0].get("for") != for_, f"{alert} already has for: {for_} in {shipped}"
    found[0]["for"] = for_
    with open(path, "w") as f:
        yaml.safe_dump(doc, f)
    return found[0]


def write_config(path, target, rules, scrape_interval="1s", scrape_timeout=None):
    """A prometheus.yml scraping `target` (host:port) as job `mailpath` and loading `rules`."""
    timeout = f"  scrape_timeout: {scrape_timeout}\n" if scrape_timeout else ""
    with open(path, "w") as f:
        f.write(f"global:\n  scrape_interval: {scrape_interval}\n{timeout}  evaluation_interval: 1s\n"
                f"rule_files:\n  - {rules}\n"
                f"scrape_configs:\n  - job_name: mailpath\n    static_configs:\n"
                f"      - targets: ['{target}']\n")


class Prometheus:
    """Starts a real Prometheus in `tmp` evaluating a shortened copy of `shipped` for `alert`, scraping the
    exporter at `target`; a context manager that stops it."""

    def __init__(self, tmp, target, shipped, alert, **config):
        self.alert = alert
        self.rule = shortened_rules(shipped, alert, os.path.join(tmp, "rules.yml"))
        cfg = os.path.join(tmp, "prometheus.yml")
        write_config(cfg, target, os.path.join(tmp, "rules.yml"), **config)
        self.proc, self.base = lib.start_prometheus(cfg, os.path.join(tmp, "data"))

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.proc.terminate()
        self.proc.wait(timeout=30)

    def api(self, path):
        with urllib.request.urlopen(self.base + path, timeout=5) as resp:
            reply = json.load(resp)
        assert reply["status"] == "success", reply
        return reply["data"]

    def query(self, expr):
        return self.api("/api/v1/query?" + urllib.parse.urlencode({"query": expr}))["result"]

    def alerts(self, state=None):
        """This instance's alert (pending and firing, or only `state`), as the alerts API lists them."""
        return [a for a in self.api("/api/v1/alerts")["alerts"]
                if a["labels"]["alertname"] == self.alert and (state is None or a["state"] == state)]


def wait_until(what, predicate, timeout):
    """Polls `predicate` until it returns something true (an OSError counts as not yet) and returns that;
    fails after `timeout` seconds (scaled for the sanitizer builds)."""
    deadline = time.time() + timeout * lib.TIMEOUT_SCALE
    while time.time() < deadline:
        try:
            got = predicate()
        except OSError:
            got = None
        if got:
            return got
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")
