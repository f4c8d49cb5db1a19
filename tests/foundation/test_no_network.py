"""The suite-wide guard of tests/conftest.py: no test reaches the network, not even a DNS server."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import pytest


def test_the_guard_refuses_the_real_api_without_asking_dns():
    """The guard itself: a lookup of the real host fails before any DNS query; loopback still works."""
    with pytest.raises(socket.gaierror, match="tests never leave the machine"):
        socket.getaddrinfo("api.semanticscholar.org", 443)
    with pytest.raises(OSError, match="tests never leave the machine"):
        socket.create_connection(("8.8.8.8", 53), timeout=1)
    assert socket.getaddrinfo("127.0.0.1", 80)



def test_a_subprocess_without_a_local_server_gets_a_dead_loopback_port(tmp_path):
    """The CLI in a subprocess does not see the monkeypatches: its default API URL and proxies point at
    a dead loopback port, so a refresh that forgot its test server fails at once, on this machine."""
    assert os.environ["S2_API_URL"].startswith("http://127.0.0.1:")
    proc = subprocess.run([sys.executable, "-m", "medvlm_graph", "--data-dir", str(tmp_path / "d"), "refresh"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 3 and "cannot reach 127.0.0.1:9" in proc.stderr
