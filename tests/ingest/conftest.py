"""A tiny S2-Datasets-shaped corpus, written per test.

Everything here is SYNTHETIC (made-up ids, titles, texts and authors), shaped
like the S2 Datasets ``papers``, ``citations``, ``abstracts`` and ``tldrs``
JSONL records (lower-case keys).

Citation graph (known papers 1..7)::

    2 -> 1 (twice: collapsed)   1 -> 3   4 -> 2 (twice, across shards)   3 -> 5   6 -> 7
    1 -> 1 (self)   1 -> 999, 998 -> 2 (unknown papers)

With paper 1 as the only seed: hop 0 = {1}; hop 1 = {1, 2, 3}; hop 2 = {1, 2, 3, 4, 5}.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pandas as pd
import pytest

from medvlm_graph import tables

SHA1 = "a" * 40


def _line(obj) -> str:
    return obj if isinstance(obj, str) else json.dumps(obj)


def write_jsonl(path: Path, rows, *, gz: bool = False) -> Path:
    text = "\n".join(_line(r) for r in rows) + "\n"
    if gz:
        with gzip.open(path, "wt", encoding="utf-8") as fh:
            fh.write(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


PAPERS_A = [  # plain JSONL
    {"corpusid": 1, "externalids": {"ArXiv": "2101.00001v2", "DOI": None, "CorpusId": "1"},
     "url": f"https://www.semanticscholar.org/paper/{SHA1}",
     "title": "Contrastive Pretraining for Chest X-ray Reports", "year": 2021, "venue": "MICCAI",
     "authors": [{"authorId": "11", "name": "Ann"}, {"authorId": None, "name": "Bob"}],
     "citationcount": 5, "referencecount": 1, "influentialcitationcount": 1,
     "publicationdate": "2021-01-05",
     "s2fieldsofstudy": [{"category": "Medicine", "source": "s2-fos-model"},
                         {"category": "Computer Science", "source": "external"},
                         {"category": "Medicine", "source": "external"}],
     "publicationtypes": ["JournalArticle"]},
    {"corpusid": 2, "externalids": {"DOI": "10.1000/ABC.123", "CorpusId": 2},
     "title": "Visual Question Answering for Radiology", "year": 2022, "venue": "",
     "authors": [{"authorId": "12", "name": "Cy"}], "citationcount": 3},
    "not json at all",
    "",
    {"corpusid": 3, "externalids": {}, "title": "Segment Anything in Medical Images", "year": 2020,
     "authors": None, "citationcount": 9},
]
PAPERS_B = [  # gzip, .jsonl.gz
    {"corpusid": 4, "title": "Report Generation with Large Language Models", "year": 2023, "authors": []},
    {"corpusid": 5, "title": "Old Work", "year": 2018},
    {"corpusid": 2, "title": "Visual Question Answering for Radiology (preprint)", "year": 2021,
     "citationcount": 1},  # duplicate corpus id: the more cited record (above) wins
    {"title": "a record without corpusid"},
    [1, 2],
]
PAPERS_C = [  # gzip without the .gz extension (compression is sniffed)
    {"corpusid": 6, "title": "Unrelated Paper Six", "year": 2019, "abstract": "Own abstract of paper six."},
    {"corpusid": 7, "title": "Unrelated Paper Seven", "year": 2017},
]
CITATIONS_X = [  # gzip
    {"citingcorpusid": 2, "citedcorpusid": 1, "isinfluential": True, "intents": [["methodology"]]},
    {"citingcorpusid": 2, "citedcorpusid": 1, "isinfluential": False, "intents": ["background"]},
    {"citingcorpusid": 1, "citedcorpusid": 3, "isinfluential": False, "intents": None},
    {"citingcorpusid": 4, "citedcorpusid": 2, "isinfluential": False, "intents": []},
    {"citingcorpusid": 3, "citedcorpusid": 5, "isinfluential": False, "intents": None},
    {"citingcorpusid": 6, "citedcorpusid": 7, "isinfluential": True, "intents": ["result"]},
    {"citingcorpusid": 1, "citedcorpusid": 1, "isinfluential": False, "intents": None},
    {"citingcorpusid": 1, "citedcorpusid": 999, "isinfluential": False, "intents": None},
    {"citingcorpusid": 998, "citedcorpusid": 2, "isinfluential": False, "intents": None},
    '{"citingcorpusid": 5, "citedcorpusid": ',
    {"citingcorpusid": 3},
]
CITATIONS_Y = [  # plain
    {"citingcorpusid": 4, "citedcorpusid": 2, "isinfluential": False, "intents": ["background"]},
]
ABSTRACTS_A = [  # gzip
    {"corpusid": 1, "openaccessinfo": {"license": "CCBY", "status": "GREEN"},
     "abstract": "We pretrain on chest X-ray reports."},
    {"corpusid": 2, "openaccessinfo": None, "abstract": "Short."},
    {"corpusid": 2, "openaccessinfo": None, "abstract": "A longer abstract of paper two."},  # the longer wins
    {"corpusid": 5, "abstract": ""},  # empty: no abstract
    {"corpusid": 999, "abstract": "A paper outside the corpus."},  # ignored
    "garbage",
    {"abstract": "a record without corpusid"},
]
ABSTRACTS_B = [  # plain
    {"corpusid": 3, "openaccessinfo": None, "abstract": "Segment anything, medical edition."},
]
TLDRS = [  # plain
    {"corpusid": 1, "model": "tldr@v2.0.0", "text": "Contrastive pretraining helps."},
    {"corpusid": 3, "model": "tldr@v2.0.0", "text": None},  # S2 has no TLDR for it
    {"corpusid": 4, "model": "tldr@v2.0.0", "text": "Language models write reports."},
    '{"corpusid": 6, "model": ',
    "",
]


@pytest.fixture
def corpus(tmp_path) -> dict[str, Path]:
    """Write the synthetic shards; returns their paths and a fresh data dir."""
    src = tmp_path / "s2"
    src.mkdir()
    return {
        "papers_a": write_jsonl(src / "papers-000.jsonl", PAPERS_A),
        "papers_b": write_jsonl(src / "papers-001.jsonl.gz", PAPERS_B, gz=True),
        "papers_c": write_jsonl(src / "papers-002.jsonl", PAPERS_C, gz=True),
        "citations_x": write_jsonl(src / "citations-000.jsonl.gz", CITATIONS_X, gz=True),
        "citations_y": write_jsonl(src / "citations-001.jsonl", CITATIONS_Y),
        "abstracts_a": write_jsonl(src / "abstracts-000.jsonl.gz", ABSTRACTS_A, gz=True),
        "abstracts_b": write_jsonl(src / "abstracts-001.jsonl", ABSTRACTS_B),
        "tldrs": write_jsonl(src / "tldrs-000.jsonl", TLDRS),
        "dir": src,
        "data": tmp_path / "data",
    }


def seeds_frame(rows: list[dict]) -> pd.DataFrame:
    # match_score given explicitly: tables.conform cannot add a missing float column.
    return tables.conform(pd.DataFrame(rows).assign(match_score=float("nan")), "seeds")


@pytest.fixture
def seeds() -> pd.DataFrame:
    """Four synthetic seeds: matched by arXiv id, DOI, title; one unmatched."""
    return seeds_frame([
        {"seed_id": "s1", "title": "Some other title", "arxiv_id": "2101.00001v1"},
        {"seed_id": "s2", "title": "Different wording", "doi": "https://doi.org/10.1000/abc.123"},
        {"seed_id": "s3", "title": "Segment anything in medical images."},
        {"seed_id": "s4", "title": "A paper that is not in the corpus", "arxiv_id": "2999.99999"},
    ])


@pytest.fixture
def make_seeds():
    """``make_seeds(rows)`` -> a conformed seeds table."""
    return seeds_frame


@pytest.fixture
def write():
    """``write(path, rows, gz=False)`` -> path of a JSONL file."""
    return write_jsonl


@pytest.fixture(scope="session")
def spark():
    """One local[2] Spark session for the whole test session (starting one costs ~10-30 s).

    Skipped, with the reason, only where pyspark or Java cannot be had (.ci/run installs both).
    """
    pytest.importorskip("pyspark", reason='pyspark is not installed: pip install ".[spark]"')
    from medvlm_graph.errors import InputError
    from medvlm_graph.spark import spark_session

    try:
        session = spark_session("local[2]", app_name="medvlm-graph-tests")
    except InputError as exc:  # no Java on this machine
        pytest.skip(f"Spark cannot start here: {exc}")
    yield session
    session.stop()
