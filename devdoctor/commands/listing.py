"""`devdoctor list`: every check, with what it looks at and the thresholds it judges by."""
from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from devdoctor.cli import app
from devdoctor.commands.common import site_config, stderr, stdout
from devdoctor.commands.options import ChecksDir, JsonList, Lang
from devdoctor.ui.i18n import _


@app.command("list", help=_("Show every check: id, title, and what it looks at on the device.\n\n"
                             "Example: devdoctor list --lang zh"))
def list_checks(
    json_out: bool = JsonList,
    checks_dir: List[Path] = ChecksDir,
    lang: Optional[str] = Lang,
) -> None:
    import json

    from devdoctor.core.plugins import load

    catalog = load(checks_dir)
    site_config(None, json_out, catalog)  # a bad devdoctor.toml (language, thresholds) is refused here too
    checks = sorted(catalog.checks, key=lambda c: (c.order, c.id))
    if json_out:
        typer.echo(json.dumps({"checks": [{"id": c.id, "title": _(c.title), "description": _(c.description),
                                           "looks_at": c.looks_at, "requires": list(c.requires),
                                           "thresholds": {n: {"default": t.default, "meaning": _(t.meaning)}
                                                          for n, t in c.thresholds.items()}} for c in checks],
                               "plugin_problems": [p.__dict__ for p in catalog.problems]}, indent=2,
                              ensure_ascii=False))
        raise typer.Exit(0)
    from rich.table import Table

    table = Table(box=None, pad_edge=False)
    for col in (_("id"), _("title"), _("looks at")):
        table.add_column(col, overflow="fold")
    for c in checks:
        table.add_row(c.id, f"{_(c.title)}\n{_(c.description)}", _(c.looks_at) if c.looks_at else "")
    stdout().print(table)
    for p in catalog.problems:
        stderr().print(_("devdoctor: a check plugin could not be loaded: {source}: {message}").format(
            source=p.source, message=p.message), style="yellow", markup=False)
