"""Named figures for ``medvlm-graph plot NAME``, and exporting one figure to HTML, PNG or SVG."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import plotly.graph_objects as go

from .. import analysis, viz
from ..errors import InputError, UsageError
from ..io import atomic_write_text
from .builder import ReportData, load_report_data


def _gaps(data: ReportData, other: str):
    return analysis.compute_gaps(data.labels, "task", other) if len(data.labels) else None


def _trends(data: ReportData, dim: str) -> go.Figure:
    trends = analysis.compute_trends(data.papers, data.labels, dim)
    bursts = analysis.compute_bursts(trends) if len(trends) else None
    return viz.plot_trends(trends, dimension=dim, bursts=bursts)


def _network(data: ReportData) -> go.Figure:
    if data.corpus is None or len(data.citations) == 0:
        raise InputError("no citation data: run `medvlm-graph refresh` or `ingest` first")
    return viz.plot_citation_network(data.corpus.graph("citation"), papers=data.papers, labels=data.labels)


def _text_clusters(data: ReportData):
    points, summary = analysis.compute_text_clusters(data.papers)
    if len(points) == 0:
        raise InputError(f"no topic clusters: {points.attrs.get('skipped', 'too few papers with text')}")
    return points, summary


def _clusters(data: ReportData) -> go.Figure:
    points, summary = _text_clusters(data)
    return viz.plot_cluster_map(points, papers=data.papers, terms=summary)


def _thematic(data: ReportData) -> go.Figure:
    points, _ = _text_clusters(data)
    G = data.corpus.graph("coupling") if data.corpus is not None and len(data.citations) else None
    if G is None or G.number_of_edges() == 0:
        G = analysis.text_similarity_graph(data.papers)
    return viz.plot_thematic_map(analysis.compute_thematic_map(points, G))


FIGURES: dict[str, tuple[Callable[[ReportData], go.Figure], str]] = {
    "seed-tasks": (lambda d: viz.plot_seed_tasks(d.seeds), "papers per task in the review's list"),
    "seed-identifiers": (lambda d: viz.plot_seed_identifiers(d.seeds), "identifiers found in the list's links"),
    "seed-years": (lambda d: viz.plot_seed_years(d.seeds), "years known from arXiv ids and venue links"),
    "task-strategy": (lambda d: viz.plot_task_strategy_heatmap(d.labels, gaps=_gaps(d, "strategy")),
                      "task x strategy heatmap, gaps marked"),
    "task-modality": (lambda d: viz.plot_task_modality_heatmap(d.labels, gaps=_gaps(d, "modality")),
                      "task x modality heatmap, gaps marked"),
    "sankey": (lambda d: viz.plot_strategy_task_sankey(d.labels), "strategy -> task Sankey"),
    "label-network": (lambda d: viz.plot_label_network(d.labels), "label co-occurrence network"),
    "trends": (lambda d: _trends(d, "task"), "papers per year by task, bursts shaded"),
    "trends-strategy": (lambda d: _trends(d, "strategy"), "papers per year by strategy"),
    "adoption": (lambda d: viz.plot_model_adoption(analysis.compute_model_adoption(d.papers, d.labels, d.seeds)),
                 "foundation-model adoption per task"),
    "citation-network": (_network, "citation network (largest component, top 200)"),
    "cluster-map": (_clusters, "topic clusters in 2-D"),
    "thematic-map": (_thematic, "thematic map quadrants"),
}


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
    return FIGURES[name][0](load_report_data(data_dir))


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
