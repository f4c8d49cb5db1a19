"""Semantic Scholar Graph API: client, cache, seed resolution and the ``refresh`` pipeline.

Use :func:`refresh` (CLI: ``medvlm-graph refresh``) to fill the fetched layer
(``data/raw/fetched``) from the API; see :mod:`.fetch` for what is written and
:mod:`.resolve` for the matching rules.

Examples
--------
>>> from medvlm_graph import s2
>>> s2.DEFAULT_API_URL
'https://api.semanticscholar.org/graph/v1'
"""

from __future__ import annotations

from .cache import ResponseCache, request_key
from .client import DEFAULT_API_URL, S2Client, default_api_url
from .fetch import DEFAULT_MAX_CITATIONS, RefreshSummary, refresh
from .parse import papers_from_semanticscholar
from .resolve import TITLE_THRESHOLD, resolve_seeds, title_similarity

__all__ = [
    "DEFAULT_API_URL", "DEFAULT_MAX_CITATIONS", "RefreshSummary", "ResponseCache", "S2Client",
    "TITLE_THRESHOLD", "default_api_url", "papers_from_semanticscholar", "refresh", "request_key",
    "resolve_seeds", "title_similarity",
]
