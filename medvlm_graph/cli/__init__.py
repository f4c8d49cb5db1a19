"""Command-line interface: ``medvlm-graph COMMAND``.

Importing this package registers every command on :data:`app`.
"""

from __future__ import annotations

import gc

from .app import app

# Each module registers its commands on `app` when imported.
from . import seeds as _seeds  # noqa: F401,E402
from . import fetch as _fetch  # noqa: F401,E402
from . import ingest as _ingest  # noqa: F401,E402
from . import build as _build  # noqa: F401,E402
from . import analyses as _analyses  # noqa: F401,E402
from . import export as _export  # noqa: F401,E402
from . import outputs as _outputs  # noqa: F401,E402
from . import living as _living  # noqa: F401,E402
from . import indicators as _indicators  # noqa: F401,E402


def main() -> None:
    """Console-script entry point: runs the command and ends the process (``SystemExit``); to run a
    command inside a Python program, call :data:`app` (or use the library)."""
    try:
        app()
    finally:
        # The process ends here. Freezing the collector's objects spares the shutdown its full
        # collections over everything still alive (tables, imported libraries): about 0.3 s after a
        # report. Objects are still released as usual; only cycles still alive at exit are left
        # to the operating system, as most of them are at any interpreter exit.
        gc.freeze()


__all__ = ["app", "main"]
