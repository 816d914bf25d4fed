"""Issue 15's handed inputs, replayed through the built exporter (`--replay`): every envelope a mail host
writes is read with the right values, blank lines and journal markers are not malformed, and a byte that is
not UTF-8 never makes the exposition one Prometheus would reject (`promtool check metrics`)."""

import os

import mailpath_testlib as lib

FIXTURES = os.path.join(lib.SOURCE_DIR, "tests", "fixtures", "logs", "envelopes")
COLLECTORS = ["--collector.disable-defaults", "--collector.logs", "--collector.postfix", "--collector.dovecot"]


def replay(name):
    path = os.path.join(FIXTURES, name)
    proc = lib.run_once([f"--replay={path}", *COLLECTORS])
    lib.promtool_check_metrics(proc.stdout)
    return path, lib.parse_exposition(proc.stdout)


def lines(samples, path, result):
    return lib.value(samples, "mailpath_log_lines_total", source=path, result=result)


def unsupported(samples):
    return sum(v for (name, _), v in samples.items() if name == "postfix_unsupported_log_entries_total")


def test_journalctl_short_precise():
    path, s = replay("journalctl-short-precise.log")
    assert lines(s, path, "malformed") == 0
    assert lines(s, path, "routed") == 3
    assert lib.value(s, "postfix_smtpd_connects_total", postfix_instance="postfix", service="smtpd") == 1
    assert lib.value(s, "postfix_smtpd_sasl_authentication_failures_total", postfix_instance="postfix",
                     service="smtpd", method="LOGIN") == 1
    assert lib.value(s, "dovecot_logins_total", protocol="imap", method="PLAIN", transport="tls") == 1


def test_rsyslog_rfc5424_template_with_two_spaces():
    path, s = replay("rsyslog-rfc5424.log")
    assert lines(s, path, "routed") == 2
    assert unsupported(s) == 0
    assert lib.value(s, "postfix_smtpd_connects_total", postfix_instance="postfix", service="smtpd") == 1
    assert lib.value(s, "dovecot_logins_total", protocol="imap", method="PLAIN", transport="tls") == 1
    assert not [k for k in s if k[0] == "dovecot_logins_total" and ("protocol", "unknown") in k[1]]


def test_rsyslog_rfc5424_app_name_without_daemon_takes_it_from_the_message():
    path, s = replay("rsyslog-rfc5424-appname.log")
    assert lines(s, path, "routed") == 3
    assert unsupported(s) == 0
    assert lib.value(s, "postfix_smtpd_connects_total", postfix_instance="postfix", service="smtpd") == 1
    assert lib.value(s, "postfix_smtpd_sasl_authentication_failures_total", postfix_instance="postfix",
                     service="smtpd", method="LOGIN") == 1
    assert lib.value(s, "postfix_smtp_messages_processed_total", postfix_instance="postfix", service="smtp",
                     status="sent") == 1


def test_rfc3164_unpadded_day():
    path, s = replay("rfc3164-unpadded-day.log")
    assert lines(s, path, "malformed") == 0
    assert lib.value(s, "postfix_smtpd_connects_total", postfix_instance="postfix", service="smtpd") == 1
    assert lib.value(s, "postfix_smtpd_disconnects_total", postfix_instance="postfix", service="smtpd") == 1


def test_blank_lines_and_journal_markers_are_skipped_not_malformed():
    path, s = replay("journalctl-with-markers-and-blank-lines.log")
    assert lines(s, path, "malformed") == 0
    assert lines(s, path, "skipped") == 6
    assert lines(s, path, "routed") == 2


def test_a_latin1_sasl_username_keeps_the_exposition_valid():
    path, s = replay("sasl-username-latin1.log")
    assert lib.value(s, "postfix_smtpd_sasl_authentication_failures_total", postfix_instance="postfix",
                     service="submission", method="PLAIN") == 1
    users = lib.series(s, "postfix_sasl_user_auth_failures_total")
    assert list(users.values()) == [1], users
    assert (("sasl_username", "j\ufffdrgen@example.com"),) in users, users


def test_hostile_bytes_never_break_the_exposition():
    """Invalid UTF-8, NUL, CR, terminal escapes and a 64 KiB line (the fuzz seeds) through the whole binary."""
    hostile = os.path.join(lib.SOURCE_DIR, "tests", "fixtures", "logs", "hostile")
    for name in sorted(os.listdir(hostile)):
        if name.endswith(".log"):
            proc = lib.run_once([f"--replay={os.path.join(hostile, name)}", *COLLECTORS])
            lib.promtool_check_metrics(proc.stdout)
