"""Seed resolution: ids, batches of 500, adaptive splitting, title matching with a stated threshold."""

from __future__ import annotations

import difflib

import pandas as pd
import pytest
from s2_fakeapi import Fault
from s2_world import A, E, F, G, build_seeds

from medvlm_graph import tables
from medvlm_graph.errors import ApiError
from medvlm_graph.s2.client import S2Client
from medvlm_graph.s2.resolve import (TITLE_THRESHOLD, apply_resolutions, fetch_batch, match_title, resolve_seeds,
                                     seed_api_ids, title_similarity)


def client(fake, **kw):
    opts = {"api_key": None, "rate": 0, "backoff": 0.001, "max_backoff": 0.01}
    opts.update(kw)
    return S2Client(fake.base_url, **opts)


def test_seed_api_ids_normalise_and_order():
    row = {"arxiv_id": "arXiv:2303.00915v3", "doi": "https://doi.org/10.1038/S41467-023-40260-7",
           "pmcid": "PMC11323634", "acl_id": "2023.findings-eacl.88", "paper_id": "F" * 40}
    assert seed_api_ids(row) == ["ARXIV:2303.00915", "DOI:10.1038/s41467-023-40260-7", "PMCID:11323634",
                                 "ACL:2023.findings-eacl.88", "f" * 40]
    assert seed_api_ids({"arxiv_id": pd.NA, "doi": None, "title": "x"}) == []


def test_title_similarity_rule():
    assert TITLE_THRESHOLD == 0.90
    assert title_similarity("Knowledge\u2013Enhanced VQA for Radiology.", "knowledge-enhanced vqa for radiology") == 1.0
    a, b = "Prompt Learning for Dermatology Image Classification", "Prompt Learning for Ophthalmology Image Segmentation"
    expected = round(difflib.SequenceMatcher(None, a.lower(), b.lower(), autojunk=False).ratio(), 4)
    assert title_similarity(a, b) == expected == 0.75
    assert title_similarity(None, "x") == 0.0


def test_batches_hold_at_most_500_ids(fake):
    ids = [f"CorpusId:{n}" for n in range(1201)] + ["CorpusId:7"]  # a duplicate is asked once
    out = fetch_batch(client(fake), ids, "title")
    assert [len(r["body"]["ids"]) for r in fake.log] == [500, 500, 201]
    assert len(out) == 1201 and set(out.values()) == {None}


def test_persistent_500_splits_batches(fake):
    fake.faults = [Fault("500", when=lambda r: r["path"].endswith("/batch") and len(r["body"]["ids"]) > 2,
                         times=None)]
    ids = [A, E, F, G, "ARXIV:2303.00915", "DOI:10.5555/SYN.0002", "CorpusId:1", "CorpusId:2"]
    splits = []
    out = fetch_batch(client(fake), ids, "title", on_split=splits.append)
    assert splits == [8, 4, 4]
    sizes = [len(r["body"]["ids"]) for r in fake.log]
    assert sizes == [8, 8, 8, 4, 4, 4, 2, 2, 4, 4, 4, 2, 2]
    assert out[A]["paperId"] == A and out["ARXIV:2303.00915"]["paperId"] == A
    assert out["CorpusId:1"] is None and len(out) == 8


def test_batch_answer_of_the_wrong_length_is_asked_again(fake):
    fake.faults = [Fault("wronglen", times=1)]
    out = fetch_batch(client(fake), [A, "CorpusId:1", E], "title")
    assert [r["fault"] for r in fake.log] == ["wronglen", None]
    assert (out[A]["paperId"], out["CorpusId:1"], out[E]["paperId"]) == (A, None, E)


def test_batch_with_no_valid_id_means_not_found(fake):
    assert fetch_batch(client(fake), ["nonsense", "FOO:1"], "title") == {"nonsense": None, "FOO:1": None}


def test_resolve_seeds_against_the_world(fake):
    seeds = build_seeds()
    report = resolve_seeds(client(fake), seeds)
    got = {r.seed_id: (r.match, r.paper_id) for r in report.resolutions}
    assert got["s01"] == ("id", A) and got["s06"] == ("title", E) and got["s07"] == ("title", F)
    assert got["s08"] == ("none", None) and got["s09"] == ("none", None) and got["s10"] == ("none", None)
    assert (report.count("id"), report.count("title"), report.count("none")) == (7, 2, 3)
    assert report.ids_asked == 8 and report.titles_asked == 4
    assert report.ids_not_found == ["ARXIV:2401.99999", "DOI:10.5555/missing.10"]
    # the mixed-case DOIs of s02 and s03 were asked once, lower-cased
    assert fake.log[0]["body"]["ids"].count("DOI:10.5555/syn.0002") == 1
    # titles with & and # arrive intact
    assert any(r["query"].get("query") == seeds.loc[5, "title"] for r in fake.log)
    out = apply_resolutions(seeds, report.resolutions).set_index("seed_id")
    assert out.loc["s08", "match_score"] == 0.75
    assert "similarity 0.75 < 0.90" in out.loc["s08", "match_reason"]
    assert out.loc["s09", "match_reason"] == "no title match on Semantic Scholar"
    assert out.loc["s07", "match_reason"].startswith("id(s) not found: ARXIV:2401.99999; title similarity 1.00")
    assert pd.isna(out.loc["s01", "match_score"]) and out.loc["s01", "match_reason"] == "found by ARXIV:2303.00915"


def test_threshold_is_a_parameter(fake):
    seeds = tables.conform(pd.DataFrame([{"seed_id": "x", "title": "Prompt Learning for Dermatology Image "
                                                                  "Classification"}]), "seeds")
    report = resolve_seeds(client(fake), seeds, threshold=0.7)
    assert (report.resolutions[0].match, report.resolutions[0].paper_id) == ("title", G)


class _Refusing:
    """A stand-in client whose title-match answers are refused with 400."""

    def __init__(self, message):
        self.message = message

    def get(self, path, params, **kw):
        raise ApiError(f"Semantic Scholar rejected GET {path} (HTTP 400): {self.message}", status=400)


def test_a_refused_title_query_leaves_that_seed_unresolved():
    pid, score, why = match_title(_Refusing("Query too long"), "x" * 5000)
    assert (pid, score) == (None, None) and why.startswith("title match refused:") and "Query too long" in why
    with pytest.raises(ApiError):
        match_title(_Refusing("Unrecognized or unsupported fields: [x]"), "t")
