"""One analysis pass feeding every output: the runs of ``trends``, ``clusters``, ``gaps`` and
``indicators`` with the commands' defaults, written where ``plot`` and the report read them.

The report does not compute for itself: :func:`run_analyses` calls the same ``run_*`` functions
with the same defaults as the commands, :func:`write_analyses` writes their tables under
``data/processed/analysis/`` (as the commands do), and every figure is drawn from those tables.
So "the 250 most central papers" of the network figure are the top of ``centrality.csv``, the
heatmaps show the observed counts of ``gaps.csv``, and the trends figure draws ``trends.csv``.

Examples
--------
>>> import pandas as pd
>>> papers = pd.DataFrame({"paper_id": ["p1", "p2"], "year": [2023, 2024], "is_seed": [True, True],
...                        "title": ["Chest X-ray report generation", "Polyp segmentation with SAM"]})
>>> labels = pd.DataFrame({"paper_id": ["p1", "p2"], "dimension": "task",
...                        "label": ["report_generation", "segmentation"], "source": "review", "score": 1.0})
>>> runs = run_analyses(papers, labels)
>>> sorted(runs)
['clusters', 'gaps', 'indicators', 'trends']
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..errors import UsageError
from ._fork import Forked, InProcess, default_workers
from .indicators import run_indicators, write_indicators
from .runs import AnalysisRun, run_clusters, run_gaps, run_trends, write_run
from .scope import DEFAULT_SCOPE

#: Below this many papers the runs take well under a second: a second process would not pay.
PARALLEL_MIN_PAPERS = 2000


def run_analyses(papers: pd.DataFrame, labels: pd.DataFrame, *, citations: pd.DataFrame | None = None,
                 seeds: pd.DataFrame | None = None, authorships: pd.DataFrame | None = None, taxonomy=None,
                 scope: str = DEFAULT_SCOPE, as_of: str | None = None, source: str | None = None,
                 indicators: bool = True, pairs_dir: str | Path | None = None,
                 workers: int | None = None, directory: str | Path | None = None) -> dict[str, AnalysisRun]:
    """The four analysis runs, each with the defaults of its command (``medvlm-graph trends`` etc.).

    With ``workers=2`` the clusters run (the longest) is computed in a forked child process while
    this process computes the others: the same functions on the same tables, so the same results,
    in about the time of the longer half on a machine with two cores. :func:`start_analyses` does
    the same but returns as soon as this process's runs are done.

    Parameters
    ----------
    papers, labels, citations, seeds, authorships : DataFrame
        The contract tables.
    taxonomy : Taxonomy, optional
    scope : {"field", "seeds", "all"}
        The papers every field-level analysis reads (:mod:`medvlm_graph.analysis.scope`).
    as_of : str, optional
        When the data was collected (its year is partial for growth), as ``Corpus.as_of``.
    source : str, optional
        One line on the data, printed at the top of ``gaps.md``.
    indicators : bool
        Run the bibliometric indicators too.
    pairs_dir : path, optional
        ``raw/fetched/pairs`` of the data directory (pair tables counted on Spark), see :func:`run_clusters`.
    workers : {1, 2}, optional
        Processes to use. Default: 2 when the machine has two cores or more, the platform can fork
        (Linux; not Windows or macOS) and the corpus has at least :data:`PARALLEL_MIN_PAPERS` papers;
        else 1. A child that dies (e.g. killed for memory) is an error naming its exit code.
    directory : path, optional
        Write each run's tables there as soon as it is computed (as :func:`write_analyses` does;
        the forked clusters run writes its own while this process goes on).

    Returns
    -------
    dict
        ``{"trends": run, "clusters": run, "gaps": run, "indicators": run}``.

    Examples
    --------
    >>> import pandas as pd
    >>> papers = pd.DataFrame({"paper_id": ["p1"], "year": [2024], "title": ["CT report generation"]})
    >>> labels = pd.DataFrame({"paper_id": ["p1"], "dimension": ["task"], "label": ["report_generation"],
    ...                        "source": ["review"], "score": [1.0]})
    >>> runs = run_analyses(papers, labels, indicators=False)
    >>> runs["gaps"].skipped["papers the review may have missed"][:13]
    'needs S2 data'
    """
    with start_analyses(papers, labels, citations=citations, seeds=seeds, authorships=authorships,
                        taxonomy=taxonomy, scope=scope, as_of=as_of, source=source, indicators=indicators,
                        pairs_dir=pairs_dir, workers=workers, directory=directory) as analyses:
        return analyses.result()


def start_analyses(papers: pd.DataFrame, labels: pd.DataFrame, *, citations: pd.DataFrame | None = None,
                   seeds: pd.DataFrame | None = None, authorships: pd.DataFrame | None = None, taxonomy=None,
                   scope: str = DEFAULT_SCOPE, as_of: str | None = None, source: str | None = None,
                   indicators: bool = True, pairs_dir: str | Path | None = None,
                   workers: int | None = None, directory: str | Path | None = None) -> AnalysisPass:
    """:func:`run_analyses` (same parameters and runs), returned while the clusters run may still be
    computed: this process's runs are in :attr:`AnalysisPass.ready`, :meth:`AnalysisPass.result`
    waits for all four. So a caller (the report) can use the first runs while the worker computes.

    Use it as a context manager: leaving the block normally waits for the worker to write its
    tables (``directory``); leaving it on an error stops the worker.

    Examples
    --------
    >>> import pandas as pd
    >>> papers = pd.DataFrame({"paper_id": ["p1"], "year": [2024], "title": ["CT report generation"]})
    >>> labels = pd.DataFrame({"paper_id": ["p1"], "dimension": ["task"], "label": ["report_generation"],
    ...                        "source": ["review"], "score": [1.0]})
    >>> with start_analyses(papers, labels, indicators=False) as analyses:
    ...     first = sorted(analyses.ready)
    ...     runs = analyses.result()
    >>> first, list(runs)
    (['gaps', 'trends'], ['trends', 'clusters', 'gaps'])
    """
    workers = choose_workers(len(papers), workers)

    def clusters() -> AnalysisRun:
        return run_clusters(papers, labels, citations=citations, scope=scope, pairs_dir=pairs_dir)

    def write_clusters(run: AnalysisRun) -> None:
        if directory is not None:
            _write("clusters", run, directory)

    # The clusters run (the longest) starts first, in a forked process where there are two workers.
    job = (Forked(clusters, name="clusters run", then=write_clusters) if workers == 2
           else InProcess(clusters, then=write_clusters))
    try:
        here = {
            "trends": lambda: run_trends(papers, labels, citations=citations, seeds=seeds, taxonomy=taxonomy,
                                         scope=scope, as_of=as_of),
            "gaps": lambda: run_gaps(papers, labels, citations=citations, seeds=seeds, taxonomy=taxonomy,
                                     scope=scope, source=source),
            "indicators": lambda: run_indicators(papers, citations=citations, authorships=authorships,
                                                 taxonomy=taxonomy, scope=scope),
        }
        if not indicators:
            del here["indicators"]
        ready = {}
        for name, compute in here.items():
            ready[name] = compute()
            if directory is not None:
                _write(name, ready[name], directory)
    except BaseException:
        job.cancel()
        raise
    return AnalysisPass(ready, job)


class AnalysisPass:
    """The analysis pass under way (:func:`start_analyses`): the runs computed in this process in
    :attr:`ready`, the clusters run (maybe in a worker process) behind :meth:`result`."""

    def __init__(self, ready: dict[str, AnalysisRun], job: Forked | InProcess) -> None:
        self.ready = ready
        self._job = job
        self._runs: dict[str, AnalysisRun] | None = None

    def result(self) -> dict[str, AnalysisRun]:
        """All the runs, in the order of :func:`run_analyses`: ``trends``, ``clusters``, ``gaps``
        (and ``indicators``); waits for the clusters run."""
        if self._runs is None:
            self._runs = {"trends": self.ready["trends"], "clusters": self._job.result(),
                          **{k: v for k, v in self.ready.items() if k != "trends"}}
        return self._runs

    def __enter__(self) -> AnalysisPass:
        return self

    def __exit__(self, *exc) -> None:
        self._job.__exit__(*exc)


def _write(name: str, run: AnalysisRun, directory: str | Path) -> list[Path]:
    return write_indicators(run, directory) if name == "indicators" else write_run(run, directory)


def choose_workers(n_papers: int, workers: int | None = None) -> int:
    """``workers`` checked (1 or 2), or the default for a corpus of ``n_papers`` papers: 2 when the
    machine has two cores or more, can fork, and ``n_papers >= PARALLEL_MIN_PAPERS``; else 1.

    Examples
    --------
    >>> choose_workers(10), choose_workers(10, 1)
    (1, 1)
    """
    if workers is None:
        return default_workers() if n_papers >= PARALLEL_MIN_PAPERS else 1
    if workers not in (1, 2):
        raise UsageError(f"workers must be 1 or 2, not {workers!r}")
    return workers


def write_analyses(runs: dict[str, AnalysisRun], directory: str | Path) -> list[Path]:
    """Write every run's tables under ``directory`` (CSV + parquet, and ``gaps.md``), as the commands do.

    Examples
    --------
    >>> import tempfile
    >>> from medvlm_graph.analysis.runs import AnalysisRun
    >>> run = AnalysisRun("trends", tables={"trends": pd.DataFrame({"year": [2024]})})
    >>> [p.name for p in write_analyses({"trends": run}, tempfile.mkdtemp())]
    ['trends.csv', 'trends.parquet']
    """
    written: list[Path] = []
    for name, run in runs.items():
        written += _write(name, run, directory)
    return written
