from ecoplan.core.errors import *  # noqa: F403  (temporary shim)
from ecoplan.core.errors import __all__  # noqa: F401
