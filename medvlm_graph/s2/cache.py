"""JSON cache of Semantic Scholar answers, keyed by the request, never by an id.

One file per request under ``<data>/raw/s2/cache/<aa>/<sha256>.json`` where the
hash is over ``(method, path, sorted params, body)`` (see :func:`request_key`),
so any id (DOIs hold ``/``) is safe and the same question always lands on the
same file. Files are written atomically (temp file + rename): a killed run
leaves either a whole answer or none, and the next run resumes from what is
there. Only definitive answers are stored (200, and the 404/400 "not found"
answers the client treats as facts); the API key is never part of a request
key or of a stored entry.

A file that cannot be read back (truncated, edited, wrong key) is *corrupt*:
it is reported in the log, counted, and treated as a miss so it is refetched
and overwritten. An entry older than ``max_age`` days is *stale* and refetched.

Examples
--------
>>> import tempfile
>>> c = ResponseCache(tempfile.mkdtemp())
>>> k = request_key("GET", "/paper/x", {"fields": "title"})
>>> c.get(k) is None
True
>>> _ = c.put(k, {"method": "GET", "path": "/paper/x", "params": {"fields": "title"}}, 200, {"a": 1})
>>> c.get(k).data
{'a': 1}
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..io import atomic_write_text

logger = logging.getLogger("medvlm_graph.s2")

FORMAT = 1


def request_key(method: str, path: str, params: dict[str, Any] | None = None, body: Any = None) -> str:
    """sha256 hex digest of a request, independent of parameter order.

    Examples
    --------
    >>> request_key("GET", "/p", {"a": 1, "b": 2}) == request_key("get", "/p", {"b": 2, "a": 1})
    True
    """
    canonical = json.dumps(
        [method.upper(), path, sorted((str(k), str(v)) for k, v in (params or {}).items()), body],
        sort_keys=True, separators=(",", ":"), ensure_ascii=False,
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass
class CachedReply:
    """A stored answer: HTTP status, decoded JSON body and when it was fetched."""

    status: int
    data: Any
    fetched_at: datetime


@dataclass
class CacheStats:
    hits: int = 0
    misses: int = 0
    stale: int = 0
    corrupt: int = 0
    writes: int = 0
    corrupt_files: list[str] = field(default_factory=list)


class ResponseCache:
    """Directory of JSON answers keyed by :func:`request_key`.

    Parameters
    ----------
    root : path
        The cache directory (``DataPaths.s2_cache``).
    max_age : float, optional
        Entries older than this many days are stale (refetched). ``None``: never stale.
    """

    def __init__(self, root: str | os.PathLike[str], *, max_age: float | None = None) -> None:
        self.root = Path(root)
        self.max_age = max_age
        self.stats = CacheStats()

    def path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.json"

    def get(self, key: str) -> CachedReply | None:
        """The stored answer for ``key``, or ``None`` when missing, stale or corrupt."""
        path = self.path(key)
        if not path.exists():
            self.stats.misses += 1
            return None
        try:
            entry = json.loads(path.read_text(encoding="utf-8"))
            if entry.get("format") != FORMAT or entry.get("key") != key:
                raise ValueError("entry does not belong to this key")
            status = int(entry["status"])
            fetched_at = datetime.fromisoformat(entry["fetched_at"])
            data = entry["data"]
        except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError) as exc:
            self.report_corrupt(key, f"{type(exc).__name__}")
            return None
        if self.max_age is not None:
            age_days = (datetime.now(timezone.utc) - fetched_at).total_seconds() / 86400
            if age_days > self.max_age:
                self.stats.stale += 1
                return None
        self.stats.hits += 1
        return CachedReply(status=status, data=data, fetched_at=fetched_at)

    def report_corrupt(self, key: str, why: str) -> None:
        """Count and log a corrupt entry (it will be refetched and overwritten)."""
        path = self.path(key)
        self.stats.corrupt += 1
        self.stats.corrupt_files.append(str(path))
        logger.warning("corrupt cache file %s (%s); fetching it again", path, why)

    def put(self, key: str, request: dict[str, Any], status: int, data: Any) -> Path:
        """Store an answer atomically; ``request`` (method, path, params, body) is kept for humans."""
        entry = {
            "format": FORMAT,
            "key": key,
            "request": request,
            "status": status,
            "fetched_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "data": data,
        }
        self.stats.writes += 1
        # Compact JSON: pages of 1000 papers stay small.
        return atomic_write_text(self.path(key), json.dumps(entry, ensure_ascii=False, separators=(",", ":")))
