"""Property tests (hypothesis) that tests/seeds and tests/graphs do not already make.

Already there: extract_ids never raises (tests/seeds/test_robustness.py);
normalize_title is idempotent and never raises (tests/seeds/test_titles.py);
co-citation, coupling and citation graphs ignore row order
(tests/graphs/test_graphs_properties.py). Added here: ids round-trip through
links of any shape and their normalisers are idempotent; normalised titles hold
no control characters; the co-topic, label, lineage and co-author builders
ignore row order too.
"""

from __future__ import annotations

import unicodedata

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from medvlm_graph.graphs import (build_coauthor_graph, build_cotopic_graph, build_label_graph,
                                 build_lineage_graph)
from medvlm_graph.seeds import extract_ids, normalize_title
from medvlm_graph.seeds.ids import normalize_arxiv_id, normalize_doi

# --------------------------------------------------------------------------- ids
# New-style ids: YYMM.NNNN until 2014, YYMM.NNNNN from 2015.
ARXIV = st.builds(lambda yy, mm, n: f"{yy:02d}{mm:02d}.{n:0{4 if yy < 15 else 5}d}", st.integers(7, 29),
                  st.integers(1, 12), st.integers(1, 9999))
VERSION = st.one_of(st.just(""), st.builds(lambda v: f"v{v}", st.integers(1, 12)))
ARXIV_LINK = st.sampled_from([
    "https://arxiv.org/abs/{id}{v}", "https://arxiv.org/pdf/{id}{v}", "https://arxiv.org/pdf/{id}{v}.pdf",
    "http://arxiv.org/abs/{id}{v}?context=cs", "https://www.arxiv.org/abs/{id}{v}#section",
    "https://arxiv.org/abs/{id}{v}/", "https://export.arxiv.org/abs/{id}{v}",
])
DOI = st.builds(lambda reg, suf: f"10.{reg}/{suf}", st.integers(1000, 999999),
                st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789.-_()", min_size=1, max_size=20)
                .filter(lambda s: s[0].isalnum() and s[-1].isalnum()))


@settings(max_examples=100, deadline=None)
@given(ARXIV, VERSION, ARXIV_LINK)
def test_arxiv_ids_round_trip_through_any_link_shape(arxiv_id, version, template):
    link = template.format(id=arxiv_id, v=version)
    assert extract_ids(link)["arxiv_id"] == arxiv_id, link
    assert normalize_arxiv_id(link) == arxiv_id
    assert normalize_arxiv_id(f"arXiv:{arxiv_id}{version}") == arxiv_id  # the form list cells use


@settings(max_examples=100, deadline=None)
@given(DOI, st.sampled_from(["https://doi.org/{d}", "https://dx.doi.org/{d}", "doi:{d}", "{d}", "{d}.",
                             "https://doi.org/{d}?via=x"]))
def test_dois_round_trip_and_normalising_is_idempotent(doi, template):
    got = normalize_doi(template.format(d=doi))
    assert got is not None and got.lower() == doi.lower().rstrip(".")
    assert normalize_doi(got) == got


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_id_normalisers_are_idempotent_and_give_clean_ids(text):
    for f in (normalize_arxiv_id, normalize_doi):
        once = f(text)
        assert once is None or (f(once) == once and once == once.strip() and once.isprintable()), (f, text)
    for key, value in extract_ids(text).items():
        if isinstance(value, str):
            assert value == value.strip() and value.isprintable(), (key, value)


# --------------------------------------------------------------------------- titles
@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8")))
def test_normalised_titles_hold_no_control_characters(text):
    out = normalize_title(text)
    bad = sorted({f"U+{ord(c):04X}" for c in out if unicodedata.category(c) == "Cc"})
    assert not bad, f"normalize_title({text!r}) = {out!r} keeps control characters {bad}"
    assert normalize_title(out) == out


# --------------------------------------------------------------------------- graph builders
PAPERS = [f"p{i}" for i in range(7)]
DIMS = {"task": ["vqa", "segmentation", "report_generation"], "strategy": ["prompting", "fine_tuning"],
        "modality": ["xray", "ct"], "model": ["clip", "sam", "llava"]}
LABEL_ROW = st.sampled_from(PAPERS).flatmap(lambda p: st.sampled_from(sorted(DIMS)).flatmap(
    lambda d: st.tuples(st.just(p), st.just(d), st.sampled_from(DIMS[d]),
                        st.sampled_from(["review", "rules", "model", "manual"]), st.sampled_from([0.3, 0.6, 1.0]))))
AUTHOR_ROW = st.tuples(st.sampled_from(PAPERS), st.sampled_from(["a1", "a2", "a3", "a4", None]),
                       st.sampled_from(["Ann Synthetic", "Bo Synthetic", "Cy Synthetic", "Di Synthetic"]),
                       st.integers(1, 4))


def _papers() -> pd.DataFrame:
    return pd.DataFrame({"paper_id": PAPERS, "title": [f"Synthetic title {p}" for p in PAPERS],
                         "year": [2019 + i % 5 for i in range(len(PAPERS))]})


def _canon(G):
    """Order-free, float-tolerant picture of a graph: nodes with data, edges with data, graph data."""
    def clean(d):
        return tuple(sorted((k, round(v, 9) if isinstance(v, float) else v) for k, v in d.items()))

    def key(u, v):
        return (u, v) if G.is_directed() else tuple(sorted((u, v)))

    return (sorted((n, clean(d)) for n, d in G.nodes(data=True)),
            sorted((key(u, v), clean(d)) for u, v, d in G.edges(data=True)),
            clean(G.graph))


def _shuffled(df: pd.DataFrame, rnd) -> pd.DataFrame:
    order = list(range(len(df)))
    rnd.shuffle(order)
    return df.iloc[order].reset_index(drop=True)


@settings(max_examples=15, deadline=None)
@given(st.lists(LABEL_ROW, max_size=30), st.randoms(use_true_random=False))
def test_label_based_graphs_ignore_row_order(rows, rnd):
    labels = pd.DataFrame(rows, columns=["paper_id", "dimension", "label", "source", "score"])
    shuffled = _shuffled(labels, rnd)
    papers = _papers()
    for build in (lambda lab: build_cotopic_graph(lab, papers=papers),
                  lambda lab: build_cotopic_graph(lab, top_k=1),
                  build_label_graph,
                  lambda lab: build_lineage_graph(lab, papers)):
        assert _canon(build(labels)) == _canon(build(shuffled))


@settings(max_examples=30, deadline=None)
@given(st.lists(AUTHOR_ROW, max_size=25), st.randoms(use_true_random=False))
def test_coauthor_graph_ignores_row_order(rows, rnd):
    auth = pd.DataFrame(rows, columns=["paper_id", "author_id", "author_name", "position"])
    G1, G2 = build_coauthor_graph(auth), build_coauthor_graph(_shuffled(auth, rnd))
    assert _canon(G1) == _canon(G2)
    papers_per_author = {}
    for p, a, name, _ in rows:
        papers_per_author.setdefault(a or f"name:{name}", set()).add(p)
    assert G1.number_of_nodes() <= len(papers_per_author)
