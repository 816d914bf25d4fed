"""The journal source on a real journal: files written by systemd-journal-remote (the same
format journald writes), read through sd-journal with --systemd.journal_path, resumed from
the saved cursor after a restart without loss or repeats. (This test machine runs no
journald, so the journal is made with systemd-journal-remote instead.)"""

import os
import subprocess
import tempfile
import time

import mailpath_testlib as lib

JOURNAL_REMOTE = "/lib/systemd/systemd-journal-remote"


def write_journal(directory, name, first, count, unit="postfix@-.service", slice_="system-postfix.slice"):
    assert os.path.exists(JOURNAL_REMOTE), "systemd-journal-remote missing: scripts/setup.sh test installs it"
    now = int(time.time() * 1e6)
    export = os.path.join(directory, name + ".export")
    with open(export, "w") as f:
        for i in range(first, first + count):
            f.write(f"__REALTIME_TIMESTAMP={now + i}\n__MONOTONIC_TIMESTAMP={1000 + i}\n"
                    f"_BOOT_ID=0123456789abcdef0123456789abcdef\nSYSLOG_IDENTIFIER=postfix/submission/smtpd\n"
                    f"_PID=42\nPRIORITY=6\n_SYSTEMD_UNIT={unit}\n_SYSTEMD_SLICE={slice_}\n"
                    f"MESSAGE=lost connection after STARTTLS from unknown[192.0.2.{i % 250}]\n\n")
            f.write(f"__REALTIME_TIMESTAMP={now + i}\n__MONOTONIC_TIMESTAMP={1000 + i}\n"
                    f"_BOOT_ID=0123456789abcdef0123456789abcdef\nSYSLOG_IDENTIFIER=CRON\n_PID=7\n"
                    f"MESSAGE=(root) CMD (true)\n\n")
    subprocess.run([JOURNAL_REMOTE, "-o", os.path.join(directory, "journal", name + ".journal"), export],
                   check=True, capture_output=True)


def routed(exp):
    s = lib.parse_exposition(exp.metrics())
    return (lib.value(s, "mailpath_log_lines_total", source="journal", result="routed"),
            lib.value(s, "mailpath_log_lines_total", source="journal", result="foreign"),
            lib.value(s, "postfix_smtpd_session_ends_total", postfix_instance="postfix", service="submission",
                      reason="lost_connection", stage="STARTTLS"))


def wait(exp, want, timeout=15):
    deadline = time.time() + timeout * lib.TIMEOUT_SCALE
    got = None
    while time.time() < deadline:
        got = routed(exp)
        if got[0] == want:
            break
        time.sleep(0.2)
    return got


def test_journal_is_read_and_resumed_from_cursor():
    with tempfile.TemporaryDirectory() as tmp:
        os.mkdir(os.path.join(tmp, "journal"))
        state = os.path.join(tmp, "state")
        os.mkdir(state)
        write_journal(tmp, "a", 0, 30)
        args = ["--collector.disable-defaults", "--collector.logs", "--collector.postfix", "--systemd.enable",
                f"--systemd.journal_path={tmp}/journal", f"--state.dir={state}", "--log.from-beginning"]
        with lib.Exporter(args) as exp:
            assert wait(exp, 30) == (30, 30, 30)
        write_journal(tmp, "b", 30, 12)  # written while the exporter is down
        with lib.Exporter(args) as exp:
            assert wait(exp, 12) == (12, 12, 12)
            time.sleep(1)
            assert routed(exp) == (12, 12, 12), "entries before the cursor must not be read again"


def test_unit_match_filters_entries():
    with tempfile.TemporaryDirectory() as tmp:
        os.mkdir(os.path.join(tmp, "journal"))
        write_journal(tmp, "a", 0, 5, unit="postfix@-.service")
        write_journal(tmp, "b", 5, 7, unit="postfix@postfix-out.service")
        args = ["--collector.disable-defaults", "--collector.logs", "--collector.postfix", "--systemd.enable",
                f"--systemd.journal_path={tmp}/journal", "--systemd.unit=postfix@-.service", "--log.from-beginning"]
        with lib.Exporter(args) as exp:
            assert wait(exp, 5)[0] == 5
            time.sleep(0.5)
            assert routed(exp)[0] == 5


def test_repeated_unit_and_slice_matches_are_ored():
    with tempfile.TemporaryDirectory() as tmp:
        os.mkdir(os.path.join(tmp, "journal"))
        write_journal(tmp, "a", 0, 5, unit="postfix@-.service")
        write_journal(tmp, "b", 5, 7, unit="postfix@postfix-out.service")
        write_journal(tmp, "c", 12, 3, unit="dovecot.service")
        write_journal(tmp, "d", 15, 4, unit="mail-extra.service", slice_="mail.slice")
        args = ["--collector.disable-defaults", "--collector.logs", "--collector.postfix", "--systemd.enable",
                f"--systemd.journal_path={tmp}/journal", "--systemd.unit=postfix@-.service",
                "--systemd.unit=dovecot.service", "--systemd.slice=mail.slice", "--log.from-beginning"]
        with lib.Exporter(args) as exp:
            assert wait(exp, 12)[0] == 12
            time.sleep(0.5)
            assert routed(exp)[0] == 12, "postfix-out's entries match neither unit nor slice"


def test_unreadable_journal_is_reported_and_recovers_by_itself():
    with tempfile.TemporaryDirectory() as tmp:
        journal_dir = os.path.join(tmp, "journal")  # does not exist yet
        args = ["--collector.disable-defaults", "--collector.logs", "--collector.postfix", "--systemd.enable",
                f"--systemd.journal_path={journal_dir}", "--log.from-beginning"]
        with lib.Exporter(args) as exp:
            s = lib.parse_exposition(exp.metrics())  # the exporter is up and serving
            assert lib.value(s, "mailpath_log_source_up", source="journal") == 0
            assert lib.value(s, "mailpath_log_open_errors_total", source="journal") >= 1
            os.mkdir(journal_dir)
            write_journal(tmp, "late", 0, 4)
            assert wait(exp, 4, timeout=20)[0] == 4, "the journal was not opened after it appeared"
            s = lib.parse_exposition(exp.metrics())
            assert lib.value(s, "mailpath_log_source_up", source="journal") == 1
        log = "".join(exp.log)
        errors = [line for line in log.splitlines() if "cannot read the journal" in line]
        assert len(errors) == 1, log  # several failed attempts, one (rate-limited) line
        assert journal_dir in errors[0], errors[0]
        assert "journal opened" in log
