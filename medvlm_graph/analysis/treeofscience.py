"""Tree of science: roots, trunk and leaves of a field by the SAP algorithm (Zuluaga et al.).

The tree is read from the citation graph of the field: every citation made by a paper in ``scope``
(the field by default), to any paper of the corpus (the roots mostly lie outside the field). As in
the reference implementation (``bibx``'s ``Sap``, by the Tree of Science authors), the graph is
first cleaned: only its largest weakly connected component is kept (ties: the one holding the
smallest paper id), references cited by a single paper and citing nothing are removed, and every
citation inside a cycle (a strongly connected component) is dropped. Then:

* **roots**: papers citing nothing in the graph, the ``roots`` most cited (in the graph) -- the
  classics the field stands on;
* **leaves**: papers nobody in the graph cites, ranked by the number of citation paths from them
  down to the roots; the candidates with at least ``min_leaf_connections`` such paths and at most
  ``max_leaf_age`` years older than the newest candidate are preferred (all uncited papers when no
  candidate passes) -- the recent work that builds on the roots;
* **trunk**: the other papers ranked by ``SAP = leaf_paths * root_sap + root_paths * leaf_sap``,
  where ``root_paths`` counts the paths from the paper down to the roots and ``root_sap`` sums the
  roots' citation counts over those paths, and ``leaf_paths`` and ``leaf_sap`` do the same upwards
  to the leaves (weighted by the leaves' path counts) -- the papers that carry the field from its
  roots to its leaves.

Path counts are exact integers while counting (Python ints, as in the main path analysis) and
reported as floats. Ties rank older papers first for roots and trunk, newer first for leaves, then
by paper id. The branches of the original method (Louvain communities of the tree) are left out.

References
----------
Valencia-Hernández, D. S., Robledo, S., Pinilla, R., Duque-Méndez, N. D., & Olivar-Tost, G. (2020).
SAP algorithm for citation analysis: an improvement to Tree of Science. *Ingeniería e Investigación*,
40(1), 45-49.
Zuluaga, M., Robledo, S., Arbelaez-Echeverri, O., Osorio-Zuluaga, G. A., & Duque-Méndez, N. (2022).
Tree of Science -- ToS: a web-based tool for scientific literature recommendation. Search less,
research more! *Issues in Science and Technology Librarianship*, 100.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from ._citing import CitationData
from ._frames import require, skipped
from .runs import NO_CITATIONS
from .mainpath import _by_level, _Flow, _levels
from .scope import DEFAULT_SCOPE, check_scope

TREE_COLUMNS = ["part", "rank", "paper_id", "title", "year", "in_field", "times_cited", "references",
                "root_paths", "leaf_paths", "sap"]
PARTS = ("root", "trunk", "leaf")
_NO_YEAR = 10**6


def _clean(u: np.ndarray, v: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Edges ``u -> v`` (citing -> cited) of the cleaned graph and the mask of the nodes kept."""
    A = sp.csr_array((np.ones(len(u)), (u, v)), shape=(n, n))
    _, comp = connected_components(A, directed=True, connection="weak")
    sizes = np.bincount(comp)
    first = np.full(len(sizes), n)
    np.minimum.at(first, comp, np.arange(n))  # ids are sorted: the smallest id of each component
    giant = np.lexsort((first, -sizes))[0]
    node = comp == giant
    keep = node[u]
    u, v = u[keep], v[keep]
    indeg = np.bincount(v, minlength=n)
    outdeg = np.bincount(u, minlength=n)
    node &= ~((indeg == 1) & (outdeg == 0))  # a reference cited once and citing nothing
    keep = node[u] & node[v]
    u, v = u[keep], v[keep]
    _, scc = connected_components(sp.csr_array((np.ones(len(u)), (u, v)), shape=(n, n)), directed=True,
                                  connection="strong")
    keep = scc[u] != scc[v]  # every citation inside a cycle goes
    return u[keep], v[keep], node


def _accumulate(F: _Flow, init: np.ndarray, *, upward: bool) -> np.ndarray:
    """Sum ``init`` along the flow: from the cited to the citing papers (``upward=False``: a paper gets
    the sum over its references) or back (``upward=True``: the sum over its citers). ``init`` may have
    several columns, summed alike in one pass over the levels."""
    out = init.copy()
    at, other = (F.u, F.v) if upward else (F.v, F.u)
    groups = list(_by_level(F, at, F.level))
    for _, e, starts in (reversed(groups) if upward else groups):
        out[at[e[starts]]] = np.add.reduceat(out[other[e]], starts)
    return out


def _rank(df: pd.DataFrame, score: str, *, newest_first: bool = False) -> pd.DataFrame:
    year = df["year"].fillna(-_NO_YEAR if newest_first else _NO_YEAR)
    key = df.assign(_s=df[score].map(float), _y=-year if newest_first else year)
    return df.loc[key.sort_values(["_s", "_y", "paper_id"], ascending=[False, True, True]).index]


def compute_tree_of_science(papers: pd.DataFrame, citations: pd.DataFrame | None, *, scope: str = DEFAULT_SCOPE,
                            roots: int = 20, trunk: int = 20, leaves: int = 50, min_leaf_connections: int = 3,
                            max_leaf_age: int = 7) -> pd.DataFrame:
    """Roots, trunk and leaves of the field's citation graph (SAP algorithm).

    Parameters
    ----------
    papers : DataFrame
        ``paper_id, year`` (``title``, ``in_field``, ``is_seed`` when present).
    citations : DataFrame
        ``citing_id, cited_id``; the citations made by papers in ``scope`` form the graph.
    scope : {"field", "seeds", "all"}
        Whose citations are read.
    roots, trunk, leaves : int
        Papers kept in each part (the defaults of the reference implementation).
    min_leaf_connections, max_leaf_age : int
        Leaf preferences (module docstring).

    Returns
    -------
    DataFrame
        ``part`` (root, trunk, leaf), ``rank`` (1 = first in its part), ``paper_id, title, year,
        in_field`` (boolean, missing for papers outside the papers table), ``times_cited`` and
        ``references`` (in the cleaned graph), ``root_paths``, ``leaf_paths``, ``sap`` (floats), roots
        first. Empty with ``attrs["skipped"]`` without citations. ``attrs["note"]`` gives the size of
        the cleaned graph.

    References
    ----------
    Valencia-Hernández et al. (2020), *Ingeniería e Investigación* 40(1); Zuluaga et al. (2022),
    *Issues in Science and Technology Librarianship* 100.

    Examples
    --------
    ``r`` is cited by ``t1`` and ``t2``, which ``l1`` and ``l2`` cite:

    >>> import pandas as pd
    >>> p = pd.DataFrame({"paper_id": ["r", "t1", "t2", "l1", "l2"], "year": [2000, 2010, 2011, 2020, 2021]})
    >>> c = pd.DataFrame({"citing_id": ["t1", "t2", "l1", "l1", "l2", "l2"],
    ...                   "cited_id": ["r", "r", "t1", "t2", "t1", "t2"]})
    >>> t = compute_tree_of_science(p, c, scope="all", min_leaf_connections=1)
    >>> t[["part", "rank", "paper_id", "root_paths", "sap"]].values.tolist()
    [['root', 1, 'r', 1.0, 16.0], ['trunk', 1, 't1', 1.0, 8.0], ['trunk', 2, 't2', 1.0, 8.0], \
['leaf', 1, 'l2', 2.0, 8.0], ['leaf', 2, 'l1', 2.0, 8.0]]
    """
    require(papers, ["paper_id", "year"], "papers")
    check_scope(scope)
    if citations is None or len(citations) == 0:
        return skipped(TREE_COLUMNS, NO_CITATIONS)
    return _tree_of_science_of(CitationData(papers, citations), scope=scope, roots=roots, trunk=trunk, leaves=leaves,
                               min_leaf_connections=min_leaf_connections, max_leaf_age=max_leaf_age)


def _tree_of_science_of(data: CitationData, *, scope: str = DEFAULT_SCOPE, roots: int = 20, trunk: int = 20,
                        leaves: int = 50, min_leaf_connections: int = 3, max_leaf_age: int = 7) -> pd.DataFrame:
    """:func:`compute_tree_of_science` of a corpus already coded (:class:`._citing.CitationData`)."""
    require(data.papers, ["paper_id", "year"], "papers")
    check_scope(scope)
    if data.A is None:
        return skipped(TREE_COLUMNS, NO_CITATIONS)
    citing, cited = data.edges
    made = data.in_scope(scope)[citing]
    citing, cited = citing[made], cited[made]
    if len(citing) == 0:
        return skipped(TREE_COLUMNS, "no paper in scope cites a paper of the corpus")
    in_graph = np.zeros(data.n, dtype=bool)
    in_graph[citing] = in_graph[cited] = True
    at = np.flatnonzero(in_graph)  # the graph's papers by id (the positions are in id order)
    n = len(at)
    local = np.cumsum(in_graph) - 1  # position in ``at``
    u, v, node = _clean(local[citing], local[cited], n)
    if len(u) == 0:
        return skipped(TREE_COLUMNS, "the cleaned citation graph has no edge")
    indeg = np.bincount(v, minlength=n)
    outdeg = np.bincount(u, minlength=n)
    base = pd.DataFrame({"pos": np.arange(n), "paper_id": data.index[at].astype(str).to_numpy(dtype=object),
                         "year": data.year[at], "times_cited": indeg, "references": outdeg})
    base = base[node]
    # flow orientation (cited -> citing), as in the main path analysis: sources cite nothing
    F = _Flow(nodes=list(range(n)), key={}, rank=np.arange(n), u=v, v=u, dropped=0)
    F.level = _levels(F)
    cand = base[(base["references"] == 0) & (base["times_cited"] > 0)]
    root_pos = _rank(cand, "times_cited")["pos"].to_numpy()[: max(int(roots), 0)]
    if len(root_pos) == 0:
        return skipped(TREE_COLUMNS, "the cleaned citation graph has no root")
    at_roots = np.zeros((n, 2), dtype=object)  # 1, and the citations, at each root
    at_roots[root_pos, 0] = 1
    at_roots[root_pos, 1] = [int(indeg[i]) for i in root_pos]
    root_paths, root_sap = _accumulate(F, at_roots, upward=False).T
    base["root_paths"] = root_paths[base["pos"]]
    uncited = base[base["times_cited"] == 0]
    pref = uncited[(uncited["root_paths"] >= min_leaf_connections) & uncited["year"].notna()]
    if len(pref):
        pref = pref[pref["year"] >= pref["year"].max() - max_leaf_age]
    leaf_rows = _rank(pref if len(pref) else uncited, "root_paths", newest_first=True)
    leaf_rows = leaf_rows[leaf_rows["root_paths"].map(int) > 0].head(max(int(leaves), 0))
    leaf_pos = leaf_rows["pos"].to_numpy()
    at_leaves = np.zeros((n, 2), dtype=object)  # 1, and the paths down to the roots, at each leaf
    at_leaves[leaf_pos, 0] = 1
    at_leaves[leaf_pos, 1] = root_paths[leaf_pos]
    leaf_paths, leaf_sap = _accumulate(F, at_leaves, upward=True).T
    sap = leaf_paths * root_sap + root_paths * leaf_sap
    base["leaf_paths"], base["sap"] = leaf_paths[base["pos"]], sap[base["pos"]]
    taken = set(root_pos.tolist()) | set(leaf_pos.tolist())
    rest = base[~base["pos"].isin(taken) & (base["sap"].map(int) > 0)]
    trunk_pos = _rank(rest, "sap")["pos"].to_numpy()[: max(int(trunk), 0)]
    by_pos = base.set_index("pos")
    parts = [by_pos.loc[pos].reset_index().assign(part=part, rank=np.arange(1, len(pos) + 1))
             for part, pos in (("root", root_pos), ("trunk", trunk_pos), ("leaf", leaf_pos))]
    out = pd.concat(parts, ignore_index=True)
    papers = data.papers
    in_field = {}
    if "in_field" in papers.columns:  # of the last row of each id shown
        shown = papers[papers["paper_id"].astype("string").isin(out["paper_id"].tolist()).fillna(False)]
        in_field = dict(zip(shown["paper_id"].astype(str), shown["in_field"]))
    out["title"] = data.titles[at[out["pos"].to_numpy(dtype=np.int64)]]
    out["in_field"] = pd.array([in_field.get(p) if p in in_field else None for p in out["paper_id"]],
                               dtype="boolean")
    out["year"] = pd.array(out["year"], dtype="Int64")
    for col in ("root_paths", "leaf_paths", "sap"):
        out[col] = out[col].map(float)
    out = out[TREE_COLUMNS].reset_index(drop=True)
    out.attrs["note"] = f"cleaned citation graph: {int(node.sum())} papers, {len(u)} citations"
    return out
