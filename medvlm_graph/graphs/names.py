"""Names the graph functions accept: graphs, edge-weight normalisations, export formats.

A module of constants that imports nothing, so that the command line can name
them in its help without loading networkx and scipy (``medvlm_graph.graphs``
resolves its other names lazily).

Examples
--------
>>> from medvlm_graph.graphs.names import GRAPHS, SUFFIXES
>>> GRAPHS[0], SUFFIXES["vosviewer"]
('citation', '.json')
"""

from __future__ import annotations

#: Graphs :func:`medvlm_graph.graphs.build_graph` builds by name.
GRAPHS = ("citation", "cocitation", "coupling", "cotopic", "labels", "lineage", "coauthor")
#: Pair weights of :func:`medvlm_graph.graphs.matrix.normalize` (``raw`` = the count).
NORMS = ("raw", "cosine", "jaccard", "association", "inclusion")
#: Formats of :func:`medvlm_graph.graphs.export.export_graph`, and the file suffix of each.
FORMATS = ("graphml", "gexf", "csv", "vosviewer")
SUFFIXES = {"graphml": ".graphml", "gexf": ".gexf", "csv": ".csv", "vosviewer": ".json"}

__all__ = ["FORMATS", "GRAPHS", "NORMS", "SUFFIXES"]
