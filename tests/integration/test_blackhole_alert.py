"""The PMTUD blackhole alerts end to end: the exporter runs in the server namespace of the netns lab
(tests/integration/netns_lab.py) while TLS handshakes cross a 1400-byte hop, a real Prometheus scrapes
it every second and evaluates a copy of alerts/mailpath-mail.rules.yml whose `for:` is shortened.
With ICMP dropped, clients with a 1,533-byte ClientHello make the receive-side alert fire and clients
with a small one (our certificate flight lost) the send-side alert, on both ports; clients whose every
segment towards them is lost (a peer gone dark: an outage, in a lab whose PMTUD works) must leave both
silent."""

import json
import os
import subprocess
import tempfile
import time
import urllib.parse

import yaml

import mailpath_testlib as lib
from netns_lab import CLIENT, V4, Lab
from prometheus_lab import wait_until

ALERT = "TcpPmtudBlackholeSuspected"  # our segments lost
RCV_ALERT = "TcpPmtudReceiveBlackholeSuspected"  # the peer's segments lost
ALERTS = (ALERT, RCV_ALERT)
RULES = os.path.join(lib.SOURCE_DIR, "alerts", "mailpath-mail.rules.yml")
PORTS = {"587": "1", "993": "0"}  # port -> STARTTLS first (SMTP submission) or TLS at once (IMAPS)
FOR_SECONDS = 3
EXPORTER_PORT = 9154  # inside the fresh server namespace every port is free
PROMETHEUS_PORT = 9090
GET = "import sys, urllib.request; sys.stdout.write(urllib.request.urlopen(sys.argv[1], timeout=5).read().decode())"


def shortened_rules(path):
    """The shipped rule file with the blackhole alerts' `for:` cut to FOR_SECONDS; everything else as is."""
    with open(RULES) as f:
        doc = yaml.safe_load(f)
    found = 0
    for group in doc["groups"]:
        for rule in group["rules"]:
            if rule.get("alert") in ALERTS:
                assert rule["for"] != f"{FOR_SECONDS}s"
                rule["for"] = f"{FOR_SECONDS}s"
                found += 1
    assert found == len(ALERTS), f"{ALERTS} not found in {RULES}"
    with open(path, "w") as f:
        yaml.safe_dump(doc, f)


class Stack:
    """Echo servers, the exporter and Prometheus, all inside the lab's server namespace."""

    def __init__(self, lab, tmp, server, cert, key):
        self.lab = lab
        self.client = os.path.join(tmp, "client.py")
        with open(self.client, "w") as f:
            f.write(CLIENT)
        for port, starttls in PORTS.items():
            p = lab.spawn("srv", "/usr/bin/python3", server, cert, key, "4", port, starttls)
            assert p.stdout.readline().strip() == "ready"
        lab.spawn("srv", lib.exporter_path(), f"--web.listen-address=127.0.0.1:{EXPORTER_PORT}",
                  "--collector.disable-defaults", "--collector.tcp", f"--tcp.ports={','.join(PORTS)}",
                  "--tcp.remote-ports=25")
        rules = os.path.join(tmp, "rules.yml")
        shortened_rules(rules)
        cfg = os.path.join(tmp, "prometheus.yml")
        with open(cfg, "w") as f:
            f.write(f"global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nrule_files:\n  - {rules}\n"
                    f"scrape_configs:\n  - job_name: mailpath\n    static_configs:\n"
                    f"      - targets: ['127.0.0.1:{EXPORTER_PORT}']\n")
        lab.spawn("srv", "prometheus", f"--config.file={cfg}", f"--storage.tsdb.path={tmp}/data",
                  f"--web.listen-address=127.0.0.1:{PROMETHEUS_PORT}")
        self.base = f"http://127.0.0.1:{PROMETHEUS_PORT}"

    def api(self, path):
        proc = self.lab.ex("srv", "/usr/bin/python3", "-c", GET, self.base + path, check=False)
        if proc.returncode != 0:
            return None
        reply = json.loads(proc.stdout)
        assert reply["status"] == "success", reply
        return reply["data"]

    def query(self, expr):
        data = self.api("/api/v1/query?" + urllib.parse.urlencode({"query": expr}))
        return data["result"] if data else []

    @staticmethod
    def wait(what, predicate, timeout):
        return wait_until(what, predicate, timeout)

    def alerts(self):
        data = self.api("/api/v1/alerts")
        return [a for a in (data or {"alerts": []})["alerts"] if a["labels"]["alertname"] in ALERTS]

    def connect_clients(self, hello=("small", "big"), source=None):
        """On each port, a client per ClientHello size (SMTP STARTTLS on 587, TLS at once on 993)."""
        for port in PORTS:
            for size in hello:
                kind = ("stls-" if PORTS[port] == "1" else "tls-") + size
                self.lab.spawn("cli", "/usr/bin/python3", self.client, kind, V4["srv"], port,
                               *([source] if source else []), stdin=subprocess.PIPE)


def start(lab, tmp, chain):
    cert, key, server = chain
    stack = Stack(lab, tmp, server, cert, key)
    stack.wait("Prometheus to scrape the exporter", lambda: stack.query('up{job="mailpath"} == 1'), 30)
    rule_groups = stack.api("/api/v1/rules")["groups"]
    loaded = {r["name"] for g in rule_groups for r in g["rules"]}
    assert set(ALERTS) <= loaded, "rules not loaded"
    return stack


def test_blackhole_alerts_fire_in_real_prometheus_for_each_direction_on_the_stalled_ports(chain):
    with Lab("blackhole") as lab, tempfile.TemporaryDirectory() as tmp:
        stack = start(lab, tmp, chain)
        assert stack.alerts() == []
        stack.connect_clients()
        want = {(name, port) for name in ALERTS for port in PORTS}

        def firing_on_every_port():
            firing = [a for a in stack.alerts() if a["state"] == "firing"]
            return firing if {(a["labels"]["alertname"], a["labels"]["port"]) for a in firing} == want else None

        firing = stack.wait(f"{ALERTS} firing on ports {sorted(PORTS)}", firing_on_every_port, 40)
        for a in firing:
            name = a["labels"]["alertname"]
            assert a["labels"] == {"alertname": name, "severity": "critical", "job": "mailpath",
                                   "instance": f"127.0.0.1:{EXPORTER_PORT}", "port": a["labels"]["port"],
                                   "direction": "inbound"}, a
            assert float(a["value"]) == 1, a  # one client of each ClientHello size per port
            assert f"port {a['labels']['port']} (inbound)" in a["annotations"]["description"], a
            assert a["annotations"]["runbook_url"].endswith(f"/docs/runbooks/{name}.md")


def test_blackhole_alerts_stay_silent_for_a_peer_gone_dark(chain):
    # The pmtud lab: no size problem anywhere, so the only loss is the outage.
    with Lab("pmtud") as lab, tempfile.TemporaryDirectory() as tmp:
        stack = start(lab, tmp, chain)
        # Every segment towards these clients is lost after the handshake: small and large hellos alike
        # leave our banner or certificate flight retransmitted into silence.
        stack.connect_clients(source=V4["dark"])
        # Prometheus has seen the outage on both ports...
        stack.wait("outage sockets on both ports", lambda: {
            s["metric"]["port"] for s in stack.query('mailpath_tcp_path_class_sockets{class="outage"} > 0')
        } == set(PORTS), 30)
        # ...and the rules have been evaluated on those samples for longer than their `for:`.
        time.sleep(FOR_SECONDS + 3)
        suspects = stack.query('mailpath_tcp_path_class_sockets'
                               '{direction="inbound",class=~"blackhole_suspect|rcv_blackhole_suspect"}')
        assert {(s["metric"]["port"], s["metric"]["class"]) for s in suspects} == {
            (p, c) for p in PORTS for c in ("blackhole_suspect", "rcv_blackhole_suspect")}, suspects
        assert all(float(s["value"][1]) == 0 for s in suspects), suspects
        rules = [r for g in stack.api("/api/v1/rules")["groups"] for r in g["rules"] if r["name"] in ALERTS]
        assert len(rules) == len(ALERTS) and all(r["health"] == "ok" for r in rules), rules
        assert stack.alerts() == []
