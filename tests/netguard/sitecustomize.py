"""The test suite's network guard (SYNTHETIC test support): no test, and no Python process a test
starts, reaches beyond this machine, not even a DNS server.

Imported by tests/conftest.py for the test process itself (installed when the suite is loaded, so
collection, doctests and session fixtures are guarded too), and, as ``sitecustomize``, by every Python
subprocess a test starts: conftest puts this folder first on their ``PYTHONPATH``, and Python imports
``sitecustomize`` at start-up.
"""

from __future__ import annotations

import ipaddress
import socket

LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}
MESSAGE = "tests never leave the machine"

_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex
_real_getaddrinfo = socket.getaddrinfo


def loopback_only(host) -> None:
    """Refuse any host that is not a loopback address, without resolving it (no DNS query leaves)."""
    if host is None:
        return
    name = host.decode() if isinstance(host, bytes) else str(host)
    if name.strip("[]").lower() in LOCAL_NAMES:
        return
    try:
        ip = ipaddress.ip_address(name.strip("[]").split("%")[0])
    except ValueError:
        # a name: resolving it would ask a DNS server; fail as an unknown host does
        raise socket.gaierror(socket.EAI_NONAME, f"test tried to resolve {name}: {MESSAGE}") from None
    if not ip.is_loopback:
        raise OSError(f"test tried to reach {name}: {MESSAGE}")


def _check(sock: socket.socket, address) -> None:
    if sock.family in (socket.AF_INET, socket.AF_INET6):
        loopback_only(address[0])


def _guarded_getaddrinfo(host, *args, **kwargs):
    loopback_only(host)
    return _real_getaddrinfo(host, *args, **kwargs)


def _guarded_connect(self, address):
    _check(self, address)
    return _real_connect(self, address)


def _guarded_connect_ex(self, address):
    _check(self, address)
    return _real_connect_ex(self, address)


def install() -> None:
    """Guard this process's sockets (idempotent)."""
    socket.socket.connect = _guarded_connect
    socket.socket.connect_ex = _guarded_connect_ex
    socket.getaddrinfo = _guarded_getaddrinfo


install()
