"""Port health end to end: the real Postfix and Dovecot of the suite, the exporter's tcp collector on
their ports, and a real Prometheus evaluating a copy of alerts/mailpath-ports.rules.yml in which only
MailPortNotListening's `for:` is shortened (the expression is the shipped one). Stopping Dovecot turns
its four ports to not listening and fires the alert for exactly those; Postfix's port stays silent;
starting Dovecot again clears it."""

import os
import subprocess
import tempfile
import time

import mailpath_testlib as lib
from prometheus_lab import Prometheus, wait_until
from private_dovecot import PrivateDovecot
from private_postfix import PrivatePostfix

ALERT = "MailPortNotListening"
RULES = os.path.join(lib.SOURCE_DIR, "alerts", "mailpath-ports.rules.yml")


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
            with Prometheus(tmp, f"127.0.0.1:{exp.port}", RULES, ALERT) as prom:
                listening = lambda: {r["metric"]["port"]: r["value"][1] for r in prom.query("mailpath_tcp_port_listening")}
                got = wait_until("every port listening in Prometheus", lambda: len(listening()) == len(ports) and
                                 set(listening().values()) == {"1"}, 60)
                assert got
                time.sleep(3)  # several evaluations with everything up
                assert prom.alerts() == []

                started = time.time()
                subprocess.run(["doveadm", "-c", dovecot.config, "stop"], check=True, capture_output=True, timeout=20)
                dovecot.proc.wait(timeout=20)

                def firing_on_dovecot_ports():
                    firing = {a["labels"]["port"] for a in prom.alerts() if a["state"] == "firing"}
                    return firing if firing == dovecot_ports else None

                firing = wait_until(f"{ALERT} firing on Dovecot's ports", firing_on_dovecot_ports, 60)
                print(f"fired {time.time() - started:.1f} s after stopping Dovecot on ports {sorted(firing)}")
                values = listening()
                assert {p: values[p] for p in dovecot_ports} == {p: "0" for p in dovecot_ports}
                assert values[str(postfix.smtpd_port)] == "1"
                for a in prom.alerts():
                    assert a["labels"] == {"alertname": ALERT, "severity": "critical", "job": "mailpath",
                                           "instance": f"127.0.0.1:{exp.port}", "port": a["labels"]["port"]}, a

                started = time.time()
                dovecot.start()
                wait_until(f"{ALERT} to clear", lambda: prom.alerts() == [], 60)
                print(f"cleared {time.time() - started:.1f} s after starting Dovecot")
                assert set(listening().values()) == {"1"}
    finally:
        postfix.cleanup()
        dovecot.cleanup()
