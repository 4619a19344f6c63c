"""Assessment reports (html, pdf, xlsx)."""

from ecoplan.reports.assessment import FORMATS, build, write_report

__all__ = ["FORMATS", "build", "write_report"]
