"""Surface water: GB 3838—2002 classes and the 2011 evaluation method.

The water domain is being built (issue 10) and is **not yet registered** in
:mod:`ecoplan.domains`: so far only the pure standards of :mod:`.standards` exist.
"""
