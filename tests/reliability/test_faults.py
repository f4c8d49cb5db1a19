"""Faults during a whole ``refresh`` (CLI) against the local fake API, one phase at a time.

tests/s2 proves the client retries each fault kind on a single request; this
module proves what the *pipeline* promises: whatever fails and in whichever
phase (id batch, title match, metadata batch, reference pages, citation pages),
the run either completes with exactly the tables of a clean run, or exits 3
having written everything fetched so far, and the next run completes with the
clean tables from the cache. Retry counts are printed in the summary and kept
in the manifest. The world is the SYNTHETIC mini world of rel_support.py.
"""

from __future__ import annotations

import json
import re
import time

import pytest
from rel_support import (CLEAN_REQUESTS, FakeS2, Fault, NotTheApi, assert_same_tables, fast_refresh_args,
                         file_digests, free_port, mini_world, read_tables, run_cli, write_seeds)
from typer.testing import CliRunner

from medvlm_graph.cli import app
from medvlm_graph.paths import DataPaths
from medvlm_graph.s2 import DEFAULT_API_URL, refresh

PHASES = {
    "ids": lambda r: r["path"].endswith("/paper/batch") and r["query"].get("fields") == "paperId,externalIds,title",
    "match": lambda r: r["path"].endswith("/paper/search/match"),
    "meta": lambda r: r["path"].endswith("/paper/batch") and r["query"].get("fields") != "paperId,externalIds,title",
    "refs": lambda r: r["path"].endswith("/references"),
    "cites": lambda r: r["path"].endswith("/citations"),
}
SUMMARY = re.compile(r"Requests: (\d+) made, (\d+) served from cache, (\d+) retries")


@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    """The fetched tables of a clean run (no fault) of the mini world."""
    d = tmp_path_factory.mktemp("clean")
    write_seeds(d)
    server = FakeS2(mini_world()).start()
    try:
        summary = refresh(data_dir=d, api_url=server.base_url, rate=0)
        assert summary.complete and summary.requests == CLEAN_REQUESTS and summary.retries == 0
    finally:
        server.stop()
    return read_tables(DataPaths(d).fetched)


def invoke(data_dir, *args):
    return CliRunner().invoke(app, ["--data-dir", str(data_dir), *args])


def counts(stdout: str) -> tuple[int, int, int]:
    m = SUMMARY.search(stdout)
    assert m, f"no request/retry counts in the summary:\n{stdout}"
    return tuple(int(x) for x in m.groups())


CASES = [
    # (fault kind, phase, times, Retry-After)
    ("429", "ids", 6, None),          # a 429 storm on the first request, no Retry-After
    ("429", "cites", 3, "0"),         # 429s that say Retry-After: 0
    ("500", "meta", 2, None),
    ("502", "refs", 2, None),
    ("503", "match", 2, None),
    ("504", "cites", 2, None),
    ("drop", "refs", 2, None),        # connection closed mid-body
    ("badjson", "ids", 1, None),      # truncated JSON in a 200
    ("badjson", "cites", 1, None),
    ("empty", "match", 1, None),      # an empty 200 body
    ("empty", "refs", 1, None),
    ("wronglen", "ids", 1, None),     # a batch answer one entry short
    ("wronglen", "meta", 2, None),
]


@pytest.mark.parametrize(("kind", "phase", "times", "retry_after"), CASES,
                         ids=[f"{k}-{p}-x{t}" for k, p, t, _ in CASES])
def test_transient_faults_give_the_clean_tables_and_are_counted(fake, data_dir, clean, kind, phase, times,
                                                                retry_after):
    fake.faults = [Fault(kind, when=PHASES[phase], times=times, retry_after=retry_after)]
    result = invoke(data_dir, *fast_refresh_args(fake.base_url, "--retries", "8"))
    assert result.exit_code == 0, result.output
    assert [r["fault"] for r in fake.log].count(kind) == times  # the faults really happened
    assert counts(result.stdout) == (CLEAN_REQUESTS + times, 0, times)
    assert_same_tables(read_tables(DataPaths(data_dir).fetched), clean)
    manifest = json.loads(DataPaths(data_dir).manifest.read_text())
    assert manifest["complete"] is True and manifest["requests"]["retries"] == times
    assert sum(manifest["requests"]["transient_failures"].values()) == times


def test_timeouts_are_retried_and_counted(fake, data_dir, clean):
    fake.slow_seconds = 0.8
    fake.faults = [Fault("slow", when=PHASES["refs"], times=2)]
    result = invoke(data_dir, *fast_refresh_args(fake.base_url, "--timeout", "0.3"))
    assert result.exit_code == 0, result.output
    made, cached, retries = counts(result.stdout)
    assert retries >= 2 and made == CLEAN_REQUESTS + retries and cached == 0
    manifest = json.loads(DataPaths(data_dir).manifest.read_text())
    assert manifest["requests"]["transient_failures"].get("timeout", 0) >= 2
    assert_same_tables(read_tables(DataPaths(data_dir).fetched), clean)


def test_retry_after_is_waited_for_during_a_refresh(fake, data_dir, clean):
    fake.faults = [Fault("429", when=PHASES["meta"], times=1, retry_after="1")]
    result = invoke(data_dir, *fast_refresh_args(fake.base_url))
    assert result.exit_code == 0, result.output
    assert counts(result.stdout) == (CLEAN_REQUESTS + 1, 0, 1)
    manifest = json.loads(DataPaths(data_dir).manifest.read_text())
    assert manifest["requests"]["seconds_waited"] >= 1.0  # --backoff 0, so only Retry-After made it wait
    assert_same_tables(read_tables(DataPaths(data_dir).fetched), clean)


def test_random_chaos_of_every_fault_kind_still_gives_the_clean_tables(fake, data_dir, clean):
    fake.slow_seconds = 0.5
    fake.random_faults(0.5, seed=8, budget=20)
    result = invoke(data_dir, *fast_refresh_args(fake.base_url, "--timeout", "0.25", "--retries", "12"))
    assert result.exit_code == 0, result.output
    made, cached, retries = counts(result.stdout)
    faults = [r["fault"] for r in fake.log if r["fault"]]
    assert len(faults) >= 8 and len(set(faults)) >= 5, faults  # the seed really mixes many kinds
    assert made == len(fake.log) and cached == 0 and retries == made - CLEAN_REQUESTS >= len(faults) - 1
    assert_same_tables(read_tables(DataPaths(data_dir).fetched), clean)


@pytest.mark.parametrize(("kind", "phase"), [("503", "cites"), ("429", "refs"), ("badjson", "meta")])
def test_persistent_fault_exits_3_keeps_everything_and_the_next_run_resumes(fake, data_dir, clean, kind, phase):
    fake.faults = [Fault(kind, when=PHASES[phase], times=None)]
    args = fast_refresh_args(fake.base_url, "--retries", "2")
    first = invoke(data_dir, *args)
    assert first.exit_code == 3, first.output
    err = [ln for ln in first.stderr.splitlines() if "Error" in ln]
    assert len(err) == 1 and err[0].startswith("Error: ") and "failed after 3 attempt(s)" in err[0], first.stderr
    assert "Traceback" not in first.output
    assert "INCOMPLETE" in first.stdout and counts(first.stdout)[2] == 2  # the 2 retries are reported
    paths = DataPaths(data_dir)
    prov = json.loads((paths.fetched / "provenance.json").read_text())
    assert prov["complete"] is False
    partial = read_tables(paths.fetched)
    assert len(partial["seeds"]) == len(clean["seeds"])  # what was fetched so far is written
    answered = len({(r["method"], r["path"], json.dumps(r["query"], sort_keys=True), json.dumps(r["body"]))
                    for r in fake.log if r["status"] in (200, 404) and not r["fault"]})
    assert answered > 0

    fake.clear_faults()
    fake.log.clear()
    second = invoke(data_dir, *args)
    assert second.exit_code == 0, second.output
    made, cached, retries = counts(second.stdout)
    assert cached == answered and made == CLEAN_REQUESTS - answered and retries == 0  # resumed, nothing repeated
    assert json.loads((paths.fetched / "provenance.json").read_text())["complete"] is True
    assert_same_tables(read_tables(paths.fetched), clean)


def test_exit_code_3_from_the_real_command(fake, data_dir, clean):
    """Subprocess: the exit code and the single Error line as a shell sees them."""
    fake.faults = [Fault("500", when=PHASES["refs"], times=None)]
    proc = run_cli(["--data-dir", str(data_dir), *fast_refresh_args(fake.base_url, "--retries", "1")], timeout=90)
    assert proc.returncode == 3, proc.stderr
    errors = [ln for ln in proc.stderr.splitlines() if ln.startswith("Error: ")]
    assert len(errors) == 1 and "HTTP 500" in errors[0] and "resume" in errors[0]
    assert "Traceback" not in proc.stderr
    assert re.search(r"Requests: \d+ made, 0 served from cache, 1 retries", proc.stdout), proc.stdout
    fake.clear_faults()
    assert invoke(data_dir, *fast_refresh_args(fake.base_url)).exit_code == 0
    assert_same_tables(read_tables(DataPaths(data_dir).fetched), clean)


# -- nothing to retry: the URL is wrong or nothing answers (the real command, default retries and backoff) ----

URL_FIX = ("(the base URL ends in /graph/v1, as in " + DEFAULT_API_URL + ", or is the host alone, "
           "to which /graph/v1 is added; set it with --api-url or S2_API_URL)")


def test_wrong_server_exits_3_at_once_and_changes_nothing(fake, data_dir, clean):
    """A server answering 404 (an HTML page) to everything: one request, one line, nothing cached or written."""
    assert invoke(data_dir, *fast_refresh_args(fake.base_url)).exit_code == 0  # an earlier good refresh
    before = file_digests(DataPaths(data_dir).root)
    wrong = NotTheApi().start()
    try:
        started = time.monotonic()
        proc = run_cli(["--data-dir", str(data_dir), "refresh", "--api-url", wrong.url + "/s2", "--max-age", "0"],
                       timeout=60)
        took = time.monotonic() - started
        asked = list(wrong.log)
    finally:
        wrong.stop()
    assert proc.returncode == 3, proc.stderr
    assert took < 15 and len(asked) == 1
    assert [ln for ln in proc.stderr.splitlines() if ln.startswith("Error: ")] == [
        f"Error: {wrong.url}/s2/paper/batch answered POST with HTTP 404 (an HTML page titled '404 Not Found'): "
        f"this is not the Semantic Scholar API {URL_FIX}; nothing was fetched ({DataPaths(data_dir).fetched} "
        "is unchanged)"]
    assert "<" not in proc.stderr and "Traceback" not in proc.stderr
    after = file_digests(DataPaths(data_dir).root)
    assert {k: v for k, v in after.items() if k != "raw/s2/manifest.json"} == \
        {k: v for k, v in before.items() if k != "raw/s2/manifest.json"}  # only the attempt is recorded
    assert_same_tables(read_tables(DataPaths(data_dir).fetched), clean)


def test_no_server_exits_3_within_seconds(data_dir):
    port = free_port()
    started = time.monotonic()
    proc = run_cli(["--data-dir", str(data_dir), "refresh", "--api-url", f"http://127.0.0.1:{port}"], timeout=60)
    took = time.monotonic() - started
    assert proc.returncode == 3, proc.stderr
    assert took < 15  # default --retries 8 and --backoff 1 would take minutes: a dead host is not retried
    assert [ln for ln in proc.stderr.splitlines() if ln.startswith("Error: ")] == [
        f"Error: POST /paper/batch failed after 1 attempt(s): cannot reach 127.0.0.1:{port}: connection refused "
        "(nothing listens there); nothing was fetched"]
    assert "resume" not in proc.stderr and "Traceback" not in proc.stderr
    assert not (DataPaths(data_dir).fetched / "provenance.json").exists()
