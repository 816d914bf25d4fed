"""Dashboards: generated JSON is current, every panel follows our conventions,
and every query evaluates without error against a real Prometheus scraping a real exporter."""

import glob
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

import pytest

import mailpath_testlib as lib

DASHBOARDS = sorted(glob.glob(os.path.join(lib.SOURCE_DIR, "dashboards", "*.json")))
# Queries allowed to return nothing in this test's environment, each with why.
MAY_BE_EMPTY = {
    # The cert collector probes this test's Postfix, which offers no STARTTLS: no certificate is served.
    # tests/integration/test_cert_probe.py covers the served families against real daemons.
    'min by (instance, port) (mailpath_cert_not_after_timestamp_seconds{job=~"$job",instance=~"$instance",'
    'source="served"} - time())',
    'min by (instance, port) (mailpath_cert_served_matches_file{job=~"$job",instance=~"$instance"})',
}


def load(path):
    with open(path) as f:
        return json.load(f)


def panels(doc):
    for p in doc["panels"]:
        yield p
        yield from p.get("panels", [])


def exprs(doc):
    for p in panels(doc):
        for t in p.get("targets", []):
            yield p["title"], t["expr"]
    for v in doc["templating"]["list"]:
        if v["type"] == "query":
            yield f"variable {v['name']}", v["query"]["query"]


def test_generated_json_is_current():
    with tempfile.TemporaryDirectory() as tmp:
        before = {p: open(p).read() for p in DASHBOARDS}
        subprocess.run([sys.executable, os.path.join(lib.SOURCE_DIR, "dashboards", "src", "build.py")], check=True)
        after = {p: open(p).read() for p in DASHBOARDS}
    assert before == after, "dashboards/*.json differ from dashboards/src/build.py output: run it and commit"


@pytest.mark.parametrize("path", DASHBOARDS, ids=os.path.basename)
def test_dashboard_conventions(path):
    doc = load(path)
    raw = open(path).read()
    assert doc["uid"] and doc["id"] is None and doc["editable"] is False
    assert "${DS_" not in raw and "__inputs" not in doc
    names = [v["name"] for v in doc["templating"]["list"]]
    assert names[:3] == ["datasource", "job", "instance"]
    for v in doc["templating"]["list"][1:]:
        assert v["multi"] and v["includeAll"] and v["allValue"] == ".+" and v["refresh"] == 2
        assert v["datasource"]["uid"] == "${datasource}"
    for p in panels(doc):
        if p["type"] == "row":
            continue
        where = f"{os.path.basename(path)}: {p['title']}"
        assert p["datasource"]["uid"] == "${datasource}", where
        assert p.get("description"), where
        assert p["fieldConfig"]["defaults"].get("unit"), where
        for t in p["targets"]:
            expr = t["expr"]
            assert t["datasource"]["uid"] == "${datasource}", where
            for selector in re.findall(r"[a-zA-Z_:][a-zA-Z0-9_:]*\{([^}]*)\}", expr):
                assert 'job=~"$job"' in selector and 'instance=~"$instance"' in selector, f"{where}: {expr}"
            for counter in re.findall(r"([a-zA-Z_:][a-zA-Z0-9_:]*_total)\{", expr):
                assert re.search(r"(rate|increase|irate)\(\s*" + counter, expr), f"{where}: counter {counter} outside rate()"
            if re.search(r"\b(rate|increase|irate)\(", expr):
                assert "[$__rate_interval]" in expr, f"{where}: use $__rate_interval"
    uids = [load(p)["uid"] for p in DASHBOARDS]
    assert len(uids) == len(set(uids))


def test_every_metric_a_dashboard_uses_is_in_the_golden_output():
    known = lib.golden_metric_names() | lib.PROMETHEUS_SERIES
    for path in DASHBOARDS:
        for where, expr in exprs(load(path)):
            unknown = lib.metric_names(expr.replace("label_values(", "(")) - known - {"job", "instance"}
            assert not unknown, f"{os.path.basename(path)} {where}: {unknown}"


def substitute(expr):
    return (expr.replace("$__rate_interval", "30s").replace('"$job"', '".+"').replace('"$instance"', '".+"')
            .replace("${datasource}", "prometheus"))


def query(base, expr):
    url = base + "/api/v1/query?" + urllib.parse.urlencode({"query": expr})
    with urllib.request.urlopen(url, timeout=10) as resp:
        return json.load(resp)


def label_values_query(base, expr):
    m = re.fullmatch(r"label_values\((.*),\s*(\w+)\)", expr)
    assert m, expr
    series_sel, label = m.groups()
    url = base + "/api/v1/series?" + urllib.parse.urlencode({"match[]": series_sel})
    with urllib.request.urlopen(url, timeout=10) as resp:
        data = json.load(resp)
    return [s[label] for s in data["data"] if label in s]


def test_every_query_evaluates_against_real_prometheus():
    """A real Prometheus scrapes a real exporter: a private Postfix for showq, the committed Postfix and
    mixed syslog fixtures followed from the beginning for the log collectors, and a held-open connection
    to that Postfix's smtpd for the tcp collector."""
    from private_postfix import PrivatePostfix
    import socket
    pf = PrivatePostfix({})
    pf.start()
    held = socket.create_connection(("127.0.0.1", pf.smtpd_port))
    fixtures = os.path.join(lib.SOURCE_DIR, "tests", "fixtures", "logs")
    # The wild corpus's lines (crash loops, dependency failures, bounces by reason) as one more log file.
    wild = tempfile.NamedTemporaryFile("w", suffix=".log", delete=False)
    for case_file in sorted(glob.glob(os.path.join(fixtures, "wild", "*.cases"))):
        with open(case_file) as f:
            wild.writelines(l for l in f if l.strip() and not l.startswith("#"))
    wild.close()
    args = ["--collector.disable-defaults", "--collector.process", "--collector.showq", "--collector.logs",
            "--collector.postfix", "--collector.dovecot", "--collector.tcp", f"--postfix.showq_path={pf.showq_path}",
            f"--postfix.logfile_path={fixtures}/postfix/postfix-3.7-observed.log",
            f"--postfix.logfile_path={fixtures}/mixed/mixed.log", f"--postfix.logfile_path={wild.name}",
            "--log.from-beginning",
            f"--tcp.ports={pf.smtpd_port}", f"--tcp.remote-ports={pf.smtpd_port}", "--collector.cert",
            f"--cert.target={pf.smtpd_port}:smtp:{lib.SOURCE_DIR}/tests/fixtures/certs/leaf.pem"]
    try:
        run_queries(args)
    finally:
        held.close()
        pf.cleanup()
        os.unlink(wild.name)


def run_queries(args):
    with lib.Exporter(args) as exp, tempfile.TemporaryDirectory() as tmp:
        cfg = os.path.join(tmp, "prometheus.yml")
        with open(cfg, "w") as f:
            f.write(f"global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: mailpath\n"
                    f"    static_configs:\n      - targets: ['127.0.0.1:{exp.port}']\n")
        prom, base = lib.start_prometheus(cfg, f"{tmp}/data")
        try:
            deadline = time.time() + 60
            while time.time() < deadline:
                try:
                    if query(base, "count(up == 1) >= 1")["data"]["result"]:
                        break
                except OSError:
                    pass
                time.sleep(0.5)
            time.sleep(35)  # a full rate window of samples
            failures = []
            for path in DASHBOARDS:
                doc = load(path)
                for where, expr in exprs(doc):
                    e = substitute(expr)
                    if e.startswith("label_values("):
                        result = label_values_query(base, e)
                    else:
                        reply = query(base, e)
                        if reply["status"] != "success":
                            failures.append(f"{where}: {reply}")
                            continue
                        result = reply["data"]["result"]
                    if not result and expr not in MAY_BE_EMPTY:
                        failures.append(f"{os.path.basename(path)} {where}: empty: {expr}")
            assert not failures, "\n".join(failures)
        finally:
            prom.terminate()
            prom.wait(timeout=30)
