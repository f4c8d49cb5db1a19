"""Graph builders (tables -> sparse matrices or networkx graphs) and exports.

Every builder takes tables of :mod:`medvlm_graph.tables` and returns a networkx
graph whose node ids are ``paper_id`` strings (or author ids, or
``"dimension:label"`` / ``"model:<id>"``). Attribute values are never ``None``:
unknown strings are ``""``, unknown ints ``-1``, unknown floats ``-1.0``,
unknown booleans ``False``. Pair counting is done with scipy.sparse products
(:mod:`medvlm_graph.graphs.matrix`).

=================  ==========================================  ============
name               builder                                     type
=================  ==========================================  ============
``citation``       :func:`build_citation_graph`                DiGraph
``cocitation``     :func:`build_cocitation_graph`              Graph
``coupling``       :func:`build_coupling_graph`                Graph
``cotopic``        :func:`build_cotopic_graph`                 Graph
``labels``         :func:`build_label_graph`                   Graph
``lineage``        :func:`build_lineage_graph`                 DiGraph
``coauthor``       :func:`build_coauthor_graph`                Graph
=================  ==========================================  ============

:func:`build_graph` builds any of them by name from a set of tables (what
``Corpus.graph(name, **kw)`` needs).

Analyses need no networkx object: the paper graphs also come as a scipy.sparse
matrix and the paper id of each row/column, with the same nodes and edges
(and weights) as the networkx builder given the same keywords:

=================  ==========================================  =====================================
name               matrix builder                              matrix
=================  ==========================================  =====================================
``citation``       :func:`citation_adjacency`                  ``A[i, j] = 1``: ``i`` cites ``j``
``cocitation``     :func:`cocitation_adjacency`                symmetric, edge ``weight`` or ``count``
``coupling``       :func:`coupling_adjacency`                  symmetric, edge ``weight`` or ``count``
=================  ==========================================  =====================================

:func:`to_adjacency` turns any networkx graph into the same form.
"""

from __future__ import annotations

import networkx as nx
import pandas as pd

from ..errors import UsageError
from .adjacency import to_adjacency
from .citation import build_citation_graph, citation_adjacency
from .coauthor import build_coauthor_graph
from .cooccurrence import (
    build_cocitation_graph,
    build_coupling_graph,
    cocitation_adjacency,
    cocitation_matrix,
    coupling_adjacency,
    coupling_matrix,
)
from .cotopic import build_cotopic_graph, build_label_graph
from .export import FORMATS, export_graph, export_graphs, vosviewer_json
from .lineage import build_lineage_graph
from .matrix import NORMS
from .subgraphs import largest_component, top_k_subgraph

GRAPHS = ("citation", "cocitation", "coupling", "cotopic", "labels", "lineage", "coauthor")


def build_graph(
    name: str,
    *,
    papers: pd.DataFrame | None = None,
    citations: pd.DataFrame | None = None,
    labels: pd.DataFrame | None = None,
    authorships: pd.DataFrame | None = None,
    **kw,
) -> nx.Graph:
    """Build graph ``name`` (one of :data:`GRAPHS`) from the tables it needs.

    Keyword arguments beyond the tables go to the builder (e.g. ``norm``,
    ``top_k``, ``min_weight`` for co-citation and coupling). Co-citation and
    coupling are restricted to ``papers`` and carry the papers' labels.

    Examples
    --------
    >>> import pandas as pd
    >>> c = pd.DataFrame({"citing_id": ["x", "x"], "cited_id": ["a", "b"]})
    >>> build_graph("cocitation", citations=c, norm="jaccard").edges["a", "b"]["weight"]
    1.0
    """
    if name == "citation":
        return build_citation_graph(papers, citations, labels, **kw)
    if name in ("cocitation", "coupling"):
        builder = build_cocitation_graph if name == "cocitation" else build_coupling_graph
        return builder(citations, papers=papers, labels=labels, **kw)
    if name == "cotopic":
        return build_cotopic_graph(labels, papers=papers, **kw)
    if name == "labels":
        return build_label_graph(labels, **kw)
    if name == "lineage":
        return build_lineage_graph(labels, papers, **kw)
    if name == "coauthor":
        return build_coauthor_graph(authorships, **kw)
    raise UsageError(f"unknown graph {name!r}; choose one of {', '.join(GRAPHS)}")


__all__ = [
    "FORMATS",
    "GRAPHS",
    "NORMS",
    "build_citation_graph",
    "build_coauthor_graph",
    "build_cocitation_graph",
    "build_coupling_graph",
    "build_cotopic_graph",
    "build_graph",
    "build_label_graph",
    "build_lineage_graph",
    "citation_adjacency",
    "cocitation_adjacency",
    "cocitation_matrix",
    "coupling_adjacency",
    "coupling_matrix",
    "export_graph",
    "export_graphs",
    "largest_component",
    "to_adjacency",
    "top_k_subgraph",
    "vosviewer_json",
]
