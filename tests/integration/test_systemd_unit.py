"""The systemd unit in deploy/: valid (systemd-analyze verify) and hardened
(systemd-analyze security --offline=true rates it at most 2.0)."""

import os
import re
import subprocess
import tempfile

import mailpath_testlib as lib

UNIT = os.path.join(lib.SOURCE_DIR, "deploy", "systemd", "mailpath_exporter.service")
MAX_EXPOSURE = 2.0


def exposure(unit_path):
    """Returns (score, full report) of `systemd-analyze security --offline=true`."""
    proc = subprocess.run(["systemd-analyze", "security", "--offline=true", "--no-pager", unit_path],
                          capture_output=True, text=True, timeout=60)
    report = proc.stdout + proc.stderr
    m = re.search(r"Overall exposure level for \S+: (\d+(?:\.\d+)?) ", report)
    assert m, report
    return float(m.group(1)), report


def directives(unit_path):
    """The unit's Key=Value lines as a dict of lists (repeated keys kept)."""
    out = {}
    with open(unit_path) as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith(("#", ";", "[")):
                key, _, value = line.partition("=")
                out.setdefault(key, []).append(value)
    return out


def test_exposure_score_is_at_most_two():
    score, report = exposure(UNIT)
    assert score <= MAX_EXPOSURE, report


def test_score_parser_sees_a_weak_unit_as_exposed():
    # The same unit stripped of its hardening must score far worse: the parser
    # reads the real figure, not a constant.
    with tempfile.TemporaryDirectory() as tmp:
        weak = os.path.join(tmp, "mailpath_exporter.service")
        with open(weak, "w") as f:
            f.write("[Service]\nExecStart=/usr/bin/mailpath_exporter\n")
        score, _ = exposure(weak)
    assert score > 8.0


def test_least_privilege_directives():
    d = directives(UNIT)
    assert d["User"] == ["mailpath_exporter"]
    assert d["SupplementaryGroups"] == ["postdrop adm systemd-journal"]
    assert d["CapabilityBoundingSet"] == [""]
    assert d["AmbientCapabilities"] == [""]
    assert d["NoNewPrivileges"] == ["yes"]
    assert d["ProtectSystem"] == ["strict"]
    assert d["RestrictAddressFamilies"] == ["AF_UNIX AF_INET AF_INET6 AF_NETLINK"]
    assert "@system-service" in d["SystemCallFilter"]
    assert d["StateDirectory"] == ["mailpath_exporter"]
    # The checkpoint goes to the state directory systemd creates and owns.
    assert "--state.dir=/var/lib/mailpath_exporter" in d["ExecStart"][0]
    assert d["EnvironmentFile"] == ["-/etc/default/mailpath_exporter"]
    # The process collector needs /proc/stat and /proc/net/*: no ProcSubset=pid.
    assert "ProcSubset" not in d


def test_unit_flags_are_flags_of_the_binary():
    d = directives(UNIT)
    help_text = subprocess.run([lib.exporter_path(), "--help"], capture_output=True, text=True,
                               timeout=30).stdout
    for arg in d["ExecStart"][0].split()[1:]:
        if arg.startswith("--"):
            assert "  " + arg.split("=")[0] + "=" in help_text, arg


def test_systemd_analyze_verify_is_clean():
    # verify checks that ExecStart is executable: point it at the built binary.
    with tempfile.TemporaryDirectory() as tmp:
        copy = os.path.join(tmp, "mailpath_exporter.service")
        with open(UNIT) as f:
            text = f.read()
        with open(copy, "w") as f:
            f.write(text.replace("ExecStart=/usr/bin/mailpath_exporter", "ExecStart=" + lib.exporter_path()))
        proc = subprocess.run(["systemd-analyze", "verify", "--man=no", copy],
                              capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stderr.strip() == "", proc.stderr
