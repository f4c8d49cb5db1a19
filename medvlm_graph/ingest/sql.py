"""The DuckDB statements of a bulk ingest (reading, de-duplication, seeds, hops).

Everything large stays inside DuckDB: the JSONL shards are scanned with
``read_json`` (explicit columns, ``records='true'`` so that every line gives
exactly one row, ``ignore_errors`` so that a malformed line gives an all-null
row instead of an error). A row whose key (``corpusid``, or
``citingcorpusid``/``citedcorpusid``) is null is therefore a malformed line:
that is how malformed lines are counted per file.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from . import identity

# S2 Datasets "papers" records (lower-case keys). Nested values are read as JSON
# and picked apart below: their inner types vary between releases (CorpusId in
# externalids is a string in some, an int in others).
PAPER_COLUMNS = {
    "corpusid": "BIGINT",
    "paperid": "VARCHAR",
    "sha": "VARCHAR",
    "url": "VARCHAR",
    "externalids": "JSON",
    "title": "VARCHAR",
    "abstract": "VARCHAR",
    "authors": "JSON",
    "venue": "VARCHAR",
    "year": "BIGINT",
    "referencecount": "BIGINT",
    "citationcount": "BIGINT",
    "influentialcitationcount": "BIGINT",
    "publicationdate": "VARCHAR",
    "s2fieldsofstudy": "JSON",
    "publicationtypes": "JSON",
}

CITATION_COLUMNS = {
    "citingcorpusid": "BIGINT",
    "citedcorpusid": "BIGINT",
    "isinfluential": "BOOLEAN",
    "intents": "JSON",
}

# S2 Datasets "abstracts" and "tldrs" records: the text column of each and its columns.
TEXT_COLUMNS = {
    "abstracts": ("abstract", {"corpusid": "BIGINT", "openaccessinfo": "JSON", "abstract": "VARCHAR"}),
    "tldrs": ("text", {"corpusid": "BIGINT", "model": "VARCHAR", "text": "VARCHAR"}),
}

MACROS = """
CREATE OR REPLACE MACRO joined(l) AS
    CASE WHEN l IS NOT NULL THEN array_to_string(l, ';') END;
"""


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _scan(groups: dict[str, list[Path]], columns: dict[str, str]) -> str:
    """A ``read_json`` over every file, one call per compression, glued together."""
    cols = "{" + ", ".join(f"{_literal(k)}: {_literal(v)}" for k, v in columns.items()) + "}"
    parts = []
    for comp, paths in groups.items():
        files = "[" + ", ".join(_literal(str(p)) for p in paths) + "]"
        parts.append(
            f"SELECT * FROM read_json({files}, format='newline_delimited', records='true', "
            f"columns={cols}, ignore_errors=true, compression={_literal(comp)}, filename=true)"
        )
    return "\nUNION ALL\n".join(parts)


def load_papers(con: duckdb.DuckDBPyConnection, groups: dict[str, list[Path]]) -> None:
    """Create ``papers_raw`` (one row per line) from the paper shards."""
    con.execute(f"""
        CREATE TABLE papers_raw AS
        SELECT filename AS file,
               corpusid AS corpus_id,
               coalesce(nullif(paperid, ''), nullif(sha, ''),
                        nullif(regexp_extract(url, '/paper/([0-9a-fA-F]{{40}})', 1), '')) AS sha,
               nullif(title, '') AS title,
               year, nullif(venue, '') AS venue, abstract,
               citationcount AS citation_count,
               referencecount AS reference_count,
               influentialcitationcount AS influential_citation_count,
               regexp_replace(json_extract_string(externalids, '$.ArXiv'), 'v[0-9]+$', '') AS arxiv_id,
               lower(json_extract_string(externalids, '$.DOI')) AS doi,
               publicationdate AS publication_date,
               url,
               joined(list_sort(list_distinct(
                   json_extract_string(s2fieldsofstudy, '$[*].category')))) AS fields_of_study,
               joined(json_extract_string(publicationtypes, '$[*]')) AS publication_types,
               authors
        FROM ({_scan(groups, PAPER_COLUMNS)})
    """)


def load_citations(con: duckdb.DuckDBPyConnection, groups: dict[str, list[Path]]) -> None:
    """Create ``citations_raw`` (one row per line) from the citation shards."""
    con.execute(f"""
        CREATE TABLE citations_raw AS
        SELECT filename AS file,
               citingcorpusid AS citing,
               citedcorpusid AS cited,
               isinfluential AS infl,
               -- intents is a list, a list of lists (one per context) or null:
               -- every quoted string inside it is an intent.
               regexp_extract_all(CAST(intents AS VARCHAR), '"([^"]+)"', 1) AS intents
        FROM ({_scan(groups, CITATION_COLUMNS)})
    """)


def load_texts(con: duckdb.DuckDBPyConnection, role: str, groups: dict[str, list[Path]]) -> None:
    """Create ``<role>_raw`` (one row per line) from ``abstracts`` or ``tldrs`` shards.

    Only the text of the kept papers (table ``papers``) is kept; every line
    still gives a row, so malformed lines are counted per file as for papers.
    An empty text is no text.
    """
    text, columns = TEXT_COLUMNS[role]
    con.execute(f"""
        CREATE TABLE {role}_raw AS
        SELECT filename AS file, corpusid AS corpus_id,
               CASE WHEN corpusid IN (SELECT corpus_id FROM papers) THEN nullif({text}, '') END AS text
        FROM ({_scan(groups, columns)})
    """)


def collapse_texts(con: duckdb.DuckDBPyConnection, role: str) -> None:
    """``<role>``: one text per kept paper (of repeated records, the longest text, then the first in order)."""
    con.execute(f"""
        CREATE TABLE {role} AS
        SELECT corpus_id, first(text ORDER BY length(text) DESC, text) AS text
        FROM {role}_raw WHERE text IS NOT NULL GROUP BY corpus_id;
        DROP TABLE {role}_raw;
    """)


def file_counts(con: duckdb.DuckDBPyConnection, table: str, key: str) -> dict[str, tuple[int, int]]:
    """``{file: (lines, malformed)}`` for one raw table."""
    rows = con.execute(
        f"SELECT file, count(*), count(*) FILTER (WHERE {key}) FROM {table} GROUP BY file"
    ).fetchall()
    return {f: (int(n), int(bad)) for f, n, bad in rows}


def dedupe_papers(con: duckdb.DuckDBPyConnection) -> None:
    """``papers``: one row per corpus id (the most-cited record wins a duplicate)."""
    con.execute("""
        CREATE TABLE papers AS
        SELECT DISTINCT ON (corpus_id) *,
               coalesce(sha, 'CorpusId:' || corpus_id) AS paper_id
        FROM papers_raw
        WHERE corpus_id IS NOT NULL
        ORDER BY corpus_id, citation_count DESC NULLS LAST, title NULLS LAST;
        DROP TABLE papers_raw;
    """)


def collapse_edges(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """``edges``: distinct (citing, cited) pairs between known papers, no self-citations.

    A repeated pair is influential if any copy is; its intents are the union.
    Returns the counts of what was dropped or collapsed.
    """
    con.execute("""
        CREATE TABLE edges_all AS
        SELECT citing, cited, bool_or(infl) AS infl,
               CASE WHEN bool_or(intents IS NOT NULL) THEN list_sort(list_distinct(flatten(
                   list(intents) FILTER (WHERE intents IS NOT NULL)))) END AS intents,
               count(*) AS n
        FROM citations_raw
        WHERE citing IS NOT NULL AND cited IS NOT NULL AND citing <> cited
        GROUP BY citing, cited;
    """)
    valid, self_loops = con.execute("""
        SELECT count(*) FILTER (WHERE citing IS NOT NULL AND cited IS NOT NULL),
               count(*) FILTER (WHERE citing = cited)
        FROM citations_raw
    """).fetchall()[0]
    con.execute("DROP TABLE citations_raw")
    con.execute("""
        CREATE TABLE edges AS
        SELECT e.* FROM edges_all e
        SEMI JOIN papers a ON e.citing = a.corpus_id
        SEMI JOIN papers b ON e.cited = b.corpus_id
    """)
    distinct = con.execute("SELECT count(*) FROM edges_all").fetchall()[0][0]
    known = con.execute("SELECT count(*) FROM edges").fetchall()[0][0]
    con.execute("DROP TABLE edges_all")
    return {
        "citations_read": int(valid),
        "self_citations": int(self_loops),
        "duplicate_citations": int(valid - self_loops - distinct),
        "unknown_citations": int(distinct - known),
    }


def seed_candidates(con: duckdb.DuckDBPyConnection, keys: identity.SeedKeys) -> pd.DataFrame:
    """Papers that may match a seed, by the candidate test of :mod:`.identity`.

    The exact keys are then computed in Python on these rows only.
    """
    tests = []
    if keys.arxiv:
        tests.append(f"regexp_matches(lower(arxiv_id), {_literal(identity.literal_pattern(keys.arxiv))})")
    if keys.doi:
        tests.append(f"regexp_matches(lower(doi), {_literal(identity.literal_pattern(keys.doi))}) "
                     "OR contains(doi, '%')")
    if keys.titles:
        probes = "[" + ", ".join(_literal(p) for p in keys.probes) + "]::VARCHAR[]"
        tests.append(f"regexp_matches(title, {_literal(keys.unsafe_pattern)}) OR "
                     f"list_has_any(string_split_regex(lower(title), {_literal(identity.WORD_SPLIT)}), {probes})")
    if not tests:
        return con.execute(f"SELECT {identity.CANDIDATE_COLUMNS} FROM papers LIMIT 0").fetchdf()
    where = " OR ".join(f"coalesce({t}, false)" for t in tests)
    return con.execute(f"SELECT {identity.CANDIDATE_COLUMNS} FROM papers WHERE {where}").fetchdf()


def expand_hops(con: duckdb.DuckDBPyConnection, hops: int) -> list[int]:
    """``kept``: the matched seeds plus every paper within ``hops`` citation links.

    A link is followed in both directions (references and citations). Returns
    the number of papers added at each hop.
    """
    con.execute("CREATE TABLE kept AS SELECT DISTINCT corpus_id AS id FROM seed_hits")
    con.execute("CREATE TABLE frontier AS SELECT id FROM kept")
    added = []
    for _ in range(hops):
        con.execute("""
            CREATE OR REPLACE TABLE nxt AS
            SELECT DISTINCT n.id FROM (
                SELECT e.cited AS id FROM edges e SEMI JOIN frontier f ON e.citing = f.id
                UNION ALL
                SELECT e.citing AS id FROM edges e SEMI JOIN frontier f ON e.cited = f.id
            ) n ANTI JOIN kept k ON n.id = k.id;
            INSERT INTO kept SELECT id FROM nxt;
            CREATE OR REPLACE TABLE frontier AS SELECT id FROM nxt;
        """)
        added.append(int(con.execute("SELECT count(*) FROM nxt").fetchall()[0][0]))
    return added


def restrict_to_kept(con: duckdb.DuckDBPyConnection) -> int:
    """Drop papers outside ``kept`` and edges not between kept papers; returns edges dropped."""
    before = con.execute("SELECT count(*) FROM edges").fetchall()[0][0]
    con.execute("""
        CREATE OR REPLACE TABLE papers AS SELECT p.* FROM papers p SEMI JOIN kept k ON p.corpus_id = k.id;
        CREATE OR REPLACE TABLE edges AS
        SELECT e.* FROM edges e
        SEMI JOIN kept a ON e.citing = a.id
        SEMI JOIN kept b ON e.cited = b.id;
    """)
    return int(before - con.execute("SELECT count(*) FROM edges").fetchall()[0][0])


def papers_out(texts: tuple[str, ...] = ()) -> str:
    """The papers table; ``texts`` names the collapsed text tables to join (abstracts, tldrs).

    An abstract from the ``abstracts`` shards wins over one in the paper record.
    """
    abstract = "coalesce(a.text, p.abstract)" if "abstracts" in texts else "p.abstract"
    tldr = "t.text" if "tldrs" in texts else "CAST(NULL AS VARCHAR)"
    joins = "".join([
        "LEFT JOIN abstracts a ON a.corpus_id = p.corpus_id\n" if "abstracts" in texts else "",
        "LEFT JOIN tldrs t ON t.corpus_id = p.corpus_id\n" if "tldrs" in texts else "",
    ])
    return f"""
    SELECT p.paper_id, p.title, p.year, p.venue, {abstract} AS abstract, p.citation_count,
           p.reference_count, p.arxiv_id, p.doi, (s.seed_id IS NOT NULL) AS is_seed, s.seed_id,
           p.corpus_id, p.publication_date, p.url, {tldr} AS tldr, p.fields_of_study,
           p.publication_types, p.influential_citation_count, 'ingest' AS source
    FROM papers p
    LEFT JOIN (SELECT corpus_id, arg_min(seed_id, ord) AS seed_id FROM seed_hits GROUP BY corpus_id) s
           ON s.corpus_id = p.corpus_id
    {joins}ORDER BY p.corpus_id
"""


CITATIONS_OUT = """
    SELECT a.paper_id AS citing_id, b.paper_id AS cited_id, e.infl AS is_influential,
           joined(e.intents) AS intents, 'ingest' AS source
    FROM edges e
    JOIN papers a ON e.citing = a.corpus_id
    JOIN papers b ON e.cited = b.corpus_id
    ORDER BY e.citing, e.cited
"""

# Authors keep their order in the record; positions start at 1 (as in refresh).
AUTHORSHIPS_OUT = """
    SELECT paper_id, a.authorId AS author_id, a.name AS author_name, pos AS position
    FROM (
        SELECT p.paper_id, p.corpus_id,
               unnest(l) AS a, unnest(generate_series(1, len(l))) AS pos
        FROM (SELECT paper_id, corpus_id,
                     json_transform(authors, '[{"authorId": "VARCHAR", "name": "VARCHAR"}]') AS l
              FROM papers WHERE authors IS NOT NULL) p
        WHERE len(l) > 0
    )
    ORDER BY corpus_id, position
"""
