"""Papers per year by label: stacked bars or small multiples, with burst periods shaded."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ..errors import DataError
from ._common import base_layout, empty_figure, esc
from .palette import color_for, pretty

TREND_MODES = ("stacked", "small")


def trend_counts(labels: pd.DataFrame, papers: pd.DataFrame, dimension: str = "task") -> pd.DataFrame:
    """Papers per (year, label) in one dimension: columns ``year, label, count``.

    Examples
    --------
    >>> lab = pd.DataFrame({"paper_id": ["a", "b"], "dimension": ["task", "task"], "label": ["vqa", "vqa"]})
    >>> pap = pd.DataFrame({"paper_id": ["a", "b"], "year": [2023, 2023]})
    >>> trend_counts(lab, pap).values.tolist()
    [[2023, 'vqa', 2]]
    """
    sub = labels[labels["dimension"].astype(str) == dimension][["paper_id", "label"]].astype(str)
    yrs = papers[["paper_id", "year"]].assign(paper_id=papers["paper_id"].astype(str))
    m = sub.drop_duplicates().merge(yrs, on="paper_id").dropna(subset=["year"])
    out = m.groupby(["year", "label"]).size().reset_index(name="count")
    out["year"] = out["year"].astype(int)
    return out.sort_values(["year", "label"]).reset_index(drop=True)


def _normalise(trends: pd.DataFrame, dimension: str | None) -> pd.DataFrame:
    t = trends
    if dimension is not None and "dimension" in t.columns:
        t = t[t["dimension"].astype(str) == dimension]
    count_col = next((c for c in ("count", "papers", "n") if c in t.columns), None)
    if count_col is None or "year" not in t.columns or "label" not in t.columns:
        raise DataError("trends need columns year, label and count")
    t = t[["year", "label", count_col]].rename(columns={count_col: "count"}).dropna(subset=["year"])
    return t.assign(year=t["year"].astype(int), label=t["label"].astype(str))


def plot_trends(
    trends: pd.DataFrame,
    *,
    dimension: str | None = "task",
    bursts: pd.DataFrame | None = None,
    mode: str = "stacked",
    title: str | None = None,
) -> go.Figure:
    """Papers per year for each label; burst periods shaded.

    Parameters
    ----------
    trends : DataFrame
        Long form ``year, label, count`` (``dimension`` filters a ``dimension`` column if present), as
        :func:`medvlm_graph.analysis.compute_trends` returns; :func:`trend_counts` makes it from the tables.
    bursts : DataFrame, optional
        ``label, start_year, end_year`` (``start``/``end`` accepted; years, inclusive; ``dimension``
        filters as for ``trends``), as :func:`medvlm_graph.analysis.compute_bursts` returns: shaded spans.
    mode : {"stacked", "small"}
        One stacked bar chart (one bar trace per label), or small multiples
        (one line trace per label, one panel each).

    Raises
    ------
    DataError
        ``trends`` without ``year``, ``label`` and a count column; an unknown ``mode``.
    """
    if mode not in TREND_MODES:
        raise DataError(f"unknown mode {mode!r} for plot_trends; use {' or '.join(TREND_MODES)}")
    title = title or f"Papers per year by {pretty(dimension or 'label').lower()}"
    if trends is None or len(trends) == 0:
        return empty_figure(title, "No dated, labelled papers yet.")
    t = _normalise(trends, dimension)
    if t.empty:
        return empty_figure(title, "No dated, labelled papers yet.")
    totals = t.groupby("label")["count"].sum().sort_values(ascending=False)
    order = list(totals.index)
    years = list(range(t["year"].min(), t["year"].max() + 1))
    b = bursts
    if b is not None and len(b):
        if dimension is not None and "dimension" in b.columns:
            b = b[b["dimension"].astype(str) == dimension]
        b = b.rename(columns={"start_year": "start", "end_year": "end"}).dropna(subset=["start", "end"])
    if mode == "small":
        ncols = 3
        nrows = -(-len(order) // ncols)
        fig = make_subplots(rows=nrows, cols=ncols, shared_xaxes=True, subplot_titles=[esc(pretty(x)) for x in order],
                            vertical_spacing=0.12 / max(nrows, 1) * 2)
        for i, lab in enumerate(order):
            r, c = i // ncols + 1, i % ncols + 1
            s = t[t["label"] == lab].set_index("year")["count"].reindex(years, fill_value=0)
            fig.add_scatter(x=years, y=s.values, mode="lines+markers", name=esc(pretty(lab)),
                            line=dict(color=color_for(lab, dimension)), showlegend=False,
                            hovertemplate=f"{esc(pretty(lab))} %{{x}}: %{{y}} papers<extra></extra>", row=r, col=c)
            if b is not None and len(b):
                for _, row in b[b["label"].astype(str) == lab].iterrows():
                    fig.add_vrect(x0=float(row["start"]) - 0.5, x1=float(row["end"]) + 0.5, row=r, col=c,
                                  fillcolor=color_for(lab, dimension), opacity=0.15, line_width=0)
        base_layout(fig, title, height=220 * nrows + 80)
        return fig
    fig = go.Figure()
    for lab in order:
        s = t[t["label"] == lab].set_index("year")["count"].reindex(years, fill_value=0)
        fig.add_bar(x=years, y=s.values, name=esc(pretty(lab)), marker_color=color_for(lab, dimension),
                    hovertemplate=f"{esc(pretty(lab))} %{{x}}: %{{y}} papers<extra></extra>")
    if b is not None and len(b):
        for _, row in b.iterrows():
            lab = str(row["label"])
            fig.add_vrect(x0=float(row["start"]) - 0.5, x1=float(row["end"]) + 0.5, fillcolor=color_for(lab, dimension),
                          opacity=0.12, line_width=0, layer="below",
                          annotation_text=f"burst: {esc(pretty(lab))}", annotation_position="top left",
                          annotation_font_size=10)
    base_layout(fig, title, height=440, legend_title=pretty(dimension or "label"))
    fig.update_layout(barmode="stack", xaxis=dict(title="year", dtick=1), yaxis_title="papers")
    return fig
