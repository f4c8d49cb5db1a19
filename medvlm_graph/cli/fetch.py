"""``medvlm-graph refresh``: fetch Semantic Scholar data for the seeds (see :mod:`medvlm_graph.s2`)."""

from __future__ import annotations

from typing import Annotated

import typer

from ..errors import NetworkError
from ..s2.defaults import DEFAULT_API_URL, DEFAULT_LIMIT, DEFAULT_MAX_CITATIONS, ENV_API_URL, MAX_LIMIT
from .app import app, say, settings


@app.command()
def refresh(
    ctx: typer.Context,
    api_url: Annotated[str | None, typer.Option(
        "--api-url", envvar=ENV_API_URL, show_default=DEFAULT_API_URL,
        help="Base URL of the Graph API, ending in /graph/v1 (a host alone gets it added; env S2_API_URL).")
    ] = None,
    max_citations: Annotated[int, typer.Option(
        "--max-citations", min=0, help="Citations fetched per paper (at most 9,999 are reachable); "
        "papers with more are reported.")] = DEFAULT_MAX_CITATIONS,
    rate: Annotated[float | None, typer.Option(
        "--rate", min=0, show_default="1", help="Requests per second (0 = no limit).")] = None,
    max_age: Annotated[float | None, typer.Option(
        "--max-age", min=0, help="Fetch again cached answers older than this many days.")] = None,
    with_tldr: Annotated[bool, typer.Option("--with-tldr", "--tldr", help="Also fetch each seed's TLDR.")] = False,
    timeout: Annotated[float, typer.Option("--timeout", min=0.01, help="Seconds per HTTP read.")] = 30.0,
    max_retries: Annotated[int, typer.Option("--max-retries", "--retries", min=0, help="Retries per request.")] = 8,
    backoff: Annotated[float, typer.Option(
        "--backoff", min=0, help="First retry delay in seconds (doubles each retry, with jitter).")] = 1.0,
    recommend: Annotated[bool, typer.Option(
        "--recommend", help="Also ask the Recommendations API for recent related papers (one request per task, "
        "the task's seeds as positive examples).")] = False,
    recommend_limit: Annotated[int, typer.Option(
        "--recommend-limit", min=1, max=MAX_LIMIT, help="Papers asked per recommendations request.")
    ] = DEFAULT_LIMIT,
) -> None:
    """Fetch S2 metadata, references and citations for the seeds (key from S2_API_KEY).

    Writes data/raw/fetched/*.parquet, provenance.json and raw/s2/manifest.json;
    every answer is cached, so an interrupted run resumes and a repeated one is free.
    """
    from ..s2 import refresh as _refresh  # requests and pandas: loaded for this command only

    paths = settings(ctx).paths
    try:
        summary = _refresh(data_dir=paths.root, api_url=api_url, max_citations=max_citations, rate=rate,
                           max_age=max_age, with_tldr=with_tldr, timeout=timeout, max_retries=max_retries,
                           backoff=backoff, recommend=recommend, recommend_limit=recommend_limit)
    except NetworkError as exc:
        partial = getattr(exc, "summary", None)
        if partial is not None and not getattr(exc, "nothing_fetched", False):
            for line in partial.lines():
                say(ctx, line)
        raise
    for line in summary.lines():
        say(ctx, line)
    say(ctx, f"Wrote {paths.fetched} and {paths.manifest}")
