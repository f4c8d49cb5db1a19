from medvlm_graph.build import build
from medvlm_graph.corpus import Corpus
from medvlm_graph.io import write_parquet
from medvlm_graph.paths import DataPaths


def test_tables_of_an_interrupted_build_are_rebuilt_not_used(tmp_path):
    paths = DataPaths(tmp_path)
    build(paths)
    # An interrupted build: one table was replaced by a stale one and the set is marked partial.
    write_parquet(Corpus.load(paths).papers.head(3), paths.table("papers"))
    (paths.processed / "build.json.partial").write_text("started\n")
    corpus = Corpus.load(paths)
    assert len(corpus.papers) == 219  # the snapshot's papers, not the 3 stale rows
    assert not (paths.processed / "build.json.partial").exists()


def test_tables_written_by_hand_are_used_as_they_are(tmp_path):
    paths = DataPaths(tmp_path)
    build(paths)
    write_parquet(Corpus.load(paths).papers.head(3), paths.table("papers"))
    (paths.processed / "build.json").unlink()
    assert len(Corpus.load(paths).papers) == 3
