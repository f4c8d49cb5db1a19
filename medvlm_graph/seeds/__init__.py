"""Seed lists: read a review's reference list into the ``seeds`` table.

Readers for awesome-list markdown (pipe tables, bullets, paragraph entries,
``<details>`` sections), BibTeX, RIS and CSV; identifier extraction from
links; title cleaning and normalisation; section headings mapped to the
taxonomy's tasks; several lists merged into one row per paper; the shipped
snapshot of the review's list.

Examples
--------
>>> from medvlm_graph.seeds import read_seeds, extract_ids, normalize_title
>>> len(read_seeds())  # the shipped snapshot
221
>>> extract_ids("https://arxiv.org/abs/2306.00890v2")["arxiv_id"]
'2306.00890'
"""

from __future__ import annotations

from .bibtex import parse_bibtex
from .csvlist import parse_csv
from .groups import seed_groups
from .ids import clean_url, extract_ids
from .markdown import parse_markdown, read_markdown
from .merge import merge_lists
from .ris import parse_ris
from .rows import build_seeds
from .store import PARSER_VERSION, current_provenance, load_snapshot, snapshot_provenance
from .sources import SeedList, current_seeds, parse_text, read_list, read_seeds, sniff_format
from .tasks import TaskMap, task_of
from .titles import clean_title, normalize_title

__all__ = [
    "PARSER_VERSION", "SeedList", "TaskMap", "build_seeds", "clean_title", "clean_url", "current_provenance",
    "current_seeds",
    "extract_ids", "load_snapshot", "merge_lists", "normalize_title", "parse_bibtex", "parse_csv", "parse_markdown",
    "parse_ris", "parse_text", "read_list", "read_markdown", "read_seeds", "seed_groups", "sniff_format",
    "snapshot_provenance", "task_of",
]
