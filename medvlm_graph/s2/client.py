"""HTTP client of the Semantic Scholar APIs: one session, polite, patient, cached.

Two layers, each doing what it can know:

* **Transport** (:mod:`.transport`): one :class:`requests.Session` whose adapter
  retries 429, 500, 502, 503, 504, read timeouts and dropped connections with
  urllib3's ``Retry`` (exponential backoff with jitter, ``Retry-After``
  honoured). A host that has never answered is not retried: a refresh with no
  network fails within seconds, naming the cause and the host. The key from
  ``S2_API_KEY`` is sent as the ``x-api-key`` header on every request, retries
  included (never in a URL, a log line, a cache entry or an error message), and
  every request start, retries included, waits for the rate limiter (default 1
  request/second, as the API asks of keyed users; cache hits cost nothing).
* **Answers** (this module): a 200 whose body is unusable (cut off, invalid or
  empty JSON, or refused by the caller's ``validate``, e.g. a batch answer of
  the wrong length) is asked again with the same backoff, and never cached.
  400 (bad fields or parameters), 401/403 (bad key) and answers that show the
  URL is not the Semantic Scholar API (a 404 from ``POST /paper/batch``, a
  404 that is not the API's own ``{"error": ...}``, an HTML page, a redirect)
  raise :class:`ApiError` at once. Definitive negative answers are returned
  and cached like 200s: the API's 404 (paper or title not found) and 400
  ``"No valid paper ids given"``.

After ``max_retries`` retries a :class:`NetworkError` is raised (its ``status``
attribute holds the last HTTP status, if any). ``max_retries`` bounds each
layer: an answer may be asked again ``max_retries`` times for being unusable,
and each of those attempts may be retried by the transport.

The base URL is the Graph API's (``.../graph/v1``); a host alone gets
``/graph/v1`` added. Paths under ``/recommendations/v1`` go to the
Recommendations API on the same host (:func:`recommendations_url`).

Examples
--------
>>> c = S2Client("http://127.0.0.1:9/graph/v1/", api_key=None, rate=0)
>>> c.base_url, c.recommendations_url
('http://127.0.0.1:9/graph/v1', 'http://127.0.0.1:9/recommendations/v1')
>>> S2Client("https://api.example.org", api_key=None).base_url
'https://api.example.org/graph/v1'
"""

from __future__ import annotations

import json
import logging
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import requests
from urllib3.exceptions import MaxRetryError

from .. import __version__
from ..errors import ApiError, InputError, NetworkError
from ..log import redact
from .cache import ResponseCache, request_key
from .defaults import DEFAULT_API_URL, ENV_API_URL
from .transport import (CONNECT_TIMEOUT, RETRY_STATUSES, PoliteRetry, RetryHooks, describe_failure,
                        is_connect_failure, mount)

logger = logging.getLogger("medvlm_graph.s2")

GRAPH_PATH = "/graph/v1"
#: Paths starting with this go to the Recommendations API (same host as the Graph API).
RECOMMENDATIONS_PATH = "/recommendations/v1"
ENV_API_KEY = "S2_API_KEY"
#: Statuses that make a batch worth splitting when they persist.
SPLIT_STATUSES = frozenset({500, 504})
NO_VALID_IDS = "no valid paper ids given"
URL_HINT = (f"the base URL ends in {GRAPH_PATH}, as in {DEFAULT_API_URL}, or is the host alone, to which "
            f"{GRAPH_PATH} is added; set it with --api-url or {ENV_API_URL}")

__all__ = ["DEFAULT_API_URL", "ENV_API_KEY", "ENV_API_URL", "RETRY_STATUSES", "SPLIT_STATUSES", "ClientStats",
           "RateLimiter", "Reply", "S2Client", "api_base_url", "default_api_url", "recommendations_url"]


def api_base_url(url: str) -> str:
    """The Graph API base URL for ``url``: trailing ``/`` removed, ``/graph/v1`` added to a host alone.

    Examples
    --------
    >>> api_base_url("http://127.0.0.1:8000/"), api_base_url("https://mirror.example/s2/graph/v1/")
    ('http://127.0.0.1:8000/graph/v1', 'https://mirror.example/s2/graph/v1')
    """
    url = url.strip().rstrip("/")
    if not url.startswith(("http://", "https://")):
        raise InputError(f"API URL must start with http:// or https://: {url!r}", hint=URL_HINT)
    parts = urlsplit(url)
    if not parts.hostname:
        raise InputError(f"API URL has no host: {url!r}", hint=URL_HINT)
    if parts.query or parts.fragment:
        raise InputError(f"API URL must not hold a query or fragment: {redact(url)!r}", hint=URL_HINT)
    return url + GRAPH_PATH if not parts.path else url


def recommendations_url(base_url: str) -> str:
    """The Recommendations API base URL on the Graph API's host (and path prefix, for a mirror).

    Examples
    --------
    >>> recommendations_url("https://api.semanticscholar.org/graph/v1")
    'https://api.semanticscholar.org/recommendations/v1'
    >>> recommendations_url("http://mirror.example/s2/graph/v1")
    'http://mirror.example/s2/recommendations/v1'
    >>> recommendations_url("http://mirror.example/other")
    'http://mirror.example/recommendations/v1'
    """
    if base_url.endswith(GRAPH_PATH):
        return base_url[: -len(GRAPH_PATH)] + RECOMMENDATIONS_PATH
    parts = urlsplit(base_url)
    return f"{parts.scheme}://{parts.netloc}{RECOMMENDATIONS_PATH}"


def default_api_url() -> str:
    """``$S2_API_URL`` or the public Graph API base URL (see :func:`api_base_url`)."""
    return api_base_url(os.environ.get(ENV_API_URL) or DEFAULT_API_URL)


@dataclass
class Reply:
    """A definitive answer: HTTP status (200, 404 or 400-no-valid-ids) and JSON body."""

    status: int
    data: Any
    cached: bool = False


@dataclass
class ClientStats:
    requests: int = 0  # HTTP requests actually sent (retries included)
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


class _ApiKey(requests.auth.AuthBase):
    """Puts the key in the ``x-api-key`` header; its repr never shows it."""

    def __init__(self, key: str) -> None:
        self._key = key

    def __call__(self, r: requests.PreparedRequest) -> requests.PreparedRequest:
        r.headers["x-api-key"] = self._key
        return r

    def __repr__(self) -> str:
        return "<x-api-key ***>"


class _Unusable(Exception):
    """Internal: a 200 (or a cut-off answer) that cannot be used; asked again, never cached."""

    def __init__(self, reason: str, status: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status


class S2Client:
    """Semantic Scholar client with retries, rate limit and cache.

    Parameters
    ----------
    api_url : str, optional
        Graph API base URL (``.../graph/v1``, or a host alone); default
        ``$S2_API_URL`` or the public API.
    api_key : str, optional
        Default ``$S2_API_KEY``; ``""`` or ``None`` sends no key.
    cache : ResponseCache, optional
        Where answers are stored and looked up; ``None`` disables caching.
    rate : float, optional
        Requests per second; default 1. ``0`` means no limit (local mirrors, tests).
    timeout : float
        Seconds to wait for each read (and at most :data:`~.transport.CONNECT_TIMEOUT`
        for a connection).
    max_retries : int
        Retries after the first attempt before giving up with :class:`NetworkError`.
    backoff : float
        Backoff factor in seconds: the n-th consecutive retry waits ``backoff * 2**(n-1)``
        plus a random jitter of up to ``backoff`` (urllib3 repeats the first at once),
        capped at ``max_backoff``.
    max_backoff : float
        Longest single wait, also the cap on an honoured ``Retry-After``.
    sleep : injectable for tests.
    session : requests.Session, optional
        The session to use (an adapter with the retry policy is mounted on it).
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
        session: requests.Session | None = None,
    ) -> None:
        self.base_url = api_base_url(api_url) if api_url else default_api_url()
        self.recommendations_url = recommendations_url(self.base_url)
        if api_key is ...:
            api_key = os.environ.get(ENV_API_KEY)
        self._has_key = bool(api_key)
        self.cache = cache
        self.timeout = timeout
        self.max_retries = max_retries
        self.rate = 1.0 if rate is None else float(rate)
        self._limiter = RateLimiter(self.rate, sleep=sleep)
        self.stats = ClientStats()
        self._call_retries = 0
        self._where = ""
        self._last_kind = ""
        self._hooks = RetryHooks(sleep=sleep, before_send=self._before_send, on_retry=self._on_retry,
                                 on_wait=self._on_wait)
        self._retry = PoliteRetry.for_client(max_retries=max_retries, backoff=backoff, max_backoff=max_backoff,
                                             hooks=self._hooks)
        self.session = mount(session or requests.Session(), self._retry)
        self.session.headers["User-Agent"] = f"medvlm-graph/{__version__}"
        self.session.auth = _ApiKey(api_key) if api_key else None

    # -- public -----------------------------------------------------------------------------
    def get(self, path: str, params: dict[str, Any] | None = None, **kw: Any) -> Reply:
        return self.call("GET", path, params, **kw)

    def post(self, path: str, params: dict[str, Any] | None = None, body: Any = None, **kw: Any) -> Reply:
        return self.call("POST", path, params, body, **kw)

    def url(self, path: str) -> str:
        """Full URL of ``path``: Graph API paths are relative to the base URL; ``/recommendations/v1/...``
        goes to :attr:`recommendations_url`."""
        if path.startswith(RECOMMENDATIONS_PATH + "/"):
            return self.recommendations_url + path[len(RECOMMENDATIONS_PATH):]
        return self.base_url + path

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
        not_found_is_an_answer: bool = True,
    ) -> Reply:
        """Send one request (or serve it from the cache) and return its definitive answer.

        Parameters
        ----------
        method, path, params, body
            ``path`` is relative to the base URL (``/paper/batch``), or starts
            with ``/recommendations/v1``; ``body`` is JSON.
        validate : callable, optional
            Called with a 200 body; returns a reason string when the body is not
            usable (it is then asked again, never cached).
        give_up_on, give_up_after
            Stop early (raise :class:`NetworkError`) once a status in ``give_up_on``
            has been seen ``give_up_after`` times; used to split failing batches.
        not_found_is_an_answer : bool
            Whether the API's own 404 (``{"error": ...}``) is a definitive answer of
            this endpoint; when False any 404 means the URL is not the API.
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

        url = self.url(path)
        self._where = f"{method.upper()} {path}"
        self._call_retries = 0
        self._hooks.give_up = (frozenset(give_up_on), give_up_after) if give_up_after else None
        again = self._retry.new(total=self.max_retries, other=self.max_retries)  # budget for unusable answers
        try:
            while True:
                try:
                    reply = self._send(method, url, path, params, body, validate, not_found_is_an_answer)
                    break
                except _Unusable as exc:
                    try:
                        again = again.increment(method.upper(), url, error=exc)
                    except MaxRetryError:
                        raise self._failed(exc.reason, exc.status) from None
                    again.wait()
        finally:
            self._hooks.give_up = None
        if self.cache is not None:
            self.cache.put(key, request, reply.status, reply.data)
        return reply

    # -- hooks of the transport ---------------------------------------------------------------
    def _before_send(self) -> None:
        self._limiter.wait()
        self.stats.requests += 1

    def _on_retry(self, kind: str) -> None:
        self.stats.note(kind)
        self.stats.retries += 1
        self._call_retries += 1
        self._last_kind = kind

    def _on_wait(self, seconds: float) -> None:
        self.stats.waited += seconds
        logger.debug(redact(f"{self._where}: {self._last_kind}; retry {self._call_retries} in {seconds:.2f}s"))

    # -- internals --------------------------------------------------------------------------
    def _failed(self, reason: str, status: int | None) -> NetworkError:
        err = NetworkError(redact(f"{self._where} failed after {self._call_retries + 1} attempt(s): {reason}"))
        err.status = status  # type: ignore[attr-defined]
        return err

    def _not_the_api(self, url: str, what: str) -> ApiError:
        return ApiError(redact(f"{url} {what}: this is not the Semantic Scholar API"), hint=URL_HINT)

    def _send(self, method: str, url: str, path: str, params: dict[str, Any], body: Any,
              validate: Callable[[Any], str | None] | None, not_found_is_an_answer: bool) -> Reply:
        self._before_send()
        connect_timeout = min(self.timeout, CONNECT_TIMEOUT)
        try:
            resp = self.session.request(method, url, params=params or None,
                                        json=body if body is not None else None,
                                        timeout=(connect_timeout, self.timeout), allow_redirects=False,
                                        stream=True)  # the body is read below, where a cut-off is seen
        except (requests.exceptions.InvalidURL, requests.exceptions.MissingSchema,
                requests.exceptions.InvalidSchema) as exc:
            raise InputError(f"invalid API URL {self.base_url!r}: {type(exc).__name__}", hint=URL_HINT) from None
        except requests.RequestException as exc:
            why = describe_failure(exc, url, connect_timeout=connect_timeout, timeout=self.timeout)
            err = self._failed(why, None)
            err.unreachable = is_connect_failure(exc) and not self._hooks.answered  # type: ignore[attr-defined]
            raise err from None
        self._hooks.answered = True
        try:
            content = resp.content
        except requests.RequestException as exc:
            resp.close()
            raise _Unusable("answer cut off: " + describe_failure(exc, url, connect_timeout=connect_timeout,
                                                                  timeout=self.timeout)) from None
        status = resp.status_code
        data = _decode(content)
        html = _is_html(content, resp.headers.get("Content-Type"))

        if 300 <= status < 400:
            where = resp.headers.get("Location") or "another address"
            raise self._not_the_api(url, f"redirects to {where} (HTTP {status})")
        if status == 200:
            if html:
                raise self._not_the_api(url, f"answered {method.upper()} with {_message(data, content, html)}")
            if data is _BAD:
                raise _Unusable("malformed JSON in a 200 answer" if content.strip() else "empty 200 answer", status)
            reason = validate(data) if validate else None
            if reason is not None:
                raise _Unusable(f"unusable answer: {reason}", status)
            return Reply(200, data)
        message = _message(data, content, html)
        if status == 404:
            if not_found_is_an_answer and isinstance(data, dict) and data.get("error"):
                return Reply(404, data)
            raise self._not_the_api(url, f"answered {method.upper()} with HTTP 404 ({message})")
        if status == 400 and NO_VALID_IDS in message.lower():
            return Reply(400, data if data is not _BAD else {"error": message})
        if status in RETRY_STATUSES:  # the transport's retries ran out (or the caller gives up early)
            raise self._failed(f"HTTP {status}", status)
        if status in (401, 403):
            sent = "the key in S2_API_KEY was refused" if self._has_key else "no API key was sent"
            raise ApiError(f"Semantic Scholar refused access (HTTP {status} {message}): {sent}",
                           status=status, hint="check or unset S2_API_KEY")
        if status == 400:
            raise ApiError(f"Semantic Scholar rejected {method.upper()} {path} (HTTP 400): {message}",
                           status=status)
        raise ApiError(f"{redact(url)} answered {method.upper()} with HTTP {status}: {message}", status=status)


_BAD = object()
_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.I | re.S)


def _decode(content: bytes) -> Any:
    try:
        return json.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return _BAD


def _is_html(content: bytes, content_type: str | None) -> bool:
    if content_type and "html" in content_type.lower():
        return True
    head = content[:200].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html", b"<head", b"<body"))


def _message(data: Any, content: bytes, html: bool = False) -> str:
    """The API's own words (``error`` or ``message`` of the body), in one short redacted line.

    An HTML page is named by its title, never quoted whole.

    Examples
    --------
    >>> _message(None, b"<html><head><title>404 Not Found</title></head><body>...</body></html>", True)
    "an HTML page titled '404 Not Found'"
    >>> _message({"error": "Title match not found"}, b"")
    'Title match not found'
    """
    if isinstance(data, dict):
        msg = data.get("error") or data.get("message")
        if msg:
            return redact(" ".join(str(msg).split()))[:300]
    text = content.decode("utf-8", "replace")
    if html:
        m = _TITLE.search(text)
        title = " ".join(m.group(1).split())[:120] if m else ""
        return f"an HTML page titled {redact(title)!r}" if title else "an HTML page"
    return redact(" ".join(text.split()))[:200] or "(empty body)"
