"""Corpus analytics: ``stance report`` scores a corpus into a store that grows with it and writes a dashboard.

One module per concern: ``metadata`` (sidecar file, HTML meta tags), ``store``
(Parquet parts keyed by text and model, DuckDB), ``runner`` (scoring in worker
processes), ``analytics`` (counts, bootstrap intervals), ``charts`` (inline
SVG), ``page`` (``index.html``), ``build`` (the run and its outputs).
Needs the ``report`` extra: ``pip install 'stance[report]'`` (duckdb, pyarrow).
"""

from .build import ReportRun, build_report

__all__ = ["ReportRun", "build_report"]
