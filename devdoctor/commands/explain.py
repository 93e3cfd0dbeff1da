"""`devdoctor explain ID`: what a check, a WMPF log signature or a FAQ section means, and what to do."""
from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from devdoctor.cli import app
from devdoctor.commands.common import demo_fixtures, fail, site_config, stdout
from devdoctor.commands.options import Lang
from devdoctor.ui.i18n import _


@app.command(help=_("Explain a check or a WMPF log signature at length: what it means, why it matters, what the "
                    "vendor FAQ says, how to fix it by hand. Without ID: list what can be explained.\n\n"
                    "Examples:\n\n"
                    "  devdoctor explain wmpf-installed\n\n"
                    "  devdoctor explain 4.5 --lang zh"))
def explain(
    what: Optional[str] = typer.Argument(None, metavar="ID", help=_("A check id (see devdoctor list), a log "
                                                                    "signature id or a FAQ section like 4.5.")),
    checks_dir: List[Path] = typer.Option([], "--checks-dir", help=_("Also load drop-in check files (*.py) from "
                                                                     "this folder.")),
    lang: Optional[str] = Lang,
) -> None:
    from devdoctor.ui import explain as ex
    from devdoctor.core.plugins import load

    catalog = load(checks_dir)
    site_config(None, catalog=catalog)  # a bad devdoctor.toml is refused by every command alike
    if what is None:
        for line in ex.index(catalog):
            typer.echo(line)
        raise typer.Exit(0)
    lines = ex.explain(catalog, what, list(demo_fixtures().values()))
    if lines is None:
        fail(_("nothing to explain under {id!r}; known: {ids}").format(
            id=what, ids=", ".join(ex.known_ids(catalog))), 2)
    stdout().print("\n".join(lines), markup=False, highlight=False)
