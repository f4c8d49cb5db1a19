"""CLI commands of this area (being written; see the issue tracker)."""

from __future__ import annotations

from .app import app  # noqa: F401
