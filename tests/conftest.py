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

_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


def _check(sock: socket.socket, address) -> None:
    if sock.family not in (socket.AF_INET, socket.AF_INET6):
        return
    host = address[0]
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        ip = ipaddress.ip_address(socket.gethostbyname(host))
    if not ip.is_loopback:
        raise OSError(f"test tried to reach {host}: tests never leave the machine")


def _guarded_connect(self, address):
    _check(self, address)
    return _real_connect(self, address)


def _guarded_connect_ex(self, address):
    _check(self, address)
    return _real_connect_ex(self, address)


@pytest.fixture(autouse=True)
def _no_internet_and_isolated_data(monkeypatch, tmp_path_factory):
    """Refuse non-loopback connections; point the default data dir at a temp dir; drop any real key."""
    monkeypatch.setattr(socket.socket, "connect", _guarded_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", _guarded_connect_ex)
    monkeypatch.setenv("MEDVLM_GRAPH_DATA_DIR", str(tmp_path_factory.mktemp("data")))
    monkeypatch.delenv("S2_API_KEY", raising=False)
    monkeypatch.delenv("S2_API_URL", raising=False)
    yield
