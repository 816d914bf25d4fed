"""A showq that accepts and never answers (issue 17, handed case 2): the scrape is answered within its own
timeout with postfix_up 0 and every other collector's series, the miss is logged and counted, a real
Prometheus keeps the target up and PostfixDown (the shipped expression, `for` shortened) fires, and SIGTERM ends a scrape stuck on
it in a second or two, with an answer."""

import os
import shutil
import signal
import socket
import tempfile
import threading
import time
import urllib.request

import mailpath_testlib as lib
from mailpath_testlib import parse_exposition, value
from prometheus_lab import Prometheus


class SilentShowq:
    """A UNIX socket that accepts every connection and never writes a byte."""

    def __init__(self, path):
        self.path = path
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.bind(path)
        self.sock.listen(64)
        self.held = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.held.append(conn)

    def close(self):
        self.sock.close()
        for c in self.held:
            c.close()


class EndlessShowq(SilentShowq):
    """A showq that answers a valid stream and never ends it: one real message record again and again."""

    def _accept(self):
        with open(os.path.join(lib.SOURCE_DIR, "tests", "fixtures", "showq", "mixed_postfix37.bin"), "rb") as f:
            stream = f.read()
        header_end = stream.index(b"\0\0") + 2  # the protocol record
        record_end = stream.index(b"\0\0\0", header_end) + 3  # the first message record
        header, record = stream[:header_end], stream[header_end:record_end]

        def feed(conn):
            try:
                conn.sendall(header)
                chunk = record * 1024
                while True:  # as fast as it goes: the reader never finds the socket empty
                    conn.sendall(chunk)
            except OSError:
                return

        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.held.append(conn)
            threading.Thread(target=feed, args=(conn,), daemon=True).start()


def args(showq_path):
    return ["--collector.disable-defaults", "--collector.showq", "--collector.process",
            f"--postfix.showq_path={showq_path}"]


def scrape(port, timeout_header=None):
    headers = {"X-Prometheus-Scrape-Timeout-Seconds": timeout_header} if timeout_header else {}
    req = urllib.request.Request(f"http://127.0.0.1:{port}/metrics", headers=headers)
    started = time.monotonic()
    with urllib.request.urlopen(req, timeout=60) as resp:
        body = resp.read().decode()
        return resp.status, body, time.monotonic() - started


def test_silent_showq_gives_postfix_up_0_within_the_scrape_timeout_and_the_rest_is_served():
    with tempfile.TemporaryDirectory() as d:
        showq = SilentShowq(os.path.join(d, "showq"))
        try:
            with lib.Exporter(args(showq.path)) as exp:
                status, body, took = scrape(exp.port, "3")
                status2, body2, took2 = scrape(exp.port, "3")
            log = "".join(exp.log)  # the whole log once it has stopped
        finally:
            showq.close()
    print(f"silent showq, scrape timeout 3 s: answered in {took:.2f} s and {took2:.2f} s")
    assert status == 200 and status2 == 200
    assert 2.0 < took < 3.0, took  # waited for showq until the deadline (3 s less 0.5 s), not longer
    s = parse_exposition(body2)
    assert value(s, "postfix_up", path=showq.path) == 0
    assert value(s, "mailpath_exporter_collector_success", collector="showq") == 0
    assert value(s, "mailpath_exporter_collector_success", collector="process") == 1
    assert any(name == "process_resident_memory_bytes" for name, _ in s)
    assert value(s, "mailpath_exporter_collector_deadline_exceeded_total", collector="showq") == 2
    assert value(s, "mailpath_exporter_collector_deadline_exceeded_total", collector="process") == 0
    assert "showq did not answer in time" in log, log[-3000:]
    lib.promtool_check_metrics(body2)


def test_a_showq_that_never_stops_sending_is_cut_at_the_deadline_too():
    with tempfile.TemporaryDirectory() as d:
        showq = EndlessShowq(os.path.join(d, "showq"))
        try:
            with lib.Exporter(args(showq.path)) as exp:
                status, body, took = scrape(exp.port, "3")
            log = "".join(exp.log)
        finally:
            showq.close()
    print(f"endless showq, scrape timeout 3 s: answered in {took:.2f} s")
    assert status == 200
    assert took < 3.0, took
    s = parse_exposition(body)
    assert value(s, "postfix_up", path=showq.path) == 0
    assert value(s, "mailpath_exporter_collector_deadline_exceeded_total", collector="showq") == 1
    assert "still sending at the deadline" in log, log[-3000:]


def test_without_the_header_a_scrape_is_answered_before_prometheus_default_10_s():
    with tempfile.TemporaryDirectory() as d:
        showq = SilentShowq(os.path.join(d, "showq"))
        try:
            with lib.Exporter(args(showq.path)) as exp:
                status, body, took = scrape(exp.port)
        finally:
            showq.close()
    print(f"silent showq, no timeout header: answered in {took:.2f} s")
    assert status == 200
    assert 9.0 < took < 10.0, took
    assert value(parse_exposition(body), "postfix_up", path=showq.path) == 0


def test_sigterm_ends_a_scrape_stuck_on_showq_with_an_answer():
    with tempfile.TemporaryDirectory() as d:
        showq = SilentShowq(os.path.join(d, "showq"))
        try:
            exp = lib.Exporter(args(showq.path))
            result = {}

            def client():
                try:
                    result["status"], result["body"], _ = scrape(exp.port)
                except Exception as e:  # noqa: BLE001 (reported below)
                    result["error"] = repr(e)
                result["at"] = time.monotonic()

            t = threading.Thread(target=client)
            t.start()
            time.sleep(1.5)
            sent = time.monotonic()
            exp.proc.send_signal(signal.SIGTERM)
            code = exp.stop(timeout=30)
            exited = time.monotonic() - sent
            t.join(timeout=30)
        finally:
            showq.close()
    answered = result.get("at", float("inf")) - sent
    print(f"SIGTERM during a scrape stuck on showq: answer {answered:.2f} s, exit {exited:.2f} s after it")
    assert code == 0, "".join(exp.log)[-3000:]
    assert result.get("status") == 200, result
    assert value(parse_exposition(result["body"]), "postfix_up", path=showq.path) == 0
    assert answered < 2.5 * lib.TIMEOUT_SCALE, answered
    assert exited < 3.0 * lib.TIMEOUT_SCALE, exited


def test_prometheus_with_a_10_s_timeout_keeps_the_target_up_and_postfix_down_matches():
    prometheus = shutil.which("prometheus")
    assert prometheus, "prometheus missing: scripts/setup.sh test installs it"
    with tempfile.TemporaryDirectory() as d:
        showq = SilentShowq(os.path.join(d, "showq"))
        try:
            with lib.Exporter(args(showq.path)) as exp, \
                    Prometheus(d, f"127.0.0.1:{exp.port}", os.path.join(lib.SOURCE_DIR, "alerts", "mailpath-mail.rules.yml"),
                               "PostfixDown", scrape_interval="12s", scrape_timeout="10s") as prom:
                # The shipped expression; only `for: 5m` is shortened (alerts/tests covers the 5 minutes).
                assert prom.rule["expr"].strip() == "postfix_up == 0", prom.rule
                up = postfix_up = state = None
                deadline = time.time() + 90 * lib.TIMEOUT_SCALE
                while time.time() < deadline and state != "firing":
                    time.sleep(1)
                    up = query(prom, 'up{job="mailpath"}')
                    postfix_up = query(prom, "postfix_up")
                    alerts = query(prom, 'ALERTS{alertname="PostfixDown"}')
                    if alerts:
                        state = alerts[0]["metric"].get("alertstate")
        finally:
            showq.close()
    print(f"Prometheus (10 s timeout): up={up}, postfix_up={postfix_up}, PostfixDown {state}")
    assert up and up[0]["value"][1] == "1", up
    assert postfix_up and postfix_up[0]["value"][1] == "0", postfix_up
    assert state == "firing", state


def query(prom, expr):
    try:
        return prom.query(expr)
    except OSError:
        return None
