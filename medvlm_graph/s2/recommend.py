"""Recent related papers from the Semantic Scholar Recommendations API.

A paper from last month has no citers yet, so the citation graph cannot see it;
the Recommendations API can. ``refresh --recommend`` asks it once per task of
the seed list: the task's seeds resolved to S2 papers are the positive examples
(``POST /recommendations/v1/papers/``, body ``{"positivePaperIds": [...],
"negativePaperIds": null}``, query ``fields`` and ``limit``, at most
:data:`MAX_LIMIT`; the answer is ``{"recommendedPapers": [...]}``). A list
whose seeds have no task at all is asked once, with every resolved seed.

The requests go through the same :class:`~medvlm_graph.s2.client.S2Client` as
every other (session, key, cache, retries, rate limit); the Recommendations API
lives on the Graph API's host (:func:`~medvlm_graph.s2.client.recommendations_url`).

Examples
--------
>>> import pandas as pd
>>> seeds = pd.DataFrame({"seed_id": ["a", "b", "c", "d"], "task": ["vqa", "vqa", None, "segmentation"]})
>>> positive_groups(seeds, {"a": "P1", "b": "P2", "c": "P3"})
{'vqa': ['P1', 'P2']}
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd

from ..errors import InputError
from .client import RECOMMENDATIONS_PATH, S2Client
from .defaults import DEFAULT_LIMIT, MAX_LIMIT

#: The endpoint, as the API is called (with its trailing slash).
PAPERS_PATH = RECOMMENDATIONS_PATH + "/papers/"


def check_limit(limit: int) -> int:
    """``limit`` if it is one the API accepts (1..500), else :class:`InputError`."""
    if not isinstance(limit, int) or isinstance(limit, bool) or not 1 <= limit <= MAX_LIMIT:
        raise InputError(f"recommend_limit must be between 1 and {MAX_LIMIT}, not {limit!r}")
    return limit


def positive_groups(seeds: pd.DataFrame, paper_of: Mapping[str, str]) -> dict[str | None, list[str]]:
    """Positive examples per task: ``{task: [paper ids in seed order]}``.

    ``paper_of`` maps seed ids to resolved S2 paper ids. Seeds without a task or
    not resolved are left out; when no resolved seed has a task, every resolved
    seed goes into one group under ``None``.
    """
    groups: dict[str | None, list[str]] = {}
    everyone: list[str] = []
    tasks = seeds["task"] if "task" in seeds.columns else pd.Series([None] * len(seeds), index=seeds.index)
    for sid, task in zip(seeds["seed_id"].astype(str), tasks):
        pid = paper_of.get(sid)
        if not pid:
            continue
        if pid not in everyone:
            everyone.append(pid)
        if isinstance(task, str) and task.strip():
            group = groups.setdefault(task.strip(), [])
            if pid not in group:
                group.append(pid)
    if not groups and everyone:
        groups[None] = everyone
    return groups


def _check(data: Any) -> str | None:
    if not isinstance(data, dict) or not isinstance(data.get("recommendedPapers"), list):
        return "recommendations answer without a recommendedPapers list"
    if not all(isinstance(p, dict) for p in data["recommendedPapers"]):
        return "recommendations answer holds a non-object"
    return None


def recommend_papers(client: S2Client, positives: list[str], *, fields: str, limit: int = DEFAULT_LIMIT,
              negatives: list[str] | None = None) -> list[dict]:
    """Paper objects the Recommendations API proposes for ``positives`` (at most ``limit``).

    Raises :class:`InputError` for an empty ``positives`` (the API would answer 400
    "No positive paper examples given").
    """
    if not positives:
        raise InputError("recommendations need at least one positive paper id")
    body = {"positivePaperIds": list(positives), "negativePaperIds": list(negatives) if negatives else None}
    reply = client.post(PAPERS_PATH, {"fields": fields, "limit": check_limit(limit)}, body, validate=_check)
    if reply.status != 200:  # the API's own 404: nothing to recommend for these papers
        return []
    return [p for p in reply.data["recommendedPapers"] if p.get("paperId")]


def recommend_for_groups(client: S2Client, groups: Mapping[str | None, list[str]], *, fields: str,
                         limit: int = DEFAULT_LIMIT, advance: Callable[[int], None] | None = None,
                         done: list[dict] | None = None) -> list[dict]:
    """One :func:`recommend_papers` per group; returns ``[{"task", "positives", "papers"}]`` in group order.

    ``done`` (filled in place) keeps the groups answered so far when a request fails.
    """
    done = done if done is not None else []
    for task, pids in groups.items():
        papers = recommend_papers(client, pids, fields=fields, limit=limit)
        done.append({"task": task, "positives": len(pids), "papers": papers})
        if advance:
            advance(1)
    return done
