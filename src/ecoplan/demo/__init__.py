"""Bundled data to try ecoplan with: the published national figures of the 13th FYP
(``cn_13th_values.csv``, each row with its source) and synthetic values for every
region, used by the benchmarks and tests (``synthetic``)."""
