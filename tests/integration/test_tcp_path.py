"""PMTUD blackholes in every direction against real kernels (tests/integration/netns_lab.py: a 1400-byte hop
between two routers, IPv4 and IPv6 at once). One lab per mode holds every case, so the whole file builds four
labs (about 40 s): with ICMP dropped, each shape is flagged on its port and direction, our certificate flight
lost (blackhole_suspect, 587/993 inbound), the client's 1,533-byte ClientHello or 100 kB DATA lost
(rcv_blackhole_suspect, 587/993/25 inbound), our DATA, our ClientHello or the remote MX's flight lost (25
outbound); a silent or a plain client is not, and a peer gone dark is an outage. With working PMTUD, MSS
clamping, or the client's MTU probing healing its direction, nothing is flagged."""

import os
import re
import select
import subprocess
import time

import pytest

import mailpath_testlib as lib
from netns_lab import CLIENT, V4, V6, Lab

# name -> (client namespace, client kind, server role, port, source address key or None, direction)
CASES = {
    "s2c-587": ("cli", "stls-small", "srv", 587, None, "inbound"),
    "s2c-993": ("cli", "tls-small", "srv", 993, None, "inbound"),
    "c2s-587": ("cli", "stls-big", "srv", 587, None, "inbound"),
    "c2s-993": ("cli", "tls-big", "srv", 993, None, "inbound"),
    "c2s-25": ("cli", "data", "srv", 25, None, "inbound"),
    "out-data": ("srv", "data", "cli", 25, None, "outbound"),
    "out-s2c": ("srv", "stls-small", "cli", 25, None, "outbound"),
    "out-c2s": ("srv", "stls-big", "cli", 25, None, "outbound"),
    "silent": ("cli", "silent", "srv", 25, None, "inbound"),
    "plain": ("cli", "plain", "srv", 587, None, "inbound"),
    "dark-587": ("cli", "plain", "srv", 587, "dark", "inbound"),
    "dark-993": ("cli", "tls-small", "srv", 993, "dark", "inbound"),
}
FLAGGED = {"blackhole_suspect", "rcv_blackhole_suspect"}
BLACKHOLE = {"s2c-587": "blackhole_suspect", "s2c-993": "blackhole_suspect", "c2s-587": "rcv_blackhole_suspect",
             "c2s-993": "rcv_blackhole_suspect", "c2s-25": "rcv_blackhole_suspect", "out-data": "blackhole_suspect",
             "out-s2c": "rcv_blackhole_suspect", "out-c2s": "blackhole_suspect", "dark-587": "outage",
             "dark-993": "outage"}
PORTS = ["--tcp.ports=25,587,993", "--tcp.remote-ports=25"]
ROW = re.compile(r"^  (\S+):(\d+)\s+(\S+):(\d+)\s+\d+")


def start(lab, chain, names):
    cert, key, server = chain
    for role, port, starttls in (("srv", 25, "1"), ("srv", 587, "1"), ("srv", 993, "0"), ("cli", 25, "1")):
        p = lab.spawn(role, "/usr/bin/python3", server, cert, key, "any", str(port), starttls)
        assert p.stdout.readline().strip() == "ready"
    client = os.path.join(os.path.dirname(server), "client.py")
    with open(client, "w") as f:
        f.write(CLIENT)
    clients = {}
    for fam, addr in (("4", V4), ("6", V6)):
        for name in names:
            role, kind, to, port, src, _ = CASES[name]
            clients[(name, fam)] = lab.spawn(role, "/usr/bin/python3", client, kind, addr[to], str(port),
                                             *([addr[src]] if src else []), stdin=subprocess.PIPE)
    ports = {}
    for k, p in clients.items():
        p.said = ""
        os.set_blocking(p.stdout.fileno(), False)
        deadline = time.time() + 20 * lib.TIMEOUT_SCALE
        while "\n" not in p.said and time.time() < deadline:
            heard(p, 0.2)
        line = p.said.split()
        assert line[:1] == ["connected"], (k, p.said)
        ports[k] = int(line[1])
    return clients, ports


def heard(p, wait=0):
    """Everything the client printed so far (read from its pipe without blocking)."""
    if select.select([p.stdout.fileno()], [], [], wait)[0]:
        try:
            p.said += os.read(p.stdout.fileno(), 65536).decode()
        except BlockingIOError:
            pass
    return p.said


def diagnose(lab):
    """(family, client port) -> (class, direction) of every socket diagnose lists, and the report."""
    report = lab.ex("srv", lib.exporter_path(), "diagnose", *PORTS, check=False)
    listed, section = {}, None
    for line in report.stdout.splitlines():
        m = re.match(r"^(?:Blackhole suspects|Lost peers \(outage, not blackhole\)): (\w+), (\w+)$", line)
        if m:
            section = (m.group(1), m.group(2))
            continue
        m = ROW.match(line)
        if m and section:
            local, lport, peer, pport = m.groups()
            fam = "6" if ":" in (peer if section[1] == "inbound" else local).strip("[]").removeprefix("::ffff:") \
                else "4"
            listed[(fam, int(pport) if section[1] == "inbound" else int(lport))] = section
    return listed, report


def classes_by_port(lab):
    proc = lab.ex("srv", lib.exporter_path(), "--once", "--collector.disable-defaults", "--collector.tcp", *PORTS)
    lib.promtool_check_metrics(proc.stdout)
    got = {}
    for k, v in lib.series(lib.parse_exposition(proc.stdout), "mailpath_tcp_path_class_sockets").items():
        d = dict(k)
        if v:
            got[(int(d["port"]), d["direction"], d["class"])] = int(v)
    return got


def wanted(names, expect):
    want = {}
    for name in names:
        for fam in ("4", "6"):
            if name in expect:
                want[(name, fam)] = (expect[name], CASES[name][5])
    return want


def run(lab, chain, names, expect, settle):
    clients, ports = start(lab, chain, names)
    want = {(fam, ports[(name, fam)]): c for (name, fam), c in wanted(names, expect).items()}
    deadline = time.time() + 20 * lib.TIMEOUT_SCALE
    while True:
        listed, report = diagnose(lab)
        if settle(clients) and listed == want or time.time() > deadline:
            break
        time.sleep(0.5)
    names_of = {(fam, port): name for (name, fam), port in ports.items()}
    shown = {names_of.get(k, k): v for k, v in listed.items()}
    assert listed == want, f"{lab.mode}: listed {shown}\n{report.stdout}"
    return clients, report


@pytest.mark.parametrize("mode", ["blackhole"])
def test_every_direction_is_flagged_on_its_port_and_outages_are_not_blackholes(chain, mode):
    with Lab(mode) as lab:
        _, report = run(lab, chain, list(CASES), BLACKHOLE, lambda clients: True)
        assert report.returncode == 3, report.stdout + report.stderr
        for hint in ("clamp-mss-to-pmtu", "advmss 1300", "tcp_mtu_probing=1", "not a size problem"):
            assert hint in report.stdout, hint
        got = classes_by_port(lab)
        flagged = {k: v for k, v in got.items() if k[2] in FLAGGED | {"outage"}}
        assert flagged == {(587, "inbound", "blackhole_suspect"): 2, (993, "inbound", "blackhole_suspect"): 2,
                           (587, "inbound", "rcv_blackhole_suspect"): 2, (993, "inbound", "rcv_blackhole_suspect"): 2,
                           (25, "inbound", "rcv_blackhole_suspect"): 2, (25, "outbound", "blackhole_suspect"): 4,
                           (25, "outbound", "rcv_blackhole_suspect"): 2, (587, "inbound", "outage"): 2,
                           (993, "inbound", "outage"): 2}, got
        if os.environ.get("MAILPATH_SAVE_DIAGNOSE"):
            with open(os.environ["MAILPATH_SAVE_DIAGNOSE"], "w") as f:
                f.write(report.stdout)


def completed(clients):
    """True once every client that can finish has (a silent, plain or dark client only connects)."""
    return all(re.search(r"^(handshake|sent 250)", heard(p), re.M) for (name, _), p in clients.items()
               if CASES[name][4] != "dark" and CASES[name][1] not in ("silent", "plain"))


@pytest.mark.parametrize("mode,probing,names", [
    ("pmtud", False, list(CASES)),
    ("clamped", False, list(CASES)),
    # Only the client's ICMP dropped and its tcp_mtu_probing on: its 1,533-byte ClientHello and its DATA
    # get through at tcp_base_mss after a few RTOs (about 3 s); the server's direction does PMTUD.
    ("blackhole_c2s", True, ["c2s-587", "c2s-993", "c2s-25"]),
])
def test_working_paths_are_never_flagged(chain, mode, probing, names):
    with Lab(mode, probing=probing) as lab:
        start_time = time.time()
        _, report = run(lab, chain, names, {n: "outage" for n in names if n.startswith("dark")}, completed)
        # A receive-side stall would need kReceiveStallMs of silence to show: give it that, then look again.
        time.sleep(1.5)
        listed, report = diagnose(lab)
        assert all(c == "outage" for c, _ in listed.values()), report.stdout
        assert report.returncode == 0, report.stdout + report.stderr
        assert "No PMTUD blackhole suspects." in report.stdout
        got = classes_by_port(lab)
        assert not {k: v for k, v in got.items() if k[2] in FLAGGED}, got
        if probing:
            assert got.get((587, "inbound", "probing_recovered"), 0) + got.get((993, "inbound", "probing_recovered"),
                                                                                0) >= 1, got
        print(f"{mode}: settled in {time.time() - start_time:.1f}s")
