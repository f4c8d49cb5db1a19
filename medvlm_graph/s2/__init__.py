"""Semantic Scholar APIs: client, cache, seed resolution, recommendations and the ``refresh`` pipeline.

Use :func:`refresh` (CLI: ``medvlm-graph refresh``) to fill the fetched layer
(``data/raw/fetched``) from the API; see :mod:`.fetch` for what is written,
:mod:`.resolve` for the matching rules, :mod:`.recommend` for the
Recommendations API and :mod:`.client` / :mod:`.transport` for how requests
are sent, retried and checked. The defaults (:mod:`.defaults`) import
nothing; the other names are imported on first use (PEP 562), so that the
command line can show the defaults without loading requests and pandas.

Examples
--------
>>> from medvlm_graph import s2
>>> s2.DEFAULT_API_URL
'https://api.semanticscholar.org/graph/v1'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import lazy_names
from .defaults import DEFAULT_API_URL, DEFAULT_MAX_CITATIONS

#: Public name -> the submodule defining it, imported when the name is first asked for.
_LAZY = {
    "ResponseCache": "cache",
    "request_key": "cache",
    "S2Client": "client",
    "api_base_url": "client",
    "default_api_url": "client",
    "recommendations_url": "client",
    "RefreshSummary": "fetch",
    "refresh": "fetch",
    "papers_from_semanticscholar": "parse",
    "positive_groups": "recommend",
    "recommend_papers": "recommend",
    "TITLE_THRESHOLD": "resolve",
    "resolve_seeds": "resolve",
    "title_similarity": "resolve",
}

if TYPE_CHECKING:  # what the names are, for type checkers and readers
    from .cache import ResponseCache, request_key
    from .client import S2Client, api_base_url, default_api_url, recommendations_url
    from .fetch import RefreshSummary, refresh
    from .parse import papers_from_semanticscholar
    from .recommend import positive_groups, recommend_papers
    from .resolve import TITLE_THRESHOLD, resolve_seeds, title_similarity


__getattr__, __dir__ = lazy_names(__name__, _LAZY)


__all__ = [
    "DEFAULT_API_URL", "DEFAULT_MAX_CITATIONS", "RefreshSummary", "ResponseCache", "S2Client",
    "TITLE_THRESHOLD", "api_base_url", "default_api_url", "papers_from_semanticscholar", "positive_groups",
    "recommend_papers", "recommendations_url", "refresh", "request_key", "resolve_seeds", "title_similarity",
]
