import os

import pandas as pd
import pytest

from medvlm_graph import io
from medvlm_graph.errors import DataError, InputError


def test_atomic_write_replaces_whole_file_and_leaves_no_temp(tmp_path):
    target = tmp_path / "sub" / "f.json"
    io.atomic_write_json(target, {"a": 1})
    io.atomic_write_json(target, {"a": 2})
    assert io.read_json(target) == {"a": 2}
    assert sorted(os.listdir(target.parent)) == ["f.json"]


def test_failed_write_keeps_old_content(tmp_path, monkeypatch):
    target = tmp_path / "f.txt"
    io.atomic_write_text(target, "old")

    def boom(*a, **k):
        raise RuntimeError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(RuntimeError):
        io.atomic_write_text(target, "new")
    assert target.read_text() == "old"
    assert sorted(os.listdir(tmp_path)) == ["f.txt"]


def test_corrupt_json_is_one_line_data_error(tmp_path):
    p = tmp_path / "c.json"
    p.write_text('{"a": ')
    with pytest.raises(DataError) as err:
        io.read_json(p)
    assert "corrupt JSON file" in str(err.value) and "\n" not in str(err.value)


def test_parquet_roundtrip_and_corrupt_file(tmp_path):
    df = pd.DataFrame({"x": [1, 2]})
    p = io.write_parquet(df, tmp_path / "t.parquet")
    assert io.read_parquet(p)["x"].tolist() == [1, 2]
    p.write_bytes(b"PAR1 not really")
    with pytest.raises(DataError, match="corrupt parquet file"):
        io.read_parquet(p)
    with pytest.raises(DataError, match="missing table"):
        io.read_parquet(tmp_path / "nope.parquet")


def test_unwritable_directory_is_input_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(InputError, match="cannot write"):
        io.atomic_write_text(blocker / "child.txt", "y")


def test_atomic_write_gives_normal_file_permissions(tmp_path):
    old = os.umask(0o022)
    try:
        p = io.atomic_write_text(tmp_path / "perm.txt", "x")
    finally:
        os.umask(old)
    assert oct(p.stat().st_mode & 0o777) == "0o644"


def test_a_table_set_cut_short_is_seen_as_interrupted(tmp_path, monkeypatch):
    marker = tmp_path / "done.json"
    io.write_table_set({tmp_path / "a.parquet": pd.DataFrame({"x": [1]})}, marker, {"n": 1})
    assert io.read_json(marker) == {"n": 1} and not io.interrupted(marker)

    calls = []
    real = io.write_parquet

    def killed_on_second(df, path):
        calls.append(path.name)
        if len(calls) == 2:
            raise KeyboardInterrupt  # stands for a kill between two tables
        return real(df, path)

    monkeypatch.setattr(io, "write_parquet", killed_on_second)
    with pytest.raises(KeyboardInterrupt):
        io.write_table_set({tmp_path / "a.parquet": pd.DataFrame({"x": [2]}),
                            tmp_path / "b.parquet": pd.DataFrame({"x": [2]})}, marker, {"n": 2})
    assert io.interrupted(marker)  # readers see an interrupted write, not a complete set
