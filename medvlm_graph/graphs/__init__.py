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

The names the functions accept (:data:`GRAPHS`, :data:`NORMS`, :data:`FORMATS`)
live in :mod:`medvlm_graph.graphs.names`, which imports nothing; the other
names of this package are imported on first use (PEP 562), so that naming a
graph does not load networkx and scipy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import lazy_names
from .names import FORMATS, GRAPHS, NORMS

#: Public name -> the submodule defining it, imported when the name is first asked for.
_LAZY = {
    "to_adjacency": "adjacency",
    "build_graph": "by_name",
    "build_citation_graph": "citation",
    "citation_adjacency": "citation",
    "build_coauthor_graph": "coauthor",
    "build_cocitation_graph": "cooccurrence",
    "build_coupling_graph": "cooccurrence",
    "cocitation_adjacency": "cooccurrence",
    "cocitation_matrix": "cooccurrence",
    "coupling_adjacency": "cooccurrence",
    "coupling_matrix": "cooccurrence",
    "build_cotopic_graph": "cotopic",
    "build_label_graph": "cotopic",
    "export_graph": "export",
    "export_graphs": "export",
    "vosviewer_json": "export",
    "build_lineage_graph": "lineage",
    "largest_component": "subgraphs",
    "top_k_subgraph": "subgraphs",
}

if TYPE_CHECKING:  # what the names are, for type checkers and readers
    from .adjacency import to_adjacency
    from .by_name import build_graph
    from .citation import build_citation_graph, citation_adjacency
    from .coauthor import build_coauthor_graph
    from .cooccurrence import (build_cocitation_graph, build_coupling_graph, cocitation_adjacency,
                               cocitation_matrix, coupling_adjacency, coupling_matrix)
    from .cotopic import build_cotopic_graph, build_label_graph
    from .export import export_graph, export_graphs, vosviewer_json
    from .lineage import build_lineage_graph
    from .subgraphs import largest_component, top_k_subgraph


__getattr__, __dir__ = lazy_names(__name__, _LAZY)


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
