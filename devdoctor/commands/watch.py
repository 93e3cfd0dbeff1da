"""`devdoctor watch`: one station, many devices: plug one in, read its report, plug in the next."""
from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from devdoctor.cli import app
from devdoctor.commands.common import fail, open_adb, recording, site_config, stdout
from devdoctor.commands.options import AdbHost, AdbPort, ConfigFile, Lang
from devdoctor.fleet.options import AdbServerOption, HistoryFile, NoHistory
from devdoctor.i18n import _


def _listen(value: Optional[str]) -> Optional[str]:
    from devdoctor.fleet.address import BadAddress, parse_listen

    if value is not None:
        try:
            parse_listen(value)
        except BadAddress as e:
            raise typer.BadParameter(str(e)) from None
    return value


@app.command(help=_("Wait for devices and diagnose each one as soon as it is plugged in and authorized; ring the "
                    "bell when one fails; wait for the next. Ctrl-C stops and lists the devices seen (exit 1 if "
                    "one of them failed).\n\n"
                    "Examples:\n\n"
                    "  devdoctor watch                          # a repair bench\n\n"
                    "  devdoctor watch --report-dir pages/      # and keep a support page per device\n\n"
                    "  devdoctor watch --count 1                # stop after the first device\n\n"
                    "  devdoctor watch --every 15 --metrics-listen 127.0.0.1:9464  # a gateway, for Prometheus"))
def watch(
    only: List[str] = typer.Option([], "--only", help=_("Run only this check (repeatable).")),
    skip: List[str] = typer.Option([], "--skip", help=_("Do not run this check (repeatable).")),
    verbose: bool = typer.Option(False, "--verbose", "-v", help=_("Show the evidence behind every verdict.")),
    count: Optional[int] = typer.Option(None, "--count", min=1, help=_("Stop after diagnosing this many devices.")),
    report_dir: Optional[Path] = typer.Option(None, "--report-dir", metavar="DIR", file_okay=False, help=_(
        "Write a support page (as with run --report) for every device diagnosed into DIR.")),
    no_redact: bool = typer.Option(False, "--no-redact", help=_("Do not mask serial numbers, IMEIs, MAC and IP "
                                                                "addresses and Wi-Fi names in the --report page.")),
    no_bell: bool = typer.Option(False, "--no-bell", help=_("Do not ring the terminal bell when a device fails.")),
    timeout: Optional[float] = typer.Option(None, "--timeout", min=0.1, help=_(
        "Time limit for each check, in seconds (default: each check's own, 10 s for most).")),
    checks_dir: List[Path] = typer.Option([], "--checks-dir", help=_("Also load drop-in check files (*.py) from "
                                                                     "this folder.")),
    config: Optional[Path] = ConfigFile,
    lang: Optional[str] = Lang,
    adb_host: Optional[str] = AdbHost,
    adb_port: Optional[int] = AdbPort,
    adb_server: List[str] = AdbServerOption,
    every: Optional[float] = typer.Option(None, "--every", metavar="MINUTES", min=0.01, help=_(
        "Also diagnose every attached device again this often (a gateway keeping its metrics fresh).")),
    metrics_listen: Optional[str] = typer.Option(None, "--metrics-listen", metavar="HOST:PORT", callback=_listen,
                                                 help=_("Serve the results on http://HOST:PORT/metrics for Prometheus "
                                                        "to scrape (a bare PORT: on 127.0.0.1 only).")),
    history_file: Optional[Path] = HistoryFile,
    no_history: bool = NoHistory,
) -> None:
    import re
    import sys
    from datetime import datetime
    from devdoctor import diagnose as dg
    from devdoctor.adb import AttachedDevice
    from devdoctor.device import DeviceError
    from devdoctor.record import Recorder
    from devdoctor.plugins import load
    from devdoctor.report import terminal
    from devdoctor.watch import Watcher

    catalog = load(checks_dir)
    site = site_config(config, catalog=catalog)
    try:
        checks = dg.select_checks(catalog, only, [*skip, *(c for c in site.skip if c in catalog.ids())])
    except dg.UsageError as e:
        fail(str(e), 2)
    if report_dir is not None:
        try:
            report_dir.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            fail(_("cannot write {file}: {error}").format(file=report_dir, error=e.strerror or e), 2)
    server = open_adb(adb_host, adb_port, False, (adb_server, site))
    out = stdout()
    from devdoctor.fleet.outputs import WatchKeeper, history_path, start_metrics

    try:
        metrics = start_metrics(metrics_listen) if metrics_listen else None
    except OSError as e:
        fail(_("cannot serve metrics on {where}: {error}").format(where=metrics_listen, error=e.strerror or e), 2)
    keeper = WatchKeeper(history_path(history_file, not no_history), metrics)

    def examine(serial: str):
        try:
            dev = server.open(AttachedDevice(serial, "device"))
        except DeviceError as e:
            return dg.unreachable_report(serial, e)
        target = dg.Target(Recorder(dev) if report_dir else dev, {"serial": serial}, "")
        report = dg.diagnose(target, checks, site.settings, timeout)
        if report_dir is not None:
            from devdoctor import support

            name = f"{datetime.now():%Y%m%d-%H%M%S}-{re.sub(r'[^0-9A-Za-z]', '', report.identity.model)[:20]}.html"
            support.write(report_dir / name, report, recording(target, report), dg.exit_code([report]),
                          redact=not no_redact)
            out.print(_("Support page: {file}").format(file=report_dir / name), markup=False)
        return report

    def diagnose(serial: str):
        report = examine(serial)
        keeper.kept(report, dg.exit_code([report]))  # the history and the served metrics
        return report

    def bell() -> None:
        if not no_bell:
            sys.stdout.write("\a")
            sys.stdout.flush()

    watcher = Watcher(diagnose, lambda r: terminal.render(out, [r], verbose),
                      lambda text: out.print(text, markup=False), bell)
    error = None
    try:
        servers = [str(a) for a in getattr(server, "addresses", [])]  # named with --adb-server
        watcher.run(keeper.follow(server.track(), servers), count, every * 60 if every else None)
    except KeyboardInterrupt:
        out.print()
    except DeviceError as e:
        error = e
    for line in watcher.summary():
        out.print(line, markup=False)
    if error is not None:
        fail(str(error), error.exit_code)
    raise typer.Exit(1 if watcher.any_failed else 0)
