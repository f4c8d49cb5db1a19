import pandas as pd
import pytest

from medvlm_graph import tables
from medvlm_graph.errors import DataError


def test_contract_columns_come_first_in_contract_order():
    assert tables.columns("papers")[:11] == [
        "paper_id", "title", "year", "venue", "abstract", "citation_count", "reference_count",
        "arxiv_id", "doi", "is_seed", "seed_id",
    ]
    assert tables.columns("citations")[:4] == ["citing_id", "cited_id", "is_influential", "intents"]
    assert tables.columns("labels") == ["paper_id", "dimension", "label", "source", "score"]
    assert tables.columns("seeds")[:11] == [
        "seed_id", "section", "task", "title", "url", "arxiv_id", "doi", "model_name", "origin",
        "paper_id", "match",
    ]


def test_conform_adds_casts_and_keeps_extras():
    df = pd.DataFrame({"extra": ["e"], "year": ["2021"], "paper_id": ["p1"], "is_seed": [True]})
    out = tables.conform(df, "papers")
    assert list(out.columns[:2]) == ["paper_id", "title"]
    assert out.columns[-1] == "extra"
    assert out.loc[0, "year"] == 2021 and out["year"].dtype.name == "Int64"
    assert out["title"].isna().all()
    assert out["is_seed"].dtype.name == "boolean"


def test_conform_rejects_unreadable_values_and_unknown_tables():
    with pytest.raises(DataError, match="column 'year'"):
        tables.conform(pd.DataFrame({"year": ["soon"]}), "papers")
    with pytest.raises(DataError, match="unknown table"):
        tables.empty("nope")
    with pytest.raises(DataError, match="lacks column"):
        tables.conform(pd.DataFrame({"x": [1]}), "citations", require=("citing_id",))


def test_empty_tables_have_schema_dtypes():
    df = tables.empty("labels")
    assert len(df) == 0
    assert df["score"].dtype.name == "float64"
