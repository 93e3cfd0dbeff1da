"""`devdoctor record`: diagnose a real device and keep every command and answer in a file that replays it."""
from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from devdoctor.cli import app
from devdoctor.commands.common import fail, open_adb, recording, site_config, stderr, stdout
from devdoctor.commands.options import AdbHost, AdbPort, ConfigFile, Lang, Timeout
from devdoctor.fleet.options import AdbServerOption
from devdoctor.ui.i18n import _


@app.command(help=_("Run every check on a real device and save every command and answer into FILE, so that "
                    "`devdoctor run --replay FILE` reproduces the same report.\n\n"
                    "Example: devdoctor record panel-17.json -d \"door panel, lobby B, no ring\""))
def record(
    file: Path = typer.Argument(..., help=_("Where to write the recording (JSON)."), dir_okay=False),
    serial: Optional[str] = typer.Option(None, "--serial", "-s", help=_("Record the device with this serial.")),
    description: str = typer.Option("", "--description", "-d", help=_("One line saying what this device shows.")),
    timeout: Optional[float] = Timeout,
    config: Optional[Path] = ConfigFile,
    lang: Optional[str] = Lang,
    adb_host: Optional[str] = AdbHost,
    adb_port: Optional[int] = AdbPort,
    adb_server: List[str] = AdbServerOption,
) -> None:
    from devdoctor.core import diagnose as dg
    from devdoctor.core import exit_codes
    from devdoctor.sources.device import DeviceError
    from devdoctor.sources.record import Recorder
    from devdoctor.core.plugins import load

    catalog = load()
    site = site_config(config, catalog=catalog)
    checks = dg.select_checks(catalog, [], [])
    server = open_adb(adb_host, adb_port, False, (adb_server, site))
    try:
        attached = server.pick(serial)
        dev = server.open(attached)
    except DeviceError as e:
        fail(str(e), e.exit_code)
    rec = Recorder(dev)
    report = dg.diagnose(dg.Target(rec, {"serial": attached.serial}, ""), checks, site.settings, timeout)
    fixture = recording(dg.Target(rec), report)
    rec.identity = fixture.device
    try:
        rec.save(file, description)
    except OSError as e:
        fail(_("cannot write {file}: {error}").format(file=file, error=e.strerror or e), 2)
    from devdoctor.report import terminal

    terminal.render(stdout(), [report])
    stderr().print(_("Recorded {n} commands to {file}. Replay with: devdoctor run --replay {file}").format(
        n=len(rec.entries), file=file), markup=False)
    raise typer.Exit(exit_codes.with_plugins(dg.exit_code([report]), bool(catalog.problems)))
