"""Command that writes the shipped snapshot of the review's list.

Usage (from a source checkout; writes ``medvlm_graph/data/`` and ``data/raw/``)::

    python -m medvlm_graph.seeds.snapshot path/to/README.md \\
        --commit 4d3b7c71409b617292a73df2f0ade466d4da0e29 --date 2025-10-16

:func:`write_snapshot` parses the list (:mod:`.sources`) and writes it with the helpers of :mod:`.store`.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .. import paths as _paths
from ..errors import MedvlmError
from ..io import atomic_write_json, atomic_write_text
from .sources import read_seeds
from .store import DEFAULT_REPO, provenance, to_fact_csv


def write_snapshot(source: str | os.PathLike[str], *, commit: str, date: str, repo: str = DEFAULT_REPO,
                   package_dir: Path | None = None, data_dir: Path | None = None) -> list[Path]:
    """Parse ``source`` and write the snapshot CSV and provenance to both places."""
    source = Path(source)
    df = read_seeds(source)
    text = to_fact_csv(df)
    prov = provenance(df, source_bytes=source.read_bytes(), commit=commit, date=date, repo=repo)
    package_dir = package_dir or _paths.package_data(_paths.SNAPSHOT_NAME).parent
    targets = [package_dir]
    if data_dir is not None:
        targets.append(data_dir)
    written = []
    for folder in targets:
        written.append(atomic_write_text(folder / _paths.SNAPSHOT_NAME, text))
        written.append(atomic_write_json(folder / _paths.PROVENANCE_NAME, prov))
    return written


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
