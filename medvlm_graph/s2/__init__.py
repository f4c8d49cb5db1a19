"""Semantic Scholar APIs: client, cache, seed resolution, recommendations and the ``refresh`` pipeline.

Use :func:`refresh` (CLI: ``medvlm-graph refresh``) to fill the fetched layer
(``data/raw/fetched``) from the API; see :mod:`.fetch` for what is written,
:mod:`.resolve` for the matching rules, :mod:`.recommend` for the
Recommendations API and :mod:`.client` / :mod:`.transport` for how requests
are sent, retried and checked.

Examples
--------
>>> from medvlm_graph import s2
>>> s2.DEFAULT_API_URL
'https://api.semanticscholar.org/graph/v1'
"""

from __future__ import annotations

from .cache import ResponseCache, request_key
from .client import DEFAULT_API_URL, S2Client, api_base_url, default_api_url, recommendations_url
from .fetch import DEFAULT_MAX_CITATIONS, RefreshSummary, refresh
from .parse import papers_from_semanticscholar
from .recommend import positive_groups, recommend_papers
from .resolve import TITLE_THRESHOLD, resolve_seeds, title_similarity

__all__ = [
    "DEFAULT_API_URL", "DEFAULT_MAX_CITATIONS", "RefreshSummary", "ResponseCache", "S2Client",
    "TITLE_THRESHOLD", "api_base_url", "default_api_url", "papers_from_semanticscholar", "positive_groups",
    "recommend_papers", "recommendations_url", "refresh", "request_key", "resolve_seeds", "title_similarity",
]
