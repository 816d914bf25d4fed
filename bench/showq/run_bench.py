#!/usr/bin/env python3
"""showq bench: one exporter scrape vs a raw read of the showq socket, and the
exporter's RSS, with 10 and with 10,000 held messages in a private Postfix.

Not a test: it prints figures. Run as root after building:
  sudo python3 bench/showq/run_bench.py [--exporter build/mailpath_exporter]
      [--messages 10000] [--reps 30]

Method: one exporter process (HTTP, only the showq collector) serves the
whole run. At each queue size the script alternates a raw read (a Python
socket reading public/showq to EOF) with a GET /metrics, `reps` times each,
and reports medians; RSS is VmRSS from /proc/<pid>/status after those scrapes.
Acceptance (issue 3): scrape <= 1.1x raw read at 10,000 messages, and RSS
growth < 2 MB between 10 and 10,000 messages.
"""

import argparse
import os
import smtplib
import socket
import statistics
import subprocess
import sys
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))
import private_postfix as pp  # noqa: E402


def raw_read(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    n = 0
    while True:
        b = s.recv(65536)
        if not b:
            break
        n += len(b)
    s.close()
    return n


def scrape(port):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=120) as r:
        return r.read()


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return -1


def measure(postfix, port, pid, reps):
    raw_t, scrape_t = [], []
    size = raw_read(postfix.showq_path)
    body = scrape(port)
    for _ in range(reps):
        t = time.perf_counter()
        raw_read(postfix.showq_path)
        raw_t.append(time.perf_counter() - t)
        t = time.perf_counter()
        body = scrape(port)
        scrape_t.append(time.perf_counter() - t)
    return {
        "stream_bytes": size,
        "raw_median_s": statistics.median(raw_t),
        "scrape_median_s": statistics.median(scrape_t),
        "rss_kib": rss_kib(pid),
        "depth_line": next((l for l in body.decode().splitlines()
                            if l.startswith('postfix_showq_queue_depth{queue="hold"}')), ""),
    }


def fill_hold(postfix, total):
    """Submits messages over one SMTP session until `total` are held."""
    have = len([m for m in postfix.queue_json() if m["queue_name"] == "hold"])
    with smtplib.SMTP("127.0.0.1", postfix.smtpd_port, timeout=60) as s:
        for i in range(have, total):
            s.sendmail("bench@src.test", [f"u{i}@hold.test"],
                       f"Subject: bench {i}\r\n\r\nbody {i}\r\n")
    deadline = time.time() + 600
    while time.time() < deadline:
        n = len([m for m in postfix.queue_json() if m["queue_name"] == "hold"])
        if n >= total:
            return
        time.sleep(1)
    raise RuntimeError("messages did not reach the hold queue")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--exporter", default=os.path.join(ROOT, "build", "mailpath_exporter"))
    ap.add_argument("--messages", type=int, default=10000)
    ap.add_argument("--reps", type=int, default=30)
    args = ap.parse_args()

    postfix = pp.PrivatePostfix({}, extra_main_cf="smtpd_client_connection_count_limit = 0\n"
                                                  "smtpd_client_message_rate_limit = 0\n")
    exporter = None
    try:
        postfix.start()
        port = pp.free_port()
        exporter = subprocess.Popen([args.exporter, f"--web.listen-address=127.0.0.1:{port}",
                                     "--collector.disable-defaults", "--collector.showq",
                                     f"--postfix.showq_path={postfix.showq_path}"],
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(300):
            try:
                scrape(port)
                break
            except OSError:
                time.sleep(0.1)
        results = {}
        for n in (10, args.messages):
            t = time.time()
            fill_hold(postfix, n)
            print(f"# {n} held messages ready after {time.time() - t:.1f}s", flush=True)
            results[n] = measure(postfix, port, exporter.pid, args.reps)
        small, big = results[10], results[args.messages]
        for n, r in results.items():
            print(f"messages={n} stream_bytes={r['stream_bytes']} "
                  f"raw_read_ms={r['raw_median_s'] * 1e3:.2f} "
                  f"scrape_ms={r['scrape_median_s'] * 1e3:.2f} "
                  f"ratio={r['scrape_median_s'] / r['raw_median_s']:.3f} "
                  f"rss_kib={r['rss_kib']}  [{r['depth_line']}]")
        print(f"scrape/raw at {args.messages}: "
              f"{big['scrape_median_s'] / big['raw_median_s']:.3f} (target <= 1.1)")
        print(f"rss growth 10 -> {args.messages}: {big['rss_kib'] - small['rss_kib']} KiB "
              f"(target < 2048)")
        print(f"per message: raw {big['raw_median_s'] / args.messages * 1e6:.1f} us, "
              f"scrape {big['scrape_median_s'] / args.messages * 1e6:.1f} us")
    finally:
        if exporter:
            exporter.terminate()
            exporter.wait(timeout=30)
        postfix.cleanup()


if __name__ == "__main__":
    main()
