"""A four-namespace lab for TCP path tests, both address families at once:

    cli (1500) -- rtr == 1400-byte hop == wan -- (1500) srv

The client and the server both believe their links are 1500; only the link between the two routers is
1400 (both ends), like a tunnel between two gateways, so full-size segments are too big in both
directions and each router answers them with ICMP frag-needed / packet-too-big. Modes: 'blackhole' (both
routers drop that ICMP), 'blackhole_c2s' (only rtr drops it: the client's full-size segments die, the
server's PMTUD works), 'pmtud' (ICMP passes), 'clamped' (rtr clamps the SYN's MSS to the route MTU).
The client namespace also holds a 'dark' address whose traffic rtr drops entirely once the handshake is
done (every segment lost, small and large: an outage, not a size problem). `probing=True` turns on
tcp_mtu_probing in the client namespace. Test traffic stays inside these namespaces."""

import os
import subprocess
import textwrap
import uuid

V4 = {"cli": "10.250.1.2", "dark": "10.250.1.3", "rc": "10.250.1.1", "rw": "10.250.3.1", "wr": "10.250.3.2",
      "ws": "10.250.2.1", "srv": "10.250.2.2"}
V6 = {"cli": "fd00:250:1::2", "dark": "fd00:250:1::3", "rc": "fd00:250:1::1", "rw": "fd00:250:3::1",
      "wr": "fd00:250:3::2", "ws": "fd00:250:2::1", "srv": "fd00:250:2::2"}

# Every mode: towards the dark client address only the SYN-ACK passes, so the server's socket is
# established and then every segment it sends (the 27-byte banner, a certificate flight) is lost.
DARK = f"""
        table inet mpxdark {{
          chain mpx_dark {{ type filter hook forward priority -200;
            ip daddr {V4["dark"]} tcp flags & (syn | ack) != (syn | ack) drop
            ip6 daddr {V6["dark"]} tcp flags & (syn | ack) != (syn | ack) drop
          }}
        }}"""

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
    # Only rtr drops its ICMP: the client's full-size segments die, the server's PMTUD works.
    "blackhole_c2s": "",
    "clamped": """
        table inet mpx {
          chain mpx_forward { type filter hook forward priority -150;
            tcp flags syn tcp option maxseg size set rt mtu
          }
        }""",
}

SERVER = textwrap.dedent("""\
    # A mail-like lab server: SMTP with STARTTLS and DATA (starttls "1"), or TLS at once (starttls "0").
    # family "4", "6", or "any" (dual-stack [::]).
    import socket, ssl, sys, threading
    cert, key, family, port, starttls = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5] == "1"
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    fam = socket.AF_INET if family == "4" else socket.AF_INET6
    s = socket.socket(fam, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if fam == socket.AF_INET6:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1 if family == "6" else 0)
    s.bind(("0.0.0.0" if fam == socket.AF_INET else "::", port))
    s.listen(64)
    print("ready", flush=True)
    def smtp(c):
        c.sendall(b"220 lab ESMTP\\r\\n")
        f = c.makefile("rb")
        while True:
            line = f.readline()
            if not line:
                return None
            verb = line[:4].upper()
            if verb == b"STAR":
                c.sendall(b"220 2.0.0 Ready to start TLS\\r\\n")
                return c
            if verb == b"DATA":
                c.sendall(b"354 go ahead\\r\\n")
                while f.readline() not in (b".\\r\\n", b""):
                    pass
                c.sendall(b"250 2.0.0 queued\\r\\n")
            elif verb == b"QUIT":
                c.sendall(b"221 bye\\r\\n")
                return None
            elif verb in (b"EHLO", b"HELO"):
                c.sendall(b"250-lab\\r\\n250-SIZE 10000000\\r\\n250 STARTTLS\\r\\n")
            else:
                c.sendall(b"250 2.0.0 ok\\r\\n")
    def serve(c):
        try:
            if starttls and smtp(c) is None:
                return
            t = ctx.wrap_socket(c, server_side=True)
            t.recv(1)
        except Exception:
            pass
    while True:
        c, _ = s.accept()
        threading.Thread(target=serve, args=(c,), daemon=True).start()
""")

# A client that speaks just enough SMTP, with a small (517-byte, OpenSSL 3.0's default) or a large
# (1,533-byte: the size of OpenSSL 3.5's post-quantum hybrid ClientHello, reached here with a long ALPN
# list, which servers without ALPN ignore) ClientHello. Prints each step; holds the socket until stdin
# closes. kind: tls-small, tls-big (implicit TLS), stls-small, stls-big (SMTP STARTTLS), data (a
# 100 kB message), plain (EHLO, then idle), silent (connects, sends nothing).
CLIENT = textwrap.dedent("""\
    import socket, ssl, sys
    kind, host, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    src = sys.argv[4] if len(sys.argv) > 4 else None
    fam = socket.AF_INET6 if ":" in host else socket.AF_INET
    c = socket.socket(fam, socket.SOCK_STREAM)
    if src:
        c.bind((src, 0))
    c.settimeout(120)
    c.connect((host, port))
    print("connected", c.getsockname()[1], flush=True)
    def ctx(big):
        x = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        x.check_hostname = False
        x.verify_mode = ssl.CERT_NONE
        if big:
            x.set_alpn_protocols([f"lab-{i:02d}-" + "p" * 50 for i in range(20)] + ["q" * 74])
        return x
    def reply(f):
        while True:
            line = f.readline()
            if not line or line[3:4] != b"-":
                return line
    try:
        if kind != "silent":
            if kind.startswith("stls") or kind in ("data", "plain"):
                f = c.makefile("rb")
                reply(f)
                c.sendall(b"EHLO client.example.org\\r\\n")
                reply(f)
                if kind == "data":
                    c.sendall(b"MAIL FROM:<alice@example.org>\\r\\n")
                    reply(f)
                    c.sendall(b"RCPT TO:<bob@example.com>\\r\\n")
                    reply(f)
                    c.sendall(b"DATA\\r\\n")
                    reply(f)
                    c.sendall(b"Subject: lab\\r\\n\\r\\n" + (b"x" * 998 + b"\\r\\n") * 100 + b".\\r\\n")
                    print("sent", reply(f).decode().strip(), flush=True)
                elif kind.startswith("stls"):
                    c.sendall(b"STARTTLS\\r\\n")
                    reply(f)
            if kind.endswith("small") or kind.endswith("big"):
                t = ctx(kind.endswith("big")).wrap_socket(c, server_hostname="mail.example.com")
                print("handshake", t.version(), flush=True)
        print("done", flush=True)
    except Exception as e:
        print("error", type(e).__name__, flush=True)
    sys.stdin.read()
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
    def __init__(self, mode, probing=False):
        self.mode = mode
        self.probing = probing
        tag = uuid.uuid4().hex[:6]
        self.ns = {r: f"mpx-{r}-{tag}" for r in ("cli", "rtr", "wan", "srv")}
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

    def _link(self, a, a_dev, b, b_dev, mtu):
        tag = self.ns["cli"][-6:]
        sh("ip", "link", "add", f"x{a_dev}{tag}", "netns", self.ns[a], "mtu", str(mtu), "type", "veth", "peer",
           "name", f"y{b_dev}{tag}", "netns", self.ns[b], "mtu", str(mtu))
        self.ex(a, "ip", "link", "set", f"x{a_dev}{tag}", "name", a_dev, "up")
        self.ex(b, "ip", "link", "set", f"y{b_dev}{tag}", "name", b_dev, "up")

    def _addr(self, role, dev, key, plen6=64):
        self.ex(role, "ip", "addr", "add", V4[key] + "/24", "dev", dev)
        self.ex(role, "ip", "-6", "addr", "add", f"{V6[key]}/{plen6}", "dev", dev, "nodad")

    def _route(self, role, net4, net6, via):
        self.ex(role, "ip", "route", "add", net4, "via", V4[via])
        self.ex(role, "ip", "-6", "route", "add", net6, "via", V6[via])

    def _build(self):
        for role, name in self.ns.items():
            sh("ip", "netns", "add", name)
            probing = "1" if self.probing and role == "cli" else "0"
            for k in ("net.ipv6.conf.all.accept_dad=0", "net.ipv6.conf.default.accept_dad=0",
                      f"net.ipv4.tcp_mtu_probing={probing}"):
                self.ex(role, "sysctl", "-qw", k)
            self.ex(role, "ip", "link", "set", "lo", "up")
        self._link("cli", "cli0", "rtr", "rc0", 1500)
        self._link("rtr", "rw0", "wan", "wr0", 1400)  # the narrow hop, both ends
        self._link("wan", "ws0", "srv", "srv0", 1500)
        self._addr("cli", "cli0", "cli")
        self.ex("cli", "ip", "addr", "add", V4["dark"] + "/24", "dev", "cli0")
        # Deprecated (preferred_lft 0), so only a client that binds it uses it as source.
        self.ex("cli", "ip", "-6", "addr", "add", V6["dark"] + "/64", "dev", "cli0", "nodad", "preferred_lft", "0")
        self._addr("rtr", "rc0", "rc")
        self._addr("rtr", "rw0", "rw")
        self._addr("wan", "wr0", "wr")
        self._addr("wan", "ws0", "ws")
        self._addr("srv", "srv0", "srv")
        self._route("cli", "default", "default", "rc")
        self._route("srv", "default", "default", "ws")
        self._route("rtr", "10.250.2.0/24", "fd00:250:2::/64", "wr")
        self._route("wan", "10.250.1.0/24", "fd00:250:1::/64", "rw")
        for r in ("rtr", "wan"):
            self.ex(r, "sysctl", "-qw", "net.ipv4.ip_forward=1")
            self.ex(r, "sysctl", "-qw", "net.ipv6.conf.all.forwarding=1")
            mode = "blackhole" if self.mode == "blackhole_c2s" and r == "rtr" else self.mode
            rules = NFT[mode] + (DARK if r == "rtr" else "")
            if rules.strip():
                sh("ip", "netns", "exec", self.ns[r], "nft", "-f", "-", input=rules)

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
