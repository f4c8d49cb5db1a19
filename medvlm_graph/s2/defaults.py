"""Defaults and limits of the Semantic Scholar APIs, in a module that imports nothing.

The command line names them in its options without loading requests and
pandas (``medvlm_graph.s2`` resolves its other names lazily).

Examples
--------
>>> from medvlm_graph.s2.defaults import DEFAULT_LIMIT, MAX_LIMIT
>>> DEFAULT_LIMIT <= MAX_LIMIT
True
"""

from __future__ import annotations

#: Graph API base URL used when neither ``--api-url`` nor :data:`ENV_API_URL` gives one.
DEFAULT_API_URL = "https://api.semanticscholar.org/graph/v1"
ENV_API_URL = "S2_API_URL"
#: Citations fetched per paper by :func:`medvlm_graph.s2.refresh`.
DEFAULT_MAX_CITATIONS = 1000
#: Papers asked per Recommendations API request, by default and at most.
DEFAULT_LIMIT = 100
MAX_LIMIT = 500

__all__ = ["DEFAULT_API_URL", "DEFAULT_LIMIT", "DEFAULT_MAX_CITATIONS", "ENV_API_URL", "MAX_LIMIT"]
