"""Label x label heatmaps (task x strategy, task x modality) with gap cells marked."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ._common import base_layout, empty_figure, esc
from .palette import MODALITIES, SEQUENTIAL, STRATEGIES, TASKS, pretty

_ORDER = {"task": TASKS, "strategy": STRATEGIES, "modality": MODALITIES}


def cooccurrence_matrix(labels: pd.DataFrame, rows: str, cols: str) -> pd.DataFrame:
    """Papers carrying both a ``rows`` label and a ``cols`` label (a paper counts once per cell).

    Examples
    --------
    >>> lab = pd.DataFrame({"paper_id": ["p", "p", "q", "q"], "dimension": ["task", "strategy"] * 2,
    ...                     "label": ["vqa", "prompting", "vqa", "prompting"]})
    >>> int(cooccurrence_matrix(lab, "task", "strategy").loc["vqa", "prompting"])
    2
    """
    dim = labels["dimension"].astype(str)
    a = labels[dim == rows][["paper_id", "label"]].astype(str).drop_duplicates()
    b = labels[dim == cols][["paper_id", "label"]].astype(str).drop_duplicates()
    pairs = a.merge(b, on="paper_id", suffixes=("_r", "_c"))
    mat = pd.crosstab(pairs["label_r"], pairs["label_c"]) if len(pairs) else pd.DataFrame(dtype=int)
    r_order = [x for x in _ORDER.get(rows, []) if x in set(a["label"])] + sorted(
        set(a["label"]) - set(_ORDER.get(rows, [])))
    c_order = [x for x in _ORDER.get(cols, []) if x in set(b["label"])] + sorted(
        set(b["label"]) - set(_ORDER.get(cols, [])))
    return mat.reindex(index=r_order, columns=c_order, fill_value=0).fillna(0).astype(int)


def _gap_cells(gaps: pd.DataFrame | None, rows: str, cols: str, mat: pd.DataFrame) -> set[tuple[str, str]]:
    """Cells flagged as gaps: from a gaps table when given, else the empty cells."""
    if gaps is None:
        return {(r, c) for r in mat.index for c in mat.columns if mat.loc[r, c] == 0}
    g = gaps
    if "dim_a" in g.columns and "dim_b" in g.columns:  # long form: dim_a/label_a, dim_b/label_b
        g = g[(g["dim_a"].astype(str) == rows) & (g["dim_b"].astype(str) == cols)]
        rcol, ccol = "label_a", "label_b"
    elif rows in g.columns and cols in g.columns:
        rcol, ccol = rows, cols
    elif "row" in g.columns and "col" in g.columns:
        rcol, ccol = "row", "col"
    else:
        return set()
    for flag in ("is_gap", "gap", "empty_plausible"):
        if flag in g.columns:
            g = g[g[flag].fillna(False).astype(bool)]
            break
    return {(str(r), str(c)) for r, c in zip(g[rcol], g[ccol])}


def plot_label_heatmap(
    labels: pd.DataFrame,
    rows: str = "task",
    cols: str = "strategy",
    *,
    gaps: pd.DataFrame | None = None,
    title: str | None = None,
) -> go.Figure:
    """Heatmap of papers per (row label, column label), gap cells marked with an open ×.

    Parameters
    ----------
    labels : DataFrame
        The labels table (``paper_id, dimension, label``).
    rows, cols : str
        Dimensions for the axes.
    gaps : DataFrame, optional
        Cells to mark (columns ``<rows>, <cols>`` or ``row, col``, optionally a boolean
        ``is_gap``). Without it, empty cells are marked.

    Returns
    -------
    go.Figure: one heatmap trace, plus one scatter trace named ``gap`` when any cell is marked.
    """
    title = title or f"{pretty(rows)} × {pretty(cols)}: papers per combination"
    if labels is None or len(labels) == 0:
        return empty_figure(title, "No labels yet.")
    mat = cooccurrence_matrix(labels, rows, cols)
    if mat.empty:
        return empty_figure(title, f"No paper carries both a {rows} and a {cols} label yet.")
    xs = [pretty(c) for c in mat.columns]
    ys = [pretty(r) for r in mat.index]
    fig = go.Figure(go.Heatmap(
        z=mat.values, x=xs, y=ys, colorscale=SEQUENTIAL, colorbar=dict(title="papers"),
        text=mat.values, texttemplate="%{text}", xgap=1, ygap=1,
        hovertemplate=f"{esc(pretty(rows))}: %{{y}}<br>{esc(pretty(cols))}: %{{x}}<br>%{{z}} papers<extra></extra>",
    ))
    cells = [(r, c) for r, c in sorted(_gap_cells(gaps, rows, cols, mat)) if r in mat.index and c in mat.columns]
    if cells:
        fig.add_scatter(x=[pretty(c) for _, c in cells], y=[pretty(r) for r, _ in cells], mode="markers",
                        name="gap", marker=dict(symbol="x-thin-open", size=18, color="#D55E00",
                                                line=dict(width=2, color="#D55E00")),
                        hovertemplate="gap: %{y} × %{x}<extra></extra>", showlegend=True)
    base_layout(fig, title, height=max(360, 120 + 34 * len(ys)))
    fig.update_layout(xaxis=dict(side="bottom", tickangle=-30), yaxis=dict(autorange="reversed"),
                      legend=dict(orientation="h", y=1.06, x=1, xanchor="right"))
    return fig


def plot_task_strategy_heatmap(labels: pd.DataFrame, *, gaps: pd.DataFrame | None = None) -> go.Figure:
    """Task x strategy heatmap (see :func:`plot_label_heatmap`)."""
    return plot_label_heatmap(labels, "task", "strategy", gaps=gaps)


def plot_task_modality_heatmap(labels: pd.DataFrame, *, gaps: pd.DataFrame | None = None) -> go.Figure:
    """Task x modality heatmap (see :func:`plot_label_heatmap`)."""
    return plot_label_heatmap(labels, "task", "modality", gaps=gaps)
