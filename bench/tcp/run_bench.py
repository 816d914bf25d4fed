#!/usr/bin/env python3
"""sock_diag benchmark: N established loopback connections (2N sockets) in a private network
namespace, 1 % of them to mail ports (25, 587, 143, 993). Compares, in the same run:
  - the exporter's tcp collector: its own scrape duration (median of 15 scrapes) and RSS,
  - `ss -tin` with the same port filter (wall time incl. process start, median of 15),
  - `ss -tin` unfiltered.
Usage (root): bench/tcp/run_bench.py [--sizes 10000,50000] [--exporter build/mailpath_exporter]
Prints a markdown table; reports ratios, never asserts."""

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
import urllib.request
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
MAIL_PORTS = [25, 587, 143, 993]
FILTER = "( " + " or ".join(f"sport = :{p}" for p in MAIL_PORTS) + " )"


def ns_exec(ns, *args, **kw):
    return ["ip", "netns", "exec", ns, *args]


def run_size(ns, n, exporter):
    procs = []
    try:
        mail = subprocess.Popen(ns_exec(ns, sys.executable, f"{HERE}/holder.py", "mail", *map(str, MAIL_PORTS)),
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        procs.append(mail)
        assert mail.stdout.readline().strip() == "ready"
        per = 4800
        holders = (n + per - 1) // per
        mail_total = n // 100
        for j in range(holders):
            k = min(per, n - j * per)
            m = mail_total // holders + (1 if j < mail_total % holders else 0)
            p = subprocess.Popen(ns_exec(ns, sys.executable, f"{HERE}/holder.py", "conn", str(k - m), str(9000 + j),
                                         str(m), *map(str, MAIL_PORTS)),
                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
            procs.append(p)
        for p in procs[1:]:
            assert p.stdout.readline().strip() == "ready"
        total = int(subprocess.run(ns_exec(ns, "ss", "-Htn", "state", "established"), capture_output=True,
                                   text=True).stdout.count("\n"))

        def wall(cmd, runs=15):
            times = []
            for _ in range(runs):
                t = time.perf_counter()
                subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
                times.append(time.perf_counter() - t)
            return statistics.median(times)

        ss_filtered = wall(ns_exec(ns, "ss", "-tin", FILTER))
        ss_all = wall(ns_exec(ns, "ss", "-tin"), runs=5)
        exp = subprocess.Popen(ns_exec(ns, exporter, "--web.listen-address=127.0.0.1:0", "--collector.disable-defaults",
                                       "--collector.tcp", "--collector.process", "--tcp.ports=25,587,143,993",
                                       "--tcp.remote-ports=25,587"),
                               stderr=subprocess.PIPE, text=True)
        procs.append(exp)
        port = None
        for line in exp.stderr:
            m = re.search(r"msg=listening address=[^ ]*:(\d+)", line)
            if m:
                port = int(m.group(1))
                break
        durations, rss, sockets = [], 0, 0
        for _ in range(15):
            text = subprocess.run(ns_exec(ns, "curl", "-s", f"http://127.0.0.1:{port}/metrics"), capture_output=True,
                                  text=True).stdout
            durations.append(float(re.search(r'collector_duration_seconds\{collector="tcp"\} (\S+)', text).group(1)))
            rss = max(rss, float(re.search(r"^process_resident_memory_bytes (\S+)", text, re.M).group(1)))
            sockets = sum(float(v) for v in re.findall(r'mailpath_tcp_sockets\{[^}]*direction="inbound"[^}]*\} (\S+)',
                                                        text))
        scrape = statistics.median(durations)
        return {"n": n, "sockets": total, "matched": int(sockets), "scrape_ms": scrape * 1e3,
                "rss_mb": rss / 2**20, "ss_filtered_ms": ss_filtered * 1e3, "ss_all_ms": ss_all * 1e3}
    finally:
        for p in procs:
            p.kill()
            p.wait()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10000,50000")
    ap.add_argument("--exporter", default=os.path.join(HERE, "..", "..", "build", "mailpath_exporter"))
    args = ap.parse_args()
    ns = "mpx-bench-" + uuid.uuid4().hex[:6]
    subprocess.run(["ip", "netns", "add", ns], check=True)
    try:
        subprocess.run(ns_exec(ns, "ip", "link", "set", "lo", "up"), check=True)
        subprocess.run(ns_exec(ns, "sysctl", "-qw", "net.ipv4.ip_local_port_range=10000 65000"), check=True)
        rows = [run_size(ns, int(n), os.path.abspath(args.exporter)) for n in args.sizes.split(",")]
    finally:
        subprocess.run(["ip", "netns", "del", ns])
    print("| connections | sockets | mail sockets | tcp collector scrape | exporter RSS | `ss -tin` filtered | ratio ours/ss | `ss -tin` all |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['n']:,} | {r['sockets']:,} | {r['matched']} | {r['scrape_ms']:.1f} ms | {r['rss_mb']:.1f} MB | "
              f"{r['ss_filtered_ms']:.1f} ms | {r['scrape_ms'] / r['ss_filtered_ms']:.2f}x | {r['ss_all_ms']:.1f} ms |")


if __name__ == "__main__":
    main()
