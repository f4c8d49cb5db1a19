"""plot_* on small hand-made frames (SYNTHETIC data, invented for these tests)."""

from __future__ import annotations

import networkx as nx
import pandas as pd
import plotly.graph_objects as go
import pytest

from medvlm_graph import viz
from medvlm_graph.viz.palette import GREY, QUALITATIVE, color_for

EVIL = '<script>alert(1)</script>"><img src=x onerror=alert(1)>'
EVIL_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"


@pytest.fixture
def labels() -> pd.DataFrame:
    rows = [("a", "task", "segmentation"), ("a", "strategy", "prompting"), ("a", "modality", "ct"),
            ("b", "task", "segmentation"), ("b", "strategy", "fine_tuning"), ("b", "modality", "ct"),
            ("c", "task", "vqa"), ("c", "strategy", "prompting"), ("c", "modality", "xray"),
            ("d", "task", "vqa"), ("d", "strategy", "prompting"), ("d", "strategy", "knowledge")]
    return pd.DataFrame(rows, columns=["paper_id", "dimension", "label"]).assign(source="rules", score=1.0)


@pytest.fixture
def papers() -> pd.DataFrame:
    return pd.DataFrame({"paper_id": list("abcd"), "title": [EVIL, "B", "C", "D"], "year": [2021, 2022, 2022, 2023],
                         "venue": [EVIL, "MICCAI", None, "CVPR"], "citation_count": [10, 2, 5, 0]})


def _colour_of(fig: go.Figure, name: str) -> str:
    trace = next(t for t in fig.data if t.name == name)
    return trace.marker.color if isinstance(trace.marker.color, str) else trace.line.color


# ------------------------------------------------------------------------------------------ palette


def test_palette_fixed_slots_and_fallbacks():
    assert color_for("report_generation") == QUALITATIVE[0]
    assert color_for("segmentation", "task") == QUALITATIVE[2]
    assert color_for("pretraining") == QUALITATIVE[11]
    assert color_for("natural", "origin") == "#8C8C8C"
    assert color_for(None) == GREY and color_for(float("nan")) == GREY
    # an unknown label is stable (crc32) and inside the palette
    assert color_for("my_own_label") == color_for("my_own_label") in QUALITATIVE
    assert len({color_for(t, "task") for t in viz.palette.TASKS}) == 11


def test_same_label_same_colour_across_figures(labels, papers):
    seg = color_for("segmentation", "task")
    trends = viz.plot_trends(viz.trend_counts(labels, papers, "task"), dimension="task")
    assert _colour_of(trends, "Segmentation") == seg
    sankey = viz.plot_strategy_task_sankey(labels)
    nodes = list(sankey.data[0].node.label)
    assert sankey.data[0].node.color[nodes.index("Segmentation")] == seg
    G = nx.DiGraph([("a", "c"), ("b", "c"), ("d", "a")])
    net = viz.plot_citation_network(G, papers=papers, labels=labels)
    assert _colour_of(net, "Segmentation") == seg
    lab_net = viz.plot_label_network(labels)
    task_trace = next(t for t in lab_net.data if t.name == "Task")
    assert task_trace.marker.color[list(task_trace.text).index("Segmentation")] == seg


# ------------------------------------------------------------------------------------------ networks


def test_citation_network_prunes_colours_and_escapes(papers, labels):
    G = nx.DiGraph([("a", "c"), ("b", "c"), ("d", "a"), ("x", "y")])  # x-y: a second, smaller component
    fig = viz.plot_citation_network(G, papers=papers, labels=labels, top_k=None)
    assert [t.type for t in fig.data] == ["scatter"] * 3
    assert [t.name for t in fig.data] == ["edges", "Segmentation", "VQA"]
    points = {cd for t in fig.data[1:] for cd in t.customdata}
    assert points == {f"https://www.semanticscholar.org/paper/{p}" for p in "abcd"}
    seg = fig.data[1]
    hover_a = next(h for h, cd in zip(seg.hovertext, seg.customdata) if cd.endswith("/a"))
    assert EVIL_ESCAPED in hover_a and "<script>" not in hover_a
    assert "2021" in hover_a and "task: segmentation" in hover_a
    # edges: 3 edges -> 9 coordinates (None separators)
    assert len(fig.data[0].x) == 9


def test_citation_network_top_k_and_empty(papers, labels):
    G = nx.DiGraph([("a", "c"), ("b", "c"), ("d", "c"), ("d", "a")])
    fig = viz.plot_citation_network(G, papers=papers, labels=labels, top_k=2, size_by="citations")
    shown = {cd.rsplit("/", 1)[1] for t in fig.data[1:] for cd in t.customdata}
    assert shown == {"a", "c"}  # the two most cited
    empty = viz.plot_citation_network(nx.DiGraph())
    assert len(empty.data) == 0 and "refresh" in empty.layout.annotations[0].text


def test_prune_graph_keeps_largest_component():
    G = nx.Graph([(1, 2), (2, 3), (4, 5)])
    assert sorted(viz.prune_graph(G, top_k=2, score={1: 0.1, 2: 0.9, 3: 0.5}).nodes) == [2, 3]


def test_label_network_from_table(labels):
    fig = viz.plot_label_network(labels)
    names = [t.name for t in fig.data]
    assert names[-3:] == ["Modality", "Strategy", "Task"]
    assert all(n.startswith("edges") for n in names[:-3])
    task = fig.data[-1]
    assert sorted(task.text) == ["Segmentation", "VQA"]


# ------------------------------------------------------------------------------------------ heatmaps


def test_task_strategy_heatmap_counts_and_gaps(labels):
    fig = viz.plot_task_strategy_heatmap(labels)
    assert [t.type for t in fig.data] == ["heatmap", "scatter"]
    hm = fig.data[0]
    assert list(hm.y) == ["VQA", "Segmentation"]  # taxonomy order
    assert list(hm.x) == ["Fine tuning", "Prompting", "Knowledge"]
    assert [list(r) for r in hm.z] == [[0, 2, 1], [1, 1, 0]]
    empty = fig.data[1]
    assert empty.name == "no paper yet"
    assert sorted(zip(empty.y, empty.x)) == [("Segmentation", "Knowledge"), ("VQA", "Fine tuning")]


def test_heatmap_with_gaps_table_marks_only_flagged(labels):
    gaps = pd.DataFrame({"task": ["vqa", "segmentation"], "modality": ["ct", "xray"], "is_gap": [True, False]})
    fig = viz.plot_task_modality_heatmap(labels, gaps=gaps)
    assert [t.name for t in fig.data[1:]] == ["gap: far fewer papers than expected"]
    assert list(zip(fig.data[1].y, fig.data[1].x)) == [("VQA", "CT")]


def test_heatmap_reads_compute_gaps_flags(labels):
    from medvlm_graph.analysis import compute_gaps

    cells = compute_gaps(labels, "task", "strategy")
    cells.loc[(cells["label_a"] == "vqa") & (cells["label_b"] == "fine_tuning"), "flag"] = "gap"  # force one
    fig = viz.plot_task_strategy_heatmap(labels, gaps=cells)
    assert [t.name for t in fig.data] == [None, "gap: far fewer papers than expected", "no paper yet"]
    assert list(zip(fig.data[1].y, fig.data[1].x)) == [("VQA", "Fine tuning")]
    assert list(zip(fig.data[2].y, fig.data[2].x)) == [("Segmentation", "Knowledge")]


def test_heatmap_without_pairs_is_a_message():
    lab = pd.DataFrame({"paper_id": ["a"], "dimension": ["task"], "label": ["vqa"]})
    fig = viz.plot_task_strategy_heatmap(lab)
    assert len(fig.data) == 0 and "strategy" in fig.layout.annotations[0].text


# ------------------------------------------------------------------------------------------ trends, adoption


def test_trends_stacked_with_bursts(labels, papers):
    t = viz.trend_counts(labels, papers, "task")
    assert t.values.tolist() == [[2021, "segmentation", 1], [2022, "segmentation", 1], [2022, "vqa", 1],
                                 [2023, "vqa", 1]]
    bursts = pd.DataFrame({"dimension": ["task"], "label": ["vqa"], "start_year": [2022], "end_year": [2023]})
    fig = viz.plot_trends(t.assign(dimension="task"), dimension="task", bursts=bursts)
    assert [t.type for t in fig.data] == ["bar", "bar"]
    assert list(fig.data[0].x) == [2021, 2022, 2023]
    assert fig.layout.barmode == "stack"
    (shape,) = fig.layout.shapes
    assert (shape.x0, shape.x1, shape.fillcolor) == (2021.5, 2023.5, color_for("vqa", "task"))


def test_trends_small_multiples(labels, papers):
    fig = viz.plot_trends(viz.trend_counts(labels, papers, "task"), mode="small")
    assert [t.mode for t in fig.data] == ["lines+markers"] * 2
    assert [a.text for a in fig.layout.annotations] == ["Segmentation", "VQA"]


def test_trends_bad_frame_or_mode_is_a_data_error():
    """A frame without year/label/count, or an unknown mode, is the project's DataError, not a bare ValueError."""
    from medvlm_graph.errors import DataError

    with pytest.raises(DataError, match="year, label and count"):
        viz.plot_trends(pd.DataFrame({"year": [2020], "what": ["x"]}))
    good = pd.DataFrame({"year": [2020], "label": ["vqa"], "count": [1]})
    with pytest.raises(DataError, match="unknown mode 'grid'"):
        viz.plot_trends(good, mode="grid")


def test_model_adoption_traces_and_escape():
    a = pd.DataFrame({"model": ["clip", "clip", "sam"], "task": ["vqa", "segmentation", "segmentation"],
                      "first_year": [2022, 2021, 2023], "model_year": [2021, 2021, 2023],
                      "first_title": [EVIL, "t", "u"], "n_papers": [3, 1, 2]})
    fig = viz.plot_model_adoption(a)
    assert [t.name for t in fig.data] == ["release → first use", "clip", "sam"]
    assert list(fig.data[1].x) == [2022.0, 2021.0]
    assert EVIL_ESCAPED in fig.data[1].hovertext[0] and "lag 1 y" in fig.data[1].hovertext[0]
    assert fig.data[1].marker.color == color_for("clip", "model")
    assert list(fig.layout.yaxis.ticktext) == ["VQA", "Segmentation"]


# ------------------------------------------------------------------------------------------ sankey, clusters


def test_sankey_flows(labels):
    flows = viz.strategy_task_flows(labels)
    assert flows.values.tolist() == [["fine_tuning", "segmentation", 1], ["knowledge", "vqa", 1],
                                     ["prompting", "segmentation", 1], ["prompting", "vqa", 2]]
    fig = viz.plot_strategy_task_sankey(labels)
    (s,) = fig.data
    assert s.type == "sankey"
    assert list(s.node.label) == ["Fine tuning", "Prompting", "Knowledge", "VQA", "Segmentation"]
    assert sorted(s.link.value) == [1, 1, 1, 2]


def test_cluster_map_and_thematic_map(papers):
    pts = pd.DataFrame({"paper_id": list("abcd"), "x": [0.0, 0.2, 5.0, 5.2], "y": [0.0, 0.1, 1.0, 1.1],
                        "cluster": [0, 0, 1, 1]})
    fig = viz.plot_cluster_map(pts, papers=papers, terms={0: "segmentation, sam", 1: EVIL})
    assert [t.name for t in fig.data] == ["0: segmentation, sam", viz._common.esc("1: " + EVIL, 50)]
    # the ids at the clusters' centres (names overlap there), the names in the legend
    assert [(a.text, a.x, a.y) for a in fig.layout.annotations] == [("<b>0</b>", 0.1, 0.05), ("<b>1</b>", 5.1, 1.05)]
    assert EVIL_ESCAPED in fig.data[0].hovertext[0]  # paper a's title
    themes = pd.DataFrame({"cluster": [0, 1, 2], "centrality": [1.0, 0.1, 0.5], "density": [1.0, 0.2, 0.9],
                           "size": [10, 2, 5], "label": ["a", "b", "c"]})
    tm = viz.plot_thematic_map(themes)
    assert [t.name for t in tm.data] == ["0: a", "1: b", "2: c"]  # the list beside
    assert [list(t.text) for t in tm.data] == [["0"], ["1"], ["2"]]  # the bubbles show ids only
    assert {a.text for a in tm.layout.annotations} == {"<i>Motor themes</i>", "<i>Niche themes</i>",
                                                        "<i>Emerging or declining themes</i>", "<i>Basic themes</i>"}


def test_empty_inputs_give_message_figures():
    assert len(viz.plot_cluster_map(pd.DataFrame()).data) == 0
    assert len(viz.plot_thematic_map(None).data) == 0
    assert len(viz.plot_model_adoption(pd.DataFrame()).data) == 0
    assert len(viz.plot_trends(pd.DataFrame()).data) == 0


def test_label_ids_from_a_user_taxonomy_are_escaped_on_axes():
    lab = pd.DataFrame({"paper_id": ["p", "p"], "dimension": ["task", "strategy"],
                        "label": ["<b>bold</b>", "prompting"]})
    fig = viz.plot_task_strategy_heatmap(lab)
    assert list(fig.data[0].y) == ["&lt;b&gt;bold&lt;/b&gt;"]
    seeds = pd.DataFrame({"seed_id": ["a"], "task": ["<i>x</i>"]})
    assert list(viz.plot_seed_tasks(seeds).data[0].y) == ["&lt;i&gt;x&lt;/i&gt;"]


def test_cluster_map_samples_large_inputs():
    pts = pd.DataFrame({"paper_id": [f"p{i}" for i in range(50)], "x": range(50), "y": range(50),
                        "cluster": [i % 2 for i in range(50)]})
    fig = viz.plot_cluster_map(pts, max_points=20)
    assert sum(len(t.x) for t in fig.data) == 20
    assert fig.layout.title.text.endswith("(a sample of 20 of 50 papers)")


def test_citation_network_drops_nodes_isolated_by_the_cut():
    G = nx.DiGraph([("a", "c"), ("b", "c"), ("x", "b")])
    papers = pd.DataFrame({"paper_id": ["a", "b", "c", "x"], "title": list("ABCX"),
                           "citation_count": [90, 1, 100, 80]})
    fig = viz.plot_citation_network(G, papers=papers, top_k=3, size_by="citations")
    shown = {cd.rsplit("/", 1)[1] for t in fig.data[1:] for cd in t.customdata}
    assert shown == {"a", "c"}  # x is in the top 3 but linked to none of them



# ------------------------------------------------------------------------- figures that read (issue 16)


def test_label_network_lays_out_the_linked_part_and_rows_the_isolated_labels():
    # synthetic: five linked labels and two labels no paper shares with another
    lab = pd.DataFrame({"paper_id": ["p1", "p1", "p2", "p2", "p3", "p3", "p4", "p5"],
                        "dimension": ["task", "strategy", "task", "modality", "strategy", "modality", "task",
                                      "strategy"],
                        "label": ["vqa", "prompting", "vqa", "ct", "knowledge", "ct", "registration", "agentic"]})
    pos, isolated = viz.network.label_layout(viz.network._label_graph_from_table(lab, ("task", "strategy",
                                                                                       "modality")))
    assert isolated == ["strategy:agentic", "task:registration"]
    linked = [n for n in pos if n not in isolated]
    lowest_linked = min(pos[n][1] for n in linked)
    assert all(pos[n][1] < lowest_linked for n in isolated)  # below the linked part ...
    assert pos["strategy:agentic"][1] == pos["task:registration"][1]  # ... in one row
    xs = [pos[n][0] for n in linked]
    assert min(xs) <= pos["strategy:agentic"][0] < pos["task:registration"][0] <= max(xs)  # within its width
    fig = viz.plot_label_network(lab)
    notes = [a.text for a in fig.layout.annotations]
    assert notes == ["<i>not linked: no paper carries these 2 labels together with another one</i>"]
    # the axes fit the drawing: no far-away label shrinks the rest
    every_x = [x for t in fig.data if t.mode == "markers+text" for x in t.x]
    lo, hi = fig.layout.xaxis.range
    assert lo < min(every_x) and max(every_x) < hi and (hi - lo) < 1.5 * (max(every_x) - min(every_x))


def test_label_layout_is_the_same_whatever_the_row_order():
    lab = pd.DataFrame({"paper_id": ["a", "a", "b", "b", "c", "c"], "dimension": ["task", "strategy"] * 3,
                        "label": ["vqa", "prompting", "vqa", "knowledge", "segmentation", "prompting"]})
    G1 = viz.network._label_graph_from_table(lab, ("task", "strategy"))
    G2 = viz.network._label_graph_from_table(lab.iloc[::-1], ("task", "strategy"))
    p1, _ = viz.network.label_layout(G1)
    p2, _ = viz.network.label_layout(G2)
    assert {n: tuple(round(v, 9) for v in p) for n, p in p1.items()} == \
        {n: tuple(round(v, 9) for v in p) for n, p in p2.items()}


def test_thematic_map_axes_follow_the_spread():
    from medvlm_graph.viz.thematic import axis_scale

    assert axis_scale([5.0, 8.0, 12.0, 20.0, 30.0]) == "linear"
    assert axis_scale([5.0, 8.0, 12.0, 20.0, 900.0]) == "log"  # one theme dominates
    assert axis_scale([0.0, 8.0, 12.0, 20.0, 900.0]) == "rank"  # ... and a 0 that a log axis cannot show
    themes = pd.DataFrame({"cluster": range(5), "centrality": [900.0, 12, 8, 30, 5],
                           "density": [0.2, 1.1, 0.9, 0.5, 1.4], "size": [400, 20, 15, 30, 8],
                           "cluster_label": list("abcde")})
    fig = viz.plot_thematic_map(themes)
    assert fig.layout.xaxis.type == "log" and fig.layout.xaxis.title.text.endswith("(log scale)")
    assert fig.layout.yaxis.type != "log"
    assert fig.layout.shapes[0].x0 == 12.0  # the median line, in data units
    themes.loc[4, "centrality"] = 0.0
    fig = viz.plot_thematic_map(themes)
    assert fig.layout.xaxis.title.text.endswith("(by rank: one theme dominates)")
    assert [t.x[0] for t in fig.data] == [5.0, 3.0, 2.0, 4.0, 1.0]  # ranks
    assert list(fig.layout.xaxis.ticktext) == ["900", "12", "8", "30", "0"]
