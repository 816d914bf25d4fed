"""Port health end to end: the real Postfix and Dovecot of the suite, the exporter's tcp collector on
their ports, and a real Prometheus evaluating a copy of alerts/mailpath-ports.rules.yml in which only
MailPortNotListening's `for:` is shortened (the expression is the shipped one). Stopping Dovecot turns
its four ports to not listening and fires the alert for exactly those; Postfix's port stays silent;
starting Dovecot again clears it."""

import json
import os
import subprocess
import tempfile
import time
import urllib.parse
import urllib.request

import yaml

import mailpath_testlib as lib
from private_dovecot import PrivateDovecot
from private_postfix import PrivatePostfix

ALERT = "MailPortNotListening"
RULES = os.path.join(lib.SOURCE_DIR, "alerts", "mailpath-ports.rules.yml")


def shortened_rules(path):
    with open(RULES) as f:
        doc = yaml.safe_load(f)
    found = [r for g in doc["groups"] for r in g["rules"] if r.get("alert") == ALERT]
    assert len(found) == 1 and found[0]["for"] != "1s"
    found[0]["for"] = "1s"
    with open(path, "w") as f:
        yaml.safe_dump(doc, f)


def api(base, path):
    with urllib.request.urlopen(base + path, timeout=5) as resp:
        reply = json.load(resp)
    assert reply["status"] == "success", reply
    return reply["data"]


def wait(what, predicate, timeout):
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


def test_stopping_dovecot_fires_not_listening_for_its_ports_and_starting_it_clears():
    dovecot = PrivateDovecot({"alice": "secret"})
    postfix = PrivatePostfix({})
    dovecot.start()
    postfix.start()
    dovecot_ports = {str(p) for p in (dovecot.imap, dovecot.imaps, dovecot.pop3, dovecot.pop3s)}
    ports = dovecot_ports | {str(postfix.smtpd_port)}
    try:
        with lib.Exporter(["--collector.disable-defaults", "--collector.tcp", f"--tcp.ports={','.join(sorted(ports))}",
                           f"--tcp.remote-ports={lib.free_port()}"]) as exp, \
                tempfile.TemporaryDirectory() as tmp:
            rules = os.path.join(tmp, "rules.yml")
            shortened_rules(rules)
            cfg = os.path.join(tmp, "prometheus.yml")
            with open(cfg, "w") as f:
                f.write(f"global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nrule_files:\n  - {rules}\n"
                        f"scrape_configs:\n  - job_name: mailpath\n    static_configs:\n"
                        f"      - targets: ['127.0.0.1:{exp.port}']\n")
            prom, base = lib.start_prometheus(cfg, f"{tmp}/data")
            try:
                query = lambda e: api(base, "/api/v1/query?" + urllib.parse.urlencode({"query": e}))["result"]
                alerts = lambda: [a for a in api(base, "/api/v1/alerts")["alerts"] if a["labels"]["alertname"] == ALERT]
                listening = lambda: {r["metric"]["port"]: r["value"][1] for r in query("mailpath_tcp_port_listening")}
                got = wait("every port listening in Prometheus", lambda: len(listening()) == len(ports) and
                           set(listening().values()) == {"1"}, 60)
                assert got
                time.sleep(3)  # several evaluations with everything up
                assert alerts() == []

                started = time.time()
                subprocess.run(["doveadm", "-c", dovecot.config, "stop"], check=True, capture_output=True, timeout=20)
                dovecot.proc.wait(timeout=20)

                def firing_on_dovecot_ports():
                    firing = {a["labels"]["port"] for a in alerts() if a["state"] == "firing"}
                    return firing if firing == dovecot_ports else None

                firing = wait(f"{ALERT} firing on Dovecot's ports", firing_on_dovecot_ports, 60)
                print(f"fired {time.time() - started:.1f} s after stopping Dovecot on ports {sorted(firing)}")
                values = listening()
                assert {p: values[p] for p in dovecot_ports} == {p: "0" for p in dovecot_ports}
                assert values[str(postfix.smtpd_port)] == "1"
                for a in alerts():
                    assert a["labels"] == {"alertname": ALERT, "severity": "critical", "job": "mailpath",
                                           "instance": f"127.0.0.1:{exp.port}", "port": a["labels"]["port"]}, a

                started = time.time()
                dovecot.start()
                wait(f"{ALERT} to clear", lambda: alerts() == [], 60)
                print(f"cleared {time.time() - started:.1f} s after starting Dovecot")
                assert set(listening().values()) == {"1"}
            finally:
                prom.terminate()
                prom.wait(timeout=30)
    finally:
        postfix.cleanup()
        dovecot.cleanup()
