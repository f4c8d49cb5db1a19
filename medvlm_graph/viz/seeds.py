"""Day-one figures from the seeds table alone (no Semantic Scholar needed).

* :func:`plot_seed_tasks` - how many papers the review lists per task, plus the model table by origin;
* :func:`plot_seed_identifiers` - which identifiers the links carry (arXiv, DOI, PII, ...);
* :func:`plot_seed_years` - years known from arXiv ids and venue URLs.
"""

from __future__ import annotations

import re

import pandas as pd
import plotly.graph_objects as go

from ._common import base_layout, empty_figure, esc
from .palette import GREY, TASKS, color_for, pretty

_ARXIV_NEW = re.compile(r"^(\d{2})(\d{2})\.\d{4,5}")
ID_KINDS = [("arxiv_id", "arXiv"), ("doi", "DOI"), ("pii", "ScienceDirect PII"), ("pmcid", "PMC"),
            ("acl_id", "ACL Anthology"), ("ieee_id", "IEEE")]


def _has(series: pd.Series) -> pd.Series:
    return series.notna() & (series.astype("string").str.strip().fillna("") != "")


def _col(seeds: pd.DataFrame, name: str) -> pd.Series:
    return seeds[name] if name in seeds.columns else pd.Series(pd.NA, index=seeds.index, dtype="string")


def is_model_row(seeds: pd.DataFrame) -> pd.Series:
    """True for rows of the review's model table (they carry a model name or an origin)."""
    return _has(_col(seeds, "model_name")) | _has(_col(seeds, "origin"))


def identifier_kind(seeds: pd.DataFrame) -> pd.Series:
    """The best identifier kind of each row: arXiv, DOI, ..., "venue/year hint only" or "none".

    Examples
    --------
    >>> df = pd.DataFrame({"arxiv_id": ["2303.00915", None, None], "doi": [None, "10.1/x", None]})
    >>> identifier_kind(df).tolist()
    ['arXiv', 'DOI', 'none']
    """
    kind = pd.Series("none", index=seeds.index, dtype=object)
    hint = _has(_col(seeds, "venue_hint")) | _has(_col(seeds, "year_hint"))
    kind[hint] = "venue/year hint only"
    for col, name in reversed(ID_KINDS):  # first kind in ID_KINDS wins
        kind[_has(_col(seeds, col))] = name
    return kind


def seed_years(seeds: pd.DataFrame) -> pd.DataFrame:
    """Year of each row where the list tells it: from a new-style arXiv id (YYMM.) or a venue URL hint.

    Returns a frame with ``seed_id``, ``year`` (Int64) and ``year_source`` ("arXiv id" | "venue or publisher link").

    Examples
    --------
    >>> df = pd.DataFrame({"seed_id": ["a", "b", "c"], "arxiv_id": ["2303.00915", None, None],
    ...                    "year_hint": [None, 2022, None]})
    >>> seed_years(df)[["seed_id", "year", "year_source"]].values.tolist()
    [['a', 2023, 'arXiv id'], ['b', 2022, 'venue or publisher link']]
    """
    rows = []
    arx = _col(seeds, "arxiv_id")
    hint = _col(seeds, "year_hint")
    sid = _col(seeds, "seed_id")
    for s, a, h in zip(sid, arx, hint):
        m = _ARXIV_NEW.match(str(a)) if isinstance(a, str) else None
        if m and 1 <= int(m.group(2)) <= 12:
            rows.append((s, 2000 + int(m.group(1)), "arXiv id"))
        elif h is not None and not pd.isna(h):
            rows.append((s, int(h), "venue or publisher link"))
    out = pd.DataFrame(rows, columns=["seed_id", "year", "year_source"])
    out["year"] = out["year"].astype("Int64")
    return out


def plot_seed_tasks(seeds: pd.DataFrame, *, title: str = "The review's list: papers per task") -> go.Figure:
    """Horizontal bars: rows per task section, and the model table split by origin.

    One bar trace for the tasks (coloured per task) and one per origin for the
    model table (``natural``, ``medical``), so the figure has 1 + #origins traces.
    """
    if seeds is None or len(seeds) == 0:
        return empty_figure(title, "No seed list loaded.")
    model = is_model_row(seeds)
    tasks = _col(seeds, "task")[~model].dropna().astype(str)
    counts = tasks.value_counts()
    order = [t for t in TASKS if t in counts.index] + sorted(t for t in counts.index if t not in TASKS)
    order = sorted(order, key=lambda t: (counts[t], -order.index(t)))  # biggest on top
    fig = go.Figure()
    fig.add_bar(
        y=[esc(pretty(t)) for t in order], x=[int(counts[t]) for t in order], orientation="h", name="task sections",
        marker_color=[color_for(t, "task") for t in order], showlegend=False,
        text=[int(counts[t]) for t in order], textposition="outside",
        hovertemplate="%{y}: %{x} papers<extra></extra>",
    )
    origins = _col(seeds, "origin")[model].fillna("unknown").astype(str)
    for origin, n in origins.value_counts().sort_index().items():
        fig.add_bar(y=["Model table"], x=[int(n)], orientation="h", name=f"model table: {esc(origin)}",
                    marker_color=color_for(origin, "origin") if origin != "unknown" else GREY,
                    text=[f"{esc(origin)} {int(n)}"], textposition="inside",
                    hovertemplate=f"model table, {esc(origin)}: %{{x}}<extra></extra>")
    base_layout(fig, title, height=90 + 28 * (len(order) + 1), legend_title="Model table origin")
    fig.update_layout(barmode="stack", xaxis_title="rows in the list", yaxis_title=None,
                      legend=dict(orientation="h", y=1.0, yanchor="bottom", x=1, xanchor="right"),
                      margin=dict(t=80))
    return fig


def plot_seed_identifiers(seeds: pd.DataFrame, *,
                          title: str = "Identifiers found in the list's links") -> go.Figure:
    """Stacked bars: rows by the best identifier their link carries, for the model table and the task sections.

    Two bar traces (``model table``, ``task sections``); x categories are the
    identifier kinds in a fixed order, then "venue/year hint only" and "none".
    """
    if seeds is None or len(seeds) == 0:
        return empty_figure(title, "No seed list loaded.")
    kind = identifier_kind(seeds)
    cats = [name for _, name in ID_KINDS] + ["venue/year hint only", "none"]
    model = is_model_row(seeds)
    fig = go.Figure()
    for name, mask, colour in (("task sections", ~model, "#0072B2"), ("model table", model, "#E69F00")):
        counts = kind[mask].value_counts()
        fig.add_bar(x=cats, y=[int(counts.get(c, 0)) for c in cats], name=name, marker_color=colour,
                    hovertemplate=f"{name}: %{{y}} rows with %{{x}}<extra></extra>")
    base_layout(fig, title, height=380, legend_title="Rows from")
    fig.update_layout(barmode="stack", yaxis_title="rows", xaxis_title="best identifier in the link")
    return fig


def plot_seed_years(seeds: pd.DataFrame, *, title: str = "Years known before any fetch") -> go.Figure:
    """Stacked bars per year: rows dated by their arXiv id and rows dated by a venue URL (CVF, MICCAI, ...).

    One bar trace per year source present (at most two).
    """
    years = seed_years(seeds) if seeds is not None and len(seeds) else pd.DataFrame()
    if years.empty:
        return empty_figure(title, "No row carries an arXiv id or a dated venue link.")
    fig = go.Figure()
    all_years = list(range(int(years["year"].min()), int(years["year"].max()) + 1))
    for source, colour in (("arXiv id", "#009E73"), ("venue or publisher link", "#CC79A7")):
        sub = years[years["year_source"] == source]
        if sub.empty:
            continue
        counts = sub["year"].value_counts()
        fig.add_bar(x=all_years, y=[int(counts.get(y, 0)) for y in all_years], name=f"from {source}",
                    marker_color=colour, hovertemplate=f"%{{x}}: %{{y}} rows dated by {source}<extra></extra>")
    base_layout(fig, title, height=360, legend_title="Year known from")
    fig.update_layout(barmode="stack", xaxis=dict(title="year", dtick=1), yaxis_title="rows")
    return fig
