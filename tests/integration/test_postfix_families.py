"""Every family of the Postfix classifier against a real Postfix on loopback: postscreen with the pregreet
test, a submission service with STARTTLS and Dovecot SASL (a real private Dovecot), a listener whose policy
service is a closed port, session timeouts and error limits, TLS handshakes that die, and outbound deliveries
to loopback peers that throttle at the greeting, at RCPT and after DATA, reject, stall or accept, plus the
local discard/error transports, pickup and postsuper. Counts are exact; >= 99 % of the lines classified."""

import base64
import os
import smtplib
import socket
import ssl
import subprocess
import time

import mailpath_testlib as lib
from private_dovecot import PrivateDovecot
from private_postfix import FakeSmtpPeer, PrivatePostfix, closed_port, free_port

INST = "postfix-mailpath-test"
SASL_USER, SASL_PASSWORD = "sender@lab.test", "pw-sender"


def tls_context():
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


class Lab:
    def __init__(self):
        self.peers = {m: FakeSmtpPeer(m) for m in ("greet421", "data421", "reject550", "accept", "stall")}
        self.dovecot = PrivateDovecot({SASL_USER: SASL_PASSWORD})
        self.postscreen_port, self.submission_port, self.policy_port = free_port(), free_port(), free_port()
        self.dead_policy_port = closed_port()
        transports = {f"{m}.test": f"smtp:[127.0.0.1]:{p.port}" for m, p in self.peers.items()}
        transports.update({"refused.test": f"smtp:[127.0.0.1]:{closed_port()}", "discard.test": "discard:",
                           "error.test": "error:5.1.1 mailbox gone"})
        extra_main = f"""
smtpd_tls_cert_file = {{root}}/cert.pem
smtpd_tls_key_file = {{root}}/key.pem
smtpd_tls_security_level = may
smtpd_tls_loglevel = 1
smtp_tls_security_level = none
smtpd_sasl_type = dovecot
smtpd_sasl_path = {self.dovecot.auth_socket}
smtpd_timeout = 3s
smtpd_hard_error_limit = 2
smtpd_soft_error_limit = 1
smtpd_error_sleep_time = 0
postscreen_access_list =
postscreen_greet_action = enforce
postscreen_greet_wait = 2s
postscreen_dnsbl_sites =
policy_restrictions = check_policy_service inet:127.0.0.1:{self.dead_policy_port}, permit_mynetworks, reject
anvil_status_update_time = 2s
smtpd_client_event_limit_exceptions =
"""
        extra_master = f"""\
127.0.0.1:{self.postscreen_port} inet n - n - 1 postscreen
smtpd     pass  -       -       n       -       -       smtpd
dnsblog   unix  -       -       n       -       0       dnsblog
tlsproxy  unix  -       -       n       -       0       tlsproxy
127.0.0.1:{self.submission_port} inet n - n - - smtpd
  -o syslog_name={INST}/submission
  -o smtpd_sasl_auth_enable=yes
  -o smtpd_recipient_restrictions=permit_sasl_authenticated,reject
127.0.0.1:{self.policy_port} inet n - n - - smtpd
  -o syslog_name={INST}/policy
  -o smtpd_recipient_restrictions=$policy_restrictions
  -o smtpd_client_message_rate_limit=1
"""
        self.postfix = PrivatePostfix(transports, extra_main_cf=extra_main, extra_master_cf=extra_master)
        root = self.postfix.root
        main_cf = os.path.join(self.postfix.config_dir, "main.cf")
        with open(main_cf) as f:
            text = f.read().replace("{root}", root).replace("smtp_helo_timeout = 300s", "smtp_helo_timeout = 2s")
        with open(main_cf, "w") as f:
            f.write(text)
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
                        "/CN=mx.lab.test", "-keyout", f"{root}/key.pem", "-out", f"{root}/cert.pem"],
                       check=True, capture_output=True)

    def start(self):
        self.dovecot.start()
        self.postfix.start()

    def cleanup(self):
        self.postfix.cleanup()
        self.dovecot.cleanup()
        for p in self.peers.values():
            p.close()


def smtp(port, source="127.0.0.1"):
    return smtplib.SMTP("127.0.0.1", port, timeout=30, source_address=(source, 0))


def send(port, rcpts, source="127.0.0.1", sender="a@sender.test"):
    with smtp(port, source) as s:
        s.sendmail(sender, rcpts, "Subject: families\r\n\r\nbody\r\n")


def raw(port, chunks, source="127.0.0.1", greet=True, linger=0.3):
    s = socket.create_connection(("127.0.0.1", port), timeout=30, source_address=(source, 0))
    if greet:
        s.recv(4096)
    for c in chunks:
        try:
            s.sendall(c)
        except OSError:  # the server hung up (too many errors, postscreen's reject)
            break
        time.sleep(0.1)
    time.sleep(linger)
    s.close()  # the client vanishes: whatever the server was waiting for never comes


def drive(lab):
    pf = lab.postfix
    # Outbound: one message per peer behaviour, all accepted by the main smtpd (permit_mynetworks).
    for dest in ("greet421", "data421", "reject550", "accept", "stall", "refused", "discard"):
        send(pf.smtpd_port, [f"u@{dest}.test"])
    try:  # smtpd knows the error: transport and refuses at RCPT
        send(pf.smtpd_port, ["u@error.test"], source="127.0.0.30")
        raise AssertionError("RCPT to the error: transport was accepted")
    except smtplib.SMTPRecipientsRefused:
        pass
    # SASL on the submission service: a failure and a success that sends one message, over STARTTLS.
    with smtp(lab.submission_port, "127.0.0.31") as s:
        s.starttls(context=tls_context())
        s.ehlo("c.test")
        token = base64.b64encode(f"\0{SASL_USER}\0wrong".encode()).decode()
        code, _ = s.docmd("AUTH", "PLAIN " + token)  # one attempt, one mechanism
        assert code == 535, code
    with smtp(lab.submission_port, "127.0.0.31") as s:
        s.starttls(context=tls_context())
        s.login(SASL_USER, SASL_PASSWORD)
        s.sendmail(SASL_USER, ["u2@accept.test"], "Subject: sasl\r\n\r\nbody\r\n")
    # TLS that dies: STARTTLS then silence (lost connection after STARTTLS), and garbage instead of a
    # ClientHello (SSL_accept error).
    raw(pf.smtpd_port, [b"EHLO c.test\r\n", b"STARTTLS\r\n"], source="127.0.0.32", linger=0.2)
    raw(pf.smtpd_port, [b"EHLO c.test\r\n", b"STARTTLS\r\n", b"\x16\x03\x01\x00\x05hello\r\n" * 3],
        source="127.0.0.33")
    # Session ends: idle until smtpd_timeout (timeout after CONNECT), and too many errors.
    raw(pf.smtpd_port, [], source="127.0.0.34", linger=4)
    raw(pf.smtpd_port, [b"EHLO c.test\r\n"] + [b"BOGUS\r\n"] * 4, source="127.0.0.35")
    # Improper pipelining: commands sent before the greeting.
    raw(pf.smtpd_port, [b"EHLO c.test\r\nMAIL FROM:<a@b.test>\r\nQUIT\r\n"], source="127.0.0.36", greet=False,
        linger=0.5)
    # Policy service on a closed port: 451 4.3.5 after the retries.
    with smtp(lab.policy_port, "127.0.0.37") as s:
        s.ehlo("c.test")
        s.mail("a@sender.test")
        code, _ = s.rcpt("u@accept.test")
        assert code == 451, code
    with smtp(lab.policy_port, "127.0.0.37") as s:
        s.ehlo("c.test")
        code, _ = s.mail("a@sender.test")  # the second MAIL from .37 is over this service's message rate limit
        assert code == 450, code
    # postscreen: a pregreeting client (PREGREET, then rejected), and a polite one (PASS NEW).
    raw(lab.postscreen_port, [b"EHLO pregreet.test\r\n"], source="127.0.0.38", greet=False, linger=2.5)
    with smtp(lab.postscreen_port, "127.0.0.39") as s:
        s.ehlo("polite.test")
    # pickup: sendmail(1) on the command line.
    subprocess.run(["sendmail", "-C", pf.config_dir, "-f", "cli@sender.test", "u3@accept.test", "u4@error.test"],
                   input=b"Subject: cli\n\nbody\n", check=True, timeout=30, env=pf.env)
    time.sleep(3)  # the deliveries settle; the stalled peer's greeting timeout is 2 s
    # postsuper: hold everything deferred, then delete what is held.
    pf.run("postsuper", "-c", pf.config_dir, "-h", "ALL", "deferred")
    pf.run("postsuper", "-c", pf.config_dir, "-d", "ALL", "hold")


def test_every_postfix_family_against_real_postfix():
    lab = Lab()
    try:
        lab.start()
        with lib.Exporter(["--collector.disable-defaults", "--collector.logs", "--collector.postfix",
                           f"--postfix.logfile_path={lab.postfix.log_file}", "--log.from-beginning"]) as exp:
            drive(lab)
            time.sleep(8)  # Postfix finishes its deliveries and bounces
            s = lib.wait_file_lines_counted(exp, lab.postfix.log_file)
            text = exp.metrics()
        log = lab.postfix.log()
    finally:
        lab.cleanup()
    lib.promtool_check_metrics(text)

    def v(name, **labels):
        return lib.value(s, name, **labels)

    def pf(name, **labels):
        return lib.value(s, name, postfix_instance=INST, **labels)

    policy_service = f"127.0.0.1:{lab.policy_port}"
    # Kept peer names (prometheus-postfix-exporter): connects/disconnects per master.cf service; smtpd's 13
    # on the main port plus the one postscreen passed to its "smtpd" pass service.
    assert pf("postfix_smtpd_connects_total", service="smtpd") == 14, log
    assert pf("postfix_smtpd_disconnects_total", service="smtpd") == 14
    assert pf("postfix_smtpd_connects_total", service="submission") == 2
    assert pf("postfix_smtpd_connects_total", service="policy") == 2
    assert pf("postfix_smtpd_messages_processed_total", service="smtpd", sasl_method="") == 7
    assert pf("postfix_smtpd_messages_processed_total", service="submission", sasl_method="PLAIN") == 1
    assert pf("postfix_cleanup_messages_processed_total", service="cleanup") == 11  # 9 submitted + 2 NDRs
    assert pf("postfix_qmgr_messages_inserted_recipients_count", service="qmgr") == 11
    assert pf("postfix_qmgr_messages_removed_total", service="qmgr") == 5
    assert pf("postfix_pickup_messages_total", service="pickup") == 1
    assert pf("postfix_bounce_non_delivery_notification_total", service="bounce") == 2
    # Outbound: statuses and deferral classes. Deferred: 421 at greeting, 421 4.7.28 after DATA, the
    # refused destination and the two NDRs (relayhost refused), the stalled greeting.
    assert pf("postfix_smtp_messages_processed_total", service="smtp", status="sent") == 3
    assert pf("postfix_smtp_messages_processed_total", service="smtp", status="bounced") == 1
    assert pf("postfix_smtp_messages_processed_total", service="smtp", status="deferred") == 6
    smtp = dict(service="smtp", daemon="smtp")
    assert pf("postfix_delivery_deferrals_total", **smtp, reason="rate_limited") == 2
    assert pf("postfix_delivery_deferrals_total", **smtp, reason="connect_refused") == 3
    assert pf("postfix_delivery_deferrals_total", **smtp, reason="greeting_timeout") == 1
    assert v("postfix_remote_throttling_by_domain_total", domain="greet421.test") == 1
    assert v("postfix_remote_throttling_by_domain_total", domain="data421.test") == 1
    assert pf("postfix_smtp_connect_failures_total", service="smtp", cause="refused") == 3
    assert pf("postfix_deliveries_total", service="discard", daemon="discard", status="sent") == 1
    assert pf("postfix_deliveries_total", service="error", daemon="error", status="bounced") == 1
    # Delays observed for final statuses only (the peer observed deferrals too), per stage.
    for stage in ("before_queue_manager", "queue_manager", "connection_setup", "transmission"):
        assert pf("postfix_smtp_delivery_delay_seconds_count", service="smtp", stage=stage) == 4
    # Rejects by stage/code/class, and the policy service that is not there.
    assert pf("postfix_smtpd_rejects_total", service="smtpd", action="reject", stage="RCPT", code="550",
              reason="unknown_user") == 1
    assert pf("postfix_smtpd_rejects_total", service="policy", action="reject", stage="RCPT", code="451",
              reason="policy_unavailable") == 1
    assert pf("postfix_policy_service_failures_total", service="policy", server=f"127.0.0.1:{lab.dead_policy_port}",
              cause="refused") == 4  # 2 tries x 2 warnings
    # Anvil: the limit hit and its statistics, under the inet service's own name (host:port).
    assert pf("postfix_anvil_limit_exceeded_total", service=policy_service, limit="message_rate") == 1
    assert v("postfix_client_network_limit_hits_total", network="127.0.0.0/24", limit="message_rate") == 1
    assert pf("postfix_anvil_max_rate", service=policy_service, kind="message_rate") == 2
    assert pf("postfix_anvil_max_rate", service=policy_service, kind="connection_rate") == 2
    # SASL (Dovecot behind Postfix): a failure and a success, per service/method and per user.
    assert pf("postfix_smtpd_sasl_authentication_failures_total", service="submission", method="PLAIN") == 1
    assert v("postfix_sasl_user_auth_failures_total", sasl_username=SASL_USER) == 1
    assert v("postfix_sasl_user_messages_total", sasl_username=SASL_USER) == 1
    # TLS: sessions established; handshakes that died (the client vanished, or spoke garbage).
    assert pf("postfix_smtpd_tls_connections_total", service="submission", trust="Anonymous", protocol="TLSv1.3",
              cipher="TLS_AES_256_GCM_SHA384") == 2
    died = lib.series(s, "postfix_tls_handshake_failures_total")
    assert sum(died.values()) == 2, died
    assert pf("postfix_tls_handshake_failures_total", service="smtpd", side="server", cause="protocol_error") == 1
    assert pf("postfix_tls_library_problems_total", service="smtpd", reason="other") == 1
    # Session ends by reason and stage: the STARTTLS ones are the blackhole look-alike.
    ends = dict(service="smtpd")
    assert pf("postfix_smtpd_session_ends_total", **ends, reason="lost_connection", stage="STARTTLS") == 2
    assert pf("postfix_smtpd_connections_lost_total", **ends, after_stage="STARTTLS") == 2
    assert pf("postfix_smtpd_session_ends_total", **ends, reason="timeout", stage="CONNECT") == 1
    assert pf("postfix_smtpd_session_ends_total", **ends, reason="too_many_errors", stage="UNKNOWN") == 1
    assert pf("postfix_smtpd_improper_pipelining_total", **ends, stage="CONNECT") == 1
    # postscreen.
    ps = dict(service="postscreen")
    assert pf("postfix_postscreen_events_total", **ps, event="connect") == 2
    assert pf("postfix_postscreen_events_total", **ps, event="pregreet") == 1
    assert pf("postfix_postscreen_events_total", **ps, event="hangup") == 1
    assert pf("postfix_postscreen_events_total", **ps, event="pass_new") == 1
    # postsuper, from its summary lines (3.7 logs no per-message lines for ALL).
    assert pf("postfix_postsuper_actions_total", service="postsuper", action="hold") == 6
    assert pf("postfix_postsuper_actions_total", service="postsuper", action="delete") == 6
    # Every Postfix line of the run, classified: at least 99 %.
    routed = v("mailpath_log_lines_total", source=lab.postfix.log_file, result="routed")
    unsupported = sum(lib.series(s, "postfix_unsupported_log_entries_total").values())
    assert routed == log.count("\n")
    assert unsupported <= 0.01 * routed, f"{unsupported} of {routed} unsupported; log:\n{log}"
