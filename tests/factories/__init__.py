"""Factory functions for tests: every module here is re-exported, so tests write
`from tests.factories import make_patient`. Add a module per area."""

import importlib
import pkgutil

__all__ = []
for _module_info in pkgutil.iter_modules(__path__):
    _module = importlib.import_module(f"{__name__}.{_module_info.name}")
    for _name in getattr(_module, "__all__", ()):
        globals()[_name] = getattr(_module, _name)
        __all__.append(_name)
