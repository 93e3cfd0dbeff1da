"""Runs checks against one device: all at once, each within its time limit, prerequisites first.

A check that raises, runs out of time or meets a device error becomes `unknown` with the reason;
one broken check never stops the others. Results come back in the order the checks were given.
"""
from __future__ import annotations

import threading
import time
from typing import Any, Callable

from devdoctor.core import lazy, next_steps
from devdoctor.check import Check, Context, Settings
from devdoctor.sources.device import CommandTimeout, Device, DeviceError, DeviceGone, NotAnswerable
from devdoctor.core.facts import Facts
from devdoctor.ui.i18n import _
from devdoctor.report.model import DeviceReport, Identity
from devdoctor.result import CheckResult, Evidence, Status

DEFAULT_CHECK_TIMEOUT = 10.0
SATISFIED = (Status.PASS, Status.WARN)
# What ends a check unknown that is devdoctor's doing, not a verdict about the device: its own time limits,
# a device lost mid-run, a check that crashed, a recording without the answer (devdoctor.core.exit_codes:
# such a run is not complete).
STOPPED = ("limit", "deadline", "disconnected", "crashed", "not_recorded")


def identify(device: Device, facts: Facts, header: dict[str, Any] | None = None) -> Identity:
    """Who the device is, from its properties (falling back on a fixture's header)."""
    header = header or {}
    ident = Identity(serial=str(header.get("serial") or device.serial), source=device.kind)
    try:
        p = facts.props()
    except DeviceGone:
        raise
    except DeviceError:
        p = None
    sdk = header.get("sdk")
    ident.model = (p.model if p else "") or str(header.get("model", ""))
    ident.manufacturer = (p.manufacturer if p else "") or str(header.get("manufacturer", ""))
    ident.brand = p.brand if p else ""
    ident.release = (p.release if p else "") or str(header.get("release", ""))
    ident.sdk = (p.sdk if p else None) or (int(sdk) if isinstance(sdk, int) else None)
    ident.fingerprint = (p.get("ro.build.fingerprint") if p else "") or str(header.get("fingerprint", ""))
    ident.brand = ident.brand or str(header.get("brand", ""))
    ident.captured_at = str(header.get("captured_at", ""))
    ident.build = str(header.get("build", ""))
    ident.notes = [str(n) for n in header.get("notes", [])]
    return ident


class _Slot:
    def __init__(self, check: Check, changed: threading.Event):
        self.check = check
        self.started: float | None = None
        self.result: CheckResult | None = None
        self.cause = "check"  # what stopped it, when it ends unknown: for devdoctor.core.next_steps
        self.done = threading.Event()
        self._changed = changed  # wakes the runner's loop at once
        self._lock = threading.Lock()

    def finish(self, result: CheckResult, cause: str = "check") -> None:
        with self._lock:  # the first outcome wins: a late result after a timeout is dropped
            if self.result is None:
                self.result, self.cause = result, cause
                self.done.set()
                self._changed.set()


def _reason(e: Exception) -> str:
    if isinstance(e, NotAnswerable):
        return str(e)
    if isinstance(e, CommandTimeout):
        return _("no answer in time: {error}").format(error=e)
    if isinstance(e, DeviceGone):  # said once for the device, not under every check
        return _("not checked: the device was lost")
    if isinstance(e, DeviceError):
        return str(e)
    return _("the check crashed: {kind}: {error}").format(kind=type(e).__name__, error=e)


def start_reads(facts: Facts, checks: list[Check]) -> None:
    """Send every fixed read of `checks` (Check.reads, Check.cheap_reads, Check.slow_reads) without waiting
    for any answer; asking again later sends nothing twice. getprop goes alone and first: nearly every
    check waits for it, so it never waits behind a batch; then the slow reads, each alone; then each
    check's cheap reads together, in one round trip a check (a check needs all of its reads anyway, and
    one check's batch never waits behind another's)."""
    ids = tuple(c.id for c in checks)
    if facts.reads_started_for == ids:  # started already (a fleet, an early run): not worked out again
        return
    facts.reads_started_for = ids
    slow = [cmd for c in checks for cmd in c.slow_reads]
    batches = []
    # A source with its own store of readings answers them when asked: their commands sent beforehand
    # would be answered a second time, from the same text.
    own_store = facts.reads_answered_by_source
    by_version = []  # (reading, args) whose command depends on the Android version: sent once getprop answers
    for c in checks:
        cheap = list(c.cheap_reads)
        for declared in () if own_store else c.reads:
            reading, *args = declared if isinstance(declared, tuple) else (declared,)
            if reading.command is None:
                continue
            if reading.by_version:
                by_version.append((reading, args))
            else:
                (cheap if reading.cheap else slow).append(reading.command_for(None, *args))
        batches.append(cheap)
    facts.prefetch([], ["getprop", *slow])  # getprop first (start_reads_of_all has sent it already)
    for cheap in batches:
        facts.prefetch(cheap)
    if by_version:
        facts.when_answered("getprop", lambda: _send_by_version(facts, by_version))
    # The checks' parsers, imported while a live device answers (once a process). A bugreport or a
    # recording answers at once: there each is imported when first used, and only if it is.
    if getattr(facts.device, "kind", None) == "adb":
        lazy.import_pending_in_background()


def start_reads_of_all(facts: list[Facts], checks: list[Check]) -> None:
    """start_reads for several devices: every device's getprop first, then the other reads. Nearly every
    check waits for getprop, and sent device by device, the last device's would wait behind every other
    device's reads at the adb server."""
    for f in facts:
        f.prefetch([], ["getprop"])
    for f in facts:
        start_reads(f, checks)


def _send_by_version(facts: Facts, reads: list) -> None:
    """The reads whose command depends on the Android version, each on its own, as soon as getprop tells
    the version (not when a check's thread next gets the interpreter: on a busy fleet, much later)."""
    try:
        sdk = facts.props().sdk
    except Exception:  # noqa: BLE001 - no properties: the checks that need them meet the same error
        return
    facts.prefetch([], [reading.command_for(sdk, *args) for reading, args in reads])


def run_checks(device: Device, checks: list[Check], settings: Settings | None = None,
               timeout: float | None = None, deadline: float | None = None,
               facts: Facts | None = None, header: dict[str, Any] | None = None,
               on_result: Callable[[CheckResult], None] | None = None) -> DeviceReport:
    """Run `checks` on `device`. `timeout`: every check's limit (s) when the user gave one, else each
    check's own (Check.timeout) or DEFAULT_CHECK_TIMEOUT; `deadline`: for the whole run."""
    facts = facts or Facts(device)
    start_reads(facts, checks)
    diagnosis = Diagnosis(device, facts, settings or Settings(), checks, timeout, deadline)
    for c in checks:
        if not diagnosis.slots[c.id].done.is_set():
            threading.Thread(target=diagnosis.work, args=(diagnosis.slots[c.id],), name=f"check-{c.id}",
                             daemon=True).start()
    diagnosis.wait(on_result)
    # Who the device is, from the same getprop the checks shared: answered long ago on a device that
    # answers at all. Else asked in a thread of its own, briefly: a getprop that hangs must not hold the report.
    found: list[Identity] = []
    if facts.answered("getprop"):
        _identify_into(found, device, facts, header)
    else:
        asking = threading.Thread(target=_identify_into, args=(found, device, facts, header), name="identify",
                                  daemon=True)
        asking.start()
        asking.join(0.05)
    ident = found[0] if found else Identity(serial=str((header or {}).get("serial") or device.serial),
                                            source=device.kind)
    return diagnosis.report(ident)


class Diagnosis:
    """The checks of one device in progress: each in its own thread, the time limits kept here."""

    def __init__(self, device: Device, facts: Facts, settings: Settings, checks: list[Check],
                 timeout: float | None, deadline: float | None):
        self.device, self.facts, self.settings, self.checks = device, facts, settings, checks
        self.timeout, self.deadline = timeout, deadline
        self.start = time.monotonic()
        self.changed = threading.Event()
        self.slots = {c.id: _Slot(c, self.changed) for c in checks}
        for cid in _in_cycles(checks):
            self.slots[cid].finish(CheckResult.unknown(_("its prerequisites form a cycle: {id}").format(id=cid)))

    def limit_of(self, c: Check) -> float:
        return self.timeout if self.timeout is not None else (c.timeout or DEFAULT_CHECK_TIMEOUT)

    def work(self, slot: _Slot) -> None:
        c = slot.check
        needs = {}
        for rid in c.requires:
            dep = self.slots.get(rid)
            if dep is None:
                continue  # not selected (--only/--skip): run without it
            dep.done.wait()
            needs[rid] = _named(dep.result, dep.check)  # its title, for the skipped summary
        unmet = [r for r in needs.values() if r.status not in SATISFIED]
        if unmet:
            slot.finish(CheckResult.skipped(_("needs \"{title}\" to pass first: {summary}").format(
                title=unmet[0].title, summary=unmet[0].summary)))
            return
        slot.started = time.monotonic()
        cause = "check"
        try:
            ctx = Context(self.device, self.facts, self.settings, needs, slot.started + self.limit_of(c),
                          self.timeout is not None)
            result = c.run(ctx)
            if not isinstance(result, CheckResult):
                raise TypeError(_("run() returned {kind}, not a CheckResult").format(kind=type(result).__name__))
        except Exception as e:
            # the command that gave no answer is the evidence of an `unknown`
            cmd = getattr(e, "command", None)
            result = CheckResult.unknown(_reason(e), evidence=[Evidence(cmd, [], _("no answer"))] if cmd else [])
            cause = "limit" if getattr(e, "cut_by_limit", False) else \
                e.kind if isinstance(e, DeviceError) else "crashed"
        result.duration = time.monotonic() - slot.started
        slot.finish(result, cause)

    def wait(self, on_result: Callable[[CheckResult], None] | None) -> None:
        """Until every check has an outcome; a check past its limit or the run's deadline is stopped."""
        reported: set[str] = set()
        while True:
            self._enforce_limits(time.monotonic())
            for s in self.slots.values():
                if s.done.is_set() and s.check.id not in reported and on_result:
                    reported.add(s.check.id)
                    on_result(_named(s.result, s.check))
            if all(s.done.is_set() for s in self.slots.values()):
                return
            self.changed.wait(self._until_next_limit())  # or a check finishing wakes us
            self.changed.clear()

    def _until_next_limit(self) -> float:
        """Seconds until the next time limit could pass: the earliest end of a running check's limit, a
        waiting check's limit counted from now, the run's deadline; at most 1 s, at least 10 ms."""
        now = time.monotonic()
        ends = [(s.started if s.started is not None else now) + self.limit_of(s.check)
                for s in self.slots.values() if not s.done.is_set()]
        if self.deadline is not None:
            ends.append(self.start + self.deadline)
        return min(1.0, max(0.01, min(ends, default=now + 1.0) - now))

    def _enforce_limits(self, now: float) -> None:
        for s in self.slots.values():
            limit = self.limit_of(s.check)
            if not s.done.is_set() and s.started is not None and now - s.started > limit:
                s.finish(_out_of_time(_("ran out of time after {seconds:g} s").format(seconds=limit), self.facts),
                         "limit")
            if self.deadline is not None and not s.done.is_set() and now - self.start > self.deadline:
                s.finish(_out_of_time(_("ran out of time (the whole run's deadline of {seconds:g} s)").format(
                    seconds=self.deadline), self.facts), "deadline")

    def report(self, ident: Identity) -> DeviceReport:
        slots = self.slots
        for s in slots.values():
            if s.result.status == Status.UNKNOWN and s.result.remedy is None:
                s.result.remedy = next_steps.remedy(s.cause, self.device.kind)
        stopped = [c.id for c in self.checks if slots[c.id].result.status == Status.UNKNOWN
                   and slots[c.id].cause in STOPPED]
        report = DeviceReport(ident, [_named(slots[c.id].result, c) for c in self.checks],
                              duration=time.monotonic() - self.start, round_trips=self.facts.round_trips,
                              stopped=stopped)
        if self.facts.lost is not None:
            report.error, report.error_kind = str(self.facts.lost), "disconnected"
        return report


def _out_of_time(summary: str, facts: Facts) -> CheckResult:
    """An `unknown` for a check stopped by a time limit, naming what the device had not answered yet."""
    waiting = facts.unanswered()
    if not waiting:
        return CheckResult.unknown(summary)
    summary += "; " + _("no answer yet to `{command}`").format(command=waiting[0])
    return CheckResult.unknown(summary, evidence=[Evidence(c, [], _("no answer")) for c in waiting[:3]])


def _identify_into(found: list[Identity], device: Device, facts: Facts, header: dict[str, Any] | None) -> None:
    try:
        found.append(identify(device, facts, header))
    except DeviceError:
        pass  # the device's own header names it; the checks report what went wrong


def _named(result: CheckResult, check: Check) -> CheckResult:
    result.id, result.title = check.id, _(check.title)  # titles are marked with N_() or plain, shown translated
    return result


def _in_cycles(checks: list[Check]) -> set[str]:
    """Ids of checks that (transitively) require themselves."""
    needs = {c.id: set(c.requires) for c in checks}
    bad = set()
    for cid in needs:
        seen, todo = set(), list(needs[cid])
        while todo:
            n = todo.pop()
            if n == cid:
                bad.add(cid)
                break
            if n not in seen and n in needs:
                seen.add(n)
                todo.extend(needs[n])
    return bad
