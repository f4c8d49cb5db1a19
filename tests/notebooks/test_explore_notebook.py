"""notebooks/explore.ipynb runs top to bottom on the shipped snapshot (so it cannot rot)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import nbformat
import pytest

from medvlm_graph.paths import PROVENANCE_NAME, SNAPSHOT_NAME, default_data_dir, package_data

ROOT = Path(__file__).parents[2]
NOTEBOOK = ROOT / "notebooks" / "explore.ipynb"


def test_notebook_is_committed_without_outputs():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert len(code) >= 10
    assert all(c.outputs == [] and c.execution_count is None for c in code)
    assert nb.metadata["kernelspec"]["name"] == "python3"


@pytest.mark.slow
def test_notebook_runs_on_the_projects_data_directory(tmp_path, monkeypatch):
    """Run from notebooks/ (as Jupyter does), the notebook uses the project's data/, not notebooks/data."""
    nbclient = pytest.importorskip("nbclient")
    project = tmp_path / "project"
    data = project / "data"
    (data / "raw").mkdir(parents=True)  # a checkout: data/raw holds the snapshot
    for name in (SNAPSHOT_NAME, PROVENANCE_NAME):
        shutil.copy(package_data(name), data / "raw" / name)
    (project / "notebooks").mkdir()
    monkeypatch.delenv("MEDVLM_GRAPH_DATA_DIR")  # the kernel inherits the environment: no override here
    # ... and imports the package under test (this checkout), whatever the environment has installed
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    monkeypatch.chdir(project / "notebooks")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(nb, timeout=240, kernel_name="python3",
                                     resources={"metadata": {"path": str(project / "notebooks")}})
    client.execute()  # raises CellExecutionError on the first failing cell
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert errors == []
    text = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs
                   if o.output_type == "stream")
    assert f"data directory: {data.resolve()}" in text
    assert "221 rows from github.com/haonenglin/Awesome-VLM-for-MIA at commit 4d3b7c71409b" in text
    assert "report: ../data/processed/report/index.html" in text
    assert (data / "processed" / "papers.parquet").exists()
    assert not (project / "notebooks" / "data").exists()
    # the figure cells produced Plotly outputs
    plotly_outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
                      if "application/vnd.plotly.v1+json" in o.get("data", {})]
    assert len(plotly_outputs) >= 4


def test_the_notebooks_data_directory_follows_the_environment(tmp_path, monkeypatch):
    """The first cell's rule, without a kernel: $MEDVLM_GRAPH_DATA_DIR wins over the project's data/."""
    (tmp_path / "data" / "raw").mkdir(parents=True)
    shutil.copy(package_data(SNAPSHOT_NAME), tmp_path / "data" / "raw" / SNAPSHOT_NAME)
    (tmp_path / "notebooks").mkdir()
    monkeypatch.chdir(tmp_path / "notebooks")
    monkeypatch.delenv("MEDVLM_GRAPH_DATA_DIR")
    assert default_data_dir() == Path("../data")
    monkeypatch.setenv("MEDVLM_GRAPH_DATA_DIR", str(tmp_path / "elsewhere"))
    assert default_data_dir() == tmp_path / "elsewhere"
    code = "".join(nbformat.read(NOTEBOOK, as_version=4).cells[1].source)
    assert "data_dir = default_data_dir()" in code
