#!/usr/bin/env python3
"""Deterministic generator of realistic Postfix + Dovecot mail logs for benchmarks.

The mix imitates a busy MX + submission + IMAP host: postscreen in front of smtpd on port 25 with
accepted, rejected and blocked sessions, LMTP delivery into Dovecot, authenticated submission with
outbound smtp deliveries (sent, deferred with 4.7.x throttling / connect timeouts / greeting
timeouts, bounced with NDRs), SASL brute force, anvil limit warnings, TLS handshakes lost after
STARTTLS, policy-service failures, Dovecot IMAP/POP3 logins, logouts and failures, and a few lines of
other programs (opendkim) that share mail.log.

Every line shape is copied from real captures (tests/fixtures/logs/ and
/work/shared/notes/postfix-dovecot-observed.md); only names, addresses, ids and numbers vary.

Envelopes:
  rfc3339  Debian 12 rsyslog default: "2026-11-22T13:30:16.123456+00:00 mx1 postfix/smtpd[123]: ..."
  rfc3164  classic syslog:            "Nov 22 13:30:16 mx1 postfix/smtpd[123]: ..."
  postlog  Postfix maillog_file:      "Nov 22 13:30:16 mx1 postfix/smtpd[123]: ..." (zero-padded day)
           and Dovecot's log_path:    "Nov 22 13:30:16 imap-login: Info: Login: ..."

Besides the log it writes FILE.truth.json: line counts per program and the number of events of each
kind the generator emitted (deliveries by status, anvil hits, SASL failures, ...), as the series
and values our exporter must report (see "expect"), so tests can compare exactly.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
from collections import Counter

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
BIG_PROVIDERS = ["gmail.com", "outlook.com", "yahoo.com", "hotmail.com", "icloud.com", "gmx.de", "web.de"]
SYLL = ["ka", "lo", "mi", "ne", "ra", "to", "vu", "shi", "ber", "dan", "fel", "gor", "hal", "jin", "kor",
        "lum", "mar", "nor", "pel", "quo", "ril", "sta", "tur", "vel", "wen", "xan", "yor", "zel"]
TLDS = ["com", "net", "org", "de", "fr", "nl", "co.uk", "io", "info", "eu"]
LOCAL_DOMAINS = ["example.org", "example.net", "example.com"]


class Gen:
    def __init__(self, args):
        self.rng = random.Random(args.seed)
        self.fmt = args.format
        self.myhost = "mx1"
        self.t_us = int(dt.datetime(2026, 11, 22, 0, 0, 0, tzinfo=dt.timezone.utc).timestamp() * 1e6)
        # Advance so the requested number of lines spans about a day.
        self.step_us = max(1, int(86400e6 / max(1, args.lines)))
        self.out: list[str] = []
        self.lines = 0
        self.by_program = Counter()
        self.ev = Counter()      # event counters that map 1:1 to exporter series (see truth())
        r = self.rng
        # Client pool: addresses and reverse names ("unknown" when there is no PTR).
        self.hosts = []
        first_octets = [x for x in range(24, 223) if x not in (127, 10, 100, 172, 192)]
        for i in range(args.hosts):
            a = r.choice(first_octets)
            ip = f"{a}.{r.randrange(256)}.{r.randrange(256)}.{r.randrange(1, 255)}"
            name = "unknown" if r.random() < 0.4 else f"mail{i % 97}.{self._domain_name(r)}"
            self.hosts.append((name, ip))
        self.users = [f"{self._word(r)}{i}@{LOCAL_DOMAINS[i % len(LOCAL_DOMAINS)]}" for i in range(args.users)]
        self.domains = list(BIG_PROVIDERS) + [self._domain_name(r) for _ in range(max(0, args.domains - len(BIG_PROVIDERS)))]
        self.domains = self.domains[: max(1, args.domains)]
        self.mx_ips = {d: f"{r.randrange(24, 223)}.{r.randrange(256)}.{r.randrange(256)}.{r.randrange(1, 255)}"
                       for d in self.domains[:5000]}
        self.pids = {d: [r.randrange(1000, 60000) for _ in range(8)] for d in
                     ("smtpd", "submission/smtpd", "smtps/smtpd", "postscreen", "cleanup", "qmgr", "smtp",
                      "lmtp", "bounce", "anvil", "opendkim", "dovecot")}
        self.pids["qmgr"] = self.pids["qmgr"][:1]
        self.pids["postscreen"] = self.pids["postscreen"][:1]
        self.pids["anvil"] = self.pids["anvil"][:1]
        self.pids["dovecot"] = self.pids["dovecot"][:1]
        self.used_hosts, self.used_users, self.used_domains = set(), set(), set()
        self.sess_pid: dict[str, int] = {}  # an smtpd session keeps its process id
        self.pending_retry: list[tuple[str, str, str]] = []  # (qid, sender, rcpt) deferred earlier

    # ---- names -------------------------------------------------------------------------------
    @staticmethod
    def _word(r):
        return "".join(r.choice(SYLL) for _ in range(r.randint(2, 3)))

    def _domain_name(self, r):
        return f"{self._word(r)}.{r.choice(TLDS)}"

    def qid(self):
        return f"{self.rng.getrandbits(44):011X}"

    def session(self):
        r = self.rng
        return "".join(r.choice(B64) for _ in range(16))

    def host(self):
        # Skewed: a few clients make most connections (as on a real MX).
        r = self.rng
        n = len(self.hosts)
        i = min(int(n * (r.random() ** 3)), n - 1)
        self.used_hosts.add(i)
        return self.hosts[i]

    def user(self):
        r = self.rng
        n = len(self.users)
        i = min(int(n * (r.random() ** 2)), n - 1)
        self.used_users.add(i)
        return self.users[i]

    def domain(self):
        r = self.rng
        n = len(self.domains)
        i = min(int(n * (r.random() ** 4)), n - 1)
        self.used_domains.add(i)
        return self.domains[i]

    def remote_addr(self):
        d = self.domain()
        return f"{self._word(self.rng)}@{d}", d

    def msgid(self):
        r = self.rng
        return f"<{r.getrandbits(48):012x}.{r.randrange(10**6)}@{r.choice(LOCAL_DOMAINS + BIG_PROVIDERS)}>"

    # ---- envelope ----------------------------------------------------------------------------
    def stamp(self):
        self.t_us += self.rng.randrange(0, 2 * self.step_us + 1)
        t = dt.datetime.fromtimestamp(self.t_us / 1e6, tz=dt.timezone.utc)
        if self.fmt == "rfc3339":
            return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond:06d}+00:00"
        if self.fmt == "rfc3164":
            return f"{MONTHS[t.month - 1]} {t.day:2d} {t:%H:%M:%S}"
        return f"{MONTHS[t.month - 1]} {t.day:02d} {t:%H:%M:%S}"

    def pf(self, daemon, msg):
        """A Postfix line; daemon is the syslog_name tail, e.g. "smtpd" or "submission/smtpd"."""
        pid = self.sess_pid.get(daemon) or self.rng.choice(self.pids.get(daemon, self.pids["smtpd"]))
        self.out.append(f"{self.stamp()} {self.myhost} postfix/{daemon}[{pid}]: {msg}\n")
        self.by_program["postfix"] += 1

    def dv(self, proc, msg, level="Info"):
        """A Dovecot line: via syslog (ident dovecot) or, for postlog, Dovecot's own log_path file."""
        if self.fmt == "postlog":
            self.out.append(f"{self.stamp()} {proc}: {level}: {msg}\n")
        else:
            self.out.append(f"{self.stamp()} {self.myhost} dovecot[{self.pids['dovecot'][0]}]: {proc}: {msg}\n")
        self.by_program["dovecot"] += 1

    def foreign(self, msg):
        self.out.append(f"{self.stamp()} {self.myhost} opendkim[{self.rng.choice(self.pids['opendkim'])}]: {msg}\n")
        self.by_program["foreign"] += 1

    # ---- shared fragments ----------------------------------------------------------------------
    def delays(self, final):
        r = self.rng
        a = round(r.expovariate(20), 2)
        b = round(r.expovariate(50), 2)
        c = round(r.expovariate(5), 2) if final else round(r.uniform(0, 30), 2)
        d = round(r.expovariate(3), 2) if final else 0
        return f"delay={round(a + b + c + d, 2):g}, delays={a:g}/{b:g}/{c:g}/{d:g}"

    def tls_from(self, svc, name, ip):
        r = self.rng
        if r.random() < 0.8:
            self.pf(svc, f"Anonymous TLS connection established from {name}[{ip}]: TLSv1.3 with cipher "
                         f"TLS_AES_256_GCM_SHA384 (256/256 bits) key-exchange X25519 server-signature "
                         f"RSA-PSS (2048 bits) server-digest SHA256")
        else:
            self.pf(svc, f"Anonymous TLS connection established from {name}[{ip}]: TLSv1.2 with cipher "
                         f"ECDHE-RSA-AES256-GCM-SHA384 (256/256 bits)")
        self.ev["smtpd_tls"] += 1

    def connect(self, svc, name, ip):
        self.sess_pid[svc] = self.rng.choice(self.pids.get(svc, self.pids["smtpd"]))
        self.pf(svc, f"connect from {name}[{ip}]")
        self.ev["smtpd_connect"] += 1

    def disconnect(self, svc, name, ip, stats):
        self.pf(svc, f"disconnect from {name}[{ip}] {stats}")
        self.sess_pid.pop(svc, None)
        self.ev["smtpd_disconnect"] += 1

    def queue_in(self, qid, sender, nrcpt):
        self.pf("cleanup", f"{qid}: message-id={self.msgid()}")
        self.ev["cleanup"] += 1
        self.pf("qmgr", f"{qid}: from=<{sender}>, size={self.rng.randrange(800, 400000)}, nrcpt={nrcpt} (queue active)")
        self.ev["qmgr_inserted"] += 1

    def removed(self, qid):
        self.pf("qmgr", f"{qid}: removed")
        self.ev["qmgr_removed"] += 1

    def smtp_outcome(self, qid, sender, rcpt, dom):
        """One outbound smtp delivery attempt; returns True when the message left the queue."""
        r = self.rng
        mx = f"mx{r.randrange(1, 4)}.{dom}"
        ip = self.mx_ips.get(dom, "203.0.113.25")
        x = r.random()
        if x < 0.84:
            if r.random() < 0.5:
                self.pf("smtp", f"Trusted TLS connection established to {mx}[{ip}]:25: TLSv1.3 with cipher "
                                f"TLS_AES_256_GCM_SHA384 (256/256 bits) key-exchange X25519 server-signature "
                                f"RSA-PSS (2048 bits) server-digest SHA256")
            self.pf("smtp", f"{qid}: to=<{rcpt}>, relay={mx}[{ip}]:25, {self.delays(True)}, dsn=2.0.0, "
                            f"status=sent (250 2.0.0 OK  {r.randrange(1700000000, 1800000000)} "
                            f"{self.session()[:12]} - gsmtp)")
            self.ev["smtp_sent"] += 1
            return True
        if x < 0.95:
            y = r.random()
            if y < 0.35:
                self.pf("smtp", f"{qid}: to=<{rcpt}>, relay={mx}[{ip}]:25, {self.delays(False)}, dsn=4.7.0, "
                                f"status=deferred (host {mx}[{ip}] refused to talk to me: 421 4.7.0 [TSS04] "
                                f"Messages from 198.51.100.7 temporarily deferred due to unexpected volume or "
                                f"user complaints - 4.16.55.1; see https://postmaster.example/error-codes)")
                self.ev["throttled"] += 1
            elif y < 0.55:
                self.pf("smtp", f"{qid}: to=<{rcpt}>, relay={mx}[{ip}]:25, {self.delays(False)}, dsn=4.7.1, "
                                f"status=deferred (host {mx}[{ip}] said: 450 4.7.1 <{rcpt}>: Recipient address "
                                f"rejected: too many messages, slow down (in reply to RCPT TO command))")
                self.ev["throttled"] += 1
            elif y < 0.70:
                self.pf("smtp", f"{qid}: to=<{rcpt}>, relay={mx}[{ip}]:25, {self.delays(False)}, dsn=4.7.28, "
                                f"status=deferred (host {mx}[{ip}] said: 421 4.7.28 Our system has detected an "
                                f"unusual rate of unsolicited mail originating from your IP address "
                                f"(in reply to end of DATA command))")
                self.ev["throttled"] += 1
            elif y < 0.85:
                self.pf("smtp", f"connect to {mx}[{ip}]:25: Connection timed out")
                self.ev["smtp_connect_fail"] += 1
                self.pf("smtp", f"{qid}: to=<{rcpt}>, relay=none, {self.delays(False)}, dsn=4.4.1, "
                                f"status=deferred (connect to {mx}[{ip}]:25: Connection timed out)")
            else:
                self.pf("smtp", f"{qid}: to=<{rcpt}>, relay={mx}[{ip}]:25, {self.delays(False)}, dsn=4.4.2, "
                                f"status=deferred (conversation with {mx}[{ip}] timed out while receiving "
                                f"the initial server greeting)")
            self.ev["smtp_deferred"] += 1
            if len(self.pending_retry) < 10000:
                self.pending_retry.append((qid, sender, rcpt))
            return False
        self.pf("smtp", f"{qid}: to=<{rcpt}>, relay={mx}[{ip}]:25, {self.delays(True)}, dsn=5.1.1, "
                        f"status=bounced (host {mx}[{ip}] said: 550 5.1.1 <{rcpt}>: Recipient address "
                        f"rejected: User unknown (in reply to RCPT TO command))")
        self.ev["smtp_bounced"] += 1
        ndr = self.qid()
        self.pf("cleanup", f"{ndr}: message-id=<{ndr}@{self.myhost}.example.org>")
        self.ev["cleanup"] += 1
        self.pf("bounce", f"{qid}: sender non-delivery notification: {ndr}")
        self.ev["ndr"] += 1
        self.pf("qmgr", f"{ndr}: from=<>, size={r.randrange(2000, 9000)}, nrcpt=1 (queue active)")
        self.ev["qmgr_inserted"] += 1
        self.lmtp(ndr, sender)
        self.removed(ndr)
        return True

    def lmtp(self, qid, rcpt):
        r = self.rng
        sess = self.session()[:12] + "AAAg+zDdQ"
        self.pf("lmtp", f"{qid}: to=<{rcpt}>, relay=mx1.example.org[private/dovecot-lmtp], {self.delays(True)}, "
                        f"dsn=2.0.0, status=sent (250 2.0.0 <{rcpt}> {sess} Saved)")
        self.ev["lmtp_sent"] += 1
        self.dv(f"lmtp({rcpt})<{r.randrange(1000, 60000)}><{sess}>", f"msgid={self.msgid()}: saved mail to INBOX")
        self.ev["dovecot_lmtp_saved"] += 1

    # ---- events ------------------------------------------------------------------------------
    def ev_inbound_accepted(self):
        r = self.rng
        name, ip = self.host()
        port = r.randrange(1024, 65535)
        self.pf("postscreen", f"CONNECT from [{ip}]:{port} to [198.51.100.7]:25")
        self.ev["ps_connect"] += 1
        if r.random() < 0.9:
            self.pf("postscreen", f"PASS OLD [{ip}]:{port}")
        else:
            self.pf("postscreen", f"PASS NEW [{ip}]:{port}")
        self.connect("smtpd", name, ip)
        tls = r.random() < 0.7
        if tls:
            self.tls_from("smtpd", name, ip)
        qid = self.qid()
        self.pf("smtpd", f"{qid}: client={name}[{ip}]")
        self.ev["smtpd_client"] += 1
        sender, _ = self.remote_addr()
        nrcpt = 1 if r.random() < 0.8 else r.randint(2, 4)
        self.queue_in(qid, sender, nrcpt)
        if r.random() < 0.3:
            self.foreign(f"{qid}: DKIM verification successful")
        for _ in range(nrcpt):
            self.lmtp(qid, self.user())
        self.removed(qid)
        st = "starttls=1 " if tls else ""
        self.disconnect("smtpd", name, ip,
                        f"ehlo={2 if tls else 1} {st}mail=1 rcpt={nrcpt} data=1 quit=1 "
                        f"commands={(6 if tls else 4) + nrcpt}")

    def ev_inbound_rejected(self):
        r = self.rng
        name, ip = self.host()
        port = r.randrange(1024, 65535)
        self.pf("postscreen", f"CONNECT from [{ip}]:{port} to [198.51.100.7]:25")
        self.ev["ps_connect"] += 1
        self.pf("postscreen", f"PASS OLD [{ip}]:{port}")
        self.connect("smtpd", name, ip)
        sender, _ = self.remote_addr()
        rcpt = self.user()
        helo = f"{name if name != 'unknown' else 'localhost'}"
        y = r.random()
        if y < 0.5:
            bad = "no" + rcpt
            self.pf("smtpd", f"NOQUEUE: reject: RCPT from {name}[{ip}]: 550 5.1.1 <{bad}>: Recipient address "
                             f"rejected: User unknown in virtual mailbox table; from=<{sender}> to=<{bad}> "
                             f"proto=ESMTP helo=<{helo}>")
        elif y < 0.8:
            self.pf("smtpd", f"NOQUEUE: reject: RCPT from {name}[{ip}]: 554 5.7.1 Service unavailable; Client "
                             f"host [{ip}] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/{ip}; "
                             f"from=<{sender}> to=<{rcpt}> proto=ESMTP helo=<{helo}>")
        else:
            self.pf("smtpd", f"NOQUEUE: reject: RCPT from {name}[{ip}]: 554 5.7.1 <{rcpt}>: Relay access "
                             f"denied; from=<{sender}> to=<{rcpt}> proto=ESMTP helo=<{helo}>")
        self.ev["smtpd_reject"] += 1
        self.disconnect("smtpd", name, ip, "ehlo=1 mail=1 rcpt=0/1 quit=1 commands=3/4")

    def ev_postscreen_block(self):
        r = self.rng
        _, ip = self.host()
        port = r.randrange(1024, 65535)
        self.pf("postscreen", f"CONNECT from [{ip}]:{port} to [198.51.100.7]:25")
        self.ev["ps_connect"] += 1
        y = r.random()
        if y < 0.4:
            self.pf("postscreen", f"DNSBL rank {r.randint(3, 8)} for [{ip}]:{port}")
            self.ev["ps_dnsbl"] += 1
            sender, _ = self.remote_addr()
            self.pf("postscreen", f"NOQUEUE: reject: RCPT from [{ip}]:{port}: 550 5.7.1 Service unavailable; "
                                  f"client [{ip}] blocked using zen.spamhaus.org; from=<{sender}>, "
                                  f"to=<{self.user()}>, proto=ESMTP, helo=<{self._domain_name(r)}>")
        elif y < 0.7:
            self.pf("postscreen", f"PREGREET 11 after 0.{r.randrange(10, 99)} from [{ip}]:{port}: EHLO User\\r\\n")
            self.ev["ps_pregreet"] += 1
        elif y < 0.9:
            self.pf("postscreen", f"HANGUP after {r.randrange(1, 9)}.{r.randrange(10)} from [{ip}]:{port} in tests "
                                  f"before SMTP handshake")
        else:
            self.pf("postscreen", f"DENYLISTED [{ip}]:{port}")
        self.pf("postscreen", f"DISCONNECT [{ip}]:{port}")

    def ev_submission(self):
        r = self.rng
        name, ip = self.host()
        svc = "submission/smtpd" if r.random() < 0.8 else "smtps/smtpd"
        self.connect(svc, name, ip)
        self.tls_from(svc, name, ip)
        qid = self.qid()
        user = self.user()
        method = "PLAIN" if r.random() < 0.7 else "LOGIN"
        self.pf(svc, f"{qid}: client={name}[{ip}], sasl_method={method}, sasl_username={user}")
        self.ev["sasl_ok"] += 1
        self.ev["smtpd_client"] += 1
        self.queue_in(qid, user, 1)
        self.foreign(f"{qid}: DKIM-Signature field added (s=mail, d={user.split('@')[1]})")
        rcpt, dom = self.remote_addr()
        if self.smtp_outcome(qid, user, rcpt, dom):
            self.removed(qid)
        st = "ehlo=2 starttls=1 " if svc.startswith("submission") else "ehlo=1 "
        n = 7 if svc.startswith("submission") else 6
        self.disconnect(svc, name, ip, f"{st}auth=1 mail=1 rcpt=1 data=1 quit=1 commands={n}")

    def ev_retry(self):
        if not self.pending_retry:
            return self.ev_submission()
        r = self.rng
        qid, sender, rcpt = self.pending_retry.pop(r.randrange(len(self.pending_retry)))
        self.pf("qmgr", f"{qid}: from=<{sender}>, size={r.randrange(800, 400000)}, nrcpt=1 (queue active)")
        self.ev["qmgr_inserted"] += 1
        if self.smtp_outcome(qid, sender, rcpt, rcpt.split("@")[1]):
            self.removed(qid)

    def ev_sasl_fail(self):
        r = self.rng
        name, ip = self.host()
        svc = "submission/smtpd" if r.random() < 0.7 else "smtps/smtpd"
        self.connect(svc, name, ip)
        if svc.startswith("submission"):
            self.tls_from(svc, name, ip)
        method = "LOGIN" if r.random() < 0.6 else "PLAIN"
        user = self.user() if r.random() < 0.5 else f"{self._word(r)}@{r.choice(LOCAL_DOMAINS)}"
        self.pf(svc, f"warning: {name}[{ip}]: SASL {method} authentication failed: (reason unavailable), "
                     f"sasl_username={user}")
        self.ev["sasl_fail"] += 1
        self.dv("auth", f"passwd-file({user},{ip}): Password mismatch")
        self.ev["dovecot_passdb_fail"] += 1
        st = "ehlo=2 starttls=1 " if svc.startswith("submission") else "ehlo=1 "
        self.disconnect(svc, name, ip, f"{st}auth=0/1 quit=1 commands={4 if 'starttls' in st else 3}/{5 if 'starttls' in st else 4}")

    def ev_anvil(self):
        r = self.rng
        name, ip = self.host()
        kinds = [("Connection rate", "smtpd"), ("Connection concurrency", "smtpd"),
                 ("Message delivery request rate", "smtpd"), ("Recipient address rate", "smtpd"),
                 ("New TLS session rate", "submission"), ("AUTH command rate", "submission")]
        kind, service = r.choice(kinds)
        daemon = "smtpd" if service == "smtpd" else "submission/smtpd"
        self.connect(daemon, name, ip)
        self.pf(daemon, f"warning: {kind} limit exceeded: {r.randint(5, 60)} from {name}[{ip}] for service {service}")
        self.ev["anvil"] += 1
        self.disconnect(daemon, name, ip, "commands=0/0")

    def ev_tls_lost(self):
        r = self.rng
        name, ip = self.host()
        self.connect("submission/smtpd", name, ip)
        cause = "lost connection" if r.random() < 0.6 else "Connection timed out"
        self.pf("submission/smtpd", f"SSL_accept error from {name}[{ip}]: {cause}")
        self.ev["tls_fail"] += 1
        self.pf("submission/smtpd", f"lost connection after STARTTLS from {name}[{ip}]")
        self.ev["lost_starttls"] += 1
        self.disconnect("submission/smtpd", name, ip, "ehlo=1 starttls=0/1 commands=1/2")

    def ev_scanner(self):
        r = self.rng
        name, ip = self.host()
        self.connect("smtpd", name, ip)
        stage = r.choice(["EHLO", "CONNECT", "AUTH", "RCPT"])
        if r.random() < 0.8:
            self.pf("smtpd", f"lost connection after {stage} from {name}[{ip}]")
        else:
            self.pf("smtpd", f"timeout after {stage} from {name}[{ip}]")
        stats = {"EHLO": "ehlo=1 commands=1", "CONNECT": "commands=0/0", "AUTH": "ehlo=1 auth=0/1 commands=1/2",
                 "RCPT": "ehlo=1 mail=1 rcpt=0/1 commands=2/3"}[stage]
        self.disconnect("smtpd", name, ip, stats)

    def ev_policy_fail(self):
        r = self.rng
        name, ip = self.host()
        self.connect("smtpd", name, ip)
        for _ in range(2):
            self.pf("smtpd", "warning: connect to 127.0.0.1:10023: Connection refused")
            self.pf("smtpd", "warning: problem talking to server 127.0.0.1:10023: Connection refused")
            self.ev["policy_fail"] += 2
        sender, _ = self.remote_addr()
        rcpt = self.user()
        self.pf("smtpd", f"NOQUEUE: reject: RCPT from {name}[{ip}]: 451 4.3.5 <{rcpt}>: Recipient address "
                         f"rejected: Server configuration problem; from=<{sender}> to=<{rcpt}> proto=ESMTP "
                         f"helo=<{self._domain_name(r)}>")
        self.ev["smtpd_reject"] += 1
        self.disconnect("smtpd", name, ip, "ehlo=1 mail=1 rcpt=0/1 quit=1 commands=3/4")

    def ev_anvil_stats(self):
        r = self.rng
        _, ip = self.host()
        t = dt.datetime.fromtimestamp(self.t_us / 1e6, tz=dt.timezone.utc)
        at = f"{MONTHS[t.month - 1]} {t.day:2d} {t:%H:%M:%S}"
        self.pf("anvil", f"statistics: max connection rate {r.randint(2, 40)}/60s for (smtpd:{ip}) at {at}")
        self.pf("anvil", f"statistics: max connection count {r.randint(2, 20)} for (smtpd:{ip}) at {at}")
        self.pf("anvil", f"statistics: max cache size {r.randint(10, 900)} at {at}")

    def ev_imap(self, proto="imap"):
        r = self.rng
        user = self.user()
        _, ip = self.host()
        sess = self.session()
        pid = r.randrange(1000, 60000)
        transport = "TLS" if r.random() < 0.85 else "secured"
        self.dv(f"{proto}-login", f"Login: user=<{user}>, method=PLAIN, rip={ip}, lip=198.51.100.7, mpid={pid}, "
                                  f"{transport}, session=<{sess}>")
        self.ev["dovecot_login"] += 1
        if proto == "imap":
            self.dv(f"imap({user})<{pid}><{sess}>",
                    f"Disconnected: Logged out in={r.randrange(20, 9000)} out={r.randrange(300, 900000)} "
                    f"deleted=0 expunged=0 trashed=0 hdr_count=0 hdr_bytes=0 body_count=0 body_bytes=0")
        else:
            size = r.randrange(1000, 90000)
            self.dv(f"pop3({user})<{pid}><{sess}>",
                    f"Disconnected: Logged out top=0/0, retr=1/{size}, del=0/2, size={size}")
        self.ev["dovecot_logout"] += 1

    def ev_dovecot_authfail(self):
        r = self.rng
        proto = "imap" if r.random() < 0.8 else "pop3"
        user = self.user() if r.random() < 0.6 else f"{self._word(r)}@{r.choice(LOCAL_DOMAINS)}"
        _, ip = self.host()
        sess = self.session()
        if r.random() < 0.7:
            self.dv("auth", f"passwd-file({user},{ip},<{sess}>): Password mismatch")
        else:
            self.dv("auth", f"passwd-file({user},{ip},<{sess}>): unknown user")
        self.ev["dovecot_passdb_fail"] += 1
        self.dv(f"{proto}-login", f"Disconnected: Aborted login by logging out (auth failed, 1 attempts in "
                                  f"{r.randint(1, 9)} secs): user=<{user}>, method=PLAIN, rip={ip}, "
                                  f"lip=198.51.100.7, TLS, session=<{sess}>")
        self.ev["dovecot_auth_failed"] += 1

    def ev_dovecot_noauth(self):
        r = self.rng
        _, ip = self.host()
        self.dv("imap-login", f"Disconnected: Connection closed (no auth attempts in {r.randint(0, 20)} secs): "
                              f"user=<>, rip={ip}, lip=198.51.100.7, TLS handshaking: Connection closed, "
                              f"session=<{self.session()}>")
        self.ev["dovecot_noauth"] += 1

    # ---- driver --------------------------------------------------------------------------------
    def run(self, n_lines):
        events = [
            (self.ev_inbound_accepted, 22), (self.ev_inbound_rejected, 10), (self.ev_postscreen_block, 12),
            (self.ev_submission, 14), (self.ev_retry, 3), (self.ev_sasl_fail, 9), (self.ev_anvil, 2),
            (self.ev_tls_lost, 2), (self.ev_scanner, 6), (self.ev_policy_fail, 0.3), (self.ev_anvil_stats, 0.05),
            (self.ev_imap, 30), (lambda: self.ev_imap("pop3"), 4), (self.ev_dovecot_authfail, 6),
            (self.ev_dovecot_noauth, 3),
        ]
        funcs = [e[0] for e in events]
        weights = [e[1] for e in events]
        r = self.rng
        while len(self.out) < n_lines:
            r.choices(funcs, weights)[0]()
        return self.out


def truth(g: Gen, lines: list[str]) -> dict:
    """Ground truth for the lines written: the generator always finishes the event it started."""
    ev = g.ev
    expect = [
        {"metric": "postfix_deliveries_total", "labels": {"daemon": "smtp", "status": "sent"}, "value": ev["smtp_sent"]},
        {"metric": "postfix_deliveries_total", "labels": {"daemon": "smtp", "status": "deferred"}, "value": ev["smtp_deferred"]},
        {"metric": "postfix_deliveries_total", "labels": {"daemon": "smtp", "status": "bounced"}, "value": ev["smtp_bounced"]},
        {"metric": "postfix_deliveries_total", "labels": {"daemon": "lmtp", "status": "sent"}, "value": ev["lmtp_sent"]},
        {"metric": "postfix_delivery_deferrals_total", "labels": {"reason": "rate_limited"}, "value": ev["throttled"]},
        {"metric": "postfix_anvil_limit_exceeded_total", "labels": {}, "value": ev["anvil"]},
        {"metric": "postfix_smtpd_sasl_authentication_failures_total", "labels": {}, "value": ev["sasl_fail"]},
        {"metric": "postfix_smtpd_connects_total", "labels": {}, "value": ev["smtpd_connect"]},
        {"metric": "postfix_smtpd_disconnects_total", "labels": {}, "value": ev["smtpd_disconnect"]},
        {"metric": "postfix_smtpd_rejects_total", "labels": {"action": "reject"}, "value": ev["smtpd_reject"]},
        {"metric": "postfix_qmgr_messages_removed_total", "labels": {}, "value": ev["qmgr_removed"]},
        {"metric": "postfix_cleanup_messages_processed_total", "labels": {}, "value": ev["cleanup"]},
        {"metric": "postfix_bounce_non_delivery_notification_total", "labels": {}, "value": ev["ndr"]},
        {"metric": "postfix_postscreen_events_total", "labels": {"event": "connect"}, "value": ev["ps_connect"]},
        {"metric": "postfix_postscreen_events_total", "labels": {"event": "pregreet"}, "value": ev["ps_pregreet"]},
        {"metric": "postfix_tls_handshake_failures_total", "labels": {"side": "server"}, "value": ev["tls_fail"]},
        {"metric": "postfix_smtpd_session_ends_total", "labels": {"stage": "STARTTLS"}, "value": ev["lost_starttls"]},
        {"metric": "dovecot_logins_total", "labels": {}, "value": ev["dovecot_login"]},
        {"metric": "dovecot_login_failures_total", "labels": {"reason": "auth_failed"}, "value": ev["dovecot_auth_failed"]},
        {"metric": "dovecot_auth_passdb_failures_total", "labels": {}, "value": ev["dovecot_passdb_fail"]},
        {"metric": "dovecot_lmtp_deliveries_total", "labels": {"result": "saved"}, "value": ev["dovecot_lmtp_saved"]},
    ]
    return {
        "lines": len(lines),
        "format": g.fmt,
        "programs": dict(g.by_program),
        "events": dict(sorted(ev.items())),
        # mailpath_log_lines_total{result="routed"} counts Postfix + Dovecot lines, "foreign" the rest.
        "routed": g.by_program["postfix"] + g.by_program["dovecot"],
        "foreign": g.by_program["foreign"],
        # Distinct values drawn from each pool (random extra users/domains in failures come on top).
        "distinct": {"hosts": len(g.used_hosts), "users": len(g.used_users), "domains": len(g.used_domains)},
        "expect": expect,
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-o", "--output", required=True, help="log file to write")
    ap.add_argument("-n", "--lines", type=int, default=1_000_000, help="about this many lines (whole events)")
    ap.add_argument("--seed", type=int, default=1, help="random seed (same seed, same file)")
    ap.add_argument("--hosts", type=int, default=20000, help="distinct client addresses")
    ap.add_argument("--users", type=int, default=5000, help="distinct local mailbox / SASL users")
    ap.add_argument("--domains", type=int, default=3000, help="distinct remote domains")
    ap.add_argument("--format", choices=["rfc3339", "rfc3164", "postlog"], default="rfc3339")
    args = ap.parse_args(argv)
    g = Gen(args)
    # Generate whole events until at least --lines lines: the truth then matches the file exactly.
    lines = g.run(args.lines)
    with open(args.output, "w", encoding="ascii") as f:
        f.writelines(lines)
    t = truth(g, lines)
    t.update({"seed": args.seed, "hosts": args.hosts, "users": args.users, "domains": args.domains})
    with open(args.output + ".truth.json", "w", encoding="ascii") as f:
        json.dump(t, f, indent=1, sort_keys=True)
    print(f"{args.output}: {len(lines)} lines ({t['programs']})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
