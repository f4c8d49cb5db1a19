"""The indicators run behind ``medvlm-graph indicators`` (and the report's indicator sections).

Standard bibliometric indicators beside the review-specific analyses, each in its own module:

=========================  =============================================  ============================
table(s)                   computed by                                    papers it reads
=========================  =============================================  ============================
``disruption``             :func:`.disruption.compute_disruption` (CD)    focal: scope; citers and
                                                                          references: whole corpus
``sleeping_beauties``,     :func:`.sleeping.compute_sleeping_beauties`    scored: scope; citations
``sleeping_beauty_curves``                                                from the whole corpus
``rpys``, ``rpys_peaks``   :func:`.rpys.compute_rpys`                     citing: scope; references:
                                                                          whole corpus
``tree_of_science``        :func:`.treeofscience.compute_tree_of_science` citations made by scope
``authors``, ``venues``,   :mod:`.actors`                                 papers in scope; local
``lotka``,                                                                citations from scope
``coauthor_members``,
``coauthor_clusters``
``coword_terms``,          :func:`.coword.compute_coword_map`             titles and abstracts of scope
``coword_links``
=========================  =============================================  ============================

Without citations (the shipped snapshot alone) the citation indicators are skipped with the reason;
the co-word map works from titles alone; authors and venues need Semantic Scholar data.
:func:`write_indicators` writes the tables under ``data/processed/analysis/`` like the other runs,
and the co-word map as a VOSviewer map (``coword_map.json``) and GraphML (``coword_map.graphml``).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..graphs.export import export_graph
from ._citing import CitationData
from .actors import _authors_of, _coauthor_clusters_of, _lotka_of, _venues_of
from .coword import build_coword_graph, compute_coword_map
from .disruption import _disruption_of
from .rpys import _rpys_of
from .runs import AnalysisRun, write_run
from .scope import DEFAULT_SCOPE, check_scope
from .sleeping import _sleeping_beauties_of
from .treeofscience import _tree_of_science_of

COWORD_EXPORTS = ("coword_map.json", "coword_map.graphml")


def run_indicators(papers: pd.DataFrame, *, citations: pd.DataFrame | None = None,
                   authorships: pd.DataFrame | None = None, taxonomy=None, scope: str = DEFAULT_SCOPE,
                   window: int = 5, peaks: int = 5, roots: int = 20, trunk: int = 20, leaves: int = 50,
                   top: int = 20, n_terms: int = 100, min_papers: int = 2, resolution: float = 1.0,
                   seed: int = 0) -> AnalysisRun:
    """Disruption, sleeping beauties, RPYS, tree of science, authors and venues, co-word map.

    Parameters
    ----------
    papers, citations, authorships : DataFrame
        Contract tables (:mod:`medvlm_graph.tables`).
    taxonomy : Taxonomy, optional
        Marks the co-word terms a taxonomy rule already matches.
    scope : {"field", "seeds", "all"}
        Papers analysed (see the module docstring for what each indicator reads beyond them).
    window : int
        CD window in years (CD5).
    peaks : int
        RPYS peak years listed.
    roots, trunk, leaves : int
        Papers in each part of the tree of science.
    top : int
        Rows of the authors table.
    n_terms, min_papers : int
        Co-word map: terms kept, and papers a term must occur in.
    resolution, seed : float, int
        Louvain resolution and seed (co-author clusters, co-word clusters and layout).

    Returns
    -------
    AnalysisRun
        ``name="indicators"``; tables listed in the module docstring.

    Examples
    --------
    >>> import pandas as pd
    >>> papers = pd.DataFrame({"paper_id": ["a", "b"], "year": [2020, 2024], "title": ["A", "B"]})
    >>> run = run_indicators(papers)
    >>> run.skipped["disruption (CD index)"].startswith("no citations")
    True
    """
    check_scope(scope)
    # the corpus coded once (ids to positions, the citation matrix, years, titles) for every indicator
    data = CitationData(papers, citations)
    run = AnalysisRun("indicators")
    run.add("disruption", _disruption_of(data, window=window, scope=scope), "disruption (CD index)")
    sb, curves = _sleeping_beauties_of(data, scope=scope)
    run.add("sleeping_beauties", sb, "sleeping beauties")
    run.tables["sleeping_beauty_curves"] = curves
    spectrum, peak_refs = _rpys_of(data, scope=scope, peaks=peaks)
    run.add("rpys", spectrum, "RPYS")
    run.add("rpys_peaks", peak_refs, "RPYS peaks")
    run.add("tree_of_science", _tree_of_science_of(data, scope=scope, roots=roots, trunk=trunk, leaves=leaves),
            "tree of science")
    authors = _authors_of(data, authorships, scope=scope)  # all of them: Lotka's law reads every author
    run.add("authors", authors.head(top) if top is not None and not authors.empty else authors, "authors")
    run.add("venues", _venues_of(data, scope=scope), "venues and Bradford zones")
    lotka = run.add("lotka", _lotka_of(authors), "Lotka's law")
    if len(lotka) and pd.notna(lotka["alpha"].iloc[0]):
        run.notes.append(f"Lotka's law: alpha = {lotka['alpha'].iloc[0]:.2f}, R^2 = {lotka['r2'].iloc[0]:.2f} "
                         "(classic law: alpha = 2)")
    members, clusters = _coauthor_clusters_of(data, authorships, scope=scope, resolution=resolution, seed=seed)
    run.add("coauthor_members", members, "co-author clusters")
    run.add("coauthor_clusters", clusters, "co-author clusters")
    terms, links = compute_coword_map(papers, scope=scope, n_terms=n_terms, min_papers=min_papers,
                                      taxonomy=taxonomy, resolution=resolution, seed=seed)
    run.add("coword_terms", terms, "co-word map")
    run.tables["coword_links"] = links
    return run


def write_indicators(run: AnalysisRun, directory: str | Path) -> list[Path]:
    """:func:`.runs.write_run`, plus the co-word map as ``coword_map.json`` (VOSviewer) and ``.graphml``.

    Examples
    --------
    >>> import tempfile
    >>> run = AnalysisRun("indicators", tables={"rpys": pd.DataFrame({"year": [2020]})})
    >>> [p.name for p in write_indicators(run, tempfile.mkdtemp())]
    ['rpys.csv', 'rpys.parquet']
    """
    written = write_run(run, directory)
    terms, links = run.tables.get("coword_terms"), run.tables.get("coword_links")
    if terms is not None and len(terms):
        G = build_coword_graph(terms, links)
        for name in COWORD_EXPORTS:
            written += export_graph(G, Path(directory) / name)
    return written
