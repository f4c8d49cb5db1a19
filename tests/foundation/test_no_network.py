"""The suite-wide guard of tests/conftest.py: no test reaches the network, not even a DNS server."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

from urllib.parse import urlsplit

import pytest

from medvlm_graph.s2.defaults import DEFAULT_API_URL

#: The host the package talks to outside the tests, read from the package (never written in a test).
API_HOST = urlsplit(DEFAULT_API_URL).hostname


def test_the_guard_refuses_the_real_api_without_asking_dns():
    """The guard itself: a lookup of the real host fails before any DNS query; loopback still works."""
    with pytest.raises(socket.gaierror, match="tests never leave the machine"):
        socket.getaddrinfo(API_HOST, 443)
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


def test_a_python_subprocess_is_guarded_too():
    """Every Python process a test starts imports the guard (tests/netguard/sitecustomize.py)."""
    code = ("import socket, sys\n"
            "try:\n    socket.getaddrinfo(sys.argv[1], 443)\nexcept socket.gaierror as e:\n    print(e)\n"
            "try:\n    socket.create_connection(('8.8.8.8', 53), timeout=1)\nexcept OSError as e:\n    print(e)\n")
    out = subprocess.run([sys.executable, "-c", code, API_HOST], capture_output=True, text=True, timeout=60).stdout
    assert out.count("tests never leave the machine") == 2, out


@pytest.fixture(scope="session")
def _looked_up_in_a_session_fixture():
    try:
        socket.getaddrinfo(API_HOST, 443)
    except socket.gaierror as exc:
        return str(exc)
    return "resolved"


def test_session_fixtures_are_guarded(_looked_up_in_a_session_fixture):
    """Fixtures of a wider scope run before the per-test fixture: the guard is installed before them."""
    assert "tests never leave the machine" in _looked_up_in_a_session_fixture
