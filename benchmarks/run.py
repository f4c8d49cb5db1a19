"""Time what users run, and every stage, on synthetic S2-shaped corpora.

Two measurements per size:

1. **Commands as processes**, as a user runs them: ``medvlm-graph ingest`` then
   ``medvlm-graph report`` (which builds first) on a fresh data directory, each
   a child process timed by ``os.wait4``: wall time, CPU time (user + system,
   all threads) and the peak resident set size of that process.
2. **Stages** through the public API in one process per size, in pipeline
   order: ingest -> build -> citation graph (matrix, then networkx) ->
   co-citation / coupling pruned to each node's top-k edges while counted
   (matrix, then networkx) -> centrality (PageRank, betweenness) -> main path ->
   Louvain clusters on the coupling matrix -> trends -> gaps; last, the full
   pair counts (every pair materialised), which set the peak of that process.

Stage peak memory is the process's peak resident set size during the stage
(Linux ``VmHWM``, reset before each stage through ``/proc/self/clear_refs``),
so it includes what earlier stages still hold (the tables), DuckDB's native
memory and numpy/scipy buffers. Every row records the 1-minute load average
(other jobs share the machine).

Usage::

    python benchmarks/run.py                    # both sizes, writes benchmarks/out/results.md
    python benchmarks/run.py --sizes 10k        # one size
    python benchmarks/run.py --commands-only    # only the ingest + report processes
    python benchmarks/run.py --stages-only      # only the per-stage table
    python benchmarks/run.py --sizes 1m --stages-only   # 1M papers / 30M citations, matrix stages
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
sys.path.insert(0, str(ROOT))  # measure this checkout, not another install
SIZES = {"10k": (10_000, 300_000), "100k": (100_000, 3_000_000), "1m": (1_000_000, 30_000_000)}
# Stages left out at 1M / 30M citations unless BENCH_SKIP says otherwise: networkx graphs of 30 M edges
# (about 10 GiB; no analysis needs them) and the full pair counts.
DEFAULT_SKIP = {"1m": "networkx,every pair"}
TOP_K = 15  # edges kept per node in the co-citation/coupling graphs (as the clusters run does)
NORM = "cosine"
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


def corpus(label: str) -> Path:
    """The synthetic S2-shaped corpus of one size (generated once, kept under benchmarks/out)."""
    sys.path.insert(0, str(HERE))
    from generate import generate

    n_papers, n_citations = SIZES[label]
    src = OUT / f"s2-{label}"
    if not (src / "citations-000.jsonl.gz").exists():
        info = generate(n_papers, n_citations, src)
        print(f"generated {label} in {info['seconds']} s", flush=True)
    return src


# Runs ``python -m medvlm_graph ARGS`` with the modules named in BENCH_HIDE made unimportable (e.g.
# ``igraph``: the default install, without the optional extra).
_LAUNCH = ("import os, runpy, sys\n"
           "for m in filter(None, os.environ.get('BENCH_HIDE', '').split(',')): sys.modules[m] = None\n"
           "sys.argv = ['medvlm-graph'] + sys.argv[1:]\n"
           "runpy.run_module('medvlm_graph', run_name='__main__', alter_sys=True)\n")


def _tree(pid: int) -> list[int]:
    """``pid`` and its descendants (Linux ``/proc/PID/task/TID/children``)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        for task in Path(f"/proc/{p}/task").glob("*"):
            try:
                todo += [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                pass
    return out


def _pss_mb(pids: list[int]) -> float:
    """Sum of the proportional set sizes of ``pids`` (pages shared after a fork counted once)."""
    total = 0
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
                    break
        except OSError:
            pass
    return total / 1024


class TreeMemory:
    """Peak memory of a process and its children together (PSS summed), sampled every 50 ms: a
    command that forks a worker holds both processes' memory at once, which ``ru_maxrss`` (the
    largest single process) does not show."""

    def __init__(self, pid: int) -> None:
        import threading

        self.pid, self.peak, self._stop = pid, 0.0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.05):
            self.peak = max(self.peak, _pss_mb(_tree(self.pid)))

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return self.peak


def run_commands(label: str, *, hide: str = "", keep: bool = False, repeat: int = 3) -> list[dict]:
    """``ingest`` then ``report`` as child processes on a fresh data dir: wall, CPU, peak RSS of each.

    The pair runs ``repeat`` times (each on a fresh data dir); a row gives the median wall and CPU
    time of its command, the fastest and slowest wall times, and the highest peaks and load seen.
    The memory of all processes together is sampled in one more run whose times are not counted:
    reading ``/proc/PID/smaps_rollup`` 20 times a second slows the command it watches (by about a
    second in ten at 10k papers on two cores), so timed runs only read ``ru_maxrss`` at the end.
    """
    src = corpus(label)
    data = OUT / f"cmd-{label}"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "BENCH_HIDE": hide}
    base = [sys.executable, "-c", _LAUNCH, "--quiet", "--data-dir", str(data)]
    cmds = [("ingest", base + ["ingest", "--papers", str(src / "papers-*.jsonl.gz"),
                               "--citations", str(src / "citations-*.jsonl.gz")]),
            ("report", base + ["report"])]
    runs: dict[str, list[dict]] = {name: [] for name, _ in cmds}
    tree_mb: dict[str, float] = {}
    for i in range(repeat + 1):  # run 0 samples the memory of all processes; runs 1.. are timed
        shutil.rmtree(data, ignore_errors=True)
        for name, cmd in cmds:
            row = _run_command(label, name, cmd, env, hide, sample_memory=i == 0)
            if i == 0:
                tree_mb[name] = row["tree_mb"]
            if i > 0 or not row["ok"]:
                runs[name].append(row)
            if not row["ok"]:
                break
        if not all(r["ok"] for rs in runs.values() for r in rs):
            break
    if not keep:
        shutil.rmtree(data, ignore_errors=True)
    rows = []
    for name, rs in runs.items():
        if not rs:
            continue
        walls = sorted(r["seconds"] for r in rs)
        rows.append({**rs[0], "seconds": statistics.median(walls), "cpu": round(statistics.median(r["cpu"] for r in rs), 2),
                     "seconds_min": walls[0], "seconds_max": walls[-1], "runs": len(rs),
                     "walls": [r["seconds"] for r in rs],
                     "peak_mb": max(r["peak_mb"] for r in rs), "tree_mb": tree_mb.get(name, 0),
                     "load": max(r["load"] for r in rs), "ok": all(r["ok"] for r in rs),
                     "exit": next((r["exit"] for r in rs if not r["ok"]), 0)})
    return rows


def _run_command(label: str, name: str, cmd: list[str], env: dict, hide: str, *, sample_memory: bool) -> dict:
    log = OUT / f"cmd-{label}-{name}.log"
    load = os.getloadavg()[0]
    t0 = time.perf_counter()
    with open(log, "w") as err:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=err)
        memory = TreeMemory(proc.pid) if sample_memory else None
        _, status, ru = os.wait4(proc.pid, 0)  # the rusage of this child (and its waited-for children)
        tree_mb = memory.stop() if memory is not None else 0.0
    proc.returncode = os.waitstatus_to_exitcode(status)
    row = {"size": label, "command": name, "seconds": round(time.perf_counter() - t0, 2),
           "cpu": round(ru.ru_utime + ru.ru_stime, 2), "peak_mb": round(ru.ru_maxrss / 1024),
           "tree_mb": round(tree_mb),
           "ok": proc.returncode == 0, "exit": proc.returncode,
           "load": round(max(load, os.getloadavg()[0]), 1), "hidden": hide}
    tail = "" if row["ok"] else "  " + " | ".join(log.read_text().strip().splitlines()[-3:])
    what = (f"memory run, all processes {row['tree_mb']:,} MiB (time not counted)" if sample_memory
            else "timed run")
    print(f"{label:>5} {name:<8} {row['seconds']:>8.2f} s {row['cpu']:>8.2f} cpu-s {row['peak_mb']:>7,} MiB"
          f"  {what}  load {row['load']}  exit {proc.returncode}{tail}", flush=True)
    return row


def versions() -> dict:
    """Versions of Python, the libraries that do the work, and the code measured (git commit)."""
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": platform.python_version()}
    for name in ("numpy", "scipy", "pandas", "pyarrow", "networkx", "duckdb", "scikit-learn", "igraph"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "not installed"
    try:
        out["medvlm-graph commit"] = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                                                    capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        out["medvlm-graph commit"] = "unknown"
    return out


def run_size(label: str, *, keep: bool = False) -> list[dict]:
    """Run every stage on one corpus size; returns one row per stage."""
    src = corpus(label)
    data = OUT / f"data-{label}"
    shutil.rmtree(data, ignore_errors=True)

    from medvlm_graph.analysis import (
        compute_all_gaps,
        compute_centrality,
        compute_graph_clusters,
        compute_main_path,
        compute_trends,
    )
    from medvlm_graph.analysis._sparse import pagerank
    from medvlm_graph.build import build
    from medvlm_graph.graphs import (
        build_citation_graph,
        build_cocitation_graph,
        build_coupling_graph,
        citation_adjacency,
        cocitation_adjacency,
        cocitation_matrix,
        coupling_adjacency,
        coupling_matrix,
    )
    from medvlm_graph.ingest import ingest

    state: dict = {}

    def s_ingest():
        s = ingest(str(src / "papers-*.jsonl.gz"), str(src / "citations-*.jsonl.gz"), data_dir=data)
        return f"{s.papers:,} papers, {s.citations:,} citations, {s.malformed_papers + s.malformed_citations} malformed"

    def s_build():
        c = build(data)
        state.update(papers=c.papers, citations=c.citations, labels=c.labels)
        return f"{len(c.papers):,} papers, {len(c.citations):,} citations, {len(c.labels):,} labels"

    def s_citation_matrix():
        state["A"], state["A_index"] = citation_adjacency(state["papers"], state["citations"])
        return f"{state['A'].shape[0]:,} papers, {state['A'].nnz:,} edges"

    def s_citation_graph():
        state["G"] = build_citation_graph(state["papers"], state["citations"], state["labels"])
        return f"{state['G'].number_of_nodes():,} nodes, {state['G'].number_of_edges():,} edges"

    def s_cocit_pruned():
        M, _ = cocitation_adjacency(state["citations"], papers=state["papers"], norm=NORM, top_k=TOP_K)
        return f"{M.nnz // 2:,} edges (top {TOP_K} per node, {NORM})"

    def s_coupling_pruned():
        state["Mc"] = coupling_adjacency(state["citations"], papers=state["papers"], norm=NORM, top_k=TOP_K)
        return f"{state['Mc'][0].nnz // 2:,} edges (top {TOP_K} per node, {NORM})"

    def s_cocit_graph():
        G = build_cocitation_graph(state["citations"], papers=state["papers"], norm=NORM, top_k=TOP_K)
        return f"{G.number_of_edges():,} edges (top {TOP_K} per node)"

    def s_coupling_graph():
        G = build_coupling_graph(state["citations"], papers=state["papers"], norm=NORM, top_k=TOP_K)
        return f"{G.number_of_edges():,} edges (top {TOP_K} per node)"

    def s_pagerank():
        return f"{len(pagerank(state['A'])):,} scores"

    def s_centrality():
        df = compute_centrality((state["A"], state["A_index"]))  # the matrix form, as the clusters run
        return f"{len(df):,} rows; {df.attrs.get('note', 'exact betweenness')}"

    def s_main_path():
        df = compute_main_path((state["A"], state["A_index"]), papers=state["papers"])
        return f"{len(df):,} papers on the path"

    def s_clusters():
        assign, summary = compute_graph_clusters(state["Mc"], papers=state["papers"])
        return f"{len(summary):,} clusters ({summary.attrs.get('method', '')})"

    def s_trends():
        return f"{len(compute_trends(state['papers'], state['labels'])):,} rows"

    def s_gaps():
        out = compute_all_gaps(state["labels"])
        n = len(out) if hasattr(out, "__len__") else 0
        return f"{n:,} rows"

    def s_cocit_full():
        C, _ = cocitation_matrix(state["citations"], papers=state["papers"])
        return f"{(C.nnz - C.diagonal().astype(bool).sum()) // 2:,} pairs"

    def s_coupling_full():
        C, _ = coupling_matrix(state["citations"], papers=state["papers"])
        return f"{(C.nnz - C.diagonal().astype(bool).sum()) // 2:,} pairs"

    stages = [
        ("ingest (DuckDB)", s_ingest), ("build (tables + labels)", s_build),
        ("citation graph: matrix", s_citation_matrix), ("citation graph: networkx", s_citation_graph),
        ("co-citation top-k: matrix", s_cocit_pruned), ("coupling top-k: matrix", s_coupling_pruned),
        ("co-citation top-k: networkx", s_cocit_graph), ("coupling top-k: networkx", s_coupling_graph),
        ("PageRank (scipy.sparse)", s_pagerank),
        ("compute_centrality (PageRank + betweenness)", s_centrality), ("main path", s_main_path),
        ("clusters (Louvain on the coupling matrix)", s_clusters), ("trends", s_trends), ("gaps", s_gaps),
        ("co-citation: every pair", s_cocit_full), ("coupling: every pair", s_coupling_full),
    ]
    rows = []
    signal.signal(signal.SIGALRM, _alarm)
    skip = [x for x in os.environ.get("BENCH_SKIP", DEFAULT_SKIP.get(label, "")).split(",") if x]
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


# Measured on their own for the table but left out of the end-to-end sums: networkx forms of graphs
# the analyses take as matrices (made only when a user asks: exports, Corpus.graph, small figures),
# PageRank (repeated inside compute_centrality) and the full pair counts (no pipeline step
# materialises every pair).
NOT_IN_TOTAL = ("citation graph: networkx", "co-citation top-k: networkx", "coupling top-k: networkx",
                "PageRank (scipy.sparse)", "co-citation: every pair", "coupling: every pair")


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
        peak = max((r["peak_mb"] for r in rs), default=0)  # every stage ran in the one process
        totals += [f"**{sum(r['seconds'] for r in rs):.1f} s**", f"**{sum(r['cpu'] for r in rs):.1f} s**",
                   f"**{peak:,} MiB**"]
    lines.append("| **end to end** (stages in italics excluded) | " + " | ".join(totals) + " |")
    lines = [ln.replace(f"| {st} |", f"| *{st}* |") if st in NOT_IN_TOTAL else ln
             for ln in lines for st in [ln.split(" | ")[0][2:]]]
    return "\n".join(lines)


def _commands_table(rows: list[dict]) -> str:
    lines = ["| size | command | wall (median) | fastest-slowest | CPU (median) | peak RSS | peak, all processes "
             "| load | exit |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        hidden = f" (without {r['hidden']})" if r.get("hidden") else ""
        spread = (f"{r['seconds_min']:.1f}-{r['seconds_max']:.1f} s ({r['runs']} runs)" if "runs" in r
                  else "1 run")
        lines.append(f"| {r['size']}{hidden} | {r['command']} | {r['seconds']:.1f} s | {spread} | {r['cpu']:.1f} s | "
                     f"{r['peak_mb']:,} MiB | {r.get('tree_mb', 0):,} MiB | {r['load']} | {r['exit']} |")
    sizes = list(dict.fromkeys((r["size"], r.get("hidden", "")) for r in rows))
    for size, hidden in sizes:
        rs = [r for r in rows if r["size"] == size and r.get("hidden", "") == hidden]
        if len(rs) > 1:
            tag = f" (without {hidden})" if hidden else ""
            totals = [sum(pair) for pair in zip(*(r.get("walls", [r["seconds"]]) for r in rs))]  # per run
            lines.append(f"| {size}{tag} | **ingest + report** | **{sum(r['seconds'] for r in rs):.1f} s** | "
                         f"{min(totals):.1f}-{max(totals):.1f} s | "
                         f"**{sum(r['cpu'] for r in rs):.1f} s** | **{max(r['peak_mb'] for r in rs):,} MiB** | "
                         f"**{max(r.get('tree_mb', 0) for r in rs):,} MiB** | {max(r['load'] for r in rs)} | |")
    return "\n".join(lines)


def _load(pattern: str) -> list[dict]:
    rows = []
    for path in sorted(OUT.glob(pattern)):
        rows += json.loads(path.read_text())
    return rows


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", nargs="+", default=["10k", "100k"], choices=list(SIZES))
    ap.add_argument("--one", help=argparse.SUPPRESS)  # internal: run one size in this process
    ap.add_argument("--keep", action="store_true", help="keep the data dirs under benchmarks/out")
    ap.add_argument("--repeat", type=int, default=3, metavar="N",
                    help="run ingest + report N times on fresh data dirs and give the median (default 3)")
    ap.add_argument("--commands-only", action="store_true", help="only time the ingest + report processes")
    ap.add_argument("--stages-only", action="store_true", help="only the per-stage table")
    ap.add_argument("--hide", default="", metavar="MODULE[,MODULE]",
                    help="run the commands with these modules unimportable (e.g. igraph: the default install)")
    ap.add_argument("--report-only", action="store_true",
                    help="only rebuild results.md from the JSON files already in benchmarks/out")
    args = ap.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    if args.one:
        rows = run_size(args.one, keep=args.keep)
        (OUT / f"results-{args.one}.json").write_text(json.dumps(rows, indent=1))
        return
    if not args.report_only:
        for label in args.sizes:
            if not args.stages_only:
                rows = run_commands(label, hide=args.hide, keep=args.keep, repeat=args.repeat)
                tag = f"-without-{args.hide.replace(',', '-')}" if args.hide else ""
                (OUT / f"commands-{label}{tag}.json").write_text(json.dumps(rows, indent=1))
            if not args.commands_only:
                cmd = [sys.executable, str(Path(__file__).resolve()), "--one", label] + (["--keep"] if args.keep else [])
                subprocess.run(cmd, check=False)
    commands = _load("commands-*.json")
    rows = _load("results-*.json")
    order = list(SIZES)
    commands.sort(key=lambda r: (order.index(r["size"]) if r["size"] in order else 99, r.get("hidden", "")))
    rows.sort(key=lambda r: order.index(r["size"]) if r["size"] in order else 99)
    table = _table(rows) if rows else "(no stage results)"
    notes = "\n".join(f"- {r['size']} {r['stage']}: {r['note']}" for r in rows)
    machine = (f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} cores, "
               f"{platform.machine()}, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    vers = ", ".join(f"{k} {v}" for k, v in versions().items())
    loads = [r["load"] for r in rows + commands]
    text = (f"# Benchmark results\n\nMachine: {machine}. Versions: {vers}.\n"
            f"Synthetic corpora from `benchmarks/generate.py`. Wall = elapsed time (commands: the median of the\n"
            f"runs, each on a fresh data dir); CPU = user + system time\n"
            f"(all threads, and of a forked worker process; with 2 cores it can exceed wall). Peak RSS = peak\n"
            f"resident memory of the largest process (commands) or of the process during the stage (stages);\n"
            f"peak, all processes = the command and its worker together (PSS summed, sampled every 50 ms in a run of\n"
            f"its own: sampling slows the command, so timed runs do not sample). Load = 1-minute load average at the\n"
            f"time (highest seen during the run: {max(loads) if loads else 0}; other jobs share the machine).\n\n"
            f"## Commands as a user runs them\n\n{_commands_table(commands) if commands else '(none)'}\n\n"
            f"## Stages (public API, one process per size)\n\n{table}\n\n## What each stage produced\n\n"
            f"{notes}\n")
    (OUT / "results.md").write_text(text)
    print()
    print(text)


if __name__ == "__main__":
    main()
