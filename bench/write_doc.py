#!/usr/bin/env python3
"""Assembles docs/benchmarks.md from the outputs bench/run_all.sh collected in one directory:
logs.json + logs.md (bench/logs/run_bench.py), showq.txt (bench/showq/run_bench.py), tcp.txt
(bench/tcp/run_bench.py), and the hand-written bench/NOTES.md (method, profiles, history).
Every target is evaluated here and a miss is listed under "Misses", not hidden."""

import argparse
import glob
import json
import os
import re
import subprocess
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def read(path):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return None


def showq_targets(text, messages):
    misses, rows = [], []
    m = re.search(r"scrape/raw at \d+: ([0-9.]+)", text or "")
    if m:
        ratio = float(m.group(1))
        rows.append(("showq scrape <= 1.1x raw socket read", f"{ratio:.3f}x", ratio <= 1.1))
    g = re.search(r"rss growth 10 -> \d+: (-?\d+) KiB", text or "")
    if g:
        kib = int(g.group(1))
        rows.append((f"showq RSS flat in queue size (growth 10 -> {messages} < 2 MiB)", f"{kib} KiB", kib < 2048))
    if not rows:
        misses.append("showq: no result (see its output)")
    return rows, misses


def tcp_targets(text):
    rows, misses = [], []
    table = [l for l in (text or "").splitlines() if l.startswith("| ") and "ms" in l]
    if not table:
        return rows, ["sock_diag: no result (see its output)"]
    last = [c.strip() for c in table[-1].strip("|").split("|")]
    # | connections | sockets | mail sockets | scrape | RSS | ss filtered | ratio | ss all |
    sockets = last[1]
    scrape_ms = float(last[3].split()[0])
    rss_mb = float(last[4].split()[0])
    ratio = float(last[6].rstrip("x"))
    rows.append((f"sock_diag scrape <= 25 ms at {sockets} sockets", f"{scrape_ms:.1f} ms", scrape_ms <= 25))
    rows.append((f"sock_diag RSS <= 10 MB at {sockets} sockets", f"{rss_mb:.1f} MB", rss_mb <= 10))
    rows.append(("sock_diag <= 1.0x `ss -tin` with the same filter", f"{ratio:.2f}x", ratio <= 1.0))
    return rows, misses


def logs_targets(summary):
    rows = []
    r = summary["rows"]
    per_m = 1e6 / summary["lines"]
    if "ours" not in r or r["ours"]["cpu"] <= 0:
        return rows
    ours = r["ours"]["cpu"]
    rows.append(("log replay <= 0.6 CPU-s per 1M lines (postfix + dovecot classifiers)",
                 f"{ours * per_m:.3f} CPU-s", ours * per_m <= 0.6))
    if "kumina" in r:
        x = r["kumina"]["cpu"] / ours
        rows.append((">= 10x fewer CPU-s than prometheus-postfix-exporter", f"{x:.1f}x", x >= 10))
    if "mtail" in r:
        x = r["mtail"]["cpu"] / ours
        rows.append((">= 20x fewer CPU-s than mtail", f"{x:.1f}x", x >= 20))
    if "grep" in r and r["grep"]["cpu"] > 0:
        x = ours / r["grep"]["cpu"]
        rows.append(("within 5x of `grep -c` on the same file", f"{x:.1f}x", x <= 5))
    if "tail" in r:
        x = r["tail"]["cpu"] / ours
        rows.append(("tail mode <= 1.5x replay CPU", f"{x:.2f}x", x <= 1.5))
    if "ours" in r and "counts" in r["ours"]:
        f = r["ours"]["counts"]["classified_fraction"]
        rows.append((">= 99 % of generated Postfix/Dovecot lines classified", f"{f * 100:.3f} %", f >= 0.99))
    return rows


def http_targets(text):
    m = re.search(r"TARGETS idle_rss_mib=([\d.]+) p99_ms=([\d.]+)", text or "")
    if not m:
        return [], ["HTTP: no result"]
    rss, p99 = float(m.group(1)), float(m.group(2))
    return [("idle RSS <= 10 MB", f"{rss:.1f} MiB", rss <= 10.0),
            ("p99 scrape latency, all collectors, 20 concurrent scrapers <= 10 ms", f"{p99:.2f} ms", p99 <= 10.0)], []



def platform():
    """The distribution and the mail stack's versions of the machine the bench ran on."""
    name = "?"
    try:
        with open("/etc/os-release") as f:
            name = dict(line.rstrip("\n").split("=", 1) for line in f if "=" in line)["PRETTY_NAME"].strip('"')
    except (OSError, KeyError):
        pass

    def version(*cmd):
        try:
            out = subprocess.run(list(cmd), capture_output=True, text=True, timeout=10).stdout.strip()
        except OSError:
            return "?"
        return out.splitlines()[0].split(" = ")[-1].split(" (")[0] if out else "?"

    return (f"{name}; Postfix {version('postconf', '-d', 'mail_version')}, Dovecot {version('dovecot', '--version')}, "
            f"{' '.join(version('openssl', 'version').split()[:2])}")

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    ap.add_argument("--output", required=True)
    ap.add_argument("--showq-messages", default="10000")
    args = ap.parse_args()

    logs_json = read(os.path.join(args.dir, "logs.json"))
    logs = json.loads(logs_json) if logs_json else None
    logs_md = read(os.path.join(args.dir, "logs.md"))
    showq = read(os.path.join(args.dir, "showq.txt"))
    tcp = read(os.path.join(args.dir, "tcp.txt"))
    http = read(os.path.join(args.dir, "http.txt"))
    notes = read(os.path.join(HERE, "NOTES.md"))

    targets, misses = [], []
    if logs:
        targets += logs_targets(logs)
        misses += [f"log ingest: {f}" for f in logs["correctness"]["failures"]]
    else:
        misses.append("log ingest: no result")
    if showq is not None:
        t, m = showq_targets(showq, args.showq_messages)
        targets += t
        misses += m
    if tcp is not None:
        t, m = tcp_targets(tcp)
        targets += t
        misses += m
    if http is not None:
        t, m = http_targets(http)
        targets += t
        misses += m
    for path in sorted(glob.glob(os.path.join(args.dir, "logs-*.json"))):
        fmt = os.path.basename(path)[len("logs-"):-len(".json")]
        misses += [f"log ingest ({fmt}): {f}" for f in json.loads(read(path))["correctness"]["failures"]]
    misses += [f"{name}: measured {val}" for name, val, ok in targets if not ok]

    machine = logs["machine"] if logs else {}
    machine.setdefault("platform", platform())
    versions = logs["versions"] if logs else {}
    out = ["# Benchmarks", "",
           "Generated by `sudo bench/run_all.sh` (one command: installs the peers, builds, runs every bench and "
           "writes this file). The machine is shared and noisy: read the ratios and medians, not single "
           "absolute times.", "",
           f"- Date: {machine.get('date', time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime()))}",
           f"- Platform: {machine['platform']} (every figure below was measured on it)",
           f"- CPU: {machine.get('cpu', '?')} ({machine.get('cores', '?')} cores), kernel {machine.get('kernel', '?')}"]
    for k, v in versions.items():
        out.append(f"- {k}: {v}")
    out += ["", "## Targets", "", "| target | measured | met |", "|---|---|---|"]
    out += [f"| {n} | {v} | {'yes' if ok else '**MISSED**'} |" for n, v, ok in targets]
    out += ["", "### Misses", ""]
    out += [f"- {m}" for m in misses] if misses else ["None in this run."]
    out.append("")
    out += ["## Log ingest", "", "`bench/logs/run_bench.py`: a seeded generated log (`bench/logs/gen_logs.py`) "
            "through our `--replay`, our tail mode (follow an empty file, append the log, stop when "
            "`mailpath_log_lines_total` reaches the line count), prometheus-postfix-exporter in tail mode "
            "(stop when its counters stop moving), mtail `--one_shot` with its packaged Postfix program, "
            "and `grep -c`. CPU-s = user + sys of that process (GNU time for one-shot tools, "
            "/proc/PID/stat deltas for daemons); peak RSS = VmHWM / ru_maxrss.", ""]
    out += [(logs_md or "(no result)").rstrip(), ""]
    for path in sorted(glob.glob(os.path.join(args.dir, "logs-*.md"))):
        fmt = os.path.basename(path)[len("logs-"):-len(".md")]
        out += [f"### Other envelope: {fmt}", "", "The same comparison (targets are judged on the first table "
                "only); prometheus-postfix-exporter and mtail were written for this classic syslog shape.", ""]
        out += [read(path).rstrip(), ""]
    out += ["## showq", "", f"`bench/showq/run_bench.py --messages {args.showq_messages}`: a private Postfix with "
            "held messages; one exporter scrape (showq collector only) vs a raw read of `public/showq` to EOF, "
            "medians of 30, and the exporter's RSS at both queue sizes.", "", "```"]
    out.append((showq or "(skipped)").rstrip())
    out += ["```", "", "## sock_diag", "", "`bench/tcp/run_bench.py`: N established loopback connections (2N "
            "sockets) in a private network namespace, 1 % on mail ports; the tcp collector's scrape duration "
            "and RSS vs `ss -tin` with the same port filter and unfiltered.", ""]
    out.append((tcp or "(skipped)").rstrip())
    out += ["", "## Idle footprint and scrape latency", "", "`bench/http/run_bench.py`: ours and "
            "prometheus-postfix-exporter on the same private Postfix and the same log file; idle RSS and CPU "
            "over a minute, then `wrk --latency` with 20 connections against each /metrics.", ""]
    out.append(re.sub(r"\nTARGETS .*", "", http or "(skipped)").rstrip())
    out.append("")
    if notes:
        out += [notes.rstrip(), ""]
    with open(args.output, "w") as f:
        f.write("\n".join(out))


if __name__ == "__main__":
    main()
