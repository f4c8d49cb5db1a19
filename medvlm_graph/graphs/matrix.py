"""Sparse incidence matrices and pair counting shared by every co-occurrence graph.

Every weighted undirected graph of the package (co-citation, bibliographic
coupling, co-topic, label co-occurrence, co-authorship) is the off-diagonal
part of ``X @ X.T`` for a binary *items x contexts* incidence matrix ``X``:

=============  =================  ==========================
graph          items (rows)       contexts (columns)
=============  =================  ==========================
co-citation    cited papers       citing papers (``A.T``)
coupling       citing papers      cited papers (``A``)
co-topic       papers             labels
labels         labels             papers
co-author      authors            papers
=============  =================  ==========================

``C[i, j]`` is the number of contexts that items ``i`` and ``j`` share and
``C[i, i] = s_i`` is the number of contexts of item ``i`` (its occurrences).
Products are computed by scipy.sparse in row blocks bounded by their work, and
pruned (``min_count``, ``top_k``) block by block, so peak memory follows the
edges kept rather than every pair (never a Python loop over pairs).

Normalisations of a count ``c = C[i, j]`` (``s_i``, ``s_j`` occurrences, ``N``
the number of non-empty contexts):

* ``raw``: ``c``
* ``cosine`` (Salton's cosine; ``salton`` is accepted too): ``c / sqrt(s_i * s_j)``, in [0, 1]
* ``jaccard``: ``c / (s_i + s_j - c)``, in [0, 1]
* ``inclusion``: ``c / min(s_i, s_j)``, in [0, 1]
* ``association`` (association strength, van Eck & Waltman 2009, the
  VOSviewer default): ``N * c / (s_i * s_j)``. Van Eck & Waltman define it as
  ``c / (s_i * s_j)``; the constant factor ``N`` makes it the ratio of observed
  to expected co-occurrences under independence (1 = chance level, > 1 = more
  than chance). It ranks and clusters exactly as the unscaled form.

Examples
--------
>>> import numpy as np
>>> X, rows, cols = incidence(["a", "a", "b"], ["x", "y", "x"])
>>> C = cooccurrence(X)
>>> C.toarray().tolist()
[[2, 1], [1, 1]]
>>> t = pair_table(X, norm="cosine")
>>> t.i.tolist(), t.j.tolist(), t.count.tolist(), round(float(t.weight[0]), 4)
([0], [1], [1], 0.7071)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp

from ..errors import UsageError
from .names import NORMS

# Scalar multiply-adds per row block (bounds the memory of one block's product). Small blocks are
# faster too: their arrays (a few MB) stay below the allocator's mmap threshold and are reused, where
# blocks of tens of millions of entries pay fresh page faults on every temporary (3-4x the CPU time).
_BLOCK_WORK = 1_000_000


def _ids(values: Iterable) -> pd.Series:
    s = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype="string")
    if not isinstance(s.dtype, pd.StringDtype):
        s = s.astype("string")
    return s.reset_index(drop=True)


def _positions(s: pd.Series, index: pd.Index | None) -> tuple[np.ndarray, pd.Index]:
    """Position of each id of ``s`` in ``index`` (-1 when absent or missing).

    One hashing pass (``pd.factorize``); without ``index``, the index is the
    sorted distinct ids.
    """
    codes, uniq = pd.factorize(s)
    uniq = np.asarray(uniq, dtype=object)
    if index is None:
        order = np.argsort(uniq, kind="stable")
        index = pd.Index(uniq[order], dtype="string")
        rank = np.empty(len(order), dtype=np.int64)
        rank[order] = np.arange(len(order))
    else:
        rank = index.get_indexer(pd.Index(uniq, dtype="string")) if len(uniq) else np.zeros(0, np.int64)
    pos = np.full(len(codes), -1, dtype=np.int64)
    ok = codes >= 0
    pos[ok] = rank[codes[ok]]
    return pos, index


def incidence(
    rows: Sequence | pd.Series,
    cols: Sequence | pd.Series,
    *,
    row_index: pd.Index | None = None,
    col_index: pd.Index | None = None,
) -> tuple[sp.csr_matrix, pd.Index, pd.Index]:
    """Binary incidence matrix of ``(rows[k], cols[k])`` pairs.

    Duplicate pairs collapse to 1; pairs with a missing id are dropped. When
    ``row_index`` (``col_index``) is given, it fixes the rows (columns) and
    pairs whose id is not in it are dropped; otherwise the index is the
    sorted distinct ids of the pairs kept, so the result does not depend on
    the input order.

    Returns
    -------
    (csr_matrix of int32, row index, column index)

    Examples
    --------
    >>> X, rows, cols = incidence(["a", "a", "a", "b"], ["x", "y", "y", "x"])  # (a, y) twice: one 1
    >>> list(rows), list(cols), X.toarray().tolist()
    (['a', 'b'], ['x', 'y'], [[1, 1], [1, 0]])
    """
    r, c = _ids(rows), _ids(cols)
    if len(r) != len(c):
        raise UsageError("incidence: rows and cols differ in length")
    both = r.notna() & c.notna()
    if not both.all():
        r, c = r[both], c[both]
    if row_index is not None and col_index is None:
        ri, row_index = _positions(r, row_index)
        c = c[ri >= 0]
        ri = ri[ri >= 0]
        ci, col_index = _positions(c, None)
    elif col_index is not None and row_index is None:
        ci, col_index = _positions(c, col_index)
        r = r[ci >= 0]
        ci = ci[ci >= 0]
        ri, row_index = _positions(r, None)
    else:
        ri, row_index = _positions(r, row_index)
        ci, col_index = _positions(c, col_index)
        ok = (ri >= 0) & (ci >= 0)
        ri, ci = ri[ok], ci[ok]
    data = np.ones(len(ri), dtype=np.int32)
    X = sp.csr_matrix((data, (ri, ci)), shape=(len(row_index), len(col_index)), dtype=np.int32)
    X.sum_duplicates()
    X.data[:] = 1  # duplicates collapse
    return X, row_index, col_index


def cooccurrence(X: sp.spmatrix) -> sp.csr_matrix:
    """``X @ X.T`` as CSR: co-occurrence counts, occurrences on the diagonal.

    Examples
    --------
    >>> X, _, _ = incidence(["a", "a", "b"], ["x", "y", "x"])
    >>> cooccurrence(X).toarray().tolist()
    [[2, 1], [1, 1]]
    """
    X = sp.csr_matrix(X)
    return (X @ X.T).tocsr()


def occurrences(X: sp.spmatrix) -> np.ndarray:
    """Number of contexts of each item (row sums of the binary ``X``).

    Examples
    --------
    >>> X, _, _ = incidence(["a", "a", "b"], ["x", "y", "x"])
    >>> occurrences(X).tolist()
    [2, 1]
    """
    return np.asarray(X.sum(axis=1)).ravel().astype(np.int64)


def n_contexts(X: sp.spmatrix) -> int:
    """Number of non-empty columns of ``X`` (the ``N`` of association strength).

    Examples
    --------
    >>> X, _, _ = incidence(["a", "a", "b"], ["x", "y", "x"])
    >>> n_contexts(X)
    2
    """
    return int((np.asarray((X != 0).sum(axis=0)).ravel() > 0).sum())


def normalize(
    count: np.ndarray, s_i: np.ndarray, s_j: np.ndarray, norm: str, n: int
) -> np.ndarray:
    """Normalised weights of counts ``count`` between items of occurrences ``s_i``, ``s_j``.

    See the module docstring for the definitions. ``n`` is the number of
    contexts (used by ``association`` only).

    References
    ----------
    .. [1] van Eck, N. J., & Waltman, L. (2009). How to normalize cooccurrence data? An analysis of some
       well-known similarity measures. *Journal of the American Society for Information Science and
       Technology*, 60(8), 1635-1651. https://doi.org/10.1002/asi.21075

    Examples
    --------
    >>> import numpy as np
    >>> c, a, b = np.array([2]), np.array([2]), np.array([3])
    >>> [round(float(normalize(c, a, b, m, 4)[0]), 4) for m in NORMS]
    [2.0, 0.8165, 0.6667, 1.3333, 1.0]
    """
    norm = check_norm(norm)
    # float64 holds these integer sums and products exactly (below 2**53)
    c = np.asarray(count, dtype=np.float64)
    if norm == "raw":
        return c
    si = np.asarray(s_i, dtype=np.float64)
    sj = np.asarray(s_j, dtype=np.float64)
    if norm == "cosine":
        return c / np.sqrt(si * sj)
    if norm == "jaccard":
        return c / (si + sj - c)
    if norm == "inclusion":
        return c / np.minimum(si, sj)
    # association strength scaled to observed / expected
    return (c * n) / (si * sj)


ALIASES = {"salton": "cosine"}


def check_norm(norm: str) -> str:
    """The canonical name of ``norm`` (``salton`` is ``cosine``); :class:`UsageError` if unknown.

    Examples
    --------
    >>> check_norm("salton"), check_norm("association")
    ('cosine', 'association')
    """
    name = ALIASES.get(norm, norm)
    if name not in NORMS:
        raise UsageError(f"unknown norm {norm!r}; choose one of {', '.join(NORMS)} (salton = cosine)")
    return name


@dataclass
class PairTable:
    """Kept pairs ``i < j`` (row positions), their raw ``count`` and normalised ``weight``."""

    i: np.ndarray
    j: np.ndarray
    count: np.ndarray
    weight: np.ndarray
    occurrences: np.ndarray
    n_contexts: int

    def __len__(self) -> int:
        return len(self.i)


def _row_blocks(X: sp.csr_matrix, budget: int) -> list[tuple[int, int]]:
    """Split rows so that each block's product costs about ``budget`` multiply-adds."""
    n = X.shape[0]
    if n == 0:
        return []
    ctx_deg = np.asarray(X.sum(axis=0)).ravel().astype(np.int64)
    work = X.astype(np.int64) @ ctx_deg  # per row: sum of the degrees of its contexts
    cum = np.cumsum(work)
    block_of = cum // max(budget, 1)
    starts = np.flatnonzero(np.r_[True, block_of[1:] != block_of[:-1]])
    ends = np.r_[starts[1:], n]
    return list(zip(starts.tolist(), ends.tolist()))


def _top_k_exact(r: np.ndarray, c: np.ndarray, count: np.ndarray, w: np.ndarray, k: int) -> np.ndarray:
    """Mask of the ``k`` strongest entries of each row, by one full lexicographic sort.

    Ties break by larger raw count, then by smaller column position (the
    index is sorted by id, so: by smaller neighbour id).
    """
    order = np.lexsort((c, -count, -w, r))
    rs = r[order]
    first = np.r_[0, np.flatnonzero(rs[1:] != rs[:-1]) + 1]
    run_start = np.repeat(first, np.diff(np.r_[first, len(rs)]))
    rank = np.arange(len(rs)) - run_start
    mask = np.zeros(len(r), dtype=bool)
    mask[order[rank < k]] = True
    return mask


def _row_runs(r: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start and length of each run of equal values of the grouped array ``r``."""
    starts = np.flatnonzero(np.r_[True, r[1:] != r[:-1]])
    return starts, np.diff(np.r_[starts, len(r)])


#: Chunks per row of the top-k prefilter, as a multiple of k (more chunks: a tighter bound).
_CHUNKS_PER_K = 8


def _top_k_rows(r: np.ndarray, c: np.ndarray, count: np.ndarray, w: np.ndarray, k: int) -> np.ndarray:
    """Same result as :func:`_top_k_exact`, without sorting every entry.

    Rows with at most ``k`` entries keep them all. A longer row is split into
    ``m = min(size, 8k)`` non-empty contiguous chunks; the k-th largest of the
    chunk maxima is a lower bound of the row's k-th largest weight (k distinct
    entries reach it), so entries below it are dropped in one linear pass (no
    sort). The few candidates left (the top k, their ties and some others) go
    through a two-pass sort that finds the exact k-th largest weight, and only
    entries at or above it through the full tie-breaking sort.
    """
    n = len(r)
    mask = np.zeros(n, dtype=bool)
    if n == 0:
        return mask
    if np.any(r[1:] < r[:-1]):  # rows must be grouped
        o = np.argsort(r, kind="stable")
        mask[o] = _top_k_rows(r[o], c[o], count[o], w[o], k)
        return mask
    _, sizes = _row_runs(r)
    big = sizes > k
    in_big = np.repeat(big, sizes)
    mask[~in_big] = True
    if not big.any():
        return mask
    idx = np.flatnonzero(in_big)
    wb = w[idx]
    bsizes = sizes[big]
    bstarts = np.r_[0, np.cumsum(bsizes)[:-1]]
    # 1. linear prefilter: m chunk maxima per row, the k-th largest of them is the bound
    m = _CHUNKS_PER_K * k
    bounds = bstarts[:, None] + (np.arange(m)[None, :] * bsizes[:, None]) // m
    maxima = np.maximum.reduceat(wb, bounds.ravel()).reshape(-1, m)
    # A chunk is empty when the next one starts where it does (rows shorter than m): reduceat then
    # returns the next chunk's first entry, which must not count twice.
    maxima[:, :-1][bounds[:, 1:] == bounds[:, :-1]] = -np.inf
    bound = -np.partition(-maxima, k - 1, axis=1)[:, k - 1]
    keep = wb >= np.repeat(bound, bsizes)
    idx, wb = idx[keep], wb[keep]
    rb = r[idx]
    # 2. exact k-th largest weight of each row among the candidates
    o = np.argsort(-wb)
    o = o[np.argsort(rb[o], kind="stable")]  # by row, weight descending within a row
    cstarts, csizes = _row_runs(rb[o])
    kth = wb[o[cstarts + np.minimum(k, csizes) - 1]]
    cand = idx[wb >= np.repeat(kth, csizes)]
    # 3. tie-breaking sort on the top k and their ties
    mask[cand[_top_k_exact(r[cand], c[cand], count[cand], w[cand], k)]] = True
    return mask


def pair_table(
    X: sp.spmatrix,
    *,
    norm: str = "raw",
    min_count: int = 1,
    top_k: int | None = None,
    block_work: int = _BLOCK_WORK,
    progress=None,
) -> PairTable:
    """Pairs of rows of the binary ``X`` that share contexts, pruned.

    Parameters
    ----------
    X : sparse matrix, items x contexts, binary
    norm : one of :data:`NORMS`
    min_count : int
        Keep pairs sharing at least this many contexts (raw count).
    top_k : int, optional
        Keep, for every item, its ``top_k`` strongest pairs by normalised
        weight (ties: larger count, then smaller neighbour position); a pair
        is kept when either end keeps it (union).
    progress : callable, optional
        ``advance(n)`` called with the number of rows done after each block.

    Returns
    -------
    PairTable with ``i < j``, sorted by ``(i, j)``.

    Examples
    --------
    >>> X, _, _ = incidence(["a", "a", "b", "b", "c"], ["x", "y", "x", "y", "x"])
    >>> t = pair_table(X, norm="jaccard")
    >>> t.i.tolist(), t.j.tolist(), t.count.tolist(), t.weight.round(3).tolist()
    ([0, 0, 1], [1, 2, 2], [2, 1, 1], [1.0, 0.5, 0.5])
    >>> pair_table(X, min_count=2).count.tolist()
    [2]
    """
    norm = check_norm(norm)
    if top_k is not None and top_k < 1:
        raise UsageError(f"top_k must be at least 1 (got {top_k})")
    X = sp.csr_matrix(X, dtype=np.int32)
    s = occurrences(X)
    s_float = s.astype(np.float64)
    n = n_contexts(X)
    XT = X.T.tocsr()
    parts: list[tuple[np.ndarray, ...]] = []
    for start, end in _row_blocks(X, block_work):
        block = (X[start:end] @ XT).tocsr()
        # rows grouped in CSR order; filter on the compact int32 arrays before widening
        r = np.repeat(np.arange(start, end, dtype=np.int64), np.diff(block.indptr))
        c = block.indices
        cnt = block.data
        # Full rows are needed for per-row top-k; otherwise only the upper triangle.
        keep = (c != r) & (cnt >= min_count) if top_k is not None else (c > r) & (cnt >= min_count)
        r, c, cnt = r[keep], c[keep].astype(np.int64), cnt[keep].astype(np.int64)
        w = normalize(cnt, s_float[r], s_float[c], norm, n)
        if top_k is not None:
            m = _top_k_rows(r, c, cnt, w, top_k)
            r, c, cnt, w = r[m], c[m], cnt[m], w[m]
            # canonical orientation; the union is taken after all blocks
            r, c = np.minimum(r, c), np.maximum(r, c)
        parts.append((r, c, cnt, w))
        if progress is not None:
            progress(end - start)
    if parts:
        r, c, cnt, w = (np.concatenate(p) for p in zip(*parts))
    else:
        r = c = cnt = np.zeros(0, dtype=np.int64)
        w = np.zeros(0, dtype=np.float64)
    key = r * max(X.shape[0], 1) + c
    _, first = np.unique(key, return_index=True)  # sorts by (i, j) and drops union duplicates
    return PairTable(r[first], c[first], cnt[first], w[first], s, n)


def to_matrix(t: PairTable, n: int, values: str = "weight") -> sp.csr_matrix:
    """Symmetric ``n x n`` CSR matrix of a :class:`PairTable` (``values``: weight or count).

    Examples
    --------
    >>> X, _, _ = incidence(["a", "a", "b", "b", "c"], ["x", "y", "x", "y", "x"])
    >>> to_matrix(pair_table(X), 3, "count").toarray().tolist()
    [[0, 2, 1], [2, 0, 1], [1, 1, 0]]
    """
    v = getattr(t, values)
    m = sp.coo_matrix((np.r_[v, v], (np.r_[t.i, t.j], np.r_[t.j, t.i])), shape=(n, n))
    return m.tocsr()
