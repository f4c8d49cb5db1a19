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


def _wait_for(path: Path, seconds: float = 20.0) -> bool:
    import time

    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if path.exists():
            return True
        time.sleep(0.01)
    return False


@needs_fork
def test_then_runs_in_the_child_after_the_result_and_finish_waits_for_it(tmp_path):
    marker = tmp_path / "written"

    def write(result):
        __import__("time").sleep(0.5)
        marker.write_text(str(len(result)))

    with Forked(lambda: [1, 2, 3], then=write) as job:
        assert job.result() == [1, 2, 3]
        assert not marker.exists()  # the result came before the writing ended
    assert marker.read_text() == "3"  # leaving the block waited for it


@needs_fork
def test_a_big_result_does_not_hold_the_child_back(tmp_path):
    # 50 MB would fill a pipe 800 times over: the child must reach `then` before result() is called
    marker = tmp_path / "then started"
    with Forked(lambda: b"x" * 50_000_000, then=lambda r: marker.touch()) as job:
        assert _wait_for(marker)
        assert len(job.result()) == 50_000_000


@needs_fork
def test_errors_of_then_and_deaths_during_it_are_raised_by_finish():
    def bad(result):
        raise InputError(f"cannot write {result}")

    job = Forked(lambda: "t.csv", then=bad)
    assert job.result() == "t.csv"
    with pytest.raises(InputError, match="^cannot write t.csv$"):
        job.finish()

    def oom(result):
        os.kill(os.getpid(), signal.SIGKILL)

    with pytest.raises(WorkerError, match="died before it was done: killed by signal 9"):
        with Forked(lambda: 1, then=oom) as job:
            assert job.result() == 1


@needs_fork
def test_then_is_not_run_after_an_error():
    ran = []
    with pytest.raises(ZeroDivisionError):
        with Forked(lambda: 1 / 0, then=lambda r: ran.append(r)) as job:
            job.result()
    assert ran == []


def test_in_process_runs_then_with_the_result(tmp_path):
    seen = []
    with _fork.InProcess(lambda: 7, then=seen.append) as job:
        assert job.result() == 7
    assert seen == [7]


@pytest.mark.parametrize("workers", [1, pytest.param(2, marks=needs_fork)])
def test_start_analyses_gives_this_process_runs_first(corpus, tmp_path, workers):
    with pipeline.start_analyses(corpus.papers, corpus.labels, citations=corpus.citations, seeds=corpus.seeds,
                                 authorships=corpus.authorships, taxonomy=corpus.taxonomy, as_of=corpus.as_of,
                                 source="synthetic world", workers=workers, directory=tmp_path) as analyses:
        assert list(analyses.ready) == ["trends", "gaps", "indicators"]
        assert (tmp_path / "trends.csv").exists() and (tmp_path / "gaps.md").exists()
        runs = analyses.result()
        assert runs["trends"] is analyses.ready["trends"] and analyses.result() is runs
    assert list(runs) == ["trends", "clusters", "gaps", "indicators"]
    assert (tmp_path / "centrality.csv").exists() and (tmp_path / "spc.csv").exists()


def _explode():
    raise ValueError("boom")


class _Unreadable:
    """Pickles fine; unpickling it raises (as a result whose class changed would)."""

    def __reduce__(self):
        return (_explode, ())


@needs_fork
def test_a_result_that_cannot_be_read_is_an_error_and_stops_the_child():
    job = Forked(lambda: _Unreadable(), then=lambda r: __import__("time").sleep(60))
    with pytest.raises(WorkerError, match="^the result of the medvlm-graph worker process could not be read: boom$"):
        job.result()
    assert not job._proc.is_alive()
