"""The SQL of the sources tables, one module per part (see :mod:`ecoplan.sources.schema`)."""
