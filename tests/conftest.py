"""Suite-wide guards: no test reaches the internet, none writes into ./data, and a subprocess runs the
code under test."""

from __future__ import annotations

import ipaddress
import os
import socket
from pathlib import Path

import pytest

import medvlm_graph

# Tests start the CLI as `sys.executable -m medvlm_graph`: put the package this session imports first on
# the subprocesses' path, so they run this code even when another copy is installed (or none is).
_SOURCE_ROOT = str(Path(medvlm_graph.__file__).resolve().parent.parent)
os.environ["PYTHONPATH"] = os.pathsep.join([_SOURCE_ROOT, *filter(None, [os.environ.get("PYTHONPATH")])])

# Subprocesses (the CLI run as `python -m medvlm_graph`) do not see the monkeypatches below: any HTTP
# request they make without a local test server goes to a dead loopback port, never to the real API.
DEAD_LOOPBACK = "http://127.0.0.1:9"
for _var in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy"):
    os.environ[_var] = DEAD_LOOPBACK
os.environ["NO_PROXY"] = os.environ["no_proxy"] = "127.0.0.1,localhost,::1"
os.environ["S2_API_URL"] = DEAD_LOOPBACK + "/graph/v1"

_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex
_real_getaddrinfo = socket.getaddrinfo
_LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}


def _loopback_only(host) -> None:
    """Refuse any host that is not a loopback address, without resolving it (no DNS query leaves)."""
    if host is None:
        return
    name = host.decode() if isinstance(host, bytes) else str(host)
    if name.strip("[]").lower() in _LOCAL_NAMES:
        return
    try:
        ip = ipaddress.ip_address(name.strip("[]").split("%")[0])
    except ValueError:
        # a name: resolving it would ask a DNS server; fail as an unknown host does
        raise socket.gaierror(socket.EAI_NONAME, f"test tried to resolve {name}: tests never leave the machine") from None
    if not ip.is_loopback:
        raise OSError(f"test tried to reach {name}: tests never leave the machine")


def _check(sock: socket.socket, address) -> None:
    if sock.family in (socket.AF_INET, socket.AF_INET6):
        _loopback_only(address[0])


def _guarded_getaddrinfo(host, *args, **kwargs):
    _loopback_only(host)
    return _real_getaddrinfo(host, *args, **kwargs)


def _guarded_connect(self, address):
    _check(self, address)
    return _real_connect(self, address)


def _guarded_connect_ex(self, address):
    _check(self, address)
    return _real_connect_ex(self, address)


@pytest.fixture(autouse=True)
def _no_internet_and_isolated_data(monkeypatch, tmp_path_factory):
    """Refuse non-loopback connections and every DNS lookup of a name that is not the machine's own;
    point the default data dir at a temp dir; drop any real key; the default API URL is a dead loopback
    port (a test that forgets its local server fails here, it never reaches the real API)."""
    monkeypatch.setattr(socket.socket, "connect", _guarded_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", _guarded_connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", _guarded_getaddrinfo)
    monkeypatch.setenv("MEDVLM_GRAPH_DATA_DIR", str(tmp_path_factory.mktemp("data")))
    monkeypatch.delenv("S2_API_KEY", raising=False)
    monkeypatch.setenv("S2_API_URL", DEAD_LOOPBACK + "/graph/v1")
    yield

