from medvlm_graph.lock import data_lock
from medvlm_graph.paths import DataPaths


def test_lock_removes_temp_files_left_by_killed_writers_and_nothing_else(tmp_path):
    p = DataPaths(tmp_path)
    leftovers = [p.fetched / ".papers.parquet.ab12.tmp", p.s2_cache / "3f" / ".3f00.json.x1.tmp",
                 p.processed / ".labels.parquet.zz.tmp"]
    kept = [p.fetched / "papers.parquet", p.s2_cache / "3f" / "3f00.json",
            p.report_dir / ".index.html.q9.tmp",  # the report is written without the lock: not ours to remove
            p.processed / "notes.tmp"]
    for f in leftovers + kept:
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text("x")
    with data_lock(p, what="build"):
        pass
    assert [f.exists() for f in leftovers] == [False, False, False]
    assert [f.exists() for f in kept] == [True, True, True, True]
