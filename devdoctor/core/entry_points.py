"""The entry points of one group, read from the installed distributions' `entry_points.txt` files.

importlib.metadata finds them too, but importing it costs about 30 ms of every run, before the device's
first read can leave. For what it reads here, a folder on sys.path holding `*.dist-info` or `*.egg-info`
folders (site-packages, an editable install's .egg-info), this reads the same files the same way: the
first distribution of a name along sys.path wins, as in importlib.metadata.entry_points(). Anything
else on sys.path (a zip, an egg file) is left to importlib.metadata itself.
"""
from __future__ import annotations

import importlib
import os
import re
import sys
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class EntryPoint:
    name: str
    value: str  # module:attr

    def load(self) -> Any:
        module, _, attr = self.value.partition(":")
        obj = importlib.import_module(module.strip())
        for part in attr.split("[")[0].strip().split("."):
            if part:
                obj = getattr(obj, part)
        return obj


def entry_points(group: str) -> list[EntryPoint]:
    found = _scan(group)
    if found is None:
        from importlib.metadata import entry_points as from_metadata

        return [EntryPoint(ep.name, ep.value) for ep in from_metadata(group=group)]
    return found


def _scan(group: str) -> list[EntryPoint] | None:
    """None when a sys.path entry is not a plain folder (importlib.metadata knows how to read those)."""
    seen: set[str] = set()
    out: list[EntryPoint] = []
    for where in sys.path:
        where = where or "."
        if not os.path.isdir(where):
            if os.path.exists(where):
                return None
            continue
        try:
            names = sorted(os.listdir(where))
        except OSError:
            continue
        for folder in names:
            if not folder.endswith((".dist-info", ".egg-info")):
                continue
            name = _normalized(folder.rsplit(".", 1)[0].split("-")[0])
            if name in seen:
                continue
            seen.add(name)
            try:
                with open(os.path.join(where, folder, "entry_points.txt"), encoding="utf-8") as f:
                    out += _group(f.read(), group)
            except (OSError, UnicodeDecodeError):
                pass
    return out


def _normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def _group(text: str, group: str) -> list[EntryPoint]:
    """`name = value` lines of the [group] section of an entry_points.txt (an INI file)."""
    out, inside = [], False
    for line in text.splitlines():
        line = line.strip()
        if not line or line[0] in "#;":
            continue
        if line.startswith("[") and line.endswith("]"):
            inside = line[1:-1].strip() == group
        elif inside and "=" in line:
            name, _, value = line.partition("=")
            out.append(EntryPoint(name.strip(), value.strip()))
    return out
