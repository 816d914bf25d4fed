"""Saturated submission ports, in a network namespace of its own (so the kernel's ListenOverflows
counter is this test's alone): a real Postfix whose submission service on 192.0.2.1:587 has maxproc 1
and whose smtps service on 192.0.2.1:465 has maxproc 2 (an address on a veth inside the namespace: the master never
warns about a service bound to loopback only, MASTER_FLAG_LOCAL_ONLY in master_ent.c), both with a listen backlog of 2 through
default_process_limit = 2 (master_listen.c listens with max(maxproc, default_process_limit)). Idle
clients hold the smtpds and fill the accept queues; the ones after them have their SYNs dropped. The
tcp collector shows each queue at its backlog and the overflow counter rising, `diagnose` exits 3
naming each service's maxproc, and the log collector counts the master's process-limit warnings."""

import os
import subprocess
import time
import uuid

import mailpath_testlib as lib
from private_postfix import PrivatePostfix

ADDR = "192.0.2.1"
CLIENTS = 8  # per port
HOLD = r"""
import socket, sys, time
conns = []
for port in (587, 465):
    for _ in range(int(sys.argv[1])):
        c = socket.socket()
        c.setblocking(False)
        c.connect_ex(("192.0.2.1", port))
        conns.append(c)
print("ready", flush=True)
sys.stdin.read()
"""


def ns_run(ns, *args, env=None, check=True):
    return subprocess.run(["ip", "netns", "exec", ns, *args], capture_output=True, text=True, env=env, check=check,
                          timeout=60)


def scrape(ns):
    proc = ns_run(ns, lib.exporter_path(), "--once", "--collector.disable-defaults", "--collector.tcp",
                  "--tcp.ports=25,465,587,143,993,110,995", "--tcp.remote-ports=25")
    return lib.parse_exposition(proc.stdout), proc.stdout


def test_submission_ports_at_their_process_limit_fill_the_queue_overflow_and_diagnose_names_maxproc():
    ns = f"mp-sat-{uuid.uuid4().hex[:6]}"
    subprocess.run(["ip", "netns", "add", ns], check=True)
    pf = PrivatePostfix({}, extra_main_cf="default_process_limit = 2\nsmtpd_timeout = 120s\n",
                        extra_master_cf=f"{ADDR}:submission inet n - n - 1 smtpd "
                                        "-o syslog_name=postfix-mailpath-test/submission\n"
                                        f"{ADDR}:smtps inet n - n - 2 smtpd -o syslog_name=postfix-mailpath-test/smtps\n")
    holder = None
    try:
        ns_run(ns, "ip", "link", "set", "lo", "up")
        ns_run(ns, "ip", "link", "add", "mail0", "type", "veth", "peer", "name", "mail1")  # no dummy module here
        ns_run(ns, "ip", "addr", "add", f"{ADDR}/24", "dev", "mail0")
        for dev in ("mail0", "mail1"):
            ns_run(ns, "ip", "link", "set", dev, "up")
        ns_run(ns, "postfix", "-c", pf.config_dir, "start", env=pf.env)
        deadline = time.time() + 30 * lib.TIMEOUT_SCALE
        while True:
            s, _ = scrape(ns)
            if lib.value(s, "mailpath_tcp_port_listening", port="587") == 1 and \
                    lib.value(s, "mailpath_tcp_port_listening", port="465") == 1 and os.path.exists(pf.showq_path):
                break
            assert time.time() < deadline, "submission did not listen:\n" + pf.log()
            time.sleep(0.2)
        for port in ("587", "465"):
            assert lib.value(s, "mailpath_tcp_listen_backlog", port=port, family="ipv4") == 2
            assert lib.value(s, "mailpath_tcp_listen_queue_length", port=port, family="ipv4") == 0
        assert lib.value(s, "mailpath_tcp_port_listening", port="993") == 0, "nothing serves IMAPS here"
        overflows_before = lib.value(s, "mailpath_tcp_listen_overflows_total")
        report = ns_run(ns, lib.exporter_path(), "diagnose", check=False, env=pf.env)
        assert report.returncode == 0, report.stdout + report.stderr
        assert "port 587   listening      ipv4 0/2\n" in report.stdout, report.stdout

        holder = subprocess.Popen(["ip", "netns", "exec", ns, "python3", "-c", HOLD, str(CLIENTS)],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert holder.stdout.readline().strip() == "ready"
        time.sleep(3.5)  # the dropped SYNs are retried after 1 s and 3 s: each retry overflows again
        s, text = scrape(ns)
        queues = {p: lib.value(s, "mailpath_tcp_listen_queue_length", port=p, family="ipv4") for p in ("587", "465")}
        overflows = lib.value(s, "mailpath_tcp_listen_overflows_total")
        drops = lib.value(s, "mailpath_tcp_listen_drops_total")
        print(f"queues {queues} of backlog 2; overflows {overflows_before} -> {overflows}, drops {drops}")
        # Each queue full at backlog + 1 (sk_acceptq_is_full), behind 1 (587) or 2 (465) busy smtpds.
        assert queues == {"587": 3, "465": 3}, text
        assert overflows - overflows_before >= (CLIENTS - 1 - 3) + (CLIENTS - 2 - 3), text
        assert drops >= overflows
        lib.promtool_check_metrics(text)

        report = ns_run(ns, lib.exporter_path(), "diagnose", check=False, env=pf.env)
        print(report.stdout)
        assert report.returncode == 3, report.stdout + report.stderr
        assert "port 587   listening      ipv4 3/2  FULL\n" in report.stdout, report.stdout
        assert "port 465   listening      ipv4 3/2  FULL\n" in report.stdout, report.stdout
        assert f'service "{ADDR}:submission" (smtpd) runs at most 1 process (maxproc 1)' in report.stdout, \
            report.stdout
        assert f"postconf -F '{ADDR}:submission/inet/maxproc=<more>'" in report.stdout, report.stdout
        assert f'service "{ADDR}:smtps" (smtpd) runs at most 2 processes (maxproc 2)' in report.stdout, report.stdout
        assert f"postconf -F '{ADDR}:smtps/inet/maxproc=<more>'" in report.stdout, report.stdout

        # The master's warning for smtps, counted by the log collector from Postfix's own log file.
        deadline = time.time() + 20 * lib.TIMEOUT_SCALE
        while f'service "{ADDR}:smtps"' not in pf.log():
            assert time.time() < deadline, pf.log()
            time.sleep(0.2)
        time.sleep(1)
        logged = {line.split('service "')[1].split('"')[0] for line in pf.log().splitlines()
                  if "has reached its process limit" in line}
        print(f"process limit warnings logged for {sorted(logged)}")
        replay = lib.run_once(["--collector.disable-defaults", "--collector.logs", "--collector.postfix",
                               f"--replay={pf.log_file}"])
        counted = lib.series(lib.parse_exposition(replay.stdout), "postfix_master_process_limit_reached_total")
        assert {dict(k)["master_service"]: v for k, v in counted.items() if v} == {s: 1 for s in logged}, counted
    finally:
        if holder:
            holder.stdin.close()
            holder.wait(timeout=10)
        pf.cleanup()
        subprocess.run(["ip", "netns", "del", ns], check=False)


def test_dovecot_login_process_limit_fills_the_pop3_queue_and_diagnose_names_it():
    """The real Dovecot of the suite with pop3-login's process_limit 1 (one connection per login process):
    idle clients fill the pop3 port's accept queue (Dovecot's listen backlog is 4 here), diagnose reads
    `doveconf -c` and names service pop3-login's process_limit, and the log collector counts Dovecot's
    "Connection queue full" and its master warning."""
    import socket
    from private_dovecot import PrivateDovecot
    dovecot = PrivateDovecot({"alice": "secret"}, instance="dovecot-saturated", pop3_login_limit=1)
    dovecot.start()
    conns = []
    try:
        port = str(dovecot.pop3)
        for _ in range(CLIENTS + 4):
            c = socket.socket()
            c.setblocking(False)
            c.connect_ex(("127.0.0.1", dovecot.pop3))
            conns.append(c)
        time.sleep(1.5)
        proc = lib.run_once(["--collector.disable-defaults", "--collector.tcp", f"--tcp.ports={port}",
                             f"--tcp.remote-ports={lib.free_port()}"])
        s = lib.parse_exposition(proc.stdout)
        queue = lib.value(s, "mailpath_tcp_listen_queue_length", port=port, family="ipv4")
        backlog = lib.value(s, "mailpath_tcp_listen_backlog", port=port, family="ipv4")
        print(f"pop3 queue {queue} of backlog {backlog}")
        assert backlog > 0 and queue >= backlog, proc.stdout
        report = subprocess.run([lib.exporter_path(), "diagnose", f"--tcp.ports={port}",
                                 f"--tcp.remote-ports={lib.free_port()}", f"--dovecot.config={dovecot.config}"],
                                capture_output=True, text=True, timeout=60)
        print(report.stdout)
        assert report.returncode == 3, report.stdout + report.stderr
        assert f"port {port:<5} listening      ipv4 {queue:.0f}/{backlog:.0f}  FULL\n" in report.stdout, report.stdout
        assert "Dovecot service pop3-login (an inet_listener on this port) runs at most process_limit=1" \
            in report.stdout, report.stdout
        assert "service pop3-login { process_limit = <more> }" in report.stdout, report.stdout
        replay = lib.run_once(["--collector.disable-defaults", "--collector.logs", "--collector.dovecot",
                               f"--replay={dovecot.log_file}"])
        r = lib.parse_exposition(replay.stdout)
        full = lib.value(r, "dovecot_login_failures_total", protocol="pop3", reason="connection_queue_full")
        limits = sum(lib.series(r, "dovecot_master_limit_reached_total").values())
        print(f"connection_queue_full {full}, master limit warnings {limits}")
        assert full >= 1 and limits >= 1, dovecot.log()
    finally:
        for c in conns:
            c.close()
        dovecot.cleanup()
