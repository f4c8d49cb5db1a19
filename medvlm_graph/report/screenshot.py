"""Screenshot of the report for the README: ``python -m medvlm_graph.report.screenshot``.

Builds the report (unless ``--report FILE`` is given), renders it in headless
Chromium and writes a PNG (default ``docs/report.png``). Needs a Chromium or
Chrome binary (Debian: ``apt-get install chromium``); nothing is downloaded.

Examples
--------
$ python -m medvlm_graph.report.screenshot --data-dir data --out docs/report.png
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from ..errors import InputError, MedvlmError
from .builder import write_report

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")


def find_browser() -> str | None:
    """Path of a Chromium/Chrome binary, or None."""
    env = os.environ.get("MEDVLM_GRAPH_CHROME")
    if env and Path(env).exists():
        return env
    for name in CANDIDATES:
        path = shutil.which(name)
        if path:
            return path
    return None


def screenshot(report: str | Path, out: str | Path, *, width: int = 1280, height: int = 1700,
               wait_ms: int = 8000) -> Path:
    """Render ``report`` in headless Chromium and save the top ``width`` x ``height`` pixels as PNG."""
    browser = find_browser()
    if browser is None:
        raise InputError("no Chromium or Chrome found", hint="apt-get install chromium, or set MEDVLM_GRAPH_CHROME")
    report, out = Path(report).resolve(), Path(out).resolve()
    if not report.exists():
        raise InputError(f"report not found: {report}")
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="medvlm-shot-") as profile:
        cmd = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               f"--user-data-dir={profile}", f"--window-size={width},{height}",
               f"--virtual-time-budget={wait_ms}", f"--screenshot={out}", report.as_uri()]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    if proc.returncode != 0 or not out.exists():
        raise InputError(f"Chromium could not take the screenshot (exit {proc.returncode})")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m medvlm_graph.report.screenshot", description=__doc__.split("\n")[0])
    ap.add_argument("--data-dir", default=os.environ.get("MEDVLM_GRAPH_DATA_DIR") or "data")
    ap.add_argument("--report", help="an existing report HTML (default: build it in the data dir)")
    ap.add_argument("--out", default="docs/report.png")
    ap.add_argument("--width", type=int, default=1280)
    ap.add_argument("--height", type=int, default=1700)
    args = ap.parse_args(argv)
    try:
        report = args.report
        if report is None:
            report = write_report(args.data_dir)
        path = screenshot(report, args.out, width=args.width, height=args.height)
    except MedvlmError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return exc.exit_code
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
