"""Both ingest engines (DuckDB and Spark) on the same SYNTHETIC corpora, side by side.

For each size: the corpus of ``generate.py`` plus synthetic ``abstracts`` and
``tldrs`` shards (one record per paper, generated here), then ``ingest`` with
``engine="duckdb"`` and ``engine="spark"`` (every paper, and ``--hops 1``),
checking that both write equal tables; then co-citation and coupling pairs
(association strength, top 10 per paper) by scipy (``graphs.matrix``) and by
Spark (``medvlm_graph.spark.pairs``) on the ingested citations, checking that
they are equal. Writes ``out/engines-<size>.json`` and ``out/engines.md``.

Spark runs in local mode on this machine (``--master``, default ``local[2]``):
a laptop-sized comparison of the same code a cluster runs, not a cluster
benchmark. Its session start is timed apart (it is paid once per process).

Usage::

    python benchmarks/engines.py --sizes 10k          # ~5 min on 2 cores
    python benchmarks/engines.py --sizes 10k 100k
    python benchmarks/engines.py --report-only
"""

from __future__ import annotations

import argparse
import gzip
import json
import platform
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
sys.path.insert(0, str(HERE.parent))  # the checkout's package first
sys.path.insert(0, str(HERE))

SIZES = {"10k": (10_000, 300_000), "100k": (100_000, 3_000_000)}
TOP_K = 10
NORM = "association"
TABLES = ("papers", "citations", "authorships", "seeds")


def _texts(corpus: Path) -> None:
    """Synthetic abstracts / tldrs shards for the corpus's papers (one record each; a few TLDRs null)."""
    import duckdb

    if (corpus / "tldrs-000.jsonl.gz").exists():
        return
    rows = duckdb.sql(f"SELECT corpusid, title FROM read_json('{corpus}/papers-*.jsonl.gz', "
                      "format='newline_delimited', ignore_errors=true) WHERE corpusid IS NOT NULL").fetchall()
    with gzip.open(corpus / "abstracts-000.jsonl.gz", "wt") as a, gzip.open(corpus / "tldrs-000.jsonl.gz", "wt") as t:
        for cid, title in rows:
            print(json.dumps({"corpusid": cid, "openaccessinfo": None,
                              "abstract": f"We study {title}. Synthetic abstract."}), file=a)
            print(json.dumps({"corpusid": cid, "model": "tldr@v2.0.0",
                              "text": None if cid % 7 == 0 else f"{title}, briefly."}), file=t)


def _ingest(corpus: Path, data: Path, engine: str, hops, master: str | None) -> tuple[float, dict]:
    import pandas as pd

    from medvlm_graph.ingest import ingest
    from medvlm_graph.paths import DataPaths

    t0 = time.perf_counter()
    s = ingest(str(corpus / "papers-*.jsonl.gz"), str(corpus / "citations-*.jsonl.gz"),
               abstracts=str(corpus / "abstracts-*.jsonl.gz"), tldrs=str(corpus / "tldrs-*.jsonl.gz"),
               data_dir=data, hops=hops, engine=engine, master=master if engine == "spark" else None)
    wall = time.perf_counter() - t0
    return wall, {"summary": s, "tables": {n: pd.read_parquet(DataPaths(data).fetched_table(n)) for n in TABLES}}


def _equal(a: dict, b: dict) -> bool:
    import pandas as pd

    try:
        for n in TABLES:
            pd.testing.assert_frame_equal(a["tables"][n], b["tables"][n], check_exact=True)
    except AssertionError as exc:
        print("  tables differ:", str(exc).splitlines()[0])
        return False
    return True


def run_size(label: str, master: str) -> dict:
    import numpy as np
    from generate import generate

    from medvlm_graph.graphs.cooccurrence import _item_matrix
    from medvlm_graph.graphs.matrix import pair_table
    from medvlm_graph.spark import spark_session
    from medvlm_graph.spark.pairs import spark_pair_table

    n_papers, n_cits = SIZES[label]
    corpus = OUT / f"s2-{label}"
    if not (corpus / "papers-000.jsonl.gz").exists():
        generate(n_papers, n_cits, corpus)
    _texts(corpus)
    work = OUT / f"engines-{label}"
    res: dict = {"size": label, "papers": n_papers, "citations": n_cits, "master": master, "runs": []}

    t0 = time.perf_counter()
    spark = spark_session(master)
    res["spark_session_s"] = round(time.perf_counter() - t0, 1)

    for hops in (None, 1):
        scope = "every paper" if hops is None else f"--hops {hops}"
        done = {}
        for engine in ("duckdb", "spark"):
            wall, done[engine] = _ingest(corpus, work / f"{engine}-{hops}", engine, hops, master)
            s = done[engine]["summary"]
            print(f"{label} {scope} {engine}: {wall:.1f} s ({s.papers:,} papers, {s.citations:,} citations)")
            res["runs"].append({"step": f"ingest, {scope}", "engine": engine, "seconds": round(wall, 1),
                                "papers": s.papers, "citations": s.citations, "abstracts": s.abstracts,
                                "tldrs": s.tldrs, "malformed": s.malformed_papers + s.malformed_citations})
        res["runs"][-1]["equal"] = res["runs"][-2]["equal"] = _equal(done["duckdb"], done["spark"])

    cits = _citations(work / "duckdb-None")  # every paper's citations
    sdf = spark.createDataFrame(list(zip(cits["citing_id"].astype(object), cits["cited_id"].astype(object))),
                                "citing_id STRING, cited_id STRING").localCheckpoint()
    for kind in ("cocitation", "coupling"):
        t0 = time.perf_counter()
        X, index = _item_matrix(cits, None, kind)
        t = pair_table(X, norm=NORM, top_k=TOP_K)
        scipy_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        df, _, _ = spark_pair_table(sdf, kind=kind, norm=NORM, top_k=TOP_K, spark=spark)
        got = df.toArrow().to_pandas().sort_values(["paper_a", "paper_b"]).reset_index(drop=True)
        spark_s = time.perf_counter() - t0
        same = (got["paper_a"].tolist() == index[t.i].tolist() and got["paper_b"].tolist() == index[t.j].tolist()
                and got["count"].tolist() == t.count.tolist()
                and bool(np.array_equal(got["weight"].to_numpy(), t.weight)))
        print(f"{label} {kind} pairs: scipy {scipy_s:.1f} s, spark {spark_s:.1f} s, {len(t):,} pairs, equal={same}")
        for engine, sec in (("scipy", scipy_s), ("spark", spark_s)):
            res["runs"].append({"step": f"{kind} pairs ({NORM}, top {TOP_K})", "engine": engine,
                                "seconds": round(sec, 1), "pairs": len(t), "equal": same})
    spark.stop()
    (OUT / f"engines-{label}.json").write_text(json.dumps(res, indent=2))
    return res


def _citations(data: Path):
    import pandas as pd

    from medvlm_graph.paths import DataPaths

    return pd.read_parquet(DataPaths(data).fetched_table("citations"))


def report() -> str:
    lines = ["| size | step | DuckDB / scipy | Spark (local) | rows | equal |", "|---|---|---:|---:|---|---|"]
    for label in SIZES:
        path = OUT / f"engines-{label}.json"
        if not path.exists():
            continue
        res = json.loads(path.read_text())
        runs = res["runs"]
        for one, two in zip(runs[::2], runs[1::2]):
            rows = (f"{one['papers']:,} papers, {one['citations']:,} citations" if "papers" in one
                    else f"{one['pairs']:,} pairs")
            lines.append(f"| {label} | {one['step']} | {one['seconds']} s | {two['seconds']} s | {rows} | "
                         f"{'yes' if one.get('equal') else 'NO'} |")
        lines.append(f"| {label} | Spark session start ({res['master']}) | | {res['spark_session_s']} s | | |")
    text = "\n".join(lines) + "\n"
    (OUT / "engines.md").write_text(f"Machine: {platform.machine()}, Python {platform.python_version()}\n\n" + text)
    return text


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", nargs="+", default=["10k"], choices=list(SIZES))
    ap.add_argument("--master", default="local[2]")
    ap.add_argument("--report-only", action="store_true")
    args = ap.parse_args(argv)
    OUT.mkdir(exist_ok=True)
    if not args.report_only:
        for label in args.sizes:
            run_size(label, args.master)
    print(report())


if __name__ == "__main__":
    main()
