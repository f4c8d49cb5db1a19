"""The processed tables follow every change of the build's inputs, in both directions.

Seed lists, overrides and taxonomies here are SYNTHETIC (made up for the tests), apart from the
shipped snapshot (221 rows, 219 papers).
"""

from __future__ import annotations

import json
import os
import shutil

import pytest
from typer.testing import CliRunner

from medvlm_graph.build import build, read_build_info
from medvlm_graph.cli import app
from medvlm_graph.corpus import Corpus, stale_reason
from medvlm_graph.freshness import changed_inputs
from medvlm_graph.io import atomic_write_json, write_parquet
from medvlm_graph.paths import DataPaths
from medvlm_graph.taxonomy import default_taxonomy_path

from .conftest import SEEDS

SNAPSHOT_PAPERS = 219
runner = CliRunner()


@pytest.fixture
def snapshot_dir(tmp_path):
    """A data dir built on the shipped snapshot alone."""
    paths = DataPaths(tmp_path / "data")
    build(paths)
    return paths


def built_at(paths: DataPaths) -> str:
    return json.loads(paths.build_info.read_text())["built_at"] + str(paths.build_info.stat().st_mtime_ns)


def test_build_records_the_identity_of_every_input(snapshot_dir):
    inputs = read_build_info(snapshot_dir)["inputs"]
    assert inputs["raw/seeds.parquet"] is None and inputs["overrides.csv"] is None
    assert inputs["raw/fetched/papers.parquet"] is None
    taxonomy = inputs[str(default_taxonomy_path().resolve())]
    assert taxonomy["size"] == default_taxonomy_path().stat().st_size and len(taxonomy["sha256"]) == 64
    assert changed_inputs(snapshot_dir, read_build_info(snapshot_dir)) == []
    assert stale_reason(snapshot_dir) is None


def test_going_back_to_the_snapshot_rebuilds(snapshot_dir, caplog):
    write_parquet(SEEDS, snapshot_dir.seed_list)  # a list chosen with `seeds --source` (8 rows, 5 papers)
    assert stale_reason(snapshot_dir) == "inputs changed since the last build: raw/seeds.parquet (added)"
    assert len(Corpus.load(snapshot_dir).papers) == 5
    snapshot_dir.seed_list.unlink()  # back to the snapshot, as the README says
    assert stale_reason(snapshot_dir) == "inputs changed since the last build: raw/seeds.parquet (removed)"
    with caplog.at_level("INFO", logger="medvlm_graph"):
        corpus = Corpus.load(snapshot_dir)
    assert len(corpus.papers) == SNAPSHOT_PAPERS
    assert "inputs changed since the last build: raw/seeds.parquet (removed); rebuilding" in caplog.text
    assert stale_reason(snapshot_dir) is None


def test_every_command_sees_the_list_change_back(snapshot_dir):
    root = str(snapshot_dir.root)
    write_parquet(SEEDS, snapshot_dir.seed_list)
    r = runner.invoke(app, ["--data-dir", root, "labels"])
    assert r.exit_code == 0 and r.stdout.splitlines()[0].endswith("of 5 papers")
    snapshot_dir.seed_list.unlink()
    r = runner.invoke(app, ["labels", "--data-dir", root])
    assert r.exit_code == 0 and r.stdout.splitlines()[0].endswith(f"of {SNAPSHOT_PAPERS} papers"), r.output


def test_an_older_copy_of_the_list_counts_as_a_change(tmp_path):
    """Not "newer than the tables": a list replaced by an older file is a change too."""
    paths = DataPaths(tmp_path / "data")
    write_parquet(SEEDS, paths.seed_list)
    build(paths)
    old = tmp_path / "old.parquet"
    write_parquet(SEEDS.head(2), old)
    os.utime(old, ns=(10**9, 10**9))  # 1970: older than every table
    shutil.copy2(old, paths.seed_list)
    assert stale_reason(paths) == "inputs changed since the last build: raw/seeds.parquet (changed)"
    assert len(Corpus.load(paths).seeds) == 2


def test_same_bytes_rewritten_is_no_change(snapshot_dir):
    write_parquet(SEEDS, snapshot_dir.seed_list)
    Corpus.load(snapshot_dir)
    before = built_at(snapshot_dir)
    data = snapshot_dir.seed_list.read_bytes()
    snapshot_dir.seed_list.write_bytes(data)  # a new mtime, the same content (git checkout, touch)
    os.utime(snapshot_dir.seed_list, ns=(2 * 10**18, 2 * 10**18))
    assert stale_reason(snapshot_dir) is None
    Corpus.load(snapshot_dir)
    assert built_at(snapshot_dir) == before


def test_overrides_added_then_removed(snapshot_dir):
    pid = Corpus.load(snapshot_dir).papers["paper_id"].iloc[0]
    snapshot_dir.overrides.write_text(f"paper_id,dimension,label,action\n{pid},modality,dental,add\n")
    assert stale_reason(snapshot_dir) == "inputs changed since the last build: overrides.csv (added)"
    lab = Corpus.load(snapshot_dir).labels
    assert ((lab["paper_id"] == pid) & (lab["label"] == "dental") & (lab["source"] == "manual")).sum() == 1
    snapshot_dir.overrides.unlink()
    assert stale_reason(snapshot_dir) == "inputs changed since the last build: overrides.csv (removed)"
    lab = Corpus.load(snapshot_dir).labels
    assert (lab["source"] == "manual").sum() == 0


def test_an_edited_taxonomy_rebuilds_with_that_taxonomy(tmp_path):
    paths = DataPaths(tmp_path / "data")
    tax = tmp_path / "my_taxonomy.yaml"
    shutil.copy(default_taxonomy_path(), tax)
    build(paths, taxonomy=tax)
    assert stale_reason(paths) is None
    text = tax.read_text()
    tax.write_text(text + "\n# edited\n")
    assert stale_reason(paths) == f"inputs changed since the last build: {tax.resolve()} (changed)"
    corpus = Corpus.load(paths)
    assert corpus.info["taxonomy"] == str(tax.resolve())  # the rebuild kept the user's taxonomy
    assert stale_reason(paths) is None


def test_a_fetched_layer_removed_rebuilds(fetched_dir):
    assert len(Corpus.load(fetched_dir).citations) == 5
    shutil.rmtree(fetched_dir.fetched)
    assert stale_reason(fetched_dir).startswith("inputs changed since the last build: raw/fetched/papers.parquet "
                                               "(removed), raw/fetched/citations.parquet (removed)")
    corpus = Corpus.load(fetched_dir)
    assert corpus.citations.empty and corpus.info["mode"] == "snapshot"


def test_a_build_json_without_input_record_rebuilds_once(snapshot_dir):
    info = read_build_info(snapshot_dir)
    del info["inputs"]
    atomic_write_json(snapshot_dir.build_info, info)
    assert stale_reason(snapshot_dir) == ("inputs changed since the last build: "
                                          "build.json (no record of the inputs)")
    Corpus.load(snapshot_dir)
    assert stale_reason(snapshot_dir) is None


def test_moving_the_data_directory_is_no_change(snapshot_dir, tmp_path):
    moved = DataPaths(tmp_path / "elsewhere")
    shutil.move(snapshot_dir.root, moved.root)
    assert stale_reason(moved) is None
