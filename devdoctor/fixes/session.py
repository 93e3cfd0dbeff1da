"""Running one fix on one device: plan, (after confirmation) apply, verify, and an honest account.

The account says, for every command of the plan, whether it was done, failed, or never sent (the
device went away, an earlier step failed), so "applied but the problem remains" and "the device was
unplugged halfway" read differently from "fixed".
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from devdoctor.check import Check, Settings
from devdoctor.device import CommandResult, Device, DeviceError, DeviceGone, command_line
from devdoctor.fixes.base import Fix, Plan, PlanError, Step, TargetViolation, Verdict
from devdoctor.i18n import _
from devdoctor.result import CheckResult, Status

CHANGE_TIMEOUT = 30.0  # pm clear on a big data folder takes seconds
READ_TIMEOUT = 10.0

# Exit codes of `devdoctor fix` (2 is bad usage, as everywhere in devdoctor).
EXIT_FIXED, EXIT_NOT_FIXED, EXIT_USAGE, EXIT_DEVICE, EXIT_NOT_CONFIRMED = 0, 1, 2, 3, 4

# What became of a fix that ran.
FIXED = "fixed"  # applied, and what it changed reads back as meant
PROBLEM_REMAINS = "applied-problem-remains"  # the commands took, but the problem is still there
FAILED = "failed"  # the device refused a change (or the logs could not be saved first)
DEVICE_LOST = "device-lost"  # the device stopped answering: some steps may not have run

EXIT_BY_STATUS = {FIXED: EXIT_FIXED, PROBLEM_REMAINS: EXIT_NOT_FIXED, FAILED: EXIT_NOT_FIXED, DEVICE_LOST: EXIT_DEVICE}


class DryRunViolation(Exception):
    """A changing command was about to be sent during a dry run (a bug in a fix)."""


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
    backup_dir: Path | None = None
    backed_up: list[str] = field(default_factory=list)  # device paths saved
    not_backed_up: list[str] = field(default_factory=list)  # "path: why"
    started: float = field(default_factory=time.time)
    finished: float | None = None

    @property
    def exit_code(self) -> int:
        return EXIT_BY_STATUS[self.status]


class Session:
    """One fix on one device. Every command goes through here: the fix's target guard first, then
    the dry-run guard, then the device; every answer is kept."""

    def __init__(self, device: Device, fix: Fix, serial: str | None = None, dry_run: bool = False,
                 settings: Settings | None = None, backup_root: Path | None = None, backup: bool = True):
        self.device = device
        self.fix = fix
        self.serial = serial or device.serial
        self.dry_run = dry_run
        self.settings = settings or Settings()
        self.backup_root = backup_root or Path.cwd() / "devdoctor-backups"
        self.backup = backup
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
        return self.device.pull(path, timeout=60.0)

    def run_step(self, step: Step) -> bool:
        """Send one step of the plan; record it; True when it did what it was meant to."""
        self.fix.allowed(step.argv)
        if self.dry_run and step.changes:
            raise DryRunViolation(step.command)
        start = time.monotonic()
        self.sent.append(step.command)
        try:
            r = self.device.shell(step.command, CHANGE_TIMEOUT if step.changes else READ_TIMEOUT)
        except DeviceError as e:
            self.records.append(StepRecord(step.command, step.says, step.changes, "lost",
                                           problem=str(e), seconds=time.monotonic() - start))
            raise
        problem = step.judge(r) if step.judge else (None if r.ok or r.exit_code is None
                                                   else _("exit status {code}").format(code=r.exit_code))
        self.records.append(StepRecord(step.command, step.says, step.changes, "failed" if problem else "done",
                                       [ln.rstrip() for ln in r.output.splitlines() if ln.strip()][:20],
                                       r.exit_code, problem or "", time.monotonic() - start, step.required))
        return problem is None

    # -- the whole fix -------------------------------------------------------------------------

    def prepare(self) -> Plan:
        """The plan (reads only). Raises the device's errors."""
        return self.fix.plan(self)

    def execute(self, plan: Plan, checks: list[Check] | None = None) -> FixOutcome:
        """Apply the plan, verify, re-run `checks` before and after; never raises for device errors."""
        out = FixOutcome(self.fix.id, self.serial, FIXED, "", plan)
        self.outcome = out
        try:
            if checks:
                out.before = self._diagnose(checks)
            applied = self.fix.apply(self, plan)
            if applied:
                out.verdicts = self.fix.verify(self, plan)
                if checks:
                    out.after = self._diagnose(checks)
        except DeviceError as e:
            return self._lost(out, plan, e)
        except TargetViolation as e:  # a bug in a fix: the command was not sent; what ran before is told
            self._mark_not_run(plan)
            out.steps, out.finished = list(self.records), time.time()
            out.status, out.message = FAILED, str(e)
            return out
        except PlanError as e:  # an answer that reads as nothing: say so, never guess
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
        worse = [v for v in out.verdicts if v.ok is False] + [
            Verdict(r.says, False, r.problem, r.command) for r in self.records if r.state == "failed"]
        before = {r.id: r for r in out.before}
        # still failing for a reason that names this fix, or worse than before it ran
        still = [r for r in out.after if r.status in (Status.FAIL, Status.WARN) and (
            self._names_me(r) or (r.id in before and r.status.rank > before[r.id].status.rank))]
        if worse or still:
            out.status = PROBLEM_REMAINS
            out.message = "; ".join([f"{v.what}: {v.detail}" for v in worse] +
                                    [f"{r.title or r.id}: {r.summary}" for r in still])
        else:
            out.status = FIXED
            out.message = _("applied and verified")
        return out

    def _names_me(self, result: CheckResult) -> bool:
        return bool(result.remedy and (result.remedy.fix or "").removeprefix("--") == self.fix.id)

    def _lost(self, out: FixOutcome, plan: Plan, e: DeviceError) -> FixOutcome:
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

    def _diagnose(self, checks: list[Check]) -> list[CheckResult]:
        from devdoctor.runner import run_checks

        report = run_checks(self.device, checks, self.settings, timeout=20.0, header={"serial": self.serial})
        if report.error_kind == "disconnected":
            raise DeviceGone(report.error or "device disconnected")
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
