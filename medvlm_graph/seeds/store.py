"""The shipped snapshot of the review's list: loading it and writing it.

The snapshot is a CSV of facts (what the list says and what the parser
derived from it) plus a provenance JSON naming the upstream commit. It ships
inside the package (``medvlm_graph/data``) and as an identical copy in
``data/raw/``. Regenerate it with :func:`medvlm_graph.seeds.snapshot.write_snapshot`, or::

    python -m medvlm_graph.seeds.snapshot path/to/README.md \\
        --commit 4d3b7c71409b617292a73df2f0ade466d4da0e29 --date 2025-10-16
"""

from __future__ import annotations

import hashlib
import io
import os
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

from .. import paths as _paths
from ..errors import DataError
from ..io import atomic_write_json, read_json, write_parquet
from .rows import FACT_COLUMNS, conform_seeds

ID_COLUMNS = ("arxiv_id", "doi", "pii", "pmcid", "acl_id", "ieee_id", "venue_hint", "year_hint")

PARSER_VERSION = "2"  # 2: bullets, paragraph entries and <details> sections besides tables
DEFAULT_REPO = "https://github.com/haonenglin/Awesome-VLM-for-MIA"
URL_NOTE = (
    "Expired signed query strings of ScienceDirect (pdf.sciencedirectassets.com) and Silverchair "
    "links were dropped from the stored url; the PII stays in the url path and in the pii column."
)


def load_snapshot(path: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """The shipped snapshot as a ``seeds`` table (no network, any working directory).

    Parameters
    ----------
    path : path, optional
        Default: ``DataPaths().snapshot`` (the data dir's copy, else the one
        packaged in ``medvlm_graph/data``).
    """
    path = Path(path) if path is not None else _paths.DataPaths().snapshot
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    except FileNotFoundError:
        raise DataError(f"missing snapshot {path}", hint="reinstall medvlm-graph") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise DataError(f"corrupt snapshot {path}: {type(exc).__name__}") from None
    return conform_seeds(df)


def snapshot_provenance(path: str | os.PathLike[str] | None = None) -> dict:
    """Provenance of the shipped snapshot (upstream repo, commit, date, counts)."""
    path = Path(path) if path is not None else _paths.DataPaths().provenance
    return read_json(path)


def to_fact_csv(df: pd.DataFrame) -> str:
    """The snapshot CSV text of a seeds table (fact columns only, ``\\n`` line ends)."""
    buf = io.StringIO()
    df[FACT_COLUMNS].to_csv(buf, index=False, lineterminator="\n")
    return buf.getvalue()


def provenance(df: pd.DataFrame, *, source_bytes: bytes, commit: str, date: str, repo: str) -> dict:
    """The provenance record written next to the snapshot."""
    owner_repo = repo.rstrip("/").removeprefix("https://").removeprefix("http://").removeprefix("github.com/")
    counts = df["section"].where(df["section"] == "models", df["task"].fillna("(none)"))
    return {
        "upstream": f"github.com/{owner_repo}",
        "file": "README.md",
        "commit": commit,
        "date": date,
        "raw_url": f"https://raw.githubusercontent.com/{owner_repo}/{commit}/README.md",
        "source_sha256": hashlib.sha256(source_bytes).hexdigest(),
        "rows": int(len(df)),
        "rows_per_section": {k: int(v) for k, v in df["section"].value_counts(sort=False).items()},
        "rows_per_group": {k: int(v) for k, v in counts.value_counts(sort=False).items()},
        "ids_found": {k: int(df[k].notna().sum()) for k in ID_COLUMNS},
        "rows_without_link": int(df["url"].isna().sum()),
        "parser": "medvlm_graph.seeds.markdown",
        "parser_version": PARSER_VERSION,
        "columns": FACT_COLUMNS,
        "note": URL_NOTE,
    }


def chosen_provenance_path(seed_list: Path) -> Path:
    """Where the provenance of a list chosen with ``seeds --source`` is kept (next to it)."""
    return seed_list.with_name(seed_list.stem + ".provenance.json")


def current_provenance(paths: _paths.DataPaths | str | os.PathLike[str] | None = None) -> dict:
    """Provenance of the seed list later stages use (the list :func:`~.sources.current_seeds` returns).

    The record :func:`write_chosen` kept when ``medvlm-graph seeds --source`` chose a list
    (``source``, ``read_at``, ``rows``...), else the shipped snapshot's (``upstream``, ``commit``,
    ``date``, ``rows``...). ``kind`` says which: ``"chosen"`` or ``"snapshot"``.

    Examples
    --------
    >>> import tempfile
    >>> p = current_provenance(tempfile.mkdtemp())
    >>> p["kind"], p["rows"], p["commit"][:7]
    ('snapshot', 221, '4d3b7c7')
    """
    if not isinstance(paths, _paths.DataPaths):
        paths = _paths.DataPaths(paths)
    if paths.seed_list.exists():
        record = chosen_provenance_path(paths.seed_list)
        return {**(read_json(record) if record.exists() else {}), "kind": "chosen"}
    return {**snapshot_provenance(paths.provenance), "kind": "snapshot"}


def write_chosen(df: pd.DataFrame, source: str | os.PathLike[str] | list, seed_list: Path, *,
                 row_format: dict | None = None) -> Path:
    """Write a chosen seed list (parquet) and a small provenance JSON next to it (``source``: one or a
    list; ``row_format``: how the list writes a paper, for ``medvlm-graph candidates``)."""

    def resolved(item) -> str:
        text = str(item)
        return text if text.lower().startswith(("http://", "https://")) else str(Path(text).expanduser().resolve())

    src = [resolved(s) for s in source] if isinstance(source, (list, tuple)) else resolved(source)
    groups = df["section"].where(df["section"] == "models", df["task"].fillna("(none)"))
    write_parquet(df, seed_list)
    atomic_write_json(chosen_provenance_path(seed_list), {
        "source": src,
        "read_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "rows": int(len(df)),
        "rows_per_group": {k: int(v) for k, v in groups.value_counts(sort=False).items()},
        "parser_version": PARSER_VERSION,
        **({"row_format": row_format} if row_format else {}),
    })
    return seed_list
