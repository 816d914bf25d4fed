"""Attribution end to end (issue 19): a real Postfix (submission with STARTTLS on 587) and a real Dovecot
(IMAPS) in the server namespace of the netns lab, behind the 1400-byte hop whose routers drop ICMP. Clients
with a 1,533-byte ClientHello hang there (receive-side blackhole); clients from the lab's dark address lose
every segment towards them (an outage). Once the exporter has seen both, the clients give up and the path
heals, so the daemons log the losses; Postfix's "lost connection after STARTTLS" and Dovecot's TLS-handshake
failures of the blackholed clients must be counted with path="blackhole", the dark clients' with
path="outage", never with blackhole. One lab, about 20 s: needed because only real daemons write the lines
the classifiers join with the remembered sockets."""

import os
import re
import subprocess
import tempfile

import mailpath_testlib as lib
from netns_lab import CLIENT, V4, Lab
from private_dovecot import PrivateDovecot
from private_postfix import PrivatePostfix
from prometheus_lab import wait_until as wait

EXPORTER_PORT = 9154
GET = "import sys, urllib.request; sys.stdout.write(urllib.request.urlopen(sys.argv[1], timeout=5).read().decode())"


def scrape(lab):
    proc = lab.ex("srv", "/usr/bin/python3", "-c", GET, f"http://127.0.0.1:{EXPORTER_PORT}/metrics", check=False)
    return lib.parse_exposition(proc.stdout) if proc.returncode == 0 else {}


def test_tls_losses_are_counted_with_the_path_class_of_the_clients_socket(chain):
    cert, key, _ = chain
    with Lab("blackhole") as lab, tempfile.TemporaryDirectory() as tmp:
        os.chmod(tmp, 0o755)
        pf = PrivatePostfix({}, extra_main_cf="smtpd_starttls_timeout = 60s\nsmtpd_timeout = 60s\n",
                            extra_master_cf=f"{V4['srv']}:submission inet n - n - - smtpd "
                                            "-o syslog_name=postfix-mailpath-test/submission "
                                            "-o smtpd_tls_security_level=may "
                                            f"-o smtpd_tls_cert_file={cert} -o smtpd_tls_key_file={key}\n")
        dc = PrivateDovecot({"alice": "secret"})
        try:
            with open(dc.config) as f:
                conf = f.read()
            with open(dc.config, "w") as f:
                f.write(conf.replace("listen = 127.0.0.1", "listen = *"))
            lab.ex("srv", "postfix", "-c", pf.config_dir, "start", check=True)
            lab.spawn("srv", "dovecot", "-F", "-c", dc.config)
            client = os.path.join(tmp, "client.py")
            with open(client, "w") as f:
                f.write(CLIENT)
            ports = f"587,{dc.imaps}"
            lab.spawn("srv", lib.exporter_path(), f"--web.listen-address=127.0.0.1:{EXPORTER_PORT}",
                      "--collector.disable-defaults", "--collector.tcp", "--collector.logs", "--collector.postfix",
                      "--collector.dovecot", f"--tcp.ports={ports}", "--tcp.remote-ports=25",
                      f"--state.dir={tmp}", f"--postfix.logfile_path={pf.log_file}",
                      f"--postfix.logfile_path={dc.log_file}")

            def listening():
                out = lab.ex("srv", "ss", "-Hltn").stdout
                return f"{V4['srv']}:587 " in out and f"0.0.0.0:{dc.imaps} " in out and scrape(lab)

            wait("Postfix, Dovecot and the exporter to listen", listening, 30)
            clients = []
            for kind, port, src in (("stls-big", 587, None), ("tls-big", dc.imaps, None),
                                    ("plain", 587, V4["dark"]), ("tls-small", dc.imaps, V4["dark"])):
                clients.append(lab.spawn("cli", "/usr/bin/python3", client, kind, V4["srv"], str(port),
                                         *([src] if src else []), stdin=subprocess.PIPE))

            def seen():
                s = scrape(lab)
                got = {(k, c): lib.value(s, "mailpath_tcp_path_class_sockets", port=str(k), direction="inbound",
                                         **{"class": c}) for k in (587, dc.imaps)
                       for c in ("rcv_blackhole_suspect", "outage")}
                return all(v == 1 for v in got.values()) and got

            wait("the blackholed and the dark clients' sockets classified", seen, 30)
            # The clients give up, and the paths heal: the routers pass ICMP again and the outage ends, so the
            # held ClientHellos and the clients' FINs get through (a dark client's FIN waits behind its own
            # unacknowledged ClientHello) and the daemons log the sessions' end.
            for c in clients:
                c.kill()
            for r in ("rtr", "wan"):
                lab.ex(r, "nft", "delete", "table", "inet", "mpx")
            lab.ex("rtr", "nft", "delete", "table", "inet", "mpxdark")

            want = {(d, "tls", p) for d in ("postfix", "dovecot") for p in ("blackhole", "outage")}

            def counted():
                s = scrape(lab)
                got = {(d["daemon"], d["stage"], d["path"]): v
                       for k, v in lib.series(s, "mailpath_tcp_attributed_losses_total").items() if v
                       for d in [dict(k)]}
                return want <= set(got) and got

            try:
                got = wait("the losses counted with their path class", counted, 40)
            except AssertionError as e:
                s = scrape(lab)
                raise AssertionError(f"{e}: {lib.series(s, 'mailpath_tcp_attributed_losses_total')}\n"
                                     f"{pf.log()[-3000:]}\n{dc.log()[-3000:]}") from None
            assert set(got) == want, got  # nothing healthy, unknown or data here
            assert got[("postfix", "tls", "blackhole")] == 1 and got[("dovecot", "tls", "blackhole")] == 1, got
            log = pf.log()
            assert re.search(r"(lost connection|timeout) after STARTTLS from unknown\[10\.250\.1\.2\]", log), log
            assert "10.250.1.3" in log, log
        finally:
            lab.ex("srv", "postfix", "-c", pf.config_dir, "stop", check=False)
            dc.cleanup()
            pf.cleanup()
