"""showq collector against a real private Postfix (Debian package): per-queue
depth, bytes and recipients equal `postqueue -j`; postfix_up 0 without queue
series once Postfix stops, with the exporter still serving.

Needs root (Postfix's master), python3-pytest, postfix, prometheus (promtool).
"""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mailpath_testlib as lib  # noqa: E402
import private_postfix as pp  # noqa: E402

QUEUES = ["active", "deferred", "hold", "incoming", "maildrop"]
parse_exposition, value, series = lib.parse_exposition, lib.value, lib.series


def run_once(postfix, *extra):
    r = lib.run_once(["--no-collector.process", f"--postfix.showq_path={postfix.showq_path}",
                      *extra])
    return r.stdout, r.stderr


def expected_from_postqueue(queue):
    exp = {q: {"depth": 0, "bytes": 0, "recipients": 0} for q in QUEUES}
    for m in queue:
        e = exp[m["queue_name"]]
        e["depth"] += 1
        e["bytes"] += m["message_size"]
        e["recipients"] += len(m["recipients"])
    return exp


def scrape_consistent(postfix, *extra):
    """Exporter output taken between two identical postqueue -j listings."""
    for _ in range(5):
        before = postfix.queue_json()
        text, err = run_once(postfix, *extra)
        after = postfix.queue_json()
        if before == after:
            return before, text, err
    raise AssertionError("the queue kept changing while scraping")


@pytest.fixture(scope="module")
def postfix():
    lib.exporter_path()
    assert os.geteuid() == 0, "this test starts Postfix and must run as root"
    stall = pp.FakeSmtpPeer("stall")
    throttle = pp.FakeSmtpPeer("throttle")
    p = pp.PrivatePostfix({
        "stall.test": f"smtp:[127.0.0.1]:{stall.port}",
        "throttle.test": f"smtp:[127.0.0.1]:{throttle.port}",
        "refused.test": f"smtp:[127.0.0.1]:{pp.closed_port()}",
    })
    try:
        p.start()
        yield p
    finally:
        p.cleanup()
        stall.close()
        throttle.close()


def test_empty_queue_reports_every_queue_at_zero(postfix):
    text, _ = run_once(postfix)
    s = parse_exposition(text)
    assert value(s, "postfix_up", path=postfix.showq_path) == 1
    for q in QUEUES:
        assert value(s, "postfix_showq_queue_depth", queue=q) == 0, q
        assert value(s, "postfix_showq_message_size_bytes_count", queue=q) == 0, q


def test_queues_match_postqueue_and_exposition_is_valid(postfix):
    postfix.send_smtp("a@src.test", ["h1@hold.test"])
    postfix.send_smtp("a@src.test", ["h2@hold.test", "h3@hold.test"], size_pad=5000)
    postfix.send_smtp("b@src.test", ["r1@refused.test", "r2@refused.test", "r3@refused.test"])
    postfix.send_smtp("b@src.test", ["r4@refused.test"], size_pad=200000)
    postfix.send_smtp("c@src.test", ["t1@throttle.test"])
    postfix.send_smtp("d@src.test", ["s1@stall.test"])

    def ready(q):
        count = defaultdict(int)
        for m in q:
            count[m["queue_name"]] += 1
        return count["hold"] == 2 and count["deferred"] == 3 and count["active"] == 1

    postfix.wait_for(ready, "2 hold, 3 deferred, 1 active")
    t0 = time.time()
    queue, text, _ = scrape_consistent(postfix)
    t1 = time.time()
    s = parse_exposition(text)
    exp = expected_from_postqueue(queue)
    assert value(s, "postfix_up", path=postfix.showq_path) == 1
    for q in QUEUES:
        assert value(s, "postfix_showq_queue_depth", queue=q) == exp[q]["depth"], q
        assert value(s, "postfix_showq_queue_size_bytes", queue=q) == exp[q]["bytes"], q
        assert value(s, "postfix_showq_queue_recipients", queue=q) == exp[q]["recipients"], q
        assert value(s, "postfix_showq_message_size_bytes_count", queue=q) == exp[q]["depth"], q
        assert value(s, "postfix_showq_message_size_bytes_sum", queue=q) == exp[q]["bytes"], q
    oldest = min(m["arrival_time"] for m in queue if m["queue_name"] == "deferred")
    age = value(s, "postfix_showq_oldest_message_age_seconds", queue="deferred")
    assert t0 - oldest - 1 <= age <= t1 - oldest + 1, (age, t0 - oldest, t1 - oldest)
    assert value(s, "postfix_showq_deferred_recipients", reason="connect_refused") == 4
    assert value(s, "postfix_showq_deferred_recipients", reason="rate_limited") == 1
    assert value(s, "mailpath_exporter_collector_success", collector="showq") == 1

    lib.promtool_check_metrics(text)


def test_golden_exposition_is_promtool_clean():
    with open(os.path.join(lib.GOLDEN_DIR, "showq_mixed.prom")) as f:
        lib.promtool_check_metrics(f.read())


def test_domain_view_is_capped(postfix):
    text, _ = run_once(postfix, "--showq.deferred-domains-cap=1")
    s = parse_exposition(text)
    assert value(s, "postfix_showq_deferred_domain_recipients", domain="refused.test") == 4
    assert value(s, "postfix_showq_deferred_domain_recipients", domain="other") == 1
    assert len(series(s, "postfix_showq_deferred_domain_recipients")) == 2
    assert value(s, "postfix_showq_deferred_domains_overflow") == 1
    lib.promtool_check_metrics(text)


def test_permission_denied_names_group_postdrop(postfix):
    # A copy nobody can execute, wherever the build tree lives (/root/...).
    tmp = tempfile.mkdtemp(prefix="mailpath-showq-eacces-")
    try:
        os.chmod(tmp, 0o755)
        binary = os.path.join(tmp, "mailpath_exporter")
        shutil.copy(lib.exporter_path(), binary)
        os.chmod(binary, 0o755)
        r = subprocess.run(["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
                            binary, "--once", "--no-collector.process",
                            f"--postfix.showq_path={postfix.showq_path}"],
                           capture_output=True, text=True, timeout=60)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    assert r.returncode == 0, r.stderr
    s = parse_exposition(r.stdout)
    assert value(s, "postfix_up", path=postfix.showq_path) == 0
    assert "Permission denied" in r.stderr and "group postdrop" in r.stderr, r.stderr


def test_tcp_showq_service_is_read_like_the_unix_socket(postfix):
    """A showq service exposed on TCP (master.cf `127.0.0.1:PORT inet ... showq`),
    here replayed from the real capture by a loopback server."""
    fixture = os.path.join(lib.SOURCE_DIR, "tests", "fixtures", "showq", "mixed_postfix37.bin")
    with open(fixture, "rb") as f:
        stream = f.read()
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.bind(("127.0.0.1", 0))
    srv.listen(4)
    port = srv.getsockname()[1]

    def serve():
        conn, _ = srv.accept()
        conn.sendall(stream)
        conn.close()

    t = threading.Thread(target=serve, daemon=True)
    t.start()
    r = lib.run_once(["--no-collector.process", f"--postfix.showq_path=127.0.0.1:{port}"])
    t.join(timeout=30)
    srv.close()
    s = parse_exposition(r.stdout)
    assert value(s, "postfix_up", path=f"127.0.0.1:{port}") == 1, r.stderr
    assert value(s, "postfix_showq_queue_depth", queue="deferred") == 2
    assert value(s, "postfix_showq_queue_recipients", queue="deferred") == 4


def test_postfix_stopped_gives_up_zero_and_no_queue_series_while_serving_then_recovers(postfix):
    exp = lib.Exporter(["--no-collector.process", f"--postfix.showq_path={postfix.showq_path}"])
    restarted = False
    try:
        assert value(parse_exposition(exp.metrics()), "postfix_up", path=postfix.showq_path) == 1
        postfix.stop()
        for _ in range(3):
            s = parse_exposition(exp.metrics())  # asserts HTTP 200
            assert value(s, "postfix_up", path=postfix.showq_path) == 0
            assert value(s, "mailpath_exporter_collector_success", collector="showq") == 0
            for family in ("postfix_showq_queue_depth", "postfix_showq_queue_size_bytes",
                           "postfix_showq_message_size_bytes_count"):
                assert series(s, family) == {}, family
        postfix.start()
        restarted = True
        s = parse_exposition(exp.metrics())  # the same exporter, no restart of its own
        assert value(s, "postfix_up", path=postfix.showq_path) == 1
        assert value(s, "mailpath_exporter_collector_success", collector="showq") == 1
    finally:
        exp.stop()
        if not restarted:
            postfix.start()  # leave the module fixture as it found it
    failures = [line for line in "".join(exp.log).splitlines() if "collector=showq" in line]
    assert len(failures) == 1, exp.log  # three failed scrapes, one (rate-limited) log line
    assert "not running" in failures[0] or "No such file" in failures[0], failures[0]
