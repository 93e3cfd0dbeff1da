"""Modules imported on first use, or while the device is busy answering.

A device's reads start only once every check is loaded, so loading a check must cost little: the
parsers a check needs are imported later, by `import_pending()` in a thread while the device
answers, or at the latest by their first use (about 60 ms of every run moved off the critical path).
"""
from __future__ import annotations

import importlib
import importlib.util
import sys
import threading
import types
from typing import Any


class LazyModule:
    """`net_parser = lazy("devdoctor.parsers.net")`; `net_parser.parse_ping(...)` imports it if needed."""

    def __init__(self, name: str):
        self._name = name
        self._module: types.ModuleType | None = None

    def load(self) -> types.ModuleType:
        if self._module is None:  # import_module is thread-safe: two threads may ask at once
            self._module = importlib.import_module(self._name)
        return self._module

    def __getattr__(self, attr: str) -> Any:
        return getattr(self.load(), attr)

    def __repr__(self) -> str:
        return f"<lazy module {self._name}>"


_declared: list[LazyModule] = []


def lazy(name: str) -> Any:
    module = LazyModule(name)
    _declared.append(module)
    return module


def pending() -> bool:
    """Whether a module declared lazy has not been imported yet."""
    return any(m._module is None for m in _declared)


_importing = threading.Lock()


def import_pending_in_background() -> None:
    """import_pending() in a thread, unless one is at it already (48 devices starting at once start one)."""
    if pending() and _importing.acquire(blocking=False):
        def run() -> None:
            try:
                import_pending()
            finally:
                _importing.release()

        threading.Thread(target=run, name="imports", daemon=True).start()


def import_pending() -> None:
    """Import every module declared lazy so far (the runner has this done once the device reads are on
    their way, so a check's first parse does not wait for an import)."""
    for module in list(_declared):
        try:
            module.load()
        except Exception:  # the check that uses it meets the same error, and reports it
            pass


class _Deferred(types.ModuleType):
    """Stands in, in sys.modules, for a module a library imports but devdoctor never uses, until one
    of its names is used. (importlib.util.LazyLoader does not help: every later `import NAME` reads
    the module's __spec__, and that alone loads it.)"""

    def __getattr__(self, attr: str) -> Any:
        if sys.modules.get(self.__name__) is self:
            del sys.modules[self.__name__]
        return getattr(importlib.import_module(self.__name__), attr)


def defer_import(name: str) -> None:
    """Make a third party's `import NAME` free until NAME is used (a no-op if NAME is loaded or absent)."""
    if name not in sys.modules and importlib.util.find_spec(name) is not None:
        sys.modules[name] = _Deferred(name)
