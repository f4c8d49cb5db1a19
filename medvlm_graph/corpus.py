"""``Corpus``: the built tables, the taxonomy and the graphs, for notebooks.

:class:`Corpus` is defined in :mod:`medvlm_graph.build` with the stage that makes it (the two need
each other); this module is the name notebooks import it by.

Examples
--------
In a notebook::

    from medvlm_graph.corpus import Corpus
    corpus = Corpus.load("data")          # runs `build` first when the tables are missing
    corpus                                # summary (counts, citation layer, build time)
    corpus.papers.head()
    corpus.labels_wide()                  # one row per paper, a ;-joined column per dimension
    G = corpus.graph("cotopic")           # citation, cocitation, coupling, cotopic, labels, lineage, coauthor
    G = corpus.graph("cocitation", norm="salton", top_k=10)
"""

from __future__ import annotations

from .build import GRAPH_NAMES, TABLE_NAMES, Corpus, no_s2_data, stale_reason

__all__ = ["Corpus", "GRAPH_NAMES", "TABLE_NAMES", "no_s2_data", "stale_reason"]
