"""Pure calculators of the ecology domain, one module per standard and edition."""
