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
from devdoctor.i18n import _


def _choose_language(argv: list[str]) -> None:
    """Before any help text is built: --lang, $DEVDOCTOR_LANG, devdoctor.toml, the system locale."""
    from devdoctor import i18n

    config_language = None
    if not i18n.flag_language(argv) and not os.environ.get("DEVDOCTOR_LANG"):
        from devdoctor.config import quiet_language

        explicit = next((argv[i + 1] for i, a in enumerate(argv[:-1]) if a == "--config"), None)
        explicit = explicit or next((a.split("=", 1)[1] for a in argv if a.startswith("--config=")), None)
        config_language = quiet_language(Path(explicit) if explicit else None)
    i18n.set_language(i18n.choose_language(argv, config_language=config_language))
    if i18n.language() != "en":  # click's own words (Usage:, Error:, ...) too
        from devdoctor import click_i18n

        click_i18n.install()


_choose_language(sys.argv[1:])

EXIT_HELP = _("""
Exit codes: 0 no check failed (warnings allowed) · 1 at least one check failed ·
2 bad usage or unreadable fixture · 3 no device could be reached (none, unauthorized, offline,
lost during the run, adb server unreachable, adb missing).
""")

app = typer.Typer(
    name="devdoctor",
    help=_("Diagnose Android devices that run WMPF (WeChat mini-program framework for hardware) over ADB: "
           "what is wrong, the evidence, and how to fix it.\n\n"
           "Start with `devdoctor run` on a device plugged in over USB, or `devdoctor run --demo` "
           "to see a report from a bundled recording.") + "\n" + EXIT_HELP,
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
                                       help=_("Print the version and exit.")),
          lang: Optional[str] = typer.Option(None, "--lang", metavar="zh|en", help=_(
              "Language of every message: zh (简体中文) or en. Default: devdoctor.toml, then the system locale.")),
          ) -> None:
    pass


def _check_lang(value: Optional[str]) -> Optional[str]:
    if value is not None and value not in ("zh", "en"):
        raise typer.BadParameter(_("choose zh or en"))
    return value


Lang = typer.Option(None, "--lang", metavar="zh|en", callback=_check_lang,
                    help=_("Language of every message: zh (简体中文) or en. Default: devdoctor.toml, then the "
                           "system locale."))
ConfigFile = typer.Option(None, "--config", metavar="FILE",
                          help=_("Site configuration file (default: ./devdoctor.toml, then the user's config "
                                 "folder)."))


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


def _progress_console():
    """The stderr console for live progress, or None when stderr is not a terminal. Asked of the
    stream first, so a piped or --json run does not load rich before the device reads start."""
    forced = os.environ.get("TTY_COMPATIBLE") == "1" or os.environ.get("FORCE_COLOR") is not None
    if not sys.stderr.isatty() and not forced:
        return None
    console = _stderr()
    return console if console.is_terminal else None


def _fail(message: str, code: int, json_out: bool = False, kind: str = "usage") -> None:
    """A clear message on stderr (and the report's JSON, with its `error`, on stdout with --json), then exit."""
    from rich.text import Text

    _stderr().print(Text("devdoctor: " + message, style="bold red"))
    if json_out:
        from devdoctor.report.json_report import render

        typer.echo(render([], code, error={"kind": kind, "message": message}))
    raise typer.Exit(code)


def _site_config(config: Optional[Path], json_out: bool = False):
    """The site configuration in effect; a bad file exits 2 naming the file and the key."""
    from devdoctor.config import ConfigError, load

    try:
        return load(config)
    except ConfigError as e:
        _fail(str(e), 2, json_out)


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
        _fail(_("{name} is a folder; --replay wants a recording file").format(name=name), 2, json_out)
    names = "\n".join(f"  {n}" for n in bundled)
    _fail(_("no recording at {name}, and no bundled recording of that name; bundled ones:\n{names}").format(
        name=name, names=names), 2, json_out)


DEMO_DEFAULT = "wmpf-1.1.3-a8-kiosk"

AdbHost = typer.Option(None, "--adb-host", envvar="ANDROID_ADB_SERVER_HOST",
                       help=_("Host of the adb server (default 127.0.0.1, like adb)."))
AdbPort = typer.Option(None, "--adb-port", envvar="ANDROID_ADB_SERVER_PORT", min=1, max=65535,
                       help=_("Port of the adb server (default 5037, like adb)."))
from devdoctor.fleet.options import AdbServerOption, HistoryFile, MetricsFile, NoHistory  # noqa: E402


@app.command(help=_("""Diagnose a device: one line per check, remedies under problems.

Examples:

  devdoctor run                      # the one device plugged in

  devdoctor run --serial 1234ABCD -v # one of several, with evidence

  devdoctor run --all --json         # every device, machine-readable

  devdoctor run --replay field.json  # a recording, at a desk

  devdoctor run --bugreport bugreport-2024-05-01.zip  # a customer's bugreport

  devdoctor run --report panel.html  # a page to send to support
"""))
def run(
    serial: Optional[str] = typer.Option(None, "--serial", "-s", help=_("Diagnose the device with this serial.")),
    all_devices: bool = typer.Option(False, "--all", help=_("Diagnose every attached device, one report each.")),
    replay: Optional[str] = typer.Option(None, "--replay", metavar="FILE",
                                         help=_("Run the checks on a recorded session (no adb needed): a file "
                                                "(a recording or a --report page), or the name of a bundled "
                                                "recording (see --demo).")),
    bugreport: Optional[Path] = typer.Option(None, "--bugreport", metavar="FILE",
                                             help=_("Run the checks on a bugreport (the .zip of `adb bugreport`, "
                                                    "or its text): no device needed; what it does not hold "
                                                    "stays unknown.")),
    demo: bool = typer.Option(False, "--demo", help=_("Run on a bundled recording ({name}), no device "
                                                      "needed; `--replay NAME` picks another bundled one.").format(
                                                          name=DEMO_DEFAULT)),
    only: List[str] = typer.Option([], "--only", help=_("Run only this check (repeatable).")),
    skip: List[str] = typer.Option([], "--skip", help=_("Do not run this check (repeatable).")),
    verbose: bool = typer.Option(False, "--verbose", "-v", help=_("Show the evidence behind every verdict.")),
    json_out: bool = typer.Option(False, "--json", help=_("Write a machine-readable report (devdoctor-report/1) "
                                                          "on stdout, and nothing else there.")),
    report: Optional[Path] = typer.Option(None, "--report", metavar="PATH", dir_okay=False,
                                          help=_("Also write a page for support (HTML, opens in any browser, "
                                                 "the recording inside it) to PATH.")),
    no_redact: bool = typer.Option(False, "--no-redact", help=_("Do not mask serial numbers, IMEIs, MAC and IP "
                                                                "addresses and Wi-Fi names in the --report page.")),
    timeout: Optional[float] = typer.Option(None, "--timeout", min=0.1, help=_(
        "Time limit for each check, in seconds (default: each check's own, 10 s for most).")),
    deadline: Optional[float] = typer.Option(None, "--deadline", min=0.1,
                                             help=_("Time limit for the whole run, in seconds.")),
    checks_dir: List[Path] = typer.Option([], "--checks-dir", help=_("Also load drop-in check files (*.py) from "
                                                                     "this folder.")),
    host_package: Optional[str] = typer.Option(None, "--host-package", help=_(
        "The maker's app that embeds wmpf-cli, when devdoctor cannot find it by itself (e.g. "
        "com.example.doorbell).")),
    no_cache: bool = typer.Option(False, "--no-cache", help=_("Read the maker's app again even if an earlier run "
                                                              "on this device already fingerprinted its wmpf-cli.")),
    network_host: List[str] = typer.Option([], "--network-host", metavar="HOST",
                                           help=_("A host the network check probes from the device (repeatable; "
                                                  "default: api.weixin.qq.com, open.weixin.qq.com, dldir1.qq.com).")),
    config: Optional[Path] = ConfigFile,
    lang: Optional[str] = Lang,
    adb_host: Optional[str] = AdbHost,
    adb_port: Optional[int] = AdbPort,
    adb_server: List[str] = AdbServerOption,
    metrics: Optional[Path] = MetricsFile,
    history: Optional[Path] = HistoryFile,
    no_history: bool = NoHistory,
) -> None:
    from devdoctor import diagnose as dg
    from devdoctor.fixture import FixtureError
    from devdoctor.plugins import load

    site = _site_config(config, json_out)
    catalog = load(checks_dir)
    known = set(catalog.ids())
    for cid in site.skip:
        if cid not in known:
            _stderr().print(_("devdoctor: {file}: skip names no known check {id!r}; ignored").format(
                file=site.path, id=cid), style="yellow", markup=False)
    try:
        checks = dg.select_checks(catalog, only, [*skip, *(c for c in site.skip if c in known and c not in only)])
    except dg.UsageError as e:
        _fail(str(e), 2, json_out)
    if demo and replay:
        _fail(_("--demo replays a bundled recording; give --replay or --demo, not both"), 2, json_out)
    replay_path = _replay_path(DEMO_DEFAULT if demo else replay, json_out)
    from devdoctor.device import is_package_name

    if host_package is not None and not is_package_name(host_package):
        _fail(_("--host-package {value!r} is not an Android package name (like com.example.app)").format(
            value=host_package), 2, json_out)
    from devdoctor.device import is_host_name

    bad_hosts = [h for h in network_host if not is_host_name(h)]
    if bad_hosts:
        _fail(_("--network-host {value!r} is not a host name or IP address (like api.weixin.qq.com)").format(
            value=bad_hosts[0]), 2, json_out)
    settings = site.settings
    if host_package:
        settings.host_package = host_package
    if network_host:
        settings.network_hosts = list(network_host)
    # Fingerprints are cached for live devices only: a replay must answer from its recording.
    settings.fingerprint_cache = not no_cache and replay_path is None and bugreport is None
    field_run = None
    if bugreport is not None:
        from devdoctor.bugreport import BugreportError

        if replay_path is not None or serial or all_devices:
            _fail(_("--bugreport reads a bugreport: --replay, --demo, --serial and --all do not apply"), 2, json_out)
        if report is not None:
            _fail(_("--report writes the page of a device or a recording, not of a bugreport"), 2, json_out)
        try:
            target = dg.bugreport_target(bugreport)
        except BugreportError as e:
            _fail(str(e), 2, json_out)
        reports = [_diagnose_one(target, checks, settings, timeout, deadline, json_out)]
    elif replay_path is not None:
        if serial or all_devices:
            _fail(_("--replay/--demo read a recording: --serial and --all do not apply"), 2, json_out)
        from devdoctor import support

        try:
            if support.is_report(replay_path):
                field_run = support.read(replay_path)
                target = support.replay_target(field_run, replay_path.name)
            else:
                target = dg.replay_target(replay_path)
        except FixtureError as e:
            _fail(str(e), 2, json_out)
        reports = [_diagnose_one(target, checks, settings, timeout, deadline, json_out)]
        recordings = [target.device.fixture]
    else:
        if serial and all_devices:
            _fail(_("--all diagnoses every attached device and --serial names one: give one of them"), 2,
                  json_out)
        if report and all_devices:
            _fail(_("--report writes one device's page: choose the device with --serial, not --all"), 2, json_out)
        recordings = [] if report is not None else None
        reports = _diagnose_live(serial, all_devices, checks, settings, timeout, deadline, adb_host, adb_port,
                                 json_out, recordings, servers=(adb_server, site))
    code = dg.exit_code(reports)
    from devdoctor.fleet.outputs import history_path, keep_run  # only live devices go into the history

    problem = keep_run(reports, code, metrics, history_path(history, not (no_history or replay_path or bugreport)),
                       len(catalog.problems))
    if problem:
        _fail(problem, 2, json_out)
    if report is not None:
        _write_report(report, reports[0], recordings[0], code, not no_redact, json_out)
    _emit(reports, code, verbose, json_out, catalog.problems, field_run)


def _write_report(path: Path, device_report, recording, code: int, redact: bool, json_out: bool) -> None:
    from devdoctor import support

    try:
        support.write(path, device_report, recording, code, redact=redact)
    except OSError as e:
        _fail(_("cannot write {file}: {error}").format(file=path, error=e.strerror or e), 2, json_out)
    _stderr().print(_("Wrote the support page {file} ({masked}). Open it in a browser, or replay it: "
                      "devdoctor run --replay {file}").format(
        file=path, masked=_("serials, IMEIs, MAC/IP addresses and Wi-Fi names masked") if redact
        else _("nothing masked")), markup=False)


def _diagnose_one(target, checks, settings, timeout, deadline, json_out):
    from devdoctor import diagnose as dg

    console = _progress_console()
    if console is None:
        return dg.diagnose(target, checks, settings, timeout, deadline)
    done = []
    with console.status(_("Diagnosing {serial}…").format(serial=target.device.serial)) as status:
        def progress(result):
            done.append(result)
            status.update(_("Diagnosing {serial}… {done}/{total} checks").format(
                serial=target.device.serial, done=len(done), total=len(checks)))
        return dg.diagnose(target, checks, settings, timeout, deadline, on_result=progress)


def _open_adb(adb_host, adb_port, json_out, servers=((), None)):
    """The adb server, or the servers of --adb-server / devdoctor.toml's adb_servers (devdoctor.fleet);
    `servers` is (the --adb-server values, the site configuration)."""
    from devdoctor.device import DeviceError
    from devdoctor.fleet.servers import open_adb

    try:
        return open_adb(adb_host, adb_port, *servers)
    except DeviceError as e:
        _fail(str(e), e.exit_code, json_out, e.kind)


def _diagnose_live(serial, all_devices, checks, settings, timeout, deadline, adb_host, adb_port, json_out,
                   recordings: list | None = None, servers=((), None)):
    """Reports of the chosen devices; with a `recordings` list (--report, one device), what it answered."""
    record = recordings is not None
    from devdoctor import diagnose as dg
    from devdoctor.device import DeviceError, SeveralDevices
    from devdoctor.fixture import Recorder

    server = _open_adb(adb_host, adb_port, json_out, servers)
    try:
        if all_devices:
            attached = server.list()
            if not attached:
                server.pick(None)  # raises the "no device" error with its advice
        else:
            attached = [server.pick(serial)]
    except SeveralDevices as e:
        _fail(str(e) + "\n" + _device_table(e.devices), 2, json_out, e.kind)
    except DeviceError as e:
        _fail(str(e), e.exit_code, json_out, e.kind)
    from concurrent.futures import ThreadPoolExecutor

    def open_one(a):
        try:
            dev = server.open(a)
            return dg.Target(Recorder(dev) if record else dev, {"serial": a.serial, "model": a.model}, "")
        except DeviceError as e:
            if not all_devices:
                _fail(str(e), e.exit_code, json_out, e.kind)
            return dg.unreachable_report(a.serial, e, a.model)

    with ThreadPoolExecutor(max_workers=min(32, len(attached))) as pool:  # each open asks the server once
        opened = list(pool.map(open_one, attached))
    targets = [t for t in opened if isinstance(t, dg.Target)]
    reports_by_serial = {r.identity.serial: r for r in opened if not isinstance(r, dg.Target)}
    if len(targets) == 1 and not reports_by_serial:
        reports = [_diagnose_one(targets[0], checks, settings, timeout, deadline, json_out)]
        if record:
            recordings.append(_recording(targets[0], reports[0]))
        return reports
    for r in _diagnose_fleet(targets, checks, settings, timeout, deadline):
        reports_by_serial[r.identity.serial] = r
    return [reports_by_serial[a.serial] for a in attached if a.serial in reports_by_serial]


def _recording(target, report):
    """What a Recorder kept, with the identity the report found."""
    i = report.identity
    rec = target.device
    rec.identity = {"serial": i.serial, "model": i.model, "manufacturer": i.manufacturer, "release": i.release,
                    "sdk": i.sdk, "features": ",".join(sorted(getattr(rec.inner, "features", ())))}
    return rec.fixture()


def _diagnose_fleet(targets, checks, settings, timeout, deadline):
    """Every device at once, with a live count of finished devices on a terminal."""
    from devdoctor import diagnose as dg

    console = _progress_console()
    if console is None:
        return dg.diagnose_all(targets, checks, settings, timeout, deadline)
    done = []
    with console.status(_("Diagnosing {n} devices…").format(n=len(targets))) as status:
        def progress(report):
            done.append(report)
            status.update(_("Diagnosing {n} devices… {done}/{n} done").format(n=len(targets), done=len(done)))
        return dg.diagnose_all(targets, checks, settings, timeout, deadline, on_report=progress)


def _device_table(devices) -> str:
    return "\n".join(f"  {d.serial:<24} {d.state:<13} {d.model}" for d in devices)


def _emit(reports, code, verbose, json_out, problems, field_run=None) -> None:
    if json_out:
        from devdoctor.report.json_report import render

        text = render(reports, code, problems)
        if field_run is not None:  # a replayed support page: what changed since the field run
            import json
            from dataclasses import asdict

            from devdoctor import support

            doc = json.loads(text)
            doc["field_run"] = {"generated_at": field_run.generated_at,
                                "devdoctor_version": field_run.devdoctor_version,
                                "changes": [asdict(c) for c in support.changes(field_run, reports[0])]}
            text = json.dumps(doc, indent=2, ensure_ascii=False)
        typer.echo(text)
    else:
        from devdoctor.report import terminal

        console = _stdout()
        terminal.render(console, reports, verbose)
        if field_run is not None:
            from devdoctor import support

            terminal.render_changes(console, field_run, support.changes(field_run, reports[0]))
        for p in problems:
            _stderr().print(_("devdoctor: a check plugin could not be loaded: {source}: {message}").format(
                source=p.source, message=p.message), style="yellow", markup=False)
    raise typer.Exit(code)


@app.command("list", help=_("Show every check: id, title, and what it looks at on the device.\n\n"
                             "Example: devdoctor list --lang zh"))
def list_checks(
    json_out: bool = typer.Option(False, "--json", help=_("Machine-readable list.")),
    checks_dir: List[Path] = typer.Option([], "--checks-dir", help=_("Also load drop-in check files from this "
                                                                     "folder.")),
    lang: Optional[str] = Lang,
) -> None:
    import json

    from devdoctor.plugins import load

    catalog = load(checks_dir)
    checks = sorted(catalog.checks, key=lambda c: (c.order, c.id))
    if json_out:
        typer.echo(json.dumps({"checks": [{"id": c.id, "title": _(c.title), "description": _(c.description),
                                           "looks_at": c.looks_at, "requires": list(c.requires)} for c in checks],
                               "plugin_problems": [p.__dict__ for p in catalog.problems]}, indent=2,
                              ensure_ascii=False))
        raise typer.Exit(0)
    from rich.table import Table

    table = Table(box=None, pad_edge=False)
    for col in (_("id"), _("title"), _("looks at")):
        table.add_column(col, overflow="fold")
    for c in checks:
        table.add_row(c.id, f"{_(c.title)}\n{_(c.description)}", _(c.looks_at) if c.looks_at else "")
    _stdout().print(table)
    for p in catalog.problems:
        _stderr().print(_("devdoctor: a check plugin could not be loaded: {source}: {message}").format(
            source=p.source, message=p.message), style="yellow", markup=False)


@app.command(help=_("List attached devices: serial, state (device / unauthorized / offline), model, Android "
                    "version.\n\nExample: devdoctor devices --json"))
def devices(
    json_out: bool = typer.Option(False, "--json", help=_("Machine-readable list.")),
    adb_host: Optional[str] = AdbHost,
    adb_port: Optional[int] = AdbPort,
    adb_server: List[str] = AdbServerOption,
    lang: Optional[str] = Lang,
) -> None:
    import json
    from concurrent.futures import ThreadPoolExecutor

    from devdoctor.device import DeviceError

    server = _open_adb(adb_host, adb_port, json_out, (adb_server, _site_config(None, json_out)))
    try:
        attached = server.list()
    except DeviceError as e:
        _fail(str(e), e.exit_code, json_out, e.kind)

    def describe(a):
        row = {"serial": a.serial, "state": a.state, "model": a.model, "release": "", "sdk": None, "note": ""}
        if a.state == "unauthorized":
            row["note"] = _("accept the USB debugging prompt on the device's screen")
        elif a.state != "device":
            row["note"] = a.problem or _("reconnect the cable")
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
    code = 0 if rows else 3  # as in text: no device attached is exit 3
    if json_out:
        typer.echo(json.dumps({"devices": rows}, indent=2, ensure_ascii=False))
        raise typer.Exit(code)
    if not rows:
        _stderr().print(_("No device attached. Plug one in over USB with USB debugging on, "
                          "or try `devdoctor run --demo`."), markup=False)
        raise typer.Exit(3)
    from rich.table import Table

    table = Table(box=None, pad_edge=False)
    for col in (_("serial"), _("state"), _("model"), "Android", ""):  # a serial in full, however long
        table.add_column(col, min_width=max(len(r["serial"]) for r in rows) if col == _("serial") else None)
    for r in rows:
        android = _("{release} (SDK {sdk})").format(release=r["release"], sdk=r["sdk"]) if r["sdk"] else ""
        table.add_row(r["serial"], r["state"], r["model"], android, r["note"])
    _stdout().print(table)


@app.command(help=_("Run every check on a real device and save every command and answer into FILE, so that "
                    "`devdoctor run --replay FILE` reproduces the same report.\n\n"
                    "Example: devdoctor record panel-17.json -d \"door panel, lobby B, no ring\""))
def record(
    file: Path = typer.Argument(..., help=_("Where to write the recording (JSON)."), dir_okay=False),
    serial: Optional[str] = typer.Option(None, "--serial", "-s", help=_("Record the device with this serial.")),
    description: str = typer.Option("", "--description", "-d", help=_("One line saying what this device shows.")),
    timeout: Optional[float] = typer.Option(None, "--timeout", min=0.1, help=_(
        "Time limit for each check, in seconds (default: each check's own, 10 s for most).")),
    config: Optional[Path] = ConfigFile,
    lang: Optional[str] = Lang,
    adb_host: Optional[str] = AdbHost,
    adb_port: Optional[int] = AdbPort,
    adb_server: List[str] = AdbServerOption,
) -> None:
    from devdoctor import diagnose as dg
    from devdoctor.device import DeviceError
    from devdoctor.fixture import Recorder
    from devdoctor.plugins import load

    site = _site_config(config)
    checks = dg.select_checks(load(), [], [])
    server = _open_adb(adb_host, adb_port, False, (adb_server, site))
    try:
        attached = server.pick(serial)
        dev = server.open(attached)
    except DeviceError as e:
        _fail(str(e), e.exit_code)
    rec = Recorder(dev)
    report = dg.diagnose(dg.Target(rec, {"serial": attached.serial}, ""), checks, site.settings, timeout)
    fixture = _recording(dg.Target(rec), report)
    rec.identity = fixture.device
    try:
        rec.save(file, description)
    except OSError as e:
        _fail(_("cannot write {file}: {error}").format(file=file, error=e.strerror or e), 2)
    from devdoctor.report import terminal

    terminal.render(_stdout(), [report])
    _stderr().print(_("Recorded {n} commands to {file}. Replay with: devdoctor run --replay {file}").format(
        n=len(rec.entries), file=file), markup=False)
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
        sys.stderr.write(_("devdoctor: interrupted") + "\n")
        sys.exit(130)
    except Exception as e:  # a bug of ours: one line and its own exit code, never a verdict or a traceback
        if os.environ.get("DEVDOCTOR_DEBUG"):
            raise
        from devdoctor import exit_codes

        sys.stderr.write(_("devdoctor: internal error: {kind}: {error}. This is a bug in devdoctor, not a problem "
                           "of the device; run again with DEVDOCTOR_DEBUG=1 to see where, and report it.").format(
            kind=type(e).__name__, error=str(e)[:200]) + "\n")
        sys.exit(exit_codes.INTERNAL)


if __name__ == "__main__":
    main()
