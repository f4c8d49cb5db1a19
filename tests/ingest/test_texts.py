"""ingest(abstracts=, tldrs=): the S2 abstracts / tldrs shards fill the kept papers' text."""

from __future__ import annotations

import pandas as pd
import pytest

from medvlm_graph.errors import InputError
from medvlm_graph.ingest import ingest
from medvlm_graph.paths import DataPaths


def _run(corpus, seeds, **kw):
    src = corpus["dir"]
    summary = ingest(str(src / "papers-*"), str(src / "citations-*"), abstracts=str(src / "abstracts-*"),
                     tldrs=corpus["tldrs"], data_dir=corpus["data"], seeds=seeds, **kw)
    papers = pd.read_parquet(DataPaths(corpus["data"]).fetched_table("papers"))
    return summary, papers


def _texts(papers):
    return {int(c): (None if pd.isna(a) else a, None if pd.isna(t) else t)
            for c, a, t in zip(papers["corpus_id"], papers["abstract"], papers["tldr"])}


def test_every_paper_gets_its_abstract_and_tldr(corpus, seeds):
    summary, papers = _run(corpus, seeds)
    assert _texts(papers) == {
        1: ("We pretrain on chest X-ray reports.", "Contrastive pretraining helps."),
        2: ("A longer abstract of paper two.", None),
        3: ("Segment anything, medical edition.", None),  # a null TLDR text is no TLDR
        4: (None, "Language models write reports."),
        5: (None, None),  # an empty abstract is no abstract
        6: ("Own abstract of paper six.", None),  # the paper record's own abstract stays
        7: (None, None),
    }
    expected = dict(abstracts=3, tldrs=2, abstracts_read=6, malformed_abstracts=2, tldrs_read=3,
                    malformed_tldrs=1, papers=7, citations=5)
    assert {k: getattr(summary, k) for k in expected} == expected
    per_file = [(f["role"], f["path"].rsplit("/", 1)[1], f["lines"], f["malformed"])
                for f in summary.files if f["role"] in ("abstracts", "tldrs")]
    assert per_file == [("abstracts", "abstracts-000.jsonl.gz", 7, 2), ("abstracts", "abstracts-001.jsonl", 1, 0),
                        ("tldrs", "tldrs-000.jsonl", 4, 1)]
    assert ("Text: 6 abstracts (2 malformed lines) and 3 TLDRs (1 malformed lines) read; "
            "3 kept papers got an abstract, 2 a TLDR.") in summary.lines()


def test_only_the_kept_papers_get_text(corpus, make_seeds):
    only_paper_1 = make_seeds([{"seed_id": "s1", "arxiv_id": "2101.00001"}])
    summary, papers = _run(corpus, only_paper_1, hops=1)
    assert _texts(papers) == {
        1: ("We pretrain on chest X-ray reports.", "Contrastive pretraining helps."),
        2: ("A longer abstract of paper two.", None),
        3: ("Segment anything, medical edition.", None),
    }
    assert (summary.abstracts, summary.tldrs, summary.abstracts_read, summary.tldrs_read) == (3, 1, 6, 3)


def test_without_text_shards_the_summary_has_no_text_line(corpus, seeds):
    summary = ingest(corpus["papers_a"], corpus["citations_y"], data_dir=corpus["data"], seeds=seeds)
    assert not any(line.startswith("Text:") for line in summary.lines())
    papers = pd.read_parquet(DataPaths(corpus["data"]).fetched_table("papers"))
    assert papers["tldr"].isna().all() and (summary.abstracts, summary.tldrs) == (0, 0)


def test_text_shard_without_a_valid_record_is_an_input_error(corpus, seeds, write, tmp_path):
    bad = write(tmp_path / "tldrs-bad.jsonl", ["nope", '{"model": "tldr@v2.0.0", "text": "no id"}'])
    with pytest.raises(InputError,
                       match=r"^tldrs file .*tldrs-bad.jsonl has no valid record \(2 line\(s\), 2 malformed\)$"):
        ingest(corpus["papers_a"], corpus["citations_y"], tldrs=bad, data_dir=corpus["data"], seeds=seeds)
    with pytest.raises(InputError, match="^abstracts file not found: "):
        ingest(corpus["papers_a"], corpus["citations_y"], abstracts=tmp_path / "none.jsonl",
               data_dir=corpus["data"], seeds=seeds)
