"""Build any graph of :data:`~medvlm_graph.graphs.names.GRAPHS` by name from a set of tables."""

from __future__ import annotations

import networkx as nx
import pandas as pd

from ..errors import UsageError
from .citation import build_citation_graph
from .coauthor import build_coauthor_graph
from .cooccurrence import build_cocitation_graph, build_coupling_graph
from .cotopic import build_cotopic_graph, build_label_graph
from .lineage import build_lineage_graph
from .names import GRAPHS


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


__all__ = ["build_graph"]
