"""Readers of the waste registry, manifests and ledgers (CSV/XLSX)."""
