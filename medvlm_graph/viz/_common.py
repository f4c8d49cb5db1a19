"""Helpers shared by the figure modules: escaping, layout defaults, label lookups."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pyarrow as pa
import pyarrow.compute as pc

from ..markup import esc  # the one HTML escape (hover text is HTML to plotly)

FONT = dict(family="Helvetica, Arial, sans-serif", size=13, color="#222222")
# A small white template: plotly's built-in "plotly_white" is deep-copied on every use, which costs
# far more than the figures themselves in a report of a dozen figures.
_AXIS = dict(gridcolor="#EBF0F8", linecolor="#EBF0F8", zerolinecolor="#EBF0F8", ticks="", automargin=True)
TEMPLATE = dict(layout=dict(paper_bgcolor="white", plot_bgcolor="white", xaxis=_AXIS, yaxis=_AXIS,
                            hovermode="closest"))


def base_layout(fig: go.Figure, title: str, *, height: int = 480, legend_title: str | None = None) -> go.Figure:
    """Apply the common look: white template, readable font, left title, no mathjax-sensitive text."""
    fig.update_layout(
        template=TEMPLATE,
        title=dict(text=esc(title), x=0.01, xanchor="left"),
        font=FONT,
        height=height,
        margin=dict(l=60, r=30, t=60, b=50),
        hoverlabel=dict(align="left", bgcolor="white", font_size=12),
        legend=dict(title=dict(text=esc(legend_title) if legend_title else None)),
    )
    return fig


def texts(values) -> np.ndarray:
    """Per-point text (hover text, links) as a numpy object array: plotly checks a list item by
    item, an array at once, and writes both the same way in the figure's JSON.

    Examples
    --------
    >>> texts(["a", "b"]).tolist()
    ['a', 'b']
    """
    out = np.empty(len(values), dtype=object)
    out[:] = list(values)
    return out


def empty_figure(title: str, message: str) -> go.Figure:
    """A figure with no data but a visible message (used when a table is empty)."""
    fig = go.Figure()
    base_layout(fig, title, height=260)
    fig.add_annotation(text=esc(message), x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False,
                       font=dict(size=14, color="#555555"))
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return fig


def primary_labels(labels: pd.DataFrame | None, dimension: str) -> dict[str, str]:
    """``{paper_id: label}`` with each paper's best-scored label in ``dimension``.

    Ties are broken by label name so the result does not depend on row order.
    """
    if labels is None or len(labels) == 0:
        return {}
    sub = labels[labels["dimension"].astype(str) == dimension]
    if sub.empty:
        return {}
    score = pd.to_numeric(sub["score"], errors="coerce").fillna(0.0) if "score" in sub else 0.0
    sub = sub.assign(_score=score, _label=sub["label"].astype(str), _pid=sub["paper_id"].astype(str))
    sub = sub.sort_values(["_pid", "_score", "_label"], ascending=[True, False, True])
    first = sub.drop_duplicates("_pid")
    return dict(zip(first["_pid"], first["_label"]))


def _join_groups(rows: pa.Table, keys: list[str], value: str, sep: str) -> pa.Table:
    """``keys`` columns and ``value``: the values of each group joined by ``sep``, in row order,
    groups in the order they first appear."""
    grouped = rows.group_by(keys, use_threads=False).aggregate([(value, "list")])  # one thread: row order kept
    joined = pc.binary_join(grouped[value + "_list"], pa.scalar(sep, rows.schema.field(value).type))
    return grouped.select(keys).append_column(value, joined)


def join_by_key(keys: pd.Series, values: pd.Series, sep: str) -> dict[str, str]:
    """``{key: its values joined by sep}``, values in row order (text columns, no missing values).

    Examples
    --------
    >>> join_by_key(pd.Series(["b", "a", "b"]), pd.Series(["x", "y", "z"]), ", ")
    {'b': 'x, z', 'a': 'y'}
    """
    rows = pa.Table.from_pandas(pd.DataFrame({"key": keys, "value": values}), preserve_index=False)
    joined = _join_groups(rows, ["key"], "value", sep)
    return dict(zip(joined["key"].to_pylist(), joined["value"].to_pylist()))


def labels_by_paper(labels: pd.DataFrame | None) -> dict[str, str]:
    """``{paper_id: "task: a, b; strategy: c"}`` for hover texts (ids are taxonomy ids, escaped anyway).

    Dimensions and, within each, distinct labels are sorted; rows missing a paper, dimension or label
    are left out.

    Examples
    --------
    >>> labels_by_paper(pd.DataFrame({"paper_id": ["p", "p", "p"], "dimension": ["task", "strategy", "task"],
    ...                               "label": ["vqa", "prompting", "captioning"]}))
    {'p': 'strategy: prompting; task: captioning, vqa'}
    """
    if labels is None or len(labels) == 0:
        return {}
    rows = pd.DataFrame({"paper_id": labels["paper_id"].astype(str), "dimension": labels["dimension"].astype(str),
                         "label": labels["label"].astype(str)}).dropna()
    rows = rows.drop_duplicates().sort_values(["paper_id", "dimension", "label"])
    per_dim = _join_groups(pa.Table.from_pandas(rows, preserve_index=False), ["paper_id", "dimension"], "label", ", ")
    text = pc.binary_join_element_wise(per_dim["dimension"], per_dim["label"], pa.scalar(": ", per_dim["label"].type))
    joined = _join_groups(pa.table({"paper_id": per_dim["paper_id"], "text": text}), ["paper_id"], "text", "; ")
    return dict(zip(joined["paper_id"].to_pylist(), joined["text"].to_pylist()))


def paper_url(paper_id: object, row: dict | None = None) -> str:
    """A link to the paper: Semantic Scholar for S2 ids, else arXiv/DOI/the list's own link."""
    pid = "" if paper_id is None else str(paper_id)
    row = row or {}
    if pid and not pid.startswith("seed:"):
        return f"https://www.semanticscholar.org/paper/{pid}"
    for key, prefix in (("arxiv_id", "https://arxiv.org/abs/"), ("doi", "https://doi.org/")):
        val = row.get(key)
        if isinstance(val, str) and val:
            return prefix + val
    val = row.get("url")
    return val if isinstance(val, str) and val.startswith(("http://", "https://")) else ""


def as_int_year(value: object) -> int | None:
    try:
        if value is None or pd.isna(value):
            return None
        return int(value)
    except (TypeError, ValueError):
        return None
