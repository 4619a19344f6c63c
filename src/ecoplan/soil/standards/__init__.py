"""Pure calculators of the soil domain, one module per standard: GB 15618—2018
(farmland), GB 36600—2018 (construction land) and the two safe-use rates."""
