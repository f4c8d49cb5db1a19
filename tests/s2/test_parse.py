"""Parser of API JSON -> table rows, on fixtures that reproduce real answers (s2_samples.py)."""

from __future__ import annotations

import pandas as pd
import pytest

import s2_samples as S
from medvlm_graph import tables
from medvlm_graph.errors import InputError
from medvlm_graph.s2.parse import (authorship_rows, authorships_frame, citations_frame, edge_row, paper_row,
                                   papers_frame, papers_from_semanticscholar, parse_page)


def test_batch_answer_rows_follow_real_fields_and_nulls():
    answer = S.batch_answer()
    assert answer[0] is None
    rows = [paper_row(p) for p in answer if p]
    df = papers_frame(rows)
    assert list(df.columns[: len(tables.SCHEMAS["papers"])]) == tables.columns("papers")
    r = df.set_index("paper_id").loc["c31c87c591a25c64fbaa82e8ac6a81831b6ac7ce"]
    assert r["title"] == "How Much Should We Trust Differences-in-Differences Estimates?"
    assert pd.isna(r["venue"])  # "" in the answer
    assert (r["year"], r["citation_count"], r["reference_count"], r["corpus_id"]) == (2001, 10670, 30, 470667)
    assert r["influential_citation_count"] == 578
    assert r["doi"] == "10.2139/ssrn.288970" and pd.isna(r["arxiv_id"])
    assert r["fields_of_study"] == "Psychology;Economics;Mathematics"
    assert r["publication_types"] == "Review" and r["publication_date"] == "2001-10-01"
    third = df.set_index("paper_id").loc["cb1ebd913c3724c599f6b276b14b5c6253da68f3"]
    assert pd.isna(third["publication_types"])  # null in the answer
    fourth = df.set_index("paper_id").loc["0f40b1f08821e22e859c6050916cec3667778613"]
    assert pd.isna(fourth["publication_date"]) and pd.isna(fourth["fields_of_study"])
    assert fourth["corpus_id"] == 255313304
    assert df["is_seed"].tolist() == [False, False, False] and set(df["source"]) == {"s2"}


def test_authorships_positions_and_ids():
    rows = [r for p in S.batch_answer() if p for r in authorship_rows(p)]
    df = authorships_frame(rows)
    assert len(df) == 3 + 4 + 3
    first = df[df["paper_id"] == "c31c87c591a25c64fbaa82e8ac6a81831b6ac7ce"]
    assert first["position"].tolist() == [1, 2, 3]
    assert first["author_name"].tolist() == ["Marianne Bertrand", "E. Duflo", "S. Mullainathan"]
    assert first["author_id"].tolist() == ["81141608", "2259683", "2062143"]


def test_null_author_id_and_unresolved_paper():
    unresolved, with_null = S.nested_unresolved_and_null_author()
    assert authorship_rows(unresolved) == []
    rows = authorship_rows(with_null)
    assert rows[0]["author_id"] is None and rows[0]["author_name"] == "Minsu Lee"
    row = paper_row(with_null)
    assert row["venue"] is None and row["year"] is None and row["doi"] is None
    assert paper_row(unresolved)["paper_id"] is None


def test_references_pages_count_unresolved_and_last_page_has_no_next():
    seed = "cb1ebd913c3724c599f6b276b14b5c6253da68f3"
    p0, p1 = S.references_page0(), S.references_page1_last()
    assert p0["next"] == 50 and "next" not in p1
    papers, edges, authors, unresolved = parse_page(p0, seed, "references")
    assert (len(papers), len(edges), unresolved) == (47, 47, 3)
    assert edges[0] == {"citing_id": seed, "cited_id": "e945ca4fdcf45b1a118f1462db7afa12629a131f",
                        "is_influential": None, "intents": None, "source": "references"}
    papers1, edges1, _, unresolved1 = parse_page(p1, seed, "references")
    assert (len(edges1), unresolved1) == (16, 1)
    assert authors == []  # fields=title only: no authors key


def test_citations_page_direction():
    seed = "some-seed"
    papers, edges, _, unresolved = parse_page(S.citations_page0(), seed, "citations")
    assert (len(edges), unresolved) == (100, 0)
    assert edges[0]["citing_id"] == "344e7fb2000d9063cbc9deb550e46946bafe3c90"
    assert edges[0]["cited_id"] == seed and edges[0]["source"] == "citations"
    assert papers[0]["title"].startswith("We\u2019ve got you covered!")


def test_edge_items_with_intents_and_influence():
    c = edge_row(S.citation_item_with_contexts(), "seed", "citations")
    assert c == {"citing_id": "bdcbc589c8d1e4dd0c6572630f8511557406ad2f", "cited_id": "seed",
                 "is_influential": True, "intents": "result;background;methodology", "source": "citations"}
    r = edge_row(S.reference_item_with_contexts(), "seed", "references")
    assert r["cited_id"] == "331f0fb3b6176c6e463e0401025b04f6ace9ccd3"
    assert r["is_influential"] is False and r["intents"] == "background"
    papers, edges, authors, _ = parse_page({"data": [S.reference_item_with_contexts()]}, "seed", "references")
    assert papers[0]["arxiv_id"] == "1402.0030" and papers[0]["publication_types"] == "JournalArticle;Conference"
    assert [a["author_name"] for a in authors] == ["A. Mnih", "Karol Gregor"]
    empty = edge_row({"citedPaper": {"paperId": "x"}, "intents": [], "isInfluential": False}, "s", "references")
    assert empty["intents"] == ""  # an empty list is known-empty, not missing


def test_full_paper_doi_lowercased_and_tldr_text():
    row = paper_row(S.full_paper(), is_seed=True, seed_id="s1")
    assert row["doi"] == "10.1093/mind/lix.236.433"
    assert row["tldr"].startswith("If the meaning of the words")
    assert row["is_seed"] is True and row["seed_id"] == "s1"
    assert row["venue"] == "The Philosophy of Artificial Intelligence"


def test_error_and_empty_bodies_keep_their_real_keys():
    assert set(S.NOT_FOUND_404) == {"error"} and set(S.BAD_FIELDS_400) == {"error"}
    assert S.BAD_KEY_403 == {"message": "Forbidden"}
    assert "data" not in S.SEARCH_EMPTY
    assert parse_page(S.SEARCH_EMPTY, "s", "references") == ([], [], [], 0)
    assert S.SEARCH_MATCH["data"][0]["matchScore"] == pytest.approx(109.55098)


def test_frames_deduplicate():
    seed_row = paper_row({"paperId": "a", "title": "A"}, is_seed=True, seed_id="s1")
    ref_row = paper_row({"paperId": "a", "title": "A", "year": 2020, "abstract": "x"})
    df = papers_frame([ref_row, seed_row, paper_row({"paperId": "b"})])
    assert df["paper_id"].tolist() == ["a", "b"] and df["is_seed"].tolist() == [True, False]
    edges = citations_frame([{"citing_id": "a", "cited_id": "b", "source": "references"},
                             {"citing_id": "a", "cited_id": "b", "source": "citations"}])
    assert edges["source"].tolist() == ["references"]
    assert list(papers_frame([]).columns) == tables.columns("papers")
    assert list(citations_frame([]).columns) == tables.columns("citations")


def test_papers_from_semanticscholar_objects():
    from semanticscholar.Paper import Paper

    objs = [Paper(S.full_paper()), S.batch_answer()[1]]
    df = papers_from_semanticscholar(objs)
    assert df["paper_id"].tolist() == ["2d5673caa9e6af3a7b82a43f19ee920992db07ad",
                                       "c31c87c591a25c64fbaa82e8ac6a81831b6ac7ce"]
    assert df["doi"].tolist() == ["10.1093/mind/lix.236.433", "10.2139/ssrn.288970"]
    with pytest.raises(InputError):
        papers_from_semanticscholar([object()])


def test_page_checks_accept_empty_and_null_data():
    from medvlm_graph.s2.fetch import _check_page

    assert _check_page({"offset": 0, "data": None}) is None
    assert _check_page({"offset": 0}) is None
    assert _check_page({"offset": 0, "data": []}) is None
    assert _check_page({"data": "x"}) == "page data is not a list"
    assert _check_page([]) == "page is a list, not an object"
    assert parse_page({"offset": 0, "data": None}, "s", "citations") == ([], [], [], 0)
    item = {"citedPaper": None, "intents": None, "isInfluential": None}
    assert parse_page({"data": [item]}, "s", "references") == ([], [], [], 1)
