"""Shared helpers of the reliability suite: the fake S2 API, a small SYNTHETIC world, CLI runs, comparisons.

The fake API is the one of ``tests/s2`` (``s2_fakeapi.py``), loaded by file path so
this folder never edits or copies it. Every paper, id, title and author below is
made up; nothing here describes a real publication.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
S2_TESTS = HERE.parent / "s2"


def _load(name: str, path: Path):
    """Import ``path`` as module ``name`` (once; tests/s2 may already have imported it)."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


fakeapi = _load("s2_fakeapi", S2_TESTS / "s2_fakeapi.py")
FakeS2, Fault, World, make_paper, synthetic_id = (fakeapi.FakeS2, fakeapi.Fault, fakeapi.World,
                                                  fakeapi.make_paper, fakeapi.synthetic_id)

from medvlm_graph import tables  # noqa: E402
from medvlm_graph.io import write_parquet  # noqa: E402
from medvlm_graph.paths import DataPaths  # noqa: E402

KEY = "rel-S2-key-ZQ7x9-unique-4242"  # the distinctive (made-up) key of the secrets tests

# --------------------------------------------------------------------------- a small SYNTHETIC world
P = {x: synthetic_id("rel-seed", x) for x in "ABCD"}
TITLES = {
    "A": "Synthetic Reliability Study of CLIP Adapters for Chest X-ray Reports",
    "B": "A Synthetic Benchmark for Retinal Visual Question Answering",
    "C": "Synthetic Prompt Learning for Dermatology Image Classification",
    "D": "A Synthetic Pathology Foundation Model Evaluated Zero-Shot",
}


def _refs(owner: str, n: int, world, *, unresolved: int = 0, start_year: int = 2016) -> list[dict]:
    out = []
    for i in range(n):
        pid = synthetic_id("rel-ref", owner, i)
        world.add(make_paper(pid, f"Synthetic supporting work {i} of {owner[:6]} on CT segmentation",
                             year=start_year + i % 7, n=i))
        out.append({"paperId": pid, "isInfluential": i % 2 == 0, "intents": ["methodology"]})
    return out + [{"paperId": None, "title": f"Unresolved synthetic reference {j}"} for j in range(unresolved)]


def mini_world():
    """4 seed papers, 9 references (one shared), 2 unresolved references, 6 made-up citers. SYNTHETIC."""
    w = World()
    w.add(make_paper(P["B"], TITLES["B"], ext={"DOI": "10.5555/REL.0002"}, n=1, year=2022))
    w.add(make_paper(P["A"], TITLES["A"], ext={"ArXiv": "2399.00001"}, n=3, year=2023),
          [{"paperId": P["B"], "isInfluential": True, "intents": ["methodology"]}] + _refs("A", 4, w, unresolved=1))
    w.refs[P["B"]] = _refs("B", 3, w)
    w.add(make_paper(P["C"], TITLES["C"], n=2, year=2024),
          [{"paperId": P["A"], "intents": ["background"]}] + _refs("C", 2, w, unresolved=1))
    w.add(make_paper(P["D"], TITLES["D"], ext={"PubMedCentral": "7999001"}, n=5, year=2024))
    w.generated_citers = {P["A"]: 4, P["D"]: 2}
    return w.finish()


def mini_seeds() -> pd.DataFrame:
    """6 seed rows: by arXiv id (versioned), DOI (mixed case), the same DOI again, title only, PMCID, a miss."""
    rows = [
        {"seed_id": "r01", "section": "report_generation", "task": "report_generation", "title": TITLES["A"],
         "arxiv_id": "2399.00001v3"},
        {"seed_id": "r02", "section": "vqa", "task": "vqa", "title": TITLES["B"], "doi": "10.5555/Rel.0002"},
        {"seed_id": "r03", "section": "vqa", "task": "vqa", "title": "B once more", "doi": "10.5555/REL.0002"},
        {"seed_id": "r04", "section": "classification", "task": "classification", "title": TITLES["C"]},
        {"seed_id": "r05", "section": "classification", "task": "classification", "title": TITLES["D"],
         "pmcid": "PMC7999001"},
        {"seed_id": "r06", "section": "segmentation", "task": "segmentation",
         "title": "Synthetic Title That Nobody Published About Glacier Ultrasound"},
    ]
    return tables.conform(pd.DataFrame(rows), "seeds")


#: Requests of a clean refresh of the mini world: 1 id batch, 2 title matches, 1 metadata batch,
#: 4 reference pages, 4 citation pages.
CLEAN_REQUESTS = 12


def write_seeds(data_dir: Path, seeds: pd.DataFrame | None = None) -> Path:
    """Make ``seeds`` (default :func:`mini_seeds`) the chosen seed list of ``data_dir``."""
    return write_parquet(mini_seeds() if seeds is None else seeds, DataPaths(data_dir).seed_list)


# --------------------------------------------------------------------------- tables
SORT_KEYS = {
    "papers": ["paper_id"],
    "citations": ["citing_id", "cited_id", "source"],
    "authorships": ["paper_id", "position", "author_id", "author_name"],
    "seeds": ["seed_id"],
    "labels": ["paper_id", "dimension", "label", "source"],
}


def read_tables(folder: Path, names=("papers", "citations", "authorships", "seeds")) -> dict[str, pd.DataFrame]:
    """The parquet tables of ``folder`` as DataFrames sorted by key (index reset)."""
    out = {}
    for name in names:
        df = pd.read_parquet(folder / f"{name}.parquet")
        out[name] = df.sort_values(SORT_KEYS[name], na_position="first", kind="mergesort").reset_index(drop=True)
    return out


def assert_same_tables(got: dict[str, pd.DataFrame], want: dict[str, pd.DataFrame]) -> None:
    assert set(got) == set(want)
    for name in want:
        assert len(want[name]) > 0 or name == "labels", f"clean {name} table is empty: the test proves nothing"
        pd.testing.assert_frame_equal(got[name], want[name], obj=name)


# --------------------------------------------------------------------------- files
def file_digests(root: Path, *, skip_lock: bool = True) -> dict[str, str]:
    """``{relative path: sha256}`` of every file under ``root``."""
    out = {}
    for p in sorted(Path(root).rglob("*")):
        if p.is_file() and not (skip_lock and p.name == ".medvlm-graph.lock"):
            out[p.relative_to(root).as_posix()] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


# --------------------------------------------------------------------------- the real CLI
def cli_command() -> list[str]:
    return [sys.executable, "-m", "medvlm_graph"]


def cli_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("S2_API_KEY", "S2_API_URL")}
    env.update({"COLUMNS": "200", "NO_COLOR": "1", "PYTHONDONTWRITEBYTECODE": "1"})
    env.update(extra)
    return env


def run_cli(args: list[str], *, env: dict[str, str] | None = None, timeout: float = 120,
            cwd: str | os.PathLike[str] | None = None) -> subprocess.CompletedProcess:
    """Run ``medvlm-graph ARGS`` in a subprocess; text output, never raises on a non-zero exit."""
    return subprocess.run(cli_command() + list(args), capture_output=True, text=True, timeout=timeout,
                          env=env or cli_env(), cwd=cwd)


def popen_cli(args: list[str], *, env: dict[str, str] | None = None, **kw) -> subprocess.Popen:
    return subprocess.Popen(cli_command() + list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env or cli_env(), **kw)


def fast_refresh_args(api_url: str, *extra: str) -> list[str]:
    """``refresh`` options that make retries instant and the rate unlimited (local server; a generous timeout so a loaded machine adds no retries)."""
    return ["refresh", "--api-url", api_url, "--rate", "0", "--backoff", "0", "--timeout", "10", *extra]
