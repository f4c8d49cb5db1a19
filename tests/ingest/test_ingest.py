"""ingest(): exact fetched-layer tables from the synthetic corpus of conftest.py."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from medvlm_graph import tables
from medvlm_graph.errors import InputError, UsageError
from medvlm_graph.ingest import ingest
from medvlm_graph.paths import DataPaths

C = "CorpusId:"
SHA1 = "a" * 40  # the sha in paper 1's url (conftest.py)


def _run(corpus, seeds, **kw):
    src = corpus["dir"]
    summary = ingest(str(src / "papers-*"), [src / "citations-000.jsonl.gz", src / "citations-001.jsonl"],
                     data_dir=corpus["data"], seeds=seeds, **kw)
    paths = DataPaths(corpus["data"])
    out = {n: pd.read_parquet(paths.fetched_table(n)) for n in ("papers", "citations", "authorships", "seeds")}
    return summary, out


def _edges(df: pd.DataFrame) -> list[tuple[str, str]]:
    return list(zip(df["citing_id"], df["cited_id"]))


def test_every_paper_exact_tables(corpus, seeds):
    summary, out = _run(corpus, seeds)
    papers = out["papers"]
    assert list(papers.columns) == tables.columns("papers")
    assert papers["paper_id"].tolist() == [SHA1, C + "2", C + "3", C + "4", C + "5", C + "6", C + "7"]
    assert papers["corpus_id"].tolist() == [1, 2, 3, 4, 5, 6, 7]
    assert papers["title"].tolist() == [
        "Contrastive Pretraining for Chest X-ray Reports", "Visual Question Answering for Radiology",
        "Segment Anything in Medical Images", "Report Generation with Large Language Models",
        "Old Work", "Unrelated Paper Six", "Unrelated Paper Seven"]
    assert papers["year"].tolist() == [2021, 2022, 2020, 2023, 2018, 2019, 2017]
    assert papers["is_seed"].tolist() == [True, True, True, False, False, False, False]
    assert papers["seed_id"].tolist()[:3] == ["s1", "s2", "s3"] and papers["seed_id"][3:].isna().all()
    first = papers.iloc[0]
    assert (first["arxiv_id"], first["venue"], first["citation_count"], first["reference_count"]) == (
        "2101.00001", "MICCAI", 5, 1)
    assert first["fields_of_study"] == "Computer Science;Medicine"
    assert first["publication_types"] == "JournalArticle"
    assert first["publication_date"] == "2021-01-05"
    assert first["url"] == f"https://www.semanticscholar.org/paper/{SHA1}"
    assert papers.loc[1, "doi"] == "10.1000/abc.123" and pd.isna(papers.loc[1, "venue"])
    assert set(papers["source"]) == {"ingest"}

    cits = out["citations"]
    assert list(cits.columns) == tables.columns("citations")
    assert _edges(cits) == [(SHA1, C + "3"), (C + "2", SHA1), (C + "3", C + "5"), (C + "4", C + "2"),
                            (C + "6", C + "7")]
    assert cits["is_influential"].tolist() == [False, True, False, False, True]
    # 2->1 twice: influential if any copy is, intents united; 4->2 across shards ([] + ["background"]).
    assert cits.loc[1, "intents"] == "background;methodology"
    assert cits.loc[3, "intents"] == "background" and cits.loc[4, "intents"] == "result"
    assert pd.isna(cits.loc[0, "intents"]) and pd.isna(cits.loc[2, "intents"])

    auth = out["authorships"]
    assert auth.astype(object).where(auth.notna(), None).values.tolist() == [
        [SHA1, "11", "Ann", 1], [SHA1, None, "Bob", 2], [C + "2", "12", "Cy", 1]]

    expected = dict(papers=7, citations=5, authorships=3, seeds_total=4, seeds_matched=3, hops=None,
                    papers_read=8, citations_read=10, malformed_papers=3, malformed_citations=2,
                    duplicate_papers=1, duplicate_citations=2, self_citations=1, unknown_citations=2,
                    outside_hops=0, hop_sizes=[])
    assert {k: getattr(summary, k) for k in expected} == expected


def test_per_file_counts_and_provenance(corpus, seeds):
    summary, _ = _run(corpus, seeds)
    per_file = [(f["role"], f["path"].rsplit("/", 1)[1], f["lines"], f["malformed"]) for f in summary.files]
    assert per_file == [
        ("papers", "papers-000.jsonl", 4, 1),  # the blank line is not a line
        ("papers", "papers-001.jsonl.gz", 5, 2),
        ("papers", "papers-002.jsonl", 2, 0),  # gzip content without .gz: sniffed
        ("citations", "citations-000.jsonl.gz", 11, 2),
        ("citations", "citations-001.jsonl", 1, 0),
    ]
    prov = json.loads((DataPaths(corpus["data"]).fetched / "provenance.json").read_text())
    assert prov["source"] == "ingest" and prov["hops"] is None and prov["complete"] is True
    assert prov["counts"]["malformed_papers"] == 3 and prov["counts"]["unknown_citations"] == 2
    assert len(prov["files"]) == 5 and prov["finished_at"].endswith("+00:00")
    # Nothing but the fetched layer is left behind (the DuckDB work dir is removed).
    assert sorted(p.name for p in DataPaths(corpus["data"]).raw.iterdir()) == ["fetched"]


def test_seeds_matched_by_arxiv_doi_title(corpus, seeds):
    _, out = _run(corpus, seeds)
    s = out["seeds"]
    assert list(s.columns) == tables.columns("seeds")
    assert s["paper_id"].tolist()[:3] == [SHA1, C + "2", C + "3"] and pd.isna(s.loc[3, "paper_id"])
    assert s["match"].tolist() == ["id", "id", "title", "none"]
    assert s["match_reason"].tolist()[:3] == ["ingest: arxiv id", "ingest: doi", "ingest: normalised title"]
    assert s["match_score"].tolist() == [1.0, 1.0, 1.0, 0.0]


@pytest.mark.parametrize("hops, ids, edges, hop_sizes, outside", [
    (0, [1], [], [], 5),
    (1, [1, 2, 3], [(SHA1, C + "3"), (C + "2", SHA1)], [2], 3),
    (2, [1, 2, 3, 4, 5], [(SHA1, C + "3"), (C + "2", SHA1), (C + "3", C + "5"), (C + "4", C + "2")], [2, 2], 1),
    (3, [1, 2, 3, 4, 5], [(SHA1, C + "3"), (C + "2", SHA1), (C + "3", C + "5"), (C + "4", C + "2")],
     [2, 2, 0], 1),
])
def test_hop_expansion(corpus, make_seeds, hops, ids, edges, hop_sizes, outside):
    only_paper_1 = make_seeds([{"seed_id": "s1", "arxiv_id": "2101.00001"}])
    summary, out = _run(corpus, only_paper_1, hops=hops)
    assert out["papers"]["corpus_id"].tolist() == ids
    assert _edges(out["citations"]) == edges
    assert (summary.hop_sizes, summary.outside_hops, summary.papers) == (hop_sizes, outside, len(ids))
    # Authorships follow the kept papers.
    assert set(out["authorships"]["paper_id"]) <= set(out["papers"]["paper_id"])


def test_seeds_only_with_three_seeds(corpus, seeds):
    _, out = _run(corpus, seeds, hops=0)
    assert out["papers"]["corpus_id"].tolist() == [1, 2, 3]
    assert _edges(out["citations"]) == [(SHA1, C + "3"), (C + "2", SHA1)]


def test_hops_without_any_matched_seed_is_an_input_error(corpus, make_seeds):
    nobody = make_seeds([{"seed_id": "x", "title": "Nothing like any paper here"}])
    with pytest.raises(InputError, match="no seed matched"):
        _run(corpus, nobody, hops=1)


def test_negative_hops_is_a_usage_error(corpus, seeds):
    with pytest.raises(UsageError):
        _run(corpus, seeds, hops=-1)


def test_missing_file_and_empty_file(corpus, seeds, write, tmp_path):
    with pytest.raises(InputError, match="^papers file not found: .*nope.jsonl$"):
        ingest(tmp_path / "nope.jsonl", corpus["citations_y"], data_dir=corpus["data"], seeds=seeds)
    with pytest.raises(InputError, match="^no citations file matches "):
        ingest(corpus["papers_a"], str(tmp_path / "none-*.gz"), data_dir=corpus["data"], seeds=seeds)
    bad = write(tmp_path / "bad.jsonl", ["garbage", '{"citingcorpusid": 1}'])
    with pytest.raises(InputError, match=r"citations file .*bad.jsonl has no valid record \(2 line\(s\), 2 malformed\)"):
        ingest(corpus["papers_a"], bad, data_dir=corpus["data"], seeds=seeds)
    assert not DataPaths(corpus["data"]).fetched.exists()  # nothing written on failure


def test_rerun_replaces_the_layer(corpus, seeds):
    _run(corpus, seeds)
    _, out = _run(corpus, seeds, hops=0)
    assert len(out["papers"]) == 3
