"""What an ingest read, dropped and wrote (both engines fill the same summary)."""

from __future__ import annotations

import resource
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

import pandas as pd

from ..errors import InputError
from ..log import logger

#: Input roles: the S2 Datasets each ingest reads (abstracts and tldrs are optional).
ROLES = ("papers", "citations", "abstracts", "tldrs")
TEXT_ROLES = ("abstracts", "tldrs")


@dataclass
class IngestSummary:
    """What an ingest read, dropped and wrote.

    Attributes
    ----------
    papers, citations, authorships : int
        Rows written to the fetched layer.
    seeds_total, seeds_matched : int
        Rows of the seed list, and how many were matched to a paper.
    hops : int or None
        ``None`` = every paper kept; ``0`` = seeds only; ``N`` = seeds + N hops.
    engine : str
        ``duckdb`` or ``spark``.
    abstracts, tldrs : int
        Kept papers given an abstract / a TLDR by the ``abstracts`` / ``tldrs``
        shards (0 when none were given).
    papers_read, citations_read, abstracts_read, tldrs_read : int
        Valid records read (a key present and of the right type).
    malformed_papers, malformed_citations, malformed_abstracts, malformed_tldrs : int
        Lines that were not a JSON object with the key(s) (kept out, reported).
    duplicate_papers, duplicate_citations : int
        Repeated corpus ids / (citing, cited) pairs collapsed into one.
    self_citations : int
        Records citing themselves (dropped).
    unknown_citations : int
        Distinct edges with an endpoint absent from the paper files (dropped).
    outside_hops : int
        Edges between known papers dropped because an end is outside the hops.
    hop_sizes : list of int
        Papers added at each hop.
    pairs : dict
        ``{kind: pairs written}`` of a Spark ingest with ``pairs`` (else empty).
    files : list of dict
        ``{"role", "path", "lines", "malformed"}`` per input file.
    seconds, peak_rss_mb : float
        Wall time and the process's peak resident memory (MiB) at the end.
    out_dir : str
        The fetched-layer directory written.
    """

    papers: int = 0
    citations: int = 0
    authorships: int = 0
    abstracts: int = 0
    tldrs: int = 0
    seeds_total: int = 0
    seeds_matched: int = 0
    hops: int | None = None
    engine: str = "duckdb"
    papers_read: int = 0
    citations_read: int = 0
    malformed_papers: int = 0
    malformed_citations: int = 0
    abstracts_read: int = 0
    tldrs_read: int = 0
    malformed_abstracts: int = 0
    malformed_tldrs: int = 0
    duplicate_papers: int = 0
    duplicate_citations: int = 0
    self_citations: int = 0
    unknown_citations: int = 0
    outside_hops: int = 0
    hop_sizes: list[int] = field(default_factory=list)
    pairs: dict[str, int] = field(default_factory=dict)
    files: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0
    peak_rss_mb: float = 0.0
    out_dir: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def lines(self) -> list[str]:
        """Short human summary (printed by the CLI)."""
        scope = "all papers" if self.hops is None else (
            "seeds only" if self.hops == 0 else f"seeds + {self.hops} hop(s)")
        return [
            f"Read {self.papers_read:,} papers ({self.malformed_papers:,} malformed lines, "
            f"{self.duplicate_papers:,} duplicates) and {self.citations_read:,} citations "
            f"({self.malformed_citations:,} malformed lines, {self.duplicate_citations:,} duplicates, "
            f"{self.self_citations:,} self-citations, {self.unknown_citations:,} to unknown papers) "
            f"from {len(self.files)} file(s).",
            f"Seeds matched: {self.seeds_matched}/{self.seeds_total}; kept {scope}: "
            f"{self.papers:,} papers, {self.citations:,} citations, {self.authorships:,} authorships"
            + (f" ({self.outside_hops:,} edges outside the hops dropped)." if self.hops is not None else "."),
            *([f"Text: {self.abstracts_read:,} abstracts ({self.malformed_abstracts:,} malformed lines) and "
               f"{self.tldrs_read:,} TLDRs ({self.malformed_tldrs:,} malformed lines) read; "
               f"{self.abstracts:,} kept papers got an abstract, {self.tldrs:,} a TLDR."]
              if any(f["role"] in TEXT_ROLES for f in self.files) else []),
            *(["Pairs counted on Spark: " + ", ".join(f"{k} {n:,}" for k, n in self.pairs.items())
               + f" (in {self.out_dir}/pairs)."] if self.pairs else []),
            f"Wrote {self.out_dir} ({self.engine}) in {self.seconds:.1f} s (peak memory {self.peak_rss_mb:,.0f} MiB).",
        ]


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MiB (Linux ``ru_maxrss`` is KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def record_files(summary: IngestSummary, role: str, files: list, counts: Mapping[str, tuple[int, int]]) -> None:
    """Record lines/malformed per file of one role; a file without one valid record is an input error.

    ``counts`` maps ``str(file)`` (as given) to ``(lines, malformed)``; a
    blank line is not a line.
    """
    for p in files:
        lines, malformed = counts.get(str(p), (0, 0))
        if lines - malformed <= 0:
            raise InputError(f"{role} file {p} has no valid record ({lines} line(s), {malformed} malformed)")
        summary.files.append({"role": role, "path": str(p), "lines": lines, "malformed": malformed})
        setattr(summary, f"malformed_{role}", getattr(summary, f"malformed_{role}") + malformed)
        if role != "citations":  # citations_read comes from the edge collapse (valid pairs)
            setattr(summary, f"{role}_read", getattr(summary, f"{role}_read") + lines - malformed)
        if malformed:
            logger.warning(f"{p}: {malformed:,} malformed line(s) of {lines:,} skipped")


def require_matched(hits: pd.DataFrame, seeds_total: int) -> None:
    """With ``--hops``/``--seeds-only``, at least one seed must match a paper."""
    if not len(hits):
        raise InputError(
            f"no seed matched a paper in the files ({seeds_total} seeds)",
            hint="check the seed list, or ingest every paper without --hops/--seeds-only")


__all__ = ["IngestSummary", "ROLES", "TEXT_ROLES", "peak_rss_mb", "record_files", "require_matched"]
