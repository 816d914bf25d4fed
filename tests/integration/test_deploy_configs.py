"""deploy/: the Prometheus scrape config with our rules (promtool, and a real
Prometheus scraping a real exporter through it), the Alertmanager routes
(amtool) and the Grafana provisioning files."""

import glob
import json
import os
import re
import subprocess
import tempfile
import time
import urllib.parse
import urllib.request

import yaml

import mailpath_testlib as lib

DEPLOY = os.path.join(lib.SOURCE_DIR, "deploy")
PROMETHEUS_YML = os.path.join(DEPLOY, "prometheus", "prometheus.yml")
ALERTMANAGER_YML = os.path.join(DEPLOY, "alertmanager", "alertmanager.yml")
GRAFANA = os.path.join(DEPLOY, "grafana", "provisioning")
ALERTS = sorted(glob.glob(os.path.join(lib.SOURCE_DIR, "alerts", "*.yml")))
PACKAGE_SHARE = "/usr/share/mailpath-exporter"


def load_yaml(path):
    with open(path) as f:
        return yaml.safe_load(f)


def run(*cmd, check=True):
    proc = subprocess.run(list(cmd), capture_output=True, text=True, timeout=120)
    if check:
        assert proc.returncode == 0, f"{cmd}: exit {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
    return proc


def rules_in_repo():
    """Alerting and recording rules in alerts/*.yml, counted from the YAML."""
    return {os.path.basename(p): sum(len(g["rules"]) for g in load_yaml(p)["groups"]) for p in ALERTS}


def local_copy(tmp, targets, scrape_interval=None, alerting=True):
    """deploy/prometheus/prometheus.yml with rule_files resolved to the repo's
    alerts/ and the example targets replaced; for a live run also a faster
    scrape and no Alertmanager (nothing on this machine should get alerts)."""
    cfg = load_yaml(PROMETHEUS_YML)
    assert cfg["rule_files"] == [PACKAGE_SHARE + "/alerts/*.yml"]
    cfg["rule_files"] = [os.path.join(lib.SOURCE_DIR, "alerts", "*.yml")]
    (job,) = cfg["scrape_configs"]
    job["static_configs"] = [{"targets": targets}]
    if scrape_interval:
        cfg["global"]["scrape_interval"] = scrape_interval
    if not alerting:
        del cfg["alerting"]
    path = os.path.join(tmp, "prometheus.yml")
    with open(path, "w") as f:
        yaml.safe_dump(cfg, f)
    return path


def test_promtool_checks_config_and_every_rule_file():
    assert ALERTS
    with tempfile.TemporaryDirectory() as tmp:
        proc = run(lib.promtool(), "check", "config", local_copy(tmp, ["mx1.example.org:10154"]))
    out = proc.stdout + proc.stderr
    assert "SUCCESS: " in out and "valid prometheus config file syntax" in out, out
    for name, count in rules_in_repo().items():
        assert re.search(rf"{re.escape(name)}\s*\n\s*SUCCESS: {count} rules found", out), (name, count, out)


def test_the_shipped_config_itself_is_valid():
    out = run(lib.promtool(), "check", "config", PROMETHEUS_YML)
    assert "valid prometheus config file syntax" in out.stdout + out.stderr


def test_one_mailpath_job_with_instance_relabeling():
    cfg = load_yaml(PROMETHEUS_YML)
    (job,) = cfg["scrape_configs"]
    assert job["job_name"] == "mailpath"
    (relabel,) = job["relabel_configs"]
    assert relabel["source_labels"] == ["__address__"] and relabel["target_label"] == "instance"
    # Prometheus anchors relabel regexes at both ends (RE2 syntax; Python's
    # re agrees on this pattern).
    rx = re.compile(relabel["regex"])
    for address, instance in (("mx1.example.org:10154", "mx1.example.org"),
                              ("192.0.2.7:10154", "192.0.2.7"),
                              ("[2001:db8::25]:10154", "2001:db8::25")):
        m = rx.fullmatch(address)
        assert m and m.expand(relabel["replacement"].replace("$1", r"\1")) == instance, address


def query(base, expr):
    url = base + "/api/v1/query?" + urllib.parse.urlencode({"query": expr})
    with urllib.request.urlopen(url, timeout=10) as resp:
        return json.load(resp)["data"]["result"]


def test_real_prometheus_scrapes_through_the_config_and_loads_the_rules():
    with lib.Exporter(["--collector.disable-defaults", "--collector.process"]) as exp, \
            tempfile.TemporaryDirectory() as tmp:
        cfg = local_copy(tmp, [f"127.0.0.1:{exp.port}"], scrape_interval="1s", alerting=False)
        prom, base = lib.start_prometheus(cfg, f"{tmp}/data")
        try:
            up = []
            deadline = time.time() + 60
            while time.time() < deadline and not up:
                try:
                    up = query(base, 'up{job="mailpath"} == 1')
                except OSError:
                    pass
                time.sleep(0.5)
            assert up, "Prometheus never scraped the exporter"
            # The relabeling dropped the port from the instance name.
            assert [s["metric"]["instance"] for s in up] == ["127.0.0.1"]
            assert query(base, 'mailpath_exporter_build_info{job="mailpath",instance="127.0.0.1"}')
            with urllib.request.urlopen(base + "/api/v1/rules", timeout=10) as resp:
                groups = json.load(resp)["data"]["groups"]
            loaded = {}
            for g in groups:
                name = os.path.basename(g["file"])
                loaded[name] = loaded.get(name, 0) + len(g["rules"])
                assert all(r["health"] != "err" for r in g["rules"]), g
            assert loaded == rules_in_repo()
        finally:
            prom.terminate()
            prom.wait(timeout=30)


def test_amtool_checks_the_alertmanager_config():
    out = run("amtool", "check-config", ALERTMANAGER_YML).stdout
    assert "SUCCESS" in out and "2 receivers" in out, out


def route(*labels):
    return run("amtool", "config", "routes", "test", f"--config.file={ALERTMANAGER_YML}", *labels).stdout.strip()


def test_critical_pages_and_warning_tickets():
    severities = {}
    for path in ALERTS:
        for g in load_yaml(path)["groups"]:
            for r in g["rules"]:
                if "alert" in r:
                    severities[r["alert"]] = r["labels"]["severity"]
    assert set(severities.values()) == {"critical", "warning"}
    for alert, severity in severities.items():
        want = {"critical": "page", "warning": "ticket"}[severity]
        assert route(f"alertname={alert}", f"severity={severity}", "instance=mx1") == want, alert


def test_grouped_by_alert_instance_and_port():
    cfg = load_yaml(ALERTMANAGER_YML)
    assert cfg["route"]["group_by"] == ["alertname", "instance", "port"]
    for sub in cfg["route"]["routes"]:
        assert "group_by" not in sub  # inherited


def test_grafana_datasource_provisioning():
    files = glob.glob(os.path.join(GRAFANA, "datasources", "*.yml"))
    assert len(files) == 1
    doc = load_yaml(files[0])
    assert doc["apiVersion"] == 1
    (ds,) = doc["datasources"]
    assert ds["type"] == "prometheus" and ds["access"] == "proxy"
    assert urllib.parse.urlparse(ds["url"]).scheme in ("http", "https")
    # Every dashboard picks its datasource by type through ${datasource}.
    for path in glob.glob(os.path.join(lib.SOURCE_DIR, "dashboards", "*.json")):
        with open(path) as f:
            variables = {v["name"]: v for v in json.load(f)["templating"]["list"]}
        assert variables["datasource"]["type"] == "datasource", path
        assert variables["datasource"]["query"] == ds["type"], path


def test_grafana_dashboard_provider_points_at_the_packaged_dashboards():
    files = glob.glob(os.path.join(GRAFANA, "dashboards", "*.yml"))
    assert len(files) == 1
    doc = load_yaml(files[0])
    assert doc["apiVersion"] == 1
    (provider,) = doc["providers"]
    assert provider["type"] == "file"
    path = provider["options"]["path"]
    assert path == PACKAGE_SHARE + "/dashboards"
    # ... which is where cmake/packaging.cmake installs dashboards/*.json.
    with open(os.path.join(lib.SOURCE_DIR, "cmake", "packaging.cmake")) as f:
        packaging = f.read()
    assert re.search(r"install\(FILES \$\{MAILPATH_DASHBOARDS\} DESTINATION share/mailpath-exporter/dashboards\)",
                     packaging)
    # File provisioning needs a unique uid per dashboard.
    uids = []
    for p in glob.glob(os.path.join(lib.SOURCE_DIR, "dashboards", "*.json")):
        with open(p) as f:
            uids.append(json.load(f)["uid"])
    assert len(uids) == len(set(uids)) and all(uids)
