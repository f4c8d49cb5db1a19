"""The report's sections for the bibliometric indicators (one run of
:func:`medvlm_graph.analysis.indicators.run_indicators`, drawn by :mod:`medvlm_graph.viz.indicators`).

A part that could not run says why (the reason the analysis gave) instead of showing an empty figure.
"""

from __future__ import annotations

import pandas as pd

from ..viz import indicators as fig
from ..viz._common import paper_url
from .page import Section, figure_html, note_html, table_html


def _missing(df: pd.DataFrame | None, what: str) -> str | None:
    if df is None:
        return note_html(f"{what}: could not be computed (see the notes at the end).")
    if len(df) == 0:
        why = df.attrs.get("skipped")
        return note_html(f"{what}: nothing to show{': ' + why if why else ''}.")
    return None


def _papers_table(df: pd.DataFrame, columns: list[str], table_id: str, caption: str) -> str:
    rows = df[columns].copy()
    rows["url"] = [paper_url(pid, r) for pid, r in zip(df["paper_id"], df.to_dict("records"))]
    return table_html(rows.drop(columns="paper_id"), table_id, link_col="url", caption=caption)


def _disruption(t: dict) -> Section:
    s = Section("disruption", "Disruption (CD index)")
    cd = t.get("disruption")
    note = _missing(cd, "Disruption")
    if note:
        return s.add(note)
    w = int(cd["window"].iloc[0])
    s.add(figure_html(fig.plot_disruption(cd, title=f"Disruption (CD{w} index)"), "fig-disruption",
                      f"Each point is a paper of the field: its CD{w} index (Funk & Owen-Smith) against the papers "
                      f"citing it in the {w} years after publication. Above zero its citers ignore the work it built "
                      "on (disruptive), below zero they cite it together with its references (consolidating); grey "
                      "points are too recent for a full window, and only citers held in the corpus are counted."))
    return s


def _sleeping(t: dict) -> Section:
    s = Section("sleeping-beauties", "Sleeping beauties")
    sb = t.get("sleeping_beauties")
    note = _missing(sb, "Sleeping beauties")
    if note:
        return s.add(note)
    s.add(figure_html(fig.plot_sleeping_beauties(t.get("sleeping_beauty_curves"), sb), "fig-sleeping-beauties",
                      "Citations per year inside the corpus of the papers with the largest beauty coefficient B "
                      "(Ke et al. 2015); a star marks the awakening year. A large B means a long sleep followed by a "
                      "sudden rise: earlier work the field rediscovered."))
    return s


def _rpys(t: dict) -> Section:
    s = Section("rpys", "Historical roots (RPYS)")
    spectrum, peaks = t.get("rpys"), t.get("rpys_peaks")
    note = _missing(spectrum, "Reference publication year spectroscopy")
    if note:
        return s.add(note)
    s.add(figure_html(fig.plot_rpys(spectrum, peaks), "fig-rpys",
                      "Bars count the references cited by the field's papers by the year those references were "
                      "published; the line is each year's deviation from the median of the five years around it. "
                      "Peaks mark the years of the field's historical roots; hover a peak for its most cited works."))
    if peaks is not None and len(peaks):
        s.add(_papers_table(peaks, ["peak_rank", "year", "paper_id", "title", "citations"], "table-rpys-peaks",
                            "The most cited references of each peak year (citations by papers of the field)."))
    return s


def _tree(t: dict) -> Section:
    s = Section("tree-of-science", "Tree of science")
    tree = t.get("tree_of_science")
    note = _missing(tree, "Tree of science")
    if note:
        return s.add(note)
    s.add(figure_html(fig.plot_tree_of_science(tree), "fig-tree",
                      "Roots (bottom) are the classics the field cites most that cite nothing in its citation graph, "
                      "leaves (top) the recent papers building most on them, and the trunk the papers carrying most "
                      "citation paths from roots to leaves (SAP algorithm). Papers sit at their publication year; "
                      "bigger markers score higher within their part."))
    s.add(_papers_table(tree, ["part", "rank", "paper_id", "title", "year", "times_cited", "sap"], "table-tree",
                        "Every paper of the tree, by part and rank."))
    return s


def _who(t: dict) -> Section:
    s = Section("authors-venues", "Who and where: authors and venues")
    authors, venues, lotka = t.get("authors"), t.get("venues"), t.get("lotka")
    s.add(_missing(authors, "Authors") or figure_html(
        fig.plot_authors(authors), "fig-authors",
        "The most productive authors of the field by papers in the field; the hover adds fractional counts, "
        "citations from other papers of the field and the h-index on those local citations. Authors are told "
        "apart by their Semantic Scholar id, so namesakes are not merged."))
    s.add(_missing(venues, "Venues") or figure_html(
        fig.plot_bradford(venues), "fig-bradford",
        "Venues ranked by the field's papers they published, with the running total: zone 1 is the small core of "
        "venues holding the first third of the papers, zones 2 and 3 the next thirds (Bradford's law). A steep start "
        "means a concentrated field; preprint servers count as venues here."))
    s.add(_missing(lotka, "Lotka's law") or figure_html(
        fig.plot_lotka(lotka), "fig-lotka",
        "The share of authors with n papers in the field (log scales) against Lotka's inverse-square law (dashed) "
        "and the power law fitted to it. A steeper fitted line (alpha above 2) means fewer prolific authors than "
        "Lotka's law predicts, as in a young field with many one-paper authors."))
    return s


def _coauthors(t: dict) -> Section:
    s = Section("coauthors", "Co-author clusters")
    clusters = t.get("coauthor_clusters")
    note = _missing(clusters, "Co-author clusters")
    if note:
        return s.add(note)
    s.add(figure_html(fig.plot_coauthor_clusters(clusters), "fig-coauthors",
                      "Louvain communities of the co-author graph of the field's papers (authors linked by joint "
                      "papers), largest first, named by their most productive members. Large clusters are the "
                      "field's big collaborations; many small ones mean a fragmented community."))
    return s


def _coword(t: dict) -> Section:
    s = Section("coword", "Co-word map")
    terms = t.get("coword_terms")
    note = _missing(terms, "Co-word map")
    if note:
        return s.add(note)
    s.add(figure_html(fig.plot_coword_map(terms, t.get("coword_links")), "fig-coword",
                      "Terms of the titles and abstracts of the field's papers, sized by the papers using them, "
                      "linked when papers use both and coloured by cluster of association strength. Ringed terms "
                      "are already matched by a taxonomy rule; the others are topics the taxonomy does not name yet."))
    return s


def indicator_sections(run) -> list[Section]:
    """The report sections of an indicators run (``None``: the run failed, say so).

    Examples
    --------
    >>> [s.id for s in indicator_sections(None)]
    ['indicators']
    """
    if run is None:
        return [Section("indicators", "Bibliometric indicators").add(
            note_html("The indicators could not be computed (see the notes at the end)."))]
    t = run.tables
    return [_disruption(t), _sleeping(t), _rpys(t), _tree(t), _who(t), _coauthors(t), _coword(t)]
