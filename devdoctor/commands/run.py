"""`devdoctor run`: the arguments become a RunRequest; its targets are resolved (devdoctor.core.targets) and
diagnosed; the report goes to the renderer asked for, and beside it to the history, the metrics file and
the support page."""
from __future__ import annotations

import gc
from pathlib import Path
from typing import TYPE_CHECKING, List, Optional

import typer

from devdoctor.cli import app
from devdoctor.commands.common import DEMO_DEFAULT, fail, replay_path, site_config, stderr, warn
from devdoctor.commands.options import (AdbHost, AdbPort, ChecksDir, ConfigFile, Lang, NoRedact, Only, Serial, Skip,
                                        Timeout, Verbose)
from devdoctor.fleet.options import AdbServerOption, HistoryFile, MetricsFile, NoHistory
from devdoctor.core.lazy import lazy
from devdoctor.ui.i18n import _

if TYPE_CHECKING:
    from devdoctor.core.run_request import RunRequest

AllDevices = typer.Option(False, "--all", help=_("Diagnose every attached device, one report each."))
Replay = typer.Option(None, "--replay", metavar="FILE", help=_(
    "Run the checks on a recorded session (no adb needed): a file (a recording or a --report page), or the name "
    "of a bundled recording (see --demo)."))
Bugreport = typer.Option(None, "--bugreport", metavar="FILE", help=_(
    "Run the checks on a bugreport (the .zip of `adb bugreport`, or its text): no device needed; what it does not "
    "hold stays unknown."))
Demo = typer.Option(False, "--demo", help=_("Run on a bundled recording ({name}), no device needed; `--replay NAME` "
                                            "picks another bundled one.").format(name=DEMO_DEFAULT))
JsonReport = typer.Option(False, "--json", help=_("Write a machine-readable report (devdoctor-report/1) on stdout, "
                                                  "and nothing else there."))
SupportPage = typer.Option(None, "--report", metavar="PATH", dir_okay=False, help=_(
    "Also write a page for support (HTML, opens in any browser, the recording inside it) to PATH."))
Deadline = typer.Option(None, "--deadline", min=0.1, help=_("Time limit for the whole run, in seconds."))
HostPackage = typer.Option(None, "--host-package", help=_(
    "The maker's app that embeds wmpf-cli, when devdoctor cannot find it by itself (e.g. com.example.doorbell)."))
NoCache = typer.Option(False, "--no-cache", help=_("Read the maker's app again even if an earlier run on this device "
                                                   "already fingerprinted its wmpf-cli."))
NetworkHost = typer.Option([], "--network-host", metavar="HOST", help=_(
    "A host the network check probes from the device (repeatable; default: api.weixin.qq.com, open.weixin.qq.com, "
    "dldir1.qq.com)."))

# The history's module (and sqlite3) is loaded while a live device answers, not after its last answer.
lazy("devdoctor.fleet.history")

HELP = _("""Diagnose a device: one line per check, remedies under problems.

Examples:

  devdoctor run                      # the one device plugged in

  devdoctor run --serial 1234ABCD -v # one of several, with evidence

  devdoctor run --all --json         # every device, machine-readable

  devdoctor run --replay field.json  # a recording, at a desk

  devdoctor run --bugreport bugreport-2024-05-01.zip  # a customer's bugreport

  devdoctor run --report panel.html  # a page to send to support
""")


@app.command(help=HELP)
def run(serial: Optional[str] = Serial, all_devices: bool = AllDevices, replay: Optional[str] = Replay,
        bugreport: Optional[Path] = Bugreport, demo: bool = Demo, only: List[str] = Only, skip: List[str] = Skip,
        verbose: bool = Verbose, json_out: bool = JsonReport, report: Optional[Path] = SupportPage,
        no_redact: bool = NoRedact, timeout: Optional[float] = Timeout, deadline: Optional[float] = Deadline,
        checks_dir: List[Path] = ChecksDir, host_package: Optional[str] = HostPackage, no_cache: bool = NoCache,
        network_host: List[str] = NetworkHost, config: Optional[Path] = ConfigFile, lang: Optional[str] = Lang,
        adb_host: Optional[str] = AdbHost, adb_port: Optional[int] = AdbPort,
        adb_server: List[str] = AdbServerOption, metrics: Optional[Path] = MetricsFile,
        history: Optional[Path] = HistoryFile, no_history: bool = NoHistory) -> None:
    if demo and replay:
        fail(_("--demo replays a bundled recording; give --replay or --demo, not both"), 2, json_out)
    from devdoctor.core.run_request import RunRequest  # here, not at start-up: `--help` needs none of it

    request = RunRequest(
        serial, all_devices, replay_path(DEMO_DEFAULT if demo else replay, json_out), bugreport, list(only),
        list(skip), timeout, deadline, host_package, list(network_host), no_cache, adb_host, adb_port,
        list(adb_server), "json" if json_out else "terminal", verbose, report, not no_redact, metrics, history,
        not no_history)
    raise typer.Exit(execute(request, checks_dir, config))


def execute(request: "RunRequest", checks_dir: list[Path], config: Path | None) -> int:
    """Diagnose what `request` names and show the report; the exit code (devdoctor.core.exit_codes)."""
    from devdoctor.core import diagnose as dg
    from devdoctor.core import early_run, exit_codes
    from devdoctor.core.plugins import load
    from devdoctor.report import renderer
    from devdoctor.report.model import Report

    problem = request.problem()
    if problem:
        fail(problem, 2, request.json)
    early = early_run.take(request, checks_dir, config)  # this very run, begun before the command line was built
    catalog = early.catalog if early else load(checks_dir)
    gc.freeze()  # the modules and checks loaded so far live as long as the run: never traversed again by the collector
    site = site_config(config, request.json, catalog)
    checks = _checks(catalog, site, request)
    settings = _settings(site, request)
    devices, found = diagnosed(request, site, checks, settings, early)
    code = exit_codes.with_plugins(dg.exit_code(devices), bool(catalog.problems) and not request.only)
    report = Report(devices, code, catalog.problems, found.field_run)
    if found.field_run is not None:
        from devdoctor.report import support

        report.changes = support.changes(found.field_run, devices[0])
    _leave_behind(request, report, found, site.history_keep_days)
    renderer(request.output)(report, request.verbose)
    return code


def _checks(catalog, site, request: "RunRequest") -> list:
    from devdoctor.core import diagnose as dg

    known = set(catalog.ids())
    for cid in site.skip:
        if cid not in known:
            warn(_("devdoctor: {file}: skip names no known check {id!r}; ignored").format(file=site.path, id=cid))
    try:
        return dg.chosen_checks(catalog, request.only, request.skip, site.skip)
    except dg.UsageError as e:
        fail(str(e), 2, request.json)


def _settings(site, request: RunRequest):
    settings = site.settings
    if request.host_package:
        settings.host_package = request.host_package
    if request.network_hosts:
        settings.network_hosts = list(request.network_hosts)
    # Fingerprints are cached for live devices only: a replay must answer from its recording.
    settings.fingerprint_cache = not request.no_cache and request.live
    return settings


def diagnosed(request: RunRequest, site, checks, settings, early=None):
    """(the device reports in the order the devices were found, the resolved targets). `early`: the targets
    found and their reads sent before the command line was built (devdoctor.core.early_run)."""
    from devdoctor.report.progress import diagnose_all
    from devdoctor.core.targets import TargetError, resolve

    try:
        found = early.found if early else resolve(request, site)
    except TargetError as e:
        fail(str(e), e.code, request.json, e.kind)
    by_serial = {r.identity.serial: r for r in found.unreachable}
    reports = diagnose_all(found.targets, checks, settings, request.timeout, request.deadline,
                           early.facts if early else None)
    if not found.order:  # a bugreport or a recording: one device
        return reports, found
    by_serial.update((r.identity.serial, r) for r in reports)
    return [by_serial[s] for s in found.order if s in by_serial], found


def _leave_behind(request: RunRequest, report, found, keep_days: int) -> None:
    """The history and the metrics file (live runs), and the support page (--report)."""
    from devdoctor.fleet.outputs import history_path, keep_run

    problem = keep_run(report.devices, report.exit_code, request.metrics,
                       history_path(request.history, request.keep_history and request.live),
                       len(report.plugin_problems), keep_days)
    if problem:
        fail(problem, 2, request.json)
    if request.support_page is not None:
        _write_page(request, report, found)


def _write_page(request: RunRequest, report, found) -> None:
    from devdoctor.report import support
    from devdoctor.commands.common import recording

    target = found.targets[0]
    fixture = recording(target, report.devices[0]) if found.recording else target.device.fixture
    try:
        support.write(request.support_page, report.devices[0], fixture, report.exit_code, redact=request.redact)
    except OSError as e:
        fail(_("cannot write {file}: {error}").format(file=request.support_page, error=e.strerror or e), 2,
             request.json)
    stderr().print(_("Wrote the support page {file} ({masked}). Open it in a browser, or replay it: "
                     "devdoctor run --replay {file}").format(
        file=request.support_page, masked=_("serials, IMEIs, MAC/IP addresses and Wi-Fi names masked")
        if request.redact else _("nothing masked")), markup=False)
