"""``medvlm-graph candidates`` and ``medvlm-graph diff``: a living review."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .app import app, say, settings


@app.command("candidates")
def candidates_command(
    ctx: typer.Context,
    since: Annotated[str | None, typer.Option("--since", help="Only papers published on or after this date "
                                              "(YYYY-MM-DD or a year; default: the date of the list in use).")] = None,
    top: Annotated[int | None, typer.Option("--top", min=1, help="At most this many candidates (the strongest).")]
    = None,
    out: Annotated[Path | None, typer.Option("--out", help="Markdown file of rows to paste (default "
                                             "<data>/processed/candidates.md); a CSV with every column is "
                                             "written next to it.", dir_okay=False)] = None,
) -> None:
    """Field papers not in the list, as rows in the list's own format, grouped by section, with evidence."""
    from ..corpus import Corpus
    from ..living import write_candidates

    corpus = Corpus.load(settings(ctx).paths)
    cands, written = write_candidates(corpus, since=since, top=top, out=out)
    if cands.empty:
        say(ctx, f"no candidates: {cands.attrs.get('skipped', 'nothing to propose')}")
    else:
        say(ctx, f"{len(cands)} candidate(s) published since {cands.attrs.get('since') or 'any date'}:")
        for section, g in cands.groupby("section", sort=False):
            tiers = ", ".join(f"{n} {t}" for t, n in g["evidence"].value_counts().items())
            say(ctx, f"  {section}: {len(g)} ({tiers})")
    say(ctx, "wrote " + ", ".join(str(p) for p in written))


@app.command("diff")
def diff_command(
    ctx: typer.Context,
    old: Annotated[Path | None, typer.Argument(help="Old build: a data directory or a folder of "
                                               "data/processed/history.")] = None,
    new: Annotated[Path | None, typer.Argument(help="New build: a data directory (default: --data-dir).")] = None,
    since_last: Annotated[bool, typer.Option("--since-last", help="Compare the current build with the previous "
                                             "one kept in data/processed/history.")] = False,
    out: Annotated[Path | None, typer.Option("--out", help="Folder for the CSV tables and changes.md (default "
                                             "<data>/processed/changes).", file_okay=False)] = None,
) -> None:
    """What changed in the field between two builds: papers in and out, new citations, rank changes."""
    from ..corpus import Corpus
    from ..errors import UsageError
    from ..living import previous_build, write_changes

    paths = settings(ctx).paths
    if since_last:
        if old is not None:
            raise UsageError("give either OLD NEW or --since-last, not both")
        Corpus.load(paths)  # the current build, up to date
        old = previous_build(paths)
        if old is None:
            raise UsageError("no previous build in data/processed/history yet: each `build` keeps the one "
                             "before it, so run `medvlm-graph build` again after the next refresh")
        new = paths.root
    elif old is None:
        raise UsageError("give OLD [NEW] (data directories or history folders) or --since-last")
    new = new if new is not None else paths.root
    changes, written = write_changes(old, new, out if out is not None else paths.processed / "changes")
    e, l_ = changes["field_entered"], changes["field_left"]
    say(ctx, f"{len(e)} paper(s) entered the field ({int((e['status'] == 'new paper').sum())} new), "
             f"{len(l_)} left it")
    sc = changes["seed_citations"]
    say(ctx, f"{int(sc['new_citations'].sum()) if len(sc) else 0} new citation(s) of {len(sc)} seed(s); "
             f"{int((changes['candidate_ranks']['status'] == 'new').sum())} new candidate(s); "
             f"{len(changes['new_combinations'])} new combination(s) in the gap tables")
    say(ctx, f"wrote {len(written)} files to {written[-1].parent}")
