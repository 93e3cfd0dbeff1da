"""wmpf-alive: WMPF's process runs, its WMPFService runs with the host app bound to it, the package is
not in the stopped state; recent crashes and deaths of WMPF processes are shown (FAQ 4.2, 4.5)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from devdoctor.check import Check, Context, evidence
from devdoctor.sources.device import CommandResult, CommandTimeout, NotAnswerable
from devdoctor.ui.i18n import _
from devdoctor.core.lazy import lazy
from devdoctor.readings import Read
from devdoctor.readings.catalog import PACKAGE, PIDS, PROCESSES, SERVICES
from devdoctor.result import CheckResult, Evidence, Remedy
from devdoctor.wmpf.shared import (WMPF_PACKAGE, HostApp, WMPF_PROCESS, WMPF_SERVICE, WMPF_SERVICE_CLASS, base_package,
                                   find_host_app, wmpf_services)

if TYPE_CHECKING:
    from devdoctor.parsers.ps import PsListing

if TYPE_CHECKING:  # a type checker follows the module; at run time it is imported on first use
    import devdoctor.parsers.ps as ps_parser
else:
    ps_parser = lazy("devdoctor.parsers.ps")

# The crash buffer and the activity manager's event log, bounded; WMPF's lines are picked out.
HISTORY_COMMAND = "logcat -d -b crash -b events -t 400"
_DEATH_TAGS = ("am_proc_died", "am_kill", "am_crash", "am_anr", "FATAL EXCEPTION", "Process: ")
_CRASH_TAGS = ("am_crash", "am_anr", "Process: ")
# WMPF or one of its :sub processes, not a host app named com.tencent.wmpf.demo...
_WMPF_PROC = re.compile(r"(?<![\w.])com\.tencent\.wmpf(?::[\w.]+)?(?![\w.])")


def _processes(ctx: Context) -> tuple[PsListing | None, list[int] | None, Read]:
    """WMPF's processes from ps; pidof (toybox, 6.0+) when ps gives no listing."""
    ps = ctx.read(PROCESSES)
    if ps.value.format is not None:
        return ps.value, None, ps
    sdk = ctx.facts.props().sdk
    if sdk is None or sdk >= 23:
        found = ctx.read(PIDS, WMPF_PROCESS)
        pids = found.value
        if pids.error is None and (found.ok or (found.result and found.result.exit_code == 1) or pids.pids):
            return None, pids.pids, found
    return None, None, ps


def _history(ctx: Context) -> tuple[list[str], bool, CommandResult | None]:
    """Lines about WMPF's deaths and crashes, most recent first, and whether one was a crash."""
    try:
        out = ctx.run(HISTORY_COMMAND)
    except (CommandTimeout, NotAnswerable):  # history is evidence only; its absence must not hide the verdict
        return [], False, None
    lines = [ln.rstrip() for ln in out.lines
             if _WMPF_PROC.search(ln) and any(tag in ln for tag in _DEATH_TAGS)]
    crashed = any(any(tag in ln for tag in _CRASH_TAGS) for ln in lines)
    return list(reversed(lines))[:10], crashed, out


def _host(ctx: Context) -> HostApp | None:
    """The host app, for the remedy and the binding; not finding it must not decide this check."""
    try:
        return find_host_app(ctx)
    except (CommandTimeout, NotAnswerable):
        return None


class WmpfAlive(Check):
    id = "wmpf-alive"
    title = "WMPF running"
    description = ("WMPF's process runs, its WMPFService runs and the host app is bound to it, and the package "
                   "is not stopped; recent WMPF crashes and deaths are shown.")
    looks_at = "ps / ps -A (pidof); dumpsys activity services com.tencent.wmpf; dumpsys package com.tencent.wmpf; " \
               "logcat -d -b crash -b events"
    requires = ("wmpf-installed",)
    order = 35
    # Sent by the runner before any check runs (ps once getprop tells which ps): read one after another
    # they made the longest chain of a run on a busy fleet. Its services and its history are its own:
    # one round trip for both.
    reads = ((PACKAGE, WMPF_PACKAGE), PROCESSES)
    cheap_reads = (SERVICES.command_for(None, WMPF_PACKAGE), HISTORY_COMMAND)

    def run(self, ctx: Context) -> CheckResult:
        running = _what_runs(ctx)
        if isinstance(running, CheckResult):
            return running
        main_pid, ev, details = running.pid, running.evidence, running.details
        host = _host(ctx)
        start = (f"adb shell monkey -p {host.package} -c android.intent.category.LAUNCHER 1" if host else
                 "adb shell monkey -p HOST_PACKAGE -c android.intent.category.LAUNCHER 1")
        if main_pid is None:
            why = (_("WMPF is not running and its package is in the stopped state (force-stopped or cleared): "
                     "it gets no broadcasts, not even BOOT_COMPLETED, until something starts it")
                   if running.stopped else _("WMPF (com.tencent.wmpf) is not running"))
            return CheckResult.fail(why, evidence=ev, details=details, remedy=Remedy(
                _("Start the maker's app (it wakes WMPF), then check WMPF's autostart / background rights "
                  "(the autostart check). The host app should watch for WMPF's death "
                  "(IPCInvoker.addRemoteProcDiedListener) and start it again."), commands=[start], faq="4.5"))
        return _binding(ctx, running, host, start)


@dataclass
class Running:
    """What runs of WMPF: its main pid (None: not running), its other processes, whether the package is
    stopped, recent crashes, with the evidence and details gathered so far."""

    pid: int | None
    stopped: bool | None
    crashed: bool
    evidence: list[Evidence]
    details: dict = field(default_factory=dict)


def _what_runs(ctx: Context) -> Running | CheckResult:
    listing, pids, ps_out = _processes(ctx)
    if listing is None and pids is None:
        return CheckResult.unknown(_("could not list processes: `{command}` answered \"{answer}\"").format(
            command=ps_out.source, answer=([ln for ln in ps_out.lines if ln.strip()] or ["nothing"])[0][:100]),
            evidence=[ps_out.evidence()])
    if listing is not None:
        procs = listing.with_prefix(WMPF_PROCESS)
        main = [p for p in procs if p.name == WMPF_PROCESS]
        ps_ev = ps_out.evidence([p.line for p in procs] or [listing.header and " ".join(listing.header) or ""],
                                "" if procs else _("no com.tencent.wmpf process in the listing"))
        main_pid = main[0].pid if main else None
        others = [p.name for p in procs if p.name != WMPF_PROCESS]
    else:
        main_pid = pids[0] if pids else None
        others = []
        ps_ev = ps_out.evidence(ps_out.lines[:3], "" if pids else _("pidof found no process"))
    package = ctx.read(PACKAGE, WMPF_PACKAGE)
    rec = package.value.find(WMPF_PACKAGE)
    stopped = rec.stopped if rec else None
    ev = [ps_ev]
    if rec is not None:
        ev.append(package.evidence([ln.strip() for ln in rec.lines if ln.strip().startswith("User 0:")]))
    history, crashed, hist_out = _history(ctx)
    if history and hist_out is not None:
        ev.append(evidence(hist_out, history, _("recent deaths and crashes of WMPF processes, newest first")))
    details = {"pid": main_pid, "other_processes": others, "stopped": stopped, "recent_events": len(history)}
    return Running(main_pid, stopped, crashed, ev, details)


def _binding(ctx: Context, running: Running, host: HostApp | None, start: str) -> CheckResult:
    """WMPF runs: is its WMPFService up, with the host app bound to it, and has it crashed lately?"""
    main_pid, ev, details = running.pid, running.evidence, running.details
    others = details["other_processes"]
    svc_read = wmpf_services(ctx)
    services = svc_read.value
    if services.error:
        return CheckResult.unknown(_("WMPF runs (pid {pid}), but its services could not be read: {error}")
                                   .format(pid=main_pid, error=services.error),
                                   evidence=ev + [svc_read.evidence()], details=details)
    wmpf_service = [s for s in services.find(WMPF_SERVICE_CLASS) if s.running]
    clients = services.app_clients(WMPF_SERVICE_CLASS, exclude=(WMPF_PACKAGE,))
    details["bound"] = sorted({base_package(c.process) for c in clients})
    svc_lines = [ln for s in services.find(WMPF_SERVICE_CLASS) for ln in s.lines
                 if ln.startswith(("* ServiceRecord", "app=", "* Client"))]
    ev.append(svc_read.evidence(svc_lines or [_("(no {s} record)").format(s=WMPF_SERVICE)]))
    if not wmpf_service or not clients:
        what = (_("its WMPFService is not running") if not wmpf_service
                else _("no app is bound to its WMPFService"))
        return CheckResult.warn(_("WMPF runs (pid {pid}), but {what}: the host app is not connected to it")
                                .format(pid=main_pid, what=what), evidence=ev, details=details,
                                remedy=Remedy(_("Start the maker's app so that it calls WMPF (WMPFBoot.init, "
                                                "activateDevice); if it was running, restart it."),
                                              commands=[start], faq="4.5"))
    if host is not None and host.package not in details["bound"]:
        return CheckResult.warn(_("WMPF runs (pid {pid}), but the host app {host} is not bound to it "
                                  "(bound: {bound})").format(pid=main_pid, host=host.package,
                                                             bound=", ".join(details["bound"])),
                                evidence=ev, details=details,
                                remedy=Remedy(_("Restart the host app so that it binds to WMPF."),
                                              commands=[start], faq="4.5"))
    if running.crashed:
        return CheckResult.warn(_("WMPF runs (pid {pid}) and {bound} is bound to it, but it crashed recently")
                                .format(pid=main_pid, bound=", ".join(details["bound"])),
                                evidence=ev, details=details,
                                remedy=Remedy(_("Look at the crash lines above; the host app should re-activate "
                                                "and re-register push callbacks after WMPF restarts. Update WMPF "
                                                "if it keeps crashing."), faq="4.2"))
    return CheckResult.passed(_("WMPF runs (pid {pid}{more}) and {bound} is bound to its WMPFService").format(
        pid=main_pid, more=_(", with {n} more process(es)").format(n=len(others)) if others else "",
        bound=", ".join(details["bound"])), evidence=ev, details=details)
