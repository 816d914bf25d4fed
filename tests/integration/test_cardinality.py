"""Hostile input cannot grow the label sets: a generated 1,000,000-line log (Debian 12's RFC3339 envelope)
in which every line carries a value never seen before (SASL users, client IPs, HELO names, recipient
domains, policy servers, ciphers, syslog service names, Dovecot users) goes through `--replay` with the
Postfix and Dovecot classifiers on. The exposition must stay under a bound set by the configured caps, the
folds must be counted, and the exporter's peak RSS must stay small."""

import os
import resource
import subprocess
import tempfile
import time

import mailpath_testlib as lib

LINES = 1_000_000
CAP = 10


def ip(i):
    return f"{10 + i % 200}.{(i >> 8) & 255}.{(i >> 16) & 255}.{i & 255}"


def line(i):
    t = f"2026-11-22T13:{(i // 60) % 60:02d}:{i % 60:02d}.{i % 1000000:06d}+00:00 mx"
    k = i % 10
    if k == 0:
        return f"{t} postfix/submission/smtpd[42]: Q{i:08X}: client=h{i}.example[{ip(i)}], sasl_method=PLAIN, sasl_username=user{i}@d{i}.example"
    if k == 1:
        return f"{t} postfix/smtpd[42]: warning: Connection rate limit exceeded: 9 from h{i}[{ip(i)}] for service smtpd"
    if k == 2:
        return (f"{t} postfix/smtp[43]: A{i:08X}: to=<x@d{i}.example>, relay=mx.d{i}.example[{ip(i)}]:25, delay=1, "
                f"delays=0/0/0/1, dsn=4.7.1, status=deferred (host mx.d{i}.example[{ip(i)}] said: 450 4.7.1 slow down)")
    if k == 3:
        return (f"{t} postfix/smtpd[42]: NOQUEUE: reject: RCPT from h{i}[{ip(i)}]: 554 5.7.1 <r{i}@d{i}.example>: "
                f"Relay access denied; from=<s{i}@e{i}.example> to=<r{i}@d{i}.example> proto=ESMTP helo=<helo{i}.example>")
    if k == 4:
        return (f"{t} postfix/submission/smtpd[42]: warning: h{i}[{ip(i)}]: SASL LOGIN authentication failed: "
                f"UGFzc3dvcmQ6, sasl_username=victim{i}@d{i}.example")
    if k == 5:
        return f"{t} postfix/smtpd[42]: warning: connect to {ip(i)}:{1024 + i % 60000}: Connection refused"
    if k == 6:
        return (f"{t} postfix/smtpd[42]: Anonymous TLS connection established from h{i}[{ip(i)}]: TLSv1.3 with cipher "
                f"CIPHER{i} (256/256 bits)")
    if k == 7:
        return f"{t} postfix-i{i % 1000}/svc{i}/smtpd[42]: connect from h{i}[{ip(i)}]"
    if k == 8:
        return (f"{t} dovecot[7]: imap-login: Login: user=<u{i}@d{i}.example>, method=PLAIN, rip={ip(i)}, "
                f"lip=192.0.2.1, mpid={i}, TLS, session=<s{i}>")
    return f"{t} postfix/postscreen[44]: CONNECT from [{ip(i)}]:{1024 + i % 60000} to [192.0.2.1]:25"


def test_a_million_hostile_distinct_values_stay_under_the_caps():
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "hostile.log")
        with open(path, "w") as f:
            for i in range(LINES):
                f.write(line(i) + "\n")
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        started = time.time()
        proc = subprocess.run([lib.exporter_path(), "--collector.disable-defaults", "--collector.logs",
                               "--collector.postfix", "--collector.dovecot", f"--postfix.sasl-users-cap={CAP}",
                               f"--postfix.client-networks-cap={CAP}", f"--postfix.destination-domains-cap={CAP}",
                               f"--replay={path}"], capture_output=True, text=True, timeout=300)
        elapsed = time.time() - started
        peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    assert proc.returncode == 0, proc.stderr
    text = proc.stdout
    s = lib.parse_exposition(text)
    samples = len(s)
    print(f"{LINES} lines in {elapsed:.1f} s, {samples} samples, peak RSS {peak_kib / 1024:.1f} MiB "
          f"(children's max before: {before / 1024:.1f} MiB)")
    assert lib.value(s, "mailpath_log_lines_total", source=path, result="routed") == LINES
    # Capped views: at most CAP own values plus "other".
    for name, label in (("postfix_sasl_user_messages_total", "sasl_username"),
                        ("postfix_sasl_user_auth_failures_total", "sasl_username"),
                        ("postfix_client_network_limit_hits_total", "network"),
                        ("postfix_remote_throttling_by_domain_total", "domain")):
        values = {dict(k)[label] for k in lib.series(s, name)}
        assert 1 < len(values) <= CAP + 1 and "other" in values, (name, len(values))
    for name, label in (("postfix_policy_service_failures_total", "server"),
                        ("postfix_smtpd_tls_connections_total", "cipher")):
        values = {dict(k)[label] for k in lib.series(s, name)}
        assert "other" in values and len(values) <= 65, (name, len(values))
    services = {dict(k)["service"] for k in lib.series(s, "postfix_smtpd_connects_total")}
    instances = {dict(k)["postfix_instance"] for k in lib.series(s, "postfix_smtpd_connects_total")}
    assert "other" in services and len(services) <= 65, len(services)
    assert "other" in instances and len(instances) <= 65, len(instances)
    # Every fold was counted.
    overflow = lib.series(s, "postfix_label_overflow_total")
    assert sum(overflow.values()) > 0.9 * LINES / 10 * 4, overflow
    # Nothing else grows with the input: the whole exposition stays small.
    assert samples < 3000, samples
    lib.promtool_check_metrics(text)
    # Release build: about 30 MiB, the replay's read buffers included (docs/security.md).
    assert peak_kib < 48 * 1024 * lib.MEMORY_SCALE, f"peak RSS {peak_kib / 1024:.1f} MiB"
