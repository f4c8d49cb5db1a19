"""Which papers a field-level analysis looks at: ``field`` (default), ``seeds`` or ``all``.

A refresh brings the neighbourhood of the seeds, and most of it lies outside the field (citers of
general models, classic references, vision-only work). Field-level analyses (trends, bursts, gaps,
clusters, thematic map, adoption, indicators) therefore read the papers with ``in_field`` true
(:mod:`medvlm_graph.relevance`) unless asked otherwise. This module is the one place that
validates a scope and applies it.

Examples
--------
>>> import pandas as pd
>>> papers = pd.DataFrame({"paper_id": ["a", "b", "c"], "is_seed": [True, False, False],
...                        "in_field": [True, True, False]})
>>> list(apply_scope(papers, scope="field")["paper_id"]), list(apply_scope(papers, scope="seeds")["paper_id"])
(['a', 'b'], ['a'])
"""

from __future__ import annotations

import pandas as pd

from ..errors import UsageError

SCOPES = ("field", "seeds", "all")
DEFAULT_SCOPE = "field"


def check_scope(scope: str) -> str:
    """Return ``scope`` when it is one of :data:`SCOPES`, else raise :class:`UsageError`.

    Examples
    --------
    >>> check_scope("seeds")
    'seeds'
    >>> check_scope("everything")
    Traceback (most recent call last):
    ...
    medvlm_graph.errors.UsageError: unknown scope 'everything'; use one of: field, seeds, all
    """
    if scope not in SCOPES:
        raise UsageError(f"unknown scope {scope!r}; use one of: {', '.join(SCOPES)}")
    return scope


def scope_mask(papers: pd.DataFrame, scope: str = DEFAULT_SCOPE) -> pd.Series:
    """Boolean mask over ``papers`` of the rows in ``scope``.

    ``field`` keeps papers whose ``in_field`` is true or not assessed (null, or no such column: a
    table built before relevance existed, or made by hand); ``seeds`` keeps ``is_seed`` papers;
    ``all`` keeps everything.

    Examples
    --------
    >>> import pandas as pd
    >>> papers = pd.DataFrame({"paper_id": ["a", "b", "c"], "is_seed": [True, False, False],
    ...                        "in_field": [True, None, False]})
    >>> scope_mask(papers).tolist(), scope_mask(papers, "seeds").tolist()  # in_field unknown counts as in
    ([True, True, False], [True, False, False])
    """
    check_scope(scope)
    if scope == "all" or papers.empty:
        return pd.Series(True, index=papers.index)
    if scope == "field":
        if "in_field" not in papers.columns:
            return pd.Series(True, index=papers.index)
        return papers["in_field"].fillna(True).astype(bool)
    if "is_seed" not in papers.columns:
        return pd.Series(False, index=papers.index)
    return papers["is_seed"].fillna(False).astype(bool)


def apply_scope(papers: pd.DataFrame, labels: pd.DataFrame | None = None, *,
                scope: str = DEFAULT_SCOPE):
    """``papers`` (and ``labels``, when given) restricted to ``scope``.

    Returns the papers frame alone, or ``(papers, labels)`` when ``labels`` is given.

    Examples
    --------
    >>> import pandas as pd
    >>> papers = pd.DataFrame({"paper_id": ["a", "b", "c"], "is_seed": [True, False, False],
    ...                        "in_field": [True, None, False]})
    >>> labels = pd.DataFrame({"paper_id": ["a", "c"], "dimension": "task", "label": ["vqa", "vqa"]})
    >>> p, lab = apply_scope(papers, labels)
    >>> p["paper_id"].tolist(), lab["paper_id"].tolist()
    (['a', 'b'], ['a'])
    """
    p = papers[scope_mask(papers, scope)]
    if labels is None:
        return p
    return p, labels[labels["paper_id"].isin(set(p["paper_id"]))]
