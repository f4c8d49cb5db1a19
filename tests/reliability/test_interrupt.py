"""SIGKILL at random points of ``refresh`` and ``build`` (real subprocesses), then recovery; the lock.

Each loop is bounded (a few seeded iterations and a time budget). After every
kill: each table, manifest, provenance and cache file present is complete
(readable as a whole; a killed atomic write leaves only a hidden ``*.tmp``
file, never a partial file under a final name), and a new run finishes with
tables equal to a clean run's (compared as DataFrames sorted by key).
"""

from __future__ import annotations

import fcntl
import json
import os
import random
import shutil
import signal
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from rel_support import (CLEAN_REQUESTS, FakeS2, fast_refresh_args, mini_world, popen_cli, read_tables,
                         run_cli, assert_same_tables, write_seeds)

from medvlm_graph.build import build
from medvlm_graph.corpus import Corpus
from medvlm_graph.errors import LockError
from medvlm_graph.paths import DataPaths
from medvlm_graph.s2 import refresh

SEED = 20261127
PROCESSED = ("papers", "citations", "authorships", "seeds", "labels")


def _wait(cond, timeout: float, proc=None, step: float = 0.005) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():
            return True
        if proc is not None and proc.poll() is not None:
            return False
        time.sleep(step)
    return False


def _lock_free(path: Path) -> bool:
    """Whether no process holds the data-directory lock ``path`` (a non-blocking flock succeeds)."""
    fd = os.open(path, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(fd)  # closing releases a lock taken here
    return True


def assert_no_partial_files(root: Path) -> None:
    """Every file under a final name is whole: parquet and JSON files parse completely."""
    for p in root.rglob("*"):
        if not p.is_file() or p.name == ".medvlm-graph.lock":
            continue
        if p.name.startswith(".") and p.name.endswith(".tmp"):
            continue  # a killed atomic write: hidden, never read
        if p.suffix == ".partial":
            continue  # the flag of a table set cut short (io.interrupted): readers rebuild or refetch
        if p.suffix == ".parquet":
            pq.read_table(p)  # raises on a truncated file
        elif p.suffix == ".json":
            json.loads(p.read_text(encoding="utf-8"))
        else:
            raise AssertionError(f"unexpected file {p}")


@pytest.fixture(scope="module")
def server():
    s = FakeS2(mini_world()).start()
    yield s
    s.stop()


@pytest.fixture(scope="module")
def fetched_dir(tmp_path_factory, server):
    """A data dir after a clean refresh (its fetched tables are the reference)."""
    d = tmp_path_factory.mktemp("fetched") / "data"
    write_seeds(d)
    assert refresh(data_dir=d, api_url=server.base_url, rate=0).complete
    return d


@pytest.fixture(scope="module")
def clean_processed(tmp_path_factory, fetched_dir):
    d = tmp_path_factory.mktemp("built") / "data"
    shutil.copytree(fetched_dir, d)
    build(d)
    return read_tables(DataPaths(d).processed, PROCESSED)


@pytest.mark.slow  # the slowest tests of the suite: a loop of real subprocesses killed at random
def test_sigkill_refresh_at_random_points_then_resume(tmp_path, server, fetched_dir):
    clean = read_tables(DataPaths(fetched_dir).fetched)
    rng = random.Random(SEED)
    started, kills, prev = time.monotonic(), 0, None
    for i in range(6):
        if i >= 3 and time.monotonic() - started > 25:
            break
        if i % 2 and prev is not None:
            d, extra = prev, ["--max-age", "0"]  # re-fetch everything over complete older files
        else:
            d, extra = tmp_path / f"run{i}", []
            write_seeds(d)
        server.log.clear()
        server.delay = 0.03
        k = rng.randint(1, CLEAN_REQUESTS)
        proc = popen_cli(["--quiet", "--data-dir", str(d), *fast_refresh_args(server.base_url, *extra)])
        try:
            _wait(lambda k=k: len(server.log) >= k, 60, proc)
            time.sleep(rng.uniform(0, 0.05))
            proc.send_signal(signal.SIGKILL)
        finally:
            proc.wait(30)
            server.delay = 0.0
        kills += proc.returncode == -signal.SIGKILL
        assert_no_partial_files(d)
        if extra:  # the complete files of the earlier run are never damaged by a killed run
            assert_same_tables(read_tables(DataPaths(d).fetched), clean)
        summary = refresh(data_dir=d, api_url=server.base_url, rate=0)  # resumes: the lock is free again
        assert summary.complete and summary.requests + summary.from_cache == CLEAN_REQUESTS
        assert_same_tables(read_tables(DataPaths(d).fetched), clean)
        prev = d
    assert kills >= 3, "the loop must really kill refreshes mid-run"


@pytest.mark.slow  # the slowest tests of the suite: a loop of real subprocesses killed at random
def test_sigkill_build_at_random_points_then_rebuild(tmp_path, fetched_dir, clean_processed):
    rng = random.Random(SEED + 1)
    # One whole run of the real command: how long it holds the lock (the part worth killing; not the
    # exit after it, which a kill would miss the build in).
    first = tmp_path / "first"
    shutil.copytree(fetched_dir, first)
    proc = popen_cli(["--quiet", "--data-dir", str(first), "build"])
    lock = DataPaths(first).lock
    held = lambda p=proc, f=lock: f.exists() and f.read_text().startswith(f"{p.pid} ")  # noqa: E731
    assert _wait(held, 120, proc, 0.01), proc.communicate()
    t0 = time.monotonic()
    _wait(lambda f=lock: _lock_free(f), 120, proc, 0.005)
    window = time.monotonic() - t0
    assert proc.wait(120) == 0, proc.stderr.read()
    assert_same_tables(read_tables(DataPaths(first).processed, PROCESSED), clean_processed)

    started, kills, prev = time.monotonic(), 0, first
    for i in range(5):
        if i >= 2 and time.monotonic() - started > 20:
            break
        if i % 2:
            d = prev  # kill a rebuild over complete older tables
        else:
            d = tmp_path / f"run{i}"
            shutil.copytree(fetched_dir, d)
        proc = popen_cli(["--quiet", "--data-dir", str(d), "build"])
        lock = DataPaths(d).lock
        held = lambda p=proc, f=lock: f.exists() and f.read_text().startswith(f"{p.pid} ")  # noqa: E731
        try:
            _wait(held, 120, proc, 0.01)
            # Half the kills anywhere in the locked part, half near its end, where the tables are written.
            time.sleep(window * (rng.uniform(0, 0.95) if i < 2 or rng.random() < 0.5 else rng.uniform(0.75, 0.98)))
            proc.send_signal(signal.SIGKILL)
        finally:
            proc.wait(30)
        kills += proc.returncode == -signal.SIGKILL
        assert_no_partial_files(d)
        if d == prev:
            assert_same_tables(read_tables(DataPaths(d).processed, PROCESSED), clean_processed)
        if (DataPaths(d).processed / "build.json.partial").exists():
            Corpus.load(d)  # a set cut short is rebuilt by the first reader, not read as a mix
            assert not (DataPaths(d).processed / "build.json.partial").exists()
        else:
            build(d)
        assert_same_tables(read_tables(DataPaths(d).processed, PROCESSED), clean_processed)
        prev = d
    assert kills >= 2, "the loop must really kill builds mid-run"


def test_second_refresh_on_a_locked_data_dir_fails_at_once(tmp_path, server, fetched_dir):
    d = tmp_path / "data"
    write_seeds(d)
    server.log.clear()
    server.delay = 1.0  # the first refresh is slow: it holds the lock while waiting for answers
    first = popen_cli(["--quiet", "--data-dir", str(d), *fast_refresh_args(server.base_url, "--timeout", "10")])
    try:
        lock = DataPaths(d).lock
        assert _wait(lambda: lock.exists() and lock.read_text().startswith(f"{first.pid} "), 60, first, 0.01), \
            first.communicate()
        t0 = time.monotonic()
        second = run_cli(["--data-dir", str(d), *fast_refresh_args(server.base_url)], timeout=60)
        assert first.poll() is None, "the first refresh must still be running"
        assert second.returncode == 1, second.stderr
        errors = [ln for ln in second.stderr.splitlines() if "Error" in ln]
        assert len(errors) == 1 and errors[0].startswith("Error: data directory") and "in use" in errors[0]
        assert f"pid {first.pid}" in errors[0] and "refresh" in errors[0], errors
        assert "Traceback" not in second.stderr and time.monotonic() - t0 < 30
        with pytest.raises(LockError):  # build is refused too, while refresh writes
            build(d)
    finally:
        server.delay = 0.0
    assert first.wait(120) == 0, first.stderr.read()  # the first one was not disturbed
    assert_same_tables(read_tables(DataPaths(d).fetched), read_tables(DataPaths(fetched_dir).fetched))



def test_sigkill_in_the_middle_of_a_write_leaves_the_old_complete_file(tmp_path):
    """Deterministic: kill a process while its temp file is half written; the target keeps the old table."""
    import subprocess
    import sys

    import pandas as pd

    from medvlm_graph.io import read_parquet, write_parquet

    target = tmp_path / "papers.parquet"
    old = pd.DataFrame({"paper_id": ["old1", "old2"]})
    write_parquet(old, target)
    code = ("import sys; from medvlm_graph.io import atomic_write_bytes; "
            "atomic_write_bytes(sys.argv[1], b'PAR1' + b'x' * 300_000_000)")
    proc = subprocess.Popen([sys.executable, "-c", code, str(target)])
    try:
        growing = lambda: any(p.stat().st_size > 1_000_000 for p in tmp_path.glob(".papers.parquet.*.tmp"))  # noqa: E731
        assert _wait(growing, 60, proc), "the writer never started writing its temp file"
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(30)
    assert proc.returncode == -signal.SIGKILL
    pd.testing.assert_frame_equal(read_parquet(target), old)  # never the partial bytes
    leftovers = [p.name for p in tmp_path.iterdir() if p != target]
    assert all(n.startswith(".papers.parquet.") and n.endswith(".tmp") for n in leftovers), leftovers
