"""RIS reference lists (rispy).

Examples
--------
>>> text = "TY  - JOUR\\nTI  - MedCLIP\\nDO  - 10.18653/v1/2022.emnlp-main.256\\nPY  - 2022\\nER  - \\n"
>>> df = parse_ris(text, source="vqa.ris")
>>> df.loc[0, ["title", "doi", "task"]].tolist(), int(df.loc[0, "year_hint"])
(['MedCLIP', '10.18653/v1/2022.emnlp-main.256', 'vqa'], 2022)
"""

from __future__ import annotations

from pathlib import PurePath

import pandas as pd

from ..errors import InputError
from ..log import logger
from .bibtex import rows_from_fields
from .tasks import task_map
from .rows import build_seeds, clean_cell


def _first(value: object) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    return clean_cell(value)


def parse_ris(text: str, *, source: str = "references.ris", taxonomy=None) -> pd.DataFrame:
    """The ``seeds`` table of a RIS text (section from keywords, else the file stem).

    Raises
    ------
    InputError
        When the text holds no RIS record with a title.
    """
    import rispy

    try:
        records = rispy.loads(text, skip_unknown_tags=True)
    except Exception as exc:  # rispy raises IOError/ValueError variants on bad input
        raise InputError(f"cannot read RIS file {source}: {exc}") from exc
    entries = []
    for rec in records:
        title = _first(rec.get("title") or rec.get("primary_title") or rec.get("translated_title"))
        if not title:
            continue
        keywords = rec.get("keywords") or []
        entries.append({
            "title": title,
            "url": _first(rec.get("urls") or rec.get("url")),
            "doi": _first(rec.get("doi")),
            "year": _first(rec.get("year") or rec.get("publication_year") or rec.get("date")),
            "keywords": ";".join(k for k in keywords if k) if isinstance(keywords, list) else str(keywords),
            "journal": _first(rec.get("journal_name") or rec.get("secondary_title") or rec.get("alternate_title3")),
        })
    skipped = len(records) - len(entries)
    if skipped:
        logger.warning(f"{source}: {skipped} RIS record(s) without a title skipped")
    if not entries:
        raise InputError(f"no RIS records with a title found in {source}")
    return build_seeds(rows_from_fields(entries, PurePath(source).stem, task_map(taxonomy)))
