"""``medvlm-graph seeds`` through Typer's runner and as a subprocess."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from medvlm_graph.cli import app

SNAPSHOT_SUMMARY = [
    "Read the shipped snapshot of the review list",
    "221 seeds: 68 in the model table (34 natural, 34 medical), 153 in 11 tasks",
    "tasks: report_generation 22, vqa 22, segmentation 25, anomaly_detection 13, classification 32, synthesis 11, "
    "retrieval 7, multi_task 16, super_resolution 1, registration 1, detection 3",
    "ids: arXiv 96, DOI 32, PII 13, PMC 4, ACL 2, IEEE 23; venue hints 46, year hints 146",
    "rows with no link: 3; rows with a link but no paper id: 48 (44 with a venue hint)",
    # LLaVA-Med and VILA-M3 are listed in the model table and again in a task section.
    "duplicates: 2 rows repeat a paper listed earlier (same arXiv id, DOI or normalised title); "
    "build makes them one paper",
]


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def test_summary_of_the_snapshot(tmp_path):
    result = run("--data-dir", str(tmp_path), "seeds")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == SNAPSHOT_SUMMARY
    assert not (tmp_path / "raw" / "seeds.parquet").exists()


def test_source_writes_the_chosen_list(tmp_path, fixtures):
    result = run("--data-dir", str(tmp_path), "seeds", "--source", str(fixtures / "april_like.md"))
    assert result.exit_code == 0, result.output
    assert "16 seeds: 3 in the model table (2 natural, 1 medical), 13 in 9 tasks" in result.stdout
    chosen = tmp_path / "raw" / "seeds.parquet"
    assert f"Wrote {chosen}" in result.stdout
    df = pd.read_parquet(chosen)
    assert len(df) == 16 and df["section"].value_counts()["models"] == 3
    prov = json.loads((tmp_path / "raw" / "seeds.provenance.json").read_text())
    assert prov["source"] == str((fixtures / "april_like.md").resolve()) and prov["rows"] == 16
    assert prov["rows_per_group"]["models"] == 3
    again = run("--data-dir", str(tmp_path), "seeds")  # plain `seeds` shows the list in use, not the snapshot
    assert again.stdout.splitlines()[:2] == [
        f"The list in use: {chosen} (read from {prov['source']}); delete that file to return to the shipped snapshot",
        "16 seeds: 3 in the model table (2 natural, 1 medical), 13 in 9 tasks"]


def test_out_csv_and_parquet(tmp_path, fixtures):
    out_csv = tmp_path / "s.csv"
    assert run("--data-dir", str(tmp_path), "seeds", "--out", str(out_csv)).exit_code == 0
    assert len(pd.read_csv(out_csv)) == 221
    out_pq = tmp_path / "t.parquet"
    result = run("--data-dir", str(tmp_path), "-q", "seeds", "-s", str(fixtures / "tricky.md"), "-o", str(out_pq))
    assert result.exit_code == 0 and result.stdout == ""
    assert len(pd.read_parquet(out_pq)) == 34
    assert not (tmp_path / "raw" / "seeds.parquet").exists()  # --out given: the chosen list is untouched


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def bad_inputs(tmp_path) -> dict[str, str]:
    (tmp_path / "empty.md").write_text("")
    (tmp_path / "prose.md").write_text("# Nothing\n\nno table here\n")
    (tmp_path / "binary.md").write_bytes(b"\x00\x01\x02PK\x03\x04")
    (tmp_path / "notitle.csv").write_text("foo,url\nA,http://x\n")
    return {
        "missing": str(tmp_path / "missing.md"),
        "empty": str(tmp_path / "empty.md"),
        "no tables": str(tmp_path / "prose.md"),
        "binary": str(tmp_path / "binary.md"),
        "no title column": str(tmp_path / "notitle.csv"),
        "unreachable": f"http://127.0.0.1:{closed_port()}/README.md",
    }


@pytest.mark.parametrize("case", ["missing", "empty", "no tables", "binary", "no title column", "unreachable"])
def test_errors_give_one_line_and_exit_1(tmp_path, bad_inputs, case):
    result = run("--data-dir", str(tmp_path), "seeds", "--source", bad_inputs[case])
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ")
    assert "Traceback" not in result.output


def test_bad_out_extension_is_a_usage_error(tmp_path):
    result = run("--data-dir", str(tmp_path), "seeds", "--out", str(tmp_path / "x.txt"))
    assert result.exit_code == 2
    assert result.stderr.strip() == "Error: --out must end in .csv or .parquet, not 'x.txt'"


def _exe() -> list[str]:
    return [sys.executable, "-m", "medvlm_graph"]


def test_subprocess(tmp_path, fixtures, bad_inputs):
    """Two real process runs (start-up is slow): one success writing --out, one error."""
    env = {**os.environ, "MEDVLM_GRAPH_DATA_DIR": str(tmp_path / "data")}
    out = tmp_path / "seeds.csv"
    ok = subprocess.run([*_exe(), "seeds", "--out", str(out)], capture_output=True, text=True, cwd=tmp_path,
                        env=env, timeout=180)
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.splitlines() == [*SNAPSHOT_SUMMARY, f"Wrote {out}"]
    assert len(pd.read_csv(out)) == 221
    bad = subprocess.run([*_exe(), "seeds", "--source", bad_inputs["unreachable"]], capture_output=True,
                         text=True, cwd=tmp_path, env=env, timeout=180)
    assert bad.returncode == 1
    assert bad.stderr.strip().count("\n") == 0 and bad.stderr.startswith("Error: cannot download"), bad.stderr
    assert "Traceback" not in bad.stderr


def test_snapshot_module_command(tmp_path, fixtures):
    env = {**os.environ}
    pkg = tmp_path / "pkg"
    code = ("import sys; from pathlib import Path; from medvlm_graph.seeds import store, snapshot; "
            f"store._paths.package_data = lambda name: Path({str(pkg)!r}) / name; "
            "sys.exit(snapshot.main(sys.argv[1:]))")
    res = subprocess.run([sys.executable, "-c", code, str(fixtures / "april_like.md"), "--commit", "a" * 40,
                          "--date", "2025-04-01", "--data-dir", str(tmp_path / "raw")],
                         capture_output=True, text=True, env=env, timeout=120)
    assert res.returncode == 0, res.stderr
    assert (pkg / "review_list.csv").read_bytes() == (tmp_path / "raw" / "review_list.csv").read_bytes()
    bad = subprocess.run([sys.executable, "-m", "medvlm_graph.seeds.snapshot", str(tmp_path / "nope.md"),
                          "--commit", "a", "--date", "2025-01-01", "--data-dir", str(tmp_path / "raw2")],
                         capture_output=True, text=True, env=env, timeout=120)
    assert bad.returncode == 1 and bad.stderr.strip().startswith("Error: no such file")
    assert not Path(tmp_path / "raw2").exists()
