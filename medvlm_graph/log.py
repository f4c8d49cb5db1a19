"""Logging and progress bars shared by every command.

Library code does not own the terminal: it reports progress through :func:`progress` (a context
yielding an ``advance`` callback), which draws nothing until the command line turns bars on with
:func:`configure` (``bars=True``). Bars never nest: inside a running bar, an inner
:func:`progress` reports to nobody (rich cannot show two live bars at once). ``--quiet`` hides
progress bars and info messages; ``--verbose`` adds debug messages. Nothing secret is ever logged:
see :func:`redact`.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from rich.console import Console
from rich.logging import RichHandler
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

T = TypeVar("T")
logger = logging.getLogger("medvlm_graph")

_state = {"quiet": False, "bars": False, "active": False}
console = Console(stderr=True)


def configure(*, quiet: bool = False, verbose: bool = False, bars: bool = True) -> None:
    """Set the package log level and whether progress bars are shown (the command line calls this)."""
    _state["quiet"] = quiet
    _state["bars"] = bars
    level = logging.WARNING if quiet else (logging.DEBUG if verbose else logging.INFO)
    logger.setLevel(level)
    if not any(isinstance(h, RichHandler) for h in logger.handlers):
        handler = RichHandler(console=console, show_time=False, show_path=False, markup=False)
        handler.addFilter(_RedactFilter())
        logger.addHandler(handler)
    # Propagation stays on so that host applications (and pytest caplog) see our records too.
    logger.propagate = True


def is_quiet() -> bool:
    return _state["quiet"]


def redact(text: str) -> str:
    """Replace the value of ``S2_API_KEY`` (if set) in ``text`` by ``***``.

    Examples
    --------
    >>> import os
    >>> os.environ["S2_API_KEY"] = "sekrit123"
    >>> redact("key=sekrit123")
    'key=***'
    >>> del os.environ["S2_API_KEY"]
    """
    key = os.environ.get("S2_API_KEY")
    if key:
        text = text.replace(key, "***")
    return text


class _RedactFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = ()
        return True


@contextmanager
def progress(description: str, total: int | None) -> Iterator[callable]:
    """Context manager yielding ``advance(n=1)`` for a progress bar.

    The bar is drawn only when the command line asked for bars (:func:`configure`), not under
    ``--quiet``, and not inside another bar.

    Examples
    --------
    >>> with progress("demo", 2) as advance:
    ...     advance(); advance()
    """
    if _state["quiet"] or not _state["bars"] or _state["active"]:
        yield lambda n=1: None
        return
    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    )
    _state["active"] = True
    try:
        with bar:
            task = bar.add_task(description, total=total)
            yield lambda n=1: bar.advance(task, n)
    finally:
        _state["active"] = False


def track(items: Iterable[T], description: str, total: int | None = None) -> Iterator[T]:
    """Iterate ``items`` with a progress bar (hidden under ``--quiet``)."""
    if total is None and hasattr(items, "__len__"):
        total = len(items)  # type: ignore[arg-type]
    with progress(description, total) as advance:
        for item in items:
            yield item
            advance()
