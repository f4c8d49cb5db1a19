"""Side by side: litstudy's co-citation / coupling builders vs ours, on the same corpus.

litstudy (https://github.com/NLeSC/litstudy) counts pairs with Python loops:
co-citation loops over every pair of references of every document, coupling
intersects the reference sets of every pair of documents (O(n^2)). Ours are
sparse products (``medvlm_graph.graphs``). litstudy needs ``bibtexparser<2``,
which conflicts with this package, so it runs in a throwaway venv::

    python -m venv benchmarks/out/litstudy-venv
    benchmarks/out/litstudy-venv/bin/pip install litstudy 'bibtexparser<2'
    python benchmarks/compare_litstudy.py --papers 2000 5000

For each size: a synthetic corpus (``generate.py``) is ingested, the
citations are handed to litstudy as documents whose references carry DOIs,
both sides build both graphs, and every edge litstudy keeps is checked to have
the same count in ours. Results go to ``benchmarks/out/litstudy.md``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
VENV_PY = OUT / "litstudy-venv" / "bin" / "python"
REFS_PER_PAPER = 30


def litstudy_side(edges_path: Path, result_path: Path) -> None:
    """Runs inside the litstudy venv: build both networks, time them, dump edges."""
    from litstudy.network import build_cocitation_network, build_coupling_network
    from litstudy.types import Document, DocumentIdentifier, DocumentSet

    data = json.loads(edges_path.read_text())
    ids, refs = data["ids"], data["refs"]

    class Doc(Document):
        def __init__(self, pid, references):
            super().__init__(DocumentIdentifier(f"title {pid}", doi=f"10.5555/{pid}"))
            self._refs = [DocumentIdentifier(f"title {r}", doi=f"10.5555/{r}") for r in references]

        title = property(lambda self: self.id.title)
        authors = property(lambda self: None)
        references = property(lambda self: self._refs)
        publication_year = property(lambda self: None)

    t0 = time.perf_counter()
    docs = DocumentSet([Doc(p, refs.get(p, [])) for p in ids])
    t_docs = time.perf_counter() - t0
    out = {"docs_s": t_docs}
    for name, fn, kw in (("cocitation", build_cocitation_network, {"max_edges": None}),
                         ("coupling", build_coupling_network, {"max_edges": 10**9})):
        t0 = time.perf_counter()
        g = fn(docs, **kw)
        out[f"{name}_s"] = time.perf_counter() - t0
        # Node i of litstudy's graph is document i (ids[i]); edges as id pairs with weights.
        out[f"{name}_edges"] = [[ids[i], ids[j], w] for i, j, w in g.edges(data="weight")
                                if i < len(ids) and j < len(ids)]
    result_path.write_text(json.dumps(out))


def ours_and_compare(n_papers: int) -> dict:
    sys.path.insert(0, str(HERE))
    from generate import generate

    import pandas as pd

    from medvlm_graph.graphs import (build_cocitation_graph, build_coupling_graph, cocitation_matrix,
                                     coupling_matrix)
    from medvlm_graph.ingest import ingest

    n_cit = n_papers * REFS_PER_PAPER
    src = OUT / f"s2-lit-{n_papers}"
    if not (src / "citations-000.jsonl.gz").exists():
        generate(n_papers, n_cit, src, malformed=0)
    data = OUT / f"data-lit-{n_papers}"
    ingest(str(src / "papers-*"), str(src / "citations-*"), data_dir=data, seeds=None)
    papers = pd.read_parquet(data / "raw" / "fetched" / "papers.parquet")
    cits = pd.read_parquet(data / "raw" / "fetched" / "citations.parquet")

    res: dict = {"papers": len(papers), "citations": len(cits)}
    for name, fn in (("cocitation", cocitation_matrix), ("coupling", coupling_matrix)):
        t0 = time.perf_counter()
        fn(cits, papers=papers)  # the pair counts alone (sparse product)
        res[f"ours_{name}_matrix_s"] = time.perf_counter() - t0
    for name, fn in (("cocitation", build_cocitation_graph), ("coupling", build_coupling_graph)):
        t0 = time.perf_counter()
        G = fn(cits, papers=papers)  # every pair, no pruning (litstudy keeps every pair too, below)
        res[f"ours_{name}_s"] = time.perf_counter() - t0
        res[f"ours_{name}_edges"] = G.number_of_edges()
        res[f"_G_{name}"] = G

    ids = papers["paper_id"].astype(str).tolist()
    refs = cits.groupby("citing_id")["cited_id"].agg(list).to_dict()
    edges_path = OUT / f"lit-input-{n_papers}.json"
    result_path = OUT / f"lit-result-{n_papers}.json"
    edges_path.write_text(json.dumps({"ids": ids, "refs": {str(k): [str(x) for x in v] for k, v in refs.items()}}))
    subprocess.run([str(VENV_PY), str(Path(__file__).resolve()), "--litstudy-side", str(edges_path),
                    str(result_path)], check=True)
    lit = json.loads(result_path.read_text())
    for name in ("cocitation", "coupling"):
        G = res.pop(f"_G_{name}")
        le = lit[f"{name}_edges"]
        mismatched = sum(1 for a, b, w in le if not G.has_edge(a, b) or G.edges[a, b]["count"] != w)
        res[f"lit_{name}_s"] = lit[f"{name}_s"]
        res[f"lit_{name}_edges"] = len(le)
        res[f"{name}_mismatches"] = mismatched
        res[f"{name}_ratio"] = lit[f"{name}_s"] / res[f"ours_{name}_s"]
    res["lit_docs_s"] = lit["docs_s"]
    edges_path.unlink()
    result_path.unlink()
    return res


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--papers", type=int, nargs="+", default=[2000, 5000])
    ap.add_argument("--litstudy-side", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.litstudy_side:
        litstudy_side(*args.litstudy_side)
        return
    if not VENV_PY.exists():
        sys.exit(f"missing {VENV_PY}: create the venv first (see the module docstring)")
    rows = []
    for n in args.papers:
        r = ours_and_compare(n)
        rows.append(r)
        print(json.dumps({k: (round(v, 3) if isinstance(v, float) else v) for k, v in r.items()}), flush=True)
    lines = ["| papers / citations | graph | litstudy builder | ours: counts (sparse product) | "
             "ours: networkx graph of every pair | ratio litstudy / ours (graph) | ratio (counts) | "
             "edges (litstudy / ours) | count mismatches |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        for name in ("cocitation", "coupling"):
            lines.append(
                f"| {r['papers']:,} / {r['citations']:,} | {name} | {r[f'lit_{name}_s']:.2f} s | "
                f"{r[f'ours_{name}_matrix_s']:.2f} s | {r[f'ours_{name}_s']:.2f} s | {r[f'{name}_ratio']:.1f}x | "
                f"{r[f'lit_{name}_s'] / r[f'ours_{name}_matrix_s']:.0f}x | "
                f"{r[f'lit_{name}_edges']:,} / {r[f'ours_{name}_edges']:,} | {r[f'{name}_mismatches']} |")
    table = "\n".join(lines)
    (OUT / "litstudy.md").write_text(
        "# litstudy vs medvlm-graph: co-citation and coupling\n\n"
        "Same synthetic corpus on both sides (every reference inside the corpus). litstudy counts every "
        "pair in Python loops; its co-citation graph then keeps the 2n strongest edges (its default), its "
        "coupling graph every pair (max_edges raised). Ours: the sparse product alone, and the full "
        "networkx graph with every pair and the paper attributes. Wall time of the builder call only "
        "(litstudy's DocumentSet construction excluded). Every edge litstudy keeps has the same count "
        "in ours (mismatches column).\n\n" + table + "\n")
    print(table)


if __name__ == "__main__":
    main()
