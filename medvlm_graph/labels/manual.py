"""Manual label overrides: a CSV the user edits, applied last so it wins over everything.

Columns ``paper_id, dimension, label, action`` with action ``add`` or
``remove``. ``add`` puts a ``manual`` label (score 1.0) in place of any other
row of the same paper, dimension and label; ``remove`` drops every row of that
paper, dimension and label. Rows are applied in file order. Unknown
dimensions, labels or actions are errors naming the CSV line; paper ids not in
the corpus are skipped and reported.

Dimension ``field`` sets a paper's membership of the field (read by
:mod:`medvlm_graph.relevance`, not a label): label ``in`` with action ``add``
puts it in the field, label ``out`` with ``add`` (or ``in`` with ``remove``)
sets it aside.

Examples
--------
>>> import pandas as pd
>>> labels = pd.DataFrame({"paper_id": ["p1"], "dimension": ["modality"], "label": ["ct"],
...                        "source": ["rules"], "score": [0.6]})
>>> ov = pd.DataFrame({"paper_id": ["p1", "p1"], "dimension": ["modality"] * 2,
...                    "label": ["ct", "mri"], "action": ["remove", "add"], "line": [2, 3]})
>>> out, skipped = apply_overrides(labels, ov, paper_ids={"p1"})
>>> out[["label", "source"]].values.tolist()
[['mri', 'manual']]
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pandas as pd

from ..errors import InputError
from ..taxonomy import DIMENSIONS, Taxonomy

OVERRIDE_COLUMNS = ("paper_id", "dimension", "label", "action")
ACTIONS = ("add", "remove")
#: The pseudo-dimension of field membership overrides and its labels.
FIELD_DIMENSION = "field"
FIELD_LABELS = ("in", "out")


def read_overrides(path: str | os.PathLike[str], taxonomy: Taxonomy | None = None) -> pd.DataFrame:
    """Read and validate an overrides CSV; adds a ``line`` column (1-based file line)."""
    p = Path(path)
    try:
        with p.open(newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            header = [h.strip() for h in (reader.fieldnames or [])]
            missing = [c for c in OVERRIDE_COLUMNS if c not in header]
            if missing:
                raise InputError(f"{p}, line 1: overrides CSV lacks column(s): {', '.join(missing)}")
            rows = []
            for rec in reader:
                rec = {(k or "").strip(): (v or "").strip() for k, v in rec.items() if k is not None}
                if not any(rec.get(c) for c in OVERRIDE_COLUMNS):
                    continue  # blank line
                line = reader.line_num
                for c in OVERRIDE_COLUMNS:
                    if not rec.get(c):
                        raise InputError(f"{p}, line {line}: empty {c!r}")
                action = rec["action"].lower()
                if action not in ACTIONS:
                    raise InputError(f"{p}, line {line}: action must be add or remove, not {rec['action']!r}")
                dim = rec["dimension"].lower()
                if dim == FIELD_DIMENSION:
                    if rec["label"].lower() not in FIELD_LABELS:
                        raise InputError(f"{p}, line {line}: a field override's label is in or out, "
                                         f"not {rec['label']!r}")
                    rec["label"] = rec["label"].lower()
                elif dim not in DIMENSIONS:
                    raise InputError(f"{p}, line {line}: unknown dimension {rec['dimension']!r} "
                                     f"(use one of: {', '.join((*DIMENSIONS, FIELD_DIMENSION))})")
                elif taxonomy is not None and rec["label"] not in taxonomy.label_ids(dim):
                    raise InputError(f"{p}, line {line}: unknown {dim} label {rec['label']!r}")
                rows.append({"paper_id": rec["paper_id"], "dimension": dim, "label": rec["label"],
                             "action": action, "line": line})
    except FileNotFoundError:
        raise InputError(f"overrides file not found: {p}") from None
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise InputError(f"cannot read overrides file {p}: {exc}") from None
    return pd.DataFrame(rows, columns=[*OVERRIDE_COLUMNS, "line"])


def apply_overrides(labels: pd.DataFrame, overrides: pd.DataFrame, *,
                    paper_ids: set[str] | None = None) -> tuple[pd.DataFrame, list[str]]:
    """Apply overrides in order; returns the new labels and messages for skipped rows."""
    out = labels.copy()
    skipped: list[str] = []
    for ov in overrides.itertuples(index=False):
        if paper_ids is not None and ov.paper_id not in paper_ids:
            skipped.append(f"override line {getattr(ov, 'line', '?')}: unknown paper_id {ov.paper_id}")
            continue
        same = (out["paper_id"] == ov.paper_id) & (out["dimension"] == ov.dimension) & (out["label"] == ov.label)
        out = out[~same]
        if ov.action == "add":
            row = pd.DataFrame([{"paper_id": ov.paper_id, "dimension": ov.dimension, "label": ov.label,
                                 "source": "manual", "score": 1.0}])
            out = pd.concat([out, row], ignore_index=True) if len(out) else row
    return out.reset_index(drop=True), skipped
