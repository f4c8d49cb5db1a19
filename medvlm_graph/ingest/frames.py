"""Kept tables out of an engine (DuckDB or Spark) as frames of the table contract."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa

from .. import tables

# Nullable pandas dtypes for the Arrow types the engines produce, so both write equal parquet files.
_DTYPES = {pa.string(): pd.StringDtype(), pa.large_string(): pd.StringDtype(), pa.string_view(): pd.StringDtype(),
           pa.int64(): pd.Int64Dtype(), pa.int32(): pd.Int64Dtype(), pa.bool_(): pd.BooleanDtype()}


def from_arrow(arrow: pa.Table, name: str) -> pd.DataFrame:
    """An Arrow table as a frame conformed to table ``name``.

    Examples
    --------
    >>> df = from_arrow(pa.table({"citing_id": ["a"], "cited_id": ["b"]}), "citations")
    >>> list(df.columns), str(df["citing_id"].dtype)
    (['citing_id', 'cited_id', 'is_influential', 'intents', 'source'], 'string')
    """
    return tables.conform(arrow.to_pandas(types_mapper=_DTYPES.get), name)


__all__ = ["from_arrow"]
