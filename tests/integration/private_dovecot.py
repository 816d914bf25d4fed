"""A private Dovecot (the Debian package's binaries) for tests: its own config, base_dir, state, mail
and log file under a temp dir, IMAP/IMAPS/POP3/POP3S on random loopback ports, LMTP on a unix socket,
a passwd-file with plaintext passwords, a self-signed certificate, and nothing shared with the system's
/etc/dovecot instance. Logs go to Dovecot's own log_path file format."""

import os
import re
import shutil
import subprocess
import tempfile
import time

import kept_logs
from loopback_ports import free_port

# Dovecot 2.3 (Debian 12) and 2.4 (Debian 13) read different configuration languages: 2.4 must start
# with dovecot_config_version, renamed the TLS, cleartext, mail location and passdb/userdb settings and
# replaced %u with %{user}. The parts that differ are here; SERVICES is the same for both.
CONF_23 = """\
instance_name = {instance}
base_dir = {d}/run
state_dir = {d}/state
log_path = {d}/dovecot.log
protocols = imap pop3 lmtp
listen = 127.0.0.1
ssl = yes
ssl_cert = <{d}/cert.pem
ssl_key = <{d}/key.pem
{dh}
disable_plaintext_auth = yes
auth_mechanisms = plain login
auth_verbose = yes
auth_failure_delay = 0
mail_max_userip_connections = {userip}
first_valid_uid = 1
mail_location = maildir:{d}/mail/%u
mail_uid = nobody
mail_gid = nogroup
default_login_user = dovenull
default_internal_user = dovecot
login_greeting = mailpath test ready
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {d}/passwd
}}
userdb {{
  driver = static
  args = uid=nobody gid=nogroup home={d}/mail/%u
}}
"""

CONF_24 = """\
dovecot_config_version = {version}
dovecot_storage_version = {version}
instance_name = {instance}
base_dir = {d}/run
state_dir = {d}/state
log_path = {d}/dovecot.log
protocols = imap pop3 lmtp
listen = 127.0.0.1
ssl = yes
ssl_server_cert_file = {d}/cert.pem
ssl_server_key_file = {d}/key.pem
auth_allow_cleartext = no
auth_mechanisms = plain login
auth_verbose = yes
auth_failure_delay = 0
mail_max_userip_connections = {userip}
first_valid_uid = 1
mail_driver = maildir
mail_path = {d}/mail/%{{user}}
mail_uid = nobody
mail_gid = nogroup
default_login_user = dovenull
default_internal_user = dovecot
login_greeting = mailpath test ready
passdb passwd-file {{
  passwd_file_path = {d}/passwd
}}
userdb static {{
  fields {{
    uid = nobody
    gid = nogroup
    home = {d}/mail/%{{user}}
  }}
}}
"""

SERVICES = """\
service imap-login {{
  inet_listener imap {{
    port = {imap}
  }}
  inet_listener imaps {{
    port = {imaps}
    ssl = yes
  }}
}}
service pop3-login {{
  inet_listener pop3 {{
    port = {pop3}
  }}
  inet_listener pop3s {{
    port = {pop3s}
    ssl = yes
  }}
  process_limit = {pop3_login_limit}
}}
service lmtp {{
  unix_listener {d}/lmtp {{
    mode = 0666
  }}
}}
service auth {{
  unix_listener {d}/auth-client-sasl {{
    mode = 0666
  }}
}}
service anvil {{
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
"""


def dovecot_version():
    """The installed Dovecot's version as a tuple, e.g. (2, 3, 19, 1) or (2, 4, 1)."""
    out = subprocess.run(["dovecot", "--version"], capture_output=True, text=True, check=True).stdout
    m = re.match(r"(\d+(?:\.\d+)+)", out.strip())
    assert m, f"cannot read the version from `dovecot --version`: {out!r}"
    return tuple(int(x) for x in m.group(1).split("."))


def dovecot_config(version, **params):
    """The private instance's dovecot.conf in the language of Dovecot `version` (a tuple).
    params: d (the instance dir), instance, userip, imap, imaps, pop3, pop3s, pop3_login_limit."""
    if version >= (2, 4):
        # The config and storage versions name the release whose defaults and formats we want: ours.
        head = CONF_24.format(version=".".join(map(str, version[:3])), **params)
    else:
        dh = "ssl_dh = </usr/share/dovecot/dh.pem" if os.path.exists("/usr/share/dovecot/dh.pem") else ""
        head = CONF_23.format(dh=dh, **params)
    return head + SERVICES.format(**params)


class PrivateDovecot:
    """users: {name: password}. Call start(), then use the ports; cleanup() stops it and removes the dir."""

    def __init__(self, users, instance="dovecot-mailpath-test", userip_limit=2, pop3_login_limit=100):
        assert shutil.which("dovecot"), "dovecot missing: scripts/setup.sh test installs it"
        self.dir = tempfile.mkdtemp(prefix="mailpath-dovecot-")
        os.chmod(self.dir, 0o755)  # the login and mail users traverse it
        self.instance = instance
        self.imap, self.imaps, self.pop3, self.pop3s = (free_port() for _ in range(4))
        self.log_file = os.path.join(self.dir, "dovecot.log")
        self.lmtp_socket = os.path.join(self.dir, "lmtp")
        self.auth_socket = os.path.join(self.dir, "auth-client-sasl")  # for Postfix's smtpd_sasl_path
        self.config = os.path.join(self.dir, "dovecot.conf")
        os.makedirs(os.path.join(self.dir, "mail"))
        os.chmod(os.path.join(self.dir, "mail"), 0o777)
        with open(os.path.join(self.dir, "passwd"), "w") as f:
            for user, password in users.items():
                f.write(f"{user}:{{PLAIN}}{password}::::::\n")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                        "-subj", "/CN=mail.lab.test", "-keyout", f"{self.dir}/key.pem", "-out", f"{self.dir}/cert.pem"],
                       check=True, capture_output=True)
        self.version = dovecot_version()
        with open(self.config, "w") as f:
            f.write(dovecot_config(self.version, d=self.dir, instance=instance, userip=userip_limit,
                                   imap=self.imap, imaps=self.imaps, pop3=self.pop3, pop3s=self.pop3s,
                                   pop3_login_limit=pop3_login_limit))
        open(self.log_file, "w").close()
        self.proc = None

    def start(self):
        self.proc = subprocess.Popen(["dovecot", "-F", "-c", self.config], stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True)
        deadline = time.time() + 20
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"dovecot exited: {self.proc.stdout.read()}\n{self.log()}")
            # Listening sockets, checked without connecting (a probe would log a disconnect).
            listening = subprocess.run(["ss", "-Hltn"], capture_output=True, text=True).stdout
            ports = {int(m) for m in re.findall(r"127\.0\.0\.1:(\d+)", listening)}
            if {self.imap, self.imaps, self.pop3, self.pop3s} <= ports and os.path.exists(self.lmtp_socket):
                return
            time.sleep(0.1)
        raise RuntimeError("dovecot did not listen in 20 s:\n" + self.log())

    def log(self):
        with open(self.log_file, errors="replace") as f:
            return f.read()

    def cleanup(self):
        if self.proc and self.proc.poll() is None:
            subprocess.run(["doveadm", "-c", self.config, "stop"], capture_output=True, timeout=20)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        kept_logs.keep(self.log_file, self.instance)
        shutil.rmtree(self.dir, ignore_errors=True)
