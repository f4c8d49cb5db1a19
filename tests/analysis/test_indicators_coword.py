"""Co-word map: term extraction, selection, association strength, clusters, taxonomy marks, export graph.
Every title here is SYNTHETIC."""

from __future__ import annotations

import pandas as pd
import pytest

from medvlm_graph.analysis.coword import (
    LINK_COLUMNS,
    TERM_COLUMNS,
    build_coword_graph,
    compute_coword_map,
    extract_terms,
    term_key,
)
from medvlm_graph.taxonomy import load_taxonomy


def test_terms_skip_stop_generic_and_venue_words():
    terms = extract_terms("In this paper we propose a novel CLIP adapter (MICCAI 2023) for 3 tasks: polyp segmentation.")
    assert sorted(terms) == ["adapter", "clip", "clip adapter", "polyp", "polyp segmentation", "segmentation", "task"]
    assert terms["clip adapter"] == "clip adapter"


def test_hyphens_plurals_and_spellings():
    a = extract_terms("Vision-language models read chest X-rays")
    b = extract_terms("vision language model reads chest x-ray")
    assert set(a) == set(b) >= {"vision language model", "chest x ray", "x ray"}
    assert a["vision language model"] == "vision-language models" and b["chest x ray"] == "chest x-ray"
    assert "pre training" in extract_terms("Self-supervised pre-training") and "pre" not in extract_terms("pre-training")
    assert [term_key(w) for w in ("classes", "biases", "studies", "mass")] == ["class", "biase", "study", "mass"]


def four_terms():
    titles = ["alpha; beta", "alpha; beta; gamma", "alpha; gamma", "delta; gamma", "delta"]
    return pd.DataFrame({"paper_id": list("abcde"), "title": titles, "in_field": True})


def test_association_strength_by_hand():
    terms, links = compute_coword_map(four_terms())
    assert list(terms.columns) == TERM_COLUMNS and list(links.columns) == LINK_COLUMNS
    assert terms[["term", "papers"]].values.tolist() == [["alpha", 3], ["gamma", 3], ["beta", 2], ["delta", 2]]
    # N = 5 papers; association = N c_ij / (s_i s_j)
    assert links[["term_a", "term_b", "count"]].values.tolist() == [
        ["alpha", "beta", 2], ["alpha", "gamma", 2], ["beta", "gamma", 1], ["delta", "gamma", 1]]
    assert links["association"].tolist() == pytest.approx([5 * 2 / 6, 5 * 2 / 9, 5 / 6, 5 / 6])
    row = terms.set_index("term")
    assert row.loc["gamma", "links"] == 3 and row.loc["gamma", "total_link_strength"] == 4
    assert row["x"].notna().all() and row["y"].notna().all()
    assert row["cluster"].notna().all() and (row["taxonomy_label"] == "").all()
    # a cluster is labelled by its three most frequent terms
    for _c, g in terms.groupby("cluster"):
        assert set(g["cluster_label"]) == {" / ".join(g["term"].head(3))}


def test_selection_rules():
    titles = ["vision-language model for zebrafish", "vision language model of zebrafish", "zebrafish atlas",
              "Medical Image Analysis of zebrafish atlas", "medical image analysis"]
    papers = pd.DataFrame({"paper_id": list("abcde"), "title": titles,
                           "venue": ["Medical Image Analysis", None, None, None, None]})
    terms, _ = compute_coword_map(papers, scope="all", min_papers=2)
    # "vision language" and "language model" always come with "vision language model": dropped;
    # "medical image analysis" is a venue of the corpus; its two bigrams remain (and hide its words);
    # equal spellings: alphabetical first
    assert terms["term"].tolist() == ["zebrafish", "image analysis", "medical image", "vision language model",
                                      "zebrafish atlas"]
    assert terms["papers"].tolist() == [4, 2, 2, 2, 2]
    top2, _ = compute_coword_map(papers, scope="all", min_papers=2, n_terms=2)
    assert top2["term"].tolist() == ["zebrafish", "image analysis"]


def test_common_terms_dropped_from_fifty_papers():
    titles = [f"common word; topic{i % 5}" for i in range(60)]
    papers = pd.DataFrame({"paper_id": [f"p{i}" for i in range(60)], "title": titles})
    terms, _ = compute_coword_map(papers, scope="all")
    assert "common word" not in set(terms["term"]) and len(terms) == 5
    kept, _ = compute_coword_map(papers, scope="all", max_share=1.0)
    assert "common word" in set(kept["term"])


def test_taxonomy_marks_and_skips():
    papers = pd.DataFrame({"paper_id": list("abc"), "title": [
        "Radiology report generation with zebrafish", "Report generation and zebrafish", "zebrafish"]})
    terms, _ = compute_coword_map(papers, scope="all", taxonomy=load_taxonomy())
    tax = dict(zip(terms["term"], terms["taxonomy_label"]))
    assert tax["report generation"] == "task:report_generation" and tax["zebrafish"] == ""
    t, links = compute_coword_map(papers.iloc[:1], scope="all")
    assert t.empty and links.empty and "fewer than two terms" in t.attrs["skipped"]


def test_coword_graph_for_export():
    terms, links = compute_coword_map(four_terms())
    G = build_coword_graph(terms, links)
    assert sorted(G.nodes) == ["alpha", "beta", "delta", "gamma"]
    assert G.edges["alpha", "beta"]["count"] == 2 and G.edges["alpha", "beta"]["weight"] == pytest.approx(5 / 3)
    assert G.nodes["alpha"]["n_papers"] == 3 and isinstance(G.nodes["alpha"]["cluster"], int)
