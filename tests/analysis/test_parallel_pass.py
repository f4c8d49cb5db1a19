"""The analysis pass on two processes (the clusters run forked) gives exactly the runs of one, on the
refresh-shaped SYNTHETIC world of tests/relevance; the fork helper's results, errors and deaths."""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

import pandas as pd
import pytest

from medvlm_graph.analysis import _fork, pipeline
from medvlm_graph.analysis._fork import Forked, can_fork
from medvlm_graph.analysis.pipeline import run_analyses
from medvlm_graph.build import build
from medvlm_graph.errors import InputError, UsageError, WorkerError
from medvlm_graph.paths import DataPaths

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "relevance"))
import field_world  # noqa: E402

needs_fork = pytest.mark.skipif(not can_fork(), reason="this platform cannot fork (the pass runs in one process)")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    paths = DataPaths(tmp_path_factory.mktemp("par") / "data")
    field_world.write_fetched(paths)
    return build(paths)


def _runs(corpus, workers):
    return run_analyses(corpus.papers, corpus.labels, citations=corpus.citations, seeds=corpus.seeds,
                        authorships=corpus.authorships, taxonomy=corpus.taxonomy, as_of=corpus.as_of,
                        source="synthetic world", workers=workers)


@needs_fork
def test_two_processes_give_the_runs_of_one(corpus):
    one, two = _runs(corpus, 1), _runs(corpus, 2)
    assert list(one) == list(two) == ["trends", "clusters", "gaps", "indicators"]
    for name in one:
        a, b = one[name], two[name]
        assert list(a.tables) == list(b.tables), name
        for stem in a.tables:
            pd.testing.assert_frame_equal(a.tables[stem], b.tables[stem], check_exact=True, obj=f"{name}/{stem}")
            assert a.tables[stem].attrs == b.tables[stem].attrs
        assert (a.skipped, a.notes, a.markdown) == (b.skipped, b.notes, b.markdown)
        assert list(a.shared) == list(b.shared)
    # the world has citations: the clusters run computed something worth comparing
    assert len(one["clusters"].tables["centrality"]) > 100


def test_default_is_one_process_for_small_corpora_and_workers_checked(corpus, monkeypatch):
    forked = []
    monkeypatch.setattr(pipeline, "Forked", lambda *a, **k: forked.append(1) or Forked(*a, **k))
    assert len(corpus.papers) < pipeline.PARALLEL_MIN_PAPERS
    _runs(corpus, None)
    assert forked == []
    with pytest.raises(UsageError, match="workers must be 1 or 2, not 3"):
        _runs(corpus, 3)


@needs_fork
def test_default_forks_above_the_threshold_on_two_cores(corpus, monkeypatch):
    forked = []
    monkeypatch.setattr(pipeline, "PARALLEL_MIN_PAPERS", 10)
    monkeypatch.setattr(pipeline, "default_workers", lambda: 2)
    monkeypatch.setattr(pipeline, "Forked", lambda *a, **k: forked.append(k["name"]) or Forked(*a, **k))
    _runs(corpus, None)
    assert forked == ["clusters run"]


@needs_fork
def test_forked_result_and_errors():
    assert Forked(lambda: {"a": [1, 2]}).result() == {"a": [1, 2]}

    def bad():
        raise InputError("no such table: x.csv")

    with pytest.raises(InputError, match="^no such table: x.csv$"):
        Forked(bad).result()

    def bug():
        return 1 / 0

    with pytest.raises(ZeroDivisionError) as info:
        Forked(bug, name="test run").result()
    assert "in the test run process" in "".join(info.value.__notes__)


@needs_fork
def test_a_killed_child_is_an_error_naming_the_signal():
    with pytest.raises(WorkerError, match=r"the clusters run process died without a result: killed by signal 9 "
                                          r"\(out of memory\?\)"):
        Forked(lambda: os.kill(os.getpid(), signal.SIGKILL), name="clusters run").result()


@needs_fork
def test_an_unpicklable_result_is_an_error():
    with pytest.raises(WorkerError, match="could not be sent back"):
        Forked(lambda: (lambda: 1)).result()


@needs_fork
def test_leaving_early_stops_the_child():
    with Forked(lambda: __import__("time").sleep(60)) as job:
        proc = job._proc
    assert not proc.is_alive()


def test_default_workers(monkeypatch):
    monkeypatch.setattr(_fork, "can_fork", lambda: True)
    monkeypatch.setattr(_fork.os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    assert _fork.default_workers() == 2
    monkeypatch.setattr(_fork.os, "sched_getaffinity", lambda pid: {0}, raising=False)
    assert _fork.default_workers() == 1
    monkeypatch.setattr(_fork, "can_fork", lambda: False)
    monkeypatch.setattr(_fork.os, "sched_getaffinity", lambda pid: {0, 1, 2}, raising=False)
    assert _fork.default_workers() == 1


@needs_fork
def test_writing_while_computing_writes_what_write_analyses_writes(corpus, tmp_path):
    runs = _runs(corpus, 1)
    pipeline.write_analyses(runs, tmp_path / "after")
    run_analyses(corpus.papers, corpus.labels, citations=corpus.citations, seeds=corpus.seeds,
                 authorships=corpus.authorships, taxonomy=corpus.taxonomy, as_of=corpus.as_of,
                 source="synthetic world", workers=2, directory=tmp_path / "during")
    after = {p.name: p.read_bytes() for p in (tmp_path / "after").iterdir()}
    during = {p.name: p.read_bytes() for p in (tmp_path / "during").iterdir()}
    assert sorted(after) == sorted(during)
    assert "spc.csv" in during and "gaps.md" in during and "disruption.csv" in during
    assert {n for n in after if after[n] != during[n] and not n.endswith(".parquet")} == set()
    for name in (n for n in after if n.endswith(".parquet")):
        pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "after" / name),
                                      pd.read_parquet(tmp_path / "during" / name), check_exact=True)
