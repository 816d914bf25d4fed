"""The live demo as a new user runs it (deploy/demo/demo.sh start, then stop): metrics from every
collector reach Prometheus, at least one alert fires, and stop leaves nothing running."""

import os
import re
import subprocess

import mailpath_testlib as lib

DEMO = os.path.join(lib.SOURCE_DIR, "deploy", "demo", "demo.sh")
COLLECTORS = ("dovecot", "logs", "postfix", "process", "showq", "tcp")


def test_demo_start_shows_every_collector_and_a_firing_alert_and_stop_cleans_up():
    env = dict(os.environ, MAILPATH_EXPORTER=lib.exporter_path())  # built already: no setup/build step
    try:
        start = subprocess.run([DEMO, "start"], capture_output=True, text=True, timeout=420, env=env)
        out = start.stdout
        assert start.returncode == 0, out + start.stderr
        state = re.search(r"sandbox in (\S+)\)", out).group(1)
        for c in COLLECTORS:
            assert re.search("'collector': '" + c + r"'.*\} 1$", out, re.M), f"collector {c} not up:\n{out}"
        firing = re.findall(r"'alertname': '(\w+)', 'alertstate': 'firing'", out)
        assert firing, out
        print("firing:", sorted(set(firing)))
    finally:
        stop = subprocess.run([DEMO, "stop"], capture_output=True, text=True, timeout=120, env=env)
    assert stop.returncode == 0 and "nothing left running" in stop.stdout, stop.stdout + stop.stderr
    assert not os.path.exists(state)
    assert subprocess.run(["pgrep", "-f", state], capture_output=True).returncode == 1, "processes left"
