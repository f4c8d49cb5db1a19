"""Response cache: request keys, atomic files, corruption, staleness."""

from __future__ import annotations

import json
import os
import re
from datetime import datetime, timedelta, timezone

from medvlm_graph.s2.cache import ResponseCache, request_key

REQ = {"method": "POST", "path": "/paper/batch", "params": {"fields": "title"}, "body": {"ids": ["DOI:10.1/a/b"]}}


def test_key_depends_on_request_not_on_order_or_ids_in_names():
    k = request_key("POST", "/paper/batch", {"fields": "title", "x": 1}, {"ids": ["DOI:10.1/a/b"]})
    assert k == request_key("post", "/paper/batch", {"x": 1, "fields": "title"}, {"ids": ["DOI:10.1/a/b"]})
    assert k != request_key("POST", "/paper/batch", {"fields": "title", "x": 1}, {"ids": ["DOI:10.1/a/c"]})
    assert k != request_key("GET", "/paper/batch", {"fields": "title", "x": 1}, {"ids": ["DOI:10.1/a/b"]})
    assert re.fullmatch(r"[0-9a-f]{64}", k)


def test_put_get_roundtrip_atomic_and_under_hashed_name(tmp_path):
    cache = ResponseCache(tmp_path)
    key = request_key(**{k: REQ[k] for k in ("method", "path", "params", "body")})
    path = cache.put(key, REQ, 200, [{"paperId": "p"}])
    assert path == tmp_path / key[:2] / f"{key}.json"
    assert [p.name for p in path.parent.iterdir()] == [f"{key}.json"]  # no temp file left
    hit = cache.get(key)
    assert (hit.status, hit.data) == (200, [{"paperId": "p"}])
    stored = json.loads(path.read_text())
    assert stored["request"] == REQ and stored["key"] == key
    assert (cache.stats.hits, cache.stats.writes) == (1, 1)


def test_corrupt_files_are_reported_and_missed(tmp_path, caplog):
    cache = ResponseCache(tmp_path)
    k1, k2, k3 = (request_key("GET", f"/p{i}") for i in range(3))
    for k in (k1, k2, k3):
        cache.put(k, {}, 200, {"a": 1})
    cache.path(k1).write_text('{"format": 1, "key": "')  # truncated
    other = json.loads(cache.path(k3).read_text())
    cache.path(k2).write_text(json.dumps(other))  # a file holding another request's answer
    cache.path(k3).write_bytes(b"\xff\xfe")
    with caplog.at_level("WARNING", logger="medvlm_graph.s2"):
        assert cache.get(k1) is None and cache.get(k2) is None and cache.get(k3) is None
    assert cache.stats.corrupt == 3 and "corrupt cache file" in caplog.text
    cache.put(k1, {}, 200, {"a": 2})
    assert cache.get(k1).data == {"a": 2}


def test_max_age_makes_old_entries_stale(tmp_path):
    key = request_key("GET", "/old")
    ResponseCache(tmp_path).put(key, {}, 200, {"a": 1})
    path = ResponseCache(tmp_path).path(key)
    entry = json.loads(path.read_text())
    entry["fetched_at"] = (datetime.now(timezone.utc) - timedelta(days=3)).isoformat()
    path.write_text(json.dumps(entry))
    assert ResponseCache(tmp_path).get(key).data == {"a": 1}
    assert ResponseCache(tmp_path, max_age=5).get(key) is not None
    young = ResponseCache(tmp_path, max_age=2)
    assert young.get(key) is None and young.stats.stale == 1 and os.path.exists(path)
