"""Resolve seeds to Semantic Scholar paper ids: by identifier first, then by title.

1. **By id.** Every identifier a seed row states becomes an API id, in this
   order of preference: ``ARXIV:<id>`` (version suffix stripped: versioned ids
   are not found), ``DOI:<doi>`` (lower-cased, so DOIs are compared
   case-insensitively and asked once), ``PMCID:<digits>``, ``ACL:<id>``, and a
   40-hex ``paper_id`` already present. All ids go through
   ``POST /paper/batch`` (at most :data:`BATCH_LIMIT` per request; a batch on
   which 500/504 persist is split in halves and retried). A ``null`` entry means
   *not found*; a seed takes the first of its ids that was found.
2. **By title.** Seeds not found by id (or without ids) are sent to
   ``GET /paper/search/match``. The answer is accepted only when
   :func:`title_similarity` of the seed title and the returned title is at least
   :data:`TITLE_THRESHOLD`. The rule: both titles go through
   ``medvlm_graph.seeds.normalize_title`` (NFKC, casefold, typographic quotes
   and dashes to ASCII, venue tails dropped), then every run of
   non-alphanumeric characters becomes one space, and the similarity is
   :class:`difflib.SequenceMatcher` ``ratio()`` of the two strings (1.0 =
   identical). The score and a reason are recorded either way; a 404 (``Title
   match not found``) leaves the seed unresolved.

The result adds ``paper_id``, ``match`` (``id`` | ``title`` | ``none``),
``match_score`` (title similarity; missing for id matches) and
``match_reason`` to the seeds table.

Examples
--------
>>> title_similarity("CLIP & Friends: A Study", "Clip and friends - a study") > 0.8
True
>>> seed_api_ids({"arxiv_id": "2303.00915v2", "doi": "10.1/ABC"})
['ARXIV:2303.00915', 'DOI:10.1/abc']
"""

from __future__ import annotations

import difflib
import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..errors import ApiError, NetworkError
from ..seeds.titles import title_key  # the seeds package owns title normalisation
from .client import SPLIT_STATUSES, S2Client

logger = logging.getLogger("medvlm_graph.s2")

BATCH_LIMIT = 500
TITLE_THRESHOLD = 0.90
#: How many 500/504 answers a multi-id batch gets before it is split.
SPLIT_AFTER = 3
RESOLVE_FIELDS = "paperId,externalIds,title"
_HEX40 = re.compile(r"^[0-9a-f]{40}$")
_ARXIV_VERSION = re.compile(r"v\d+$", re.I)


def title_similarity(a: object, b: object) -> float:
    """Similarity in [0, 1] of two titles under the rule in the module docstring.

    Examples
    --------
    >>> title_similarity("Ariadne’s Thread", "ariadne's thread.")
    1.0
    >>> title_similarity("", "x")
    0.0
    """
    ka, kb = title_key(a), title_key(b)
    if not ka or not kb:
        return 0.0
    return round(difflib.SequenceMatcher(None, ka, kb, autojunk=False).ratio(), 4)


def _text(value: Any) -> str | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    value = str(value).strip()
    return value or None


def seed_api_ids(row: dict[str, Any]) -> list[str]:
    """API ids stated by one seed row, most trusted first (see the module docstring)."""
    out: list[str] = []
    arxiv = _text(row.get("arxiv_id"))
    if arxiv:
        arxiv = re.sub(r"^arxiv:", "", arxiv, flags=re.I)
        out.append("ARXIV:" + _ARXIV_VERSION.sub("", arxiv))
    doi = _text(row.get("doi"))
    if doi:
        doi = re.sub(r"^(doi:|https?://(dx\.)?doi\.org/)", "", doi, flags=re.I)
        out.append("DOI:" + doi.lower())
    pmcid = _text(row.get("pmcid"))
    if pmcid:
        out.append("PMCID:" + re.sub(r"^pmc(id:)?", "", pmcid, flags=re.I))
    acl = _text(row.get("acl_id"))
    if acl:
        out.append("ACL:" + acl)
    pid = _text(row.get("paper_id"))
    if pid and _HEX40.match(pid.lower()):
        out.append(pid.lower())
    return list(dict.fromkeys(out))


@dataclass
class Resolution:
    """How one seed was resolved."""

    seed_id: str
    paper_id: str | None
    match: str  # id | title | none
    score: float | None
    reason: str


@dataclass
class ResolveReport:
    resolutions: list[Resolution] = field(default_factory=list)
    ids_asked: int = 0
    id_list: list[str] = field(default_factory=list)
    ids_not_found: list[str] = field(default_factory=list)
    titles_asked: int = 0
    splits: int = 0

    def count(self, match: str) -> int:
        return sum(r.match == match for r in self.resolutions)


def _check_batch(n: int) -> Callable[[Any], str | None]:
    def check(data: Any) -> str | None:
        if not isinstance(data, list):
            return f"batch answer is a {type(data).__name__}, not a list"
        if len(data) != n:
            return f"batch answer has {len(data)} entries for {n} ids"
        if not all(d is None or isinstance(d, dict) for d in data):
            return "batch answer holds entries that are neither objects nor null"
        return None

    return check


def fetch_batch(client: S2Client, ids: list[str], fields: str, *, split_after: int = SPLIT_AFTER,
                on_split: Callable[[int], None] | None = None) -> dict[str, dict | None]:
    """Paper objects for ``ids`` via ``POST /paper/batch`` (``None`` = not found).

    At most :data:`BATCH_LIMIT` ids per request; a batch that keeps failing
    with 500/504 is split in halves (recursively) before giving up.
    """
    out: dict[str, dict | None] = {}
    unique = list(dict.fromkeys(ids))
    for start in range(0, len(unique), BATCH_LIMIT):
        _batch(client, unique[start:start + BATCH_LIMIT], fields, out, split_after, on_split)
    return out


def _batch(client: S2Client, ids: list[str], fields: str, out: dict, split_after: int,
           on_split: Callable[[int], None] | None) -> None:
    multi = len(ids) > 1
    try:
        reply = client.post("/paper/batch", {"fields": fields}, {"ids": ids}, validate=_check_batch(len(ids)),
                            give_up_on=SPLIT_STATUSES if multi else frozenset(),
                            give_up_after=split_after if multi else None)
    except NetworkError as exc:
        if multi and getattr(exc, "status", None) in SPLIT_STATUSES:
            mid = len(ids) // 2
            logger.info("batch of %d ids keeps failing (HTTP %s); splitting it", len(ids), exc.status)
            if on_split:
                on_split(len(ids))
            _batch(client, ids[:mid], fields, out, split_after, on_split)
            _batch(client, ids[mid:], fields, out, split_after, on_split)
            return
        raise
    if reply.status != 200:  # 400 "No valid paper ids given": none of them exists
        out.update(dict.fromkeys(ids))
        return
    out.update(zip(ids, reply.data))


def match_title(client: S2Client, title: str, *, threshold: float = TITLE_THRESHOLD
                ) -> tuple[str | None, float | None, str]:
    """``(paper_id or None, similarity or None, reason)`` for one title via ``/paper/search/match``."""
    try:
        reply = client.get("/paper/search/match", {"query": title, "fields": "paperId,title,year"},
                           validate=_check_match)
    except ApiError as exc:
        # A query the API refuses (400) costs this seed its match, not the whole run; bad fields
        # and bad keys still stop everything at once.
        if exc.status != 400 or "unsupported fields" in str(exc).lower():
            raise
        return None, None, f"title match refused: {exc}"
    if reply.status == 404:
        return None, None, "no title match on Semantic Scholar"
    best = reply.data["data"][0]
    sim = title_similarity(title, best.get("title"))
    s2score = best.get("matchScore")
    extra = f" (S2 matchScore {s2score:.1f})" if isinstance(s2score, (int, float)) else ""
    if sim >= threshold and best.get("paperId"):
        return best["paperId"], sim, f"title similarity {sim:.2f} >= {threshold:.2f}{extra}"
    return None, sim, (f"closest title {best.get('title')!r} has similarity {sim:.2f} < "
                       f"{threshold:.2f}{extra}")


def _check_match(data: Any) -> str | None:
    if not isinstance(data, dict) or not isinstance(data.get("data"), list) or not data["data"]:
        return "title match answer without data"
    if not isinstance(data["data"][0], dict):
        return "title match answer holds a non-object"
    return None


def resolve_seeds(client: S2Client, seeds: pd.DataFrame, *, threshold: float = TITLE_THRESHOLD,
                  advance: Callable[[int], None] | None = None,
                  report: ResolveReport | None = None) -> ResolveReport:
    """Resolve every row of a seeds table (see the module docstring).

    ``report`` (filled in place) keeps what was resolved so far when a
    :class:`NetworkError` interrupts the run.
    """
    report = report if report is not None else ResolveReport()
    advance = advance or (lambda n=1: None)
    rows = seeds.to_dict("records")
    wanted = {str(r["seed_id"]): seed_api_ids(r) for r in rows}
    all_ids = [i for ids in wanted.values() for i in ids]
    report.id_list = list(dict.fromkeys(all_ids))
    report.ids_asked = len(report.id_list)

    def _split(_n: int) -> None:
        report.splits += 1

    found = fetch_batch(client, all_ids, RESOLVE_FIELDS, on_split=_split) if all_ids else {}
    report.ids_not_found = sorted(i for i, v in found.items() if not v or not v.get("paperId"))
    pending: list[tuple[dict, list[str]]] = []
    for r in rows:
        sid = str(r["seed_id"])
        hit = next((i for i in wanted[sid] if found.get(i) and found[i].get("paperId")), None)
        if hit:
            report.resolutions.append(Resolution(sid, found[hit]["paperId"], "id", None, f"found by {hit}"))
            advance(1)
        else:
            pending.append((r, wanted[sid]))
    for r, ids in pending:
        sid = str(r["seed_id"])
        title = _text(r.get("title"))
        missing = f"id(s) not found: {', '.join(ids)}; " if ids else ""
        if not title:
            report.resolutions.append(Resolution(sid, None, "none", None, f"{missing}no title to match".strip()))
            advance(1)
            continue
        report.titles_asked += 1
        pid, score, why = match_title(client, title, threshold=threshold)
        report.resolutions.append(Resolution(sid, pid, "title" if pid else "none", score, missing + why))
        advance(1)
    return report


def apply_resolutions(seeds: pd.DataFrame, resolutions: Iterable[Resolution]) -> pd.DataFrame:
    """The seeds table with ``paper_id``, ``match``, ``match_score``, ``match_reason`` filled.

    Seeds without a resolution (a run stopped early) get ``match`` ``none`` and
    a reason saying so.
    """
    from .. import tables

    by_seed = {r.seed_id: r for r in resolutions}
    out = seeds.copy()
    keys = out["seed_id"].astype(str)
    out["paper_id"] = [by_seed[k].paper_id if k in by_seed else None for k in keys]
    out["match"] = [by_seed[k].match if k in by_seed else "none" for k in keys]
    out["match_score"] = [by_seed[k].score if k in by_seed else None for k in keys]
    out["match_reason"] = [by_seed[k].reason if k in by_seed else "not resolved: the refresh stopped early"
                           for k in keys]
    return tables.conform(out, "seeds")
