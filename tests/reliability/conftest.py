"""Fixtures of the reliability suite (see rel_support.py for the SYNTHETIC world and helpers)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # rel_support (loads tests/s2/s2_fakeapi.py by path)

import rel_support  # noqa: E402


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
