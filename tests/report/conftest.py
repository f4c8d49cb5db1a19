"""Fixtures for the report tests: SYNTHETIC built data dirs (see synthetic.py) and the snapshot-only dir."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

_spec = importlib.util.spec_from_file_location("medvlm_report_synthetic", Path(__file__).with_name("synthetic.py"))
synthetic = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(synthetic)


@pytest.fixture
def synth():
    return synthetic


@pytest.fixture
def built_dir(tmp_path: Path) -> Path:
    """A data dir with synthetic processed tables and a fetched layer (provenance.json)."""
    return synthetic.write_data_dir(tmp_path / "data")


@pytest.fixture
def hostile_dir(tmp_path: Path) -> Path:
    return synthetic.write_data_dir(tmp_path / "data", hostile=True)


@pytest.fixture(scope="session")
def snapshot_report(tmp_path_factory) -> Path:
    """The real report on the shipped snapshot alone (no S2 data), built once per session."""
    from medvlm_graph.report import write_report

    return write_report(tmp_path_factory.mktemp("snap") / "data")
