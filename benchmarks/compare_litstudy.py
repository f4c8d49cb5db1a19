"""Side by side: litstudy's co-citation / coupling builders vs ours, same corpus, same output.

litstudy (https://github.com/NLeSC/litstudy) counts pairs with Python loops:
co-citation loops over every pair of references of every document, coupling
intersects the reference sets of every pair of documents (O(n^2)); then it
keeps the strongest edges (``max_edges``: 2n for co-citation, 1000 for
coupling by default). Ours are sparse products pruned while they are counted
(``medvlm_graph.graphs``). litstudy needs ``bibtexparser<2``, which conflicts
with this package, so it runs in a throwaway venv::

    python -m venv benchmarks/out/litstudy-venv
    benchmarks/out/litstudy-venv/bin/pip install litstudy 'bibtexparser<2'
    python benchmarks/compare_litstudy.py --papers 10000

For each size: a synthetic corpus (``generate.py``, 30 references per paper,
all inside the corpus) is ingested and handed to litstudy as documents whose
references carry DOIs; litstudy builds both graphs with its defaults. Ours are
pruned to the same edges: ``min_weight`` = the smallest count litstudy kept, so
ours holds every pair at least that strong (litstudy's edges, plus the pairs
tied with its weakest that its cut dropped). Every edge litstudy keeps is
checked to be in ours with the same count. Timed: litstudy's builder call, our
networkx builder (paper attributes included) and our matrix builder (what the
analyses take). Results go to ``benchmarks/out/litstudy.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
sys.path.insert(0, str(HERE.parent))  # measure this checkout, not another install
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
    for name, fn in (("cocitation", build_cocitation_network), ("coupling", build_coupling_network)):
        t0 = time.perf_counter()
        g = fn(docs)  # litstudy's defaults (max_edges: 2n for co-citation, 1000 for coupling)
        out[f"{name}_s"] = time.perf_counter() - t0
        # Node i of litstudy's graph is document i (ids[i]); edges as id pairs with weights.
        out[f"{name}_edges"] = [[ids[i], ids[j], w] for i, j, w in g.edges(data="weight")
                                if i < len(ids) and j < len(ids)]
    result_path.write_text(json.dumps(out))


def ours_and_compare(n_papers: int) -> dict:
    sys.path.insert(0, str(HERE))
    import pandas as pd
    from generate import generate

    from medvlm_graph.graphs import (
        build_cocitation_graph,
        build_coupling_graph,
        cocitation_adjacency,
        coupling_adjacency,
    )
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
    ids = papers["paper_id"].astype(str).tolist()
    refs = cits.groupby("citing_id")["cited_id"].agg(list).to_dict()
    edges_path = OUT / f"lit-input-{n_papers}.json"
    result_path = OUT / f"lit-result-{n_papers}.json"
    edges_path.write_text(json.dumps({"ids": ids, "refs": {str(k): [str(x) for x in v] for k, v in refs.items()}}))
    subprocess.run([str(VENV_PY), str(Path(__file__).resolve()), "--litstudy-side", str(edges_path),
                    str(result_path)], check=True)
    lit = json.loads(result_path.read_text())
    res["lit_docs_s"] = lit["docs_s"]
    builders = {"cocitation": (build_cocitation_graph, cocitation_adjacency),
                "coupling": (build_coupling_graph, coupling_adjacency)}
    for name, (graph, adjacency) in builders.items():
        le = lit[f"{name}_edges"]
        wmin = int(min((w for _, _, w in le), default=1))
        t0 = time.perf_counter()
        G = graph(cits, papers=papers, min_weight=wmin)
        res[f"ours_{name}_s"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        M, _ = adjacency(cits, papers=papers, min_weight=wmin, values="count")
        res[f"ours_{name}_matrix_s"] = time.perf_counter() - t0
        res[f"ours_{name}_edges"] = G.number_of_edges()
        res[f"{name}_min_weight"] = wmin
        res[f"{name}_mismatches"] = sum(1 for a, b, w in le if not G.has_edge(a, b) or G.edges[a, b]["count"] != w)
        res[f"{name}_ours_below_min"] = sum(1 for _, _, c in G.edges(data="count") if c < wmin)
        res[f"lit_{name}_s"] = lit[f"{name}_s"]
        res[f"lit_{name}_edges"] = len(le)
    edges_path.unlink()
    result_path.unlink()
    return res


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--papers", type=int, nargs="+", default=[10000])
    ap.add_argument("--litstudy-side", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.litstudy_side:
        litstudy_side(*args.litstudy_side)
        return
    if not VENV_PY.exists():
        sys.exit(f"missing {VENV_PY}: create the venv first (see the module docstring)")
    rows = []
    for n in args.papers:
        load = os.getloadavg()[0]
        r = ours_and_compare(n)
        r["load"] = round(max(load, os.getloadavg()[0]), 1)
        rows.append(r)
        print(json.dumps({k: (round(v, 3) if isinstance(v, float) else v) for k, v in r.items()}), flush=True)
    lines = ["| papers / citations | graph | litstudy builder | ours: networkx graph | ours: matrix | "
             "ratio litstudy / ours (graph) | ratio (matrix) | min count kept | edges (litstudy / ours) | "
             "count mismatches | load |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        for name in ("cocitation", "coupling", "both"):
            if name == "both":
                lit = r["lit_cocitation_s"] + r["lit_coupling_s"]
                ours = r["ours_cocitation_s"] + r["ours_coupling_s"]
                mat = r["ours_cocitation_matrix_s"] + r["ours_coupling_matrix_s"]
                lines.append(f"| {r['papers']:,} / {r['citations']:,} | **both** | **{lit:.2f} s** | **{ours:.2f} s** | "
                             f"**{mat:.2f} s** | **{lit / ours:.0f}x** | **{lit / mat:.0f}x** | | | | {r['load']} |")
                continue
            lines.append(
                f"| {r['papers']:,} / {r['citations']:,} | {name} | {r[f'lit_{name}_s']:.2f} s | "
                f"{r[f'ours_{name}_s']:.2f} s | {r[f'ours_{name}_matrix_s']:.2f} s | "
                f"{r[f'lit_{name}_s'] / r[f'ours_{name}_s']:.0f}x | "
                f"{r[f'lit_{name}_s'] / r[f'ours_{name}_matrix_s']:.0f}x | {r[f'{name}_min_weight']} | "
                f"{r[f'lit_{name}_edges']:,} / {r[f'ours_{name}_edges']:,} | {r[f'{name}_mismatches']} | {r['load']} |")
    table = "\n".join(lines)
    (OUT / "litstudy.md").write_text(
        "# litstudy vs medvlm-graph: co-citation and coupling\n\n"
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}. Same synthetic corpus on both sides (every "
        "reference inside the corpus). litstudy with its defaults (the 2n strongest co-citation edges, the "
        "1000 strongest coupling edges); ours pruned to the same edges (min count = litstudy's weakest kept "
        "edge, so ours adds only the pairs tied with it). Wall time of the builder call only (litstudy's "
        "DocumentSet construction excluded). Every edge litstudy keeps has the same count in ours "
        "(mismatches column).\n\n" + table + "\n")
    print(table)


if __name__ == "__main__":
    main()
