"""The series budget of one host: default flags plus the cert collector (every collector on), every
real Postfix and Dovecot log fixture replayed (a busy host's label values), must stay under 1,500
series, counting the cert collector's most (14 per STARTTLS port, 12 per implicit-TLS port, 3 of its
own) even where this host serves no certificate."""

import glob
import os

import mailpath_testlib as lib

BUDGET = 1500
CERT_MAX = 4 * 14 + 3 * 12 + 3  # 25/587/143/110 STARTTLS, 465/993/995 implicit, collector success/duration/deadline


def test_default_flags_all_collectors_busy_fixtures_under_budget():
    logs = os.path.join(lib.SOURCE_DIR, "tests", "fixtures", "logs")
    files = sorted(glob.glob(f"{logs}/postfix/*.log") + glob.glob(f"{logs}/dovecot/*.log") +
                   glob.glob(f"{logs}/mixed/*.log"))
    proc = lib.run_once([*(f"--replay={f}" for f in files)], timeout=120)
    samples = lib.parse_exposition(proc.stdout)
    cert = sum(1 for name, _ in samples if name.startswith("mailpath_cert_"))
    assert cert == 0, "the cert collector is off by default"
    total = len(samples) + CERT_MAX
    print(f"{len(samples)} series at default flags with {len(files)} fixtures replayed; "
          f"{total} with the cert collector's maximum")
    assert total < BUDGET, total
