"""`devdoctor watch`: one station, many devices: plug one in, read its report, plug in the next."""
from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from devdoctor.cli import app
from devdoctor.commands.common import fail, open_adb, recording, site_config, stdout
from devdoctor.commands.options import (AdbHost, AdbPort, ChecksDir, ConfigFile, Lang, NoRedact, Only, Skip, Timeout,
                                        Verbose)
from devdoctor.fleet.options import AdbServerOption, HistoryFile, NoHistory
from devdoctor.ui.i18n import _


def _listen(value: Optional[str]) -> Optional[str]:
    from devdoctor.fleet.address import BadAddress, parse_listen

    if value is not None:
        try:
            parse_listen(value)
        except BadAddress as e:
            raise typer.BadParameter(str(e)) from None
    return value


Count = typer.Option(None, "--count", min=1, help=_("Stop after diagnosing this many devices."))
ReportDir = typer.Option(None, "--report-dir", metavar="DIR", file_okay=False, help=_(
    "Write a support page (as with run --report) for every device diagnosed into DIR."))
NoBell = typer.Option(False, "--no-bell", help=_("Do not ring the terminal bell when a device fails."))
Every = typer.Option(None, "--every", metavar="MINUTES", min=0.01, help=_(
    "Also diagnose every attached device again this often (a gateway keeping its metrics fresh)."))
MetricsListen = typer.Option(None, "--metrics-listen", metavar="HOST:PORT", callback=_listen, help=_(
    "Serve the results on http://HOST:PORT/metrics for Prometheus to scrape (a bare PORT: on 127.0.0.1 only)."))


@app.command(help=_("Wait for devices and diagnose each one as soon as it is plugged in and authorized; ring the "
                    "bell when one fails; wait for the next. Ctrl-C stops and lists the devices seen (exit 1 if "
                    "one of them failed, 4 if one could not be diagnosed to the end).\n\n"
                    "Examples:\n\n"
                    "  devdoctor watch                          # a repair bench\n\n"
                    "  devdoctor watch --report-dir pages/      # and keep a support page per device\n\n"
                    "  devdoctor watch --count 1                # stop after the first device\n\n"
                    "  devdoctor watch --every 15 --metrics-listen 127.0.0.1:9464  # a gateway, for Prometheus"))
def watch(only: List[str] = Only, skip: List[str] = Skip, verbose: bool = Verbose, count: Optional[int] = Count,
          report_dir: Optional[Path] = ReportDir, no_redact: bool = NoRedact, no_bell: bool = NoBell,
          timeout: Optional[float] = Timeout, checks_dir: List[Path] = ChecksDir, config: Optional[Path] = ConfigFile,
          lang: Optional[str] = Lang, adb_host: Optional[str] = AdbHost, adb_port: Optional[int] = AdbPort,
          adb_server: List[str] = AdbServerOption, every: Optional[float] = Every,
          metrics_listen: Optional[str] = MetricsListen, history_file: Optional[Path] = HistoryFile,
          no_history: bool = NoHistory) -> None:
    from devdoctor.core import diagnose as dg
    from devdoctor.sources.device import DeviceError
    from devdoctor.core.plugins import load
    from devdoctor.report import terminal
    from devdoctor.core.watch import Watcher

    catalog = load(checks_dir)
    site = site_config(config, catalog=catalog)
    try:
        checks = dg.chosen_checks(catalog, only, skip, site.skip)  # the rule `run` follows: --only wins over the file
    except dg.UsageError as e:
        fail(str(e), 2)
    keeper = _keeper(metrics_listen, history_file, no_history, site.history_keep_days)
    station = Station(open_adb(adb_host, adb_port, False, (adb_server, site)), checks, site.settings, timeout,
                      report_dir, not no_redact, no_bell, keeper)
    out = station.out
    watcher = Watcher(station.diagnose, lambda r: terminal.render(out, [r], verbose),
                      lambda text: out.print(text, markup=False), station.bell)
    error = None
    try:
        servers = [str(a) for a in getattr(station.server, "addresses", [])]  # named with --adb-server
        watcher.run(station.keeper.follow(station.server.track(), servers), count, every * 60 if every else None)
    except KeyboardInterrupt:
        out.print()
    except DeviceError as e:
        error = e
    for line in watcher.summary():
        out.print(line, markup=False)
    if error is not None:
        fail(str(error), error.exit_code)
    raise typer.Exit(watcher.exit_code(plugins_missing=bool(catalog.problems) and not only))


def _keeper(metrics_listen: Optional[str], history_file: Optional[Path], no_history: bool, keep_days: int):
    from devdoctor.fleet.outputs import WatchKeeper, history_path, start_metrics

    try:
        metrics = start_metrics(metrics_listen) if metrics_listen else None
    except OSError as e:
        fail(_("cannot serve metrics on {where}: {error}").format(where=metrics_listen, error=e.strerror or e), 2)
    return WatchKeeper(history_path(history_file, not no_history), metrics, keep_days)


class Station:
    """A bench that diagnoses whatever is plugged in: each device once, with its support page, history and
    metrics."""

    def __init__(self, server, checks, settings, timeout, report_dir: Optional[Path], redact: bool, quiet: bool,
                 keeper):
        if report_dir is not None:
            try:
                report_dir.mkdir(parents=True, exist_ok=True)
            except OSError as e:
                fail(_("cannot write {file}: {error}").format(file=report_dir, error=e.strerror or e), 2)
        self.server, self.checks, self.settings, self.timeout = server, checks, settings, timeout
        self.report_dir, self.redact, self.quiet, self.keeper = report_dir, redact, quiet, keeper
        self.out = stdout()

    def diagnose(self, serial: str):
        from devdoctor.core import diagnose as dg

        report = self._examine(serial)
        self.keeper.kept(report, dg.exit_code([report]))  # the history and the served metrics
        return report

    def _examine(self, serial: str):
        from devdoctor.core import diagnose as dg
        from devdoctor.sources.adb import AttachedDevice
        from devdoctor.sources.device import DeviceError
        from devdoctor.sources.record import Recorder

        try:
            dev = self.server.open(AttachedDevice(serial, "device"))
        except DeviceError as e:
            return dg.unreachable_report(serial, e)
        target = dg.Target(Recorder(dev) if self.report_dir else dev, {"serial": serial}, "")
        report = dg.diagnose(target, self.checks, self.settings, self.timeout)
        if self.report_dir is not None:
            self._page(target, report)
        return report

    def _page(self, target, report) -> None:
        import re
        from datetime import datetime

        from devdoctor.core import diagnose as dg
        from devdoctor.report import support

        name = f"{datetime.now():%Y%m%d-%H%M%S}-{re.sub(r'[^0-9A-Za-z]', '', report.identity.model)[:20]}.html"
        support.write(self.report_dir / name, report, recording(target, report), dg.exit_code([report]),
                      redact=self.redact)
        self.out.print(_("Support page: {file}").format(file=self.report_dir / name), markup=False)

    def bell(self) -> None:
        import sys

        if not self.quiet:
            sys.stdout.write("\a")
            sys.stdout.flush()
