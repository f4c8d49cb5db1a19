"""A refresh that cannot talk to the API: a wrong server, nothing listening, a host that stops answering.

Each stops at once (no minutes of retries), exits 3 with one line naming the URL
or host, the cause and the fix, caches nothing, and leaves the fetched layer as
it was. Servers are local (127.0.0.1); the worlds are SYNTHETIC.
"""

from __future__ import annotations

import hashlib
import json
import socket
import time

import pytest
from s2_fakeapi import NotTheApi, free_port
from s2_world import A, build_seeds
from typer.testing import CliRunner
from urllib3.exceptions import ConnectTimeoutError, NameResolutionError, ReadTimeoutError

from medvlm_graph.cli import app
from medvlm_graph.errors import ApiError, InputError, NetworkError
from medvlm_graph.io import write_parquet
from medvlm_graph.paths import DataPaths
from medvlm_graph.s2 import DEFAULT_API_URL, S2Client, api_base_url, refresh
from medvlm_graph.s2.cache import ResponseCache
from medvlm_graph.s2.transport import describe_failure

HINT = ("(the base URL ends in /graph/v1, as in " + DEFAULT_API_URL + ", or is the host alone, "
        "to which /graph/v1 is added; set it with --api-url or S2_API_URL)")


@pytest.fixture
def wrong():
    server = NotTheApi().start()
    yield server
    server.stop()


@pytest.fixture
def chosen(tmp_path):
    write_parquet(build_seeds(), DataPaths(tmp_path).seed_list)
    return tmp_path


def cli(data_dir, url, *extra):
    # default retries (8) and backoff (1 s): the failures below must not wait for them
    return CliRunner().invoke(app, ["--data-dir", str(data_dir), "refresh", "--api-url", url, "--rate", "0", *extra])


def error_lines(result) -> list[str]:
    return [ln for ln in result.output.splitlines() if ln.startswith("Error: ")]


def digests(root) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and p.name != ".medvlm-graph.lock"}


# -- a server that is not the API ---------------------------------------------------------------

def test_wrong_server_stops_at_once_naming_the_url_and_the_fix(wrong, chosen):
    url = wrong.url + "/api"
    started = time.monotonic()
    result = cli(chosen, url)
    assert time.monotonic() - started < 5
    assert result.exit_code == 3
    assert error_lines(result) == [
        f"Error: {url}/paper/batch answered POST with HTTP 404 (an HTML page titled '404 Not Found'): this is not "
        f"the Semantic Scholar API {HINT}; nothing was fetched"]
    assert "<" not in result.output and "Traceback" not in result.output
    assert "Seeds:" not in result.output  # no summary of a run that fetched nothing
    assert wrong.log == [("POST", "/api/paper/batch?fields=paperId%2CexternalIds%2Ctitle")]
    paths = DataPaths(chosen)
    assert not paths.s2_cache.exists() or not any(paths.s2_cache.rglob("*.json"))  # no 404 cached as an answer
    assert not (paths.fetched / "provenance.json").exists()  # nothing for the report to call "fetched"
    man = json.loads(paths.manifest.read_text())
    assert (man["complete"], man["tables_written"], man["found"]["resolved"]) == (False, False, 0)
    assert man["requests"]["made"] == 1 and man["requests"]["retries"] == 0


def test_a_host_alone_gets_graph_v1(fake, fast, tmp_path):
    root = fake.base_url[: -len("/graph/v1")]
    assert api_base_url(root + "/") == fake.base_url
    s = refresh(build_seeds(), data_dir=tmp_path, api_url=root, **fast)
    assert s.complete and s.api_url == fake.base_url and s.resolved == 9
    assert all(r["path"].startswith("/graph/v1/") for r in fake.log)


def test_a_complete_run_that_resolves_nothing_says_so(fast, tmp_path):
    from s2_fakeapi import FakeS2, World

    server = FakeS2(World().finish()).start()  # an API that knows none of the seeds
    try:
        s = refresh(build_seeds(), data_dir=tmp_path, api_url=server.base_url, **fast)
    finally:
        server.stop()
    assert s.complete and (s.resolved, s.papers) == (0, 0)
    assert "No seed was resolved on Semantic Scholar: nothing of it was fetched" in s.lines()
    prov = json.loads((DataPaths(tmp_path).fetched / "provenance.json").read_text())
    assert (prov["complete"], prov["resolved"], prov["papers"]) == (True, 0, 0)


def test_wrong_server_leaves_an_earlier_fetch_unchanged(fake, fast, wrong, chosen):
    refresh(data_dir=chosen, api_url=fake.base_url, **fast)
    before = digests(DataPaths(chosen).fetched)
    cache_before = digests(DataPaths(chosen).s2_cache)
    result = cli(chosen, wrong.url + "/graph/v1", "--max-age", "0")  # stale cache: the wrong server is asked
    assert result.exit_code == 3
    assert error_lines(result)[0].endswith(f"; nothing was fetched ({DataPaths(chosen).fetched} is unchanged)")
    assert digests(DataPaths(chosen).fetched) == before
    assert digests(DataPaths(chosen).s2_cache) == cache_before


@pytest.mark.parametrize(("path", "status", "body"), [
    ("/paper/batch", 404, {"error": "Not found"}),  # even the API's own 404 shape: never normal for a batch
    ("/paper/search/match", 404, {"message": "Not Found"}),  # a gateway's 404, not the API's
])
def test_404s_that_are_not_answers(fake, tmp_path, path, status, body):
    fake.answer = lambda m, p, q, b: (status, body)
    cache = ResponseCache(tmp_path)
    c = S2Client(fake.base_url, api_key=None, rate=0, cache=cache)
    with pytest.raises(ApiError, match="answered .* with HTTP 404 .*: this is not the Semantic Scholar API"):
        if path == "/paper/batch":
            c.post(path, {"fields": "title"}, {"ids": [A]}, not_found_is_an_answer=False)
        else:
            c.get(path, {"query": "x", "fields": "title"})
    assert cache.stats.writes == 0 and len(fake.log) == 1


def test_an_html_page_is_not_an_answer():
    portal = NotTheApi(status=200, title="Sign in").start()
    try:
        c = S2Client(portal.url, api_key=None, rate=0)
        with pytest.raises(ApiError) as info:
            c.get(f"/paper/{A}", {"fields": "title"})
    finally:
        portal.stop()
    assert str(info.value) == (f"{portal.url}/graph/v1/paper/{A} answered GET with an HTML page titled 'Sign in': "
                               f"this is not the Semantic Scholar API {HINT}")
    assert len(portal.log) == 1


def test_api_url_without_a_host_or_with_a_query_is_refused():
    with pytest.raises(InputError, match="API URL has no host"):
        api_base_url("http:///graph/v1")
    with pytest.raises(InputError, match="must not hold a query"):
        api_base_url("https://s2.example.invalid/graph/v1?key=x")
    with pytest.raises(InputError, match="must start with http:// or https://"):
        api_base_url("s2.example.invalid")


# -- nothing answers ----------------------------------------------------------------------------

def test_nothing_listening_fails_within_seconds_naming_the_host(chosen):
    port = free_port()
    started = time.monotonic()
    result = cli(chosen, f"http://127.0.0.1:{port}/graph/v1")
    assert time.monotonic() - started < 5  # no retries for a host that never answered
    assert result.exit_code == 3
    assert error_lines(result) == [
        f"Error: POST /paper/batch failed after 1 attempt(s): cannot reach 127.0.0.1:{port}: connection refused "
        "(nothing listens there); nothing was fetched"]
    assert "resume" not in result.output
    man = json.loads(DataPaths(chosen).manifest.read_text())
    assert (man["complete"], man["tables_written"], man["requests"]["made"]) == (False, False, 1)
    assert not (DataPaths(chosen).fetched / "provenance.json").exists()


def test_a_host_that_stops_answering_is_retried(fake):
    """Once the host has answered, a refused connection is a dropped one: retried with backoff, then exit 3."""
    sleeps = []
    c = S2Client(fake.base_url, api_key=None, rate=0, max_retries=3, sleep=sleeps.append)
    assert c.get(f"/paper/{A}", {"fields": "title"}).status == 200
    fake.stop()
    c.session.close()  # drop the kept-alive connection: the next request needs a new one
    with pytest.raises(NetworkError) as info:
        c.get(f"/paper/{A}/references", {"fields": "title"})
    host = fake.base_url.split("/")[2]
    assert str(info.value) == (f"GET /paper/{A}/references failed after 4 attempt(s): cannot reach {host}: "
                               "connection refused (nothing listens there)")
    assert len(sleeps) == 3 and c.stats.requests == 5 and c.stats.failures == {"connection error": 3}


def test_failure_descriptions():
    kw = {"connect_timeout": 10, "timeout": 30}
    dns = NameResolutionError("api.example.org", None, socket.gaierror(-3, "Temporary failure in name resolution"))
    assert describe_failure(dns, "https://api.example.org/graph/v1", **kw) == (
        "cannot reach api.example.org: name resolution failed (no network, or a wrong host name)")
    slow = ConnectTimeoutError(None, "Connection to api.example.org timed out. (connect timeout=10)")
    assert describe_failure(slow, "https://api.example.org/graph/v1", **kw) == (
        "cannot reach api.example.org: connection timed out after 10 s")
    read = ReadTimeoutError(None, "/graph/v1/paper/batch", "Read timed out. (read timeout=30)")
    assert describe_failure(read, "https://api.example.org:8443/x", **kw) == (
        "api.example.org:8443 sent no answer within 30 s (read timed out)")
