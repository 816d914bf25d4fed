"""The tcp collector against the real kernel on loopback: the kernel-side port filter returns only
the configured ports, both families, inbound and outbound, with tcp_info decoded."""

import socket
import subprocess

import mailpath_testlib as lib


def listener(family, addr):
    s = socket.socket(family, socket.SOCK_STREAM)
    s.bind((addr, 0))
    s.listen(64)
    return s


def connect(family, addr, port, n):
    conns = []
    for _ in range(n):
        c = socket.socket(family, socket.SOCK_STREAM)
        c.connect((addr, port))
        conns.append(c)
    return conns


def test_only_configured_ports_both_families_and_directions():
    mail4 = listener(socket.AF_INET, "127.0.0.1")
    mail6 = listener(socket.AF_INET6, "::1")
    other = listener(socket.AF_INET, "127.0.0.1")
    p4, p6, po = mail4.getsockname()[1], mail6.getsockname()[1], other.getsockname()[1]
    clients = connect(socket.AF_INET, "127.0.0.1", p4, 5) + connect(socket.AF_INET6, "::1", p6, 3) + \
        connect(socket.AF_INET, "127.0.0.1", po, 4)
    accepted = [mail4.accept()[0] for _ in range(5)] + [mail6.accept()[0] for _ in range(3)] + \
        [other.accept()[0] for _ in range(4)]
    try:
        proc = lib.run_once(["--collector.disable-defaults", "--collector.tcp", f"--tcp.ports={p4},{p6}",
                             f"--tcp.remote-ports={p4}"])
        s = lib.parse_exposition(proc.stdout)
        est = lambda port, d: lib.value(s, "mailpath_tcp_sockets", port=str(port), direction=d, state="established")
        assert est(p4, "inbound") == 5
        assert est(p6, "inbound") == 3
        assert est(p4, "outbound") == 5, "our clients' sockets: remote port is a configured remote port"
        assert all(dict(k)["port"] != str(po) for k in lib.series(s, "mailpath_tcp_sockets"))
        healthy = lib.value(s, "mailpath_tcp_path_class_sockets", **{"port": str(p4), "direction": "inbound",
                                                                      "class": "healthy"})
        assert healthy == 5
        assert lib.value(s, "mailpath_tcp_info_bytes") >= 104
        assert lib.value(s, "mailpath_tcp_snd_mss_bytes_count", port=str(p4), direction="inbound") == 5
        lib.promtool_check_metrics(proc.stdout)
    finally:
        for c in clients + accepted + [mail4, mail6, other]:
            c.close()


def test_listeners_listening_accept_queue_and_backlog_per_port_and_family():
    mail4 = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    mail4.bind(("127.0.0.1", 0))
    mail4.listen(5)
    mail6 = listener(socket.AF_INET6, "::1")
    p4, p6, down = mail4.getsockname()[1], mail6.getsockname()[1], lib.free_port()
    waiting = connect(socket.AF_INET, "127.0.0.1", p4, 3)  # handshakes done, never accepted
    try:
        proc = lib.run_once(["--collector.disable-defaults", "--collector.tcp", f"--tcp.ports={p4},{p6},{down}",
                             f"--tcp.remote-ports={down}"])
        s = lib.parse_exposition(proc.stdout)
        assert lib.value(s, "mailpath_tcp_port_listening", port=str(p4)) == 1
        assert lib.value(s, "mailpath_tcp_port_listening", port=str(p6)) == 1
        assert lib.value(s, "mailpath_tcp_port_listening", port=str(down)) == 0
        v4 = lambda m, port: lib.value(s, m, port=str(port), family="ipv4")
        v6 = lambda m, port: lib.value(s, m, port=str(port), family="ipv6")
        assert (v4("mailpath_tcp_listen_sockets", p4), v4("mailpath_tcp_listen_queue_length", p4),
                v4("mailpath_tcp_listen_backlog", p4)) == (1, 3, 5)
        assert (v6("mailpath_tcp_listen_sockets", p6), v6("mailpath_tcp_listen_queue_length", p6),
                v6("mailpath_tcp_listen_backlog", p6)) == (1, 0, 64)
        assert v6("mailpath_tcp_listen_sockets", p4) == 0 and v4("mailpath_tcp_listen_backlog", down) == 0
        assert lib.value(s, "mailpath_tcp_sockets", port=str(p4), direction="inbound", state="listen") is None
        assert lib.value(s, "mailpath_tcp_listen_overflows_total") is not None
    finally:
        for c in waiting + [mail4, mail6]:
            c.close()


def test_works_unprivileged():
    proc = subprocess.run(["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", lib.exporter_path(),
                           "--once", "--collector.disable-defaults", "--collector.tcp"],
                          capture_output=True, text=True, timeout=30)
    assert proc.returncode == 0, proc.stderr
    s = lib.parse_exposition(proc.stdout)
    assert lib.value(s, "mailpath_exporter_collector_success", collector="tcp") == 1


def test_exposition_matches_golden():
    # A port nothing listens on: the series set is fixed, values volatile only where the host decides.
    proc = lib.run_once(["--collector.disable-defaults", "--collector.tcp", "--tcp.ports=1", "--tcp.remote-ports=2"])
    lib.promtool_check_metrics(proc.stdout)
    lib.assert_golden("tcp_collector.prom", proc.stdout,
                      volatile=("mailpath_tcp_kernel_events_total", "mailpath_tcp_listen_overflows_total",
                               "mailpath_tcp_listen_drops_total", "mailpath_exporter_collector_duration_seconds"))


# An LD_PRELOAD shim that makes socket(AF_NETLINK, ...) fail with EACCES while a flag file exists: the
# same error a seccomp or RestrictAddressFamilies policy without AF_NETLINK gives.
NETLINK_SHIM = r"""
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>
int socket(int domain, int type, int protocol) {
  static int (*real)(int, int, int);
  if (!real) real = (int (*)(int, int, int))dlsym(RTLD_NEXT, "socket");
  const char* flag = getenv("MAILPATH_TEST_NETLINK_FAIL");
  if (domain == AF_NETLINK && flag && access(flag, F_OK) == 0) {
    errno = EACCES;
    return -1;
  }
  return real(domain, type, protocol);
}
"""


def test_netlink_refused_reports_failure_keeps_serving_and_recovers():
    import os
    import tempfile
    import time
    with tempfile.TemporaryDirectory() as tmp:
        src, shim, flag = (os.path.join(tmp, n) for n in ("shim.c", "shim.so", "fail"))
        with open(src, "w") as f:
            f.write(NETLINK_SHIM)
        subprocess.run(["cc", "-shared", "-fPIC", "-o", shim, src, "-ldl"], check=True)
        open(flag, "w").close()
        env = dict(os.environ, LD_PRELOAD=shim, MAILPATH_TEST_NETLINK_FAIL=flag,
                   ASAN_OPTIONS=os.environ.get("ASAN_OPTIONS", "") + ":verify_asan_link_order=0")
        with lib.Exporter(["--collector.disable-defaults", "--collector.tcp"], env=env) as exp:
            for _ in range(3):
                s = lib.parse_exposition(exp.metrics())  # HTTP 200 while the collector fails
                assert lib.value(s, "mailpath_exporter_collector_success", collector="tcp") == 0
            os.unlink(flag)
            s = lib.parse_exposition(exp.metrics())
            assert lib.value(s, "mailpath_exporter_collector_success", collector="tcp") == 1
            assert lib.series(s, "mailpath_tcp_sockets")
        failures = [line for line in "".join(exp.log).splitlines() if "collector=tcp" in line]
        assert len(failures) == 1, exp.log  # three failed scrapes, one (rate-limited) line
        assert "netlink" in failures[0] and "Permission denied" in failures[0], failures[0]
