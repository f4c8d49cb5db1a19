"""HTTP client of the Semantic Scholar Graph API: one session, polite, patient, cached.

* One :class:`requests.Session`; the key from ``S2_API_KEY`` is sent as the
  ``x-api-key`` header on every request (never in a URL, a log line, a cache
  entry or an error message).
* A rate limiter (default 1 request/second, as the API asks of keyed users;
  cache hits cost nothing).
* Retries with exponential backoff and jitter on 429, 500, 502, 503, 504,
  timeouts, dropped connections and unreadable 200 answers (malformed or
  empty JSON, a batch answer of the wrong length); ``Retry-After`` is honoured
  when present. After ``max_retries`` retries a :class:`NetworkError` is
  raised (its ``status`` attribute holds the last HTTP status, if any).
* 400 (bad fields, bad parameters), 401 and 403 (bad key) are raised at once as
  :class:`ApiError` with a clear message.
* Definitive negative answers are returned, not raised, and cached like 200s:
  404 (paper or title not found) and 400 ``"No valid paper ids given"``.

Every answer goes through :class:`~medvlm_graph.s2.cache.ResponseCache` when
one is given, so a repeated request costs nothing.

Examples
--------
>>> c = S2Client("http://127.0.0.1:9/graph/v1/", api_key=None, rate=0)
>>> c.base_url
'http://127.0.0.1:9/graph/v1'
"""

from __future__ import annotations

import json
import logging
import os
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any

import requests

from .. import __version__
from ..errors import ApiError, InputError, NetworkError
from ..log import redact
from .cache import ResponseCache, request_key

logger = logging.getLogger("medvlm_graph.s2")

DEFAULT_API_URL = "https://api.semanticscholar.org/graph/v1"
ENV_API_URL = "S2_API_URL"
ENV_API_KEY = "S2_API_KEY"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
#: Statuses that make a batch worth splitting when they persist.
SPLIT_STATUSES = frozenset({500, 504})
NO_VALID_IDS = "no valid paper ids given"


def default_api_url() -> str:
    """``$S2_API_URL`` or the public Graph API base URL."""
    return (os.environ.get(ENV_API_URL) or DEFAULT_API_URL).rstrip("/")


@dataclass
class Reply:
    """A definitive answer: HTTP status (200, 404 or 400-no-valid-ids) and JSON body."""

    status: int
    data: Any
    cached: bool = False


@dataclass
class ClientStats:
    requests: int = 0  # HTTP requests actually sent
    cache_hits: int = 0  # answers served from the cache
    retries: int = 0  # requests repeated after a transient failure
    waited: float = 0.0  # seconds slept in backoff
    failures: dict[str, int] = field(default_factory=dict)  # transient failure kinds seen

    def note(self, kind: str) -> None:
        self.failures[kind] = self.failures.get(kind, 0) + 1


class RateLimiter:
    """At most ``rate`` request starts per second (``rate <= 0``: no limit).

    Examples
    --------
    >>> t = [0.0]; slept = []
    >>> rl = RateLimiter(2, clock=lambda: t[0], sleep=slept.append)
    >>> rl.wait(); rl.wait(); slept
    [0.5]
    """

    def __init__(self, rate: float, *, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.interval = 1.0 / rate if rate and rate > 0 else 0.0
        self._clock = clock
        self._sleep = sleep
        self._next: float | None = None

    def wait(self) -> None:
        if not self.interval:
            return
        now = self._clock()
        if self._next is not None and now < self._next:
            self._sleep(self._next - now)
            now = self._next
        self._next = now + self.interval


class _Transient(Exception):
    """Internal: a failure worth retrying (never leaves this module)."""

    def __init__(self, reason: str, status: int | None = None, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status
        self.retry_after = retry_after


class S2Client:
    """Semantic Scholar Graph API client with retries, rate limit and cache.

    Parameters
    ----------
    api_url : str, optional
        Base URL including ``/graph/v1``; default ``$S2_API_URL`` or the public API.
    api_key : str, optional
        Default ``$S2_API_KEY``; ``""`` or ``None`` sends no key.
    cache : ResponseCache, optional
        Where answers are stored and looked up; ``None`` disables caching.
    rate : float, optional
        Requests per second; default 1. ``0`` means no limit (local mirrors, tests).
    timeout : float
        Seconds to wait for a connection and for each read.
    max_retries : int
        Retries after the first attempt before giving up with :class:`NetworkError`.
    backoff : float
        First backoff delay in seconds; doubles each retry (with jitter in
        ``[0.5, 1.5)`` times the delay), capped at ``max_backoff``.
    max_backoff : float
        Longest single wait, also the cap on an honoured ``Retry-After``.
    sleep, rng : injectable for tests.
    """

    def __init__(
        self,
        api_url: str | None = None,
        *,
        api_key: str | None = ...,  # type: ignore[assignment]
        cache: ResponseCache | None = None,
        rate: float | None = None,
        timeout: float = 30.0,
        max_retries: int = 8,
        backoff: float = 1.0,
        max_backoff: float = 120.0,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
        session: requests.Session | None = None,
    ) -> None:
        self.base_url = (api_url or default_api_url()).rstrip("/")
        if not self.base_url.startswith(("http://", "https://")):
            raise InputError(f"API URL must start with http:// or https://: {self.base_url!r}")
        if api_key is ...:
            api_key = os.environ.get(ENV_API_KEY)
        self._has_key = bool(api_key)
        self.cache = cache
        self.timeout = timeout
        self.max_retries = max_retries
        self.backoff = backoff
        self.max_backoff = max_backoff
        self._sleep = sleep
        self._rng = rng or random.Random()
        self.rate = 1.0 if rate is None else float(rate)
        self._limiter = RateLimiter(self.rate, sleep=sleep)
        self.stats = ClientStats()
        self.session = session or requests.Session()
        self.session.headers["User-Agent"] = f"medvlm-graph/{__version__}"
        if api_key:
            self.session.headers["x-api-key"] = api_key

    # -- public -----------------------------------------------------------------------------
    def get(self, path: str, params: dict[str, Any] | None = None, **kw: Any) -> Reply:
        return self.call("GET", path, params, **kw)

    def post(self, path: str, params: dict[str, Any] | None = None, body: Any = None, **kw: Any) -> Reply:
        return self.call("POST", path, params, body, **kw)

    def call(
        self,
        method: str,
        path: str,
        params: dict[str, Any] | None = None,
        body: Any = None,
        *,
        validate: Callable[[Any], str | None] | None = None,
        give_up_on: frozenset[int] = frozenset(),
        give_up_after: int | None = None,
    ) -> Reply:
        """Send one request (or serve it from the cache) and return its definitive answer.

        Parameters
        ----------
        method, path, params, body
            ``path`` is relative to the base URL (``/paper/batch``); ``body`` is JSON.
        validate : callable, optional
            Called with a 200 body; returns a reason string when the body is not
            usable (it is then retried like a transient failure, never cached).
        give_up_on, give_up_after
            Stop early (raise :class:`NetworkError`) once a status in ``give_up_on``
            has been seen ``give_up_after`` times; used to split failing batches.
        """
        params = dict(params or {})
        key = request_key(method, path, params, body)
        request = {"method": method.upper(), "path": path, "params": params, "body": body}
        if self.cache is not None:
            hit = self.cache.get(key)
            if hit is not None:
                reason = validate(hit.data) if validate and hit.status == 200 else None
                if reason is None:
                    self.stats.cache_hits += 1
                    return Reply(hit.status, hit.data, cached=True)
                self.cache.report_corrupt(key, reason)

        url = self.base_url + path
        attempt = 0
        seen: dict[int, int] = {}
        while True:
            try:
                reply = self._send(method, url, path, params, body, validate)
            except _Transient as exc:
                self.stats.note(exc.reason.split(":")[0])
                if exc.status is not None:
                    seen[exc.status] = seen.get(exc.status, 0) + 1
                attempt += 1
                early = (give_up_after is not None and exc.status in give_up_on
                         and seen.get(exc.status, 0) >= give_up_after)
                if attempt > self.max_retries or early:
                    err = NetworkError(redact(
                        f"{method.upper()} {path} failed after {attempt} attempt(s): {exc.reason}"))
                    err.status = exc.status  # type: ignore[attr-defined]
                    raise err from None
                delay = self._delay(attempt, exc.retry_after)
                logger.debug(redact(f"{method.upper()} {path}: {exc.reason}; retry {attempt} in {delay:.2f}s"))
                self.stats.retries += 1
                self.stats.waited += delay
                self._sleep(delay)
                continue
            if self.cache is not None:
                self.cache.put(key, request, reply.status, reply.data)
            return reply

    # -- internals --------------------------------------------------------------------------
    def _delay(self, attempt: int, retry_after: float | None) -> float:
        delay = min(self.max_backoff, self.backoff * 2 ** (attempt - 1)) * (0.5 + self._rng.random())
        if retry_after is not None:
            # The server said how long; wait at least that (capped), never less.
            delay = max(delay, min(retry_after, self.max_backoff))
        return delay

    def _send(self, method: str, url: str, path: str, params: dict[str, Any], body: Any,
              validate: Callable[[Any], str | None] | None) -> Reply:
        self._limiter.wait()
        self.stats.requests += 1
        try:
            resp = self.session.request(method, url, params=params or None,
                                        json=body if body is not None else None, timeout=self.timeout)
            content = resp.content  # read the whole body here so a dropped connection is seen now
        except requests.Timeout:
            raise _Transient("timeout") from None
        except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError,
                requests.exceptions.ContentDecodingError) as exc:
            raise _Transient(f"connection error: {type(exc).__name__}") from None
        except (requests.exceptions.InvalidURL, requests.exceptions.MissingSchema,
                requests.exceptions.InvalidSchema) as exc:
            raise InputError(f"invalid API URL {self.base_url!r}: {type(exc).__name__}") from None
        status = resp.status_code
        data = _decode(content)

        if status == 200:
            if data is _BAD:
                raise _Transient("malformed JSON in a 200 answer" if content.strip() else "empty 200 answer",
                                 status)
            reason = validate(data) if validate else None
            if reason is not None:
                raise _Transient(f"unusable answer: {reason}", status)
            return Reply(200, data)
        message = _message(data, content)
        if status == 404:
            return Reply(404, data if data is not _BAD else {"error": message})
        if status == 400 and NO_VALID_IDS in message.lower():
            return Reply(400, data if data is not _BAD else {"error": message})
        if status in RETRY_STATUSES:
            raise _Transient(f"HTTP {status}", status, _retry_after(resp.headers.get("Retry-After")))
        if status in (401, 403):
            sent = "the key in S2_API_KEY was refused" if self._has_key else "no API key was sent"
            raise ApiError(f"Semantic Scholar refused access (HTTP {status} {message}): {sent}",
                           status=status, hint="check or unset S2_API_KEY")
        if status == 400:
            raise ApiError(f"Semantic Scholar rejected {method.upper()} {path} (HTTP 400): {message}",
                           status=status)
        raise ApiError(f"Semantic Scholar answered {method.upper()} {path} with HTTP {status}: {message}",
                       status=status)


_BAD = object()


def _decode(content: bytes) -> Any:
    try:
        return json.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return _BAD


def _message(data: Any, content: bytes) -> str:
    """The API's own words: ``error`` or ``message`` of the body (one line, redacted)."""
    if isinstance(data, dict):
        msg = data.get("error") or data.get("message")
        if msg:
            return redact(" ".join(str(msg).split()))[:300]
    text = content.decode("utf-8", "replace").strip()
    return redact(" ".join(text.split()))[:300] or "(empty body)"


def _retry_after(value: str | None) -> float | None:
    """Seconds from a ``Retry-After`` header (delta-seconds or an HTTP date).

    Examples
    --------
    >>> _retry_after("3"), _retry_after(None), _retry_after("soon")
    (3.0, None, None)
    """
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())
