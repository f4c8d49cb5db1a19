"""Corpus API and the build/labels commands (CliRunner and one subprocess), on synthetic data dirs."""

from __future__ import annotations

import subprocess
import sys

import networkx as nx
import pandas as pd
import pytest
from typer.testing import CliRunner

from medvlm_graph.cli import app
from medvlm_graph.corpus import Corpus
from medvlm_graph.errors import UsageError
from medvlm_graph.io import read_parquet

runner = CliRunner()


def test_corpus_load_builds_when_missing_then_reads(fetched_dir):
    assert not fetched_dir.table("papers").exists()
    c1 = Corpus.load(fetched_dir)
    assert fetched_dir.table("labels").exists()
    c2 = Corpus.load(fetched_dir)  # now read from disk, same tables
    for name in ("papers", "citations", "labels", "seeds", "authorships"):
        pd.testing.assert_frame_equal(getattr(c1, name), getattr(c2, name), check_dtype=False)
    assert c2.info["counts"]["papers"] == 8
    assert c2.taxonomy.label_ids("task")[0] == "report_generation"
    assert c2.has_citations


def test_corpus_graphs_and_wide_labels(fetched_dir):
    c = Corpus.load(fetched_dir)
    g = c.graph("citation")
    assert isinstance(g, nx.DiGraph) and g.number_of_edges() == 5
    assert g.has_edge("C1", "P1")
    cc = c.graph("cocitation")  # C1 and P1 both cite R2; P1 and P2 both cite R1
    assert isinstance(cc, nx.Graph)
    lineage = c.graph("lineage")
    assert lineage.has_edge("R1", "model:clip")
    assert c.graph("coauthor").number_of_nodes() == 2
    with pytest.raises(UsageError, match="unknown graph 'nope'"):
        c.graph("nope")
    wide = c.labels_wide()
    assert len(wide) == 8 and wide["paper_id"].is_unique
    assert wide.set_index("paper_id").loc["P1", "task"] in ("segmentation;vqa", "vqa;segmentation")
    assert wide.set_index("paper_id").loc["R1", "model"] == "clip"


def test_corpus_repr_says_when_citations_are_empty(seeds_dir):
    c = Corpus.load(seeds_dir)
    text = repr(c)
    assert "papers 5 (5 seeds), seed rows 8" in text
    assert "citations 0, authorships 0" in text
    assert "citation layer empty" in text
    html = c._repr_html_()
    assert html.startswith("<div><strong>Corpus</strong>") and "Citation layer empty" in html
    assert c.graph("cotopic").number_of_nodes() >= 1


def test_cli_build_and_labels(seeds_dir):
    root = str(seeds_dir.root)
    res = runner.invoke(app, ["--data-dir", root, "build"])
    assert res.exit_code == 0, res.output
    assert "5 papers, 0 citations, 0 authorships, 8 seed rows" in res.output
    assert "note: the citation layer is empty until `medvlm-graph refresh`" in res.output
    res = runner.invoke(app, ["--data-dir", root, "labels"])
    assert res.exit_code == 0, res.output
    assert "task      review       6 labels on 4 papers" in res.output
    res = runner.invoke(app, ["--data-dir", root, "labels", "--evaluate", "--folds", "2"])
    assert res.exit_code == 0, res.output
    assert res.output.startswith("task classifier: macro-F1 ")
    assert "(2-fold stratified group CV over 6 review labels of 4 papers, 5 tasks)" in res.output


def test_cli_build_overrides_and_errors(seeds_dir, tmp_path):
    root = str(seeds_dir.root)
    ov = tmp_path / "ov.csv"
    ov.write_text("paper_id,dimension,label,action\nseed:s1,strategy,agentic,add\nnope,task,vqa,add\n",
                  encoding="utf-8")
    res = runner.invoke(app, ["--data-dir", root, "build", "--overrides", str(ov)])
    assert res.exit_code == 0, res.output
    assert "skipped: override line 3: unknown paper_id nope" in res.output
    lab = read_parquet(seeds_dir.table("labels"))
    assert lab[(lab["source"] == "manual")][["paper_id", "label"]].values.tolist() == [["seed:s1", "agentic"]]

    ov.write_text("paper_id,dimension,label,action\nseed:s1,strategy,sailing,add\n", encoding="utf-8")
    res = runner.invoke(app, ["--data-dir", root, "build", "--overrides", str(ov)])
    assert res.exit_code == 1
    assert f"Error: {ov}, line 2: unknown strategy label 'sailing'" in res.output

    bad = tmp_path / "bad.yaml"
    bad.write_text("dimensions:\n  task:\n    labels:\n      - id: vqa\n        colour: red\n", encoding="utf-8")
    res = runner.invoke(app, ["--data-dir", root, "build", "--taxonomy", str(bad)])
    assert res.exit_code == 1
    assert f"Error: {bad}, line 5: unknown key 'colour' in a label of 'task'" in res.output


def test_subprocess_build(seeds_dir):
    cmd = [sys.executable, "-m", "medvlm_graph", "--quiet", "--data-dir", str(seeds_dir.root), "build"]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""  # --quiet
    assert len(read_parquet(seeds_dir.table("papers"))) == 5
    assert len(read_parquet(seeds_dir.table("seeds"))) == 8


def test_corpus_load_rebuilds_when_inputs_change(seeds_dir, tmp_path):
    import time

    tax = tmp_path / "tax.yaml"  # synthetic one-dimension taxonomy, kept across the rebuild
    tax.write_text("dimensions:\n  modality:\n    labels:\n      - id: xray\n        rules: {terms: [x-ray]}\n",
                   encoding="utf-8")
    from medvlm_graph.build import build

    build(seeds_dir, taxonomy=tax)
    assert len(Corpus.load(seeds_dir).papers) == 5
    time.sleep(0.05)
    # the user edits the seed list: drop the last row (synthetic)
    seeds = read_parquet(seeds_dir.seed_list).iloc[:-1]
    from medvlm_graph.io import write_parquet

    write_parquet(seeds, seeds_dir.seed_list)
    c = Corpus.load(seeds_dir)
    assert len(c.papers) == 4 and len(c.seeds) == 7
    assert c.info["taxonomy"] == str(tax.resolve())
    assert set(c.labels["dimension"]) == {"modality"}
