"""Fixtures of the reliability suite (see rel_support.py for the SYNTHETIC world and helpers)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest


def _load(name: str):
    """Import this folder's helper ``name`` by file path and register it, so tests can ``import`` it.

    Nothing is put on sys.path: other folders' tests import their own ``conftest`` by name.
    """
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name(f"{name}.py"))
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


rel_support = _load("rel_support")  # loads tests/s2/s2_fakeapi.py by path too
_load("hostile_data")


@pytest.fixture
def fake():
    """The fake S2 API over the mini world; the reliability key is valid, any other key gets 403."""
    server = rel_support.FakeS2(rel_support.mini_world(), valid_keys={rel_support.KEY}).start()
    yield server
    server.stop()


@pytest.fixture
def data_dir(tmp_path):
    """A fresh data dir whose chosen seed list is the mini seeds."""
    d = tmp_path / "data"
    rel_support.write_seeds(d)
    return d
