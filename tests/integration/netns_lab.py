"""A three-namespace lab for TCP path tests: client --(MTU 1400 hop)-- router -- server.
The client and server both believe their links are 1500; only the router's client-side link
is 1400, like a VPN/NAT gateway. Modes: 'blackhole' (router drops ICMP frag-needed / packet
too big), 'pmtud' (ICMP passes), 'clamped' (router clamps the SYN's MSS to the route MTU).
Test traffic stays inside these namespaces."""

import os
import subprocess
import tempfile
import textwrap
import time
import uuid

V4 = {"cli": "10.250.1.2", "rc": "10.250.1.1", "rs": "10.250.2.1", "srv": "10.250.2.2"}
V6 = {"cli": "fd00:250:1::2", "rc": "fd00:250:1::1", "rs": "fd00:250:2::1", "srv": "fd00:250:2::2"}

NFT = {
    "blackhole": """
        table inet mpx {
          chain mpx_forward { type filter hook forward priority 0;
            icmp type destination-unreachable icmp code frag-needed drop
            icmpv6 type packet-too-big drop
          }
          chain mpx_output { type filter hook output priority 0;
            icmp type destination-unreachable icmp code frag-needed drop
            icmpv6 type packet-too-big drop
          }
        }""",
    "pmtud": "",
    "clamped": """
        table inet mpx {
          chain mpx_forward { type filter hook forward priority -150;
            tcp flags syn tcp option maxseg size set rt mtu
          }
        }""",
}

SERVER = textwrap.dedent("""\
    import socket, ssl, sys, threading
    cert, key, family, port, starttls = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5] == "1"
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    fam = socket.AF_INET6 if family == "6" else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("::" if fam == socket.AF_INET6 else "0.0.0.0", port))
    s.listen(16)
    print("ready", flush=True)
    def serve(c):
        try:
            if starttls:
                c.sendall(b"220 lab ESMTP\\r\\n")
                f = c.makefile("rb")
                f.readline()
                c.sendall(b"250-lab\\r\\n250 STARTTLS\\r\\n")
                f.readline()
                c.sendall(b"220 2.0.0 Ready to start TLS\\r\\n")
            t = ctx.wrap_socket(c, server_side=True)
            t.recv(1)
        except Exception:
            pass
    while True:
        c, _ = s.accept()
        threading.Thread(target=serve, args=(c,), daemon=True).start()
""")


def sh(*args, check=True, input=None):
    return subprocess.run(list(args), check=check, capture_output=True, text=True, input=input, timeout=60)


def make_cert_chain(directory):
    """Root -> intermediate -> leaf with many SANs: a TLS server flight of ~8 KB, several full segments."""
    def req(name, key):
        sh("openssl", "req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-subj", f"/CN={name}",
           "-out", os.path.join(directory, name + ".csr"))
    d = directory
    sh("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", f"{d}/root.key", "-subj", "/CN=lab root",
       "-days", "2", "-out", f"{d}/root.pem", "-addext", "basicConstraints=critical,CA:TRUE")
    req("inter", f"{d}/inter.key")
    with open(f"{d}/ca.ext", "w") as f:
        f.write("basicConstraints=critical,CA:TRUE\n")
    sh("openssl", "x509", "-req", "-in", f"{d}/inter.csr", "-CA", f"{d}/root.pem", "-CAkey", f"{d}/root.key",
       "-CAcreateserial", "-days", "2", "-extfile", f"{d}/ca.ext", "-out", f"{d}/inter.pem")
    req("leaf", f"{d}/leaf.key")
    with open(f"{d}/leaf.ext", "w") as f:
        f.write("subjectAltName=" + ",".join(f"DNS:host{i}.a-rather-long-mail-domain-name.lab.test"
                                              for i in range(110)) + "\n")
    sh("openssl", "x509", "-req", "-in", f"{d}/leaf.csr", "-CA", f"{d}/inter.pem", "-CAkey", f"{d}/inter.key",
       "-CAcreateserial", "-days", "2", "-extfile", f"{d}/leaf.ext", "-out", f"{d}/leaf.pem")
    chain = f"{d}/chain.pem"
    with open(chain, "w") as out:
        for part in ("leaf.pem", "inter.pem", "root.pem"):
            out.write(open(f"{d}/{part}").read())
    return chain, f"{d}/leaf.key"


class Lab:
    def __init__(self, mode):
        self.mode = mode
        tag = uuid.uuid4().hex[:6]
        self.ns = {r: f"mpx-{r}-{tag}" for r in ("cli", "rtr", "srv")}
        self.procs = []

    def ex(self, role, *args, check=True):
        return sh("ip", "netns", "exec", self.ns[role], *args, check=check)

    def __enter__(self):
        try:
            self._build()
        except Exception:
            self.close()
            raise
        return self

    def __exit__(self, *exc):
        self.close()

    def _build(self):
        for role, name in self.ns.items():
            sh("ip", "netns", "add", name)
            for k in ("net.ipv6.conf.all.accept_dad=0", "net.ipv6.conf.default.accept_dad=0",
                      "net.ipv4.tcp_mtu_probing=0"):
                self.ex(role, "sysctl", "-qw", k)
            self.ex(role, "ip", "link", "set", "lo", "up")
        tag = self.ns["cli"][-6:]
        sh("ip", "link", "add", f"c{tag}", "netns", self.ns["cli"], "type", "veth", "peer", "name", f"r{tag}",
           "netns", self.ns["rtr"])
        sh("ip", "link", "add", f"s{tag}", "netns", self.ns["srv"], "type", "veth", "peer", "name", f"t{tag}",
           "netns", self.ns["rtr"])
        self.ex("cli", "ip", "link", "set", f"c{tag}", "name", "cli0")
        self.ex("rtr", "ip", "link", "set", f"r{tag}", "name", "rc0")
        self.ex("rtr", "ip", "link", "set", f"t{tag}", "name", "rs0")
        self.ex("srv", "ip", "link", "set", f"s{tag}", "name", "srv0")
        self.ex("rtr", "ip", "link", "set", "rc0", "mtu", "1400")
        for role, dev in (("cli", "cli0"), ("rtr", "rc0"), ("rtr", "rs0"), ("srv", "srv0")):
            self.ex(role, "ip", "link", "set", dev, "up")
        self.ex("cli", "ip", "addr", "add", V4["cli"] + "/24", "dev", "cli0")
        self.ex("cli", "ip", "-6", "addr", "add", V6["cli"] + "/64", "dev", "cli0", "nodad")
        self.ex("rtr", "ip", "addr", "add", V4["rc"] + "/24", "dev", "rc0")
        self.ex("rtr", "ip", "-6", "addr", "add", V6["rc"] + "/64", "dev", "rc0", "nodad")
        self.ex("rtr", "ip", "addr", "add", V4["rs"] + "/24", "dev", "rs0")
        self.ex("rtr", "ip", "-6", "addr", "add", V6["rs"] + "/64", "dev", "rs0", "nodad")
        self.ex("srv", "ip", "addr", "add", V4["srv"] + "/24", "dev", "srv0")
        self.ex("srv", "ip", "-6", "addr", "add", V6["srv"] + "/64", "dev", "srv0", "nodad")
        self.ex("cli", "ip", "route", "add", "default", "via", V4["rc"])
        self.ex("cli", "ip", "-6", "route", "add", "default", "via", V6["rc"])
        self.ex("srv", "ip", "route", "add", "default", "via", V4["rs"])
        self.ex("srv", "ip", "-6", "route", "add", "default", "via", V6["rs"])
        self.ex("rtr", "sysctl", "-qw", "net.ipv4.ip_forward=1")
        self.ex("rtr", "sysctl", "-qw", "net.ipv6.conf.all.forwarding=1")
        if NFT[self.mode]:
            sh("ip", "netns", "exec", self.ns["rtr"], "nft", "-f", "-", input=NFT[self.mode])

    def spawn(self, role, *args, stdin=subprocess.DEVNULL):
        p = subprocess.Popen(["ip", "netns", "exec", self.ns[role], *args], stdin=stdin,
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.procs.append(p)
        return p

    def close(self):
        for p in self.procs:
            p.kill()
            p.wait()
        for name in self.ns.values():
            sh("ip", "netns", "del", name, check=False)
