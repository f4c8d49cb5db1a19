"""The one-file HTML report and ``gaps.md``: :func:`write_report`.

Examples
--------
>>> from medvlm_graph.report import write_report  # doctest: +SKIP
>>> write_report("data")                            # doctest: +SKIP
PosixPath('data/processed/report/index.html')
"""

from .builder import NOT_FETCHED, PLOTLY_SIGNATURE, load_report_data, provenance_lines, write_report
from ..markup import esc, markdown_to_html, safe_url  # re-exported: the report's escaping

__all__ = ["write_report", "load_report_data", "provenance_lines", "NOT_FETCHED", "PLOTLY_SIGNATURE", "esc",
           "markdown_to_html", "safe_url"]
