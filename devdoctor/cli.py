"""The command line: argument checking and exit codes, nothing else.

Exit codes: 0 no check failed (warnings allowed); 1 at least one check failed; 2 bad usage or an
unreadable fixture; 3 no device could be reached (none attached, unauthorized, offline, lost during
the run, adb server unreachable or adb missing).
"""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import List, Optional

import typer

from devdoctor import __version__

EXIT_HELP = """
Exit codes: 0 no check failed (warnings allowed) · 1 at least one check failed ·
2 bad usage or unreadable fixture · 3 no device could be reached (none, unauthorized, offline,
lost during the run, adb server unreachable, adb missing).
"""

app = typer.Typer(
    name="devdoctor",
    help="Diagnose Android devices that run WMPF (WeChat mini-program framework for hardware) over ADB: "
         "what is wrong, the evidence, and how to fix it.\n\n"
         "Start with `devdoctor run` on a device plugged in over USB, or `devdoctor run --demo` "
         "to see a report from a bundled recording.\n" + EXIT_HELP,
    no_args_is_help=True,
    add_completion=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"devdoctor {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                       help="Print the version and exit.")) -> None:
    pass


def _console(stderr: bool):
    from rich.console import Console

    console = Console(stderr=stderr, highlight=False)
    if not console.is_terminal:  # piped into a file or a ticket: no hard wrapping at 80 columns
        console = Console(stderr=stderr, highlight=False, soft_wrap=True)
    return console


def _stderr():
    return _console(True)


def _stdout():
    return _console(False)


def _fail(message: str, code: int, json_out: bool = False) -> None:
    """A clear message on stderr (and a JSON document on stdout with --json), then exit."""
    from rich.text import Text

    _stderr().print(Text("devdoctor: " + message, style="bold red"))
    if json_out:
        import json

        from devdoctor.report.json_report import SCHEMA

        typer.echo(json.dumps({"schema": SCHEMA, "devdoctor_version": __version__, "exit_code": code,
                               "error": message, "devices": []}, indent=2, ensure_ascii=False))
    raise typer.Exit(code)


def _demo_fixtures() -> dict[str, Path]:
    import devdoctor_fixtures

    folder = Path(devdoctor_fixtures.__file__).parent
    return {p.stem: p for p in sorted(folder.glob("*.json")) if not p.name.startswith("damaged")}


def _replay_path(name: Optional[str], json_out: bool) -> Optional[Path]:
    """A recording's path: a file as given, else a bundled recording of that name."""
    if name is None:
        return None
    path = Path(name)
    if path.is_file():
        return path
    bundled = _demo_fixtures()
    if name in bundled:
        return bundled[name]
    if path.is_dir():
        _fail(f"{name} is a folder; --replay wants a recording file", 2, json_out)
    names = "\n".join(f"  {n}" for n in bundled)
    _fail(f"no recording at {name}, and no bundled recording of that name; bundled ones:\n{names}", 2, json_out)


DEMO_DEFAULT = "wmpf-1.1.3-a8-kiosk"

AdbHost = typer.Option(None, "--adb-host", envvar="ANDROID_ADB_SERVER_HOST",
                       help="Host of the adb server (default 127.0.0.1, like adb).")
AdbPort = typer.Option(None, "--adb-port", envvar="ANDROID_ADB_SERVER_PORT",
                       help="Port of the adb server (default 5037, like adb).")


@app.command()
def run(
    serial: Optional[str] = typer.Option(None, "--serial", "-s", help="Diagnose the device with this serial."),
    all_devices: bool = typer.Option(False, "--all", help="Diagnose every attached device, one report each."),
    replay: Optional[str] = typer.Option(None, "--replay", metavar="FILE",
                                         help="Run the checks on a recorded session (no adb needed): a file, "
                                              "or the name of a bundled recording (see --demo)."),
    bugreport: Optional[Path] = typer.Option(None, "--bugreport", metavar="FILE",
                                             help="Run the checks on a bugreport (the .zip of `adb bugreport`, "
                                                  "or its text): no device needed; what it does not hold "
                                                  "stays unknown."),
    demo: bool = typer.Option(False, "--demo", help=f"Run on a bundled recording ({DEMO_DEFAULT}), no device "
                                                    "needed; `--replay NAME` picks another bundled one."),
    only: List[str] = typer.Option([], "--only", help="Run only this check (repeatable)."),
    skip: List[str] = typer.Option([], "--skip", help="Do not run this check (repeatable)."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Show the evidence behind every verdict."),
    json_out: bool = typer.Option(False, "--json", help="Write a machine-readable report (devdoctor-report/1) "
                                                        "on stdout, and nothing else there."),
    timeout: float = typer.Option(10.0, "--timeout", min=0.1, help="Time limit for each check, in seconds."),
    deadline: Optional[float] = typer.Option(None, "--deadline", min=0.1,
                                             help="Time limit for the whole run, in seconds."),
    checks_dir: List[Path] = typer.Option([], "--checks-dir", help="Also load drop-in check files (*.py) from this folder."),
    host_package: Optional[str] = typer.Option(None, "--host-package", help="The maker's app that embeds wmpf-cli, "
                                               "when devdoctor cannot find it by itself (e.g. com.example.doorbell)."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Read the maker's app again even if an earlier run "
                                                            "on this device already fingerprinted its wmpf-cli."),
    network_host: List[str] = typer.Option([], "--network-host", metavar="HOST",
                                           help="A host the network check probes from the device (repeatable; "
                                                "default: api.weixin.qq.com, open.weixin.qq.com, dldir1.qq.com)."),
    adb_host: Optional[str] = AdbHost,
    adb_port: Optional[int] = AdbPort,
) -> None:
    """Diagnose a device: one line per check, remedies under problems.

    Examples:

      devdoctor run                      # the one device plugged in

      devdoctor run --serial 1234ABCD -v # one of several, with evidence

      devdoctor run --all --json         # every device, machine-readable

      devdoctor run --replay field.json  # a recording, at a desk

      devdoctor run --bugreport bugreport-2024-05-01.zip  # a customer's bugreport
    """
    from devdoctor import diagnose as dg
    from devdoctor.check import Settings
    from devdoctor.fixture import FixtureError
    from devdoctor.plugins import load

    catalog = load(checks_dir)
    try:
        checks = dg.select_checks(catalog, only, skip)
    except dg.UsageError as e:
        _fail(str(e), 2, json_out)
    if demo and replay:
        _fail("--demo replays a bundled recording; give --replay or --demo, not both", 2, json_out)
    replay_path = _replay_path(DEMO_DEFAULT if demo else replay, json_out)
    from devdoctor.device import is_package_name

    if host_package is not None and not is_package_name(host_package):
        _fail(f"--host-package {host_package!r} is not an Android package name (like com.example.app)", 2, json_out)
    from devdoctor.device import is_host_name

    bad_hosts = [h for h in network_host if not is_host_name(h)]
    if bad_hosts:
        _fail(f"--network-host {bad_hosts[0]!r} is not a host name or IP address (like api.weixin.qq.com)", 2, json_out)
    # Fingerprints are cached for live devices only: a replay must answer from its recording.
    settings = Settings(host_package=host_package, network_hosts=list(network_host),
                        fingerprint_cache=not no_cache and replay_path is None and bugreport is None)
    if bugreport is not None:
        from devdoctor.bugreport import BugreportError

        if replay_path is not None or serial or all_devices:
            _fail("--bugreport reads a bugreport: --replay, --demo, --serial and --all do not apply", 2, json_out)
        try:
            target = dg.bugreport_target(bugreport)
        except BugreportError as e:
            _fail(str(e), 2, json_out)
        reports = [_diagnose_one(target, checks, settings, timeout, deadline, json_out)]
    elif replay_path is not None:
        if serial or all_devices:
            _fail("--replay/--demo read a recording: --serial and --all do not apply", 2, json_out)
        try:
            targets = [dg.replay_target(replay_path)]
        except FixtureError as e:
            _fail(str(e), 2, json_out)
        reports = [_diagnose_one(targets[0], checks, settings, timeout, deadline, json_out)]
    else:
        reports = _diagnose_live(serial, all_devices, checks, settings, timeout, deadline, adb_host, adb_port,
                                 json_out)
    _emit(reports, dg.exit_code(reports), verbose, json_out, catalog.problems)


def _diagnose_one(target, checks, settings, timeout, deadline, json_out):
    from devdoctor import diagnose as dg

    console = _stderr()
    if not console.is_terminal:
        return dg.diagnose(target, checks, settings, timeout, deadline)
    done = []
    with console.status(f"Diagnosing {target.device.serial}…") as status:
        def progress(result):
            done.append(result)
            status.update(f"Diagnosing {target.device.serial}… {len(done)}/{len(checks)} checks")
        return dg.diagnose(target, checks, settings, timeout, deadline, on_result=progress)


def _open_adb(adb_host, adb_port, json_out):
    from devdoctor.adb import AdbServer
    from devdoctor.device import DeviceError

    try:
        return AdbServer(adb_host, adb_port)
    except DeviceError as e:
        _fail(str(e), e.exit_code, json_out)


def _diagnose_live(serial, all_devices, checks, settings, timeout, deadline, adb_host, adb_port, json_out):
    from devdoctor import diagnose as dg
    from devdoctor.device import DeviceError, SeveralDevices

    server = _open_adb(adb_host, adb_port, json_out)
    try:
        if all_devices:
            attached = server.list()
            if not attached:
                server.pick(None)  # raises the "no device" error with its advice
        else:
            attached = [server.pick(serial)]
    except SeveralDevices as e:
        _fail(str(e) + "\n" + _device_table(e.devices), 2, json_out)
    except DeviceError as e:
        _fail(str(e), e.exit_code, json_out)
    from concurrent.futures import ThreadPoolExecutor

    def open_one(a):
        try:
            return dg.Target(server.open(a), {"serial": a.serial, "model": a.model}, "")
        except DeviceError as e:
            if not all_devices:
                _fail(str(e), e.exit_code, json_out)
            return dg.unreachable_report(a.serial, e, checks)

    with ThreadPoolExecutor(max_workers=min(32, len(attached))) as pool:  # each open asks the server once
        opened = list(pool.map(open_one, attached))
    targets = [t for t in opened if isinstance(t, dg.Target)]
    reports_by_serial = {r.identity.serial: r for r in opened if not isinstance(r, dg.Target)}
    if len(targets) == 1 and not reports_by_serial:
        return [_diagnose_one(targets[0], checks, settings, timeout, deadline, json_out)]
    for r in _diagnose_fleet(targets, checks, settings, timeout, deadline):
        reports_by_serial[r.identity.serial] = r
    return [reports_by_serial[a.serial] for a in attached if a.serial in reports_by_serial]


def _diagnose_fleet(targets, checks, settings, timeout, deadline):
    """Every device at once, with a live count of finished devices on a terminal."""
    from devdoctor import diagnose as dg

    console = _stderr()
    if not console.is_terminal:
        return dg.diagnose_all(targets, checks, settings, timeout, deadline)
    done = []
    with console.status(f"Diagnosing {len(targets)} devices…") as status:
        def progress(report):
            done.append(report)
            status.update(f"Diagnosing {len(targets)} devices… {len(done)}/{len(targets)} done")
        return dg.diagnose_all(targets, checks, settings, timeout, deadline, on_report=progress)


def _device_table(devices) -> str:
    return "\n".join(f"  {d.serial:<24} {d.state:<13} {d.model}" for d in devices)


def _emit(reports, code, verbose, json_out, problems) -> None:
    if json_out:
        from devdoctor.report.json_report import render

        typer.echo(render(reports, code, problems))
    else:
        from devdoctor.report import terminal

        console = _stdout()
        terminal.render(console, reports, verbose)
        for p in problems:
            _stderr().print(f"devdoctor: a check plugin could not be loaded: {p.source}: {p.message}",
                            style="yellow", markup=False)
    raise typer.Exit(code)


@app.command("list")
def list_checks(
    json_out: bool = typer.Option(False, "--json", help="Machine-readable list."),
    checks_dir: List[Path] = typer.Option([], "--checks-dir", help="Also load drop-in check files from this folder."),
) -> None:
    """Show every check: id, title, and what it looks at on the device."""
    import json

    from devdoctor.plugins import load

    catalog = load(checks_dir)
    checks = sorted(catalog.checks, key=lambda c: (c.order, c.id))
    if json_out:
        typer.echo(json.dumps({"checks": [{"id": c.id, "title": c.title, "description": c.description,
                                           "looks_at": c.looks_at, "requires": list(c.requires)} for c in checks],
                               "plugin_problems": [p.__dict__ for p in catalog.problems]}, indent=2))
        raise typer.Exit(0)
    from rich.table import Table

    table = Table(box=None, pad_edge=False)
    for col in ("id", "title", "looks at"):
        table.add_column(col, overflow="fold")
    for c in checks:
        table.add_row(c.id, f"{c.title}\n{c.description}", c.looks_at)
    _stdout().print(table)
    for p in catalog.problems:
        _stderr().print(f"devdoctor: a check plugin could not be loaded: {p.source}: {p.message}",
                        style="yellow", markup=False)


@app.command()
def devices(
    json_out: bool = typer.Option(False, "--json", help="Machine-readable list."),
    adb_host: Optional[str] = AdbHost,
    adb_port: Optional[int] = AdbPort,
) -> None:
    """List attached devices: serial, state (device / unauthorized / offline), model, Android version."""
    import json
    from concurrent.futures import ThreadPoolExecutor

    from devdoctor.device import DeviceError

    server = _open_adb(adb_host, adb_port, json_out)
    try:
        attached = server.list()
    except DeviceError as e:
        _fail(str(e), e.exit_code, json_out)

    def describe(a):
        row = {"serial": a.serial, "state": a.state, "model": a.model, "release": "", "sdk": None, "note": ""}
        if a.state == "unauthorized":
            row["note"] = "accept the USB debugging prompt on the device's screen"
        elif a.state != "device":
            row["note"] = "reconnect the cable"
        else:
            try:
                from devdoctor.parsers.getprop import parse_getprop

                p = parse_getprop(server.open(a).shell("getprop", timeout=5).stdout)
                row.update(model=p.model or a.model, release=p.release, sdk=p.sdk)
            except DeviceError as e:
                row["note"] = str(e)
        return row

    with ThreadPoolExecutor(max_workers=8) as pool:
        rows = list(pool.map(describe, attached))
    if json_out:
        typer.echo(json.dumps({"devices": rows}, indent=2, ensure_ascii=False))
        raise typer.Exit(0)
    if not rows:
        _stderr().print("No device attached. Plug one in over USB with USB debugging on, "
                        "or try `devdoctor run --demo`.", markup=False)
        raise typer.Exit(3)
    from rich.table import Table

    table = Table(box=None, pad_edge=False)
    for col in ("serial", "state", "model", "Android", ""):
        table.add_column(col)
    for r in rows:
        android = f"{r['release']} (SDK {r['sdk']})" if r["sdk"] else ""
        table.add_row(r["serial"], r["state"], r["model"], android, r["note"])
    _stdout().print(table)


@app.command()
def record(
    file: Path = typer.Argument(..., help="Where to write the recording (JSON).", dir_okay=False),
    serial: Optional[str] = typer.Option(None, "--serial", "-s", help="Record the device with this serial."),
    description: str = typer.Option("", "--description", "-d", help="One line saying what this device shows."),
    timeout: float = typer.Option(10.0, "--timeout", min=0.1, help="Time limit for each check, in seconds."),
    adb_host: Optional[str] = AdbHost,
    adb_port: Optional[int] = AdbPort,
) -> None:
    """Run every check on a real device and save every command and answer into FILE,
    so that `devdoctor run --replay FILE` reproduces the same report.

    Example: devdoctor record panel-17.json -d "door panel, lobby B, no ring"
    """
    from devdoctor import diagnose as dg
    from devdoctor.check import Settings
    from devdoctor.device import DeviceError
    from devdoctor.fixture import Recorder
    from devdoctor.plugins import load

    checks = dg.select_checks(load(), [], [])
    server = _open_adb(adb_host, adb_port, False)
    try:
        attached = server.pick(serial)
        dev = server.open(attached)
    except DeviceError as e:
        _fail(str(e), e.exit_code)
    rec = Recorder(dev)
    report = dg.diagnose(dg.Target(rec, {"serial": attached.serial}, ""), checks, Settings(), timeout)
    i = report.identity
    rec.identity = {"serial": attached.serial, "model": i.model, "manufacturer": i.manufacturer,
                    "release": i.release, "sdk": i.sdk, "features": ",".join(sorted(dev.features))}
    try:
        rec.save(file, description)
    except OSError as e:
        _fail(f"cannot write {file}: {e}", 2)
    from devdoctor.report import terminal

    terminal.render(_stdout(), [report])
    _stderr().print(f"Recorded {len(rec.entries)} commands to {file}. Replay with: devdoctor run --replay {file}",
                    markup=False)
    raise typer.Exit(dg.exit_code([report]))


def _load_commands() -> None:
    import importlib
    import pkgutil

    from devdoctor import commands

    for m in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        importlib.import_module(f"devdoctor.commands.{m.name}")


_load_commands()


def main() -> None:
    if os.environ.get("NO_COLOR"):
        os.environ.setdefault("TERM", "dumb")
    try:
        app()
    except KeyboardInterrupt:
        sys.stderr.write("devdoctor: interrupted\n")
        sys.exit(130)


if __name__ == "__main__":
    main()
