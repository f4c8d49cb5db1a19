"""Tree of science (SAP algorithm) on a hand-made tree, and agreement with the Tree of Science authors'
implementation. Every table here is SYNTHETIC."""

from __future__ import annotations

import pandas as pd
import pytest

from medvlm_graph.analysis.treeofscience import TREE_COLUMNS, compute_tree_of_science


def hand_tree():
    """Roots R1, R2 (outside the field); trunk T1, T2; leaves L1, L2, L3. Once is cited by one paper
    only (cleaned away); C1 and C2 cite each other (the cycle goes); X, Y, Z form a separate component;
    N (outside the field) cites L1, which must not count."""
    years = {"R1": 1990, "R2": 1995, "Once": 1980, "T1": 2005, "T2": 2008, "L1": 2020, "L2": 2021, "L3": 2019,
             "C1": 2021, "C2": 2021, "X": 2010, "Y": 2000, "Z": 2011, "N": 2022}
    outside = {"R1", "R2", "Once", "Y", "N"}
    cites = [("T1", "R1"), ("T1", "R2"), ("T1", "Once"), ("T2", "R1"), ("T2", "R2"), ("L1", "T1"), ("L1", "T2"),
             ("L2", "T1"), ("L2", "T2"), ("L3", "T1"), ("L3", "R1"), ("C1", "C2"), ("C2", "C1"), ("C2", "T2"),
             ("X", "Y"), ("Z", "Y"), ("N", "L1")]
    papers = pd.DataFrame({"paper_id": list(years), "year": list(years.values()),
                           "title": [f"Synthetic {k}" for k in years], "in_field": [k not in outside for k in years]})
    return papers, pd.DataFrame(cites, columns=["citing_id", "cited_id"])


def test_hand_tree_roots_trunk_leaves():
    papers, citations = hand_tree()
    t = compute_tree_of_science(papers, citations)
    assert list(t.columns) == TREE_COLUMNS
    got = [(p, r, i) for p, r, i in t[["part", "rank", "paper_id"]].itertuples(index=False)]
    assert got == [("root", 1, "R1"), ("root", 2, "R2"), ("trunk", 1, "T1"), ("trunk", 2, "T2"),
                   ("leaf", 1, "L2"), ("leaf", 2, "L1"), ("leaf", 3, "L3")]
    row = t.set_index("paper_id")
    # by hand: root paths (down), leaf paths (up) and SAP = leaf_paths * root_sap + root_paths * leaf_sap
    assert row["times_cited"].to_dict() == {"R1": 3, "R2": 2, "T1": 3, "T2": 3, "L2": 0, "L1": 0, "L3": 0}
    assert row["root_paths"].to_dict() == {"R1": 1, "R2": 1, "T1": 2, "T2": 2, "L2": 4, "L1": 4, "L3": 3}
    assert row["leaf_paths"].to_dict() == {"R1": 6, "R2": 5, "T1": 3, "T2": 2, "L2": 1, "L1": 1, "L3": 1}
    assert row["sap"].to_dict() == {"R1": 40, "R2": 29, "T1": 37, "T2": 26, "L2": 26, "L1": 26, "L3": 17}
    assert row["in_field"].to_dict() == {"R1": False, "R2": False, "T1": True, "T2": True, "L2": True, "L1": True,
                                         "L3": True}
    assert t.attrs["note"] == "cleaned citation graph: 9 papers, 11 citations"


def test_fewer_roots_and_the_leaf_fallback():
    """One root: no leaf has 3 paths to it, so every uncited paper with a path is a candidate."""
    papers, citations = hand_tree()
    t = compute_tree_of_science(papers, citations, roots=1, trunk=1)
    assert t.loc[t["part"] == "root", "paper_id"].tolist() == ["R1"]
    assert t.loc[t["part"] == "leaf", "paper_id"].tolist() == ["L2", "L1", "L3", "C2"]
    assert t.loc[t["part"] == "trunk", "paper_id"].tolist() == ["T1"]


def test_skips():
    papers, citations = hand_tree()
    assert "no citations" in compute_tree_of_science(papers, None).attrs["skipped"]
    only_cycle = pd.DataFrame({"citing_id": ["C1", "C2"], "cited_id": ["C2", "C1"]})
    assert "no edge" in compute_tree_of_science(papers, only_cycle).attrs["skipped"]


# A random citation graph (24 papers, a 2-cycle p20 <-> p21) and the tree that bibx 0.9.2
# (bibx.algorithms.sap.Sap, MIT licence, by the Tree of Science authors) computes for it with no limit on
# the parts: Sap(max_roots=10**6, max_leaves=10**6, max_trunk=10**6).tree(Sap.clean_graph(G)), node
# attribute "_sap" of the nodes tagged root, trunk and leaf. bibx cannot be installed beside this project
# (it pins bibtexparser 1.x), so its output is recorded here.
YEARS = {'p00': 2022, 'p01': 2015, 'p02': 2016, 'p03': 2021, 'p04': 2013, 'p05': 2018, 'p06': 2020, 'p07': 2005, 'p08': 2001, 'p09': 2007, 'p10': 2006, 'p11': 2020, 'p12': 2021, 'p13': 2000, 'p14': 2011, 'p15': 2019, 'p16': 2003, 'p17': 2019, 'p18': 2002, 'p19': 2011, 'p20': 2019, 'p21': 2007, 'p22': 2008, 'p23': 2006}
EDGES = [('p00', 'p06'), ('p00', 'p11'), ('p00', 'p22'), ('p01', 'p14'), ('p01', 'p23'), ('p02', 'p09'), ('p02', 'p16'), ('p02', 'p21'), ('p02', 'p22'), ('p03', 'p04'), ('p03', 'p15'), ('p03', 'p19'), ('p03', 'p23'), ('p05', 'p10'), ('p05', 'p22'), ('p06', 'p10'), ('p06', 'p14'), ('p06', 'p15'), ('p06', 'p18'), ('p07', 'p18'), ('p11', 'p05'), ('p11', 'p16'), ('p11', 'p18'), ('p11', 'p19'), ('p12', 'p05'), ('p12', 'p16'), ('p12', 'p18'), ('p14', 'p08'), ('p14', 'p13'), ('p14', 'p22'), ('p14', 'p23'), ('p15', 'p02'), ('p15', 'p05'), ('p15', 'p09'), ('p16', 'p13'), ('p16', 'p18'), ('p17', 'p16'), ('p18', 'p08'), ('p18', 'p13'), ('p19', 'p10'), ('p19', 'p16'), ('p19', 'p23'), ('p20', 'p21'), ('p21', 'p10'), ('p21', 'p16'), ('p21', 'p20'), ('p22', 'p16'), ('p23', 'p13'), ('p23', 'p18')]
BIBX_SAP = {
    "root": {'p08': 958, 'p09': 152, 'p10': 353, 'p13': 1854},
    "trunk": {'p02': 864, 'p05': 564, 'p06': 1330, 'p11': 790, 'p14': 508, 'p15': 1256, 'p16': 1908, 'p18': 1848, 'p19': 552, 'p21': 316, 'p22': 996, 'p23': 558},
    "leaf": {'p00': 2268, 'p01': 157, 'p03': 762, 'p12': 111, 'p17': 19},
}
BIBX_ROOT_DEGREE = {'p08': 2, 'p09': 2, 'p10': 4, 'p13': 4}
BIBX_LEAF_PATHS = {'p00': 46, 'p01': 11, 'p03': 26, 'p12': 9, 'p17': 3}


def test_agrees_with_bibx_sap():
    papers = pd.DataFrame({"paper_id": list(YEARS), "year": list(YEARS.values())})
    citations = pd.DataFrame(EDGES, columns=["citing_id", "cited_id"])
    t = compute_tree_of_science(papers, citations, scope="all", roots=10**6, trunk=10**6, leaves=10**6)
    for part, expected in BIBX_SAP.items():
        sub = t[t["part"] == part]
        assert dict(zip(sub["paper_id"], sub["sap"])) == pytest.approx(expected)
    roots = t[t["part"] == "root"]
    assert dict(zip(roots["paper_id"], roots["times_cited"])) == BIBX_ROOT_DEGREE
    leaves = t[t["part"] == "leaf"]
    assert dict(zip(leaves["paper_id"], leaves["root_paths"])) == BIBX_LEAF_PATHS
    # ranks follow the scores
    assert t.loc[t["part"] == "trunk", "paper_id"].head(3).tolist() == ["p16", "p18", "p06"]
