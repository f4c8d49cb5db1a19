"""Named figures for ``medvlm-graph plot NAME``, and exporting one figure to HTML, PNG or SVG."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import plotly.graph_objects as go

from .. import analysis, viz
from ..errors import InputError, UsageError
from ..io import atomic_write_text
from .builder import ReportData, analysis_runs, load_report_data, network_figure


def _table(runs: dict, run: str, stem: str):
    """A table of the one analysis pass; a one-line error when it is empty (with its reason)."""
    df = runs[run].tables.get(stem) if run in runs else None
    if df is None or df.empty:
        why = analysis.skip_reason(df) if df is not None else f"the {run} analysis did not run"
        raise InputError(f"nothing to draw: {why or 'no rows'}")
    return df


def _trends(runs: dict, dim: str) -> go.Figure:
    trends = _table(runs, "trends", "trends")
    bursts = runs["trends"].tables["bursts"]
    t = trends[trends["dimension"] == dim]
    if t.empty:
        raise InputError(f"nothing to draw: no trends by {dim}")
    return viz.plot_trends(t, dimension=dim, bursts=bursts[bursts["dimension"] == dim] if len(bursts) else bursts)


def _network(data: ReportData, runs: dict) -> go.Figure:
    if data.corpus is None or len(data.citations) == 0:
        raise InputError("no citation data: run `medvlm-graph refresh` or `ingest` first")
    return network_figure(data, _table(runs, "clusters", "centrality"))


def _clusters(data: ReportData, runs: dict) -> go.Figure:
    return viz.plot_cluster_map(_table(runs, "clusters", "text_clusters"), papers=data.papers,
                                terms=runs["clusters"].tables["text_cluster_summary"])


def _heatmap(data: ReportData, runs: dict, other: str) -> go.Figure:
    cells = runs["gaps"].tables["gaps"] if "gaps" in runs else None
    return viz.plot_label_heatmap(data.field_labels, "task", other, gaps=cells if cells is not None and len(cells) else None)


# Every figure draws the tables of the one analysis pass the report uses (analysis.pipeline), on
# the papers in the field: `plot NAME` and the report can never disagree.
FIGURES: dict[str, tuple[Callable[[ReportData, dict], go.Figure], str]] = {
    "seed-tasks": (lambda d, r: viz.plot_seed_tasks(d.seeds), "papers per task in the review's list"),
    "seed-identifiers": (lambda d, r: viz.plot_seed_identifiers(d.seeds), "identifiers found in the list's links"),
    "seed-years": (lambda d, r: viz.plot_seed_years(d.seeds), "years known from arXiv ids and venue links"),
    "task-strategy": (lambda d, r: _heatmap(d, r, "strategy"), "task x strategy heatmap, gaps marked"),
    "task-modality": (lambda d, r: _heatmap(d, r, "modality"), "task x modality heatmap, gaps marked"),
    "sankey": (lambda d, r: viz.plot_strategy_task_sankey(d.field_labels), "strategy -> task Sankey"),
    "label-network": (lambda d, r: viz.plot_label_network(d.field_labels), "label co-occurrence network"),
    "trends": (lambda d, r: _trends(r, "task"), "papers per year by task, bursts shaded"),
    "trends-strategy": (lambda d, r: _trends(r, "strategy"), "papers per year by strategy"),
    "adoption": (lambda d, r: viz.plot_model_adoption(_table(r, "trends", "model_adoption")),
                 "foundation-model adoption per task"),
    "citation-network": (_network, "citation network (the top of centrality.csv)"),
    "cluster-map": (_clusters, "topic clusters in 2-D"),
    "thematic-map": (lambda d, r: viz.plot_thematic_map(_table(r, "clusters", "thematic_map")),
                     "thematic map quadrants"),
}
#: Figures drawn from the seed list alone (no analysis pass needed).
SEED_FIGURES = ("seed-tasks", "seed-identifiers", "seed-years")


# Points that carry a paper link in customdata open it on click (as in the report).
CLICK_TO_OPEN = """
var gd = document.getElementById('{plot_id}');
gd.on('plotly_click', function (ev) {
  var url = ev && ev.points && ev.points[0] && ev.points[0].customdata;
  if (typeof url === 'string' && /^https?:\\/\\//.test(url)) { window.open(url, '_blank', 'noopener'); }
});
"""


def make_figure(name: str, data_dir: str | Path = "data") -> go.Figure:
    """The figure ``name`` (see :data:`FIGURES`) on the data in ``data_dir``."""
    if name not in FIGURES:
        raise UsageError(f"unknown figure {name!r}; choose one of: {', '.join(FIGURES)}")
    data = load_report_data(data_dir)
    # the figures of `plot` need trends, clusters and gaps, never the indicators
    runs = {} if name in SEED_FIGURES else analysis_runs(data, indicators=False)
    return FIGURES[name][0](data, runs)


def _point_kaleido_at_chromium() -> None:
    # kaleido 1.x drives a Chrome; Debian's chromium is not where it looks first.
    if not os.environ.get("BROWSER_PATH"):
        for candidate in ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"):
            if Path(candidate).exists():
                os.environ["BROWSER_PATH"] = candidate
                break


def export_figure(fig: go.Figure, out: str | Path) -> Path:
    """Write ``fig`` to ``out``: ``.html`` (self-contained, offline), ``.png`` or ``.svg`` (via kaleido).

    Raises :class:`InputError` with a one-line message when the static exporter (kaleido, the
    ``static`` extra) or the Chrome it drives is not available.
    """
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in {".html", ".png", ".svg"}:
        raise UsageError(f"unsupported output {out.name!r}: use .html, .png or .svg")
    out.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".html":
        atomic_write_text(out, fig.to_html(full_html=True, include_plotlyjs=True, include_mathjax=False,
                                           config={"displaylogo": False}, post_script=CLICK_TO_OPEN))
        return out
    _point_kaleido_at_chromium()
    try:
        import kaleido  # noqa: F401
    except ImportError:
        raise InputError('PNG and SVG need the static exporter: pip install ".[static]" (kaleido), '
                         "or export .html") from None
    try:
        fig.write_image(str(out), format=suffix[1:], width=int(fig.layout.width or 1100),
                        height=int(fig.layout.height or 600))
    except Exception as exc:  # kaleido found no Chrome to drive, or it failed
        raise InputError(f"static image export failed ({type(exc).__name__}): kaleido needs Chrome or Chromium "
                         "(apt-get install chromium, or run plotly_get_chrome), or export .html") from exc
    return out
