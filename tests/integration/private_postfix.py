"""A private Postfix instance for tests: its own config, queue and data
directories under a temp dir, smtpd on a random loopback port, nothing on
port 25 and nothing shared with the system's /etc/postfix instance.

Also small fake SMTP peers on loopback (a server that never greets, one that
answers RCPT with a 4.7.1 throttling reply) so that mail can be held in the
active and deferred queues on purpose.
"""

import json
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time


import kept_logs
from loopback_ports import closed_port, free_port  # noqa: F401  (re-exported for the tests and benches)


# Scripted answers of the fake peers: greeting, RCPT reply, end-of-DATA reply.
PEER_MODES = {
    "throttle": (b"220 fake-peer.test ESMTP", b"450 4.7.1 Recipient address rejected: too many messages, "
                 b"slow down (test)", b"250 2.0.0 Ok: queued"),
    "greet421": (b"421 4.7.0 fake-peer.test Too many connections from your IP, try again later", None, None),
    "data421": (b"220 fake-peer.test ESMTP", b"250 2.1.5 Ok",
                b"421 4.7.28 fake-peer.test Our system has detected an unusual rate of mail, try later"),
    "reject550": (b"220 fake-peer.test ESMTP", b"550 5.1.1 <x>: Recipient address rejected: User unknown",
                  b"250 2.0.0 Ok"),
    "accept": (b"220 fake-peer.test ESMTP", b"250 2.1.5 Ok", b"250 2.0.0 Ok: queued as FAKE1"),
}


class FakeSmtpPeer:
    """A loopback TCP server. mode 'stall': accepts and never greets (the
    Postfix client waits smtp_helo_timeout, the message stays active).
    Other modes answer from PEER_MODES: 'throttle' answers every RCPT with
    '450 4.7.1 ... slow down'; 'greet421' refuses at the greeting; 'data421'
    throttles after DATA (421 4.7.28); 'reject550' rejects RCPT; 'accept'
    takes the mail."""

    def __init__(self, mode):
        self.mode = mode
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.conns = []
        self.stopped = False
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while not self.stopped:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.conns.append(conn)
            if self.mode != "stall":
                threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn):
        greeting, rcpt, end_of_data = PEER_MODES[self.mode]
        try:
            f = conn.makefile("rwb")
            f.write(greeting + b"\r\n")
            f.flush()
            if not greeting.startswith(b"220"):
                return
            in_data = False
            for line in f:
                if in_data:
                    if line in (b".\r\n", b".\n"):
                        in_data = False
                        f.write(end_of_data + b"\r\n")
                        f.flush()
                        if end_of_data.startswith(b"421"):
                            return
                    continue
                cmd = line.strip().upper()
                if cmd.startswith(b"EHLO") or cmd.startswith(b"HELO"):
                    f.write(b"250 fake-peer.test\r\n")
                elif cmd.startswith(b"MAIL"):
                    f.write(b"250 2.1.0 Ok\r\n")
                elif cmd.startswith(b"RCPT"):
                    f.write(rcpt + b"\r\n")
                elif cmd == b"DATA":
                    in_data = True
                    f.write(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                elif cmd.startswith(b"QUIT"):
                    f.write(b"221 2.0.0 Bye\r\n")
                    f.flush()
                    break
                else:
                    f.write(b"250 2.0.0 Ok\r\n")
                f.flush()
        except OSError:
            pass
        finally:
            conn.close()

    def close(self):
        self.stopped = True
        self.sock.close()
        for c in self.conns:
            try:
                c.close()
            except OSError:
                pass


MASTER_CF = """\
{smtpd_addr} inet n - n - - smtpd
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
local     unix  -       n       n       -       -       local
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
"""


class PrivatePostfix:
    """Start with start(); always stop() (or use as a context manager)."""

    def __init__(self, transports, extra_main_cf="", extra_master_cf=""):
        # transports: {"domain": "smtp:[127.0.0.1]:PORT", ...}
        self.root = tempfile.mkdtemp(prefix="mailpath-postfix-")
        os.chmod(self.root, 0o755)  # Postfix daemons (user postfix) traverse it
        self.config_dir = os.path.join(self.root, "etc")
        self.queue_dir = os.path.join(self.root, "spool")
        self.data_dir = os.path.join(self.root, "data")
        self.log_file = os.path.join(self.root, "maillog")
        self.smtpd_port = free_port()
        self.showq_path = os.path.join(self.queue_dir, "public", "showq")
        for d in (self.config_dir, self.queue_dir, self.data_dir):
            os.makedirs(d)
        shutil.chown(self.data_dir, "postfix", "postfix")
        with open(os.path.join(self.config_dir, "transport"), "w") as f:
            for domain, nexthop in transports.items():
                f.write(f"{domain} {nexthop}\n")
        with open(os.path.join(self.config_dir, "access"), "w") as f:
            f.write("hold.test HOLD\n")
        with open(os.path.join(self.config_dir, "master.cf"), "w") as f:
            f.write(MASTER_CF.format(smtpd_addr=f"127.0.0.1:{self.smtpd_port}") + extra_master_cf)
        with open(os.path.join(self.config_dir, "main.cf"), "w") as f:
            f.write(f"""\
compatibility_level = 3.6
queue_directory = {self.queue_dir}
data_directory = {self.data_dir}
mail_owner = postfix
setgid_group = postdrop
myhostname = mailpath-test.invalid
mydomain = mailpath-test.invalid
myorigin = $myhostname
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
syslog_name = postfix-mailpath-test
maillog_file = {self.log_file}
maillog_file_prefixes = {self.root}
smtp_host_lookup = native
disable_dns_lookups = yes
transport_maps = texthash:{self.config_dir}/transport
relayhost = [127.0.0.1]:{closed_port()}
alias_maps =
alias_database =
local_recipient_maps =
smtpd_recipient_restrictions = check_recipient_access texthash:{self.config_dir}/access,
    permit_mynetworks, reject
smtp_helo_timeout = 300s
smtp_connect_timeout = 5s
queue_run_delay = 3600s
minimal_backoff_time = 3600s
maximal_backoff_time = 3600s
delay_warning_time = 0
{extra_main_cf}
""")
        self.env = dict(os.environ, MAIL_CONFIG=self.config_dir)

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()

    def run(self, *args, check=True, input=None):
        return subprocess.run(list(args), env=self.env, check=check, capture_output=True,
                              text=True, input=input, timeout=120)

    def start(self):
        self.run("postfix", "-c", self.config_dir, "start")
        deadline = time.time() + 30
        while not os.path.exists(self.showq_path):
            if time.time() > deadline:
                raise RuntimeError("showq socket did not appear; log:\n" + self.log())
            time.sleep(0.1)

    def stop(self):
        self.run("postfix", "-c", self.config_dir, "stop", check=False)
        deadline = time.time() + 30
        while self.running() and time.time() < deadline:
            time.sleep(0.1)

    def running(self):
        return self.run("postfix", "-c", self.config_dir, "status", check=False).returncode == 0

    def cleanup(self):
        self.stop()
        kept_logs.keep(self.log_file, "postfix")
        shutil.rmtree(self.root, ignore_errors=True)

    def log(self):
        try:
            with open(self.log_file) as f:
                return f.read()
        except OSError:
            return ""

    def send_smtp(self, sender, recipients, body="test message\n", size_pad=0):
        """Submits one message over SMTP to the private smtpd."""
        import smtplib
        msg = (f"From: {sender}\r\nTo: {', '.join(recipients)}\r\nSubject: showq test\r\n\r\n"
               + body + ("x" * size_pad))
        with smtplib.SMTP("127.0.0.1", self.smtpd_port, timeout=30) as s:
            s.sendmail(sender, recipients, msg)

    def queue_json(self):
        """postqueue -j, one dict per message."""
        out = self.run("postqueue", "-c", self.config_dir, "-j").stdout
        return [json.loads(line) for line in out.splitlines() if line.strip()]

    def wait_for(self, predicate, what, timeout=120):
        deadline = time.time() + timeout
        while time.time() < deadline:
            q = self.queue_json()
            if predicate(q):
                return q
            time.sleep(0.3)
        raise AssertionError(f"timed out waiting for {what}; queue: {self.queue_json()}\n"
                             f"log:\n{self.log()[-4000:]}")
