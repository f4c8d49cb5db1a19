"""End-to-end refresh against the local fake API over the SYNTHETIC world of s2_world.py."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from conftest import KEY
from s2_fakeapi import FakeS2, Fault, World, make_paper
from s2_world import EXPECTED, H, build_seeds
from typer.testing import CliRunner

from medvlm_graph import tables
from medvlm_graph.cli import app
from medvlm_graph.errors import ApiError, LockError, NetworkError
from medvlm_graph.lock import data_lock
from medvlm_graph.paths import DataPaths
from medvlm_graph.s2 import refresh

NAMES = ("papers", "citations", "authorships", "seeds")


def fetched(data_dir) -> dict[str, pd.DataFrame]:
    p = DataPaths(data_dir)
    return {n: pd.read_parquet(p.fetched_table(n)) for n in NAMES}


def assert_same_tables(a, b) -> None:
    for name in NAMES:
        pd.testing.assert_frame_equal(a[name], b[name], obj=name)


def run(fake, data_dir, fast, **kw):
    return refresh(build_seeds(), data_dir=data_dir, api_url=fake.base_url, **{**fast, **kw})


@pytest.fixture
def baseline(fake, fast, tmp_path_factory):
    """Tables of an uninterrupted, fault-free run (and the log is reset after it)."""
    where = tmp_path_factory.mktemp("baseline")
    run(fake, where, fast)
    fake.log.clear()
    return fetched(where)


def test_refresh_exact_counts_and_outputs(fake, fast, tmp_path):
    s = run(fake, tmp_path, fast)
    assert (s.seeds, s.resolved_by_id, s.resolved_by_title, s.unresolved) == (12, 7, 2, 3)
    assert (s.edges, s.reference_edges, s.citation_edges) == (2042, 1037, 1005)
    assert (s.papers, s.unresolved_references, s.requests, s.from_cache) == (2045, 24, 23, 0)
    assert s.complete and len(fake.log) == EXPECTED["requests"]
    assert s.caps == [{"paper_id": H, "kind": "citations", "fetched": 1000, "reason": "--max-citations 1000"}]

    t = fetched(tmp_path)
    for name in NAMES:
        assert list(t[name].columns[: len(tables.SCHEMAS[name])]) == tables.columns(name)
    papers, cites, seeds = t["papers"], t["citations"], t["seeds"]
    assert len(papers) == 2045 and papers["paper_id"].is_unique
    assert papers["is_seed"].sum() == 8
    assert set(papers.loc[papers["is_seed"], "seed_id"]) == {"s01", "s02", "s04", "s05", "s06", "s07", "s11",
                                                             "s12"}
    assert not papers["title"].str.startswith("Unresolved citation string").any()
    assert len(cites) == 2042 and not cites.duplicated(["citing_id", "cited_id"]).any()
    assert (cites["cited_id"] == H).sum() == 1000
    assert seeds["match"].value_counts().to_dict() == {"id": 7, "title": 2, "none": 3}
    assert seeds["paper_id"].notna().sum() == 9
    assert t["authorships"]["paper_id"].isin(papers["paper_id"]).all()
    assert papers["tldr"].isna().all()  # not asked

    prov = json.loads((DataPaths(tmp_path).fetched / "provenance.json").read_text())
    assert prov["source"] == "refresh" and prov["complete"] is True and prov["api_url"] == fake.base_url
    assert prov["finished_at"] and prov["edges"] == 2042
    man = json.loads(DataPaths(tmp_path).manifest.read_text())
    assert man["api_url"] == fake.base_url and man["asked"]["seeds"] == 12 and man["asked"]["ids"] == 8
    assert man["found"]["resolved_by_title"] == 2 and man["requests"]["made"] == 23
    assert [u["seed_id"] for u in man["unresolved_seeds"]] == ["s08", "s09", "s10"]
    assert man["caps"][0]["paper_id"] == H and man["failed"] == []


def test_second_run_makes_no_request_unless_stale(fake, fast, tmp_path):
    run(fake, tmp_path, fast)
    first = fetched(tmp_path)
    again = run(fake, tmp_path, fast)
    assert (again.requests, again.from_cache) == (0, 23) and len(fake.log) == 23
    assert_same_tables(first, fetched(tmp_path))
    stale = run(fake, tmp_path, fast, max_age=0)
    assert (stale.requests, stale.cache_stale) == (23, 23)


def test_tldr_on_request(fake, fast, tmp_path):
    run(fake, tmp_path, fast, with_tldr=True)
    papers = fetched(tmp_path)["papers"]
    seeds = papers[papers["is_seed"]]
    assert seeds["tldr"].notna().sum() == 7  # E has a null tldr
    assert "tldr" in fake.requests(path="/graph/v1/paper/batch")[-1]["query"]["fields"]


def test_thirty_percent_faults_give_the_same_tables(fake, fast, tmp_path, baseline):
    fake.slow_seconds = 2.0
    fake.random_faults(0.3, seed=11, kinds=("slow", "drop", "429", "500", "504", "badjson", "empty", "502",
                                            "503", "wronglen"))
    s = run(fake, tmp_path, {**fast, "timeout": 1.0}, max_retries=20)
    assert s.complete
    faults = [r["fault"] for r in fake.log if r["fault"]]
    # every injected fault cost a retry (a loaded machine may add a timeout of its own)
    assert len(faults) <= s.retries and 0.15 < len(faults) / len(fake.log) < 0.45
    assert set(faults) >= {"slow", "drop", "429", "500", "504"}  # all survived (each kind: test_client.py)
    assert_same_tables(baseline, fetched(tmp_path))


def test_exhausted_retries_write_partial_results_and_resume(fake, fast, tmp_path, baseline):
    fake.faults = [Fault("503", when=lambda r: r["path"].endswith("/citations"), times=None)]
    with pytest.raises(NetworkError) as info:
        run(fake, tmp_path, fast, max_retries=2)
    assert info.value.exit_code == 3 and "run `medvlm-graph refresh` again to resume" in str(info.value)
    prov = json.loads((DataPaths(tmp_path).fetched / "provenance.json").read_text())
    man = json.loads(DataPaths(tmp_path).manifest.read_text())
    assert prov["complete"] is False and man["failed"][0]["phase"] == "citations"
    partial = fetched(tmp_path)
    assert len(partial["citations"]) == 1037  # the references were all in
    assert partial["seeds"]["match"].value_counts()["id"] == 7

    fake.clear_faults()
    fake.log.clear()
    s = run(fake, tmp_path, fast)
    assert s.complete and s.requests == 8 and s.from_cache == 15  # only the citation pages were missing
    assert_same_tables(baseline, fetched(tmp_path))


def test_corrupt_cache_file_is_refetched(fake, fast, tmp_path, baseline):
    run(fake, tmp_path, fast)
    files = sorted(DataPaths(tmp_path).s2_cache.rglob("*.json"))
    assert len(files) == 23
    victim = max(files, key=lambda f: f.stat().st_size)
    victim.write_text(victim.read_text()[:100])
    fake.log.clear()
    s = run(fake, tmp_path, fast)
    assert (s.requests, s.cache_corrupt, s.from_cache) == (1, 1, 22)
    assert_same_tables(baseline, fetched(tmp_path))


def test_offset_cap_and_citation_pages():
    world = World()
    pid = "ab" * 20
    world.add(make_paper(pid, "A synthetic paper with ten thousand and fifty citers", ext={"ArXiv": "2501.00001"}))
    world.generated_citers = {pid: 10_050}
    world.finish()
    fake = FakeS2(world).start()
    seeds = tables.conform(pd.DataFrame([{"seed_id": "x", "arxiv_id": "2501.00001"}]), "seeds")
    try:
        import tempfile

        fast = {"rate": 0, "backoff": 0.001}
        s = refresh(seeds, data_dir=tempfile.mkdtemp(), api_url=fake.base_url, max_citations=20_000, **fast)
        pages = [(int(r["query"]["offset"]), int(r["query"]["limit"])) for r in fake.log
                 if r["path"].endswith("/citations")]
        assert pages == [(o, 1000) for o in range(0, 9000, 1000)] + [(9000, 999)]
        assert s.citation_edges == 9999
        assert s.caps == [{"paper_id": pid, "kind": "citations", "fetched": 9999,
                           "reason": "API offset cap (9999 reachable)"}]
        fake.log.clear()
        s = refresh(seeds, data_dir=tempfile.mkdtemp(), api_url=fake.base_url, max_citations=2500, **fast)
        pages = [(int(r["query"]["offset"]), int(r["query"]["limit"])) for r in fake.log
                 if r["path"].endswith("/citations")]
        assert pages == [(0, 1000), (1000, 1000), (2000, 500)] and s.citation_edges == 2500
        assert s.caps[0]["reason"] == "--max-citations 2500"
    finally:
        fake.stop()


def test_lock_refuses_a_second_refresh(fake, fast, tmp_path):
    with data_lock(tmp_path):
        with pytest.raises(LockError, match="in use by another medvlm-graph process"):
            run(fake, tmp_path, fast)
        result = CliRunner().invoke(app, ["--data-dir", str(tmp_path), "refresh", "--api-url", fake.base_url])
    assert result.exit_code == 1 and "in use by another medvlm-graph process" in result.output
    assert fake.log == []
    run(fake, tmp_path, fast)  # released: works again


# -- command line --------------------------------------------------------------------------------

def cli(fake, data_dir, *extra):
    return CliRunner().invoke(app, ["--data-dir", str(data_dir), "refresh", "--api-url", fake.base_url,
                                    "--rate", "0", "--backoff", "0.001", *extra])


@pytest.fixture
def seeds_chosen(tmp_path):
    """Write the synthetic seeds as the chosen seed list of the data dir (what `seeds --source` does)."""
    from medvlm_graph.io import write_parquet

    write_parquet(build_seeds(), DataPaths(tmp_path).seed_list)
    return tmp_path


def test_cli_refresh_summary(fake, seeds_chosen):
    result = cli(fake, seeds_chosen)
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Seeds: 12; resolved by id 7, by title 2, unresolved 3" in out
    assert "Papers: 2045; edges: 2042 (1037 from references, 1005 from citations)" in out
    assert "Requests: 23 made, 0 served from cache, 0 retries" in out
    assert f"Caps hit: 1 paper(s) with more citations than fetched ({H})" in out
    again = cli(fake, seeds_chosen)
    assert "Requests: 0 made, 23 served from cache, 0 retries" in again.output


def test_cli_key_on_every_request_and_in_no_file(fake, seeds_chosen, monkeypatch):
    monkeypatch.setenv("S2_API_KEY", KEY)
    fake.random_faults(0.2, seed=3, kinds=("429", "500", "badjson"))
    result = CliRunner().invoke(app, ["--verbose", "--data-dir", str(seeds_chosen), "refresh", "--api-url",
                                      fake.base_url, "--rate", "0", "--backoff", "0.001", "--retries", "20"])
    assert result.exit_code == 0, result.output
    assert len(fake.log) > 23 and all(r["key"] == KEY for r in fake.log)
    assert "DEBUG" in result.output and "retry 1" in result.output  # the verbose log is in the output
    assert KEY not in result.output
    written = [p for p in Path(seeds_chosen).rglob("*") if p.is_file()]
    assert len(written) > 23
    for p in written:
        assert KEY.encode() not in p.read_bytes(), p


def test_cli_wrong_key_exits_3_at_once(fake, seeds_chosen, monkeypatch):
    monkeypatch.setenv("S2_API_KEY", "wrong-key-0000")
    result = cli(fake, seeds_chosen)
    assert result.exit_code == 3
    assert "Error: Semantic Scholar refused access (HTTP 403 Forbidden)" in result.output
    assert "S2_API_KEY" in result.output and "wrong-key-0000" not in result.output
    assert len(fake.log) == 1
    prov = json.loads((DataPaths(seeds_chosen).fetched / "provenance.json").read_text())
    assert prov["complete"] is False


def test_bad_fields_raise_api_error_at_once(fake, fast, tmp_path, monkeypatch):
    from medvlm_graph.s2 import fetch, parse

    monkeypatch.setattr(fetch, "PAPER_FIELDS", parse.PAPER_FIELDS + ("bogusField",))
    with pytest.raises(ApiError, match=r"HTTP 400\): Unrecognized or unsupported fields: \[bogusField\]"):
        run(fake, tmp_path, fast)
    assert len(fake.requests(path="/graph/v1/paper/batch")) == 2  # resolve batch, then the failing one


def test_subprocess_killed_then_resumed(fake, seeds_chosen, baseline):
    fake.delay = 0.05
    env = {**os.environ, "S2_API_URL": fake.base_url}
    cmd = [sys.executable, "-m", "medvlm_graph", "--quiet", "--data-dir", str(seeds_chosen), "refresh", "--rate", "0"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.time() + 60
    while len(fake.log) < 12 and time.time() < deadline and proc.poll() is None:
        time.sleep(0.01)
    proc.kill()
    proc.wait()
    assert proc.returncode != 0 and 12 <= len(fake.log) < 23
    fake.delay = 0
    env.pop("S2_API_URL")
    done = subprocess.run([sys.executable, "-m", "medvlm_graph", "--data-dir", str(seeds_chosen), "refresh", "--rate", "0",
                           "--api-url", fake.base_url], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Seeds: 12; resolved by id 7, by title 2, unresolved 3" in done.stdout
    # the resumed run asked only what the killed one had not finished (one answer may have been in flight)
    assert len(fake.log) <= 23 + 1
    assert_same_tables(baseline, fetched(seeds_chosen))
