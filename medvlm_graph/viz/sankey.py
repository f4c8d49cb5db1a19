"""Strategy -> task flows as a Sankey diagram."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from ._common import base_layout, empty_figure, esc
from .palette import STRATEGIES, TASKS, color_for, pretty


def strategy_task_flows(labels: pd.DataFrame, source: str = "strategy", target: str = "task") -> pd.DataFrame:
    """Papers per (source label, target label): columns ``source, target, papers``.

    Examples
    --------
    >>> lab = pd.DataFrame({"paper_id": ["p", "p", "p"], "dimension": ["strategy", "task", "task"],
    ...                     "label": ["prompting", "vqa", "segmentation"]})
    >>> strategy_task_flows(lab).values.tolist()
    [['prompting', 'segmentation', 1], ['prompting', 'vqa', 1]]
    """
    dim = labels["dimension"].astype(str)
    a = labels[dim == source][["paper_id", "label"]].astype(str).drop_duplicates()
    b = labels[dim == target][["paper_id", "label"]].astype(str).drop_duplicates()
    m = a.merge(b, on="paper_id", suffixes=("_s", "_t"))
    out = m.groupby(["label_s", "label_t"]).size().reset_index(name="papers")
    return out.rename(columns={"label_s": "source", "label_t": "target"}).sort_values(
        ["source", "target"]).reset_index(drop=True)


def _rgba(hex_colour: str, alpha: float) -> str:
    h = hex_colour.lstrip("#")
    return f"rgba({int(h[0:2], 16)},{int(h[2:4], 16)},{int(h[4:6], 16)},{alpha})"


def plot_strategy_task_sankey(labels: pd.DataFrame, *, source: str = "strategy", target: str = "task",
                              title: str | None = None) -> go.Figure:
    """Sankey from adaptation strategies (left) to tasks (right); link width = papers with both labels.

    A paper with two strategies and one task counts once on each of its two links.
    One ``sankey`` trace; node colours are the labels' colours shared with every other figure.
    """
    title = title or f"From {pretty(source).lower()} to {pretty(target).lower()}"
    if labels is None or len(labels) == 0:
        return empty_figure(title, "No labels yet.")
    flows = strategy_task_flows(labels, source, target)
    if flows.empty:
        return empty_figure(title, f"No paper carries both a {source} and a {target} label yet.")
    def order(values, known):
        vs = set(values)
        return [x for x in known if x in vs] + sorted(vs - set(known))
    left = order(flows["source"], STRATEGIES if source == "strategy" else TASKS)
    right = order(flows["target"], TASKS if target == "task" else STRATEGIES)
    nodes = [("s", x) for x in left] + [("t", x) for x in right]
    index = {n: i for i, n in enumerate(nodes)}
    colours = [color_for(x, source if side == "s" else target) for side, x in nodes]
    fig = go.Figure(go.Sankey(
        arrangement="snap",
        node=dict(label=[esc(pretty(x)) for _, x in nodes], color=colours, pad=14, thickness=16,
                  line=dict(color="white", width=0.5),
                  hovertemplate="%{label}: %{value} paper-links<extra></extra>"),
        link=dict(source=[index[("s", s)] for s in flows["source"]],
                  target=[index[("t", t)] for t in flows["target"]],
                  value=flows["papers"].astype(int).tolist(),
                  color=[_rgba(color_for(s, source), 0.35) for s in flows["source"]],
                  hovertemplate="%{source.label} → %{target.label}: %{value} papers<extra></extra>"),
    ))
    base_layout(fig, title, height=max(420, 30 * len(right) + 120))
    return fig
