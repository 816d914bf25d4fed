"""Holds established loopback TCP connections for the sock_diag benchmark.
mail mode:  holder.py mail PORT...            listens on the mail ports, accepts and keeps every connection
conn mode:  holder.py conn N LISTEN_PORT M MAIL_PORT...
            N connections to its own listener (2N sockets) plus M to the mail ports (round robin)."""

import resource
import socket
import sys
import threading

soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
keep = []


def acceptor(listener):
    while True:
        c, _ = listener.accept()
        keep.append(c)


if sys.argv[1] == "mail":
    for port in map(int, sys.argv[2:]):
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", port))
        s.listen(4096)
        threading.Thread(target=acceptor, args=(s,), daemon=True).start()
    print("ready", flush=True)
    sys.stdin.read()
else:
    n, port, m = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    mail_ports = list(map(int, sys.argv[5:]))
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", port))
    s.listen(4096)
    threading.Thread(target=acceptor, args=(s,), daemon=True).start()
    for i in range(n):
        keep.append(socket.create_connection(("127.0.0.1", port)))
    for i in range(m):
        keep.append(socket.create_connection(("127.0.0.1", mail_ports[i % len(mail_ports)])))
    print("ready", flush=True)
    sys.stdin.read()
