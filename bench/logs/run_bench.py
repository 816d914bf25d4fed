#!/usr/bin/env python3
"""Log-ingest benchmark: one generated mail log through every tool, in the same run.

  (a) ours, replay:  mailpath_exporter --replay FILE (collectors postfix + dovecot + logs)
  (b) ours, tail:    the exporter follows an empty file; the log is appended; done when
                     mailpath_log_lines_total reaches the line count
  (c) prometheus-postfix-exporter (Debian), tail mode: same, done when its counters stop moving
  (d) mtail with its packaged Postfix program, --one_shot
  (e) grep -c status=sent, the floor

For each: CPU-seconds (user + sys of the process), wall time and peak RSS, median of --runs runs,
and what it counted of the generator's ground truth. Prints a markdown table with ours/peer ratios.
Not a test: ratios and medians, never an assertion on time. It exits 1 only when our exporter's
counts differ from the generator's ground truth or replay and tail disagree (correctness).

Usage: bench/logs/run_bench.py [--lines 1000000] [--runs 3] [--format rfc3339] [--smoke]
       [--exporter build/mailpath_exporter] [--tools ours,tail,kumina,mtail,grep]
       [--json OUT.json] [--markdown OUT.md]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))
from loopback_ports import free_port  # noqa: E402  (the tests' allocator)
CLK_TCK = os.sysconf("SC_CLK_TCK")
TIME = "/usr/bin/time"  # GNU time (Debian package "time")
OUR_COLLECTORS = ["--collector.disable-defaults", "--collector.postfix", "--collector.dovecot", "--collector.logs"]
MTAIL_PROGRAM_CANDIDATES = ["/usr/share/doc/mtail/examples/postfix.mtail",
                            "/usr/share/mtail/examples/postfix.mtail"]
SAMPLE_RE = re.compile(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$")
LABEL_RE = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


# ---- exposition helpers ---------------------------------------------------------------------------
def parse_exposition(text: str) -> list[tuple[str, dict, float]]:
    out = []
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        m = SAMPLE_RE.match(line)
        if not m:
            continue
        labels = dict(LABEL_RE.findall(m.group(3) or ""))
        try:
            out.append((m.group(1), labels, float(m.group(4))))
        except ValueError:
            pass
    return out


def total(samples, name, **want) -> float:
    return sum(v for n, l, v in samples if n == name and all(l.get(k) == w for k, w in want.items()))


def scrape(port: int) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=30) as r:
        return r.read().decode()


def proc_cpu(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime, stime (fields 14, 15)


def proc_hwm_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


# ---- runners --------------------------------------------------------------------------------------
def run_child(cmd, stdout_path=None, work=None) -> dict:
    """Runs cmd to completion under GNU time (user + sys CPU, peak RSS of that process alone).

    Not os.wait4 from here: Linux carries the forking parent's RSS high-water mark into the child's
    ru_maxrss, which would report this Python process's size for small tools like grep."""
    tfile = tempfile.NamedTemporaryFile(prefix="time-", dir=work, delete=False)
    tfile.close()
    out = open(stdout_path, "w") if stdout_path else subprocess.DEVNULL
    try:
        t = time.perf_counter()
        p = subprocess.run([TIME, "-o", tfile.name, "-f", "%U %S %M", *cmd], stdout=out,
                           stderr=subprocess.DEVNULL)
        wall = time.perf_counter() - t
        with open(tfile.name) as f:
            last = f.read().strip().splitlines()[-1].split()
    finally:
        if stdout_path:
            out.close()
        os.unlink(tfile.name)
    return {"cpu": float(last[0]) + float(last[1]), "wall": wall, "rss_kib": int(last[2]), "rc": p.returncode}


def append_file(src: str, dst: str):
    with open(src, "rb") as s, open(dst, "ab") as d:
        shutil.copyfileobj(s, d, 1 << 20)


def wait_http(port: int, proc, timeout=30.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{proc.args[0]} exited with {proc.returncode}")
        try:
            return scrape(port)
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{proc.args[0]} did not serve /metrics on port {port}")


def ours_replay(exe, log, work) -> dict:
    out = os.path.join(work, "replay.prom")
    r = run_child([exe, *OUR_COLLECTORS, f"--replay={log}"], out, work)
    with open(out) as f:
        r["text"] = f.read()
    return r


def ours_tail(exe, log, work, n_lines) -> dict:
    follow = os.path.join(work, "tail-ours.log")
    open(follow, "w").close()
    port = free_port()
    p = subprocess.Popen([exe, *OUR_COLLECTORS, f"--web.listen-address=127.0.0.1:{port}",
                          f"--postfix.logfile_path={follow}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_http(port, p)
        # Wait until the follower has opened the file (source_up 1) before appending.
        deadline = time.time() + 10
        while total(parse_exposition(scrape(port)), "mailpath_log_source_up") < 1 and time.time() < deadline:
            time.sleep(0.05)
        cpu0 = proc_cpu(p.pid)
        t = time.perf_counter()
        append_file(log, follow)
        deadline = time.time() + 600
        while True:
            text = scrape(port)
            if total(parse_exposition(text), "mailpath_log_lines_total") >= n_lines:
                break
            if time.time() > deadline or p.poll() is not None:
                raise RuntimeError("our exporter did not read the appended lines")
            time.sleep(0.05)
        wall = time.perf_counter() - t
        return {"cpu": proc_cpu(p.pid) - cpu0, "wall": wall, "rss_kib": proc_hwm_kib(p.pid), "rc": 0, "text": text}
    finally:
        p.terminate()
        p.wait()


def kumina_tail(exe, log, work, settle=2.0) -> dict:
    """prometheus-postfix-exporter follows an empty file; done when its postfix_* sums stop moving."""
    follow = os.path.join(work, "tail-kumina.log")
    open(follow, "w").close()
    port = free_port()
    p = subprocess.Popen([exe, f"--web.listen-address=127.0.0.1:{port}", f"--postfix.logfile_path={follow}",
                          f"--postfix.showq_path={os.path.join(work, 'no-showq')}"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def signature(text):
        return sum(v for n, _, v in parse_exposition(text)
                   if n.startswith("postfix_") and n != "postfix_up" and not n.startswith("postfix_showq"))

    try:
        wait_http(port, p)
        time.sleep(1.0)  # its tailer opens the file (at its end) in the background
        cpu0 = proc_cpu(p.pid)
        t = time.perf_counter()
        append_file(log, follow)
        last, last_change, text = -1.0, time.perf_counter(), ""
        deadline = time.time() + 1800
        while True:
            text = scrape(port)
            sig = signature(text)
            now = time.perf_counter()
            if sig != last:
                last, last_change = sig, now
            elif now - last_change >= settle and sig > 0:
                break
            if time.time() > deadline or p.poll() is not None:
                raise RuntimeError("prometheus-postfix-exporter did not settle")
            time.sleep(0.25)
        # Wall time until the counters last moved (the settle wait is not its work).
        return {"cpu": proc_cpu(p.pid) - cpu0, "wall": last_change - t, "rss_kib": proc_hwm_kib(p.pid), "rc": 0,
                "text": text}
    finally:
        p.terminate()
        p.wait()


def mtail_oneshot(exe, log, work) -> dict:
    progs = os.path.join(work, "mtail-progs")
    os.makedirs(progs, exist_ok=True)
    src = next(c for c in MTAIL_PROGRAM_CANDIDATES if os.path.exists(c))
    shutil.copy(src, os.path.join(progs, "postfix.mtail"))
    out = os.path.join(work, "mtail.prom")
    # --one_shot still binds its HTTP port (default :3903): give it a free loopback one.
    r = run_child([exe, "--one_shot", "--one_shot_format=prometheus", f"--progs={progs}", f"--logs={log}",
                   "--address=127.0.0.1", f"--port={free_port()}", "--logtostderr"], out, work)
    with open(out) as f:
        r["text"] = f.read()
    return r


def grep_floor(log, work) -> dict:
    out = os.path.join(work, "grep.out")
    r = run_child(["grep", "-c", "status=sent", log], out, work)
    with open(out) as f:
        r["text"] = f.read()
    return r


# ---- counting what each tool saw --------------------------------------------------------------------
def ours_counts(text, truth) -> dict:
    s = parse_exposition(text)
    routed = total(s, "mailpath_log_lines_total", result="routed")
    unsupported = total(s, "postfix_unsupported_log_entries_total") + \
        total(s, "dovecot_log_lines_total", result="unsupported")
    checks = []
    for e in truth["expect"]:
        got = total(s, e["metric"], **e["labels"])
        checks.append({**e, "got": got, "ok": got == e["value"]})
    checks.append({"metric": "mailpath_log_lines_total", "labels": {"result": "routed"}, "value": truth["routed"],
                   "got": routed, "ok": routed == truth["routed"]})
    fg = total(s, "mailpath_log_lines_total", result="foreign")
    checks.append({"metric": "mailpath_log_lines_total", "labels": {"result": "foreign"}, "value": truth["foreign"],
                   "got": fg, "ok": fg == truth["foreign"]})
    return {"routed": routed, "unsupported": unsupported,
            "classified_fraction": (routed - unsupported) / routed if routed else 0.0, "checks": checks,
            "key": key_events(s, ours=True)}


def key_events(s, ours: bool) -> dict:
    """Events every tool counts, read from each tool's own series.

    Neither peer version has a delivery-status counter, but both observe the four delay stages of
    every smtp/lmtp delivery line (4 histogram observations per line); we count postfix_deliveries_total."""
    if ours:
        smtp = total(s, "postfix_deliveries_total", daemon="smtp")
        lmtp = total(s, "postfix_deliveries_total", daemon="lmtp")
    else:
        smtp = total(s, "postfix_smtp_delivery_delay_seconds_count") / 4
        lmtp = total(s, "postfix_lmtp_delivery_delay_seconds_count") / 4
    return {
        "smtp_deliveries": smtp,
        "lmtp_deliveries": lmtp,
        "smtpd_connects": total(s, "postfix_smtpd_connects_total"),
        "qmgr_removed": total(s, "postfix_qmgr_messages_removed_total"),
        "sasl_failures": total(s, "postfix_smtpd_sasl_authentication_failures_total"),
        "cleanup": total(s, "postfix_cleanup_messages_processed_total"),
    }


def truth_key(truth) -> dict:
    ev = truth["events"]
    return {"smtp_deliveries": ev.get("smtp_sent", 0) + ev.get("smtp_deferred", 0) + ev.get("smtp_bounced", 0),
            "lmtp_deliveries": ev.get("lmtp_sent", 0),
            "smtpd_connects": ev.get("smtpd_connect", 0), "qmgr_removed": ev.get("qmgr_removed", 0),
            "sasl_failures": ev.get("sasl_fail", 0), "cleanup": ev.get("cleanup", 0)}


def families_for_equality(text):
    """Our postfix_* / dovecot_* samples (the log-derived ones), for replay == tail."""
    return sorted((n, tuple(sorted(l.items())), v) for n, l, v in parse_exposition(text)
                  if n.startswith(("postfix_", "dovecot_")))


# ---- main ---------------------------------------------------------------------------------------------
def tool_version(cmd) -> str:
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=20)
        return (out.stdout + out.stderr).strip().splitlines()[0]
    except (OSError, IndexError, subprocess.TimeoutExpired):
        return "?"


def deb_version(pkg) -> str:
    out = subprocess.run(["dpkg-query", "-W", "-f=${Version}", pkg], capture_output=True, text=True)
    return out.stdout.strip() or "not installed"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="log ingest benchmark")
    ap.add_argument("--lines", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--format", choices=["rfc3339", "rfc3164", "postlog"], default="rfc3339")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--exporter", default=os.path.join(ROOT, "build", "mailpath_exporter"))
    ap.add_argument("--kumina", default="/usr/bin/prometheus-postfix-exporter")
    ap.add_argument("--mtail", default="/usr/bin/mtail")
    ap.add_argument("--tools", default="ours,tail,kumina,mtail,grep")
    ap.add_argument("--cardinality", action=argparse.BooleanOptionalAction, default=True,
                    help="also replay a file with as many distinct hosts, users and domains as lines "
                         "(issue #4: series stay under the caps)")
    ap.add_argument("--smoke", action="store_true", help="tiny size, ours + grep, one run (for CI)")
    ap.add_argument("--json", help="write all results here")
    ap.add_argument("--markdown", help="write the table here")
    ap.add_argument("--workdir", help="keep the generated log and outputs here")
    args = ap.parse_args(argv)
    if args.smoke:
        args.lines, args.runs, args.tools, args.cardinality = 3000, 1, "ours,tail,grep", False
    tools = args.tools.split(",")
    exe = os.path.abspath(args.exporter)

    work = args.workdir or tempfile.mkdtemp(prefix="mailpath-bench-logs-")
    os.makedirs(work, exist_ok=True)
    try:
        log = os.path.join(work, f"mail-{args.format}.log")
        subprocess.run([sys.executable, os.path.join(HERE, "gen_logs.py"), "-o", log, "-n", str(args.lines),
                        "--seed", str(args.seed), "--format", args.format], check=True)
        with open(log + ".truth.json") as f:
            truth = json.load(f)
        n = truth["lines"]
        results: dict[str, list] = {t: [] for t in tools}
        for i in range(args.runs):
            # Interleave the tools in each round so machine noise spreads over all of them.
            for t in tools:
                if t == "ours":
                    results[t].append(ours_replay(exe, log, work))
                elif t == "tail":
                    results[t].append(ours_tail(exe, log, work, n))
                elif t == "kumina":
                    results[t].append(kumina_tail(args.kumina, log, work))
                elif t == "mtail":
                    results[t].append(mtail_oneshot(args.mtail, log, work))
                elif t == "grep":
                    results[t].append(grep_floor(log, work))
                print(f"# run {i + 1}/{args.runs} {t}: cpu {results[t][-1]['cpu']:.3f}s "
                      f"wall {results[t][-1]['wall']:.3f}s rss {results[t][-1]['rss_kib']} KiB", file=sys.stderr,
                      flush=True)
        summary = summarize(results, truth, tools)
        if args.cardinality and "ours" in tools:
            c = summary["cardinality"] = cardinality(exe, work, args)
            if c["exact"] != c["checks"]:
                summary["correctness"]["failures"].append(
                    f"distinct-values log: {c['checks'] - c['exact']} ground-truth series differ")
            summary["correctness"]["failures"] += [
                f"distinct-values log: {k} has {v} values, more than the default cap 20 + other"
                for k, v in c["bounded_values"].items() if v > 21]
        summary["machine"] = machine()
        summary["versions"] = {
            "mailpath_exporter": tool_version([exe, "--version"]),
            "prometheus-postfix-exporter": deb_version("prometheus-postfix-exporter") if "kumina" in tools else "-",
            "mtail": tool_version([args.mtail, "--version"]) if "mtail" in tools else "-",
            "grep": tool_version(["grep", "--version"]),
        }
        summary["lines"], summary["format"], summary["runs"] = n, args.format, args.runs
        md = markdown(summary, tools)
        print(md)
        if args.markdown:
            with open(args.markdown, "w") as f:
                f.write(md)
        if args.json:
            with open(args.json, "w") as f:
                json.dump(summary, f, indent=1)
        bad = summary["correctness"]["failures"]
        for b in bad:
            print(f"MISMATCH: {b}", file=sys.stderr)
        return 1 if bad else 0
    finally:
        if not args.workdir:
            shutil.rmtree(work, ignore_errors=True)


BOUNDED = [("postfix_sasl_user_auth_failures_total", "sasl_username"),
           ("postfix_sasl_user_messages_total", "sasl_username"),
           ("postfix_client_network_limit_hits_total", "network"),
           ("postfix_remote_throttling_by_domain_total", "domain")]


def cardinality(exe, work, args) -> dict:
    """Replays a log with --lines distinct hosts, users and domains; counts series and bounded values."""
    log = os.path.join(work, f"mail-distinct-{args.format}.log")
    subprocess.run([sys.executable, os.path.join(HERE, "gen_logs.py"), "-o", log, "-n", str(args.lines),
                    "--seed", str(args.seed + 1), "--format", args.format, "--hosts", str(args.lines),
                    "--users", str(args.lines), "--domains", str(args.lines)], check=True)
    with open(log + ".truth.json") as f:
        truth = json.load(f)
    runs = [ours_replay(exe, log, work) for _ in range(args.runs)]
    s = parse_exposition(runs[-1]["text"])
    values = {f"{n}{{{label}}}": len({l.get(label) for name, l, _ in s if name == n}) for n, label in BOUNDED}
    checks = ours_counts(runs[-1]["text"], truth)["checks"]
    return {"lines": truth["lines"], "distinct": truth["distinct"], "samples": len(s), "bounded_values": values,
            "cpu": statistics.median(r["cpu"] for r in runs), "rss_kib": statistics.median(r["rss_kib"] for r in runs),
            "exact": sum(1 for c in checks if c["ok"]), "checks": len(checks)}


def machine() -> dict:
    cpu = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return {"cpu": cpu, "cores": os.cpu_count(), "kernel": os.uname().release,
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}


def summarize(results, truth, tools) -> dict:
    rows = {}
    failures = []
    tk = truth_key(truth)
    for t in tools:
        rs = results[t]
        row = {"cpu": statistics.median(r["cpu"] for r in rs), "wall": statistics.median(r["wall"] for r in rs),
               "rss_kib": statistics.median(r["rss_kib"] for r in rs), "cpu_all": [r["cpu"] for r in rs]}
        last = rs[-1]["text"]
        if t in ("ours", "tail"):
            c = ours_counts(last, truth)
            row["counts"] = {k: v for k, v in c.items() if k != "checks"}
            row["checks"] = c["checks"]
            failures += [f"{t}: {x['metric']}{x['labels']} = {x['got']:g}, generator says {x['value']}"
                         for x in c["checks"] if not x["ok"]]
            for r in rs:
                if r["rc"] != 0:
                    failures.append(f"{t}: exit code {r['rc']}")
            row["key"] = c["key"]
        elif t in ("kumina", "mtail"):
            s = parse_exposition(last)
            row["key"] = key_events(s, ours=False)
            row["unsupported"] = total(s, "postfix_unsupported_log_entries_total")
        elif t == "grep":
            row["key"] = {"status_sent_lines": int(last.strip() or 0)}
        rows[t] = row
    if "ours" in tools and "tail" in tools:
        a = families_for_equality(results["ours"][-1]["text"])
        b = families_for_equality(results["tail"][-1]["text"])
        if a != b:
            diff = sorted(set(a) ^ set(b))[:10]
            failures.append(f"replay and tail differ in {len(set(a) ^ set(b))} samples, e.g. {diff}")
    return {"rows": rows, "truth_key": tk, "truth_programs": truth["programs"],
            "correctness": {"failures": failures}}


def markdown(s, tools) -> str:
    rows, n = s["rows"], s["lines"]
    per_m = 1e6 / n
    names = {"ours": "mailpath_exporter `--replay`", "tail": "mailpath_exporter tail (follow + append)",
             "kumina": "prometheus-postfix-exporter (tail)", "mtail": "mtail `--one_shot` + postfix.mtail",
             "grep": "`grep -c status=sent` (floor)"}
    tk = s["truth_key"]
    out = [f"Log ingest: {n:,} lines, {s['format']} envelope, median of {s['runs']} run(s); "
           f"programs in the file: {s['truth_programs']}.", ""]
    out.append("| tool | CPU-s | CPU-s per 1M lines | wall s | peak RSS | tool CPU / ours (replay) | "
               "key events counted |")
    out.append("|---|---|---|---|---|---|---|")
    ours_cpu = rows["ours"]["cpu"] if "ours" in rows else None
    for t in tools:
        r = rows[t]
        ratio = f"{r['cpu'] / ours_cpu:.2f}x" if ours_cpu and t != "ours" else "-"
        if t == "grep":
            counted = f"{r['key']['status_sent_lines']:,} status=sent lines"
        else:
            got = sum(r["key"].values())
            want = sum(tk.values())
            counted = f"{got:,.0f} of {want:,} ({100 * got / want:.1f} %)" if want else "-"
            if "unsupported" in r:
                counted += f"; {r['unsupported']:,.0f} lines reported unsupported"
        out.append(f"| {names[t]} | {r['cpu']:.3f} | {r['cpu'] * per_m:.3f} | {r['wall']:.3f} | "
                   f"{r['rss_kib'] / 1024:.1f} MiB | {ratio} | {counted} |")
    out.append("")
    out.append("Key events = smtp and lmtp delivery lines (ours: postfix_deliveries_total; the peers have no "
               "status counter, so their delay-histogram observations / 4 stages) + smtpd connects + qmgr removed "
               f"+ SASL failures + cleanup message-ids, under the peer's metric names; generator truth: {tk}.")
    if "ours" in rows:
        c = rows["ours"]["counts"]
        out.append(f"Ours: {c['classified_fraction'] * 100:.3f} % of {c['routed']:,.0f} routed Postfix/Dovecot lines "
                   f"classified ({c['unsupported']:,.0f} unsupported); "
                   f"{sum(1 for x in rows['ours']['checks'] if x['ok'])}/{len(rows['ours']['checks'])} "
                   "ground-truth series exact.")
    out.append("")
    out.append("Targets (issue #4 / #9):")
    out.append("")
    targets = []
    if "ours" in rows and rows["ours"]["cpu"] <= 0:
        out.append("(the replay took less CPU than the timer resolves: ratios need a larger --lines)")
    elif "ours" in rows:
        ours = rows["ours"]["cpu"]
        targets.append(("replay <= 0.6 CPU-s per 1M lines", f"{ours * per_m:.3f}", ours * per_m <= 0.6))
        if "kumina" in rows:
            x = rows["kumina"]["cpu"] / ours
            targets.append((">= 10x fewer CPU-s than prometheus-postfix-exporter", f"{x:.1f}x", x >= 10))
        if "mtail" in rows:
            x = rows["mtail"]["cpu"] / ours
            targets.append((">= 20x fewer CPU-s than mtail", f"{x:.1f}x", x >= 20))
        if "grep" in rows and rows["grep"]["cpu"] > 0:
            x = ours / rows["grep"]["cpu"]
            targets.append(("within 5x of grep -c", f"{x:.1f}x", x <= 5))
        if "tail" in rows:
            x = rows["tail"]["cpu"] / ours
            targets.append(("tail <= 1.5x replay CPU", f"{x:.2f}x", x <= 1.5))
    out.append("| target | measured | met |")
    out.append("|---|---|---|")
    for name, val, ok in targets:
        out.append(f"| {name} | {val} | {'yes' if ok else '**MISSED**'} |")
    if "cardinality" in s:
        c = s["cardinality"]
        out.append("")
        out.append(f"High cardinality (issue #4): {c['lines']:,} lines drawing on {c['distinct']['hosts']:,} distinct "
                   f"client addresses, {c['distinct']['users']:,} users and {c['distinct']['domains']:,} domains: "
                   f"`--replay` {c['cpu']:.3f} CPU-s, {c['rss_kib'] / 1024:.1f} MiB peak RSS, {c['samples']} samples "
                   f"in the whole exposition; distinct values of the bounded labels (default caps 20, plus "
                   f"`other`): " + ", ".join(f"`{k}` {v}" for k, v in c["bounded_values"].items()) +
                   f"; {c['exact']}/{c['checks']} ground-truth series exact.")
    if s["correctness"]["failures"]:
        out.append("")
        out.append("Correctness failures: " + "; ".join(s["correctness"]["failures"]))
    elif "tail" in rows:
        out.append("")
        out.append("Replay and tail mode produced identical postfix_*/dovecot_* samples.")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    sys.exit(main())
