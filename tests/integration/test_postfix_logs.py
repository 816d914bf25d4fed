"""A real Postfix (private instance, loopback) logging through its own maillog_file, followed by the
exporter: anvil limits, remote throttling, refused connections, SASL-less rejects and deliveries are
counted exactly, under the instance name from syslog_name, and >= 99 % of the lines are classified."""

import os
import smtplib
import socket
import time

import mailpath_testlib as lib
from private_postfix import FakeSmtpPeer, PrivatePostfix, closed_port

LIMITS = """\
smtpd_client_connection_rate_limit = 3
smtpd_client_event_limit_exceptions =
anvil_rate_time_unit = 60s
smtpd_recipient_restrictions = check_recipient_access texthash:{cfg}/access,
    permit_mynetworks, reject
"""


def connect_from(port, source, n):
    """n SMTP connections from `source` that say QUIT; returns the greeting codes."""
    codes = []
    for _ in range(n):
        s = socket.create_connection(("127.0.0.1", port), timeout=10, source_address=(source, 0))
        code = s.recv(512)[:3]
        codes.append(code)
        if code == b"220":  # after a 421 greeting smtpd has already closed; QUIT would race a reset
            s.sendall(b"QUIT\r\n")
            s.recv(512)
        s.close()
    return codes


def metrics_when(exp, predicate, timeout=60):
    deadline = time.time() + timeout * lib.TIMEOUT_SCALE
    s = None
    while time.time() < deadline:
        s = lib.parse_exposition(exp.metrics())
        if predicate(s):
            return s
        time.sleep(0.3)
    return s


def test_real_postfix_lines_are_classified_with_exact_counts():
    throttler = FakeSmtpPeer("throttle")
    refused = closed_port()
    pf = PrivatePostfix({"throttle.test": f"smtp:[127.0.0.1]:{throttler.port}",
                         "refused.test": f"smtp:[127.0.0.1]:{refused}"})
    with open(os.path.join(pf.config_dir, "main.cf"), "a") as f:
        f.write(LIMITS.format(cfg=pf.config_dir))
    with open(os.path.join(pf.config_dir, "access"), "a") as f:
        f.write("reject.test REJECT\n")
    open(pf.log_file, "w").close()
    inst = "postfix-mailpath-test"
    try:
        pf.start()
        port = pf.smtpd_port
        with lib.Exporter(["--collector.disable-defaults", "--collector.logs", "--collector.postfix",
                           f"--postfix.logfile_path={pf.log_file}", "--log.from-beginning"]) as exp:
            codes = connect_from(pf.smtpd_port, "127.0.0.21", 5)
            assert codes.count(b"220") == 3 and codes.count(b"421") == 2, codes
            pf.send_smtp("a@sender.test", ["u1@throttle.test"])
            pf.send_smtp("a@sender.test", ["u2@throttle.test"])
            pf.send_smtp("a@sender.test", ["u3@refused.test"])
            with smtplib.SMTP("127.0.0.1", pf.smtpd_port, timeout=30, source_address=("127.0.0.22", 0)) as s:
                try:
                    s.sendmail("a@sender.test", ["x@hold.test", "y@reject.test"], "Subject: t\r\n\r\nx\r\n")
                except smtplib.SMTPRecipientsRefused:
                    pass

            def done(s):
                return (lib.value(s, "postfix_delivery_deferrals_total", postfix_instance=inst, service="smtp",
                                  daemon="smtp", reason="rate_limited") == 2 and
                        lib.value(s, "postfix_delivery_deferrals_total", postfix_instance=inst, service="smtp",
                                  daemon="smtp", reason="connect_refused") == 1)
            s = metrics_when(exp, done)
            text = exp.metrics()
        lib.promtool_check_metrics(text)
        log = pf.log()
    finally:
        pf.cleanup()
        throttler.close()

    # The tag says postfix-mailpath-test/smtpd; anvil names the master.cf service, here its address.
    svc = dict(postfix_instance=inst, service="smtpd")
    assert lib.value(s, "postfix_smtpd_connects_total", **svc) == 9
    assert lib.value(s, "postfix_anvil_limit_exceeded_total", postfix_instance=inst,
                     service=f"127.0.0.1:{port}", limit="connection_rate") == 2
    assert lib.value(s, "postfix_client_network_limit_hits_total", network="127.0.0.0/24",
                     limit="connection_rate") == 2
    assert lib.value(s, "postfix_delivery_deferrals_total", postfix_instance=inst, service="smtp", daemon="smtp",
                     reason="rate_limited") == 2
    assert lib.value(s, "postfix_remote_throttling_by_domain_total", domain="throttle.test") == 2
    assert lib.value(s, "postfix_smtp_connect_failures_total", postfix_instance=inst, service="smtp", cause="refused") == 1
    assert lib.value(s, "postfix_smtpd_rejects_total", **svc, action="reject", stage="RCPT", code="554",
                     reason="recipient_restriction") == 1, log
    assert lib.value(s, "postfix_smtpd_rejects_total", **svc, action="hold", stage="RCPT", code="none",
                     reason="other") == 1
    assert lib.value(s, "postfix_qmgr_messages_inserted_recipients_count", postfix_instance=inst, service="qmgr") == 3  # the held message never enters the active queue
    # Every Postfix line of the run, classified: at least 99 %.
    routed = lib.value(s, "mailpath_log_lines_total", source=pf.log_file, result="routed")
    unsupported = sum(lib.series(s, "postfix_unsupported_log_entries_total").values())
    assert routed > 20
    assert unsupported <= 0.01 * routed, f"{unsupported} of {routed} unsupported; log:\n{log}"
