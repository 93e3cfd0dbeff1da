"""Finding check plugins: the `devdoctor.checks` entry-point group (built-in checks are registered
there too, exactly as a third party's would be) and drop-in `*.py` files from --checks-dir."""
from __future__ import annotations

import importlib.util
import inspect
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from devdoctor.check import Check
from devdoctor.core.entry_points import entry_points
from devdoctor.ui.i18n import _

GROUP = "devdoctor.checks"
_ID = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")


@dataclass
class LoadProblem:
    source: str  # entry point or file
    message: str


@dataclass
class Catalog:
    checks: list[Check] = field(default_factory=list)
    problems: list[LoadProblem] = field(default_factory=list)

    def thresholds(self) -> dict:
        """Every threshold a loaded check declares: name -> devdoctor.check.Threshold."""
        return {name: t for c in self.checks for name, t in c.thresholds.items()}

    def ids(self) -> list[str]:
        return [c.id for c in self.checks]

    def get(self, check_id: str) -> Check | None:
        return next((c for c in self.checks if c.id == check_id), None)


def _as_checks(obj: object) -> list[Check]:
    if inspect.isclass(obj) and issubclass(obj, Check):
        return [obj()]
    if isinstance(obj, Check):
        return [obj]
    if isinstance(obj, (list, tuple)):
        return [c for o in obj for c in _as_checks(o)]
    raise TypeError(_("{obj!r} is not a devdoctor Check (subclass devdoctor.check.Check)").format(obj=obj))


def _add(catalog: Catalog, checks: list[Check], source: str) -> None:
    for c in checks:
        if not _ID.match(c.id or ""):
            catalog.problems.append(LoadProblem(source, _("check id {id!r} is not lower-case-with-dashes").format(id=c.id)))
        elif catalog.get(c.id):
            catalog.problems.append(LoadProblem(source, _("check id {id!r} is already taken").format(id=c.id)))
        elif not c.title:
            catalog.problems.append(LoadProblem(source, _("check {id!r} has no title").format(id=c.id)))
        else:
            catalog.checks.append(c)


def load(checks_dirs: list[Path] | None = None) -> Catalog:
    """Every check we can find; a plugin that fails to load is reported, never fatal."""
    catalog = Catalog()
    for ep in sorted(entry_points(GROUP), key=lambda e: e.name):
        source = _("entry point {name} ({value})").format(name=ep.name, value=ep.value)
        try:
            _add(catalog, _as_checks(ep.load()), source)
        except Exception as e:  # a broken plugin must not stop the diagnosis
            catalog.problems.append(LoadProblem(source, f"{type(e).__name__}: {e}"))
    for d in checks_dirs or []:
        if not d.is_dir():
            catalog.problems.append(LoadProblem(str(d), _("not a folder")))
            continue
        for path in sorted(d.glob("*.py")):
            try:
                found = _load_file(path)
                if not found:
                    raise TypeError(_("defines no Check subclass"))
                _add(catalog, found, str(path))
            except Exception as e:
                catalog.problems.append(LoadProblem(str(path), f"{type(e).__name__}: {e}"))
    return catalog


def _load_file(path: Path) -> list[Check]:
    name = f"devdoctor_dropin_{re.sub(r'[^0-9a-zA-Z_]', '_', path.stem)}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(_("cannot import"))
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    if hasattr(module, "CHECKS"):
        return _as_checks(module.CHECKS)
    return [cls() for _name, cls in inspect.getmembers(module, inspect.isclass)
            if issubclass(cls, Check) and cls is not Check and cls.__module__ == name and cls.id]
