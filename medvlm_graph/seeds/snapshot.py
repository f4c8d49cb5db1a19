"""Command that writes the shipped snapshot of the review's list.

Usage (from a source checkout; writes ``medvlm_graph/data/`` and ``data/raw/``)::

    python -m medvlm_graph.seeds.snapshot path/to/README.md \\
        --commit 4d3b7c71409b617292a73df2f0ade466d4da0e29 --date 2025-10-16

The functions live in :mod:`.store`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import MedvlmError
from .store import DEFAULT_REPO, write_snapshot


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m medvlm_graph.seeds.snapshot",
                                     description="Write the shipped snapshot of the review list.")
    parser.add_argument("source", help="the list's README.md at the upstream commit")
    parser.add_argument("--commit", required=True, help="upstream commit SHA")
    parser.add_argument("--date", required=True, help="commit date YYYY-MM-DD")
    parser.add_argument("--repo", default=DEFAULT_REPO, help="upstream repository URL")
    parser.add_argument("--data-dir", type=Path, default=None,
                        help="also write a copy to this raw data folder (default: data/raw of a source checkout)")
    args = parser.parse_args(argv)
    data_dir = args.data_dir
    if data_dir is None:
        checkout = Path(__file__).resolve().parents[2]
        if (checkout / "pyproject.toml").exists():
            data_dir = checkout / "data" / "raw"
    try:
        for path in write_snapshot(args.source, commit=args.commit, date=args.date, repo=args.repo,
                                   data_dir=data_dir):
            print(f"wrote {path}")
    except MedvlmError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return exc.exit_code
    return 0


if __name__ == "__main__":
    sys.exit(main())
