"""Fixtures of the seed-list tests."""

from __future__ import annotations

import http.server
import logging
import threading
from functools import partial
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


@pytest.fixture
def served(fixtures):
    """A local HTTP server (127.0.0.1) serving the fixtures folder; yields its base URL."""
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(fixtures))
    handler.log_message = lambda *a, **k: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
