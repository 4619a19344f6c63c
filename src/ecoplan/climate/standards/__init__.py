"""The climate domain's pure calculators, one module per method (each cites its source).

:mod:`.factors`
    The factor tables of ``climate/data/`` (net calorific values, carbon content per unit
    heat, oxidation rates, grid emission factors), each value with its source and status.
:mod:`.energy`
    Fuel-combustion CO2: Σ activity × NCV × carbon content × oxidation × 44/12.
:mod:`.electricity`
    Indirect CO2 of net imported electricity × the grid factor of the year.
:mod:`.cement`
    Cement clinker process CO2 from the clinker's CaO and MgO content.
:mod:`.intensity`
    CO2 intensity against GDP at constant prices, its decline and the schedule to a target.
"""
