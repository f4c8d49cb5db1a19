from medvlm_graph.build import build
from medvlm_graph.corpus import Corpus
from medvlm_graph.io import write_parquet
from medvlm_graph.paths import DataPaths


def test_tables_without_build_json_are_rebuilt_not_used(tmp_path):
    paths = DataPaths(tmp_path)
    build(paths)
    # An interrupted build: one table was replaced by a stale one and build.json is gone.
    write_parquet(Corpus.load(paths).papers.head(3), paths.table("papers"))
    (paths.processed / "build.json").unlink()
    corpus = Corpus.load(paths)
    assert len(corpus.papers) == 219  # the snapshot's papers, not the 3 stale rows
    assert (paths.processed / "build.json").exists()
