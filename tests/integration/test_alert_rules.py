"""Alert rules: promtool check/test, every alert unit-tested both ways, annotations complete,
runbooks present, and every metric a rule reads exists in the exporter's golden output."""

import glob
import os
import subprocess

import yaml

import mailpath_testlib as lib

ALERTS = os.path.join(lib.SOURCE_DIR, "alerts")
RUNBOOKS = os.path.join(lib.SOURCE_DIR, "docs", "runbooks")
RULE_FILES = sorted(glob.glob(os.path.join(ALERTS, "*.rules.yml")))
TEST_FILES = sorted(glob.glob(os.path.join(ALERTS, "tests", "*_test.yml")))
# Series that come from Prometheus itself, not from the exporter.
def rules():
    for path in RULE_FILES:
        with open(path) as f:
            doc = yaml.safe_load(f)
        for group in doc["groups"]:
            for rule in group["rules"]:
                yield path, rule


def test_rule_files_exist():
    assert RULE_FILES and TEST_FILES


def test_promtool_check_rules_is_clean():
    proc = subprocess.run([lib.promtool(), "check", "rules", "--lint-fatal", *RULE_FILES],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_promtool_test_rules_pass():
    proc = subprocess.run([lib.promtool(), "test", "rules", *[os.path.basename(p) for p in TEST_FILES]],
                          cwd=os.path.join(ALERTS, "tests"), capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_every_alert_is_tested_firing_and_not_firing():
    firing, silent = set(), set()
    for path in TEST_FILES:
        with open(path) as f:
            doc = yaml.safe_load(f)
        for test in doc["tests"]:
            for case in test.get("alert_rule_test", []):
                (firing if case.get("exp_alerts") else silent).add(case["alertname"])
    for _, rule in rules():
        if "alert" in rule:
            assert rule["alert"] in firing, f"{rule['alert']} has no firing test"
            assert rule["alert"] in silent, f"{rule['alert']} has no not-firing test"


def test_every_alert_has_severity_annotations_and_runbook():
    for path, rule in rules():
        if "alert" not in rule:
            continue
        name = rule["alert"]
        assert rule["labels"]["severity"] in ("critical", "warning"), name
        ann = rule["annotations"]
        assert ann["summary"].endswith("."), name
        assert "{{" in ann["description"], f"{name}: description should be templated"
        assert ann["runbook_url"].endswith(f"/docs/runbooks/{name}.md"), name
        assert os.path.exists(os.path.join(RUNBOOKS, f"{name}.md")), f"runbook for {name} missing"
        assert "for" in rule, f"{name} needs a for: to ride out bursts"


def test_every_metric_used_by_a_rule_is_in_the_golden_output():
    known = lib.golden_metric_names() | lib.PROMETHEUS_SERIES
    recorded = {rule["record"] for _, rule in rules() if "record" in rule}
    for path, rule in rules():
        unknown = lib.metric_names(str(rule["expr"])) - known - recorded
        assert not unknown, f"{os.path.basename(path)} {rule.get('alert') or rule.get('record')}: {unknown}"


def test_metric_name_extraction_sees_through_promql():
    assert lib.metric_names('sum by (instance) (rate(a_total{job=~"x"}[5m])) / on(instance) b > 0.5') == {"a_total", "b"}
