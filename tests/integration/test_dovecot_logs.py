"""A real Dovecot (Debian 12's 2.3.19; Debian 13's 2.4.1 in the Debian 13 stage) on loopback, driven by
real clients (imaplib, poplib, smtplib.LMTP and raw sockets), logging to its own log_path file, followed by
the exporter: every login and pre-login failure reason the test can provoke is counted exactly, and
>= 99 % of the Dovecot lines are classified."""

import imaplib
import poplib
import re
import smtplib
import socket
import ssl
import time

import mailpath_testlib as lib
from private_dovecot import PrivateDovecot

USERS = {"alice@lab.test": "pw-alice", "bob@lab.test": "pw-bob", "carol@lab.test": "pw-carol"}


def tls_context():
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


def imap_login(dv, user, password, tls="imaps"):
    """Logs in (imaps, starttls or plain) and returns the connection; raises imaplib's error on refusal."""
    if tls == "imaps":
        m = imaplib.IMAP4_SSL("127.0.0.1", dv.imaps, ssl_context=tls_context(), timeout=10)
    else:
        m = imaplib.IMAP4("127.0.0.1", dv.imap, timeout=10)
        if tls == "starttls":
            m.starttls(ssl_context=tls_context())
    try:
        m.login(user, password)
    except imaplib.IMAP4.error:
        logout(m)
        raise
    return m


def logout(m):
    """LOGOUT, tolerating a connection the server has already closed: Dovecot 2.4 (OpenSSL 3.5) may close
    right after a [LIMIT] refusal or its BYE, and the client's TLS layer then fails with EPIPE."""
    try:
        m.logout()
    except (imaplib.IMAP4.error, OSError):
        pass


def refused_login(dv, user, password):
    try:
        logout(imap_login(dv, user, password))
    except imaplib.IMAP4.error:
        return
    raise AssertionError(f"login of {user} should have failed")


def raw_session(port, lines, source="127.0.0.1", greet=True, linger=0.3, read_reply=True):
    s = socket.create_connection(("127.0.0.1", port), timeout=10, source_address=(source, 0))
    if greet:
        s.recv(512)
    for line in lines:
        try:
            s.sendall(line)
        except OSError:  # the server hung up (too many invalid commands)
            break
        time.sleep(0.02)
    time.sleep(linger)
    if read_reply:
        try:
            s.recv(4096)
        except OSError:
            pass
    s.close()


def drive_main(dv):
    """The scenarios against the instance with default service limits."""
    logout(imap_login(dv, "alice@lab.test", USERS["alice@lab.test"], "imaps"))      # tls
    logout(imap_login(dv, "alice@lab.test", USERS["alice@lab.test"], "starttls"))   # tls
    logout(imap_login(dv, "alice@lab.test", USERS["alice@lab.test"], "plain"))      # secured: rip == lip
    refused_login(dv, "alice@lab.test", "wrong")                                     # Password mismatch
    refused_login(dv, "ghost@lab.test", "wrong")                                     # unknown user
    # Plaintext LOGIN from a non-local address: refused (disable_plaintext_auth), then LOGOUT.
    raw_session(dv.imap, [b"a LOGIN alice@lab.test pw-alice\r\n", b"b LOGOUT\r\n"], source="127.0.0.62")
    raw_session(dv.imap, [b"a STARTTLS\r\n"])                # STARTTLS, then the client vanishes
    raw_session(dv.imaps, [b"a LOGIN x y\r\n"], greet=False)  # plaintext spoken to 993
    raw_session(dv.imaps, [bytes.fromhex("160301")], greet=False, linger=1.0,
                read_reply=False)  # stalls mid-ClientHello
    held = [imap_login(dv, "bob@lab.test", USERS["bob@lab.test"]) for _ in range(2)]
    try:
        refused_login(dv, "bob@lab.test", USERS["bob@lab.test"])  # third from the same user+IP: the limit
    finally:
        for m in held:
            logout(m)
    raw_session(dv.imap, [b"x BOGUS\r\n"] * 25)   # too many invalid commands
    raw_session(dv.imap, [b"a LOGOUT\r\n"])       # no auth attempts
    raw_session(dv.imap, [b"a AUTHENTICATE PLAIN\r\n", b"*\r\n", b"b LOGOUT\r\n"])  # SASL aborted by the client
    raw_session(dv.imap, [b"a AUTHENTICATE PLAIN\r\n"], read_reply=False)          # SASL left unfinished
    p = poplib.POP3_SSL("127.0.0.1", dv.pop3s, context=tls_context(), timeout=10)
    p.user("carol@lab.test")
    p.pass_(USERS["carol@lab.test"])
    p.quit()
    p = poplib.POP3("127.0.0.1", dv.pop3, timeout=10)
    p.stls(context=tls_context())
    p.user("carol@lab.test")
    p.pass_(USERS["carol@lab.test"])
    p.quit()
    p = poplib.POP3_SSL("127.0.0.1", dv.pop3s, context=tls_context(), timeout=10)
    p.user("carol@lab.test")
    try:
        p.pass_("wrong")
        raise AssertionError("POP3 login with a wrong password succeeded")
    except poplib.error_proto:
        pass
    p.quit()
    with smtplib.LMTP(dv.lmtp_socket) as lmtp:
        lmtp.sendmail("x@sender.test", ["alice@lab.test"], "Subject: t\r\n\r\nhello\r\n")


def drive_limited(dv):
    """pop3-login limited to one process and one client: a second client makes master warn that the limit
    was reached, and the login process drops its oldest pre-login client ("Connection queue full")."""
    first = socket.create_connection(("127.0.0.1", dv.pop3), timeout=10)
    first.recv(512)
    second = socket.create_connection(("127.0.0.1", dv.pop3), timeout=10)
    assert second.recv(512).startswith(b"+OK")  # served, at the first one's expense
    assert first.recv(512).startswith(b"-ERR"), "the oldest pre-login client should have been dropped"
    first.close()
    second.sendall(b"QUIT\r\n")
    second.recv(512)
    second.close()


def wait_lines(exp, n, timeout=30):
    deadline = time.time() + timeout * lib.TIMEOUT_SCALE
    s = None
    while time.time() < deadline:
        s = lib.parse_exposition(exp.metrics())
        if sum(lib.series(s, "dovecot_log_lines_total").values()) >= n:
            time.sleep(0.5)  # nothing more should arrive; the final read below proves it
            return lib.parse_exposition(exp.metrics())
        time.sleep(0.2)
    return s


def test_real_dovecot_lines_are_classified_with_exact_counts():
    main = PrivateDovecot(USERS)
    dovecot_24 = main.version >= (2, 4)
    limited = PrivateDovecot(USERS, instance="dovecot-limited", pop3_login_limit=1)
    try:
        main.start()
        limited.start()
        with lib.Exporter(["--collector.disable-defaults", "--collector.logs", "--collector.dovecot",
                           f"--postfix.logfile_path={main.log_file}", f"--postfix.logfile_path={limited.log_file}",
                           "--log.from-beginning"]) as exp:
            drive_main(main)
            drive_limited(limited)
            time.sleep(1.5)  # Dovecot writes the last disconnects after the clients are gone
            log = main.log() + limited.log()
            lines = log.count("\n")
            s = wait_lines(exp, lines)
            text = exp.metrics()
        lib.promtool_check_metrics(text)
    finally:
        main.cleanup()
        limited.cleanup()

    def v(name, **labels):
        return lib.value(s, name, **labels)

    assert v("dovecot_logins_total", protocol="imap", method="PLAIN", transport="tls") == 4, log
    assert v("dovecot_logins_total", protocol="imap", method="PLAIN", transport="secured") == 1
    assert v("dovecot_logins_total", protocol="pop3", method="PLAIN", transport="tls") == 2
    fail = dict(protocol="imap")
    assert v("dovecot_login_failures_total", **fail, reason="auth_failed") == 3, log
    assert v("dovecot_login_failures_total", **fail, reason="plaintext_auth_disallowed") == 1
    assert v("dovecot_login_failures_total", **fail, reason="tls_handshake") == 3, log
    assert v("dovecot_login_failures_total", **fail, reason="user_ip_connection_limit") == 1
    assert v("dovecot_login_failures_total", **fail, reason="too_many_invalid_commands") == 1
    assert v("dovecot_login_failures_total", **fail, reason="no_auth_attempts") == 1
    assert v("dovecot_login_failures_total", **fail, reason="aborted_authentication") == 2, log
    assert v("dovecot_login_failures_total", protocol="pop3", reason="auth_failed") == 1
    assert v("dovecot_login_failures_total", protocol="pop3", reason="no_auth_attempts") == 1, log
    assert v("dovecot_login_failures_total", protocol="pop3", reason="connection_queue_full") == 1, log
    assert v("dovecot_tls_handshake_failures_total", protocol="imap", cause="connection_closed") == 2
    assert v("dovecot_tls_handshake_failures_total", protocol="imap", cause="wrong_version_number") == 1
    assert v("dovecot_auth_passdb_failures_total", passdb="passwd-file", result="password_mismatch") == 2
    assert v("dovecot_auth_passdb_failures_total", passdb="passwd-file", result="unknown_user") == 1
    # Five IMAP sessions say LOGOUT. Dovecot 2.4 sometimes closes one of bob's two held TLS sessions
    # itself when his third login is refused ("Disconnected: Connection closed (No commands sent)"), so
    # the count is Dovecot's own, which must still hold alice's three.
    logged_out = len(re.findall(r"imap\([^)]*\)<[^>]*><[^>]*>: (?:Info: )?Disconnected: Logged out", log))
    assert logged_out >= 4 if dovecot_24 else logged_out == 5, log
    assert v("dovecot_sessions_ended_total", protocol="imap", reason="logged_out") == logged_out
    assert v("dovecot_sessions_ended_total", protocol="pop3", reason="logged_out") == 2
    assert v("dovecot_lmtp_deliveries_total", result="saved") == 1
    # Bytes: the sum of Dovecot's own in=/out= on the IMAP logout lines.
    assert v("dovecot_session_received_bytes_total", protocol="imap") == sum(
        int(x) for x in re.findall(r"Logged out in=(\d+)", log))
    assert v("dovecot_session_sent_bytes_total", protocol="imap") == sum(
        int(x) for x in re.findall(r"Logged out in=\d+ out=(\d+)", log))
    drops = len(re.findall(r"service\(pop3-login\): (\S+) \(1\) reached", log))
    assert drops >= 1, log
    limit = re.search(r"service\(pop3-login\): (\S+) \(1\) reached", log).group(1)
    assert v("dovecot_master_limit_reached_total", service="pop3-login", limit=limit) == drops
    # Every Dovecot line of the run was read, and at least 99 % of them classified.
    classified = v("dovecot_log_lines_total", result="classified")
    unsupported = v("dovecot_log_lines_total", result="unsupported")
    assert classified + unsupported == lines, log
    assert unsupported <= 0.01 * lines, f"{unsupported} of {lines} unsupported:\n{log}"
