"""Network figures: the citation network and the label (co-topic) co-occurrence network.

Large graphs are never laid out in full: the citation network is cut to its
largest (weakly) connected component and then to the ``top_k`` nodes by the
size measure before :func:`networkx.spring_layout` runs (seeded, so the
picture is the same on every run).
"""

from __future__ import annotations

import math
from collections import defaultdict

import networkx as nx
import pandas as pd
import plotly.graph_objects as go
from threadpoolctl import threadpool_limits

from ._common import as_int_year, base_layout, empty_figure, esc, labels_by_paper, paper_url, primary_labels, texts
from .palette import GREY, cluster_color, color_for, pretty

EDGE_COLOR = "rgba(120,120,120,0.35)"


def _one_thread():
    """BLAS on one thread for the layouts: their arrays are small, and a busy machine makes a thread pool
    cost 10-50x the work (the positions do not change)."""
    return threadpool_limits(1)


def _node_table(G: nx.Graph, papers: pd.DataFrame | None) -> dict[str, dict]:
    """Per-node attributes: the graph's own, completed from the papers table."""
    info: dict[str, dict] = {str(n): dict(d) for n, d in G.nodes(data=True)}
    if papers is not None and len(papers):
        cols = [c for c in ("title", "year", "venue", "citation_count", "arxiv_id", "doi", "url") if c in papers]
        sub = papers[papers["paper_id"].astype(str).isin(info)]
        for rec in sub[["paper_id", *cols]].to_dict("records"):
            d = info[str(rec.pop("paper_id"))]
            for k, v in rec.items():
                if d.get(k) is None or (not isinstance(d.get(k), str) and pd.isna(d.get(k))):
                    d[k] = v
    return info


def prune_graph(G: nx.Graph, *, top_k: int | None = 200, score: dict | None = None) -> nx.Graph:
    """Largest (weakly) connected component, then the ``top_k`` nodes by ``score`` (ties by node id).

    Examples
    --------
    >>> G = nx.Graph([(1, 2), (2, 3), (4, 5)])
    >>> sorted(prune_graph(G, top_k=None).nodes)
    [1, 2, 3]
    """
    if G.number_of_nodes() == 0:
        return G.copy()
    comps = nx.weakly_connected_components(G) if G.is_directed() else nx.connected_components(G)
    biggest = max(comps, key=lambda c: (len(c), min(str(n) for n in c)))  # ties: deterministic
    H = G.subgraph(biggest).copy()
    if top_k is not None and H.number_of_nodes() > top_k:
        score = score or dict(H.degree())
        keep = sorted(H.nodes, key=lambda n: (-float(score.get(n, 0) or 0), str(n)))[:top_k]
        H = H.subgraph(keep).copy()
    return H


def _edge_trace(G: nx.Graph, pos: dict, *, width: float = 0.6, color: str = EDGE_COLOR, name: str = "edges"):
    xs, ys = [], []
    for u, v in G.edges():
        xs += [pos[u][0], pos[v][0], None]
        ys += [pos[u][1], pos[v][1], None]
    return go.Scatter(x=xs, y=ys, mode="lines", line=dict(width=width, color=color), hoverinfo="skip",
                      name=name, showlegend=False)


def _axes_off(fig: go.Figure) -> None:
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, scaleanchor="x", scaleratio=1)


def plot_citation_network(
    G: nx.Graph,
    *,
    papers: pd.DataFrame | None = None,
    labels: pd.DataFrame | None = None,
    color_by: str = "task",
    size_by: str = "pagerank",
    clusters: pd.DataFrame | None = None,
    top_k: int | None = 200,
    seed: int = 7,
    title: str = "Citation network",
    measure: dict | None = None,
) -> go.Figure:
    """The citation network (largest component, top-k nodes), coloured by task or cluster.

    Parameters
    ----------
    G : networkx graph
        Nodes are paper ids; node attributes ``title, year, venue, citation_count``
        are used when present, else looked up in ``papers``.
    papers, labels : DataFrame, optional
        The contract tables (``labels`` gives each paper's best task label).
    color_by : {"task", "strategy", "modality", "cluster"}
        ``cluster`` reads ``clusters`` (columns ``paper_id, cluster``) or a node attribute ``cluster``.
    size_by : {"pagerank", "citations", "degree"}
        PageRank on the pruned component, ``citation_count`` (global S2 count), or degree.
    top_k : int or None
        Keep this many nodes of the largest component (by the size measure); nodes left
        without a link among them are then dropped.
    measure : dict, optional
        Paper id -> size measure computed by an analysis (the report passes the PageRank column of
        ``centrality.csv``, so the figure ranks exactly as the table); overrides ``size_by``.

    Returns
    -------
    go.Figure with one edge trace and one marker trace per colour group (legend
    entries); ``customdata`` of each point holds the paper's link (the report
    opens it on click).
    """
    if G is None or G.number_of_nodes() == 0:
        return empty_figure(title, "No citation edges yet: run `medvlm-graph refresh` or `ingest` first.")
    comp = prune_graph(G, top_k=None)
    if measure is not None:
        measure = {n: float(measure.get(n, 0.0)) for n in comp}
    elif size_by == "pagerank":
        try:
            measure = nx.pagerank(comp)
        except (nx.PowerIterationFailedConvergence, ZeroDivisionError):  # pragma: no cover - degenerate graphs
            measure = {n: 1.0 for n in comp}
    elif size_by == "citations":
        info0 = _node_table(comp, papers)
        measure = {n: float(info0[str(n)].get("citation_count") or 0) if not pd.isna(
            info0[str(n)].get("citation_count")) else 0.0 for n in comp}
    else:
        measure = {n: float(d) for n, d in comp.degree()}
    H = prune_graph(comp, top_k=top_k, score=measure)
    # papers left without a link among the top-k say nothing in a network drawing (and a spring layout
    # pushes them into a ring around the rest): drop them unless nothing else is left
    linked = [n for n in H if H.degree(n) > 0]
    if linked and len(linked) < H.number_of_nodes():
        H = prune_graph(H.subgraph(linked), top_k=None)  # and small fragments: the largest linked part
    info = _node_table(H, papers)
    with _one_thread():
        pos = nx.spring_layout(H, seed=seed, k=1.5 / math.sqrt(max(H.number_of_nodes(), 1)))

    if color_by == "cluster":
        if clusters is not None and len(clusters):
            group = dict(zip(clusters["paper_id"].astype(str), clusters["cluster"].astype(str)))
        else:
            group = {k: str(d.get("cluster")) for k, d in info.items() if d.get("cluster") is not None}
        dim = "cluster"
    else:
        group = primary_labels(labels, color_by)
        if not group:
            # graph builders store labels as "best;second" strings: keep the best one
            group = {k: str(d.get(color_by)).split(";")[0] for k, d in info.items() if d.get(color_by)}
        dim = color_by
    lab_text = labels_by_paper(labels if labels is None else labels[labels["paper_id"].astype(str).isin(info)])

    values = [measure.get(n, 0.0) for n in H]
    lo, hi = min(values), max(values)
    def size(v: float) -> float:
        return 7 + 23 * ((v - lo) / (hi - lo)) ** 0.5 if hi > lo else 12

    groups: dict[str, list] = defaultdict(list)
    for n in H:
        groups[group.get(str(n), "unlabelled")].append(n)

    fig = go.Figure([_edge_trace(H, pos)])
    measure_name = {"pagerank": "PageRank", "citations": "citations"}.get(size_by, "degree")
    for g in sorted(groups, key=lambda x: (x == "unlabelled", x)):
        nodes = groups[g]
        hover, urls = [], []
        for n in nodes:
            d = info[str(n)]
            year = as_int_year(d.get("year"))
            lines = [f"<b>{esc(d.get('title') or n, 120)}</b>",
                     f"{year if year else 'year unknown'} · {esc(d.get('venue')) or 'venue unknown'}",
                     f"{measure_name}: {measure.get(n, 0):.3g}"]
            if lab_text.get(str(n)):
                lines.append(esc(lab_text[str(n)]))
            url = paper_url(n, d)
            if url:
                lines.append("<i>click to open the paper</i>")
            hover.append("<br>".join(lines))
            urls.append(url)
        colour = GREY if g == "unlabelled" else (cluster_color(g) if dim == "cluster" else color_for(g, dim))
        fig.add_scatter(
            x=[pos[n][0] for n in nodes], y=[pos[n][1] for n in nodes], mode="markers",
            name=esc(pretty(g) if dim != "cluster" else g),
            marker=dict(size=[size(measure.get(n, 0)) for n in nodes], color=colour,
                        line=dict(width=0.6, color="white"), opacity=0.9),
            hovertext=texts(hover), hoverinfo="text", customdata=texts(urls),
        )
    base_layout(fig, title, height=640, legend_title=pretty(dim))
    _axes_off(fig)
    fig.update_layout(hovermode="closest")
    return fig


def _label_graph_from_table(labels: pd.DataFrame, dimensions) -> nx.Graph:
    """Label co-occurrence: nodes ``dimension:label`` weighted by papers, edges by shared papers.

    Nodes and edges are added in the order of their first paper (papers by id, labels sorted within
    each), so the drawing does not depend on the row order of ``labels``.
    """
    sub = labels[labels["dimension"].astype(str).isin(dimensions)]
    pairs = pd.DataFrame({"paper_id": sub["paper_id"].astype(str),
                          "key": sub["dimension"].astype(str) + ":" + sub["label"].astype(str)}).dropna()
    pairs = pairs.drop_duplicates().sort_values(["paper_id", "key"], ignore_index=True)
    counts = pairs["key"].value_counts(sort=False)
    G = nx.Graph()
    for key in pairs["key"].drop_duplicates():
        dim, lab = key.split(":", 1)
        G.add_node(key, dimension=dim, label=lab, count=int(counts[key]))
    both = pairs.merge(pairs, on="paper_id")  # every two labels of one paper, in paper order
    both = both[both["key_x"] < both["key_y"]].sort_values(["paper_id", "key_x", "key_y"], kind="stable")
    weights = both.groupby(["key_x", "key_y"], sort=False).size()
    G.add_edges_from((a, b, {"weight": int(w)}) for (a, b), w in weights.items())
    return G


def _component_layout(G: nx.Graph, comp: list) -> dict:
    """Kamada-Kawai positions of one connected part (nodes in ``comp`` order); two nodes side by side."""
    if len(comp) <= 2:
        return {n: (float(i) - 0.5, 0.0) for i, n in enumerate(comp)}
    H = nx.Graph()
    H.add_nodes_from(comp)
    H.add_edges_from(G.subgraph(comp).edges())
    return nx.kamada_kawai_layout(H)


def label_layout(G: nx.Graph) -> tuple[dict, list]:
    """Positions of a label network that read: linked labels spread out, isolated ones in a row.

    Each connected part with links is laid out by Kamada-Kawai (distances in links, so a dense
    core does not collapse into a clump), scaled by the square root of its size and placed side
    by side, largest first. Labels without any link go in rows below, by name, instead of being
    thrown far away by a force layout (which shrinks everything else). Deterministic: nodes are
    taken in sorted order.

    Returns
    -------
    (pos, isolated): ``{node: (x, y)}`` and the isolated nodes in their order.

    Examples
    --------
    >>> G = nx.Graph([("a", "b"), ("b", "c")]); G.add_node("z")
    >>> pos, isolated = label_layout(G)
    >>> isolated, pos["z"][1] < min(pos[n][1] for n in "abc")
    (['z'], True)
    """
    comps = sorted((sorted(c, key=str) for c in nx.connected_components(G) if len(c) > 1),
                   key=lambda c: (-len(c), str(c[0])))
    isolated = sorted((n for n in G if G.degree(n) == 0), key=lambda n: (str(G.nodes[n].get("dimension", "")),
                                                                           str(n)))
    pos: dict = {}
    right = 0.0
    biggest = len(comps[0]) if comps else 1
    with _one_thread():
        raws = [_component_layout(G, comp) for comp in comps]
    for comp, raw in zip(comps, raws):
        scale = math.sqrt(len(comp) / biggest)
        xs = [float(raw[n][0]) for n in comp]
        shift = right - min(xs) * scale + (0.4 if pos else 0.0)
        for n in comp:
            pos[n] = (float(raw[n][0]) * scale + shift, float(raw[n][1]) * scale)
        right = max(p[0] for p in pos.values())
    if isolated:
        lo_x = min((p[0] for p in pos.values()), default=0.0)
        hi_x = max((p[0] for p in pos.values()), default=1.0)
        bottom = min((p[1] for p in pos.values()), default=0.0)
        per_row = max(1, min(len(isolated), 8))
        step = (hi_x - lo_x) / 8 if hi_x > lo_x else 0.4
        for i, n in enumerate(isolated):
            row, col = divmod(i, per_row)
            in_row = min(per_row, len(isolated) - row * per_row)
            start = (lo_x + hi_x) / 2 - step * (in_row - 1) / 2  # each row centred under the network
            pos[n] = (start + col * step, bottom - 0.45 - 0.3 * row)
    return pos, isolated


def plot_label_network(
    source: nx.Graph | pd.DataFrame,
    *,
    dimensions=("task", "strategy", "modality"),
    min_weight: int = 1,
    seed: int = 7,
    title: str = "Label co-occurrence network",
) -> go.Figure:
    """Labels as nodes (sized by papers), linked when papers carry both (width by shared papers).

    ``source`` is the labels table (co-occurrence is counted here) or a graph whose
    nodes are labels with attributes ``dimension``, ``label`` and ``count``/``papers``
    and edges with ``weight``. Edges are drawn in three width classes (three
    traces at most), then one marker trace per dimension present. Linked labels are laid
    out by :func:`label_layout`; labels without a link stand in a row below, as the
    figure says. ``seed`` is kept for compatibility (the layout is deterministic).
    """
    G = _label_graph_from_table(source, dimensions) if isinstance(source, pd.DataFrame) else source
    if G is None or G.number_of_nodes() == 0:
        return empty_figure(title, "No labels yet.")
    G = G.copy()
    G.remove_edges_from([(u, v) for u, v, w in G.edges(data="weight", default=1) if (w or 0) < min_weight])
    pos, isolated = label_layout(G)
    fig = go.Figure()
    weights = sorted({float(w or 1) for _, _, w in G.edges(data="weight", default=1)})
    if weights:
        cuts = [weights[len(weights) // 3], weights[2 * len(weights) // 3]]
        for i, (lo, hi, width) in enumerate(((-math.inf, cuts[0], 0.7), (cuts[0], cuts[1], 2.0),
                                             (cuts[1], math.inf, 4.0))):
            sub = [(u, v) for u, v, w in G.edges(data="weight", default=1) if lo <= float(w or 1) < hi
                   or (i == 2 and float(w or 1) == hi)]
            if sub:
                fig.add_trace(_edge_trace(G.edge_subgraph(sub), pos, width=width, name=f"edges {i}"))
    by_dim: dict[str, list] = defaultdict(list)
    for n, d in G.nodes(data=True):
        by_dim[str(d.get("dimension", "label"))].append(n)
    counts = {n: float(d.get("count", d.get("papers", G.degree(n, weight="weight"))) or 0)
              for n, d in G.nodes(data=True)}
    top = max(counts.values()) or 1.0
    symbols = {"task": "circle", "strategy": "diamond", "modality": "square", "model": "triangle-up"}
    for dim in sorted(by_dim):
        nodes = by_dim[dim]
        labs = [str(G.nodes[n].get("label", n)) for n in nodes]
        fig.add_scatter(
            x=[pos[n][0] for n in nodes], y=[pos[n][1] for n in nodes], mode="markers+text",
            name=esc(pretty(dim)), text=[esc(pretty(lab)) for lab in labs], textposition="top center",
            textfont=dict(size=11),
            marker=dict(size=[9 + 23 * math.sqrt(counts[n] / top) for n in nodes],
                        color=[color_for(lab, dim) for lab in labs], symbol=symbols.get(dim, "circle"),
                        line=dict(width=1, color="white")),
            hovertext=[f"<b>{esc(pretty(lab))}</b> ({esc(dim)})<br>{int(counts[n])} papers"
                       for n, lab in zip(nodes, labs)],
            hoverinfo="text",
        )
    if isolated:
        bottom = min(pos[n][1] for n in isolated)
        fig.add_annotation(x=sum(pos[n][0] for n in isolated[:8]) / len(isolated[:8]), y=bottom, yshift=-28,
                           text="<i>not linked: no paper carries "
                                + ("this label" if len(isolated) == 1 else f"these {len(isolated)} labels")
                                + " together with another one</i>", showarrow=False, font=dict(size=11, color="#666"))
    base_layout(fig, title, height=640, legend_title="Dimension (marker shape)")
    # no fixed aspect ratio: the layout's distances mean nothing, and using the whole width keeps labels apart
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    pad_x = 0.12 * ((max(xs) - min(xs)) or 1.0)  # room for the text of the outermost labels
    fig.update_xaxes(range=[min(xs) - pad_x, max(xs) + pad_x])
    fig.update_yaxes(range=[min(ys) - 0.25, max(ys) + 0.2])
    return fig
