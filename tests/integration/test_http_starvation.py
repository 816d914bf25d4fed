"""Hostile HTTP clients cannot keep a scrape from being answered (issue 17, handed case 1).

Each test holds the server under one kind of attack and times a fresh, correctly authenticated scrape on a
new connection: it must be answered in under 2 s (docs/security.md quotes the figures these tests print).
"""

import base64
import http.client
import os
import random
import socket
import subprocess
import tempfile
import threading
import time

import mailpath_testlib as lib

ARGS = ["--collector.disable-defaults", "--collector.process"]
# The target of issue 17; the sanitizer builds (several times slower) get it stretched, still far below the
# 30 s and more these attacks cost before.
TARGET_SECONDS = 2.0 * lib.TIMEOUT_SCALE
# bcrypt cost 10 (htpasswd -B's default) of "s3cret": each failed guess costs the server a real bcrypt.
HASH_COST_10 = "$2b$10$eVk3aH78Fw6.fziNDlSAGuSAG0ShJMaMsb77rrR5LG.zbFl3uEFUq"
GOOD = "Basic " + base64.b64encode(b"alice:s3cret").decode()


def timed_scrape(port, headers=None, timeout=30):
    """A fresh connection's GET /metrics: (status, seconds)."""
    started = time.monotonic()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", "/metrics", headers=headers or {})
        resp = conn.getresponse()
        resp.read()
        return resp.status, time.monotonic() - started
    except (OSError, http.client.HTTPException):
        return None, time.monotonic() - started
    finally:
        conn.close()


def open_fds(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))


def test_500_idle_connections_do_not_delay_a_scrape():
    with lib.Exporter(ARGS) as exp:
        fds_before = open_fds(exp.proc.pid)
        idle = [socket.create_connection(("127.0.0.1", exp.port), timeout=10) for _ in range(500)]
        try:
            time.sleep(0.5)
            times = []
            for _ in range(3):
                status, took = timed_scrape(exp.port)
                assert status == 200, (status, took)
                times.append(took)
            fds_during = open_fds(exp.proc.pid)
        finally:
            for s in idle:
                s.close()
    print(f"500 idle connections: scrapes answered in {', '.join(f'{t * 1000:.0f} ms' for t in times)}; "
          f"exporter fds {fds_before} before, {fds_during} during")
    assert max(times) < TARGET_SECONDS, times
    # The kernel holds connections that sent nothing (TCP_DEFER_ACCEPT): they never cost a worker or an fd.
    assert fds_during < fds_before + 50, (fds_before, fds_during)


def keep_alive_client(port, path, period, stop, counts):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    time.sleep(random.uniform(0, period))
    while not stop.is_set():
        try:
            conn.request("GET", path)
            conn.getresponse().read()
            counts["ok"] += 1
        except (OSError, http.client.HTTPException):
            counts["reconnects"] += 1
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        stop.wait(period)
    conn.close()


def under_keep_alive_clients(clients, period):
    with lib.Exporter(ARGS) as exp:
        stop = threading.Event()
        counts = {"ok": 0, "reconnects": 0}
        threads = [threading.Thread(target=keep_alive_client, args=(exp.port, "/-/healthy", period, stop, counts),
                                    daemon=True) for _ in range(clients)]
        for t in threads:
            t.start()
        try:
            time.sleep(period + 1)  # every client has sent at least once and holds its connection
            times = []
            for _ in range(3):
                status, took = timed_scrape(exp.port)
                assert status == 200, (status, took)
                times.append(took)
                time.sleep(0.3)
        finally:
            stop.set()
            for t in threads:
                t.join(timeout=15)
    print(f"{clients} keep-alive clients, one request each every {period} s: scrapes answered in "
          f"{', '.join(f'{t * 1000:.0f} ms' for t in times)}; clients' requests {counts}")
    assert counts["ok"] >= clients, counts  # the clients were served too
    return times


def test_40_keep_alive_clients_every_4_s_do_not_delay_a_scrape():
    times = under_keep_alive_clients(40, 4.0)
    assert max(times) < TARGET_SECONDS, times


def test_80_keep_alive_clients_every_half_second_do_not_delay_a_scrape():
    # More clients than workers, each coming back before any keep-alive timeout: keep-alive is granted only
    # while half the workers are free, so they cannot hold every worker.
    times = under_keep_alive_clients(80, 0.5)
    assert max(times) < TARGET_SECONDS, times


def wrong_password_script(d):
    """A wrk script sending a different wrong password with every request (no cache can help)."""
    guesses = ", ".join('"Basic ' + base64.b64encode(f"alice:guess{i}".encode()).decode() + '"'
                        for i in range(2000))
    path = os.path.join(d, "flood.lua")
    with open(path, "w") as f:
        f.write(f"local g = {{{guesses}}}\nlocal i = 0\n"
                "request = function()\n  i = i + 1\n"
                "  return wrk.format('GET', '/metrics', {Authorization = g[(i % #g) + 1]})\nend\n")
    return path


def test_100_clients_flooding_wrong_passwords_do_not_delay_a_scrape():
    with tempfile.TemporaryDirectory() as d:
        cfg = os.path.join(d, "web.yml")
        with open(cfg, "w") as f:
            f.write(f"basic_auth_users:\n  alice: {HASH_COST_10}\n")
        with lib.Exporter([*ARGS, f"--web.config.file={cfg}"]) as exp:
            status, _ = timed_scrape(exp.port, {"Authorization": GOOD})  # Prometheus has scraped before
            assert status == 200
            flood = subprocess.Popen(["wrk", "-t2", "-c100", "-d8s", "-s", wrong_password_script(d),
                                      exp.base_url + "/metrics"],
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            try:
                time.sleep(2)
                times = []
                for _ in range(3):
                    status, took = timed_scrape(exp.port, {"Authorization": GOOD})
                    assert status == 200, (status, took)
                    times.append(took)
                    time.sleep(0.3)
                bad_status, _ = timed_scrape(exp.port, {"Authorization": "Basic " +
                                                        base64.b64encode(b"alice:nope").decode()})
            finally:
                report, _ = flood.communicate(timeout=60)
    print(f"100 clients flooding wrong passwords: scrapes answered in "
          f"{', '.join(f'{t * 1000:.0f} ms' for t in times)}\n{report}")
    assert bad_status in (401, 429), bad_status
    assert max(times) < TARGET_SECONDS, times


def test_a_refused_password_closes_the_connection():
    with tempfile.TemporaryDirectory() as d:
        cfg = os.path.join(d, "web.yml")
        with open(cfg, "w") as f:
            f.write(f"basic_auth_users:\n  alice: {HASH_COST_10}\n")
        with lib.Exporter([*ARGS, f"--web.config.file={cfg}"]) as exp:
            s = socket.create_connection(("127.0.0.1", exp.port), timeout=10)
            s.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\nAuthorization: Basic "
                      + base64.b64encode(b"alice:wrong") + b"\r\n\r\n")
            data = b""
            while True:
                chunk = s.recv(4096)
                if not chunk:
                    break  # the server closed it
                data += chunk
            s.close()
    head = data.split(b"\r\n\r\n")[0].lower()
    assert head.startswith(b"http/1.1 401"), data[:200]
    assert b"connection: close" in head, head


def test_wrk_64_connections_on_metrics_do_not_delay_a_fresh_scrape():
    # Handed case: under `wrk -c64` a fresh scrape used to wait 12 s for a worker.
    with lib.Exporter(ARGS) as exp:
        load = subprocess.Popen(["wrk", "-t2", "-c64", "-d6s", exp.base_url + "/metrics"],
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            time.sleep(2)
            times = []
            for _ in range(3):
                status, took = timed_scrape(exp.port)
                assert status == 200, (status, took)
                times.append(took)
                time.sleep(0.3)
        finally:
            report, _ = load.communicate(timeout=60)
    print(f"wrk -c64 on /metrics: fresh scrapes answered in {', '.join(f'{t * 1000:.0f} ms' for t in times)}"
          f"\n{report}")
    assert max(times) < TARGET_SECONDS, times
