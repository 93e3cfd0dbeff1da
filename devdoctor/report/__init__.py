"""Renderers: one module per output format, chosen by name from a registry.

A renderer is `show(report: Report, verbose: bool) -> None` and writes to stdout. A new format is one
module with such a function and one line in RENDERERS. (The support page, the metrics file and the
history are written beside the report, not instead of it: devdoctor.report.support, devdoctor.fleet.outputs.)
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from devdoctor.report.model import Report

RENDERERS: dict[str, str] = {  # name -> "module:function", imported only when chosen
    "terminal": "devdoctor.report.terminal:show",
    "json": "devdoctor.report.json_report:show",
}


def renderer(name: str) -> Callable[["Report", bool], None]:
    module, function = RENDERERS[name].split(":")
    return getattr(importlib.import_module(module), function)
