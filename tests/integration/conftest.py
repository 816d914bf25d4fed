"""Fixtures shared by the integration tests."""

import os
import tempfile

import pytest

from netns_lab import SERVER, make_cert_chain


@pytest.fixture(scope="module")
def chain():
    """The netns lab's TLS server: a certificate chain large enough that the server flight spans
    several full-size segments, and the server script; (cert, key, server.py) in a temp dir."""
    with tempfile.TemporaryDirectory() as tmp:
        cert, key = make_cert_chain(tmp)
        server = os.path.join(tmp, "server.py")
        with open(server, "w") as f:
            f.write(SERVER)
        yield cert, key, server
