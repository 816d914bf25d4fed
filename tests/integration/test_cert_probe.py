"""The cert collector against the real Dovecot of the suite (IMAP and POP3 with STARTTLS, IMAPS, POP3S):
each port's served leaf, its dates and chain verdict, the per-stage times, and served == configured file.
Replacing the files without a reload turns served != file and fires MailCertificateNotReloaded in a real
Prometheus (a copy of alerts/mailpath-ports.rules.yml with only `for:` shortened); `doveadm reload`
clears it. An expired certificate keeps its series. The probes change no Dovecot counter: a second
exporter follows Dovecot's log from its beginning and its dovecot_* series are compared before and
after several probe rounds."""

import datetime
import os
import subprocess
import tempfile
import time

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

import mailpath_testlib as lib
from private_dovecot import PrivateDovecot
from prometheus_lab import Prometheus, wait_until

ALERT = "MailCertificateNotReloaded"
# The log classifiers leave the probe's lines out only where the cert collector is on (one exporter does
# both in production). The log-side exporter here turns it on with a port nothing listens on, so its
# filter (source 127.0.0.153, the default) is the one the probing exporter's sessions meet.
LOG_SIDE_CERT = ["--collector.cert", f"--cert.target={lib.free_port()}:smtp"]
RULES = os.path.join(lib.SOURCE_DIR, "alerts", "mailpath-ports.rules.yml")


def write_cert(directory, not_before, not_after):
    """A fresh self-signed key and certificate written over Dovecot's cert.pem/key.pem."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "mail.example.org")])
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(not_before).not_valid_after(not_after)
            .sign(key, hashes.SHA256()))
    for name_, data in (("key.pem", key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                       serialization.NoEncryption())),
                        ("cert.pem", cert.public_bytes(serialization.Encoding.PEM))):
        tmp = os.path.join(directory, name_ + ".new")
        with open(tmp, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o644)
        os.rename(tmp, os.path.join(directory, name_))
    return cert


def scrape(exp):
    return lib.parse_exposition(exp.metrics())


def counters(exp):
    return {k: v for k, v in scrape(exp).items() if k[0].startswith("dovecot_")}


def test_served_certificate_against_the_file_reload_and_no_counter_moves():
    dovecot = PrivateDovecot({"alice": "secret"})
    dovecot.start()
    d = dovecot.dir
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    first = write_cert(d, now - datetime.timedelta(days=1), now + datetime.timedelta(days=60))
    subprocess.run(["doveadm", "-c", dovecot.config, "reload"], check=True, capture_output=True, timeout=20)
    ports = {dovecot.imap: "imap", dovecot.imaps: "imaps", dovecot.pop3: "pop3", dovecot.pop3s: "pop3s"}
    targets = [f"--cert.target={p}:{kind}:{d}/cert.pem" for p, kind in ports.items()]
    logs = lib.Exporter(["--collector.disable-defaults", "--collector.logs", "--collector.dovecot",
                         f"--postfix.logfile_path={dovecot.log_file}", "--log.from-beginning", *LOG_SIDE_CERT])
    try:
        lib.wait_file_lines_counted(logs, dovecot.log_file)
        before = counters(logs)
        with lib.Exporter(["--collector.disable-defaults", "--collector.cert", *targets,
                           "--cert.probe-interval-seconds=1", f"--cert.ca-file={d}/cert.pem"]) as exp, \
                tempfile.TemporaryDirectory() as tmp:
            # Served == file, dates as written, chain verified against the CA file, every stage timed.
            def all_probed():
                s = scrape(exp)
                return s if all(lib.value(s, "mailpath_cert_probe_success", port=str(p)) == 1 for p in ports) else None
            s = wait_until("every port probed", all_probed, 30)
            for p, kind in ports.items():
                port = str(p)
                assert lib.value(s, "mailpath_cert_served_matches_file", port=port) == 1, kind
                assert lib.value(s, "mailpath_cert_not_after_timestamp_seconds", port=port, source="served") == \
                    first.not_valid_after.replace(tzinfo=datetime.timezone.utc).timestamp()
                assert lib.value(s, "mailpath_cert_not_before_timestamp_seconds", port=port, source="file") == \
                    first.not_valid_before.replace(tzinfo=datetime.timezone.utc).timestamp()
                assert lib.value(s, "mailpath_cert_chain_verified", port=port) == 1, kind
                fp = int.from_bytes(first.fingerprint(hashes.SHA256())[:6], "big")
                assert lib.value(s, "mailpath_cert_fingerprint48", port=port, source="served") == fp
                stages = {dict(k)["stage"] for k in lib.series(s, "mailpath_cert_probe_stage_seconds")
                          if dict(k)["port"] == port}
                want = {"connect", "handshake"} | ({"banner", "starttls"} if kind in ("imap", "pop3") else set())
                assert stages == want, (kind, stages)
            lib.promtool_check_metrics(exp.metrics())

            # Several more probe rounds: Dovecot's counters as the log collector sees them do not move.
            time.sleep(3)
            lib.wait_file_lines_counted(logs, dovecot.log_file)
            after = counters(logs)
            moved = {k: (before.get(k), v) for k, v in after.items() if before.get(k) != v}
            assert not moved, f"probe sessions moved Dovecot counters: {moved}\n{dovecot.log()[-3000:]}"

            # Renewed on disk, not reloaded: served != file, the alert fires in a real Prometheus.
            with Prometheus(tmp, f"127.0.0.1:{exp.port}", RULES, ALERT) as prom:
                alerts = lambda: prom.alerts(state="firing")
                up = lambda: prom.query("up == 1")
                wait_until("Prometheus scraping", up, 60)
                time.sleep(2)
                assert alerts() == []
                second = write_cert(d, now, now + datetime.timedelta(days=90))
                started = time.time()
                firing = wait_until(f"{ALERT} on every port", lambda: (lambda a: a if {x["labels"]["port"] for x in a} ==
                                                                 {str(p) for p in ports} else None)(alerts()), 60)
                print(f"{ALERT} fired {time.time() - started:.1f} s after the files were replaced")
                s = scrape(exp)
                for p in ports:
                    assert lib.value(s, "mailpath_cert_served_matches_file", port=str(p)) == 0
                    assert lib.value(s, "mailpath_cert_not_after_timestamp_seconds", port=str(p), source="file") == \
                        second.not_valid_after.replace(tzinfo=datetime.timezone.utc).timestamp()
                started = time.time()
                subprocess.run(["doveadm", "-c", dovecot.config, "reload"], check=True, capture_output=True, timeout=20)
                wait_until(f"{ALERT} to clear after doveadm reload", lambda: alerts() == [], 60)
                print(f"cleared {time.time() - started:.1f} s after doveadm reload")

            # An expired certificate keeps its series (the probe never refuses a handshake).
            expired = write_cert(d, now - datetime.timedelta(days=30), now - datetime.timedelta(days=1))
            subprocess.run(["doveadm", "-c", dovecot.config, "reload"], check=True, capture_output=True, timeout=20)
            want = expired.not_valid_after.replace(tzinfo=datetime.timezone.utc).timestamp()

            def expired_served():
                s = scrape(exp)
                return s if all(lib.value(s, "mailpath_cert_not_after_timestamp_seconds", port=str(p),
                                          source="served") == want for p in ports) else None
            s = wait_until("the expired certificate served", expired_served, 30)
            for p in ports:
                assert lib.value(s, "mailpath_cert_probe_success", port=str(p)) == 1
                assert lib.value(s, "mailpath_cert_chain_verified", port=str(p)) == 0  # expired, other CA
                assert lib.value(s, "mailpath_cert_served_matches_file", port=str(p)) == 1
    finally:
        logs.stop()
        dovecot.cleanup()


def test_exposition_matches_golden():
    """The fixture certificate (tests/fixtures/certs) served by a minimal implicit-TLS IMAP responder:
    every cert family with known dates, fingerprint, chain verdict and served == file."""
    import socket
    import ssl
    import threading
    fixtures = os.path.join(lib.SOURCE_DIR, "tests", "fixtures", "certs")
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(os.path.join(fixtures, "chain-key-first.pem"))
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(4)
    port = srv.getsockname()[1]

    def serve():
        while True:
            try:
                raw, _ = srv.accept()
            except OSError:
                return
            try:
                with ctx.wrap_socket(raw, server_side=True) as c:
                    c.sendall(b"* OK [CAPABILITY IMAP4rev1] ready\r\n")
                    if c.recv(100).startswith(b"z LOGOUT"):
                        c.sendall(b"* BYE Logging out\r\nz OK Logout completed.\r\n")
            except (OSError, ssl.SSLError):
                pass

    threading.Thread(target=serve, daemon=True).start()
    try:
        proc = lib.run_once(["--collector.disable-defaults", "--collector.cert",
                             f"--cert.target={port}:imaps:{fixtures}/leaf.pem", f"--cert.ca-file={fixtures}/leaf.pem",
                             f"--cert.target={port}:smtp"])  # a second target for the port is ignored
    finally:
        srv.close()
    lib.promtool_check_metrics(proc.stdout)
    lib.assert_golden("cert_probe.prom", proc.stdout.replace(f'port="{port}"', 'port="<port>"'),
                      volatile=("mailpath_cert_probe_timestamp_seconds", "mailpath_cert_probe_stage_seconds",
                                "mailpath_exporter_collector_duration_seconds"))


def test_postfix_starttls_file_from_postconf_reload_and_no_postfix_counter_moves():
    """The real Postfix of the suite with STARTTLS on its smtpd port: the configured file comes from
    `postconf -h smtpd_tls_cert_file` (MAIL_CONFIG), a replaced file shows served != file until
    `postfix reload`, and the postfix_* series of a log-following exporter do not move."""
    from private_postfix import PrivatePostfix
    pf = PrivatePostfix({}, extra_main_cf="smtpd_tls_cert_file = {root}/cert.pem\nsmtpd_tls_key_file = {root}/key.pem\n"
                                          "smtpd_tls_security_level = may\nsmtpd_tls_loglevel = 1\n")
    main_cf = os.path.join(pf.config_dir, "main.cf")
    with open(main_cf) as f:
        text = f.read().replace("{root}", pf.root)
    with open(main_cf, "w") as f:
        f.write(text)
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    first = write_cert(pf.root, now - datetime.timedelta(days=1), now + datetime.timedelta(days=60))
    pf.start()
    logs = None
    try:
        logs = lib.Exporter(["--collector.disable-defaults", "--collector.logs", "--collector.postfix",
                             f"--postfix.logfile_path={pf.log_file}", "--log.from-beginning", *LOG_SIDE_CERT])
        lib.wait_file_lines_counted(logs, pf.log_file)
        before = {k: v for k, v in scrape(logs).items() if k[0].startswith("postfix_")}
        port = str(pf.smtpd_port)
        env = dict(os.environ, MAIL_CONFIG=pf.config_dir)
        with lib.Exporter(["--collector.disable-defaults", "--collector.cert", f"--cert.target={port}:smtp",
                           "--cert.probe-interval-seconds=1"], env=env) as exp:
            def served(fingerprint_of):
                want = int.from_bytes(fingerprint_of.fingerprint(hashes.SHA256())[:6], "big")
                s = scrape(exp)
                return s if lib.value(s, "mailpath_cert_fingerprint48", port=port, source="served") == want else None
            s = wait_until("the first certificate served", lambda: served(first), 30)
            assert lib.value(s, "mailpath_cert_served_matches_file", port=port) == 1
            assert lib.value(s, "mailpath_cert_chain_verified", port=port) == 0  # self-signed, system store
            assert {dict(k)["stage"] for k in lib.series(s, "mailpath_cert_probe_stage_seconds")} == \
                {"connect", "banner", "starttls", "handshake"}
            second = write_cert(pf.root, now, now + datetime.timedelta(days=90))
            s = wait_until("served != file", lambda: (lambda s: s if lib.value(s, "mailpath_cert_served_matches_file",
                                                                          port=port) == 0 else None)(scrape(exp)), 30)
            assert lib.value(s, "mailpath_cert_not_before_timestamp_seconds", port=port, source="file") > \
                lib.value(s, "mailpath_cert_not_before_timestamp_seconds", port=port, source="served")
            pf.run("postfix", "-c", pf.config_dir, "reload")
            s = wait_until("the renewed certificate served after postfix reload", lambda: served(second), 30)
            assert lib.value(s, "mailpath_cert_served_matches_file", port=port) == 1
        time.sleep(1)
        assert "starttls=1 quit=1" in pf.log(), pf.log()[-2000:]
        lib.wait_file_lines_counted(logs, pf.log_file)
        after = {k: v for k, v in scrape(logs).items() if k[0].startswith("postfix_")}
        moved = {k: (before.get(k), v) for k, v in after.items() if before.get(k) != v}
        # A reload logs master lines of its own; everything else must stay put.
        moved = {k: v for k, v in moved.items() if k[0] != "postfix_log_lines_total"}
        assert not moved, f"probe sessions moved Postfix counters: {moved}"
    finally:
        if logs:
            logs.stop()
        pf.cleanup()
