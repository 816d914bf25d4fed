#!/usr/bin/env python3
"""HTTP bench: idle footprint and scrape latency, ours vs prometheus-postfix-exporter, in one run.

Both exporters watch the same private Postfix (showq) and the same log file (filled with a generated
realistic log first, so both have state to expose). Then, side by side:
  - idle: RSS and CPU-seconds of each process over --idle seconds with nobody scraping;
  - latency: `wrk -t2 -c20 -d<seconds> --latency` against /metrics of each, one after the other:
    p50, p99, requests/s, errors.
Ours runs with every collector on (process, showq, logs, postfix, dovecot, tcp). Prints a markdown table
with ratios; asserts nothing. Root (starts a private Postfix). Usage:
  sudo python3 bench/http/run_bench.py [--exporter build/mailpath_exporter] [--idle 60] [--seconds 15]
"""

import argparse
import os
import re
import subprocess
import sys
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))
import private_postfix as pp  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK  # utime + stime


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        return int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1)) / 1024


def wait_http(url, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer")


def wrk(url, seconds, connections):
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url],
                         capture_output=True, text=True, timeout=seconds + 60).stdout

    def ms(label):
        m = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        if not m:
            return float("nan")
        return float(m.group(1)) * {"us": 1e-3, "ms": 1.0, "s": 1e3}[m.group(2)]

    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"p50": ms("50"), "p99": ms("99"), "rps": float(rps.group(1)) if rps else 0.0,
            "errors": (errors.group(1) if errors else "none") + (f", {non2xx.group(1)} non-2xx" if non2xx else "")}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--exporter", default=os.path.join(ROOT, "build", "mailpath_exporter"))
    ap.add_argument("--idle", type=int, default=60)
    ap.add_argument("--seconds", type=int, default=15)
    ap.add_argument("--connections", type=int, default=20)
    ap.add_argument("--log-lines", type=int, default=100000)
    args = ap.parse_args()

    work = pp.tempfile.mkdtemp(prefix="mailpath-httpbench-")
    log = os.path.join(work, "mail.log")
    subprocess.run([sys.executable, os.path.join(ROOT, "bench", "logs", "gen_logs.py"), "-n", str(args.log_lines),
                    "--format", "rfc3164", "-o", log], check=True, capture_output=True)
    postfix = pp.PrivatePostfix({})
    procs = {}
    try:
        postfix.start()
        ours_port, peer_port = pp.free_port(), pp.free_port()
        procs["ours"] = subprocess.Popen(
            [args.exporter, f"--web.listen-address=127.0.0.1:{ours_port}", f"--postfix.showq_path={postfix.showq_path}",
             f"--postfix.logfile_path={log}", "--log.from-beginning"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        procs["prometheus-postfix-exporter"] = subprocess.Popen(
            ["prometheus-postfix-exporter", f"--web.listen-address=127.0.0.1:{peer_port}",
             f"--postfix.showq_path={postfix.showq_path}", f"--postfix.logfile_path={log}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        urls = {"ours": f"http://127.0.0.1:{ours_port}/metrics",
                "prometheus-postfix-exporter": f"http://127.0.0.1:{peer_port}/metrics"}
        for url in urls.values():
            wait_http(url)
        time.sleep(5)  # both have read the log (ours from the beginning; the peer tails from the end)
        for url in urls.values():  # one scrape each, so every code path has run once
            urllib.request.urlopen(url, timeout=30).read()
        before = {k: cpu_seconds(p.pid) for k, p in procs.items()}
        time.sleep(args.idle)
        idle = {k: (rss_mib(p.pid), cpu_seconds(p.pid) - before[k]) for k, p in procs.items()}
        size = {k: len(urllib.request.urlopen(u, timeout=30).read()) for k, u in urls.items()}
        lat = {k: wrk(u, args.seconds, args.connections) for k, u in urls.items()}
        after = {k: rss_mib(p.pid) for k, p in procs.items()}
    finally:
        for p in procs.values():
            p.terminate()
            p.wait(timeout=30)
        postfix.cleanup()
        subprocess.run(["rm", "-rf", work])

    print(f"Idle for {args.idle} s after one scrape, then `wrk -t2 -c{args.connections} -d{args.seconds}s` on /metrics. "
          f"Ours: every collector on; the peer: its showq and log collectors. Same Postfix, same log file.\n")
    print("| exporter | idle RSS | idle CPU-s / min | /metrics bytes | p50 | p99 | req/s | errors | RSS after wrk |")
    print("|---|---|---|---|---|---|---|---|---|")
    for k in procs:
        rss, cpu = idle[k]
        print(f"| {k} | {rss:.1f} MiB | {cpu * 60 / args.idle:.3f} | {size[k]} | {lat[k]['p50']:.2f} ms | "
              f"{lat[k]['p99']:.2f} ms | {lat[k]['rps']:.0f} | {lat[k]['errors']} | {after[k]:.1f} MiB |")
    o, p = "ours", "prometheus-postfix-exporter"
    print(f"\nRatios ours / peer: idle RSS {idle[o][0] / idle[p][0]:.2f}x, p50 {lat[o]['p50'] / lat[p]['p50']:.2f}x, "
          f"p99 {lat[o]['p99'] / lat[p]['p99']:.2f}x, req/s {lat[o]['rps'] / max(lat[p]['rps'], 1):.2f}x.")
    print(f"\nTARGETS idle_rss_mib={idle[o][0]:.1f} p99_ms={lat[o]['p99']:.2f}")


if __name__ == "__main__":
    main()
