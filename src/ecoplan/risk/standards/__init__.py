"""Pure calculators of the risk domain, one module per standard and edition."""
