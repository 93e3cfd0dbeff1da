"""What every command shares: the consoles, the one way to fail with a message and an exit code, the site
configuration, bundled recordings by name, and the adb server(s)."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import typer

from devdoctor.ui.i18n import _
from devdoctor.report.console import plugin_problems, progress_console, stderr, stdout, warn  # noqa: F401

if TYPE_CHECKING:
    from devdoctor.core.config import SiteConfig
    from devdoctor.core.plugins import Catalog

DEMO_DEFAULT = "wmpf-1.1.3-a8-kiosk"


def fail(message: str, code: int, json_out: bool = False, kind: str = "usage") -> NoReturn:
    """A clear message on stderr (and the report's JSON, with its `error`, on stdout with --json), then exit."""
    from rich.text import Text

    stderr().print(Text("devdoctor: " + message, style="bold red"))
    if json_out:
        from devdoctor.report.json_report import render

        typer.echo(render([], code, error={"kind": kind, "message": message}))
    raise typer.Exit(code)


def site_config(config: Path | None, json_out: bool = False, catalog: Catalog | None = None) -> SiteConfig:
    """The site configuration in effect; a bad file exits 2 naming the file and the key. With the loaded
    checks' `catalog`, a threshold none of them reads is refused too."""
    from devdoctor.core.config import ConfigError, check_thresholds, load

    try:
        site = load(config)
        if catalog is not None:
            check_thresholds(site, catalog.thresholds())
        return site
    except ConfigError as e:
        fail(str(e), 2, json_out)


def demo_fixtures() -> dict[str, Path]:
    import devdoctor_fixtures

    folder = Path(devdoctor_fixtures.__file__).parent
    return {p.stem: p for p in sorted(folder.glob("*.json")) if not p.name.startswith("damaged")}


def replay_path(name: str | None, json_out: bool = False) -> Path | None:
    """A recording's path: a file as given, else a bundled recording of that name."""
    if name is None:
        return None
    path = Path(name)
    if path.is_file():
        return path
    bundled = demo_fixtures()
    if name in bundled:
        return bundled[name]
    if path.is_dir():
        fail(_("{name} is a folder; --replay wants a recording file").format(name=name), 2, json_out)
    names = "\n".join(f"  {n}" for n in bundled)
    fail(_("no recording at {name}, and no bundled recording of that name; bundled ones:\n{names}").format(
        name=name, names=names), 2, json_out)


def open_adb(adb_host: str | None, adb_port: int | None, json_out: bool = False, servers=((), None)):
    """The adb server, or the servers of --adb-server / devdoctor.toml's adb_servers (devdoctor.fleet);
    `servers` is (the --adb-server values, the site configuration)."""
    from devdoctor.sources.device import DeviceError
    from devdoctor.fleet.servers import open_adb as open_servers

    try:
        return open_servers(adb_host, adb_port, *servers)
    except DeviceError as e:
        fail(str(e), e.exit_code, json_out, e.kind)


def recording(target, report):
    """What a Recorder kept, with the identity the report found."""
    i = report.identity
    rec = target.device
    rec.identity = {"serial": i.serial, "model": i.model, "manufacturer": i.manufacturer, "release": i.release,
                    "sdk": i.sdk, "features": ",".join(sorted(getattr(rec.inner, "features", ())))}
    return rec.fixture()
