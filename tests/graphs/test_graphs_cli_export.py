"""``medvlm-graph export`` on a temp data dir of hand-written processed tables (synthetic)."""

from __future__ import annotations

import json
import subprocess
import sys

import networkx as nx
import pandas as pd
import pytest
from typer.testing import CliRunner

from medvlm_graph import tables
from medvlm_graph.cli import app
from medvlm_graph.io import write_parquet
from medvlm_graph.paths import DataPaths


def write_tables(root, papers, citations, labels, authorships=None):
    paths = DataPaths(root)
    if authorships is None:
        authorships = pd.DataFrame({"paper_id": ["P1", "P1", "P2"], "author_id": ["A1", "A2", "A1"],
                                    "author_name": ["Ann", "Bo", "Ann"], "position": [0, 1, 0]})
    seeds = pd.DataFrame({"seed_id": ["s1", "s2"], "title": ["Paper one", "Paper two"],
                          "paper_id": ["P1", "P2"], "match": ["id", "id"]})
    for name, df in (("papers", papers), ("citations", citations), ("labels", labels),
                     ("authorships", authorships), ("seeds", seeds)):
        write_parquet(tables.conform(df, name), paths.table(name))
    return paths


@pytest.fixture
def data_dir(tmp_path, papers, citations, labels):
    write_tables(tmp_path, papers, citations, labels)
    return tmp_path


def run(*args):
    return CliRunner().invoke(app, list(args))


def test_export_one_graph_as_graphml(data_dir):
    r = run("--data-dir", str(data_dir), "export", "--format", "graphml", "--graph", "citation")
    assert r.exit_code == 0, r.output
    path = data_dir / "processed" / "exports" / "citation.graphml"
    G = nx.read_graphml(path)
    assert G.number_of_nodes() == 5 and G.number_of_edges() == 7
    assert G.nodes["P2"]["modality"] == "ct;xray"
    assert "citation (5 nodes, 7 edges)" in r.stdout


def test_export_all_graphs_in_every_format(data_dir, tmp_path):
    out = tmp_path / "out"
    for fmt in ("graphml", "gexf", "csv", "vosviewer"):
        r = run("--data-dir", str(data_dir), "export", "-f", fmt, "--out", str(out))
        assert r.exit_code == 0, r.output
    names = sorted(p.name for p in out.iterdir())
    for g in ("citation", "cocitation", "coupling", "cotopic", "labels", "lineage", "coauthor"):
        assert {f"{g}.graphml", f"{g}.gexf", f"{g}.nodes.csv", f"{g}.edges.csv", f"{g}.json"} <= set(names)
    doc = json.loads((out / "coauthor.json").read_text())
    assert doc["network"]["links"] == [{"source_id": "A1", "target_id": "A2", "strength": 1}]


def test_cocitation_options_reach_the_builder(data_dir):
    r = run("--data-dir", str(data_dir), "export", "-f", "csv", "-g", "coupling", "--norm", "cosine",
            "--top-k", "1")
    assert r.exit_code == 0, r.output
    edges = pd.read_csv(data_dir / "processed" / "exports" / "coupling.edges.csv").sort_values("Source")
    assert list(zip(edges["Source"], edges["Target"])) == [("P1", "P2"), ("P3", "P4")]
    assert edges["weight"].tolist() == pytest.approx([2 / 6 ** 0.5, 1.0])
    assert edges["count"].tolist() == [2, 1]


def test_empty_graphs_are_skipped_with_one_line(tmp_path, papers, labels, make_citations):
    write_tables(tmp_path, papers, make_citations([]), labels,
                 authorships=pd.DataFrame({"paper_id": [], "author_id": []}))
    r = run("--data-dir", str(tmp_path), "export", "-f", "vosviewer", "-g", "citation", "-g", "cocitation",
            "-g", "cotopic", "-g", "coauthor")
    assert r.exit_code == 0, r.output
    # Tables written by hand (no build.json): not called "the shipped snapshot".
    assert r.stdout.splitlines()[1] == (
        "skipped 3 empty graphs: citation, cocitation (no citations), coauthor (no authorships); nothing was "
        "fetched from Semantic Scholar for this seed list yet: run `medvlm-graph refresh` (or `ingest`)")
    assert r.stderr == ""
    assert sorted(p.name for p in (tmp_path / "processed" / "exports").iterdir()) == ["cotopic.json"]
    cotopic = json.loads((tmp_path / "processed" / "exports" / "cotopic.json").read_text())
    assert len(cotopic["network"]["links"]) == 3
    r = run("--data-dir", str(tmp_path), "export", "-g", "citation")
    assert r.exit_code == 0 and r.stdout.splitlines()[0] == "Wrote no file: every graph asked for is empty"


@pytest.mark.parametrize("args, message", [
    (("--format", "pdf"), "unknown export format 'pdf'; choose one of graphml, gexf, csv, vosviewer"),
    (("--graph", "nope"), "unknown graph 'nope'"),
    (("--norm", "bogus"), "unknown norm 'bogus'"),
])
def test_bad_choices_are_one_line_usage_errors(data_dir, args, message):
    r = run("--data-dir", str(data_dir), "export", *args)
    assert r.exit_code == 2
    assert r.stderr.strip().count("\n") == 0
    assert r.stderr.startswith("Error: ") and message in r.stderr


def test_corrupt_table_is_an_input_error(data_dir):
    # the corpus is read through Corpus.load: a corrupt table is one line, exit 1
    DataPaths(data_dir).table("labels").write_bytes(b"not parquet")
    r = run("--data-dir", str(data_dir), "export")
    assert r.exit_code == 1 and r.stderr.startswith("Error: corrupt parquet file")
    assert r.stderr.strip().count("\n") == 0


def test_subprocess_run(data_dir):
    r = subprocess.run(
        [sys.executable, "-m", "medvlm_graph", "--quiet", "--data-dir", str(data_dir), "export", "-f", "gexf",
         "-g", "lineage"],
        capture_output=True, text=True, timeout=120,
    )
    assert r.returncode == 0, r.stderr
    G = nx.read_gexf(data_dir / "processed" / "exports" / "lineage.gexf")
    assert sorted(G.edges) == [("P1", "model:clip"), ("P2", "model:clip"), ("P3", "model:sam")]
    bad = subprocess.run([sys.executable, "-m", "medvlm_graph", "export", "--format", "xls"],
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and bad.stderr.strip().startswith("Error: unknown export format 'xls'")


def test_the_skip_line_names_the_snapshot_only_for_the_snapshot(tmp_path):
    r = run("--data-dir", str(tmp_path), "export", "-g", "citation", "-g", "cotopic")
    assert r.exit_code == 0, r.output
    assert r.stdout.splitlines()[1] == ("skipped 1 empty graph: citation (no citations); the shipped snapshot has no "
                                        "Semantic Scholar data: run `medvlm-graph refresh` (or `ingest`)")
    src = tmp_path / "mine.csv"  # synthetic list
    src.write_text("title,section\nA synthetic VQA paper,VQA\nA synthetic segmentation paper,Segmentation\n")
    assert run("--data-dir", str(tmp_path), "seeds", "--source", str(src)).exit_code == 0
    r = run("--data-dir", str(tmp_path), "export", "-g", "citation")
    assert r.stdout.splitlines()[-1] == ("skipped 1 empty graph: citation (no citations); nothing was fetched from "
                                         "Semantic Scholar for this seed list yet: run `medvlm-graph refresh` "
                                         "(or `ingest`)")
