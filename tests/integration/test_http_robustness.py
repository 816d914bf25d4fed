"""The HTTP side under load and abuse: a wrk run with 64 connections gets no errors and the RSS stays
flat; oversized request headers are refused; idle and slow clients are cut off after the request timeout
and cannot keep a scrape from being served."""

import os
import re
import shutil
import socket
import threading
import time
import urllib.request

import mailpath_testlib as lib

ARGS = ["--collector.disable-defaults", "--collector.process", "--collector.logs", "--collector.postfix",
        "--collector.dovecot", "--collector.tcp"]


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        return int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1))


def wrk(url, seconds, connections=64):
    assert shutil.which("wrk"), "wrk missing: scripts/setup.sh test installs it"
    import subprocess
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url],
                         capture_output=True, text=True, timeout=seconds + 60)
    assert out.returncode == 0, out.stderr
    return out.stdout


def test_wrk_64_connections_no_errors_and_flat_rss():
    seconds = int(os.environ.get("MAILPATH_WRK_SECONDS", "5"))
    with lib.Exporter(ARGS) as exp:
        url = exp.base_url + "/metrics"
        for _ in range(20):  # warm up: every code path allocated once
            exp.metrics()
        start = rss_kib(exp.proc.pid)
        first = wrk(url, seconds)
        middle = rss_kib(exp.proc.pid)
        second = wrk(url, seconds)
        end = rss_kib(exp.proc.pid)
    for report in (first, second):
        assert "Socket errors" not in report, report
        assert "Non-2xx" not in report, report
        assert int(re.search(r"(\d+) requests in", report).group(1)) > 100, report
    print(f"RSS KiB: start {start}, after run 1 {middle}, after run 2 {end}\n{first}\n{second}")
    # The second run must not keep growing the process: it reuses what the first one allocated.
    assert end <= middle * 1.10 + 512, (start, middle, end)


def test_oversized_request_headers_are_refused_and_scrapes_continue():
    with lib.Exporter(ARGS) as exp:
        s = socket.create_connection(("127.0.0.1", exp.port), timeout=10)
        s.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 65536 + b"\r\n\r\n")
        try:
            reply = s.recv(4096)
        except ConnectionResetError:
            reply = b""
        s.close()
        assert not reply.startswith(b"HTTP/1.1 200"), reply[:200]
        assert exp.metrics()  # still serving


def test_idle_clients_delay_a_scrape_by_a_bounded_time():
    # Idle clients never reach a worker (TCP_DEFER_ACCEPT) and a slowloris holds one for the 5 s request
    # timeout, so the scrape is served at once; the bound is the old one (three 10 s waits on 4 workers),
    # kept loose for the sanitizer builds. test_http_starvation.py measures the tight targets.
    with lib.Exporter([*ARGS, "--web.max-requests=4"]) as exp:
        idle = [socket.create_connection(("127.0.0.1", exp.port), timeout=30) for _ in range(8)]
        slow = socket.create_connection(("127.0.0.1", exp.port), timeout=30)
        stop = threading.Event()

        def trickle():  # slowloris: one header byte a second, never finishing the request
            slow.sendall(b"GET /metrics HTTP/1.1\r\n")
            while not stop.wait(1):
                try:
                    slow.sendall(b"X")
                except OSError:
                    return

        t = threading.Thread(target=trickle, daemon=True)
        t.start()
        try:
            started = time.time()
            with urllib.request.urlopen(exp.base_url + "/metrics", timeout=30) as resp:
                assert resp.status == 200
            waited = time.time() - started
        finally:
            stop.set()
            for s in idle:
                s.close()
        print(f"scrape served after {waited:.1f} s with 8 idle and 1 slow client on 4 workers")
        assert waited < 3 * 10 + 2, waited
        # The slow client was cut off, not served: its socket is closed by the server.
        slow.settimeout(10)
        try:
            data = slow.recv(4096)
            while data and not data.startswith(b"HTTP/1.1 2"):
                data = slow.recv(4096)
            assert not data.startswith(b"HTTP/1.1 2"), data[:100]
        except OSError:
            pass
        slow.close()
