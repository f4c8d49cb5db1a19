"""``medvlm-graph ingest`` through CliRunner and one real subprocess."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
from typer.testing import CliRunner

from medvlm_graph.cli import app
from medvlm_graph.paths import DataPaths

runner = CliRunner()


def _choose_seeds(data, seeds):
    """Write the seed list as if chosen with `medvlm-graph seeds --source` (read by current_seeds)."""
    path = DataPaths(data).seed_list
    path.parent.mkdir(parents=True, exist_ok=True)
    seeds.to_parquet(path, index=False)


def test_cli_seeds_only_with_globs(corpus, seeds):
    _choose_seeds(corpus["data"], seeds)
    src = corpus["dir"]
    result = runner.invoke(app, [
        "--data-dir", str(corpus["data"]), "ingest",
        "--papers", str(src / "papers-00[01]*"), "--papers", str(corpus["papers_c"]),
        "--citations", str(src / "citations-*"), "--seeds-only"])
    assert result.exit_code == 0, result.output
    assert "Seeds matched: 3/4; kept seeds only: 3 papers, 2 citations, 3 authorships" in result.output
    assert "3 malformed lines, 1 duplicates" in result.output
    papers = pd.read_parquet(DataPaths(corpus["data"]).fetched_table("papers"))
    assert papers["corpus_id"].tolist() == [1, 2, 3]


def test_cli_hops_and_seeds_only_conflict(corpus, seeds):
    result = runner.invoke(app, ["--data-dir", str(corpus["data"]), "ingest", "--papers",
                                 str(corpus["papers_a"]), "--citations", str(corpus["citations_y"]),
                                 "--hops", "2", "--seeds-only"])
    assert result.exit_code == 2
    assert "Error: --seeds-only and --hops N exclude each other" in result.output


def test_cli_missing_file_is_one_line_error(corpus):
    result = runner.invoke(app, ["--data-dir", str(corpus["data"]), "ingest", "--papers",
                                 str(corpus["dir"] / "missing.jsonl.gz"), "--citations",
                                 str(corpus["citations_y"])])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"Error: papers file not found: {corpus['dir'] / 'missing.jsonl.gz'}"]


def test_subprocess_ingest_every_paper(corpus, seeds):
    _choose_seeds(corpus["data"], seeds)
    src = corpus["dir"]
    proc = subprocess.run(
        [sys.executable, "-m", "medvlm_graph", "--quiet", "--data-dir", str(corpus["data"]), "ingest",
         "--papers", str(src / "papers-*"), "--citations", str(src / "citations-*")],
        capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""  # --quiet
    cits = pd.read_parquet(DataPaths(corpus["data"]).fetched_table("citations"))
    assert len(cits) == 5


def test_cli_abstracts_and_tldrs(corpus, seeds):
    _choose_seeds(corpus["data"], seeds)
    src = corpus["dir"]
    result = runner.invoke(app, [
        "--data-dir", str(corpus["data"]), "ingest", "--papers", str(src / "papers-*"),
        "--citations", str(src / "citations-*"), "--abstracts", str(corpus["abstracts_a"]),
        "--abstracts", str(corpus["abstracts_b"]), "--tldrs", str(src / "tldrs-*"), "--hops", "1"])
    assert result.exit_code == 0, result.output
    assert ("Text: 6 abstracts (2 malformed lines) and 3 TLDRs (1 malformed lines) read; "
            "3 kept papers got an abstract, 2 a TLDR.") in " ".join(result.output.split())  # may wrap
    papers = pd.read_parquet(DataPaths(corpus["data"]).fetched_table("papers"))
    assert papers["corpus_id"].tolist() == [1, 2, 3, 4, 5]
    assert papers["tldr"].astype(object).where(papers["tldr"].notna(), None).tolist() == [
        "Contrastive pretraining helps.", None, None, "Language models write reports.", None]


def test_cli_master_needs_spark_and_duckdb_reads_no_urls(corpus):
    base = ["--data-dir", str(corpus["data"]), "ingest", "--papers", str(corpus["papers_a"]),
            "--citations", str(corpus["citations_y"])]
    result = runner.invoke(app, base + ["--master", "local[2]"])
    assert (result.exit_code, result.output.strip()) == (2, "Error: --master is for --engine spark")
    result = runner.invoke(app, base + ["--engine", "flink"])
    assert (result.exit_code, result.output.strip()) == (
        2, "Error: unknown engine 'flink'; choose one of duckdb, spark")
    result = runner.invoke(app, base + ["--tldrs", "s3a://bucket/tldrs/*.gz"])
    assert (result.exit_code, result.output.strip()) == (
        1, "Error: tldrs file s3a://bucket/tldrs/*.gz is a URL; the DuckDB engine reads local files "
           "(use --engine spark for cluster URLs)")
