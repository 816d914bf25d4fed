"""Process-level faults (issue 17, handed cases 5 to 7 and the listen errors): a state dir already in use,
a web config exporter-toolkit would refuse, SIGHUP, and addresses that cannot be listened on."""

import base64
import json
import os
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

import mailpath_testlib as lib

ONLY_PROCESS = ["--collector.disable-defaults", "--collector.process"]
# bcrypt (cost 4) of "s3cret", as in test_web_config.py.
HASH = "$2y$04$FRTTwc39N0wot0O1iGsrCuU4HzJNC1TnHAGgHwcvtXuAq/.npXl/6"


def run(args, prefix=(), timeout=30):
    return subprocess.run([*prefix, lib.exporter_path(), *args], capture_output=True, text=True,
                          timeout=timeout * lib.TIMEOUT_SCALE)


def test_a_second_exporter_on_the_same_state_dir_exits_2_naming_the_holder():
    with tempfile.TemporaryDirectory() as state:
        with lib.Exporter([*ONLY_PROCESS, f"--state.dir={state}"]) as first:
            second = run([*ONLY_PROCESS, f"--state.dir={state}", "--web.listen-address=127.0.0.1:0"])
            assert first.proc.poll() is None
        holder = first.proc.pid
    assert second.returncode == 2, second
    assert f"state dir {state} is in use by another mailpath_exporter, pid {holder}" in second.stderr, \
        second.stderr


def test_the_state_dir_is_free_again_once_the_holder_stops():
    with tempfile.TemporaryDirectory() as state:
        with lib.Exporter([*ONLY_PROCESS, f"--state.dir={state}"]):
            pass
        with lib.Exporter([*ONLY_PROCESS, f"--state.dir={state}"]) as again:
            assert again.metrics()


def test_bcrypt_cost_outside_4_to_31_exits_2_with_file_line_and_reason():
    with tempfile.TemporaryDirectory() as d:
        cfg = os.path.join(d, "web.yml")
        for cost in ("03", "32"):
            with open(cfg, "w") as f:
                f.write(f"# users\nbasic_auth_users:\n  alice: {HASH[:4]}{cost}{HASH[6:]}\n")
            proc = run([*ONLY_PROCESS, f"--web.config.file={cfg}", "--web.listen-address=127.0.0.1:0"])
            assert proc.returncode == 2, proc
            assert f"{cfg}:3: basic_auth_users: alice: bcrypt cost {cost} outside 4..31" in proc.stderr, \
                proc.stderr


def get(port, path, user_password=None):
    headers = {}
    if user_password:
        headers["Authorization"] = "Basic " + base64.b64encode(user_password.encode()).decode()
    try:
        with urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers),
                                    timeout=10) as resp:
            return resp.status
    except urllib.error.HTTPError as e:
        return e.code


def saved_offset(checkpoint, log):
    try:
        with open(checkpoint) as f:
            return json.load(f)["files"][log]["offset"]
    except (OSError, ValueError, KeyError):
        return None


def test_sighup_reloads_the_web_config_and_writes_the_checkpoint_and_keeps_running():
    with tempfile.TemporaryDirectory() as d:
        cfg, log, state = (os.path.join(d, n) for n in ("web.yml", "mail.log", "state"))
        checkpoint = os.path.join(state, "log-checkpoint.json")
        os.mkdir(state)
        with open(cfg, "w") as f:
            f.write(f"basic_auth_users:\n  alice: {HASH}\n")
        with open(log, "w") as f:
            f.write("Nov 22 10:00:00 mx writer[7]: line 0\n")
        with lib.Exporter(["--collector.disable-defaults", "--collector.logs", f"--postfix.logfile_path={log}",
                           f"--state.dir={state}", f"--web.config.file={cfg}"]) as exp:
            assert get(exp.port, "/metrics", "alice:s3cret") == 200
            # The periodic checkpoint comes every 5 s: wait for one, then the next is 5 s away.
            deadline = time.time() + 15 * lib.TIMEOUT_SCALE
            while saved_offset(checkpoint, log) is None and time.time() < deadline:
                time.sleep(0.05)
            assert saved_offset(checkpoint, log) is not None
            # bob replaces alice; the file's mtime is kept so that only the signal makes it be read.
            st = os.stat(cfg)
            with open(cfg, "w") as f:
                f.write(f"basic_auth_users:\n  bob: {HASH}\n")
            os.utime(cfg, ns=(st.st_atime_ns, st.st_mtime_ns))
            with open(log, "a") as f:
                f.write("Nov 22 10:00:01 mx writer[7]: line 1\n")
            size = os.path.getsize(log)
            exp.proc.send_signal(signal.SIGHUP)
            sent = time.time()
            while saved_offset(checkpoint, log) != size and time.time() < sent + 4:
                time.sleep(0.05)
            flushed = time.time() - sent
            assert saved_offset(checkpoint, log) == size
            while get(exp.port, "/-/healthy", "bob:s3cret") != 200 and time.time() < sent + 10 * lib.TIMEOUT_SCALE:
                time.sleep(0.1)
            assert get(exp.port, "/metrics", "bob:s3cret") == 200
            assert get(exp.port, "/metrics", "alice:s3cret") == 401
            assert exp.proc.poll() is None, "SIGHUP ended the exporter"
        log_text = "".join(exp.log)
    print(f"SIGHUP: checkpoint written {flushed:.2f} s after the signal")
    assert flushed < 4, flushed  # before the next periodic write (5 s)
    assert "SIGHUP: reloading" in log_text and "web config reloaded" in log_text, log_text[-3000:]


def test_listen_errors_name_the_errno():
    blocker = socket.socket()
    blocker.bind(("127.0.0.1", 0))
    blocker.listen()
    port = blocker.getsockname()[1]
    try:
        in_use = run([*ONLY_PROCESS, f"--web.listen-address=127.0.0.1:{port}"])
    finally:
        blocker.close()
    not_here = run([*ONLY_PROCESS, "--web.listen-address=192.0.2.1:9999"])
    privileged = run([*ONLY_PROCESS, "--web.listen-address=127.0.0.1:81"],
                     prefix=["setpriv", "--bounding-set=-net_bind_service", "--inh-caps=-net_bind_service"])
    for proc, want in ((in_use, "Address already in use (EADDRINUSE)"),
                       (not_here, "Cannot assign requested address (EADDRNOTAVAIL)"),
                       (privileged, "Permission denied (EACCES)")):
        assert proc.returncode == 1, proc
        assert want in proc.stderr, proc.stderr
