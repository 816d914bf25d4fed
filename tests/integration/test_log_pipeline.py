"""The log pipeline against real rotation (logrotate), deletion, restarts and --replay:
every numbered line is counted exactly once."""

import os
import shutil
import subprocess
import tempfile
import time

import pytest

import mailpath_testlib as lib

LINES_PER_ROUND = 5000
ROUNDS = 20  # rotations, modes mixed
RESTART_AT = {7, 14}


def logrotate():
    path = shutil.which("logrotate") or "/usr/sbin/logrotate"
    assert os.path.exists(path), "logrotate missing: scripts/setup.sh test installs it"
    return path


class Writer:
    """Appends numbered lines the way syslog does: open, append, close."""

    def __init__(self, path):
        self.path = path
        self.written = 0

    def write(self, n, chunk=500):
        while n > 0:
            k = min(chunk, n)
            with open(self.path, "a") as f:
                f.write("".join(f"Nov 22 10:00:00 mx writer[7]: line {self.written + i}\n" for i in range(k)))
            self.written += k
            n -= k


def rotate(conf_dir, log, mode):
    conf = os.path.join(conf_dir, f"{mode}.conf")
    with open(conf, "w") as f:
        f.write(f"{log} {{\n  rotate 40\n  missingok\n  nocompress\n  {mode}\n}}\n")
    proc = subprocess.run([logrotate(), "-f", "-s", os.path.join(conf_dir, "logrotate.status"), conf],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def start(log, state):
    return lib.Exporter(["--collector.disable-defaults", "--collector.logs", f"--postfix.logfile_path={log}",
                         f"--state.dir={state}", "--log.from-beginning"])


def diagnose(exp, tmp, state, r, got, want):
    """What a failed restart round looked like: the new exporter's log, the checkpoint, the files."""
    files = []
    for name in sorted(os.listdir(tmp)):
        st = os.stat(os.path.join(tmp, name))
        files.append(f"{name} ino={st.st_ino} size={st.st_size}")
    with open(os.path.join(state, "log-checkpoint.json")) as f:
        checkpoint = f.read()
    exp.stop()
    return (f"round {r}: counted {got}, want {want}\ncheckpoint: {checkpoint}\nfiles: {files}\n"
            f"exporter log:\n{''.join(exp.log)[-6000:]}")


def test_every_line_counted_once_across_rotations_deletes_and_restarts():
    with tempfile.TemporaryDirectory() as tmp:
        log = os.path.join(tmp, "mail.log")
        state = os.path.join(tmp, "state")
        os.mkdir(state)
        writer = Writer(log)
        writer.write(100)
        exp = start(log, state)
        base = 0  # lines counted by exporter runs that have ended
        modes = []
        try:
            for r in range(ROUNDS):
                writer.write(LINES_PER_ROUND)
                mode = ["create", "copytruncate", "create", "delete"][r % 4]
                modes.append(mode)
                if mode == "create":
                    rotate(tmp, log, "create")  # no wait: the follower must drain the renamed file
                elif mode == "copytruncate":
                    # copytruncate loses what is written between copy and truncate; the
                    # writer is paused and the exporter caught up first (README caveat).
                    assert lib.wait_log_lines(exp, log, writer.written - base) == writer.written - base
                    rotate(tmp, log, "copytruncate")
                else:
                    assert lib.wait_log_lines(exp, log, writer.written - base) == writer.written - base
                    os.unlink(log)
                    time.sleep(0.3)  # the follower sees the file gone
                    writer.write(10)  # re-created by the next append
                    # The follower must have opened the new file before it is rotated away:
                    # a file created and rotated within one poll interval is never seen.
                    assert lib.wait_log_lines(exp, log, writer.written - base) == writer.written - base
                if r in RESTART_AT:
                    assert lib.wait_log_lines(exp, log, writer.written - base) == writer.written - base
                    base += lib.log_lines_counted(exp, log)
                    assert exp.stop() == 0
                    # While it is down: more lines, and a rotation it must catch up on.
                    writer.write(LINES_PER_ROUND // 2)
                    rotate(tmp, log, "create")
                    writer.write(LINES_PER_ROUND // 2)
                    exp = start(log, state)
                    got = lib.wait_log_lines(exp, log, writer.written - base)
                    assert got == writer.written - base, diagnose(exp, tmp, state, r, got, writer.written - base)
            final = lib.wait_log_lines(exp, log, writer.written - base, timeout=60)
            time.sleep(1.0)  # nothing may arrive twice after the total is reached
            final = lib.log_lines_counted(exp, log)
            samples = lib.parse_exposition(exp.metrics())
        finally:
            exp.stop()
        assert writer.written >= 100_000
        assert base + final == writer.written, (base, final, writer.written)
        assert lib.value(samples, "mailpath_log_lines_total", source=log, result="foreign") == final
        assert lib.value(samples, "mailpath_log_rotations_total", source=log) >= 1
        assert lib.value(samples, "mailpath_log_truncations_total", source=log) >= 1
        assert lib.value(samples, "mailpath_log_checkpoint_writes_total", result="error") == 0
        assert modes.count("create") >= 5 and modes.count("copytruncate") >= 5 and modes.count("delete") >= 5


def test_missing_file_is_waited_for_and_read_from_start():
    with tempfile.TemporaryDirectory() as tmp:
        log = os.path.join(tmp, "later.log")
        with lib.Exporter(["--collector.disable-defaults", "--collector.logs",
                           f"--postfix.logfile_path={log}"]) as exp:
            samples = lib.parse_exposition(exp.metrics())
            assert lib.value(samples, "mailpath_log_source_up", source=log) == 0
            Writer(log).write(42)
            assert lib.wait_log_lines(exp, log, 42) == 42


def test_no_checkpoint_starts_at_end_like_the_peers():
    with tempfile.TemporaryDirectory() as tmp:
        log = os.path.join(tmp, "mail.log")
        w = Writer(log)
        w.write(1000)
        with lib.Exporter(["--collector.disable-defaults", "--collector.logs",
                           f"--postfix.logfile_path={log}"]) as exp:
            w.write(5)
            assert lib.wait_log_lines(exp, log, 5) == 5
            time.sleep(0.5)
            assert lib.log_lines_counted(exp, log) == 5


def test_oversized_malformed_and_foreign_lines_are_counted_and_skipped():
    with tempfile.TemporaryDirectory() as tmp:
        log = os.path.join(tmp, "mixed.log")
        with open(log, "wb") as f:
            f.write(b"Nov 22 10:00:00 mx postfix/smtpd[1]: connect from x[1.2.3.4]\n")
            f.write(b"Nov 22 10:00:00 mx CRON[2]: (root) CMD (true)\n")
            f.write(b"\x00\xff\xfe not a log line\n")
            f.write(b"Nov 22 10:00:00 mx postfix/smtpd[1]: " + b"A" * 70000 + b"\n")
            f.write(b"2026-11-22T10:00:00.000001+00:00 mx dovecot[3]: imap-login: Login: user=<a>, "
                    b"method=PLAIN, rip=1.2.3.4, lip=1.2.3.5, mpid=1, TLS, session=<s>\n")
        proc = lib.run_once([f"--replay={log}", "--collector.disable-defaults", "--collector.logs",
                             "--collector.dovecot"])
        s = lib.parse_exposition(proc.stdout)
        assert lib.value(s, "mailpath_log_lines_total", source=log, result="routed") == 2
        assert lib.value(s, "mailpath_log_lines_total", source=log, result="foreign") == 1
        assert lib.value(s, "mailpath_log_lines_total", source=log, result="malformed") == 1
        assert lib.value(s, "mailpath_log_lines_total", source=log, result="oversized") == 1
        assert lib.value(s, "dovecot_logins_total", protocol="imap", method="PLAIN", transport="tls") == 1
        lib.promtool_check_metrics(proc.stdout)


def test_replay_totals_equal_tail_totals_on_the_same_lines():
    fixture = os.path.join(lib.SOURCE_DIR, "tests", "fixtures", "logs", "dovecot", "dovecot-2.3.19-file.log")
    with tempfile.TemporaryDirectory() as tmp:
        log = os.path.join(tmp, "dovecot.log")
        with open(fixture) as src, open(log, "w") as dst:
            for line in src:
                dst.write("Nov 22 13:29:05 " + line)
        args = ["--collector.disable-defaults", "--collector.logs", "--collector.dovecot"]
        replay = lib.parse_exposition(lib.run_once([f"--replay={log}", *args]).stdout)
        tail_log = os.path.join(tmp, "tail.log")
        open(tail_log, "w").close()
        with lib.Exporter([*args, f"--postfix.logfile_path={tail_log}"]) as exp:
            with open(log) as src, open(tail_log, "a") as dst:
                dst.write(src.read())
            n = sum(1 for _ in open(log))
            assert lib.wait_log_lines(exp, tail_log, n) == n
            tail = lib.parse_exposition(exp.metrics())
        dovecot = {k: v for k, v in replay.items() if k[0].startswith("dovecot_")}
        assert dovecot and dovecot == {k: v for k, v in tail.items() if k[0].startswith("dovecot_")}


def test_stdin_source():
    proc = subprocess.Popen([lib.exporter_path(), "--web.listen-address=127.0.0.1:0", "--collector.disable-defaults",
                             "--collector.logs", "--postfix.logfile_path=-"],
                            stdin=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        port = None
        for _ in range(50):
            line = proc.stderr.readline()
            if "msg=listening" in line:
                port = int(line.rsplit(":", 1)[1].split()[0])
                break
        assert port
        proc.stdin.write("Nov 22 10:00:00 mx postfix/qmgr[1]: ABC: removed\n" * 3)
        proc.stdin.flush()
        import urllib.request
        deadline = time.time() + 10
        while time.time() < deadline:
            text = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics").read().decode()
            if lib.value(lib.parse_exposition(text), "mailpath_log_lines_total", source="stdin", result="routed") == 3:
                break
            time.sleep(0.1)
        assert lib.value(lib.parse_exposition(text), "mailpath_log_lines_total", source="stdin", result="routed") == 3
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_replay_exposition_matches_golden():
    """The logs, postfix and dovecot collectors on the committed fixtures (paths relative to the repo)."""
    files = ["tests/fixtures/logs/postfix/postfix-3.7-observed.log", "tests/fixtures/logs/mixed/mixed.log"]
    proc = subprocess.run([lib.exporter_path(), *[f"--replay={f}" for f in files], "--collector.disable-defaults",
                           "--collector.logs", "--collector.postfix", "--collector.dovecot"],
                          cwd=lib.SOURCE_DIR, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    lib.promtool_check_metrics(proc.stdout)
    lib.assert_golden("log_replay.prom", proc.stdout, volatile=("mailpath_exporter_collector_duration_seconds",))


def test_followed_file_reports_lag_from_the_lines_own_timestamps():
    """A followed (not replayed) file: mailpath_log_lag_seconds is now minus the newest line's timestamp."""
    with tempfile.TemporaryDirectory() as tmp:
        log = os.path.join(tmp, "mail.log")
        written = time.time() - 30
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(written)) + ".000000+00:00"
        with open(log, "w") as f:
            f.write(f"{stamp} mx postfix/qmgr[1]: 4ABC: removed\n")
            f.write(f"{stamp} mx dovecot[3]: imap-login: Disconnected (no auth attempts in 0 secs): user=<>, "
                    f"rip=192.0.2.7, lip=192.0.2.1, session=<s>\n")
        with start(log, os.path.join(tmp, "state")) as exp:
            assert lib.wait_log_lines(exp, log, 2) == 2
            text = exp.metrics()
        lag = lib.value(lib.parse_exposition(text), "mailpath_log_lag_seconds", source=log)
        assert 30 <= lag < 30 + 60, lag
        lib.promtool_check_metrics(text)
        families = "\n".join(line for line in text.splitlines() if line.startswith(("mailpath_log_", "# HELP mailpath_log_",
                                                                                  "# TYPE mailpath_log_")))
        lib.assert_golden("log_follow.prom", families.replace(tmp, "<tmp>"),
                          volatile=("mailpath_log_lag_seconds", "mailpath_log_checkpoint_writes_total"))
