"""Declared schemas of every table that flows between stages.

Tables are the source of truth: each stage reads and writes frames that
conform to one of the schemas below. :func:`conform` coerces a frame to its
schema (adding missing columns as nulls, casting dtypes, keeping extra columns
after the declared ones), so a notebook can start from any stage.

Core columns follow the design's table contract; the extra columns after them
carry what Semantic Scholar or the list provides beyond it.

Examples
--------
>>> df = empty("citations")
>>> list(df.columns)
['citing_id', 'cited_id', 'is_influential', 'intents', 'source']
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from .errors import DataError

STR = "string"
INT = "Int64"
BOOL = "boolean"
FLOAT = "float64"

SCHEMAS: dict[str, dict[str, str]] = {
    # paper_id: S2 paperId, or "seed:<seed_id>" for seeds not resolved on S2.
    "papers": {
        "paper_id": STR,
        "title": STR,
        "year": INT,
        "venue": STR,
        "abstract": STR,
        "citation_count": INT,
        "reference_count": INT,
        "arxiv_id": STR,
        "doi": STR,
        "is_seed": BOOL,
        "seed_id": STR,
        # field relevance (medvlm_graph.relevance): member of the field, evidence score, why
        "in_field": BOOL,
        "field_score": FLOAT,
        "field_reason": STR,
        # extras
        "field_source": STR,  # seed | evidence | manual
        "field_domain": FLOAT,  # text evidence of the field's domain vocabulary (0..1)
        "field_method": FLOAT,  # text evidence of the field's method vocabulary (0..1)
        "field_graph": FLOAT,  # citation ties to the seeds (0..1)
        "corpus_id": INT,
        "publication_date": STR,
        "url": STR,
        "tldr": STR,
        "fields_of_study": STR,  # ";"-joined
        "publication_types": STR,  # ";"-joined
        "influential_citation_count": INT,
        "source": STR,  # seed | s2 | ingest | recommendations
    },
    # One row per edge: citing_id cites cited_id. intents is ";"-joined.
    "citations": {
        "citing_id": STR,
        "cited_id": STR,
        "is_influential": BOOL,
        "intents": STR,
        "source": STR,  # references | citations | ingest
    },
    "authorships": {
        "paper_id": STR,
        "author_id": STR,
        "author_name": STR,
        "position": INT,
    },
    # dimension: task | strategy | modality | model; source: review | rules | model | manual
    "labels": {
        "paper_id": STR,
        "dimension": STR,
        "label": STR,
        "source": STR,
        "score": FLOAT,
    },
    "seeds": {
        "seed_id": STR,
        "section": STR,
        "task": STR,
        "title": STR,
        "url": STR,
        "arxiv_id": STR,
        "doi": STR,
        "model_name": STR,
        "origin": STR,  # natural | medical (model table rows only)
        "paper_id": STR,
        "match": STR,  # id | title | none
        # extras
        "list_index": STR,
        "title_norm": STR,
        "pii": STR,
        "pmcid": STR,
        "acl_id": STR,
        "ieee_id": STR,
        "venue_hint": STR,
        "year_hint": INT,
        "match_score": FLOAT,
        "match_reason": STR,
        "title_original": STR,  # the title as the list wrote it, when cleaning changed it
        "lists": STR,  # merged lists (seeds --source A --source B): ;-joined lists the paper came from
        "sections": STR,  # ... and ;-joined sections
    },
}

TABLES = tuple(SCHEMAS)


def columns(name: str) -> list[str]:
    """Declared columns of table ``name``."""
    return list(_schema(name))


def _schema(name: str) -> Mapping[str, str]:
    try:
        return SCHEMAS[name]
    except KeyError:
        raise DataError(f"unknown table {name!r}; known: {', '.join(TABLES)}") from None


def empty(name: str) -> pd.DataFrame:
    """An empty frame with the columns and dtypes of table ``name``."""
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in _schema(name).items()})


def conform(df: pd.DataFrame, name: str, *, require: tuple[str, ...] = ()) -> pd.DataFrame:
    """Return ``df`` coerced to the schema of table ``name``.

    Missing declared columns are added as nulls; declared columns are cast to
    their dtype; extra columns are kept after the declared ones.

    Parameters
    ----------
    df : DataFrame
    name : str
        One of :data:`TABLES`.
    require : tuple of str
        Columns that must be present in ``df`` (else :class:`DataError`).

    Examples
    --------
    >>> import pandas as pd
    >>> out = conform(pd.DataFrame({"paper_id": ["a"], "year": [2020.0]}), "papers")
    >>> out["year"].dtype.name, out.loc[0, "year"]
    ('Int64', np.int64(2020))
    """
    schema = _schema(name)
    missing = [c for c in require if c not in df.columns]
    if missing:
        raise DataError(f"table {name!r} lacks column(s): {', '.join(missing)}")
    out = df.copy()
    for col, dtype in schema.items():
        if col not in out.columns:
            # float64 has no pd.NA: a missing float column is NaN.
            out[col] = pd.Series(float("nan") if dtype == FLOAT else pd.NA, index=out.index, dtype=dtype)
            continue
        try:
            if dtype == INT:
                out[col] = pd.to_numeric(out[col], errors="raise").astype(INT)
            elif dtype == BOOL:
                out[col] = out[col].astype(BOOL)
            elif dtype == FLOAT:
                out[col] = pd.to_numeric(out[col], errors="raise").astype(FLOAT)
            else:
                out[col] = out[col].astype(STR)
        except (TypeError, ValueError) as exc:
            raise DataError(f"table {name!r}: column {col!r} cannot be read as {dtype}: {exc}") from exc
    extra = [c for c in out.columns if c not in schema]
    return out[list(schema) + extra].reset_index(drop=True)
