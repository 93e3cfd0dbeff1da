"""`devdoctor fix`: safe repairs, each shown as exact commands first, confirmed, run, and checked.

Exit codes: 0 fixed and verified (also: nothing to do, a dry run, a list, or done and verified as far
as it can be before the technician's next step, such as activating WMPF again) · 1 applied but the problem
remains, or the device refused a change · 2 bad usage · 3 no device, or the device was lost during the
fix (the report says what was and was not done) · 4 not run: not confirmed (no terminal and no --yes,
or the technician answered no).
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from devdoctor.cli import app
from devdoctor.commands.common import fail as _fail, open_adb as _open_adb, replay_path as _replay_path, stderr as _stderr, stdout as _stdout  # noqa: E501
from devdoctor.commands.options import AdbHost, AdbPort, Lang
from devdoctor.ui.i18n import N_, _

FIX_HELP = N_("Exit codes: 0 fixed (or done as far as can be verified now, nothing to do, dry run) · 1 applied "
           "but the problem remains, or the device refused · 2 bad usage · 3 no device / device lost during the fix · 4 not confirmed (no terminal "
           "and no --yes, or answered no).")


FIX_DOC = N_("""Repair what is safe to repair. With no option: list the fixes.

Each fix first shows its plan (every adb command, and what is lost), asks before it changes anything
(or needs --yes), touches only its own target package, shows each step as it runs, then reads the
result back and re-runs the checks whose findings it repairs, before and after side by side.

Examples:

  devdoctor fix                          # which fixes there are

  devdoctor fix --clear-cache --dry-run  # the plan, nothing changed

  devdoctor fix --clear-cache            # asks, saves WMPF's logs, clears, verifies

  devdoctor fix --history                # what was done before
""")


@app.command(help=_(FIX_DOC), epilog=_(FIX_HELP))
def fix(
    clear_cache: bool = typer.Option(False, "--clear-cache", help=_("Clear WMPF's data (pm clear com.tencent.wmpf) so "
                                        "it activates afresh: wrong SN first activated, DEVICE_CHANGED (FAQ 4.11). "
                                        "WMPF's logs are saved first.")),
    start_wmpf: bool = typer.Option(False, "--start-wmpf", help=_("Start WMPF when it is installed but not running.")),
    allow_background: bool = typer.Option(False, "--allow-background", help=_("Allow WMPF to run in the background "
                                             "(app-ops, doze whitelist, MIUI autostart op) and read it back.")),
    open_autostart: bool = typer.Option(False, "--open-autostart", help=_("Open the ROM's autostart settings screen "
                                           "on the device, to allow WMPF by hand.")),
    disable_payment_apps: bool = typer.Option(False, "--disable-payment-apps", help=_("Disable the installed face-pay "
                                                 "apps (this can stop a shop's payments; reversible).")),
    yes: bool = typer.Option(False, "--yes", "-y", help=_("Run without asking (needed when there is no terminal).")),
    dry_run: bool = typer.Option(False, "--dry-run", help=_("Show the plan (the exact commands) and change nothing.")),
    no_backup: bool = typer.Option(False, "--no-backup", help=_("--clear-cache: do not save WMPF's logs first.")),
    backup_dir: Path = typer.Option(Path("devdoctor-backups"), "--backup-dir", file_okay=False,
                                    help=_("Where saved logs go (a folder per device and time is made inside).")),
    history: bool = typer.Option(False, "--history", help=_("Show the journal of fixes run from this computer.")),
    serial: Optional[str] = typer.Option(None, "--serial", "-s", help=_("The device to repair.")),
    replay: Optional[str] = typer.Option(None, "--replay", metavar="FILE", help=_("Run on a recorded session instead of "
                                            "a device (to rehearse or test).")),
    adb_host: Optional[str] = AdbHost,
    adb_port: Optional[int] = AdbPort,
    lang: Optional[str] = Lang,
) -> None:
    from devdoctor.fixes import by_id

    chosen = [fid for fid, on in (("clear-cache", clear_cache), ("start-wmpf", start_wmpf),
                                  ("allow-background", allow_background), ("open-autostart", open_autostart),
                                  ("disable-payment-apps", disable_payment_apps)) if on]
    if history:
        if chosen:
            _fail(_("--history shows the journal; give it alone (with --serial to pick a device)"), 2)
        _show_history(serial)
        raise typer.Exit(0)
    if not chosen:
        _list_fixes()
        if serial or replay:  # a device named: which of them its problems call for
            device, _model = _open(serial, replay, adb_host, adb_port)
            _offered(device)
        raise typer.Exit(0)
    if len(chosen) > 1:
        _fail(_("one fix at a time: {fixes}").format(fixes=", ".join("--" + c for c in chosen)), 2)
    if no_backup and chosen[0] != "clear-cache":
        _fail(_("--no-backup only applies to --clear-cache"), 2)
    the_fix = by_id(chosen[0])
    device, model = _open(serial, replay, adb_host, adb_port)
    _run(the_fix, device, model, yes, dry_run, not no_backup, backup_dir)


def _open(serial, replay, adb_host, adb_port):
    from devdoctor.sources.device import DeviceError

    if replay is not None:
        if serial:
            _fail(_("--replay reads a recording: --serial does not apply"), 2)
        from devdoctor.sources.fixture import FixtureError
        from devdoctor.sources.replay import Replayer

        try:
            r = Replayer.from_file(_replay_path(replay, False))
        except FixtureError as e:
            _fail(str(e), 2)
        return r, str(r.fixture.device.get("model") or "")
    server = _open_adb(adb_host, adb_port, False)
    try:
        attached = server.pick(serial)
        device = server.open(attached)
    except DeviceError as e:
        _fail(str(e), e.exit_code)
    return device, _model(device, attached.model)


def _model(device, listed: str) -> str:
    """The model as the device names it (ro.product.model); adb's list turns its spaces and dashes into _."""
    from devdoctor.sources.device import DeviceError

    try:
        return device.shell("getprop ro.product.model", 5.0).stdout.strip() or listed
    except DeviceError:
        return listed


def _run(the_fix, device, model, yes, dry_run, backup, backup_dir) -> None:
    from devdoctor.sources.device import DeviceError
    from devdoctor.fixes import journal, view
    from devdoctor.fixes.base import PlanError, TargetViolation
    from devdoctor.fixes.session import (EXIT_DEVICE, EXIT_FIXED, EXIT_NOT_CONFIRMED, EXIT_NOT_FIXED, EXIT_USAGE,
                                         Session, checks_for)
    from devdoctor.core.plugins import load

    out, err = _stdout(), _stderr()
    progress = view.LiveProgress(out)
    session = Session(device, the_fix, dry_run=dry_run, backup_root=backup_dir, backup=backup, progress=progress)
    try:
        with _spinner(out, _("reading {serial}: what {fix} needs to know").format(serial=session.serial,
                                                                                 fix=the_fix.option)):
            plan = session.prepare()
    except DeviceError as e:
        _fail(_("could not prepare {fix} on {serial}: {error}").format(
            fix=the_fix.option, serial=session.serial, error=e), EXIT_DEVICE)
    except TargetViolation as e:
        _fail(str(e), EXIT_USAGE)
    except PlanError as e:
        _fail(_("{fix} cannot be planned on {serial}, nothing was changed: {error}").format(
            fix=the_fix.option, serial=session.serial, error=e), EXIT_NOT_FIXED)
    view.print_plan(out, the_fix, session, plan, model)
    if plan.nothing_to_do:
        view.say(out, _("Nothing to do: {why}").format(why=plan.nothing_to_do))
        raise typer.Exit(EXIT_FIXED)
    if dry_run:
        view.say(out, _("Dry run: nothing was sent that changes the device."))
        raise typer.Exit(EXIT_FIXED)
    if not yes:
        if not sys.stdin.isatty():
            _fail(_("not run: {fix} changes the device and there is no terminal to confirm on. "
                    "Add --yes to run it (or --dry-run to only see the plan).").format(fix=the_fix.option),
                  EXIT_NOT_CONFIRMED)
        if not view.ask(out, _("Run these commands on {serial}?").format(serial=session.serial)):
            err.print(_("Not run: nothing was changed."), markup=False)
            raise typer.Exit(EXIT_NOT_CONFIRMED)
    view.say(out, "")
    view.say(out, _("Running:"))
    outcome = session.execute(plan, checks_for(the_fix, load().checks))
    try:
        where = journal.append(outcome, model)
    except OSError as e:
        where = None
        err.print(_("devdoctor: could not write the fix journal: {error}").format(error=e), style="yellow",
                  markup=False)
    view.print_outcome(out, outcome, plan)
    if where:
        err.print(_("Journal: {path}").format(path=where), markup=False)
    raise typer.Exit(outcome.exit_code)


def _spinner(console, what: str):
    """A spinner while the device is read, on a terminal only (a pipe gets no line for it)."""
    from contextlib import nullcontext

    return console.status(what + " …") if console.is_terminal else nullcontext()


def _list_fixes() -> None:
    from devdoctor.fixes import all_fixes, view

    view.list_fixes(_stdout(), all_fixes())


def _offered(device) -> None:
    """Run the checks; list the fixes that the failing ones name in their remedy (Remedy.fix)."""
    from devdoctor.core import diagnose as dg
    from devdoctor.check import Settings
    from devdoctor.fixes import by_id
    from devdoctor.core.plugins import load

    report = dg.diagnose(dg.Target(device, {"serial": device.serial}), dg.select_checks(load(), [], []),
                         Settings(), timeout=10.0)
    console = _stdout()
    if report.error:
        _fail(_("could not diagnose {serial}: {error}").format(serial=device.serial, error=report.error), 3)
    offers = [(r, by_id(r.remedy.fix)) for r in report.results if r.remedy and r.remedy.fix]
    offers = [(r, f) for r, f in offers if f is not None]
    if not offers:
        console.print("\n" + _("On {serial}: no check calls for one of these fixes.").format(serial=device.serial),
                      markup=False)
        return
    console.print("\n" + _("On {serial}:").format(serial=device.serial), markup=False)
    for r, f in offers:
        console.print(_("  devdoctor fix {option}   repairs {id}: {summary}").format(option=f.option, id=r.id,
                                                                                  summary=r.summary), markup=False)


def _show_history(serial) -> None:
    from devdoctor.fixes import journal, view

    h = journal.read(serial=serial)
    view.print_history(_stdout(), h.entries, journal.journal_path(), serial)
    if h.damaged:
        _stderr().print(_("devdoctor: {n} line(s) of {journal} are not journal entries and were skipped").format(
            n=h.damaged, journal=journal.journal_path()), style="yellow", markup=False)
