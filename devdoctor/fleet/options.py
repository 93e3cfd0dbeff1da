"""The command-line options of the fleet features, shared by `run`, `devices`, `record`, `watch` and
`history`. Imported by devdoctor.cli once the language is chosen (the help texts are translated)."""
from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from devdoctor.ui.i18n import _


def _check_servers(values: List[str]) -> List[str]:
    from devdoctor.fleet.address import BadAddress, parse_address

    for value in values or []:
        try:
            parse_address(value)
        except BadAddress as e:
            raise typer.BadParameter(str(e)) from None
    return values


def _check_metrics_file(value: Optional[Path]) -> Optional[Path]:
    # Before the diagnosis, not after it: a folder that is not there is a typing mistake.
    if value is not None and not value.resolve().parent.is_dir():
        raise typer.BadParameter(_("no folder {folder} to write {file} in").format(
            folder=value.resolve().parent, file=value.name))
    return value


AdbServerOption = typer.Option(
    [], "--adb-server", metavar="HOST:PORT", callback=_check_servers,
    help=_("An adb server to reach (repeatable; default: adb_servers in devdoctor.toml, else --adb-host/"
           "--adb-port). Its devices are named HOST:PORT/SERIAL. adb has no authentication: reach a remote "
           "server through an SSH tunnel or a private network."))
HistoryFile = typer.Option(
    None, "--history", metavar="FILE", envvar="DEVDOCTOR_HISTORY", dir_okay=False,
    help=_("The history database (SQLite; default: history.sqlite in the user's data folder)."))
NoHistory = typer.Option(False, "--no-history", help=_("Do not keep this run in the history."))
MetricsFile = typer.Option(
    None, "--metrics", metavar="FILE", dir_okay=False, callback=_check_metrics_file,
    help=_("Also write the results as Prometheus metrics to FILE (text format, replaced atomically; name it "
           "*.prom for node_exporter's textfile collector)."))
