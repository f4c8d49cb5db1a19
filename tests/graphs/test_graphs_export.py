"""Exports: typed round trips, no None, inert strings (synthetic graphs)."""

from __future__ import annotations

import csv
import json

import networkx as nx
import numpy as np
import pytest

from medvlm_graph.errors import UsageError
from medvlm_graph.graphs import build_citation_graph, build_lineage_graph, export_graph, vosviewer_json
from medvlm_graph.graphs.export import exportable, inert

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img onerror=alert(1) src=x>'


@pytest.fixture
def nasty(papers, citations, labels):
    p = papers.copy()
    p.loc[0, "title"] = SCRIPT
    p.loc[1, "title"] = IMG
    p.loc[2, "title"] = '=HYPERLINK("http://x","y")'
    p.loc[3, "venue"] = "+cmd|' /C calc'!A0"
    p.loc[4, "venue"] = "@SUM(1)"
    return build_citation_graph(p, citations, labels)


def typed(d):
    return {k: (type(v), v) for k, v in d.items()}


def test_graphml_round_trip_keeps_values_and_types(nasty, tmp_path):
    (path,) = export_graph(nasty, tmp_path / "g.graphml", "graphml")
    text = path.read_text(encoding="utf-8")
    assert "<script>" not in text and "&lt;script&gt;" in text
    assert "<img" not in text and "None" not in text
    H = nx.read_graphml(path)
    assert H.is_directed()
    assert list(H.nodes) == list(nasty.nodes)
    for n in nasty:
        assert typed(H.nodes[n]) == typed(nasty.nodes[n])
    for u, v in nasty.edges:
        assert typed(H.edges[u, v]) == typed(nasty.edges[u, v])
    assert H.nodes["P1"]["title"] == SCRIPT and H.nodes["P2"]["title"] == IMG
    assert H.graph["dropped_edges"] == 0 and H.graph["kind"] == "citation"


def test_gexf_round_trip(nasty, tmp_path):
    (path,) = export_graph(nasty, tmp_path / "g.gexf")  # format from the suffix
    assert "<script>" not in path.read_text(encoding="utf-8")
    H = nx.read_gexf(path)
    for n in nasty:
        got = dict(H.nodes[n])
        assert got.pop("label") == (nasty.nodes[n]["title"] or n)  # GEXF display label = title
        assert typed(got) == typed(nasty.nodes[n])
    for u, v in nasty.edges:
        got = dict(H.edges[u, v])
        got.pop("id")
        assert typed(got) == typed(nasty.edges[u, v])


def test_gexf_weight_is_float_other_ints_stay_ints(citations, tmp_path):
    from medvlm_graph.graphs import build_cocitation_graph

    G = build_cocitation_graph(citations)
    H = nx.read_gexf(export_graph(G, tmp_path / "c.gexf")[0])
    assert H.edges["P3", "P4"]["weight"] == 2.0 and H.edges["P3", "P4"]["count"] == 2
    assert type(H.edges["P3", "P4"]["count"]) is int and type(H.nodes["P5"]["occurrences"]) is int


def test_csv_has_gephi_columns_and_inert_cells(nasty, tmp_path):
    nodes_path, edges_path = export_graph(nasty, tmp_path / "g.csv", "csv")
    assert (nodes_path.name, edges_path.name) == ("g.nodes.csv", "g.edges.csv")
    with nodes_path.open(newline="", encoding="utf-8") as fh:
        rows = {r["Id"]: r for r in csv.DictReader(fh)}
    assert list(next(iter(rows.values())))[:2] == ["Id", "Label"]
    assert rows["P1"]["Label"] == SCRIPT
    assert rows["P3"]["title"] == "'" + '=HYPERLINK("http://x","y")'
    assert rows["P3"]["Label"].startswith("'=")
    assert rows["P4"]["venue"] == "'+cmd|' /C calc'!A0"
    assert rows["P5"]["venue"] == "'@SUM(1)"
    assert rows["P5"]["year"] == "-1"  # ints stay ints, not "-1.0"; the number is not prefixed
    assert rows["P1"]["is_seed"] == "True"
    with edges_path.open(newline="", encoding="utf-8") as fh:
        edges = list(csv.DictReader(fh))
    assert list(edges[0])[:3] == ["Source", "Target", "Type"]
    assert {(e["Source"], e["Target"]) for e in edges} == set(nasty.edges)
    assert edges[0]["Type"] == "Directed"


def test_csv_renames_attributes_clashing_with_columns(labels, papers, tmp_path):
    G = build_lineage_graph(labels, papers)
    _, edges_path = export_graph(G, tmp_path / "lineage", "csv")  # no suffix: a directory
    assert edges_path == tmp_path / "lineage" / "edges.csv"
    with edges_path.open(newline="", encoding="utf-8") as fh:
        edges = list(csv.DictReader(fh))
    assert {e["Source"]: e["attr_source"] for e in edges} == {"P1": "rules", "P2": "manual;rules", "P3": "rules"}


def test_csv_cells_with_tab_or_cr_or_minus_are_prefixed(tmp_path):
    G = nx.Graph()
    G.add_node("a", note="\tx", other="\rx", neg="-1+1", fine="x=1", num=-5)
    nodes_path, _ = export_graph(G, tmp_path / "t.csv")
    with nodes_path.open(newline="", encoding="utf-8") as fh:
        row = next(csv.DictReader(fh))
    assert (row["note"], row["other"], row["neg"], row["fine"], row["num"]) == ("'\tx", "'\rx", "'-1+1", "x=1", "-5")
    assert inert("-1") == "'-1" and inert(-1) == -1


def test_vosviewer_json_structure(citations, papers, tmp_path):
    from medvlm_graph.graphs import build_cocitation_graph

    G = build_cocitation_graph(citations, papers=papers, norm="association")
    G.nodes["P3"]["cluster"] = 0
    G.nodes["P4"]["cluster"] = 1
    (path,) = export_graph(G, tmp_path / "c.json", "vosviewer")
    doc = json.loads(path.read_text(encoding="utf-8"))
    items = {i["id"]: i for i in doc["network"]["items"]}
    assert set(items) == {"P1", "P2", "P3", "P4", "P5"}
    p3 = items["P3"]
    assert p3["label"] == "Paper three"
    assert p3["cluster"] == 1 and items["P4"]["cluster"] == 2 and "cluster" not in items["P5"]  # 0-based shifted
    # occurrences 2, links to P4 (2.0) and P5 (4/6)
    assert p3["weights"] == {"Links": 2, "Total link strength": pytest.approx(2 + 4 / 6), "Citations": 2,
                             "Occurrences": 2}
    assert p3["scores"] == {"Pub. year": 2020, "Seed": 0}
    assert "Pub. year" not in items["P5"].get("scores", {})  # unknown year (-1) left out
    links = {(lk["source_id"], lk["target_id"]): lk["strength"] for lk in doc["network"]["links"]}
    assert links == {("P3", "P4"): 2.0, ("P3", "P5"): pytest.approx(4 / 6), ("P4", "P5"): pytest.approx(4 / 6)}


def test_vosviewer_merges_directions_and_escapes_descriptions(nasty):
    G = nasty.copy()
    G.add_edge("P5", "P1", is_influential=False, intents="")
    doc = vosviewer_json(exportable(G))
    links = {(lk["source_id"], lk["target_id"]): lk["strength"] for lk in doc["network"]["links"]}
    assert links[("P1", "P5")] == 2.0  # P1->P5 and P5->P1
    items = {i["id"]: i for i in doc["network"]["items"]}
    assert items["P1"]["label"] == SCRIPT  # plain text label
    assert "<script>" not in items["P1"]["description"] and "&lt;script&gt;" in items["P1"]["description"]
    assert items["P1"]["scores"]["Seed"] == 1


def test_exportable_removes_missing_values_and_unifies_types():
    G = nx.Graph()
    G.add_node(1, a=None, b=np.int64(3), c=float("nan"), d=[1, 2], e=np.float32(0.5), m=1)
    G.add_node(2, b=2, m=2.5, s="x")
    G.add_node(3, m="three", s=np.str_("y"))
    G.add_edge(1, 2, weight=np.float64(1.5), tags={"b", "a"})
    G.graph["top_k"] = None
    H = exportable(G)
    assert typed(H.nodes["1"]) == typed({"b": 3, "d": "1;2", "e": 0.5, "m": "1"})
    assert typed(H.nodes["2"]) == typed({"b": 2, "m": "2.5", "s": "x"})
    assert H.nodes["3"]["m"] == "three"
    assert typed(H.edges["1", "2"]) == typed({"weight": 1.5, "tags": "a;b"})
    assert H.graph == {}


def test_mixed_int_float_becomes_float(tmp_path):
    G = nx.Graph()
    G.add_node("a", x=1)
    G.add_node("b", x=2.5)
    H = nx.read_graphml(export_graph(G, tmp_path / "m.graphml")[0])
    assert H.nodes["a"]["x"] == 1.0 and type(H.nodes["a"]["x"]) is float


def test_empty_graph_exports_cleanly_in_every_format(tmp_path):
    G = nx.DiGraph()
    for fmt, name in (("graphml", "e.graphml"), ("gexf", "e.gexf"), ("csv", "e.csv"), ("vosviewer", "e.json")):
        for p in export_graph(G, tmp_path / name, fmt):
            assert p.exists()
    assert nx.read_graphml(tmp_path / "e.graphml").number_of_nodes() == 0
    assert json.loads((tmp_path / "e.json").read_text()) == {"network": {"items": [], "links": []}}
    assert (tmp_path / "e.nodes.csv").read_bytes() == b"Id,Label\r\n"


def test_unknown_format_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError, match="unknown export format 'pdf'"):
        export_graph(nx.Graph(), tmp_path / "x.pdf", "pdf")
    with pytest.raises(UsageError, match="cannot tell the export format"):
        export_graph(nx.Graph(), tmp_path / "x.pdf")
