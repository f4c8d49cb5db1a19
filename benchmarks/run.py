"""Time every stage on synthetic S2-shaped corpora: wall time and peak memory per stage.

Each size runs in its own process (so memory figures do not mix) through the
public API, in pipeline order:

ingest -> build -> citation graph -> co-citation / coupling (sparse matrices,
and graphs pruned to each node's top-k edges) -> centrality (PageRank,
betweenness) -> main path -> Louvain clusters on the coupling graph ->
trends -> gaps.

Peak memory is the process's peak resident set size during the stage (Linux
``VmHWM``, reset before each stage through ``/proc/self/clear_refs``), so it
includes what earlier stages still hold (the tables), DuckDB's native memory
and numpy/scipy buffers.

Usage::

    python benchmarks/run.py                    # both sizes, writes benchmarks/out/results.md
    python benchmarks/run.py --sizes 10k        # one size
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
SIZES = {"10k": (10_000, 300_000), "100k": (100_000, 3_000_000)}
TOP_K = 10  # edges kept per node in the co-citation/coupling graphs (the matrices are full)
STAGE_TIMEOUT = int(os.environ.get("BENCH_STAGE_TIMEOUT", 300))  # seconds; past it: "timed out"


def _rss_reset() -> None:
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")  # resets VmHWM to the current RSS
    except OSError:
        pass


def _hwm_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


class _Timeout(Exception):
    pass


def _alarm(signum, frame):
    raise _Timeout()


def run_size(label: str, *, keep: bool = False) -> list[dict]:
    """Run every stage on one corpus size; returns one row per stage."""
    sys.path.insert(0, str(HERE))
    from generate import generate

    n_papers, n_citations = SIZES[label]
    src = OUT / f"s2-{label}"
    if not (src / "citations-000.jsonl.gz").exists():
        info = generate(n_papers, n_citations, src)
        print(f"generated {label} in {info['seconds']} s", flush=True)
    data = OUT / f"data-{label}"
    shutil.rmtree(data, ignore_errors=True)

    from medvlm_graph.analysis import (compute_all_gaps, compute_centrality, compute_graph_clusters,
                                       compute_main_path, compute_trends)
    from medvlm_graph.build import build
    from medvlm_graph.graphs import (build_citation_graph, build_cocitation_graph, build_coupling_graph,
                                     cocitation_matrix, coupling_matrix)
    from medvlm_graph.ingest import ingest

    state: dict = {}

    def s_ingest():
        s = ingest(str(src / "papers-*.jsonl.gz"), str(src / "citations-*.jsonl.gz"), data_dir=data)
        return f"{s.papers:,} papers, {s.citations:,} citations, {s.malformed_papers + s.malformed_citations} malformed"

    def s_build():
        c = build(data)
        state.update(papers=c.papers, citations=c.citations, labels=c.labels)
        return f"{len(c.papers):,} papers, {len(c.citations):,} citations, {len(c.labels):,} labels"

    def s_citation_graph():
        state["G"] = build_citation_graph(state["papers"], state["citations"], state["labels"])
        return f"{state['G'].number_of_nodes():,} nodes, {state['G'].number_of_edges():,} edges"

    def s_cocit_matrix():
        C, _ = cocitation_matrix(state["citations"], papers=state["papers"])
        return f"{(C.nnz - C.diagonal().astype(bool).sum()) // 2:,} pairs"

    def s_coupling_matrix():
        C, _ = coupling_matrix(state["citations"], papers=state["papers"])
        return f"{(C.nnz - C.diagonal().astype(bool).sum()) // 2:,} pairs"

    def s_cocit_graph():
        G = build_cocitation_graph(state["citations"], papers=state["papers"], top_k=TOP_K)
        return f"{G.number_of_edges():,} edges (top {TOP_K} per node)"

    def s_coupling_graph():
        state["Gc"] = build_coupling_graph(state["citations"], papers=state["papers"], top_k=TOP_K)
        return f"{state['Gc'].number_of_edges():,} edges (top {TOP_K} per node)"

    def s_pagerank():
        from medvlm_graph.analysis._sparse import adjacency, edge_arrays, pagerank

        nodes, src, dst = edge_arrays(state["G"])  # what compute_centrality does first
        pr = pagerank(adjacency(len(nodes), src, dst))
        return f"{len(pr):,} scores"

    def s_centrality():
        df = compute_centrality(state["G"])
        return f"{len(df):,} rows; {df.attrs.get('note', 'exact betweenness')}"

    def s_main_path():
        df = compute_main_path(state["G"], papers=state["papers"])
        return f"{len(df):,} papers on the path"

    def s_clusters():
        assign, summary = compute_graph_clusters(state["Gc"], papers=state["papers"])
        return f"{len(summary):,} clusters ({summary.attrs.get('method', '')})"

    def s_trends():
        return f"{len(compute_trends(state['papers'], state['labels'])):,} rows"

    def s_gaps():
        out = compute_all_gaps(state["labels"])
        n = len(out) if hasattr(out, "__len__") else 0
        return f"{n:,} rows"

    stages = [
        ("ingest (DuckDB)", s_ingest), ("build (tables + labels)", s_build),
        ("citation graph", s_citation_graph),
        ("co-citation matrix", s_cocit_matrix), ("coupling matrix", s_coupling_matrix),
        ("co-citation graph", s_cocit_graph), ("coupling graph", s_coupling_graph),
        ("PageRank (scipy.sparse)", s_pagerank),
        ("compute_centrality (PageRank + betweenness)", s_centrality), ("main path", s_main_path),
        ("clusters (Louvain on coupling)", s_clusters), ("trends", s_trends), ("gaps", s_gaps),
    ]
    rows = []
    signal.signal(signal.SIGALRM, _alarm)
    skip = [x for x in os.environ.get("BENCH_SKIP", "").split(",") if x]
    for name, fn in stages:
        if any(x in name for x in skip):
            rows.append({"size": label, "stage": name, "seconds": 0.0, "cpu": 0.0, "peak_mb": 0, "ok": False,
                         "note": "skipped (BENCH_SKIP)", "load": 0.0})
            continue
        _rss_reset()
        t0, c0 = time.perf_counter(), time.process_time()
        signal.alarm(STAGE_TIMEOUT)
        try:
            note, ok = fn(), True
        except _Timeout:
            note, ok = f"timed out after {STAGE_TIMEOUT} s", False
        except Exception as exc:  # a stage that fails is reported, the others still run
            note, ok = f"{type(exc).__name__}: {str(exc).splitlines()[0][:120] if str(exc) else ''}", False
        finally:
            signal.alarm(0)
        row = {"size": label, "stage": name, "seconds": round(time.perf_counter() - t0, 2),
               "cpu": round(time.process_time() - c0, 2), "peak_mb": round(_hwm_mb()), "ok": ok,
               "note": note, "load": round(os.getloadavg()[0], 1)}
        rows.append(row)
        print(f"{label:>5} {name:<44} {row['seconds']:>8.2f} s {row['cpu']:>8.2f} cpu-s "
              f"{row['peak_mb']:>7,} MiB  load {row['load']}  {note}", flush=True)
    if not keep:
        shutil.rmtree(data, ignore_errors=True)
    return rows


# Measured on their own for the table, but their work is repeated inside a later
# stage (the graphs call the matrix code, compute_centrality calls PageRank):
# left out of the end-to-end sums.
NOT_IN_TOTAL = ("co-citation matrix", "coupling matrix", "PageRank (scipy.sparse)")


def _table(rows: list[dict]) -> str:
    sizes = list(dict.fromkeys(r["size"] for r in rows))
    stages = list(dict.fromkeys(r["stage"] for r in rows))
    by = {(r["size"], r["stage"]): r for r in rows}
    head = "| stage | " + " | ".join(f"{s}: wall | {s}: CPU | {s}: peak RSS" for s in sizes) + " |"
    sep = "|---|" + "---:|---:|---:|" * len(sizes)
    lines = [head, sep]
    for st in stages:
        cells = []
        for s in sizes:
            r = by.get((s, st))
            if r is None:
                cells += ["", "", ""]
            else:
                flag = "" if r["ok"] else (" (skipped)" if "skipped" in r["note"] else " (failed)")
                cells += [f"{r['seconds']:.1f} s{flag}", f"{r['cpu']:.1f} s", f"{r['peak_mb']:,} MiB"]
        lines.append(f"| {st} | " + " | ".join(cells) + " |")
    totals = []
    for s in sizes:
        rs = [r for r in rows if r["size"] == s and r["stage"] not in NOT_IN_TOTAL]
        peak = max(r["peak_mb"] for r in rows if r["size"] == s)  # every stage ran in the one process
        totals += [f"**{sum(r['seconds'] for r in rs):.1f} s**", f"**{sum(r['cpu'] for r in rs):.1f} s**",
                   f"**{peak:,} MiB**"]
    lines.append("| **end to end** (stages in italics excluded) | " + " | ".join(totals) + " |")
    lines = [ln.replace(f"| {st} |", f"| *{st}* |") if st in NOT_IN_TOTAL else ln
             for ln in lines for st in [ln.split(" | ")[0][2:]]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", nargs="+", default=list(SIZES), choices=list(SIZES))
    ap.add_argument("--one", help=argparse.SUPPRESS)  # internal: run one size in this process
    ap.add_argument("--keep", action="store_true", help="keep the data dirs under benchmarks/out")
    ap.add_argument("--report-only", action="store_true",
                    help="only rebuild results.md from the results-*.json already in benchmarks/out")
    args = ap.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    if args.one:
        rows = run_size(args.one, keep=args.keep)
        (OUT / f"results-{args.one}.json").write_text(json.dumps(rows, indent=1))
        return
    rows = []
    for label in args.sizes:
        if args.report_only:
            path = OUT / f"results-{label}.json"
            rows += json.loads(path.read_text()) if path.exists() else []
            continue
        cmd = [sys.executable, str(Path(__file__).resolve()), "--one", label] + (["--keep"] if args.keep else [])
        subprocess.run(cmd, check=False)
        path = OUT / f"results-{label}.json"
        if path.exists():
            rows += json.loads(path.read_text())
    table = _table(rows)
    notes = "\n".join(f"- {r['size']} {r['stage']}: {r['note']}" for r in rows)
    machine = (f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} cores, "
               f"{platform.machine()}, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    text = (f"# Benchmark results\n\nMachine: {machine}. Synthetic corpora from `benchmarks/generate.py`.\n"
            f"Wall = elapsed time; CPU = user + system time of the process (all threads; with\n"
            f"2 cores it can exceed wall). Peak RSS = process peak resident memory during the stage.\n"
            f"Load average during the run: {max(r['load'] for r in rows) if rows else 0} (other jobs shared the machine).\n\n{table}\n\n## What each stage produced\n\n"
            f"{notes}\n")
    (OUT / "results.md").write_text(text)
    print()
    print(table)


if __name__ == "__main__":
    main()
