"""The vectorised indicators against the straightforward algorithms they replaced (kept here as the
reference, as they were), on random SYNTHETIC corpora with every awkward case at once: ties in time
and in counts, self-citations, duplicate citation rows, duplicate paper rows, missing ids, years and
dates, references outside the papers table, citations of newer papers, non-ASCII ids and titles."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from numpy.lib.stride_tricks import sliding_window_view

from medvlm_graph.graphs.coauthor import build_coauthor_graph
from medvlm_graph.graphs.matrix import incidence, pair_table
from medvlm_graph.taxonomy import load_taxonomy

from medvlm_graph.analysis.actors import (
    AUTHOR_COLUMNS,
    COAUTHOR_CLUSTER_COLUMNS,
    COAUTHOR_MEMBER_COLUMNS,
    NO_AUTHORS,
    VENUE_COLUMNS,
    _spelling,
    compute_authors,
    compute_coauthor_clusters,
    compute_lotka,
    compute_venues,
)
from medvlm_graph.analysis._citing import CitationData, citation_edges, citation_matrix, paper_days, scope_ids
from medvlm_graph.analysis._frames import paper_titles, paper_years, skipped
from medvlm_graph.analysis.clusters import compute_graph_clusters
from medvlm_graph.analysis.coword import (
    _TOKEN,
    LINK_COLUMNS,
    TERM_COLUMNS,
    _subterms,
    _taxonomy_labels,
    _term_table,
    compute_coword_map,
    extract_terms,
    term_key,
)
from medvlm_graph.analysis.disruption import CD_COLUMNS, compute_disruption
from medvlm_graph.analysis.indicators import run_indicators
from medvlm_graph.analysis.mainpath import _by_level, _Flow, _levels
from medvlm_graph.analysis.rpys import PEAK_COLUMNS, RPYS_COLUMNS, compute_rpys
from medvlm_graph.analysis.runs import NO_CITATIONS
from medvlm_graph.analysis.sleeping import CURVE_COLUMNS, SB_COLUMNS, _beauty, compute_sleeping_beauties
from medvlm_graph.analysis.treeofscience import TREE_COLUMNS, _clean, _rank, compute_tree_of_science

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic_corpora import random_corpus  # noqa: E402

# ----------------------------------------------------------------------------------------- corpora


def messy_corpus(seed: int, n: int = 160) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A random corpus where every case the indicators must handle occurs."""
    rng = np.random.default_rng(seed)
    ids = [("é" if i % 7 == 0 else "p") + f"{i:03d}" for i in range(n)]
    years = rng.integers(2000, 2012, n).astype(float)
    years[rng.random(n) < 0.08] = np.nan  # no year
    dates = np.full(n, None, dtype=object)
    dated = rng.random(n) < 0.3
    for i in np.flatnonzero(dated):
        y = int(years[i]) if not np.isnan(years[i]) else 2005
        dates[i] = rng.choice([f"{y}-02-29" if y % 4 == 0 else f"{y}-02-28", f"{y}-07-01", f"{y}-01-15",
                               f"{y}-12-31", "not a date"])
    titles = np.array([f"Título {i}" if i % 5 else None for i in range(n)], dtype=object)
    in_field = rng.choice(np.array([True, False, None], dtype=object), n, p=[0.5, 0.35, 0.15])
    venues = np.array(["J1", "j1 ", "  J1", "Jöurnal  A", "jöurnal a", "", None, "B", "C  d"], dtype=object)
    papers = pd.DataFrame({"paper_id": ids, "year": years, "publication_date": dates, "title": titles,
                           "in_field": in_field, "is_seed": rng.random(n) < 0.2, "venue": rng.choice(venues, n)})
    # duplicate paper rows (another year, title, venue and scope: the first year, the last title win), a row
    # without id
    dup = papers.iloc[rng.choice(n, 6, replace=False)].assign(year=2001.0, title="Duplicate row", venue="Dup",
                                                          in_field=True)
    papers = pd.concat([papers, dup, pd.DataFrame({"paper_id": [None], "year": [2003.0]})], ignore_index=True)
    external = [f"ext{j}" for j in range(15)]  # references outside the papers table (no year)
    rows = []
    for i in range(n):
        for _ in range(int(rng.integers(0, 9))):
            r = rng.random()
            if r < 0.1:
                rows.append((ids[i], external[int(rng.integers(len(external)))]))
            elif r < 0.13:
                rows.append((ids[i], ids[i]))  # self-citation
            else:
                rows.append((ids[i], ids[int(rng.integers(n))]))  # older, newer or same year
    rows += rows[: len(rows) // 10]  # duplicate rows
    rows += [(None, ids[0]), (ids[1], None)]
    citations = pd.DataFrame(rows, columns=["citing_id", "cited_id"]).sample(frac=1.0, random_state=seed)
    return papers.astype({"paper_id": "string", "title": "string", "publication_date": "string",
                          "venue": "string"}), citations


def messy_authorships(papers: pd.DataFrame, seed: int) -> pd.DataFrame:
    """Random authorships: shared authors, several spellings (ties too), missing ids and names,
    duplicate rows, papers outside the corpus."""
    rng = np.random.default_rng(seed)
    ids = papers["paper_id"].dropna().unique().tolist() + ["not-a-paper"]
    rows = []
    for pid in ids:
        for _ in range(int(rng.integers(0, 5))):
            a = int(rng.integers(0, 40))
            name = rng.choice([f"Author {a}", f"A. {a}", f"Áuthor {a}", None])
            rows.append((pid, None if rng.random() < 0.04 else f"{a}", name))
    rows += rows[:10]  # duplicates
    rows.append((None, "7", "Author 7"))
    return pd.DataFrame(rows, columns=["paper_id", "author_id", "author_name"]).astype("string")


CORPORA = [("messy", s) for s in range(4)] + [("random", s) for s in range(2)]


def corpus(kind: str, seed: int):
    return messy_corpus(seed) if kind == "messy" else random_corpus(seed, titles=True)


def same(new: pd.DataFrame, old: pd.DataFrame) -> None:
    """The same rows, order, values and dtypes, and the same ``attrs``."""
    pd.testing.assert_frame_equal(new, old, check_exact=True)
    assert new.attrs == old.attrs


# -------------------------------------------------------------------------------------- disruption


def _old_blocks(work: np.ndarray, budget: int) -> list[tuple[int, int]]:
    if len(work) == 0:
        return []
    block_of = np.cumsum(work) // max(budget, 1)
    starts = np.flatnonzero(np.r_[True, block_of[1:] != block_of[:-1]])
    return list(zip(starts.tolist(), np.r_[starts[1:], len(work)].tolist()))


def old_disruption(papers, citations, *, window=5, scope="field", block_work=20_000_000):
    """compute_disruption as it was: ``A[f] @ A.T`` per block, the window checked on every non-zero."""
    no_time = np.iinfo(np.int64).max
    if citations is None or len(citations) == 0:
        return skipped(CD_COLUMNS, NO_CITATIONS)
    A, index = citation_matrix(papers, citations)
    n = len(index)
    days = paper_days(papers)
    t = np.full(n, no_time, dtype=np.int64)
    pos = index.get_indexer(pd.Index(days.index, dtype="string"))
    t[pos] = days.to_numpy().astype("datetime64[D]").astype(np.int64)
    n_refs = np.diff(A.indptr)
    focal = index.get_indexer(scope_ids(papers, scope))
    focal = np.sort(focal[focal >= 0])
    focal = focal[(t[focal] != no_time) & (n_refs[focal] > 0)]
    if len(focal) == 0:
        return skipped(CD_COLUMNS, "no paper in scope with a publication year and references in the corpus")
    start = pd.to_datetime(t[focal].astype("datetime64[D]"))
    end = (start + pd.DateOffset(years=int(window))).to_numpy().astype("datetime64[D]").astype(np.int64)
    AT = A.T.tocsr()
    indeg = np.diff(AT.indptr).astype(np.int64)
    counts = np.zeros((len(focal), 4), dtype=np.int64)
    for lo, hi in _old_blocks(A[focal] @ indeg + indeg[focal], block_work):
        rows = focal[lo:hi]
        P = (A[rows] @ AT).tocsr()
        P.data[:] = 1
        S = (P + 2 * AT[rows]).tocoo()
        r, i, code = S.row, S.col, S.data.astype(np.int64)
        inside = (t[i] > t[rows][r]) & (t[i] <= end[lo:hi][r])
        counts[lo:hi] = np.bincount(r[inside] * 4 + code[inside], minlength=(hi - lo) * 4).reshape(-1, 4)
    n_k, n_i, n_j = counts[:, 1], counts[:, 2], counts[:, 3]
    total = n_i + n_j + n_k
    keep = total > 0
    if not keep.any():
        return skipped(CD_COLUMNS, f"no paper in scope is cited, nor are its references, within {window} years")
    ids = index[focal[keep]].astype(str)
    years = paper_years(papers)
    titles = paper_titles(papers)
    last = t[t != no_time].max()
    with np.errstate(invalid="ignore", divide="ignore"):
        cd = (n_i - n_j)[keep] / total[keep]
    out = pd.DataFrame({
        "paper_id": ids.to_numpy(dtype=object),
        "title": [titles.get(p) for p in ids],
        "year": pd.array([years.get(p) for p in ids], dtype="Int64"),
        "window": int(window),
        "window_complete": end[keep] <= last,
        "n_references": n_refs[focal[keep]].astype(np.int64),
        "n_i": n_i[keep], "n_j": n_j[keep], "n_k": n_k[keep],
        "cd": cd.astype(float),
        "mcd": (cd * (n_i + n_j)[keep]).astype(float),
    })
    out["_citers"] = out["n_i"] + out["n_j"]
    out = out.sort_values(["cd", "_citers", "paper_id"], ascending=[False, False, True], na_position="last")
    return out.drop(columns="_citers").reset_index(drop=True)[CD_COLUMNS]


@pytest.mark.parametrize("kind, seed", CORPORA)
@pytest.mark.parametrize("scope", ["field", "all", "seeds"])
@pytest.mark.parametrize("window", [1, 3, 5])
def test_disruption_matches_the_old_algorithm(kind, seed, scope, window):
    papers, citations = corpus(kind, seed)
    old = old_disruption(papers, citations, window=window, scope=scope)
    assert len(old) > 3 or scope == "seeds"
    same(compute_disruption(papers, citations, window=window, scope=scope), old)
    # one focal paper per block: every block boundary and time span
    same(compute_disruption(papers, citations, window=window, scope=scope, block_work=1), old)


def test_disruption_edge_cases_match_the_old_algorithm():
    papers, citations = messy_corpus(0)
    for c in (citations.iloc[:0], citations[citations["citing_id"] == citations["cited_id"]],
              citations.head(1), None):
        same(compute_disruption(papers, c, scope="all"), old_disruption(papers, c, scope="all"))
    nothing_in_window = pd.DataFrame({"citing_id": ["b"], "cited_id": ["a"]})
    p = pd.DataFrame({"paper_id": ["a", "b"], "year": [2000, 2000]})
    same(compute_disruption(p, nothing_in_window, scope="all"), old_disruption(p, nothing_in_window, scope="all"))


# ------------------------------------------------------------------------------- sleeping beauties


def old_sleeping_beauties(papers, citations, *, scope="field", min_citations=1, curves=5):
    """compute_sleeping_beauties as it was: string edges, ``np.add.at`` into the yearly curves."""
    if citations is None or len(citations) == 0:
        return skipped(SB_COLUMNS, NO_CITATIONS), skipped(CURVE_COLUMNS, NO_CITATIONS)
    years = paper_years(papers)
    focal = scope_ids(papers, scope)
    focal = pd.Index(sorted(set(focal) & set(years.index)), dtype="string")
    e = citation_edges(citations)
    e = e[e["cited_id"].isin(set(focal)) & e["citing_id"].isin(set(years.index))]
    if e.empty:
        why = "no paper in scope is cited by a paper with a known year"
        return skipped(SB_COLUMNS, why), skipped(CURVE_COLUMNS, why)
    last_year = int(years.max())
    cited = e["cited_id"].to_numpy(dtype=object)
    pub = years.reindex(cited).to_numpy(dtype=np.int64)
    rel = np.maximum(years.reindex(e["citing_id"].to_numpy(dtype=object)).to_numpy(dtype=np.int64) - pub, 0)
    row = focal.get_indexer(pd.Index(cited, dtype="string"))
    span = last_year - years.reindex(focal.astype(str)).to_numpy(dtype=np.int64)
    width = int(max(span.max(), 0)) + 1
    C = np.zeros((len(focal), width))
    np.add.at(C, (row, rel), 1.0)
    total = C.sum(axis=1)
    keep = (total >= max(int(min_citations), 1)) & (span >= 0)
    if not keep.any():
        why = f"no paper in scope has {min_citations} or more citations in the corpus"
        return skipped(SB_COLUMNS, why), skipped(CURVE_COLUMNS, why)
    C, span, ids = C[keep], span[keep], focal[keep].astype(str)
    B, ta, tm = _beauty(C, span)
    y0 = years.reindex(ids).to_numpy(dtype=np.int64)
    titles = paper_titles(papers)
    out = pd.DataFrame({
        "paper_id": ids.to_numpy(dtype=object),
        "title": [titles.get(p) for p in ids],
        "year": pd.array(y0, dtype="Int64"),
        "citations": total[keep].astype(np.int64),
        "peak_year": pd.array(y0 + tm, dtype="Int64"),
        "peak_citations": C[np.arange(len(C)), tm].astype(np.int64),
        "beauty": B.astype(float),
        "awakening_year": pd.array([int(y + a) if a >= 0 else None for y, a in zip(y0, ta)], dtype="Int64"),
    })
    order = out.sort_values(["beauty", "citations", "paper_id"], ascending=[False, False, True]).index.to_numpy()
    out = out.loc[order].reset_index(drop=True)
    top = order[: max(int(curves), 0)]
    curve = pd.DataFrame(
        [(ids[i], int(y0[i] + t), int(C[i, t])) for i in top for t in range(int(span[i]) + 1)],
        columns=CURVE_COLUMNS)
    return out[SB_COLUMNS], curve


@pytest.mark.parametrize("kind, seed", CORPORA)
@pytest.mark.parametrize("scope", ["field", "all", "seeds"])
@pytest.mark.parametrize("min_citations, curves", [(1, 5), (3, 0), (50, 5)])
def test_sleeping_beauties_match_the_old_algorithm(kind, seed, scope, min_citations, curves):
    papers, citations = corpus(kind, seed)
    new = compute_sleeping_beauties(papers, citations, scope=scope, min_citations=min_citations, curves=curves)
    old = old_sleeping_beauties(papers, citations, scope=scope, min_citations=min_citations, curves=curves)
    for a, b in zip(new, old):
        same(a, b)


# -------------------------------------------------------------------------------------------- RPYS


def old_rpys(papers, citations, *, scope="field", peaks=5, per_peak=3):
    """compute_rpys as it was: string edges, a pandas group-by per peak year."""
    if citations is None or len(citations) == 0:
        return skipped(RPYS_COLUMNS, NO_CITATIONS), skipped(PEAK_COLUMNS, NO_CITATIONS)
    e = citation_edges(citations)
    e = e[e["citing_id"].isin(set(scope_ids(papers, scope)))]
    years = paper_years(papers)
    ry = years.reindex(e["cited_id"].to_numpy(dtype=object))
    no_year = int(ry.isna().sum())
    e = e.assign(ref_year=ry.to_numpy())[ry.notna().to_numpy()]
    if e.empty:
        why = "no reference with a known year is cited by a paper in scope"
        return skipped(RPYS_COLUMNS, why), skipped(PEAK_COLUMNS, why)
    ref_year = e["ref_year"].astype(np.int64).to_numpy()
    lo, hi = int(ref_year.min()), int(ref_year.max())
    ncr = np.bincount(ref_year - lo, minlength=hi - lo + 1)
    distinct = e.drop_duplicates("cited_id")["ref_year"].astype(np.int64).to_numpy()
    nd = np.bincount(distinct - lo, minlength=hi - lo + 1)
    med = np.median(sliding_window_view(np.r_[0, 0, ncr, 0, 0].astype(float), 5), axis=1)
    dev = ncr - med
    before = np.r_[-np.inf, dev[:-1]]
    after = np.r_[dev[1:], -np.inf]
    is_peak = (dev > 0) & (dev > before) & (dev >= after)
    yrs = np.arange(lo, hi + 1)
    cand = np.flatnonzero(is_peak)
    cand = cand[np.lexsort((yrs[cand], -dev[cand]))][: max(int(peaks), 0)]
    rank = pd.array([None] * len(yrs), dtype="Int64")
    rank[cand] = np.arange(1, len(cand) + 1)
    spectrum = pd.DataFrame({"year": yrs, "references": ncr.astype(np.int64), "distinct_references": nd,
                             "median_5": med, "deviation": dev.astype(float), "peak_rank": rank})
    if no_year:
        spectrum.attrs["note"] = f"{no_year} cited reference(s) without a year left out"
    titles = paper_titles(papers)
    rows = []
    for r, i in enumerate(cand, start=1):
        y = int(yrs[i])
        top = e[e["ref_year"].astype(np.int64) == y].groupby("cited_id").size().reset_index(name="n")
        top = top.sort_values(["n", "cited_id"], ascending=[False, True]).head(max(int(per_peak), 0))
        rows += [(r, y, pid, titles.get(pid), int(n), float(n / ncr[i])) for pid, n in zip(top["cited_id"], top["n"])]
    peak_table = pd.DataFrame(rows, columns=PEAK_COLUMNS)
    if peak_table.empty:
        peak_table.attrs["skipped"] = "the spectrum has no peak (no year above its 5-year median)"
    return spectrum[RPYS_COLUMNS], peak_table


@pytest.mark.parametrize("kind, seed", CORPORA)
@pytest.mark.parametrize("scope", ["field", "all", "seeds"])
@pytest.mark.parametrize("peaks, per_peak", [(5, 3), (2, 10), (0, 3)])
def test_rpys_matches_the_old_algorithm(kind, seed, scope, peaks, per_peak):
    papers, citations = corpus(kind, seed)
    new = compute_rpys(papers, citations, scope=scope, peaks=peaks, per_peak=per_peak)
    old = old_rpys(papers, citations, scope=scope, peaks=peaks, per_peak=per_peak)
    for a, b in zip(new, old):
        same(a, b)


@pytest.mark.parametrize("which", ["empty", "self-citations only", "one", "none"])
def test_citation_indicators_on_degenerate_citations(which):
    papers, citations = messy_corpus(1)
    c = {"empty": citations.iloc[:0], "self-citations only": citations[citations["citing_id"] == citations["cited_id"]],
         "one": citations.dropna().head(1), "none": None}[which]
    for new, old in ((compute_sleeping_beauties, old_sleeping_beauties), (compute_rpys, old_rpys)):
        for a, b in zip(new(papers, c, scope="all"), old(papers, c, scope="all")):
            same(a, b)


# -------------------------------------------------------------------------------- tree of science


def _old_accumulate(F, init, *, upward):
    out = init.copy()
    at, other = (F.u, F.v) if upward else (F.v, F.u)
    groups = list(_by_level(F, at, F.level))
    for _, e, starts in (reversed(groups) if upward else groups):
        out[at[e[starts]]] = np.add.reduceat(out[other[e]], starts)
    return out


def old_tree_of_science(papers, citations, *, scope="field", roots=20, trunk=20, leaves=50,
                        min_leaf_connections=3, max_leaf_age=7):
    """compute_tree_of_science as it was: string edges, one accumulation per quantity."""
    if citations is None or len(citations) == 0:
        return skipped(TREE_COLUMNS, NO_CITATIONS)
    e = citation_edges(citations)
    e = e[e["citing_id"].isin(set(scope_ids(papers, scope)))]
    if e.empty:
        return skipped(TREE_COLUMNS, "no paper in scope cites a paper of the corpus")
    ids = pd.Index(np.sort(pd.unique(np.r_[e["citing_id"].to_numpy(), e["cited_id"].to_numpy()])), dtype="string")
    n = len(ids)
    u, v, node = _clean(ids.get_indexer(e["citing_id"]), ids.get_indexer(e["cited_id"]), n)
    if len(u) == 0:
        return skipped(TREE_COLUMNS, "the cleaned citation graph has no edge")
    indeg = np.bincount(v, minlength=n)
    outdeg = np.bincount(u, minlength=n)
    years = paper_years(papers).reindex(ids.astype(str))
    base = pd.DataFrame({"pos": np.arange(n), "paper_id": ids.astype(str).to_numpy(dtype=object),
                         "year": years.to_numpy(), "times_cited": indeg, "references": outdeg})
    base = base[node]
    F = _Flow(nodes=list(range(n)), key={}, rank=np.arange(n), u=v, v=u, dropped=0)
    F.level = _levels(F)
    cand = base[(base["references"] == 0) & (base["times_cited"] > 0)]
    root_pos = _rank(cand, "times_cited")["pos"].to_numpy()[: max(int(roots), 0)]
    if len(root_pos) == 0:
        return skipped(TREE_COLUMNS, "the cleaned citation graph has no root")
    zeros = np.zeros(n, dtype=object)
    one_at_roots, cites_at_roots = zeros.copy(), zeros.copy()
    one_at_roots[root_pos] = 1
    cites_at_roots[root_pos] = [int(indeg[i]) for i in root_pos]
    root_paths = _old_accumulate(F, one_at_roots, upward=False)
    root_sap = _old_accumulate(F, cites_at_roots, upward=False)
    base["root_paths"] = root_paths[base["pos"]]
    uncited = base[base["times_cited"] == 0]
    pref = uncited[(uncited["root_paths"] >= min_leaf_connections) & uncited["year"].notna()]
    if len(pref):
        pref = pref[pref["year"] >= pref["year"].max() - max_leaf_age]
    leaf_rows = _rank(pref if len(pref) else uncited, "root_paths", newest_first=True)
    leaf_rows = leaf_rows[leaf_rows["root_paths"].map(int) > 0].head(max(int(leaves), 0))
    leaf_pos = leaf_rows["pos"].to_numpy()
    one_at_leaves, paths_at_leaves = zeros.copy(), zeros.copy()
    one_at_leaves[leaf_pos] = 1
    paths_at_leaves[leaf_pos] = root_paths[leaf_pos]
    leaf_paths = _old_accumulate(F, one_at_leaves, upward=True)
    leaf_sap = _old_accumulate(F, paths_at_leaves, upward=True)
    sap = leaf_paths * root_sap + root_paths * leaf_sap
    base["leaf_paths"], base["sap"] = leaf_paths[base["pos"]], sap[base["pos"]]
    taken = set(root_pos.tolist()) | set(leaf_pos.tolist())
    rest = base[~base["pos"].isin(taken) & (base["sap"].map(int) > 0)]
    trunk_pos = _rank(rest, "sap")["pos"].to_numpy()[: max(int(trunk), 0)]
    by_pos = base.set_index("pos")
    parts = [by_pos.loc[pos].reset_index().assign(part=part, rank=np.arange(1, len(pos) + 1))
             for part, pos in (("root", root_pos), ("trunk", trunk_pos), ("leaf", leaf_pos))]
    out = pd.concat(parts, ignore_index=True)
    titles = paper_titles(papers)
    in_field = {}
    if "in_field" in papers.columns:
        in_field = dict(zip(papers["paper_id"].astype(str), papers["in_field"]))
    out["title"] = [titles.get(p) for p in out["paper_id"]]
    out["in_field"] = pd.array([in_field.get(p) if p in in_field else None for p in out["paper_id"]],
                               dtype="boolean")
    out["year"] = pd.array(out["year"], dtype="Int64")
    for col in ("root_paths", "leaf_paths", "sap"):
        out[col] = out[col].map(float)
    out = out[TREE_COLUMNS].reset_index(drop=True)
    out.attrs["note"] = f"cleaned citation graph: {int(node.sum())} papers, {len(u)} citations"
    return out


@pytest.mark.parametrize("kind, seed", CORPORA)
@pytest.mark.parametrize("scope", ["field", "all", "seeds"])
@pytest.mark.parametrize("sizes", [(20, 20, 50, 3, 7), (3, 5, 4, 1, 0), (0, 0, 0, 3, 7)])
def test_tree_of_science_matches_the_old_algorithm(kind, seed, scope, sizes):
    papers, citations = corpus(kind, seed)
    roots, trunk, leaves, min_leaf, age = sizes
    kw = dict(scope=scope, roots=roots, trunk=trunk, leaves=leaves, min_leaf_connections=min_leaf, max_leaf_age=age)
    same(compute_tree_of_science(papers, citations, **kw), old_tree_of_science(papers, citations, **kw))


def test_tree_of_science_with_huge_path_counts_matches_the_old_algorithm():
    """A deep lattice: path counts far beyond 2**64 stay exact."""
    layers = [[f"n{d:03d}_{k}" for k in range(3)] for d in range(90)]
    rows = [(b, a) for d in range(1, 90) for a in layers[d - 1] for b in layers[d]]
    papers = pd.DataFrame({"paper_id": [x for layer in layers for x in layer],
                           "year": [1900 + d for d in range(90) for _ in range(3)]})
    citations = pd.DataFrame(rows, columns=["citing_id", "cited_id"])
    new = compute_tree_of_science(papers, citations, scope="all", min_leaf_connections=1)
    same(new, old_tree_of_science(papers, citations, scope="all", min_leaf_connections=1))
    assert new["root_paths"].max() > 2.0**64


# ---------------------------------------------------------------------------------- who and where


def _old_local_citations(papers, citations, scope):
    if citations is None or len(citations) == 0:
        return None
    ids = set(scope_ids(papers, scope))
    e = citation_edges(citations)
    e = e[e["citing_id"].isin(ids) & e["cited_id"].isin(ids)]
    return e.groupby("cited_id").size()


def _old_stats(df, key, local):
    df = df.drop_duplicates([key, "paper_id"])
    g = df.groupby(key, sort=True)
    out = pd.DataFrame({"papers": g["paper_id"].nunique(), "first_year": g["year"].min(), "last_year": g["year"].max()})
    if local is None:
        out["citations"] = pd.array([None] * len(out), dtype="Int64")
        out["h_index"] = pd.array([None] * len(out), dtype="Int64")
    else:
        cites = df.assign(c=df["paper_id"].map(local).fillna(0).astype(np.int64))
        cites = cites.sort_values([key, "c"], ascending=[True, False])
        cites["r"] = cites.groupby(key).cumcount() + 1
        out["citations"] = cites.groupby(key)["c"].sum().astype("Int64")
        out["h_index"] = (cites["c"] >= cites["r"]).groupby(cites[key]).sum().astype("Int64")
    for col in ("first_year", "last_year"):
        out[col] = out[col].astype("Int64")
    return out


def _old_scoped_authorships(authorships, papers, scope):
    a = authorships.dropna(subset=["paper_id"]).assign(paper_id=lambda d: d["paper_id"].astype(str))
    a = a[a["paper_id"].isin(set(scope_ids(papers, scope)))]
    if "author_name" not in a.columns:
        a = a.assign(author_name=pd.NA)
    return a


def old_authors(papers, authorships, citations=None, *, scope="field", top=None):
    """compute_authors as it was: string joins with the scope and the citations."""
    if authorships is None or len(authorships) == 0:
        return skipped(AUTHOR_COLUMNS, NO_AUTHORS)
    a = _old_scoped_authorships(authorships, papers, scope)
    n_authors = a.groupby("paper_id").size()
    a = a.dropna(subset=["author_id"]).assign(author_id=lambda d: d["author_id"].astype(str))
    if a.empty:
        return skipped(AUTHOR_COLUMNS, NO_AUTHORS)
    a = a.assign(year=a["paper_id"].map(paper_years(papers)))
    out = _old_stats(a, "author_id", _old_local_citations(papers, citations, scope))
    frac = a.drop_duplicates(["author_id", "paper_id"])
    out["fractional_papers"] = (1.0 / frac["paper_id"].map(n_authors)).groupby(frac["author_id"]).sum()
    out["name"] = _spelling(a.assign(author_name=a["author_name"].fillna("").astype(str)), "author_id", "author_name")
    out = out.reset_index().rename(columns={"index": "author_id"})
    out = out.sort_values(["papers", "citations", "name", "author_id"], ascending=[False, False, True, True],
                          na_position="last")
    out = out[AUTHOR_COLUMNS].reset_index(drop=True)
    return out.head(top) if top is not None else out


def old_venues(papers, citations=None, *, scope="field"):
    """compute_venues as it was."""
    if "venue" not in papers.columns:
        return skipped(VENUE_COLUMNS, "the papers table has no venue column")
    p = papers[papers["paper_id"].astype("string").isin(set(scope_ids(papers, scope)))]
    venue = p["venue"].astype("string").str.split().str.join(" ")
    p = p.assign(venue=venue, key=venue.str.casefold(), paper_id=p["paper_id"].astype(str))
    p = p[p["venue"].notna() & (p["venue"] != "")]
    if p.empty:
        return skipped(VENUE_COLUMNS, "no paper in scope has a venue (venues come from Semantic Scholar: "
                                      "run refresh or ingest)")
    p = p.assign(year=p["paper_id"].map(paper_years(papers)))
    out = _old_stats(p, "key", _old_local_citations(papers, citations, scope))
    out["venue"] = _spelling(p.assign(venue=p["venue"].astype(str)), "key", "venue")
    out = out.sort_values(["papers", "citations", "venue"], ascending=[False, False, True], na_position="last")
    out = out.reset_index(drop=True)
    out["rank"] = np.arange(1, len(out) + 1)
    out["cumulative_papers"] = out["papers"].cumsum()
    before = out["cumulative_papers"] - out["papers"]
    out["zone"] = np.minimum(3, 1 + (3 * before) // int(out["papers"].sum())).astype(int)
    return out[VENUE_COLUMNS]


def old_coauthor_clusters(papers, authorships, *, scope="field", resolution=1.0, seed=0, n_names=5):
    """compute_coauthor_clusters as it was: Louvain on the networkx co-author graph."""
    if authorships is None or len(authorships) == 0:
        return skipped(COAUTHOR_MEMBER_COLUMNS, NO_AUTHORS), skipped(COAUTHOR_CLUSTER_COLUMNS, NO_AUTHORS)
    a = _old_scoped_authorships(authorships, papers, scope).dropna(subset=["author_id"])
    G = build_coauthor_graph(a)
    assign, summary = compute_graph_clusters(G, resolution=resolution, seed=seed)
    if assign.empty:
        why = "no two authors of the papers in scope wrote a paper together"
        return skipped(COAUTHOR_MEMBER_COLUMNS, why), skipped(COAUTHOR_CLUSTER_COLUMNS, why)
    members = assign[["paper_id", "cluster"]].rename(columns={"paper_id": "author_id"})
    members["name"] = [G.nodes[x]["name"] for x in members["author_id"]]
    members["papers"] = [int(G.nodes[x]["n_papers"]) for x in members["author_id"]]
    members = members.sort_values(["cluster", "papers", "name", "author_id"], ascending=[True, False, True, True])
    members = members[COAUTHOR_MEMBER_COLUMNS].reset_index(drop=True)
    joined = a.assign(author_id=a["author_id"].astype(str)).merge(members[["author_id", "cluster"]], on="author_id")
    n_papers = joined.groupby("cluster")["paper_id"].nunique()
    rows = []
    for c, g in members.groupby("cluster", sort=True):
        names = [x for x in g["name"].tolist() if x][:n_names]
        rows.append((int(c), len(g), int(n_papers.get(c, 0)), ", ".join(names), " / ".join(names[:3])))
    clusters = pd.DataFrame(rows, columns=COAUTHOR_CLUSTER_COLUMNS)
    clusters.attrs["modularity"] = summary.attrs.get("modularity")
    return members, clusters


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("scope", ["field", "all", "seeds"])
def test_actors_match_the_old_algorithms(seed, scope):
    papers, citations = messy_corpus(seed)
    au = messy_authorships(papers, seed)
    for c in (citations, None):
        same(compute_authors(papers, au, c, scope=scope), old_authors(papers, au, c, scope=scope))
        same(compute_authors(papers, au, c, scope=scope, top=7), old_authors(papers, au, c, scope=scope, top=7))
        same(compute_venues(papers, c, scope=scope), old_venues(papers, c, scope=scope))
    lotka = compute_lotka(papers, au, scope=scope)
    authors = old_authors(papers, au, scope=scope)
    assert len(lotka) and lotka["papers"].sum() > 0 or authors.empty
    for res in (1.0, 2.0):
        new = compute_coauthor_clusters(papers, au, scope=scope, resolution=res, seed=seed)
        old = old_coauthor_clusters(papers, au, scope=scope, resolution=res, seed=seed)
        assert len(new[0]) > 5
        for a, b in zip(new, old):
            same(a, b)


@pytest.mark.parametrize("which", ["empty", "no author ids", "outside the scope", "solo authors", "none"])
def test_actors_on_degenerate_authorships_match_the_old_algorithms(which):
    papers, citations = messy_corpus(2)
    au = messy_authorships(papers, 2)
    au = {"empty": au.iloc[:0], "no author ids": au.assign(author_id=pd.NA),
          "outside the scope": au.assign(paper_id="not-a-paper"),
          "solo authors": au.drop_duplicates("paper_id"), "none": None}[which]
    same(compute_authors(papers, au, citations, scope="all"), old_authors(papers, au, citations, scope="all"))
    for a, b in zip(compute_coauthor_clusters(papers, au, scope="all"), old_coauthor_clusters(papers, au, scope="all")):
        same(a, b)
    no_venue = papers.assign(venue=pd.NA)
    same(compute_venues(no_venue, citations, scope="all"), old_venues(no_venue, citations, scope="all"))


# ---------------------------------------------------------------------------------------- co-word

WORDS = ("vision language model models segmentation images image x ray X-ray x-rays pre-training pre training "
         "self-supervised co-attention multi-modal ct CT chest report reports generation studies classes study "
         "the of for a in we propose novel MICCAI proceedings 2023 3d 3-d u-net U-Net sam SAM polyp naïve "
         "İstanbul Ünet façade zero-shot Vision-Language pre-x-ray a-b e.g. i.e. et al").split()
PUNCT = [", ", ". ", " (", ") ", ": ", "; ", " - ", " / ", " ", " ", " ", " ", "  ", "-", "'s "]


def random_texts(seed: int, n: int = 120) -> list[str]:
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n):
        k = int(rng.integers(0, 18))
        parts = [str(rng.choice(WORDS)) + str(rng.choice(PUNCT)) for _ in range(k)]
        out.append("".join(parts))
    return out + ["", "...", "A", "Self-supervised pre-training of X-ray-based co-attention, in vision-language models",
                  "a-.b c-d-e f", "naïve İstanbul Vision ñ language", "3-d u-net 2023 the"]


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("max_words", [1, 2, 3, 4])
def test_term_table_is_extract_terms_of_every_text(seed, max_words):
    texts = random_texts(seed)
    doc, term, spell, terms, spellings = _term_table(texts, max_words=max_words)
    got = [[] for _ in texts]
    for d, t, s in zip(doc.tolist(), term.tolist(), spell.tolist()):
        got[d].append((terms[t], spellings[s]))
    assert got == [list(extract_terms(t, max_words=max_words).items()) for t in texts]  # same terms, order, spellings


def test_term_table_of_no_text():
    for texts in ([], [""], ["", "..."], ["the of 2023"]):
        doc, term, spell, terms, spellings = _term_table(texts)
        assert len(doc) == len(term) == len(spell) == 0 and terms == [] == spellings


def old_coword_map(papers, *, scope="field", n_terms=100, min_papers=2, max_share=0.5, max_words=3, taxonomy=None,
                   resolution=1.0, seed=0):
    """compute_coword_map as it was: extract_terms paper by paper."""
    p = papers[papers["paper_id"].astype("string").isin(set(scope_ids(papers, scope)))]
    p = p.drop_duplicates("paper_id")
    text = p["title"].fillna("").astype(str)
    if "abstract" in p.columns:
        text = text + ". " + p["abstract"].fillna("").astype(str)
    venues = set()
    if "venue" in papers.columns:
        venues = {" ".join(term_key(t) for t in _TOKEN.findall(v.lower()))
                  for v in papers["venue"].dropna().astype(str).unique()}
    pids, keys = [], []
    spelling = Counter()
    for pid, t in zip(p["paper_id"].astype(str), text):
        found = extract_terms(t, max_words=max_words)
        for k, s in found.items():
            if k in venues:
                continue
            pids.append(pid)
            keys.append(k)
            spelling[(k, s)] += 1
    n_docs = len(set(pids))
    df = pd.Series(keys).value_counts() if keys else pd.Series(dtype=np.int64)
    df = df[df >= max(int(min_papers), 1)]
    if n_docs >= 50:
        df = df[df <= max_share * n_docs]
    cand = df.to_dict()
    redundant = {s for k, n in cand.items() for s in _subterms(k) if cand.get(s) == n}
    df = df[~df.index.isin(redundant)]
    df = df.sort_index().sort_values(ascending=False, kind="stable").head(max(int(n_terms), 0))
    if len(df) < 2:
        why = f"fewer than two terms occur in {min_papers} or more papers in scope"
        return skipped(TERM_COLUMNS, why), skipped(LINK_COLUMNS, why)
    chosen = pd.Index(df.index, dtype="string")
    best = {}
    for (k, s), _n in sorted(spelling.items(), key=lambda x: (-x[1], x[0][1])):
        best.setdefault(k, s)
    mask = pd.Series(keys, dtype="string").isin(set(chosen))
    X, _, _ = incidence(pd.Series(keys, dtype="string")[mask], pd.Series(pids, dtype="string")[mask],
                        row_index=chosen)
    t = pair_table(X, norm="association")
    names = [best[k] for k in chosen]
    links = pd.DataFrame({"term_a": [names[i] for i in t.i], "term_b": [names[j] for j in t.j],
                          "count": t.count.astype(np.int64), "association": t.weight.astype(float)})
    swap = links["term_a"] > links["term_b"]
    links.loc[swap, ["term_a", "term_b"]] = links.loc[swap, ["term_b", "term_a"]].to_numpy()
    links = links.sort_values(["term_a", "term_b"]).reset_index(drop=True)
    G = nx.Graph()
    G.add_nodes_from(sorted(names))
    G.add_edges_from((a, b, {"weight": w, "count": c})
                     for a, b, c, w in links[["term_a", "term_b", "count", "association"]].itertuples(index=False))
    terms = pd.DataFrame({"term": names, "papers": t.occurrences.astype(np.int64)})
    assign, _ = compute_graph_clusters(G, resolution=resolution, seed=seed)
    cluster = dict(zip(assign["paper_id"], assign["cluster"]))
    terms["cluster"] = pd.array([cluster.get(x) for x in terms["term"]], dtype="Int64")
    terms = terms.sort_values(["papers", "term"], ascending=[False, True]).reset_index(drop=True)
    label = {c: " / ".join(g["term"].head(3)) for c, g in terms.dropna(subset=["cluster"]).groupby("cluster")}
    terms["cluster_label"] = [label.get(c, "") if not pd.isna(c) else "" for c in terms["cluster"]]
    terms["taxonomy_label"] = _taxonomy_labels(terms["term"].tolist(), taxonomy)
    terms["links"] = [G.degree(x) for x in terms["term"]]
    terms["total_link_strength"] = [int(G.degree(x, weight="count")) for x in terms["term"]]
    pos = nx.spring_layout(G, weight="count", seed=seed)
    terms["x"] = [float(pos[x][0]) for x in terms["term"]]
    terms["y"] = [float(pos[x][1]) for x in terms["term"]]
    return terms[TERM_COLUMNS], links[LINK_COLUMNS]


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("scope", ["field", "all"])
@pytest.mark.parametrize("kw", [{}, {"n_terms": 5, "min_papers": 3}, {"max_words": 2, "max_share": 0.2},
                                {"min_papers": 1000}])
def test_coword_map_matches_the_old_algorithm(seed, scope, kw):
    papers, _ = messy_corpus(seed)
    texts = random_texts(seed, n=len(papers) - 7)  # and the 7 hand-made ones
    papers = papers.assign(title=[t if i % 9 else None for i, t in enumerate(texts)],
                           abstract=[texts[-i - 1] if i % 3 else None for i in range(len(papers))])
    papers.loc[papers.index[:3], "venue"] = ["Vision Language", "x-ray", "MICCAI"]  # venue-like terms go
    taxonomy = load_taxonomy()
    new = compute_coword_map(papers, scope=scope, taxonomy=taxonomy, **kw)
    old = old_coword_map(papers, scope=scope, taxonomy=taxonomy, **kw)
    assert len(new[0]) > 2 or kw.get("min_papers") == 1000
    for a, b in zip(new, old):
        same(a, b)


# ------------------------------------------------------------------------- the coded corpus, the run


@pytest.mark.parametrize("seed", range(3))
def test_citation_data_is_the_frames_helpers_by_position(seed):
    papers, citations = messy_corpus(seed)
    data = CitationData(papers, citations)
    A, index = citation_matrix(papers, citations)
    assert (data.A != A).nnz == 0 and data.index.equals(index)
    ids = index.astype(str).to_numpy(dtype=object)
    years = paper_years(papers)
    assert {i: y for i, y in zip(ids, data.year) if not np.isnan(y)} == years.to_dict()
    days = paper_days(papers)
    got = {i: d for i, d in zip(ids, data.day) if d != np.iinfo(np.int64).max}
    assert got == dict(zip(days.index, days.to_numpy().astype("datetime64[D]").astype(np.int64).tolist()))
    assert {i: t for i, t in zip(ids, data.titles) if t is not None} == paper_titles(papers)
    for scope in ("field", "all", "seeds"):
        assert set(ids[data.in_scope(scope)]) == set(scope_ids(papers, scope))
    citing, cited = data.edges
    e = citation_edges(citations)
    assert sorted(zip(ids[citing], ids[cited])) == sorted(zip(e["citing_id"], e["cited_id"]))
    assert data.rows().tolist() == [-1 if pd.isna(p) else index.get_loc(p) for p in papers["paper_id"]]


@pytest.mark.parametrize("seed", range(2))
@pytest.mark.parametrize("with_citations, with_authors", [(True, True), (False, True), (True, False)])
def test_run_indicators_is_the_compute_functions(seed, with_citations, with_authors):
    """One coded corpus for every indicator gives what each public function gives on its own."""
    papers, citations = messy_corpus(seed)
    papers = papers.assign(title=random_texts(seed, n=len(papers) - 7))
    c = citations if with_citations else None
    au = messy_authorships(papers, seed) if with_authors else None
    run = run_indicators(papers, citations=c, authorships=au, scope="all", window=3, top=5)
    t = run.tables
    same(t["disruption"], compute_disruption(papers, c, window=3, scope="all"))
    for (a, b), stems in ((compute_sleeping_beauties(papers, c, scope="all"), ("sleeping_beauties", "sleeping_beauty_curves")),
                          (compute_rpys(papers, c, scope="all"), ("rpys", "rpys_peaks")),
                          (compute_coauthor_clusters(papers, au, scope="all"), ("coauthor_members", "coauthor_clusters")),
                          (compute_coword_map(papers, scope="all"), ("coword_terms", "coword_links"))):
        same(t[stems[0]], a)
        same(t[stems[1]], b)
    same(t["tree_of_science"], compute_tree_of_science(papers, c, scope="all"))
    same(t["authors"], compute_authors(papers, au, c, scope="all", top=5))
    same(t["venues"], compute_venues(papers, c, scope="all"))
    same(t["lotka"], compute_lotka(papers, au, scope="all"))


def test_term_table_of_texts_holding_a_nul():
    """A NUL inside a text (the separator of the one-pass reading): read text by text, the same terms."""
    texts = random_texts(7, n=30) + ["vision\x00language model", "\x00", "chest x-ray\x00"]
    doc, term, spell, terms, spellings = _term_table(texts)
    got = [[] for _ in texts]
    for d, t, s in zip(doc.tolist(), term.tolist(), spell.tolist()):
        got[d].append((terms[t], spellings[s]))
    assert got == [list(extract_terms(t).items()) for t in texts]
