"""Seed matching of the bulk engines (medvlm_graph.ingest.identity), on SYNTHETIC titles and ids."""

from __future__ import annotations

import json
import unicodedata

import duckdb
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medvlm_graph.ingest import identity, sql
from medvlm_graph.identity import title_key
from medvlm_graph.paths import package_data

# Characters that the title rules change in ways a plain lower-casing does not (ligatures, sharp s,
# soft hyphen, zero-width space, combining accent, fullwidth letters, Kelvin sign, dotted I, sigma,
# entities, braces, a mathematical bold A), among plain ones.
TRICKY = ["é", "É", "ß", "ﬁ", "\u00ad", "\u200b", "’", "–", "\u0301", "Ｓ", "\u212a", "İ", "ς", "Σ",
          "\u00a0", "…", "＆", "﹛", "²", "Ⅱ", "\U0001d400", "&amp;", "&#115;", "{", "}", "`", "_"]
# Mostly plain and safe pieces, so that many titles go through the word (probe) test, not the unsafe one.
PIECES = st.sampled_from(list("abcdefgh XYZ019-.:,;") * 6 + ["é", "’", "–", "\u00a0", "…", "Σ"] * 3 + TRICKY)


def _seeds(rows):
    base = {"seed_id": None, "title": None, "arxiv_id": None, "doi": None}
    return pd.DataFrame([{**base, **r} for r in rows])


CANDIDATE = ["corpus_id", "paper_id", "citation_count", "title", "arxiv_id", "doi"]


def _papers(rows):
    return pd.DataFrame([{**dict.fromkeys(CANDIDATE), **r} for r in rows], columns=CANDIDATE)


def _duckdb_candidates(papers: pd.DataFrame, keys) -> list[int]:
    con = duckdb.connect()
    con.register("papers_in", papers)
    con.execute("CREATE TABLE papers AS SELECT corpus_id::BIGINT AS corpus_id, paper_id::VARCHAR AS paper_id, "
                "citation_count::BIGINT AS citation_count, title::VARCHAR AS title, arxiv_id::VARCHAR AS arxiv_id, "
                "doi::VARCHAR AS doi FROM papers_in")
    return sorted(sql.seed_candidates(con, keys)["corpus_id"].tolist())


def test_preference_arxiv_then_doi_then_title_then_most_cited():
    keys = identity.seed_keys(_seeds([
        {"seed_id": "a", "arxiv_id": "arXiv:2101.00001v3", "doi": "10.1000/X",
         "title": "Chest X-ray report generation"},
        {"seed_id": "b", "doi": "https://doi.org/10.1000/X", "title": "Chest X-ray report generation"},
        {"seed_id": "c", "title": "Chest X\u2011ray Report Generation."},
        {"seed_id": "d", "title": "Intro"},  # key shorter than 8 characters: never matched
        {"seed_id": "e", "title": "Nothing like it"},
    ]))
    cand = _papers([
        {"corpus_id": 10, "paper_id": "p10", "citation_count": 50, "title": "Chest x-ray report generation"},
        {"corpus_id": 11, "paper_id": "p11", "citation_count": 1, "doi": "10.1000/x"},
        {"corpus_id": 12, "paper_id": "p12", "citation_count": None, "arxiv_id": "2101.00001"},
        {"corpus_id": 9, "paper_id": "p9", "citation_count": 50, "title": "Chest X-Ray: Report Generation"},
        {"corpus_id": 13, "paper_id": "p13", "title": "Intro"},
    ])
    hits = identity.match_candidates(cand, keys)
    assert hits[["seed_id", "corpus_id", "paper_id", "match", "reason"]].values.tolist() == [
        ["a", 12, "p12", "id", "arxiv id"],
        ["b", 11, "p11", "id", "doi"],
        ["c", 9, "p9", "title", "normalised title"],  # 9 and 10 equally cited: the smaller corpus id
    ]
    assert keys.arxiv == ["2101.00001"] and keys.doi == ["10.1000/x"] and keys.probes == ["generation", "nothing"]


def test_no_candidates_and_no_seeds():
    keys = identity.seed_keys(_seeds([{"seed_id": "x", "title": "Some title of a seed"}]))
    assert identity.match_candidates(_papers([]), keys).empty
    empty = identity.seed_keys(_seeds([{"seed_id": "y", "title": "Short"}]))
    assert empty.empty and _duckdb_candidates(_papers([{"corpus_id": 1, "title": "Short"}]), empty) == []


def test_candidate_test_on_ids_and_titles():
    keys = identity.seed_keys(_seeds([
        {"seed_id": "a", "arxiv_id": "2101.00001"}, {"seed_id": "b", "doi": "10.1000/abc.123"},
        {"seed_id": "c", "title": "Segmentation of everything"}]))
    papers = _papers([
        {"corpus_id": 1, "arxiv_id": "2101.00001"}, {"corpus_id": 2, "arxiv_id": "2101.00002"},
        {"corpus_id": 3, "doi": "10.1000/abc.123"}, {"corpus_id": 4, "doi": "10.1000/abc%2e123"},  # escaped
        {"corpus_id": 5, "doi": "10.1000/abd.123"},
        {"corpus_id": 6, "title": "SEGMENTATION, at last"}, {"corpus_id": 7, "title": "Segmentations"},
        {"corpus_id": 8, "title": "Résumé of other work"},  # a letter that is not ASCII: safe
        {"corpus_id": 9, "title": "Other \ufb01ndings"},  # a ligature: always a candidate
        {"corpus_id": 10, "title": "Other &amp; work"},  # an entity: always a candidate
    ])
    assert _duckdb_candidates(papers, keys) == [1, 3, 4, 6, 9, 10]


@settings(max_examples=200, deadline=None)
@given(st.lists(PIECES, min_size=4, max_size=30).map("".join), st.booleans())
def test_candidate_test_keeps_every_exact_title_match(title, seed_is_key):
    """Whatever the title, a paper whose title key equals a seed's is a candidate (superset)."""
    seed_title = title_key(title) if seed_is_key else title
    keys = identity.seed_keys(_seeds([{"seed_id": "s", "title": seed_title}]))
    if len(title_key(title)) < identity.MIN_TITLE_KEY or keys.keys["title_k"][0] != title_key(title):
        return
    assert _duckdb_candidates(_papers([{"corpus_id": 1, "title": title}]), keys) == [1]


def test_safe_characters_are_derived_from_the_title_rules():
    ranges = identity.safe_title_chars()

    def safe(c):
        return any(a <= ord(c) <= b for a, b in ranges)

    assert [c for c in "aZ9 -:é’\u00a0" if not safe(c)] == []
    assert [c for c in ["&", "{", "}", "ß", "\ufb01", "\u00ad", "\u200b", "\u0301", "Ｓ", "\u212a", "İ", "＆"]
            if safe(c)] == []


def test_the_shipped_safe_characters_are_those_the_title_rules_give():
    """Fails after a change to the title rules until the table is regenerated (write_safe_title_chars)."""
    shipped = json.loads(package_data(identity.SAFE_TITLE_CHARS_FILE).read_text(encoding="utf-8"))
    assert shipped["unidata_version"] == unicodedata.unidata_version, "regenerate under this Python"
    assert [tuple(r) for r in shipped["ranges"]] == list(identity.compute_safe_title_chars())


def test_the_written_table_is_what_safe_title_chars_reads(tmp_path, monkeypatch):
    out = identity.write_safe_title_chars(tmp_path / identity.SAFE_TITLE_CHARS_FILE)
    monkeypatch.setattr(identity, "package_data", lambda name: tmp_path / name)
    identity.safe_title_chars.cache_clear()
    try:
        assert out.read_text(encoding="utf-8") == package_data(identity.SAFE_TITLE_CHARS_FILE).read_text(
            encoding="utf-8")
        assert identity.safe_title_chars() == identity.compute_safe_title_chars()
    finally:
        identity.safe_title_chars.cache_clear()


def test_another_unicode_version_computes_the_safe_characters(tmp_path, monkeypatch):
    """A table computed under another Unicode version is not read (the rules may classify differently)."""
    (tmp_path / identity.SAFE_TITLE_CHARS_FILE).write_text(
        json.dumps({"unidata_version": "0.0.0", "ranges": [[97, 97]]}), encoding="utf-8")
    monkeypatch.setattr(identity, "package_data", lambda name: tmp_path / name)
    monkeypatch.setattr(identity, "compute_safe_title_chars", lambda: ((1, 2),))
    identity.safe_title_chars.cache_clear()
    try:
        assert identity.safe_title_chars() == ((1, 2),)
        # the same file under the running version is read
        (tmp_path / identity.SAFE_TITLE_CHARS_FILE).write_text(
            json.dumps({"unidata_version": unicodedata.unidata_version, "ranges": [[97, 97]]}), encoding="utf-8")
        identity.safe_title_chars.cache_clear()
        assert identity.safe_title_chars() == ((97, 97),)
    finally:
        identity.safe_title_chars.cache_clear()


@pytest.mark.parametrize("value, expected", [("2101.00001v2", "2101.00001"), ("HEP-TH/9901001", "hep-th/9901001")])
def test_arxiv_keys_are_lower_case_and_unversioned(value, expected):
    assert identity.seed_keys(_seeds([{"seed_id": "s", "arxiv_id": value}])).arxiv == [expected]


def test_a_seed_title_without_ascii_words_makes_every_non_ascii_title_a_candidate():
    # Found by the property test above: a key of Greek letters only has no ASCII word to probe for.
    keys = identity.seed_keys(_seeds([{"seed_id": "s", "title": "aaaaaaa\u03a3"}]))
    assert keys.probes == [] and keys.unprobed
    papers = _papers([{"corpus_id": 1, "title": "AAAAAAA\u03a3"}, {"corpus_id": 2, "title": "Plain ascii title"}])
    assert _duckdb_candidates(papers, keys) == [1]
    assert identity.match_candidates(papers.assign(paper_id=["p1", "p2"]), keys)["corpus_id"].tolist() == [1]
