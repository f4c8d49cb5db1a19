"""Fixtures of the S2 tests: a local fake API over a SYNTHETIC world (see s2_fakeapi.py)."""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # s2_fakeapi, s2_world, s2_samples

from s2_fakeapi import FakeS2  # noqa: E402
from s2_world import build_world  # noqa: E402

KEY = "sekrit-S2-key-4711"
# The world is read-only for the server: build it once.
world = functools.lru_cache(maxsize=None)(build_world)


@pytest.fixture
def fake():
    """The fake API over the end-to-end world; no key required (a wrong key gets 403)."""
    server = FakeS2(world(), valid_keys={KEY}).start()
    yield server
    server.stop()


@pytest.fixture
def fast():
    """Keyword arguments that make retries instant and the rate unlimited."""
    return {"rate": 0, "backoff": 0.001, "max_backoff": 0.01, "timeout": 2.0}
