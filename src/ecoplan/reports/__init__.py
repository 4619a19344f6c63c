"""Assessment reports (html, pdf, xlsx), and how they and the dashboard show an
assessment's words (:mod:`ecoplan.reports.labels`)."""

from ecoplan.reports import labels
from ecoplan.reports.assessment import FORMATS, build, write_report

__all__ = ["FORMATS", "build", "labels", "write_report"]
