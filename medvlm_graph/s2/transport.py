"""Transport of the Semantic Scholar client: a requests session whose retries are urllib3's.

The session gets an :class:`requests.adapters.HTTPAdapter` with a :class:`PoliteRetry`
(a :class:`urllib3.util.retry.Retry`): 429, 500, 502, 503 and 504 answers, read
timeouts and connections dropped before the answer are retried with exponential
backoff and jitter, and a ``Retry-After`` header is honoured (capped at
``max_backoff``). The subclass adds only what urllib3 cannot know:

* **A host that never answered is not retried.** Until the host has sent one
  answer, a failed connection (name resolution failed, connection refused,
  connect timeout) ends the request at once: retries are for an API that
  answers 429/5xx or drops some connections, not for a host that cannot be
  reached. Afterwards connection failures are retried like the rest.
* **Every request start goes through the client's rate limiter**, retries
  included, and the sleeps go through the client's (injectable) ``sleep``.
* **The first retry waits too** (urllib3 repeats the first failure at once, which
  after a 429 only earns another 429): the n-th consecutive retry waits
  ``backoff * 2**(n-1)`` plus a random jitter of up to ``backoff`` seconds,
  capped at ``max_backoff``.
* **Batches that keep failing can give up early** (:attr:`RetryHooks.give_up`),
  so the caller can split them instead.

:func:`describe_failure` turns a requests/urllib3 exception into one plain line
(cause and host, never an object repr).

Examples
--------
>>> hooks = RetryHooks()
>>> r = PoliteRetry.for_client(max_retries=3, backoff=0.5, max_backoff=8, hooks=hooks)
>>> r.total, sorted(r.status_forcelist), r.backoff_jitter
(3, [429, 500, 502, 503, 504], 0.5)
"""

from __future__ import annotations

import random
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from itertools import takewhile
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import (ConnectTimeoutError, MaxRetryError, NameResolutionError, NewConnectionError,
                                ProtocolError, ReadTimeoutError, SSLError)
from urllib3.util.retry import Retry

#: Answers worth asking again.
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
#: Longest wait for a TCP connection: a host that does not answer fails within seconds.
CONNECT_TIMEOUT = 10.0


@dataclass
class RetryHooks:
    """What :class:`PoliteRetry` needs from its client (the client is single-threaded).

    sleep : waits that many seconds (tests pass a recorder).
    before_send : called before every request start, retries included (rate limiter, request count).
    on_retry : called with the failure kind (``"HTTP 429"``, ``"timeout"``, ...) of each retry.
    on_wait : called with the seconds about to be waited before a retry.
    answered : the host has answered at least once; only then are connection failures retried.
    give_up : ``(statuses, n)``: stop retrying once ``n`` answers of one of ``statuses`` came back.
    """

    sleep: Callable[[float], None] = time.sleep
    before_send: Callable[[], None] = lambda: None
    on_retry: Callable[[str], None] = lambda kind: None
    on_wait: Callable[[float], None] = lambda seconds: None
    answered: bool = False
    give_up: tuple[frozenset[int], int] | None = None


class PoliteRetry(Retry):
    """urllib3 ``Retry`` with the client's hooks (see the module docstring)."""

    def __init__(self, *args: Any, hooks: RetryHooks | None = None, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.hooks = hooks or RetryHooks()

    @classmethod
    def for_client(cls, *, max_retries: int, backoff: float, max_backoff: float, hooks: RetryHooks) -> PoliteRetry:
        """The policy of :class:`~medvlm_graph.s2.client.S2Client`: ``max_retries`` retries of any kind."""
        return cls(total=max_retries, connect=max_retries, read=max_retries, status=max_retries,
                   other=0,  # TLS and other errors: retrying does not help
                   redirect=False, allowed_methods=None,  # POST /paper/batch is a query: safe to repeat
                   status_forcelist=RETRY_STATUSES, raise_on_status=False, respect_retry_after_header=True,
                   backoff_factor=backoff, backoff_jitter=backoff, backoff_max=max_backoff,
                   retry_after_max=max_backoff, hooks=hooks)

    def new(self, **kw: Any) -> PoliteRetry:
        kw.setdefault("hooks", self.hooks)
        return super().new(**kw)  # type: ignore[return-value]

    def is_retry(self, method: str, status_code: int, has_retry_after: bool = False) -> bool:
        if self.hooks.give_up is not None:
            statuses, n = self.hooks.give_up
            if status_code in statuses and 1 + sum(h.status == status_code for h in self.history) >= n:
                return False
        return super().is_retry(method, status_code, has_retry_after)

    def increment(self, method: str | None = None, url: str | None = None, response: Any = None,
                  error: Exception | None = None, _pool: Any = None, _stacktrace: Any = None) -> PoliteRetry:
        if error is not None and self._is_connection_error(error) and not self.hooks.answered:
            raise MaxRetryError(_pool, url or "", error) from error  # nothing has ever answered: stop now
        new = super().increment(method, url, response, error, _pool, _stacktrace)
        self.hooks.on_retry(failure_kind(response.status if response is not None else None, error))
        return new  # type: ignore[return-value]

    def get_backoff_time(self) -> float:
        n = len(list(takewhile(lambda h: h.redirect_location is None, reversed(self.history))))
        if n == 0:
            return 0.0
        value = self.backoff_factor * 2 ** (n - 1) + random.random() * self.backoff_jitter
        return float(max(0.0, min(self.backoff_max, value)))

    def wait(self, response: Any = None) -> float:
        """Sleep before the next attempt: ``Retry-After`` when the answer has one, else the backoff."""
        delay = None
        if response is not None and self.respect_retry_after_header:
            delay = self.get_retry_after(response)
        if delay is None:
            delay = self.get_backoff_time()
        self.hooks.on_wait(delay)
        if delay > 0:
            self.hooks.sleep(delay)
        return delay

    def sleep(self, response: Any = None) -> None:  # called by urllib3 between its attempts
        self.wait(response)
        self.hooks.before_send()


def mount(session: requests.Session, retry: PoliteRetry) -> requests.Session:
    """Mount an adapter with ``retry`` on ``session`` for http and https; returns the session."""
    adapter = HTTPAdapter(max_retries=retry)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def failure_kind(status: int | None, error: BaseException | None) -> str:
    """Short name of a transient failure, as counted in the manifest.

    Examples
    --------
    >>> failure_kind(429, None), failure_kind(None, ReadTimeoutError(None, "/", "read timed out"))
    ('HTTP 429', 'timeout')
    """
    if status is not None:
        return f"HTTP {status}"
    if isinstance(error, (ReadTimeoutError, socket.timeout)) or (
            isinstance(error, ConnectTimeoutError) and not isinstance(error, NewConnectionError)):
        return "timeout"
    if isinstance(error, (NewConnectionError, ProtocolError, ConnectionError)):
        return "connection error"
    reason = getattr(error, "reason", None)  # the client's unusable answers carry their reason
    return reason.split(":")[0] if isinstance(reason, str) else type(error).__name__


def host_of(url: str) -> str:
    """``host[:port]`` of a URL, without any user info.

    Examples
    --------
    >>> host_of("https://user:pw@api.example.org:8443/graph/v1")
    'api.example.org:8443'
    """
    parts = urlsplit(url)
    host = parts.hostname or url
    return f"{host}:{parts.port}" if parts.port else host


def _chain(exc: BaseException) -> list[BaseException]:
    """``exc`` and everything it wraps (requests args, urllib3 reasons, causes, contexts)."""
    seen: list[BaseException] = []
    todo: list[Any] = [exc]
    while todo:
        e = todo.pop(0)
        if not isinstance(e, BaseException) or any(e is s for s in seen):
            continue
        seen.append(e)
        todo.extend([getattr(e, "reason", None), e.__cause__, e.__context__, *getattr(e, "args", ())])
    return seen


def is_connect_failure(exc: BaseException) -> bool:
    """True when no connection to the host could be made (so the request never left)."""
    return any(isinstance(e, ConnectTimeoutError) for e in _chain(exc))


def describe_failure(exc: BaseException, url: str, *, connect_timeout: float, timeout: float) -> str:
    """One plain line naming the cause and the host of a failed request.

    Examples
    --------
    >>> err = NameResolutionError("api.example.org", None, socket.gaierror(-2, "Name or service not known"))
    >>> describe_failure(err, "https://api.example.org/graph/v1", connect_timeout=10, timeout=30)
    'cannot reach api.example.org: name resolution failed (no network, or a wrong host name)'
    >>> describe_failure(ConnectionRefusedError(111, "refused"), "http://127.0.0.1:9/x", connect_timeout=10,
    ...                  timeout=30)
    'cannot reach 127.0.0.1:9: connection refused (nothing listens there)'
    """
    host = host_of(url)
    chain = _chain(exc)
    if any(isinstance(e, (NameResolutionError, socket.gaierror)) for e in chain):
        return f"cannot reach {host}: name resolution failed (no network, or a wrong host name)"
    if any(isinstance(e, ConnectionRefusedError) for e in chain):
        return f"cannot reach {host}: connection refused (nothing listens there)"
    if any(isinstance(e, ConnectTimeoutError) and not isinstance(e, NewConnectionError) for e in chain) \
            or any(isinstance(e, requests.ConnectTimeout) for e in chain):
        return f"cannot reach {host}: connection timed out after {connect_timeout:g} s"
    if any(isinstance(e, NewConnectionError) for e in chain):
        os_err = next((e for e in chain if isinstance(e, OSError) and e.strerror), None)
        why = os_err.strerror.lower() if os_err is not None else "connection failed"
        return f"cannot reach {host}: {why}"
    if any(isinstance(e, (ReadTimeoutError, requests.ReadTimeout, socket.timeout)) for e in chain):
        return f"{host} sent no answer within {timeout:g} s (read timed out)"
    if any(isinstance(e, (SSLError, requests.exceptions.SSLError)) for e in chain):
        return f"TLS/SSL error talking to {host}"
    if any(isinstance(e, ProtocolError) for e in chain):
        return f"{host} dropped the connection"
    return f"connection to {host} failed ({type(exc).__name__})"
