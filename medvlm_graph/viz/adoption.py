"""Foundation-model adoption: when each model was first used for each task."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ._common import as_int_year, base_layout, empty_figure, esc
from .palette import TASKS, color_for, pretty

SYMBOLS = ["circle", "diamond", "square", "triangle-up", "star", "cross", "x", "pentagon", "hexagram",
           "triangle-down"]


def _col(df: pd.DataFrame, *names: str) -> str | None:
    return next((n for n in names if n in df.columns), None)


def plot_model_adoption(adoption: pd.DataFrame, *, max_models: int = 12,
                        title: str = "Foundation-model adoption per task") -> go.Figure:
    """Timeline: for each (model, task), the year of the first paper using the model for the task.

    Parameters
    ----------
    adoption : DataFrame
        ``model, task, first_year`` (``first_use_year``/``year`` accepted), as
        :func:`medvlm_graph.analysis.compute_model_adoption` returns; optional ``model_year``
        (``release_year`` accepted: the model's own paper), ``n_papers`` and ``first_title``.
    max_models : int
        The models used in most tasks are shown (others are left out, and the title says so).

    Returns
    -------
    go.Figure with one marker trace per model (models share a colour per name across figures),
    plus one grey line trace joining each model's release year to its first use when
    a model year is given.
    """
    if adoption is None or len(adoption) == 0:
        return empty_figure(title, "No foundation-model mentions found yet.")
    ycol = _col(adoption, "first_year", "first_use_year", "year")
    if ycol is None or "model" not in adoption.columns or "task" not in adoption.columns:
        return empty_figure(title, "Adoption table lacks model, task or first-year columns.")
    a = adoption.dropna(subset=[ycol]).copy()
    a["model"] = a["model"].astype(str)
    a["task"] = a["task"].astype(str)
    spread = a.groupby("model")["task"].nunique().sort_values(ascending=False)
    models = sorted(spread.index, key=lambda m: (-spread[m], m))[:max_models]
    if len(spread) > max_models:
        title = f"{title} (the {max_models} most widely used models)"
    a = a[a["model"].isin(models)]
    tasks = [t for t in TASKS if t in set(a["task"])] + sorted(set(a["task"]) - set(TASKS))
    fig = go.Figure()
    rel = _col(a, "model_year", "release_year")
    n_models = len(models)
    # a small vertical offset per model keeps models first used in the same year visible
    offsets = {m: (i - (n_models - 1) / 2) * (0.6 / max(n_models, 1)) for i, m in enumerate(models)}
    if rel:
        xs, ys = [], []
        for _, r in a.dropna(subset=[rel]).iterrows():
            y = tasks.index(r["task"]) + offsets[r["model"]]
            xs += [float(r[rel]), float(r[ycol]), None]
            ys += [y, y, None]
        if xs:
            fig.add_scatter(x=xs, y=ys, mode="lines", line=dict(color="rgba(120,120,120,0.4)", width=1),
                            name="release → first use", hoverinfo="skip")
    for i, m in enumerate(models):
        sub = a[a["model"] == m]
        offset = offsets[m]
        hover = []
        for _, r in sub.iterrows():
            parts = [f"<b>{esc(m)}</b> in {esc(pretty(r['task']))}", f"first used: {as_int_year(r[ycol])}"]
            if rel and as_int_year(r.get(rel)) is not None:
                parts.append(f"released: {as_int_year(r[rel])} (lag {as_int_year(r[ycol]) - as_int_year(r[rel])} y)")
            if "first_title" in sub.columns and isinstance(r.get("first_title"), str):
                parts.append(f"first paper: {esc(r['first_title'], 90)}")
            if "n_papers" in sub.columns and not pd.isna(r.get("n_papers")):
                parts.append(f"papers: {int(r['n_papers'])}")
            hover.append("<br>".join(parts))
        fig.add_scatter(
            x=sub[ycol].astype(float) + 0, y=[tasks.index(t) + offset for t in sub["task"]], mode="markers",
            name=esc(m), marker=dict(size=11, color=color_for(m, "model"), symbol=SYMBOLS[i % len(SYMBOLS)],
                                     line=dict(width=0.8, color="#333")),
            hovertext=hover, hoverinfo="text",
        )
    base_layout(fig, title, height=max(360, 110 + 40 * len(tasks)), legend_title="Model")
    fig.update_layout(
        xaxis=dict(title="year of first use", dtick=1),
        yaxis=dict(tickmode="array", tickvals=list(range(len(tasks))), ticktext=[esc(pretty(t)) for t in tasks],
                   autorange="reversed", title=None),
    )
    return fig
