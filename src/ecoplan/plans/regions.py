from ecoplan.core.regions import *  # noqa: F403  (temporary shim)
from ecoplan.core.regions import __all__  # noqa: F401
