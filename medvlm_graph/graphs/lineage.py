"""Model lineage: paper -> foundation model it builds on."""

from __future__ import annotations

import networkx as nx
import pandas as pd

from ._common import clean_labels, column, conform, paper_defaults, paper_node_attrs

MODEL_PREFIX = "model:"


def build_lineage_graph(labels: pd.DataFrame, papers: pd.DataFrame) -> nx.DiGraph:
    """Bipartite directed graph from papers to the foundation models they build on.

    Parameters
    ----------
    labels : DataFrame (labels table); rows of dimension ``model`` are used
    papers : DataFrame (papers table); labelled papers absent from it are
        dropped and counted in ``G.graph["dropped_labels"]``

    Returns
    -------
    networkx.DiGraph
        Paper nodes (``kind="paper"``, the citation graph's paper attributes);
        model nodes ``"model:<id>"`` (``kind="model"``, ``model`` id, ``title``
        = the id, ``count`` = number of papers building on it). Edges paper ->
        model with ``source`` (str, ";"-joined when several sources agree) and
        ``score`` (float, the highest). Only papers with a model label appear.

    Examples
    --------
    >>> import pandas as pd
    >>> lab = pd.DataFrame({"paper_id": ["a"], "dimension": ["model"], "label": ["clip"],
    ...                     "source": ["rules"], "score": [0.9]})
    >>> G = build_lineage_graph(lab, pd.DataFrame({"paper_id": ["a"], "title": ["MediCLIP"]}))
    >>> list(G.edges(data=True))
    [('a', 'model:clip', {'source': 'rules', 'score': 0.9})]
    """
    papers = conform(papers, "papers", ("paper_id",))
    lab = clean_labels(labels, ["model"])
    pa = paper_node_attrs(papers)
    known = lab["paper_id"].isin(pd.Index(list(pa), dtype="string"))
    G = nx.DiGraph(kind="lineage", dropped_labels=int((~known).sum()))
    lab = lab[known].sort_values(["paper_id", "label"])
    pids = column(lab, "paper_id", "str")
    models = column(lab, "label", "str")
    defaults = paper_defaults()
    for pid in dict.fromkeys(pids):
        G.add_node(pid, kind="paper", **{**defaults, **pa[pid]})
    counts = lab["label"].value_counts()
    for m in sorted(set(models)):
        G.add_node(MODEL_PREFIX + m, kind="model", model=m, title=m, count=int(counts[m]))
    G.add_edges_from(
        (pid, MODEL_PREFIX + m, {"source": src, "score": sc})
        for pid, m, src, sc in zip(pids, models, column(lab, "source", "str"), column(lab, "score", "float"))
    )
    return G
