"""Co-authorship graph (authors x papers incidence, sparse product)."""

from __future__ import annotations

import networkx as nx
import pandas as pd

from ._common import conform
from ._pairs import pair_graph, pairs
from .matrix import incidence


def build_coauthor_graph(authorships: pd.DataFrame, *, min_weight: int = 1) -> nx.Graph:
    """Authors linked by the number of papers they wrote together.

    Parameters
    ----------
    authorships : DataFrame (authorships table)
        Rows without an ``author_id`` are dropped (names alone would merge
        namesakes) and counted in ``G.graph["dropped_authorships"]``.
    min_weight : keep pairs with at least this many joint papers

    Returns
    -------
    networkx.Graph
        Nodes: author ids with ``name`` (str, the most frequent spelling, ties
        to the alphabetically first) and ``n_papers`` (int). Edges: ``weight``
        (int, joint papers).

    Examples
    --------
    >>> import pandas as pd
    >>> a = pd.DataFrame({"paper_id": ["p", "p", "q", "q"], "author_id": ["1", "2", "1", "2"],
    ...                   "author_name": ["Ann", "Bo", "Ann", "Bo"]})
    >>> G = build_coauthor_graph(a)
    >>> G.edges["1", "2"], G.nodes["1"]
    ({'weight': 2}, {'name': 'Ann', 'n_papers': 2})
    """
    a = conform(authorships, "authorships", ("paper_id", "author_id"))
    a = a.dropna(subset=["paper_id"])
    missing = a["author_id"].isna()
    dropped = int(missing.sum())
    a = a[~missing]
    X, index, _ = incidence(a["author_id"], a["paper_id"])
    t = pairs(X, "co-author", norm="raw", min_count=max(int(min_weight), 1))
    names = (
        a.assign(author_name=a["author_name"].fillna(""))
        .groupby(["author_id", "author_name"]).size().rename("n").reset_index()
        .sort_values(["author_id", "n", "author_name"], ascending=[True, False, True])
        .drop_duplicates("author_id")
    )
    attrs = {str(k): {"name": str(v)} for k, v in zip(names["author_id"], names["author_name"])}
    return pair_graph(t, index, kind="coauthor", node_attrs=attrs, defaults={"name": ""},
                      occurrence_attr="n_papers", weight="count",
                      graph_attrs={"dropped_authorships": dropped, "min_weight": int(min_weight)})
