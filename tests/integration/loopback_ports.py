"""Loopback TCP ports for test servers.

Ports come from below the kernel's ephemeral range (32768-60999 on Debian), so an
outgoing connection made by anything on the machine cannot take one between the
moment it is chosen and the moment a server binds it, and no port is handed out
twice in one process (the kernel reuses a just-closed ephemeral port readily:
two port-0 binds in a row once gave Dovecot the same port for two listeners).
"""

import random
import socket

_LOW, _HIGH = 20000, 32000
_handed_out = set()


def _bindable(port):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_port():
    """A TCP port nothing on 127.0.0.1 is bound to now, never returned before by this process."""
    for _ in range(1000):
        port = random.randrange(_LOW, _HIGH)
        if port not in _handed_out and _bindable(port):
            _handed_out.add(port)
            return port
    raise RuntimeError(f"no free loopback port in {_LOW}-{_HIGH} after 1000 tries")


def closed_port():
    """A loopback port with nothing listening (connect gets ECONNREFUSED)."""
    return free_port()
