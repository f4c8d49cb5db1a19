"""Graph exports for Gephi, Cytoscape and VOSviewer.

Formats:

* ``graphml`` (Gephi, Cytoscape, yEd) and ``gexf`` (Gephi), through the
  networkx writers (which escape XML). In GEXF the edge ``weight`` is a
  float by the format's definition; other attributes keep their types.
* ``csv``: ``<stem>.nodes.csv`` (``Id``, ``Label``, attributes) and
  ``<stem>.edges.csv`` (``Source``, ``Target``, ``Type``, attributes), the
  column names Gephi's spreadsheet import recognises. An attribute whose name
  clashes with these columns is written as ``attr_<name>`` (e.g. the lineage
  edge ``source`` becomes ``attr_source``). Text cells starting with ``=``,
  ``+``, ``-``, ``@``, tab or carriage return get a leading ``'`` so that
  spreadsheets do not run them as formulas.
* ``vosviewer``: VOSviewer's JSON map format
  (``{"network": {"items": [...], "links": [...]}}``; items carry ``id``,
  ``label``, optional ``cluster`` (1..1000), ``weights`` (non-negative:
  ``Links``, ``Total link strength``, ``Citations``, ``Occurrences``,
  ``Documents``...) and ``scores`` (``Pub. year``, ``Seed`` and any other
  numeric attribute); links carry ``source_id``, ``target_id`` and
  ``strength`` = edge ``weight`` (1 when absent). Directed edges become one
  undirected link whose strength sums both directions.

Before writing, attributes are made exportable: ``None``, NaN and infinite
values are left out (the element simply lacks that attribute), numpy scalars
become Python ones, lists and sets are ";"-joined, and an attribute holding
mixed types becomes float (ints and floats) or str (anything else), so every
key has exactly one type.
"""

from __future__ import annotations

import io
import json
import math
import os
from collections.abc import Iterable
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd

from ..errors import InputError, UsageError
from ..io import atomic_write_bytes, atomic_write_text, inert  # noqa: F401 (inert re-exported)
from ..markup import esc
from .names import FORMATS, SUFFIXES

# Node attribute -> VOSviewer weight name (non-negative values only).
_VOS_WEIGHTS = {
    "citation_count": "Citations",
    "occurrences": "Occurrences",
    "count": "Documents",
    "n_papers": "Documents",
    "n_labels": "Labels",
}
_VOS_SCORES = {"year": "Pub. year", "is_seed": "Seed"}


# --------------------------------------------------------------------------- cleaning

def _scalar(v):
    """An exportable Python scalar, or ``None`` when the value is missing."""
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, bool):
        return v
    if isinstance(v, int):
        return v
    if isinstance(v, float):
        return None if not math.isfinite(v) else v
    if isinstance(v, str):
        return v
    if isinstance(v, (list, tuple)):
        return ";".join(str(x) for x in v if _scalar(x) is not None)
    if isinstance(v, (set, frozenset)):
        return ";".join(sorted(str(x) for x in v if _scalar(x) is not None))
    if isinstance(v, dict):
        return json.dumps(v, sort_keys=True, default=str)
    return str(v)


def _clean_dicts(dicts: list[dict]) -> None:
    """Clean attribute dicts in place so that each key has one type and no missing value."""
    types: dict[str, set[type]] = {}
    for d in dicts:
        for k in list(d):
            v = _scalar(d[k])
            if v is None:
                del d[k]
                continue
            d[k] = v
            types.setdefault(k, set()).add(type(v))
    for k, ts in types.items():
        if len(ts) == 1:
            continue
        cast = float if ts <= {int, float} else str
        for d in dicts:
            if k in d:
                d[k] = cast(d[k])


def exportable(G: nx.Graph) -> nx.Graph:
    """A copy of ``G`` with string node ids and cleaned, single-typed attributes.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph()
    >>> G.add_node(1, tags={"b", "a"}, year=float("nan"))
    >>> dict(exportable(G).nodes["1"])  # str ids; sets ";"-joined; NaN left out
    {'tags': 'a;b'}
    """
    H = G.__class__()
    H.graph.update({str(k): v for k, v in G.graph.items()})
    H.add_nodes_from((str(n), dict(d)) for n, d in G.nodes(data=True))
    H.add_edges_from((str(u), str(v), dict(d)) for u, v, d in G.edges(data=True))
    gd = [H.graph]
    _clean_dicts(gd)
    _clean_dicts([d for _, d in H.nodes(data=True)])
    _clean_dicts([d for _, _, d in H.edges(data=True)])
    return H


def _display_label(n: str, d: dict) -> str:
    for key in ("label", "title", "name"):
        v = d.get(key)
        if isinstance(v, str) and v:
            return v
    return n


# --------------------------------------------------------------------------- writers

def _write_graphml(G: nx.Graph, path: Path) -> list[Path]:
    return [atomic_write_text(path, "\n".join(nx.generate_graphml(G)) + "\n")]


def _write_gexf(G: nx.Graph, path: Path) -> list[Path]:
    H = G.copy()
    for n, d in H.nodes(data=True):
        d["label"] = _display_label(n, d)  # GEXF's display label (Gephi shows it)
    H.graph = {}  # networkx' GEXF writer only understands its own graph keys
    return [atomic_write_text(path, "\n".join(nx.generate_gexf(H)) + "\n")]


def _table(rows: list[dict], first: list[str]) -> pd.DataFrame:
    cols = list(first) + sorted({k for r in rows for k in r} - set(first))
    df = pd.DataFrame.from_records(rows, columns=cols)
    for c in df.columns:
        present = [v for v in df[c] if v is not None and not (isinstance(v, float) and math.isnan(v))]
        if present and all(isinstance(v, bool) for v in present):
            df[c] = df[c].astype("boolean")
        elif present and all(isinstance(v, int) and not isinstance(v, bool) for v in present):
            df[c] = df[c].astype("Int64")
        elif present and all(isinstance(v, str) for v in present):
            df[c] = df[c].map(inert, na_action="ignore")
    return df


def _rename(d: dict, reserved: set[str]) -> dict:
    return {(f"attr_{k}" if k.lower() in reserved else k): v for k, v in d.items()}


def _csv_paths(path: Path) -> tuple[Path, Path]:
    if path.is_dir() or not path.suffix:
        return path / "nodes.csv", path / "edges.csv"
    stem = path.name[: -len(path.suffix)]
    return path.with_name(f"{stem}.nodes.csv"), path.with_name(f"{stem}.edges.csv")


def _write_csv(G: nx.Graph, path: Path) -> list[Path]:
    node_rows = []
    for n, d in G.nodes(data=True):
        attrs = {k: v for k, v in d.items() if k != "label"}
        node_rows.append({"Id": n, "Label": _display_label(n, d), **_rename(attrs, {"id", "label"})})
    kind = "Directed" if G.is_directed() else "Undirected"
    edge_rows = [
        {"Source": u, "Target": v, "Type": kind, **_rename(d, {"source", "target", "type", "id"})}
        for u, v, d in G.edges(data=True)
    ]
    nodes_path, edges_path = _csv_paths(path)
    out = []
    for p, rows, first in ((nodes_path, node_rows, ["Id", "Label"]),
                           (edges_path, edge_rows, ["Source", "Target", "Type"])):
        buf = io.StringIO()
        _table(rows, first).to_csv(buf, index=False, na_rep="", lineterminator="\r\n")  # RFC 4180; CR/LF in cells get quoted
        out.append(atomic_write_text(p, buf.getvalue()))
    return out


def _vos_number(v) -> float | int | None:
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, (int, float)):
        return v
    return None


def vosviewer_json(G: nx.Graph) -> dict:
    """The VOSviewer JSON map of an exportable graph (see the module docstring).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph()
    >>> G.add_node("p1", title="A <b>bold</b> title", year=2024)
    >>> G.add_edge("p1", "p2", weight=2.0)
    >>> m = vosviewer_json(G)["network"]
    >>> m["items"][0]["description"], m["links"]
    ('A &lt;b&gt;bold&lt;/b&gt; title (2024)', [{'source_id': 'p1', 'target_id': 'p2', 'strength': 2.0}])
    """
    U = nx.Graph()
    U.add_nodes_from(G.nodes)
    for u, v, d in G.edges(data=True):
        if u == v:
            continue
        w = _vos_number(d.get("weight", 1))
        w = 1.0 if w is None or w < 0 else float(w)
        if U.has_edge(u, v):
            U[u][v]["strength"] += w
        else:
            U.add_edge(u, v, strength=w)
    clusters = [d["cluster"] for _, d in G.nodes(data=True)
                if isinstance(d.get("cluster"), int) and not isinstance(d.get("cluster"), bool)]
    shift = 1 if clusters and min(clusters) == 0 else 0
    items = []
    for n, d in G.nodes(data=True):
        item: dict = {"id": n, "label": _display_label(n, d)}
        title = d.get("title")
        if isinstance(title, str) and title:
            extra = ", ".join(str(x) for x in (d.get("venue") or None, d.get("year")) if x not in (None, "", -1))
            item["description"] = esc(title + (f" ({extra})" if extra else ""))
        c = d.get("cluster")
        if isinstance(c, int) and not isinstance(c, bool) and 1 <= c + shift <= 1000:
            item["cluster"] = c + shift
        weights = {"Links": U.degree(n), "Total link strength": U.degree(n, weight="strength")}
        scores = {}
        for k, v in d.items():
            num = _vos_number(v)
            if num is None or k == "cluster":
                continue
            if k in _VOS_WEIGHTS:
                if num >= 0:
                    weights[_VOS_WEIGHTS[k]] = num
            elif k in _VOS_SCORES:
                if k != "year" or num >= 0:
                    scores[_VOS_SCORES[k]] = num
            else:
                scores[k] = num
        item["weights"] = weights
        if scores:
            item["scores"] = scores
        items.append(item)
    links = [{"source_id": u, "target_id": v, "strength": d["strength"]} for u, v, d in U.edges(data=True)]
    return {"network": {"items": items, "links": links}}


def _write_vosviewer(G: nx.Graph, path: Path) -> list[Path]:
    text = json.dumps(vosviewer_json(G), ensure_ascii=False, indent=1)
    return [atomic_write_bytes(path, (text + "\n").encode("utf-8"))]


_WRITERS = {"graphml": _write_graphml, "gexf": _write_gexf, "csv": _write_csv, "vosviewer": _write_vosviewer}


def infer_format(path: str | os.PathLike[str]) -> str:
    """Format from a file suffix (``.graphml``, ``.gexf``, ``.csv``, ``.json`` = vosviewer).

    Examples
    --------
    >>> infer_format("out/coupling.gexf"), infer_format("map.json")
    ('gexf', 'vosviewer')
    """
    suffix = Path(path).suffix.lower()
    for fmt, s in SUFFIXES.items():
        if suffix == s:
            return fmt
    raise UsageError(f"cannot tell the export format from {Path(path).name!r}; pass one of {', '.join(FORMATS)}")


def check_format(format: str) -> str:
    """The lower-cased ``format`` when it is one of :data:`FORMATS`, else :class:`UsageError`.

    Examples
    --------
    >>> check_format("GraphML")
    'graphml'
    """
    fmt = str(format).lower()
    if fmt not in FORMATS:
        raise UsageError(f"unknown export format {format!r}; choose one of {', '.join(FORMATS)}")
    return fmt


def export_graph(G: nx.Graph, path: str | os.PathLike[str], format: str | None = None) -> list[Path]:
    """Write ``G`` to ``path`` in ``format`` and return the files written.

    Parameters
    ----------
    G : networkx graph
    path : file path; for ``csv`` the stem of the two files
        (``out/g.csv`` -> ``out/g.nodes.csv`` and ``out/g.edges.csv``), or a
        directory (-> ``nodes.csv`` and ``edges.csv`` in it)
    format : one of :data:`FORMATS`; inferred from the suffix when omitted

    Examples
    --------
    >>> import tempfile, pathlib, networkx as nx
    >>> G = nx.Graph([("a", "b", {"weight": 2.0})])
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> [p.name for p in export_graph(G, d / "g.csv")]
    ['g.nodes.csv', 'g.edges.csv']
    >>> nx.read_graphml(export_graph(G, d / "g.graphml")[0]).edges["a", "b"]["weight"]
    2.0
    """
    path = Path(path)
    fmt = check_format(format) if format is not None else infer_format(path)
    try:
        return _WRITERS[fmt](exportable(G), path)
    except OSError as exc:
        raise InputError(f"cannot write {path}: {exc.strerror or exc}") from exc


def export_graphs(graphs: Iterable[tuple[str, nx.Graph]], out_dir: str | os.PathLike[str],
                  format: str) -> list[Path]:
    """Export ``(name, graph)`` pairs to ``out_dir/<name><suffix>``.

    Examples
    --------
    >>> import tempfile, pathlib, networkx as nx
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> [p.name for p in export_graphs([("a", nx.Graph([(1, 2)])), ("b", nx.Graph([(2, 3)]))], d, "gexf")]
    ['a.gexf', 'b.gexf']
    """
    fmt = check_format(format)
    out: list[Path] = []
    for name, G in graphs:
        out += export_graph(G, Path(out_dir) / f"{name}{SUFFIXES[fmt]}", fmt)
    return out
