"""Label x label heatmaps (task x strategy, task x modality) with gap cells marked.

A gap (× in vermillion) is a combination with clearly fewer papers than the row and
column totals predict; an empty cell (open grey circle) has no paper yet but too few
expected to call it a gap. See :mod:`medvlm_graph.analysis.gaps` for the rule.
"""

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


def _matrix_from_gaps(gaps: pd.DataFrame | None, rows: str, cols: str) -> pd.DataFrame | None:
    """The observed counts of a :func:`~medvlm_graph.analysis.compute_gaps` table, so that the numbers
    shown are exactly the ones the gap flags were computed from (same score threshold)."""
    if gaps is None or not {"dim_a", "label_a", "dim_b", "label_b", "observed"} <= set(gaps.columns):
        return None
    g = gaps[(gaps["dim_a"].astype(str) == rows) & (gaps["dim_b"].astype(str) == cols)]
    if g.empty:
        return None
    mat = g.pivot_table(index="label_a", columns="label_b", values="observed", aggfunc="sum", fill_value=0)
    r_order = [x for x in _ORDER.get(rows, []) if x in mat.index] + sorted(set(mat.index) - set(_ORDER.get(rows, [])))
    c_order = [x for x in _ORDER.get(cols, []) if x in mat.columns] + sorted(
        set(mat.columns) - set(_ORDER.get(cols, [])))
    return mat.reindex(index=r_order, columns=c_order, fill_value=0).astype(int)


def _cell_flags(gaps: pd.DataFrame | None, rows: str, cols: str, mat: pd.DataFrame) -> dict[tuple[str, str], str]:
    """``{(row, col): "gap" | "empty"}``: from a gaps table when given, else every empty cell is "empty".

    A gaps table is either the long form of :func:`medvlm_graph.analysis.compute_gaps`
    (``dim_a, label_a, dim_b, label_b, flag`` with flag ``gap``/``empty``/...) or a frame with
    columns ``<rows>, <cols>`` (or ``row, col``) whose rows are all gaps (or flagged by a boolean ``is_gap``).
    """
    if gaps is None:
        return {(r, c): "empty" for r in mat.index for c in mat.columns if mat.loc[r, c] == 0}
    g = gaps
    if {"dim_a", "label_a", "dim_b", "label_b"} <= set(g.columns):
        direct = g[(g["dim_a"].astype(str) == rows) & (g["dim_b"].astype(str) == cols)]
        swapped = g[(g["dim_a"].astype(str) == cols) & (g["dim_b"].astype(str) == rows)]
        keys = list(zip(direct["label_a"].astype(str), direct["label_b"].astype(str))) + list(
            zip(swapped["label_b"].astype(str), swapped["label_a"].astype(str)))
        flags = list(direct.get("flag", pd.Series("gap", index=direct.index)).fillna("").astype(str)) + list(
            swapped.get("flag", pd.Series("gap", index=swapped.index)).fillna("").astype(str))
        return {k: f for k, f in zip(keys, flags) if f in ("gap", "empty")}
    if rows in g.columns and cols in g.columns:
        rcol, ccol = rows, cols
    elif "row" in g.columns and "col" in g.columns:
        rcol, ccol = "row", "col"
    else:
        return {}
    if "is_gap" in g.columns:
        g = g[g["is_gap"].fillna(False).astype(bool)]
    return {(str(r), str(c)): "gap" for r, c in zip(g[rcol], g[ccol])}


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
        Cells to mark: :func:`medvlm_graph.analysis.compute_gaps` output (``flag`` ``gap`` -> ×,
        ``empty`` -> open circle), or a frame ``<rows>, <cols>`` of gap cells. Without it, empty
        cells get the open circle.

    Returns
    -------
    go.Figure: one heatmap trace, then a scatter trace for the marked gaps and one for the empty
    cells, each only when there is a cell to mark.
    """
    title = title or f"{pretty(rows)} × {pretty(cols)}: papers per combination"
    if labels is None or len(labels) == 0:
        return empty_figure(title, "No labels yet.")
    mat = _matrix_from_gaps(gaps, rows, cols)
    if mat is None:
        mat = cooccurrence_matrix(labels, rows, cols)
    if mat.empty:
        return empty_figure(title, f"No paper carries both a {rows} and a {cols} label yet.")
    xs = [esc(pretty(c)) for c in mat.columns]
    ys = [esc(pretty(r)) for r in mat.index]
    flags = _cell_flags(gaps, rows, cols, mat)
    # empty cells show no number (the open circle says it); gap cells keep theirs inside a square
    text = [["" if flags.get((r, c)) == "empty" else str(int(mat.loc[r, c])) for c in mat.columns] for r in mat.index]
    fig = go.Figure(go.Heatmap(
        z=mat.values, x=xs, y=ys, colorscale=SEQUENTIAL, colorbar=dict(title="papers"),
        text=text, texttemplate="%{text}", xgap=1, ygap=1,
        hovertemplate=f"{esc(pretty(rows))}: %{{y}}<br>{esc(pretty(cols))}: %{{x}}<br>%{{z}} papers<extra></extra>",
    ))
    for kind, name, symbol, colour, size in (
            ("gap", "gap: far fewer papers than expected", "square-open", "#D55E00", 26),
            ("empty", "no paper yet", "circle-open", "#888888", 9)):
        cells = sorted(k for k, f in flags.items() if f == kind and k[0] in mat.index and k[1] in mat.columns)
        if cells:
            fig.add_scatter(x=[esc(pretty(c)) for _, c in cells], y=[esc(pretty(r)) for r, _ in cells], mode="markers",
                            name=name, marker=dict(symbol=symbol, size=size, color=colour,
                                                   line=dict(width=3 if kind == "gap" else 1.5, color=colour)),
                            hovertemplate=f"{name}: %{{y}} × %{{x}}<extra></extra>", showlegend=True)
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
