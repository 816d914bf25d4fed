"""The log-ingest benchmark keeps working: generator determinism, ground truth vs our exporter in
all three envelopes, and bench/logs/run_bench.py --smoke end to end (ours replay + tail, grep).
No timing assertions: the benchmark's numbers are reported in docs/benchmarks.md, never tested."""

import json
import os
import subprocess
import sys
import tempfile

import pytest

import mailpath_testlib as lib

BENCH = os.path.join(lib.SOURCE_DIR, "bench", "logs")
GEN = os.path.join(BENCH, "gen_logs.py")
COLLECTORS = ["--collector.disable-defaults", "--collector.postfix", "--collector.dovecot", "--collector.logs"]


def generate(path, lines, seed=7, fmt="rfc3339", **kw):
    extra = [f"--{k}={v}" for k, v in kw.items()]
    subprocess.run([sys.executable, GEN, "-o", path, "-n", str(lines), "--seed", str(seed), "--format", fmt,
                    *extra], check=True, capture_output=True)
    with open(path + ".truth.json") as f:
        return json.load(f)


def total(samples, name, **want):
    return sum(v for (n, labels), v in samples.items()
               if n == name and all(dict(labels).get(k) == w for k, w in want.items()))


def test_generator_is_deterministic_and_seeded():
    with tempfile.TemporaryDirectory() as d:
        a, b, c = (os.path.join(d, x) for x in "abc")
        ta = generate(a, 1500, seed=3)
        generate(b, 1500, seed=3)
        generate(c, 1500, seed=4)
        with open(a, "rb") as fa, open(b, "rb") as fb, open(c, "rb") as fc:
            da, db, dc = fa.read(), fb.read(), fc.read()
    assert da == db
    assert da != dc
    assert ta["lines"] == da.count(b"\n") >= 1500
    assert sum(ta["programs"].values()) == ta["lines"]


@pytest.mark.parametrize("fmt", ["rfc3339", "rfc3164", "postlog"])
def test_replay_matches_generator_ground_truth(fmt):
    with tempfile.TemporaryDirectory() as d:
        log = os.path.join(d, "mail.log")
        truth = generate(log, 4000, seed=11, fmt=fmt, hosts=300, users=50, domains=40)
        proc = subprocess.run([lib.exporter_path(), *COLLECTORS, f"--replay={log}"], capture_output=True,
                              text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    samples = lib.parse_exposition(proc.stdout)
    # Every kind of event the generator emits must be in the file, or the comparison proves little.
    for e in truth["expect"]:
        assert e["value"] > 0, f"generator emitted no {e['metric']}{e['labels']} at this size"
        got = total(samples, e["metric"], **e["labels"])
        assert got == e["value"], f"{fmt}: {e['metric']}{e['labels']} = {got}, generator says {e['value']}"
    assert total(samples, "mailpath_log_lines_total", result="routed") == truth["routed"]
    assert total(samples, "mailpath_log_lines_total", result="foreign") == truth["foreign"]
    assert total(samples, "mailpath_log_lines_total", result="malformed") == 0
    unsupported = total(samples, "postfix_unsupported_log_entries_total") + \
        total(samples, "dovecot_log_lines_total", result="unsupported")
    assert unsupported <= 0.01 * truth["routed"]


def test_run_bench_smoke_counts_match_and_replay_equals_tail():
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "r.json")
        md = os.path.join(d, "r.md")
        proc = subprocess.run([sys.executable, os.path.join(BENCH, "run_bench.py"), "--smoke",
                               f"--exporter={lib.exporter_path()}", f"--json={out}", f"--markdown={md}"],
                              capture_output=True, text=True, timeout=600)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        with open(out) as f:
            r = json.load(f)
        with open(md) as f:
            table = f.read()
    assert r["correctness"]["failures"] == []
    for tool in ("ours", "tail"):
        row = r["rows"][tool]
        assert row["checks"] and all(c["ok"] for c in row["checks"]), row["checks"]
        assert row["counts"]["classified_fraction"] >= 0.99
        assert row["key"] == r["truth_key"]
    # grep -c status=sent counts smtp and lmtp sent lines: the same events our deliveries count.
    sent = sum(c["value"] for c in r["rows"]["ours"]["checks"]
               if c["metric"] == "postfix_deliveries_total" and c["labels"].get("status") == "sent")
    assert r["rows"]["grep"]["key"]["status_sent_lines"] == sent > 0
    assert "| mailpath_exporter `--replay` |" in table
