"""--engine spark writes the same fetched tables as DuckDB; Spark pairs equal the scipy ones.

Spark runs in local mode (local[2]) on one session shared by the test session (fixture ``spark``
in conftest.py). Corpora are SYNTHETIC (conftest.py and below).
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from typer.testing import CliRunner

from medvlm_graph.cli import app
from medvlm_graph.graphs import build_cocitation_graph, build_coupling_graph
from medvlm_graph.graphs._pairs import pair_graph
from medvlm_graph.graphs.cooccurrence import _item_matrix
from medvlm_graph.graphs.matrix import pair_table
from medvlm_graph.ingest import ingest
from medvlm_graph.paths import DataPaths
from medvlm_graph.graphs.stored import read_pair_table

TABLES = ("papers", "citations", "authorships", "seeds")
# Summary fields that describe the run, not the data.
RUN_FIELDS = {"engine", "seconds", "peak_rss_mb", "out_dir", "files", "pairs"}


def _both(corpus, seeds, spark_inputs=None, **kw):
    """Ingest with each engine into its own data dir; returns {engine: (summary, tables)}."""
    src = corpus["dir"]
    inputs = dict(papers=str(src / "papers-*"), citations=str(src / "citations-*"),
                  abstracts=str(src / "abstracts-*"), tldrs=str(src / "tldrs-*"))
    out = {}
    for engine in ("duckdb", "spark"):
        args = {**inputs, **(spark_inputs or {})} if engine == "spark" else dict(inputs)
        data = corpus["data"] / engine
        s = ingest(args.pop("papers"), args.pop("citations"), **args, data_dir=data, seeds=seeds, engine=engine, **kw)
        out[engine] = (s, {n: pd.read_parquet(DataPaths(data).fetched_table(n)) for n in TABLES})
    return out


def _assert_same(out):
    (sd, td), (ss, ts) = out["duckdb"], out["spark"]
    for name in TABLES:
        pd.testing.assert_frame_equal(td[name], ts[name], check_exact=True, obj=name)
    data = {k: v for k, v in sd.as_dict().items() if k not in RUN_FIELDS}
    assert data == {k: v for k, v in ss.as_dict().items() if k not in RUN_FIELDS}
    assert [(f["role"], f["lines"], f["malformed"]) for f in sd.files] == [
        (f["role"], f["lines"], f["malformed"]) for f in ss.files]
    assert (sd.engine, ss.engine) == ("duckdb", "spark")


@pytest.mark.parametrize("hops", [None, 1])
def test_spark_writes_the_duckdb_tables(spark, corpus, seeds, hops):
    out = _both(corpus, seeds, hops=hops)
    _assert_same(out)
    summary, t = out["spark"]
    # Not vacuous: the corpus of conftest.py, with its malformed lines, duplicates and texts.
    assert (summary.papers, summary.citations, summary.seeds_matched) == ((7, 5, 3) if hops is None else (5, 4, 3))
    assert (summary.malformed_papers, summary.malformed_citations, summary.malformed_abstracts,
            summary.malformed_tldrs, summary.duplicate_papers, summary.duplicate_citations) == (3, 2, 2, 1, 1, 2)
    assert t["papers"]["abstract"].notna().sum() == (4 if hops is None else 3)
    assert t["seeds"]["match"].tolist() == ["id", "id", "title", "none"]
    prov = json.loads((DataPaths(corpus["data"] / "spark").fetched / "provenance.json").read_text())
    assert prov["engine"] == "spark" and prov["counts"]["malformed_papers"] == 3


# Titles a seed list and S2 write differently (ligature, soft hyphen, entity, typographic quotes,
# Greek), a zstd shard, and the citations read through a file:// URL glob (a URL's extension must
# tell its compression; local files are sniffed: conftest's papers-002.jsonl is gzip without .gz).
ODD_PAPERS = [
    {"corpusid": 11, "title": "Re\ufb01ning VQA for Radiology", "year": 2024, "citationcount": 2},
    {"corpusid": 12, "title": "Seg\u00admentation &amp; Grounding of CT", "year": 2023},
    {"corpusid": 13, "title": "\u201cZero-shot\u201d Pathology Captioning", "year": 2022,
     "externalids": {"DOI": "10.5555/ODD.13"}},
    {"corpusid": 14, "title": "\u0391\u03b9\u03c3\u03b8\u03b7\u03c3\u03b7\u03c3 \u03c3\u03b1\u03c3", "year": 2021},
    {"corpusid": 15, "title": "Unrelated work", "year": 2020, "authors": [{"authorId": 7, "name": "Num Id"}]},
    "{\"corpusid\": 16, \"title\": ",
    "[1, 2]",
    "   ",
]
ODD_CITATIONS = [
    {"citingcorpusid": 12, "citedcorpusid": 11, "intents": [["methodology", "background"], None]},
    {"citingcorpusid": 13, "citedcorpusid": 12, "isinfluential": None},
    {"citingcorpusid": 15, "citedcorpusid": 14, "intents": []},
    {"citingcorpusid": 15, "citedcorpusid": None},
    "{}",
]


def test_spark_matches_duckdb_on_odd_titles_compression_and_urls(spark, corpus, make_seeds, write, tmp_path):
    src = corpus["dir"]
    raw = "\n".join(p if isinstance(p, str) else json.dumps(p) for p in ODD_PAPERS) + "\n"
    with pa.CompressedOutputStream(str(src / "papers-003.jsonl.zst"), "zstd") as fh:
        fh.write(raw.encode())
    write(src / "citations-002.jsonl", ODD_CITATIONS)
    seeds = make_seeds([
        {"seed_id": "a", "title": "Refining VQA for radiology."},
        {"seed_id": "b", "title": "Segmentation & grounding of CT"},
        {"seed_id": "c", "title": "Other wording", "doi": "10.5555/odd.13"},
        {"seed_id": "d", "title": "\u0391\u03b9\u03c3\u03b8\u03b7\u03c3\u03b7\u03c3 \u03c3\u03b1\u03c3"},
        {"seed_id": "e", "title": "Contrastive pretraining for chest x-ray reports", "arxiv_id": "2101.00001"},
    ])
    url = {"citations": f"file://{src}/citations-*"}
    out = _both(corpus, seeds, spark_inputs=url, hops=0)
    _assert_same(out)
    summary, t = out["spark"]
    assert t["seeds"]["match"].tolist() == ["title", "title", "id", "title", "id"]
    assert t["papers"]["corpus_id"].tolist() == [1, 11, 12, 13, 14]
    assert [(f["path"].startswith("file:"), f["lines"], f["malformed"]) for f in summary.files
            if f["role"] == "citations"] == [(True, 11, 2), (True, 1, 0), (True, 5, 2)]


def _scipy_pairs(c: pd.DataFrame, kind, norm, top_k, papers=None):
    X, index = _item_matrix(c, papers, kind)
    t = pair_table(X, norm=norm, top_k=top_k)
    return pd.DataFrame({"paper_a": index[t.i].astype(object), "paper_b": index[t.j].astype(object),
                         "count": t.count, "weight": t.weight}), t.n_contexts


@pytest.mark.parametrize("kind, norm, top_k, restrict", [
    ("cocitation", "association", 3, False),
    ("coupling", "cosine", 2, False),
    ("cocitation", "jaccard", None, True),
    ("coupling", "inclusion", 1, True),
])
def test_spark_pairs_equal_scipy(spark, kind, norm, top_k, restrict):
    from medvlm_graph.spark.pairs import spark_pair_table

    rng = np.random.default_rng(7)  # synthetic: 40 papers, 300 citation records (duplicates, self-loops)
    c = pd.DataFrame({"citing_id": [f"p{rng.integers(40):02d}" for _ in range(300)],
                      "cited_id": [f"p{rng.integers(40):02d}" for _ in range(300)]})
    papers = pd.DataFrame({"paper_id": [f"p{i:02d}" for i in range(0, 40, 2)]}) if restrict else None
    expected, n = _scipy_pairs(c, kind, norm, top_k, papers)
    df, n_spark, _ = spark_pair_table(c, kind=kind, norm=norm, top_k=top_k, papers=papers, spark=spark)
    got = df.toArrow().to_pandas().sort_values(["paper_a", "paper_b"]).reset_index(drop=True)
    assert n_spark == n and len(got) == len(expected) > 10
    assert got[["paper_a", "paper_b"]].values.tolist() == expected[["paper_a", "paper_b"]].values.tolist()
    assert got["count"].tolist() == expected["count"].tolist()
    assert np.array_equal(got["weight"].to_numpy(), expected["weight"].to_numpy())  # to the last bit


# Papers 1-3 cite 4, 5, 6 in overlapping sets, so there are co-cited and coupled pairs.
PAIR_CITATIONS = [(1, 4), (1, 5), (1, 6), (2, 4), (2, 5), (2, 6), (3, 4), (3, 5), (4, 6)]


def test_cli_spark_ingest_with_pairs_then_duckdb_removes_them(spark, tmp_path, write, make_seeds):
    data = tmp_path / "data"
    DataPaths(data).seed_list.parent.mkdir(parents=True)
    make_seeds([{"seed_id": "s", "title": "Paper number one"}]).to_parquet(DataPaths(data).seed_list, index=False)
    p = write(tmp_path / "papers.jsonl", [{"corpusid": i, "title": f"Paper number {w}"}
                                          for i, w in enumerate(["one", "two", "three", "four", "five", "six"], 1)])
    c = write(tmp_path / "citations.jsonl", [{"citingcorpusid": a, "citedcorpusid": b} for a, b in PAIR_CITATIONS])
    base = ["--data-dir", str(data), "ingest", "--papers", str(p), "--citations", str(c)]
    result = CliRunner().invoke(app, base + ["--engine", "spark", "--pairs", "cocitation", "--pairs", "coupling",
                                             "--pair-norm", "association", "--pair-top-k", "1"])
    assert result.exit_code == 0, result.output
    # co-citation: (4,5) 3 times, (4,6) and (5,6) twice; top 1 of each paper by association keeps 2 pairs.
    assert "Pairs counted on Spark: cocitation 2, coupling 3" in " ".join(result.output.split())
    fetched = DataPaths(data).fetched
    cits = pd.read_parquet(fetched / "citations.parquet")
    for kind, n in (("cocitation", 2), ("coupling", 3)):
        got = pd.read_parquet(fetched / "pairs" / f"{kind}.parquet")
        expected, n_contexts = _scipy_pairs(cits, kind, "association", 1)
        cols = ["paper_a", "paper_b", "count"]
        assert got[cols].values.tolist() == expected[cols].values.tolist()
        assert np.array_equal(got["weight"].to_numpy(), expected["weight"].to_numpy()) and len(got) == n
        meta = json.loads((fetched / "pairs" / f"{kind}.json").read_text())
        assert (meta["norm"], meta["top_k"], meta["n_contexts"], meta["pairs"]) == ("association", 1, n_contexts, n)
    # Read back without Spark: the graph build_cocitation_graph / build_coupling_graph would make.
    papers = pd.read_parquet(fetched / "papers.parquet")
    index = pd.Index(sorted(papers["paper_id"].astype(object)), dtype="string")
    for kind, build in (("cocitation", build_cocitation_graph), ("coupling", build_coupling_graph)):
        t = read_pair_table(fetched / "pairs", kind, cits, index, norm="association", top_k=1)
        G = pair_graph(t, index, kind=kind)
        H = build(cits, papers=papers, norm="association", top_k=1)
        assert sorted(G.edges(data=True)) == sorted(H.edges(data=True)) and len(G.edges) > 0
        assert dict(G.nodes(data="occurrences")) == dict(H.nodes(data="occurrences"))
        assert t.n_contexts == H.graph["n_contexts"]
        # made with other settings, or for other citations: not usable
        assert read_pair_table(fetched / "pairs", kind, cits, index, norm="cosine", top_k=1) is None
        assert read_pair_table(fetched / "pairs", kind, cits.iloc[1:], index, norm="association", top_k=1) is None
    # build and export read them instead of counting (counting is switched off here to prove it);
    # other settings fall back to counting
    from medvlm_graph.corpus import Corpus
    from medvlm_graph.graphs import cooccurrence

    corpus = Corpus.load(data)
    expected = {kind: corpus.graph(kind, norm="association", top_k=1) for kind in ("cocitation", "coupling")}
    real_pairs = cooccurrence.pairs

    def no_counting(*a, **k):
        raise AssertionError("pairs were counted although Spark's pair table fits")

    cooccurrence.pairs = no_counting
    try:
        for kind in ("cocitation", "coupling"):
            G = corpus.graph(kind, norm="association", top_k=1)
            assert sorted(G.edges(data=True)) == sorted(expected[kind].edges(data=True)) and len(G.edges) > 0
        with pytest.raises(AssertionError, match="pairs were counted"):
            corpus.graph("coupling", norm="cosine", top_k=1)
    finally:
        cooccurrence.pairs = real_pairs
    # A new ingest replaces the fetched layer: pairs of the old corpus must not survive it.
    result = CliRunner().invoke(app, base + ["--seeds-only"])
    assert result.exit_code == 0, result.output
    assert not (fetched / "pairs").exists()
    assert sorted(f.name for f in DataPaths(data).raw.iterdir()) == ["fetched", "seeds.parquet"]  # no staging left


def test_pairs_need_spark_and_known_kinds(corpus):
    base = ["--data-dir", str(corpus["data"]), "ingest", "--papers", str(corpus["papers_a"]),
            "--citations", str(corpus["citations_y"])]
    result = CliRunner().invoke(app, base + ["--pairs", "cocitation"])
    assert (result.exit_code, result.output.strip()) == (
        2, "Error: --pairs is for --engine spark (on one machine, build counts the pairs itself)")
    result = CliRunner().invoke(app, base + ["--engine", "spark", "--pairs", "cotopic"])
    assert (result.exit_code, result.output.strip()) == (
        2, "Error: unknown pair kind 'cotopic'; choose from cocitation, coupling")


def test_missing_pyspark_is_a_one_line_error(corpus, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "pyspark", None)  # as if the extra were not installed
    monkeypatch.delitem(sys.modules, "medvlm_graph.ingest.spark", raising=False)
    monkeypatch.delattr("medvlm_graph.ingest.spark", raising=False)  # the package's cached submodule
    result = CliRunner().invoke(app, ["--data-dir", str(corpus["data"]), "ingest", "--papers", str(corpus["papers_a"]),
                                      "--citations", str(corpus["citations_y"]), "--engine", "spark"])
    errors = [line for line in result.output.splitlines() if line.startswith("Error:")]
    assert (result.exit_code, errors) == (
        1, ['Error: the Spark engine needs pyspark: pip install "medvlm-graph[spark]" (and Java 17 or later)'])


def test_missing_java_is_a_one_line_error(monkeypatch):
    pytest.importorskip("pyspark", reason='pyspark is not installed: pip install ".[spark]"')
    from pyspark.sql import SparkSession

    from medvlm_graph.errors import InputError
    from medvlm_graph.spark import session

    monkeypatch.setattr(SparkSession, "getActiveSession", classmethod(lambda cls: None))
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setattr(session.shutil, "which", lambda name: None)
    with pytest.raises(InputError, match=r"^the Spark engine needs Java 17 or later: apt-get install "
                                          r"default-jre-headless \(Debian\), or set JAVA_HOME; no java was found$"):
        session.spark_session("local[1]")
