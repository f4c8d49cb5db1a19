"""``medvlm-graph build`` and ``medvlm-graph labels``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..errors import UsageError
from .app import app, say, settings


@app.command("build")
def build_command(
    ctx: typer.Context,
    taxonomy: Annotated[Path | None, typer.Option("--taxonomy", help="Taxonomy YAML to use instead of the "
                                                  "shipped one.", dir_okay=False)] = None,
    overrides: Annotated[Path | None, typer.Option("--overrides", help="Manual label overrides CSV (paper_id, "
                                                   "dimension, label, action add|remove); default "
                                                   "<data>/overrides.csv when present.", dir_okay=False)] = None,
) -> None:
    """Build the tables (papers, citations, authorships, seeds, labels) from the seeds and what was fetched."""
    from ..build import build

    paths = settings(ctx).paths
    corpus = build(paths, taxonomy=taxonomy, overrides=overrides)
    info = corpus.info
    c = info["counts"]
    say(ctx, f"built {paths.processed}: {c['papers']} papers, {c['citations']} citations, "
             f"{c['authorships']} authorships, {c['seeds']} seed rows, {c['labels']} labels "
             f"({info['mode']} mode)")
    sources = ", ".join(f"{k} {v}" for k, v in info["label_sources"].items())
    say(ctx, f"labels by dimension/source: {sources or 'none'}")
    if corpus.citations.empty:
        say(ctx, f"note: {info['citation_layer']}")
    for item in info["skipped"]:
        say(ctx, f"skipped: {item}")


@app.command("labels")
def labels_command(
    ctx: typer.Context,
    evaluate: Annotated[bool, typer.Option("--evaluate", help="Report the task classifier's cross-validated "
                                           "macro-F1 against the review's own task labels.")] = False,
    folds: Annotated[int, typer.Option("--folds", min=2, help="Folds of the cross-validation.")] = 5,
    against: Annotated[str | None, typer.Option("--against", help="With --evaluate: measure the task labels "
                                                "against this list (markdown, BibTeX, RIS, CSV or URL) whose "
                                                "sections name tasks: accuracy, coverage, per-task precision "
                                                "and recall.")] = None,
) -> None:
    """Summarise the labels (building first if needed), or evaluate the task labels."""
    from ..corpus import Corpus
    from ..labels import evaluate_task_classifier
    from ..labels.evaluate import evaluate_task_labels
    from ..seeds import read_seeds

    corpus = Corpus.load(settings(ctx).paths)
    if against is not None and not evaluate:
        raise UsageError("--against goes with --evaluate")
    if evaluate and against is not None:
        ev = evaluate_task_labels(read_seeds(against, taxonomy=corpus.taxonomy), corpus.seeds, corpus.papers,
                                  taxonomy=corpus.taxonomy, n_splits=folds)
        typer.echo(ev.summary())
        for r in ev.per_task.itertuples(index=False):
            prec = "  n/a" if r.precision != r.precision else f"{r.precision:.2f}"
            rec = "  n/a" if r.recall != r.recall else f"{r.recall:.2f}"
            typer.echo(f"  {r.task:<18} support {r.support:>3}  predicted {r.predicted:>3}  precision {prec}  "
                       f"recall {rec}")
        return
    if evaluate:
        ev = evaluate_task_classifier(corpus.seeds, corpus.papers, taxonomy=corpus.taxonomy, n_splits=folds)
        typer.echo(ev.summary())
        for r in ev.per_class.itertuples(index=False):
            typer.echo(f"  {r.label:<18} support {r.support:>3}  precision {r.precision:.2f}  "
                       f"recall {r.recall:.2f}  F1 {r.f1:.2f}")
        return
    lab = corpus.labels
    say(ctx, f"{len(lab)} labels on {lab['paper_id'].nunique()} of {len(corpus.papers)} papers")
    for (dim, src), n in lab.groupby(["dimension", "source"]).size().items():
        papers = lab[(lab["dimension"] == dim) & (lab["source"] == src)]["paper_id"].nunique()
        say(ctx, f"  {dim:<9} {src:<7} {n:>6} labels on {papers} papers")
