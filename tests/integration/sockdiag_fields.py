"""Every tcp_info field (by the length the kernel sent), INET_DIAG_SKMEMINFO and the timer of the TCP
sockets in this network namespace, straight from NETLINK_SOCK_DIAG: the ground truth the path classes
in src/tcp/path_class.cc are measured against (docs/tcp.md). Run inside a namespace; prints JSON."""

import json
import socket
import struct
import sys

NETLINK_SOCK_DIAG, SOCK_DIAG_BY_FAMILY = 4, 20
NLM_F_REQUEST, NLM_F_DUMP, NLMSG_DONE, NLMSG_ERROR = 1, 0x300, 3, 2
INET_DIAG_INFO, INET_DIAG_SKMEMINFO = 2, 7
# (name, offset, struct code) of struct tcp_info, include/uapi/linux/tcp.h
TCP_INFO = [("state", 0, "B"), ("ca_state", 1, "B"), ("retransmits", 2, "B"), ("probes", 3, "B"),
            ("backoff", 4, "B"), ("rto", 8, "I"), ("ato", 12, "I"), ("snd_mss", 16, "I"), ("rcv_mss", 20, "I"),
            ("unacked", 24, "I"), ("sacked", 28, "I"), ("lost", 32, "I"), ("retrans", 36, "I"),
            ("last_data_sent", 44, "I"), ("last_ack_sent", 48, "I"), ("last_data_recv", 52, "I"),
            ("last_ack_recv", 56, "I"), ("pmtu", 60, "I"), ("rcv_ssthresh", 64, "I"), ("rtt", 68, "I"),
            ("rttvar", 72, "I"), ("snd_ssthresh", 76, "I"), ("snd_cwnd", 80, "I"), ("advmss", 84, "I"),
            ("reordering", 88, "I"), ("rcv_rtt", 92, "I"), ("rcv_space", 96, "I"), ("total_retrans", 100, "I"),
            ("bytes_acked", 120, "Q"), ("bytes_received", 128, "Q"), ("segs_out", 136, "I"),
            ("segs_in", 140, "I"), ("notsent_bytes", 144, "I"), ("min_rtt", 148, "I"),
            ("data_segs_in", 152, "I"), ("data_segs_out", 156, "I"), ("delivered", 192, "I"),
            ("bytes_sent", 200, "Q"), ("bytes_retrans", 208, "Q"), ("dsack_dups", 216, "I"),
            ("reord_seen", 220, "I"), ("rcv_ooopack", 224, "I"), ("snd_wnd", 228, "I"), ("rcv_wnd", 232, "I"),
            ("total_rto", 240, "H"), ("total_rto_recoveries", 242, "H"), ("total_rto_time", 244, "I")]
SKMEM = ["rmem_alloc", "rcvbuf", "wmem_alloc", "sndbuf", "fwd_alloc", "wmem_queued", "optmem", "backlog",
         "drops"]


def dump(family):
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_SOCK_DIAG)
    ext = (1 << (INET_DIAG_INFO - 1)) | (1 << (INET_DIAG_SKMEMINFO - 1))
    req = struct.pack("=BBBBI", family, socket.IPPROTO_TCP, ext, 0, 0xFFF) + bytes(48)
    s.send(struct.pack("=IHHII", 16 + len(req), SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST | NLM_F_DUMP, 1, 0) + req)
    out = []
    while True:
        data = s.recv(1 << 20)
        off = 0
        while off < len(data):
            ln, typ = struct.unpack_from("=IH", data, off)
            if typ == NLMSG_DONE:
                return out
            if typ == NLMSG_ERROR:
                raise OSError("sock_diag error")
            msg = data[off + 16:off + ln]
            fam, state, timer, retrans = struct.unpack_from("=BBBB", msg, 0)
            sport, dport = struct.unpack_from(">HH", msg, 4)
            n = 4 if fam == socket.AF_INET else 16
            src = socket.inet_ntop(fam, msg[8:8 + n])
            dst = socket.inet_ntop(fam, msg[24:24 + n])
            expires, rqueue, wqueue = struct.unpack_from("=III", msg, 52)
            sk = {"family": fam, "state": state, "timer": timer, "idiag_retrans": retrans, "local": f"{src}:{sport}",
                  "peer": f"{dst}:{dport}", "sport": sport, "dport": dport, "expires": expires,
                  "rqueue": rqueue, "wqueue": wqueue}
            a = 72
            while a + 4 <= len(msg):
                alen, atyp = struct.unpack_from("=HH", msg, a)
                if alen < 4:
                    break
                body = msg[a + 4:a + alen]
                if atyp == INET_DIAG_INFO:
                    sk["info_len"] = len(body)
                    for name, o, code in TCP_INFO:
                        if o + struct.calcsize(code) <= len(body):
                            sk[name] = struct.unpack_from("=" + code, body, o)[0]
                elif atyp == INET_DIAG_SKMEMINFO:
                    for i, name in enumerate(SKMEM):
                        if 4 * i + 4 <= len(body):
                            sk["skmem_" + name] = struct.unpack_from("=I", body, 4 * i)[0]
                a += (alen + 3) & ~3
            out.append(sk)
            off += (ln + 3) & ~3


if __name__ == "__main__":
    json.dump(dump(socket.AF_INET) + dump(socket.AF_INET6), sys.stdout)
