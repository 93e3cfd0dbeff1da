"""Running one fix on one device: plan, (after confirmation) apply, verify, and an honest account.

The account says, for every command of the plan, whether it was done, failed, or never sent (the
device went away, an earlier step failed), so "applied but the problem remains" and "the device was
unplugged halfway" read differently from "fixed". The checks the fix repairs run before and after it,
and each is compared (`Comparison`). While it works, the session tells a `Progress` what it is doing.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from devdoctor.check import Check, Settings
from devdoctor.sources.device import CommandResult, Device, DeviceError, DeviceGone, FileUnreadable, command_line
from devdoctor.fixes.base import Fix, Plan, PlanError, Step, TargetViolation, Verdict
from devdoctor.ui.i18n import N_, _, ngettext
from devdoctor.result import CheckResult, Status

CHANGE_TIMEOUT = 30.0  # pm clear on a big data folder takes seconds
READ_TIMEOUT = 10.0

# Exit codes of `devdoctor fix` (2 is bad usage, as everywhere in devdoctor).
EXIT_FIXED, EXIT_NOT_FIXED, EXIT_USAGE, EXIT_DEVICE, EXIT_NOT_CONFIRMED = 0, 1, 2, 3, 4

# What became of a fix that ran.
FIXED = "fixed"  # applied, and what it changed reads back as meant
# applied and read back as meant, but the error it is for lives in a record (the log) that can only
# change after the technician's next step (the plan's `afterwards`): not yet shown to be gone
VERIFY_LATER = "applied-verify-later"
PROBLEM_REMAINS = "applied-problem-remains"  # the commands took, but the problem is still there
FAILED = "failed"  # the device refused a change (or the logs could not be saved first)
DEVICE_LOST = "device-lost"  # the device stopped answering: some steps may not have run

EXIT_BY_STATUS = {FIXED: EXIT_FIXED, VERIFY_LATER: EXIT_FIXED, PROBLEM_REMAINS: EXIT_NOT_FIXED,
                  FAILED: EXIT_NOT_FIXED, DEVICE_LOST: EXIT_DEVICE}


class DryRunViolation(Exception):
    """A changing command was about to be sent during a dry run (a bug in a fix)."""


class Progress:
    """What a session is doing, told as it happens (the command shows it live). This one says nothing."""

    def begin(self, what: str) -> None:
        pass

    def end(self, state: str, detail: str = "") -> None:
        """state: done / failed / lost (the device stopped answering)."""


@dataclass
class StepRecord:
    """What became of one command."""

    command: str
    says: str
    changes: bool
    state: str  # done / failed / not-run / lost
    output: list[str] = field(default_factory=list)
    exit_code: int | None = None
    problem: str = ""
    seconds: float = 0.0
    required: bool = True


STATUS_WORDS = {Status.PASS: N_("pass"), Status.WARN: N_("warn"), Status.FAIL: N_("fail"),
                Status.UNKNOWN: N_("unknown"), Status.SKIPPED: N_("skipped")}

# How a repaired check compares after the fix with before it.
NOW_PASSES = "fixed"  # failed or warned before, passes now
STILL_FINE = "fine"  # passed before and after: nothing of it to repair here
STILL_OLD = "verify-later"  # fails on the same record as before, which cannot change yet (Fix.pending)
STILL_FAILS = "still"  # fails for a reason naming this fix
OTHER_REASON = "other"  # fails, but not for anything this fix names
WORSE = "worse"  # worse than before the fix
NO_VERDICT = "unknown"  # could not tell after (or did not run)


@dataclass
class Comparison:
    """One check the fix repairs, before and after it."""

    check_id: str
    title: str
    before: CheckResult | None
    after: CheckResult | None
    verdict: str
    note: str = ""


@dataclass
class FixOutcome:
    fix_id: str
    serial: str
    status: str
    message: str
    plan: Plan | None = None
    steps: list[StepRecord] = field(default_factory=list)
    verdicts: list[Verdict] = field(default_factory=list)
    before: list[CheckResult] = field(default_factory=list)
    after: list[CheckResult] = field(default_factory=list)
    compared: list[Comparison] = field(default_factory=list)
    backup_dir: Path | None = None
    backed_up: list[str] = field(default_factory=list)  # device paths saved
    not_backed_up: list[str] = field(default_factory=list)  # "path: why"
    started: float = field(default_factory=time.time)
    finished: float | None = None

    @property
    def exit_code(self) -> int:
        return EXIT_BY_STATUS[self.status]

    def after_result(self, check_id: str) -> CheckResult | None:
        return next((r for r in self.after if r.id == check_id), None)


class Session:
    """One fix on one device. Every command goes through here: the fix's target guard first, then
    the dry-run guard, then the device; every answer is kept."""

    def __init__(self, device: Device, fix: Fix, serial: str | None = None, dry_run: bool = False,
                 settings: Settings | None = None, backup_root: Path | None = None, backup: bool = True,
                 progress: Progress | None = None):
        self.device = device
        self.fix = fix
        self.serial = serial or device.serial
        self.dry_run = dry_run
        self.settings = settings or Settings()
        self.backup_root = backup_root or Path.cwd() / "devdoctor-backups"
        self.backup = backup
        self.progress = progress or Progress()
        self.sent: list[str] = []  # every command the fix itself sent, in order
        self.records: list[StepRecord] = []
        self.outcome: FixOutcome | None = None

    # -- talking to the device -----------------------------------------------------------------

    def read(self, argv: Sequence[str], timeout: float = READ_TIMEOUT) -> CommandResult:
        """A command that only reads (planning, verifying). Raises the device's errors."""
        self.fix.allowed(argv)
        cmd = command_line(argv)
        self.sent.append(cmd)
        return self.device.shell(cmd, timeout)

    def pull(self, path: str) -> bytes:
        self.fix.allowed([path])
        self.sent.append(f"pull {path}")
        self.progress.begin(_("save {path}").format(path=path))
        try:
            data = self.device.pull(path, timeout=60.0)
        except DeviceError as e:
            self.progress.end("failed" if isinstance(e, FileUnreadable) else "lost", str(e))
            raise
        self.progress.end("done", ngettext("{n} byte", "{n} bytes", len(data)).format(n=len(data)))
        return data

    def run_step(self, step: Step) -> bool:
        """Send one step of the plan; record it; True when it did what it was meant to."""
        self.fix.allowed(step.argv)
        if self.dry_run and step.changes:
            raise DryRunViolation(step.command)
        start = time.monotonic()
        self.sent.append(step.command)
        self.progress.begin(_("{says}: {command}").format(says=step.says, command=step.command))
        try:
            r = self.device.shell(step.command, CHANGE_TIMEOUT if step.changes else READ_TIMEOUT)
        except DeviceError as e:
            self.records.append(StepRecord(step.command, step.says, step.changes, "lost",
                                           problem=str(e), seconds=time.monotonic() - start))
            self.progress.end("lost", str(e))
            raise
        problem = step.judge(r) if step.judge else (None if r.ok or r.exit_code is None
                                                   else _("exit status {code}").format(code=r.exit_code))
        output = [ln.rstrip() for ln in r.output.splitlines() if ln.strip()][:20]
        self.records.append(StepRecord(step.command, step.says, step.changes, "failed" if problem else "done",
                                       output, r.exit_code, problem or "", time.monotonic() - start, step.required))
        self.progress.end("failed" if problem else "done", problem or " / ".join(output[:1]))
        return problem is None

    # -- the whole fix -------------------------------------------------------------------------

    def prepare(self) -> Plan:
        """The plan (reads only). Raises the device's errors."""
        return self.fix.plan(self)

    def execute(self, plan: Plan, checks: list[Check] | None = None) -> FixOutcome:
        """Apply the plan, re-run `checks` before and after, verify; never raises for device errors."""
        out = FixOutcome(self.fix.id, self.serial, FIXED, "", plan)
        self.outcome = out
        try:
            if checks:
                out.before = self._diagnose(checks, _("checks before the fix: {ids}"))
            applied = self.fix.apply(self, plan)
            if applied:
                self._settle()
                if checks:
                    out.after = self._diagnose(checks, _("the same checks after it: {ids}"))
                self.progress.begin(_("read back what changed"))
                out.verdicts = self.fix.verify(self, plan)
                self.progress.end("done")
        except DeviceError as e:
            return self._lost(out, plan, e)
        except TargetViolation as e:  # a bug in a fix: the command was not sent; what ran before is told
            self._mark_not_run(plan)
            out.steps, out.finished = list(self.records), time.time()
            out.status, out.message = FAILED, str(e)
            return out
        except PlanError as e:  # an answer that reads as nothing: say so, never guess
            self.progress.end("failed", str(e))
            out.verdicts.append(Verdict(_("read back"), None, str(e)))
            self._mark_not_run(plan)
            out.steps, out.finished = list(self.records), time.time()
            out.status, out.message = PROBLEM_REMAINS, _("could not verify: {error}").format(error=e)
            return out
        self._mark_not_run(plan)
        out.steps = list(self.records)
        out.finished = time.time()
        failed = next((r for r in self.records if r.state == "failed" and r.required), None)
        if not applied or failed:
            out.status = FAILED
            out.message = (_("the device refused `{command}`: {problem}").format(
                command=failed.command, problem=failed.problem) if failed
                else out.message or _("the fix could not be applied"))
            return out
        out.compared = self._compare(out)
        self._judge(out)
        return out

    def _judge(self, out: FixOutcome) -> None:
        worse = [v for v in out.verdicts if v.ok is False] + [
            Verdict(r.says, False, r.problem, r.command) for r in self.records if r.state == "failed"]
        still = [c for c in out.compared if c.verdict in (STILL_FAILS, WORSE)]
        later = [c for c in out.compared if c.verdict == STILL_OLD]
        if worse or still:
            out.status = PROBLEM_REMAINS
            out.message = "; ".join([_("{what}: {detail}").format(what=v.what, detail=v.detail) for v in worse] +
                                    [_("{what}: {detail}").format(what=c.title, detail=c.after.summary)
                                     for c in still if c.after])
        elif later:
            out.status = VERIFY_LATER
            out.message = "; ".join(c.note for c in later)
        else:
            out.status = FIXED
            out.message = _("applied and verified")

    def _compare(self, out: FixOutcome) -> list[Comparison]:
        before = {r.id: r for r in out.before}
        after = {r.id: r for r in out.after}
        return [self._comparison(cid, before.get(cid), after.get(cid)) for cid in self.fix.repairs
                if cid in before or cid in after]

    def _comparison(self, cid: str, b: CheckResult | None, a: CheckResult | None) -> Comparison:
        title = (a or b).title or cid
        if a is None or a.status in (Status.UNKNOWN, Status.SKIPPED):
            return Comparison(cid, title, b, a, NO_VERDICT)
        if a.status == Status.PASS:
            failing_before = b is not None and b.status in (Status.FAIL, Status.WARN)
            return Comparison(cid, title, b, a, NOW_PASSES if failing_before else STILL_FINE)
        if b is not None and a.status.rank > b.status.rank:
            return Comparison(cid, title, b, a, WORSE)
        pending = self.fix.pending(b, a) if b is not None else None
        if pending:
            return Comparison(cid, title, b, a, STILL_OLD, pending)
        if self._names_me(a):
            return Comparison(cid, title, b, a, STILL_FAILS)
        other = a.remedy.fix if a.remedy and a.remedy.fix else None
        return Comparison(cid, title, b, a, OTHER_REASON, _("what is left is for {fix}: see its remedy in "
                                                            "`devdoctor run`").format(fix=other) if other else "")

    def _names_me(self, result: CheckResult) -> bool:
        return bool(result.remedy and (result.remedy.fix or "").removeprefix("--") == self.fix.id)

    def _settle(self) -> None:
        """Give what the fix started time to come up before reading it back (not on a recording)."""
        if self.fix.settle and self.device.kind != "replay":
            self.progress.begin(_("wait {seconds:g} s for WMPF to start").format(seconds=self.fix.settle))
            time.sleep(self.fix.settle)
            self.progress.end("done")

    def _lost(self, out: FixOutcome, plan: Plan, e: DeviceError) -> FixOutcome:
        self.progress.end("lost", str(e))  # whatever was under way (a step already told is not told again)
        self._mark_not_run(plan)
        out.steps = list(self.records)
        out.finished = time.time()
        out.status = DEVICE_LOST
        done = [r.command for r in self.records if r.state == "done" and r.changes]
        out.message = _("the device stopped answering ({error}). Changed before that: {done}.").format(
            error=e, done=", ".join(f"`{c}`" for c in done) or _("nothing"))
        return out

    def _mark_not_run(self, plan: Plan) -> None:
        sent = {r.command for r in self.records}
        for step in plan.steps:
            if step.command not in sent:
                self.records.append(StepRecord(step.command, step.says, step.changes, "not-run",
                                               required=step.required))

    def _diagnose(self, checks: list[Check], what: str) -> list[CheckResult]:
        from devdoctor.core.runner import run_checks

        shown = [c.id for c in checks if c.id in self.fix.repairs] or [c.id for c in checks]
        self.progress.begin(what.format(ids=", ".join(shown)))  # before the fix / after it
        report = run_checks(self.device, checks, self.settings, timeout=20.0, header={"serial": self.serial})
        if report.error_kind == "disconnected":
            self.progress.end("lost", report.error or "")
            raise DeviceGone(report.error or _("device disconnected"))
        words = {r.id: _(STATUS_WORDS[r.status]) for r in report.results}
        self.progress.end("done", words.get(shown[0], "") if len(shown) == 1 else
                          ", ".join(f"{cid} {words[cid]}" for cid in shown if cid in words))
        return report.results


def checks_for(fix: Fix, catalog_checks: list[Check]) -> list[Check]:
    """The installed checks the fix repairs, with what they require, in report order."""
    by_id = {c.id: c for c in catalog_checks}
    wanted: set[str] = set()
    todo = [cid for cid in fix.repairs if cid in by_id]
    while todo:
        cid = todo.pop()
        if cid in wanted or cid not in by_id:
            continue
        wanted.add(cid)
        todo.extend(by_id[cid].requires)
    return sorted((by_id[c] for c in wanted), key=lambda c: (c.order, c.id))
