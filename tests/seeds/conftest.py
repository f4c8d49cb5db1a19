"""Fixtures of the seed-list tests."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from medvlm_graph.log import logger

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def warnings_seen(caplog):
    """Messages the package logger emits (it does not propagate to the root logger)."""
    caplog.set_level(logging.WARNING)
    logger.addHandler(caplog.handler)
    yield lambda: [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    logger.removeHandler(caplog.handler)
