"""PMTUD blackhole detection against real kernels in network namespaces: a TLS server flight that
cannot cross a 1400-byte hop. Only the blackhole scenario may report blackhole_suspect, on the ports
whose handshakes stalled; working PMTUD and MSS clamping must not. IPv4 and IPv6."""

import os
import time

import pytest

import mailpath_testlib as lib
from netns_lab import V4, V6, Lab

EXPECTED = {"blackhole": "blackhole_suspect", "pmtud": "pmtud_reduced", "clamped": "clamped"}


def classes(lab, port):
    proc = lab.ex("srv", lib.exporter_path(), "--once", "--collector.disable-defaults", "--collector.tcp",
                  "--tcp.ports=587,993", "--tcp.remote-ports=25")
    s = lib.parse_exposition(proc.stdout)
    return {dict(k)["class"]: v for k, v in lib.series(s, "mailpath_tcp_path_class_sockets").items()
            if dict(k)["port"] == str(port) and dict(k)["direction"] == "inbound"}, proc.stdout


@pytest.mark.parametrize("family", ["4", "6"])
@pytest.mark.parametrize("mode", ["blackhole", "pmtud", "clamped"])
def test_blackhole_reported_only_when_icmp_is_dropped(chain, family, mode):
    cert, key, server = chain
    addr = V4["srv"] if family == "4" else V6["srv"]
    target = addr if family == "4" else f"[{addr}]"
    with Lab(mode) as lab:
        for port, starttls in ((587, "1"), (993, "0")):
            p = lab.spawn("srv", "/usr/bin/python3", server, cert, key, family, str(port), starttls)
            assert p.stdout.readline().strip() == "ready"
        clients = [
            lab.spawn("cli", "openssl", "s_client", "-starttls", "smtp", "-connect", f"{target}:587", "-quiet",
                      stdin=__import__("subprocess").PIPE),
            lab.spawn("cli", "openssl", "s_client", "-connect", f"{target}:993", "-quiet",
                      stdin=__import__("subprocess").PIPE),
        ]
        # Long enough for several RTOs (backoff >= 2) of a stalled flight; short for the others.
        time.sleep(4)
        for port in (587, 993):
            got, text = classes(lab, port)
            assert sum(got.values()) >= 1, f"no established socket on {port}:\n{text}"
            if mode == "blackhole":
                assert got.get("blackhole_suspect", 0) >= 1, f"{mode}/{family} port {port}: {got}"
            else:
                assert got.get("blackhole_suspect", 0) == 0, f"{mode}/{family} port {port}: {got}"
                assert got.get(EXPECTED[mode], 0) >= 1, f"{mode}/{family} port {port}: {got}"
        lib.promtool_check_metrics(text)
        report = lab.ex("srv", lib.exporter_path(), "diagnose", "--tcp.ports=587,993", "--tcp.remote-ports=25",
                        check=False)
        if mode == "blackhole":
            assert report.returncode == 3, report.stdout + report.stderr
            assert "Blackhole suspects:" in report.stdout and "clamp-mss-to-pmtu" in report.stdout
            peer = V4["cli"] if family == "4" else V6["cli"]
            assert peer in report.stdout, report.stdout
            if os.environ.get("MAILPATH_SAVE_DIAGNOSE"):
                with open(os.environ["MAILPATH_SAVE_DIAGNOSE"] + f".v{family}", "w") as f:
                    f.write(report.stdout)
        else:
            assert report.returncode == 0, report.stdout + report.stderr
            assert "No PMTUD blackhole suspects." in report.stdout
        for c in clients:
            c.stdin.close()
