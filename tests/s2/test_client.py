"""HTTP client against the local fake API: key header, retries, Retry-After, errors, cache, rate limit."""

from __future__ import annotations

import pytest
from conftest import KEY
from s2_fakeapi import Fault
from s2_world import A, B

from medvlm_graph.errors import ApiError, InputError, NetworkError
from medvlm_graph.s2.cache import ResponseCache
from medvlm_graph.s2.client import RateLimiter, S2Client

MATCH = "/paper/search/match"


def client(fake, *, sleeps=None, cache=None, **kw):
    sleeps = [] if sleeps is None else sleeps
    opts = {"api_key": None, "rate": 0, "backoff": 1.0, "max_retries": 4, "timeout": 2.0,
            "sleep": sleeps.append}
    opts.update(kw)
    return S2Client(fake.base_url, cache=cache, **opts)


def test_key_sent_on_every_request_and_never_without_one(fake):
    c = client(fake, api_key=KEY)
    c.post("/paper/batch", {"fields": "title"}, {"ids": [A]})
    c.get(f"/paper/{A}/references", {"fields": "title", "limit": 10})
    c.get(MATCH, {"query": "nothing like it at all zzz", "fields": "title"})
    assert [r["key"] for r in fake.log] == [KEY] * 3
    client(fake).get(f"/paper/{A}", {"fields": "title"})
    assert fake.log[-1]["key"] is None


@pytest.mark.parametrize("kind", ["500", "502", "503", "504", "drop", "badjson", "empty"])
def test_transient_failures_are_retried(fake, kind):
    sleeps = []
    fake.faults = [Fault(kind, times=2)]
    reply = client(fake, sleeps=sleeps).get(f"/paper/{A}", {"fields": "title"})
    assert reply.status == 200 and reply.data["paperId"] == A
    assert [r["fault"] for r in fake.log] == [kind, kind, None]
    # exponential backoff (1 s, 2 s) plus a jitter of up to the backoff factor (1 s)
    assert len(sleeps) == 2 and 1.0 <= sleeps[0] < 2.0 and 2.0 <= sleeps[1] < 3.0


def test_timeout_is_retried(fake):
    fake.slow_seconds = 0.6
    fake.faults = [Fault("slow", times=1)]
    c = client(fake, timeout=0.2)
    assert c.get(f"/paper/{A}", {"fields": "title"}).data["title"]
    assert c.stats.failures == {"timeout": 1} and c.stats.retries == 1 and c.stats.requests == 2


def test_retry_after_is_honoured_and_absent_means_backoff(fake):
    sleeps = []
    fake.faults = [Fault("429", retry_after="7", times=1), Fault("429", times=1)]
    c = client(fake, sleeps=sleeps, backoff=0.01)
    assert c.get(f"/paper/{A}", {"fields": "title"}).status == 200
    assert sleeps[0] == 7.0  # the header said 7 s: never less
    assert sleeps[1] < 0.1  # no header: plain backoff
    assert c.stats.retries == 2 and c.stats.failures == {"HTTP 429": 2}


def test_retry_after_is_capped_at_max_backoff(fake):
    sleeps = []
    fake.faults = [Fault("429", retry_after="3600", times=1)]
    assert client(fake, sleeps=sleeps, max_backoff=5).get(f"/paper/{A}", {"fields": "title"}).status == 200
    assert sleeps == [5]


def test_retries_exhausted_raise_network_error(fake):
    fake.faults = [Fault("503", times=None)]
    c = client(fake, max_retries=3)
    with pytest.raises(NetworkError) as info:
        c.get(f"/paper/{A}", {"fields": "title"})
    assert info.value.exit_code == 3
    assert "failed after 4 attempt(s): HTTP 503" in str(info.value)
    assert len(fake.log) == 4


def test_bad_fields_raise_at_once(fake):
    with pytest.raises(ApiError) as info:
        client(fake).post("/paper/batch", {"fields": "title,unknown"}, {"ids": [A]})
    assert "Unrecognized or unsupported fields: [unknown]" in str(info.value)
    assert info.value.status == 400 and info.value.exit_code == 3 and len(fake.log) == 1


def test_server_refuses_more_than_500_ids(fake):
    with pytest.raises(ApiError, match="more than 500 ids"):
        client(fake).post("/paper/batch", {"fields": "title"}, {"ids": [f"CorpusId:{i}" for i in range(501)]})


def test_wrong_key_raises_at_once_without_the_key(fake):
    with pytest.raises(ApiError) as info:
        client(fake, api_key="wrong-key-123").get(f"/paper/{A}", {"fields": "title"})
    msg = str(info.value)
    assert "HTTP 403 Forbidden" in msg and "S2_API_KEY" in msg and "wrong-key-123" not in msg
    assert len(fake.log) == 1


def test_not_found_answers_are_returned_and_cached(fake, tmp_path):
    cache = ResponseCache(tmp_path)
    c = client(fake, cache=cache)
    reply = c.get(MATCH, {"query": "Migration Routes of Zebras", "fields": "title"})
    assert (reply.status, reply.data) == (404, {"error": "Title match not found"})
    again = c.get(MATCH, {"query": "Migration Routes of Zebras", "fields": "title"})
    assert again.cached and again.status == 404 and len(fake.log) == 1
    nothing = c.post("/paper/batch", {"fields": "title"}, {"ids": ["FOO:1", "nonsense"]})
    assert (nothing.status, nothing.data) == (400, {"error": "No valid paper ids given"})


def test_unusable_answers_are_not_cached(fake, tmp_path):
    cache = ResponseCache(tmp_path)
    fake.faults = [Fault("badjson", times=1), Fault("wronglen", times=1)]
    c = client(fake, cache=cache)
    ids = [A, B]
    check = lambda d: None if isinstance(d, list) and len(d) == 2 else "wrong length"  # noqa: E731
    reply = c.post("/paper/batch", {"fields": "title"}, {"ids": ids}, validate=check)
    assert len(reply.data) == 2 and [r["fault"] for r in fake.log] == ["badjson", "wronglen", None]
    assert cache.stats.writes == 1
    assert c.post("/paper/batch", {"fields": "title"}, {"ids": ids}, validate=check).cached


def test_give_up_early_on_split_statuses(fake):
    fake.faults = [Fault("504", times=None)]
    c = client(fake, max_retries=8)
    with pytest.raises(NetworkError) as info:
        c.post("/paper/batch", {"fields": "title"}, {"ids": [A, B]}, give_up_on=frozenset({500, 504}),
               give_up_after=2)
    assert info.value.status == 504 and len(fake.log) == 2


def test_invalid_url_is_an_input_error():
    with pytest.raises(InputError):
        S2Client("ftp://example.org/graph/v1")


def test_rate_limiter_spaces_requests():
    now = [10.0]
    slept = []

    def sleep(s):
        slept.append(round(s, 3))
        now[0] += s

    rl = RateLimiter(4, clock=lambda: now[0], sleep=sleep)
    for _ in range(3):
        rl.wait()
    assert slept == [0.25, 0.25]
    now[0] += 5
    rl.wait()
    assert slept == [0.25, 0.25]  # idle time is not owed
    RateLimiter(0, clock=lambda: now[0], sleep=sleep).wait()


def test_default_rate_is_one_per_second(fake):
    slept = []
    c = S2Client(fake.base_url, api_key=None, sleep=slept.append)
    c.get(f"/paper/{A}", {"fields": "title"})
    c.get(f"/paper/{B}", {"fields": "title"})
    assert c.rate == 1.0 and len(slept) == 1 and 0.5 < slept[0] <= 1.0


def test_retries_wait_for_the_rate_limiter_too(fake):
    sleeps = []
    fake.faults = [Fault("503", times=1)]
    c = client(fake, sleeps=sleeps, rate=2, backoff=0)
    assert c.get(f"/paper/{A}", {"fields": "title"}).status == 200
    # no backoff (factor 0), but the retry is a request like any other: half a second after the first
    assert len(sleeps) == 1 and 0.3 < sleeps[0] <= 0.5 and c.stats.requests == 2


def test_a_redirect_is_not_followed(fake):
    fake.answer = lambda m, p, q, b: (302, {})
    c = client(fake, api_key=KEY)
    with pytest.raises(ApiError) as info:
        c.get(f"/paper/{A}", {"fields": "title"})
    assert str(info.value).startswith(f"{fake.base_url}/paper/{A} redirects to another address (HTTP 302): this is "
                                      "not the Semantic Scholar API (the base URL ends in /graph/v1")
    assert len(fake.log) == 1 and KEY not in repr(c.session.auth) and KEY not in str(info.value)


def test_an_answer_cut_off_mid_body_is_asked_again_and_counted(fake):
    fake.faults = [Fault("drop", times=1)]
    c = client(fake)
    assert c.get(f"/paper/{A}", {"fields": "title"}).data["paperId"] == A
    assert c.stats.failures == {"answer cut off": 1} and c.stats.requests == 2 and c.stats.retries == 1
