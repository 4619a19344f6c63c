from ecoplan.core.templating import *  # noqa: F403  (temporary shim)
from ecoplan.core.templating import __all__  # noqa: F401
