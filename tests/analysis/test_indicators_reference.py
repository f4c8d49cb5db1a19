"""The vectorised indicators against the straightforward algorithms they replaced (kept here as the
reference, as they were), on random SYNTHETIC corpora with every awkward case at once: ties in time
and in counts, self-citations, duplicate citation rows, duplicate paper rows, missing ids, years and
dates, references outside the papers table, citations of newer papers, non-ASCII ids and titles."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from medvlm_graph.analysis._citing import citation_matrix, paper_days, scope_ids
from medvlm_graph.analysis._frames import paper_titles, paper_years, skipped
from medvlm_graph.analysis.disruption import CD_COLUMNS, compute_disruption
from medvlm_graph.analysis.runs import NO_CITATIONS

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
    papers = pd.DataFrame({"paper_id": ids, "year": years, "publication_date": dates, "title": titles,
                           "in_field": in_field, "is_seed": rng.random(n) < 0.2})
    # duplicate paper rows (another year and title: the first year, the last title win), a row without id
    dup = papers.iloc[rng.choice(n, 6, replace=False)].assign(year=2001.0, title="Duplicate row")
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
    return papers.astype({"paper_id": "string", "title": "string", "publication_date": "string"}), citations


def random_corpus(seed: int, n: int = 300) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A clean random corpus (years only, references older than their citer): many ties in time."""
    rng = np.random.default_rng(seed)
    years = rng.integers(2000, 2020, n)
    ids = [f"p{i:03d}" for i in range(n)]
    rows = set()
    for i in range(n):
        older = np.flatnonzero(years < years[i])
        k = int(rng.integers(0, 8))
        if len(older) and k:
            for j in rng.choice(older, size=min(k, len(older)), replace=False):
                rows.add((ids[i], ids[j]))
    papers = pd.DataFrame({"paper_id": ids, "year": years, "in_field": rng.random(n) < 0.5,
                           "title": [f"Paper {i}" for i in range(n)]})
    return papers, pd.DataFrame(sorted(rows), columns=["citing_id", "cited_id"])


CORPORA = [("messy", s) for s in range(4)] + [("random", s) for s in range(2)]


def corpus(kind: str, seed: int):
    return messy_corpus(seed) if kind == "messy" else random_corpus(seed)


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
