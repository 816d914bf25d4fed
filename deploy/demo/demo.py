#!/usr/bin/env python3
"""The live demo's supervisor: a sandboxed Postfix and Dovecot (private config, queue and log under
one temp dir, loopback ports only; the system's /etc/postfix and /etc/dovecot are never touched), the
exporter, Prometheus with the shipped rules and Alertmanager, and a traffic driver that keeps producing
what the seeds describe: per-IP rate-limit hits, a remote that throttles, a dead policy service, TLS
sessions that die after STARTTLS, failed IMAP logins. SIGTERM tears everything down and removes the
directory. Started and stopped by deploy/demo/demo.sh."""

import os
import re
import signal
import smtplib
import socket
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))

from private_dovecot import PrivateDovecot  # noqa: E402  (the integration tests' sandboxes)
from private_postfix import FakeSmtpPeer, PrivatePostfix, closed_port, free_port  # noqa: E402

EXPORTER_PORT, PROMETHEUS_PORT, ALERTMANAGER_PORT = 19154, 19090, 19093
DEMO_FOR = "20s"  # the shipped rules wait minutes before firing; the demo copy waits 20 s


def demo_rules(out_dir):
    """Copies alerts/*.yml with every `for:` shortened to DEMO_FOR."""
    paths = []
    for name in sorted(os.listdir(os.path.join(ROOT, "alerts"))):
        if not name.endswith(".yml"):
            continue
        with open(os.path.join(ROOT, "alerts", name)) as f:
            text = re.sub(r"(\n\s+for:\s*)\S+", r"\g<1>" + DEMO_FOR, f.read())
        path = os.path.join(out_dir, name)
        with open(path, "w") as f:
            f.write(text)
        paths.append(path)
    return paths


class Demo:
    def __init__(self, exporter, state):
        self.state = state
        self.procs = []
        self.stop = threading.Event()
        self.peers = [FakeSmtpPeer("throttle"), FakeSmtpPeer("greet421")]
        self.dovecot = PrivateDovecot({"alice@demo.test": "alice-pw"}, instance="dovecot-demo")
        self.policy_port = free_port()
        extra_main = f"""
smtpd_tls_cert_file = {state}/cert.pem
smtpd_tls_key_file = {state}/key.pem
smtpd_tls_security_level = may
smtpd_client_connection_rate_limit = 3
smtpd_client_event_limit_exceptions =
anvil_rate_time_unit = 60s
policy_restrictions = check_policy_service inet:127.0.0.1:{closed_port()}, permit_mynetworks, reject
"""
        extra_master = f"""\
127.0.0.1:{self.policy_port} inet n - n - - smtpd
  -o syslog_name=postfix-demo/policy
  -o smtpd_recipient_restrictions=$policy_restrictions
"""
        self.postfix = PrivatePostfix({"throttle.test": f"smtp:[127.0.0.1]:{self.peers[0].port}",
                                       "busy.test": f"smtp:[127.0.0.1]:{self.peers[1].port}"},
                                      extra_main_cf=extra_main, extra_master_cf=extra_master)
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
                        "/CN=mx.demo.test", "-keyout", f"{state}/key.pem", "-out", f"{state}/cert.pem"],
                       check=True, capture_output=True)
        os.chmod(f"{state}/key.pem", 0o644)  # read by Postfix's smtpd as user postfix
        self.exporter = exporter

    def spawn(self, name, cmd):
        log = open(os.path.join(self.state, f"{name}.log"), "w")
        p = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        self.procs.append((name, p))
        return p

    def start(self):
        self.dovecot.start()
        self.postfix.start()
        self.spawn("exporter", [self.exporter, f"--web.listen-address=127.0.0.1:{EXPORTER_PORT}",
                                f"--postfix.showq_path={self.postfix.showq_path}",
                                f"--postfix.logfile_path={self.postfix.log_file}",
                                f"--postfix.logfile_path={self.dovecot.log_file}", "--log.from-beginning",
                                # The sandbox's own mail ports: the well-known ones are not the demo's, and
                                # MailPortNotListening would page for each of them.
                                f"--tcp.ports={self.postfix.smtpd_port},{self.dovecot.imap},{self.dovecot.imaps},"
                                f"{self.dovecot.pop3},{self.dovecot.pop3s}"])
        rules = demo_rules(self.state)
        with open(os.path.join(self.state, "prometheus.yml"), "w") as f:
            f.write("global:\n  scrape_interval: 5s\n  evaluation_interval: 5s\n"
                    f"rule_files: [{', '.join(repr(r) for r in rules)}]\n"
                    f"alerting:\n  alertmanagers:\n    - static_configs: [{{targets: ['127.0.0.1:{ALERTMANAGER_PORT}']}}]\n"
                    "scrape_configs:\n  - job_name: mailpath\n"
                    f"    static_configs: [{{targets: ['127.0.0.1:{EXPORTER_PORT}']}}]\n")
        self.spawn("prometheus", ["prometheus", f"--config.file={self.state}/prometheus.yml",
                                  f"--storage.tsdb.path={self.state}/tsdb",
                                  f"--web.listen-address=127.0.0.1:{PROMETHEUS_PORT}"])
        self.spawn("alertmanager", ["prometheus-alertmanager",
                                    f"--config.file={ROOT}/deploy/alertmanager/alertmanager.yml",
                                    f"--storage.path={self.state}/alertmanager",
                                    f"--web.listen-address=127.0.0.1:{ALERTMANAGER_PORT}",
                                    "--cluster.listen-address="])
        threading.Thread(target=self.traffic, daemon=True).start()

    def traffic(self):
        """The seeds' failure modes, over and over, until SIGTERM."""
        pf = self.postfix
        n = 0
        while not self.stop.is_set():
            n += 1
            for _ in range(6):  # one NAT address: the per-IP connection rate limit trips
                self.quietly(lambda: self.greet_and_quit(pf.smtpd_port, "127.0.0.21"))
            # Other clients come from their own addresses, so the rate limit above spares them.
            src = f"127.0.{1 + n % 200}.{1 + n % 250}"
            self.quietly(lambda: self.submit(f"u{n}@throttle.test", src))                   # 450 4.7.1 remote
            self.quietly(lambda: self.submit(f"u{n}@busy.test", src))                       # 421 at the greeting
            self.quietly(lambda: self.policy_rcpt(src))                                     # dead policy service
            self.quietly(lambda: self.starttls_and_vanish(pf.smtpd_port, src))              # TLS dies after STARTTLS
            self.quietly(self.bad_imap_login)                                               # Dovecot auth failure
            self.stop.wait(2)

    @staticmethod
    def quietly(fn):
        try:
            fn()
        except (OSError, smtplib.SMTPException):
            pass

    @staticmethod
    def greet_and_quit(port, source):
        with socket.create_connection(("127.0.0.1", port), timeout=10, source_address=(source, 0)) as s:
            if s.recv(512).startswith(b"220"):
                s.sendall(b"QUIT\r\n")
                s.recv(512)

    def submit(self, rcpt, source):
        with smtplib.SMTP("127.0.0.1", self.postfix.smtpd_port, timeout=30, source_address=(source, 0)) as s:
            s.sendmail("app@demo.test", [rcpt], "Subject: demo\r\n\ndemo traffic\r\n")

    def policy_rcpt(self, source):
        with smtplib.SMTP("127.0.0.1", self.policy_port, timeout=30, source_address=(source, 0)) as s:
            s.ehlo("client.demo.test")
            s.mail("app@demo.test")
            s.rcpt("someone@example.test")

    @staticmethod
    def starttls_and_vanish(port, source):
        with socket.create_connection(("127.0.0.1", port), timeout=10, source_address=(source, 0)) as s:
            s.recv(512)
            s.sendall(b"EHLO client.demo.test\r\nSTARTTLS\r\n")
            time.sleep(0.3)

    def bad_imap_login(self):
        import imaplib
        m = imaplib.IMAP4("127.0.0.1", self.dovecot.imap, timeout=10)
        try:
            m.login("alice@demo.test", "wrong")
        except imaplib.IMAP4.error:
            pass
        m.logout()

    def shutdown(self):
        self.stop.set()
        for name, p in reversed(self.procs):
            if p.poll() is None:
                p.terminate()
        for name, p in self.procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        self.postfix.cleanup()
        self.dovecot.cleanup()
        for peer in self.peers:
            peer.close()


def main():
    exporter, state, ready_file = sys.argv[1], sys.argv[2], sys.argv[3]
    demo = Demo(exporter, state)
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    signal.signal(signal.SIGINT, lambda *_: done.set())
    try:
        demo.start()
        with open(ready_file, "w") as f:
            f.write(f"postfix_smtpd=127.0.0.1:{demo.postfix.smtpd_port}\n"
                    f"postfix_policy_listener=127.0.0.1:{demo.policy_port}\n"
                    f"dovecot_imap=127.0.0.1:{demo.dovecot.imap}\n")
        done.wait()
    finally:
        demo.shutdown()


if __name__ == "__main__":
    main()
