"""The ``refresh`` pipeline: seeds -> Semantic Scholar -> the fetched layer.

Phases (each with a progress bar): **resolve** the seeds (:mod:`.resolve`),
fetch **papers** metadata of the resolved seeds (``POST /paper/batch``), then
their **references** and **citations** (``GET /paper/{id}/references`` and
``/citations``, ``limit`` :data:`PAGE_LIMIT`, following ``next``; offset+limit
never reaches :data:`OFFSET_CAP`, the API's limit, so at most 9,999 entries per
list are reachable). Citations stop at ``max_citations`` per paper (default
:data:`DEFAULT_MAX_CITATIONS`); every paper where a cap cut the list is listed
in the summary and the manifest. References whose ``paperId`` is null are
counted, never made into nodes.

With ``recommend=True`` a last phase asks the Recommendations API for recent
related papers, one request per task with the task's resolved seeds as positive
examples (:mod:`.recommend`); they enter the fetched papers with ``source``
``"recommendations"`` (a paper also reached through the citation graph keeps
``"s2"``).

Everything is cached per request, so a run that is killed or fails resumes
where it stopped, and a second run of the same seeds makes no request unless
``max_age`` makes the cache stale. On failure everything fetched so far is
written (``provenance.json`` says ``"complete": false``) before the
:class:`NetworkError` (exit 3) is raised. A run that fetched nothing (no seed
resolved: no network, a wrong ``api_url``) writes no tables: the fetched layer
stays as it was, only the manifest records the attempt, and the error says
"nothing was fetched". ``provenance.json`` holds ``resolved``, the number of
seeds resolved to a Semantic Scholar paper: a run with ``resolved`` 0 fetched
nothing worth the name.

Outputs under the data directory::

    raw/fetched/{papers,citations,authorships,seeds}.parquet   conformed tables
    raw/fetched/provenance.json   {"source": "refresh", "finished_at", "api_url", "complete", "resolved", ...}
    raw/s2/manifest.json          what was asked, found, failed; request, cache and retry counts
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from typing import Any
from urllib.parse import quote

import pandas as pd

from .. import tables
from ..errors import ApiError, InputError, MedvlmError, NetworkError
from ..io import atomic_write_json, write_table_set
from ..lock import data_lock
from ..log import progress, redact
from ..paths import DataPaths
from ..seeds import current_seeds
from .cache import ResponseCache
from .client import S2Client
from .defaults import DEFAULT_LIMIT as DEFAULT_RECOMMEND_LIMIT
from .defaults import DEFAULT_MAX_CITATIONS
from .parse import (EDGE_FIELDS, PAPER_FIELDS, authorship_rows, authorships_frame, citations_frame,
                    paper_row, papers_frame, parse_page)
from .recommend import check_limit, positive_groups, recommend_for_groups
from .resolve import (BATCH_LIMIT, TITLE_THRESHOLD, ResolveReport, apply_resolutions, fetch_batch,
                      resolve_seeds)

logger = logging.getLogger("medvlm_graph.s2")

PAGE_LIMIT = 1000
OFFSET_CAP = 10_000


@dataclass
class RefreshSummary:
    """What a refresh did (also written to ``raw/s2/manifest.json``)."""

    api_url: str
    data_dir: str
    complete: bool = False
    seeds: int = 0
    resolved: int = 0  # seeds resolved to a Semantic Scholar paper (0: nothing of S2 was fetched)
    resolved_by_id: int = 0
    resolved_by_title: int = 0
    unresolved: int = 0
    papers: int = 0
    edges: int = 0
    reference_edges: int = 0
    citation_edges: int = 0
    unresolved_references: int = 0
    recommended: int = 0  # papers known only through the Recommendations API
    requests: int = 0
    from_cache: int = 0
    retries: int = 0
    batch_splits: int = 0
    cache_corrupt: int = 0
    cache_stale: int = 0
    caps: list[dict[str, Any]] = field(default_factory=list)
    failed: list[dict[str, str]] = field(default_factory=list)
    missing_metadata: list[str] = field(default_factory=list)
    recommendations: list[dict[str, Any]] = field(default_factory=list)

    def lines(self) -> list[str]:
        """Human summary, one fact per line."""
        out = [
            f"Seeds: {self.seeds}; resolved by id {self.resolved_by_id}, by title {self.resolved_by_title}, "
            f"unresolved {self.unresolved}",
            f"Papers: {self.papers}; edges: {self.edges} ({self.reference_edges} from references, "
            f"{self.citation_edges} from citations); unresolved references skipped: {self.unresolved_references}",
            f"Requests: {self.requests} made, {self.from_cache} served from cache, {self.retries} retries"
            + (f", {self.batch_splits} batch splits" if self.batch_splits else "")
            + (f", {self.cache_corrupt} corrupt cache files refetched" if self.cache_corrupt else ""),
        ]
        if self.recommendations:
            asked = len(self.recommendations)
            got = sum(r["returned"] for r in self.recommendations)
            out.append(f"Recommendations: {got} for {asked} task(s); {self.recommended} paper(s) not otherwise "
                       "in the corpus")
        if self.seeds and not self.resolved:
            out.append("No seed was resolved on Semantic Scholar: nothing of it was fetched")
        if self.caps:
            ids = ", ".join(c["paper_id"] for c in self.caps[:5]) + (" ..." if len(self.caps) > 5 else "")
            kinds = " and ".join(sorted({c["kind"] for c in self.caps}))
            out.append(f"Caps hit: {len(self.caps)} paper(s) with more {kinds} than fetched ({ids}); "
                       "see caps in raw/s2/manifest.json, raise --max-citations for more")
        else:
            out.append("Caps hit: none")
        if not self.complete:
            out.append("INCOMPLETE: " + "; ".join(f"{f['phase']}: {f['error']}" for f in self.failed))
        return out


@dataclass
class _Run:
    """Everything gathered so far (written even when the run stops early)."""

    seeds: pd.DataFrame
    report: ResolveReport = field(default_factory=ResolveReport)
    papers: list[dict] = field(default_factory=list)
    edges: list[dict] = field(default_factory=list)
    authors: list[dict] = field(default_factory=list)
    unresolved_refs: int = 0
    caps: list[dict] = field(default_factory=list)
    missing_metadata: list[str] = field(default_factory=list)
    recommendations: list[dict] = field(default_factory=list)  # {"task", "positives", "papers"} per request
    phase: str = "resolve"

    def fetched_nothing(self) -> bool:
        """No seed resolved and no paper fetched (a run that could not talk to the API)."""
        return not self.papers and not any(r.paper_id for r in self.report.resolutions)


def refresh(
    seeds: pd.DataFrame | None = None,
    *,
    data_dir: str | os.PathLike[str] | None = None,
    api_url: str | None = None,
    max_citations: int = DEFAULT_MAX_CITATIONS,
    rate: float | None = None,
    max_age: float | None = None,
    with_tldr: bool = False,
    timeout: float = 30.0,
    max_retries: int = 8,
    backoff: float = 1.0,
    max_backoff: float = 120.0,
    threshold: float = TITLE_THRESHOLD,
    recommend: bool = False,
    recommend_limit: int = DEFAULT_RECOMMEND_LIMIT,
    sleep: Callable[[float], None] = time.sleep,
) -> RefreshSummary:
    """Fetch Semantic Scholar data for ``seeds`` into the fetched layer of ``data_dir``.

    Parameters
    ----------
    seeds : DataFrame, optional
        A seeds table (``seed_id``, ``title`` and any id columns). ``None``:
        ``medvlm_graph.seeds.current_seeds`` (the chosen list, else the snapshot).
    data_dir : path, optional
        Data directory; default ``$MEDVLM_GRAPH_DATA_DIR`` or ``./data``. Locked
        for the duration (a second refresh on it fails at once with LockError).
    api_url : str, optional
        Base URL (with ``/graph/v1``); default ``$S2_API_URL`` or the public API.
    max_citations : int
        Citations fetched per paper (default 1000; at most 9,999 are reachable).
        Papers with more are reported in the summary and manifest.
    rate : float, optional
        Requests per second (default 1, the API's rate for keyed users; 0 = unlimited).
    max_age : float, optional
        Cached answers older than this many days are fetched again.
    with_tldr : bool
        Also fetch the TLDR of each seed.
    timeout, max_retries, backoff, max_backoff, sleep
        HTTP behaviour (see :class:`~medvlm_graph.s2.client.S2Client`).
    threshold : float
        Title similarity needed to accept a title match (default 0.90).
    recommend : bool
        Also ask the Recommendations API for recent related papers, one request
        per task with the task's resolved seeds as positive examples.
    recommend_limit : int
        Papers asked per recommendations request (1..500, default 100).

    Returns
    -------
    RefreshSummary

    Raises
    ------
    NetworkError
        (exit 3) after writing everything fetched so far; run again to resume. When
        nothing was fetched (no network, nothing listening) the message says so and
        the fetched layer is left as it was.
    ApiError
        (exit 3) at once on 400/403 answers (bad fields, bad key) and on answers
        showing that ``api_url`` is not the Semantic Scholar API.

    Examples
    --------
    >>> refresh(pd.DataFrame({"seed_id": ["s1"]}), recommend=True, recommend_limit=501)
    Traceback (most recent call last):
    ...
    medvlm_graph.errors.InputError: recommend_limit must be between 1 and 500, not 501
    """
    paths = DataPaths(data_dir)
    if max_citations is None or int(max_citations) < 0:
        raise InputError(f"max_citations must be 0 or more, not {max_citations}")
    if rate is not None and rate < 0:
        raise InputError(f"rate must be 0 (unlimited) or more requests per second, not {rate}")
    if max_age is not None and max_age < 0:
        raise InputError(f"max_age must be 0 or more days, not {max_age}")
    check_limit(recommend_limit)
    if seeds is None:
        seeds = current_seeds(paths)
    seeds = tables.conform(seeds, "seeds", require=("seed_id",))
    if seeds["seed_id"].isna().any() or seeds["seed_id"].duplicated().any():
        raise InputError("every seed needs a unique seed_id")

    with data_lock(paths, what="refresh"):
        cache = ResponseCache(paths.s2_cache, max_age=max_age)
        client = S2Client(api_url, cache=cache, rate=rate, timeout=timeout, max_retries=max_retries,
                          backoff=backoff, max_backoff=max_backoff, sleep=sleep)
        summary = RefreshSummary(api_url=client.base_url, data_dir=str(paths.root))
        run = _Run(seeds=seeds)
        started = datetime.now(timezone.utc)
        asked = {"seeds": len(seeds), "max_citations": int(max_citations), "with_tldr": with_tldr,
                 "max_age_days": max_age, "rate": client.rate, "title_threshold": threshold,
                 "recommend": recommend, "recommend_limit": recommend_limit if recommend else None}
        had_layer = (paths.fetched / "provenance.json").exists()
        error: MedvlmError | None = None
        try:
            _pipeline(client, run, max_citations=int(max_citations), with_tldr=with_tldr, threshold=threshold,
                      recommend_limit=recommend_limit if recommend else None)
        except (NetworkError, ApiError) as exc:
            error = exc
            summary.failed.append({"phase": run.phase, "error": redact(str(exc))})
        except BaseException as exc:  # interrupted: keep what we have, then let it propagate
            summary.failed.append({"phase": run.phase, "error": f"interrupted ({type(exc).__name__})"})
            _write(paths, run, summary, client, cache, started, asked)
            raise
        _write(paths, run, summary, client, cache, started, asked)

    if error is not None:
        if run.fetched_nothing():
            msg = f"{error}; nothing was fetched" + (f" ({paths.fetched} is unchanged)" if had_layer else "")
        else:
            msg = (f"{error} (partial results written to {paths.fetched}; "
                   "run `medvlm-graph refresh` again to resume from the cache)")
        out = ApiError(msg, status=error.status) if isinstance(error, ApiError) else NetworkError(msg)
        out.summary = summary  # type: ignore[attr-defined]
        out.nothing_fetched = run.fetched_nothing()  # type: ignore[attr-defined]
        raise out from None
    return summary


def _pipeline(client: S2Client, run: _Run, *, max_citations: int, with_tldr: bool, threshold: float,
              recommend_limit: int | None) -> None:
    run.phase = "resolve"
    with progress("resolve", len(run.seeds)) as advance:
        resolve_seeds(client, run.seeds, threshold=threshold, advance=advance, report=run.report)

    # Resolved paper ids in seed order; a paper named by two seeds keeps the first seed_id.
    first_seed: dict[str, str] = {}
    for r in run.report.resolutions:
        if r.paper_id and r.paper_id not in first_seed:
            first_seed[r.paper_id] = r.seed_id
    ids = list(first_seed)

    run.phase = "papers"
    fields = ",".join(PAPER_FIELDS + (("tldr",) if with_tldr else ()))
    with progress("papers", len(ids)) as advance:
        for start in range(0, len(ids), BATCH_LIMIT):
            chunk = ids[start:start + BATCH_LIMIT]
            found = fetch_batch(client, chunk, fields, on_split=lambda _n: _count_split(run))
            for pid in chunk:
                p = found.get(pid)
                if p and p.get("paperId"):
                    # Key by the asked id: a merged paper may come back under another paperId.
                    run.papers.append(paper_row({**p, "paperId": pid}, is_seed=True, seed_id=first_seed[pid]))
                    run.authors.extend(authorship_rows({**p, "paperId": pid}))
                else:
                    run.missing_metadata.append(pid)
                    run.papers.append({"paper_id": pid, "is_seed": True, "seed_id": first_seed[pid],
                                       "source": "s2"})
            advance(len(chunk))

    edge_fields = ",".join(EDGE_FIELDS)
    for kind, cap in (("references", None), ("citations", max_citations)):
        run.phase = kind
        with progress(kind, len(ids)) as advance:
            for pid in ids:
                _fetch_edges(client, run, pid, kind, edge_fields, cap)
                advance(1)

    if recommend_limit is not None:
        run.phase = "recommendations"
        groups = positive_groups(run.seeds, {r.seed_id: r.paper_id for r in run.report.resolutions if r.paper_id})
        if not groups:
            logger.warning("no seed was resolved: no recommendations asked")
        with progress("recommendations", len(groups)) as advance:
            recommend_for_groups(client, groups, fields=",".join(PAPER_FIELDS), limit=recommend_limit,
                                 advance=advance, done=run.recommendations)
        for group in run.recommendations:
            for p in group["papers"]:
                run.papers.append({**paper_row(p), "source": "recommendations"})
                run.authors.extend(authorship_rows(p))


def _count_split(run: _Run) -> None:
    run.report.splits += 1


def _check_page(data: Any) -> str | None:
    if not isinstance(data, dict):
        return f"page is a {type(data).__name__}, not an object"
    if data.get("data") is not None and not isinstance(data["data"], list):
        return "page data is not a list"  # (null data is an empty page, as for elided reference lists)
    return None


def _fetch_edges(client: S2Client, run: _Run, pid: str, kind: str, fields: str, cap: int | None) -> None:
    """Every page of one paper's references or citations (up to ``cap`` and the offset cap)."""
    offset = 0
    fetched = 0
    while True:
        room = OFFSET_CAP - 1 - offset  # offset + limit must stay below 10,000
        limit = min(PAGE_LIMIT, room) if cap is None else min(PAGE_LIMIT, room, cap - offset)
        if limit <= 0:
            reason = (f"--max-citations {cap}" if cap is not None and offset >= cap
                      else f"API offset cap ({OFFSET_CAP - 1} reachable)")
            if offset > 0 or cap == 0:
                run.caps.append({"paper_id": pid, "kind": kind, "fetched": fetched, "reason": reason})
            return
        # Ids come from the API: quote them so one can never change the request path.
        reply = client.get(f"/paper/{quote(pid, safe=':')}/{kind}", {"fields": fields, "offset": offset, "limit": limit},
                           validate=_check_page)
        if reply.status != 200:
            logger.warning("no %s for %s (HTTP %s)", kind, pid, reply.status)
            return
        papers, edges, authors, unresolved = parse_page(reply.data, pid, kind)
        run.papers.extend(papers)
        run.edges.extend(edges)
        run.authors.extend(authors)
        run.unresolved_refs += unresolved if kind == "references" else 0
        fetched += len(reply.data.get("data") or [])
        nxt = reply.data.get("next")
        if not isinstance(nxt, int) or nxt <= offset:
            return  # last page: the API omits `next`
        offset = nxt


def _write(paths: DataPaths, run: _Run, summary: RefreshSummary, client: S2Client, cache: ResponseCache,
           started: datetime, asked: dict[str, Any]) -> None:
    """Write tables, provenance and manifest (complete or not) and fill ``summary``.

    A failed run that fetched nothing writes the manifest only: the fetched layer stays as it was.
    """
    seeds_out = apply_resolutions(run.seeds, run.report.resolutions)
    papers = papers_frame(run.papers)
    citations = citations_frame(run.edges)
    authorships = authorships_frame(run.authors)
    summary.complete = not summary.failed
    summary.seeds = len(seeds_out)
    summary.resolved = int(seeds_out["paper_id"].notna().sum())
    summary.resolved_by_id = int((seeds_out["match"] == "id").sum())
    summary.resolved_by_title = int((seeds_out["match"] == "title").sum())
    summary.unresolved = int((seeds_out["match"] == "none").sum())
    summary.papers = len(papers)
    summary.edges = len(citations)
    summary.reference_edges = int((citations["source"] == "references").sum())
    summary.citation_edges = int((citations["source"] == "citations").sum())
    summary.unresolved_references = run.unresolved_refs
    summary.requests = client.stats.requests
    summary.from_cache = client.stats.cache_hits
    summary.retries = client.stats.retries
    summary.batch_splits = run.report.splits
    summary.cache_corrupt = cache.stats.corrupt
    summary.cache_stale = cache.stats.stale
    summary.caps = run.caps
    summary.missing_metadata = run.missing_metadata
    summary.recommended = int((papers["source"] == "recommendations").sum())
    summary.recommendations = [{"task": g["task"], "positives": g["positives"], "returned": len(g["papers"])}
                               for g in run.recommendations]

    if run.caps:
        logger.warning("%s capped for %d paper(s) (%s); the list is in %s", run.caps[0]["kind"], len(run.caps),
                       run.caps[0]["reason"], paths.manifest)
    finished = datetime.now(timezone.utc).isoformat(timespec="seconds")
    counts = {k: v for k, v in asdict(summary).items()
              if k not in ("caps", "failed", "missing_metadata", "recommendations", "api_url", "data_dir")}
    frames = (("papers", papers), ("citations", citations), ("authorships", authorships), ("seeds", seeds_out))
    # A failed run that got nothing must not replace what an earlier refresh or ingest fetched.
    write_tables = summary.complete or not run.fetched_nothing()
    if write_tables:
        write_table_set({paths.fetched_table(name): tables.conform(df, name) for name, df in frames},
                        paths.fetched / "provenance.json", {
                            "source": "refresh", "finished_at": finished, "api_url": summary.api_url,
                            "complete": summary.complete, **counts, "manifest": "raw/s2/manifest.json",
                        })
    unresolved = seeds_out.loc[seeds_out["match"] == "none", ["seed_id", "match_reason"]]
    atomic_write_json(paths.manifest, {
        "started_at": started.isoformat(timespec="seconds"),
        "finished_at": finished,
        "api_url": summary.api_url,
        "complete": summary.complete,
        "tables_written": write_tables,
        "asked": {**asked, "ids": run.report.ids_asked, "titles": run.report.titles_asked},
        "found": {k: counts[k] for k in ("resolved", "resolved_by_id", "resolved_by_title", "unresolved", "papers",
                                          "edges", "reference_edges", "citation_edges", "unresolved_references",
                                          "recommended")},
        "unresolved_seeds": [{"seed_id": s, "reason": r} for s, r in unresolved.itertuples(index=False)],
        "ids_asked": run.report.id_list,
        "ids_not_found": run.report.ids_not_found,
        "missing_metadata": run.missing_metadata,
        "caps": run.caps,
        "recommendations": [{**r, "paper_ids": [p["paperId"] for p in g["papers"]]}
                            for r, g in zip(summary.recommendations, run.recommendations)],
        "failed": summary.failed,
        "requests": {
            "made": client.stats.requests, "from_cache": client.stats.cache_hits,
            "retries": client.stats.retries, "seconds_waited": round(client.stats.waited, 3),
            "transient_failures": client.stats.failures, "batch_splits": run.report.splits,
            "cache_writes": cache.stats.writes, "cache_stale": cache.stats.stale,
            "cache_corrupt": cache.stats.corrupt, "corrupt_files": cache.stats.corrupt_files,
        },
    })
