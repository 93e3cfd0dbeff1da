"""How `devdoctor fix` shows itself: the list of fixes, a plan, each step live while it runs, the
outcome with the repaired checks before and after, and the journal. Every line a technician reads
carries its words through `_()`; commands and device answers are shown as they are."""
from __future__ import annotations

import sys
import time
from pathlib import Path

from rich.console import Console
from rich.text import Text

from devdoctor.fixes.base import Fix, Plan, Verdict
from devdoctor.fixes.session import (DEVICE_LOST, FAILED, FIXED, NO_VERDICT, NOW_PASSES, OTHER_REASON, PROBLEM_REMAINS,
                                     STILL_FAILS, STILL_FINE, STILL_OLD, VERIFY_LATER, WORSE, Comparison, FixOutcome,
                                     Progress, Session)
from devdoctor.ui.i18n import N_, _
from devdoctor.report.console import shows
from devdoctor.result import CheckResult, Status

PULL_LINE = "       adb -s {serial} pull {path}"
SHELL_LINE = "       adb -s {serial} shell {command}"
STEP_STATES = {"done": N_("done"), "failed": N_("failed"), "not-run": N_("not run"), "lost": N_("lost")}
RESULT_MARKS = {Status.PASS: "[✓]", Status.WARN: "[!]", Status.FAIL: "[✗]", Status.UNKNOWN: "[?]",
                Status.SKIPPED: "[-]"}
STEP_STYLES = {"done": "green", "failed": "bold red", "lost": "bold red"}
OUTCOMES = {FIXED: N_("fixed"), VERIFY_LATER: N_("done, to verify after activation"),
            PROBLEM_REMAINS: N_("applied, problem remains"), FAILED: N_("not fixed"),
            DEVICE_LOST: N_("interrupted")}
COMPARED = {NOW_PASSES: N_("fixed: it passes now"), STILL_FINE: N_("it found no problem before the fix either"),
            STILL_FAILS: N_("still fails: the fix did not repair it"),
            OTHER_REASON: N_("still fails, for a reason this fix could not repair"),
            WORSE: N_("worse than before the fix"), NO_VERDICT: N_("could not tell after the fix")}


def say(console: Console, text: str, style: str | None = None) -> None:
    """One line, never read as rich markup, flushed at once (a pipe gets it as it happens)."""
    console.print(Text(text, style=style or ""))
    console.file.flush()


class LiveProgress(Progress):
    """Each step as it starts (a spinner on a terminal) and as it ends (a line, flushed: through a pipe
    each line arrives when its step is over, not with the rest at the end)."""

    def __init__(self, console: Console):
        self.console = console
        self.what: str | None = None
        self.started = 0.0
        self.spinner = None

    def begin(self, what: str) -> None:
        if self.spinner is not None:  # a step that never ended (a bug of ours): no line claims how it went
            self.spinner.stop()
            self.spinner = None
        self.what, self.started = what, time.monotonic()
        if self.console.is_terminal:
            self.spinner = self.console.status(what + " …")
            self.spinner.start()

    def end(self, state: str, detail: str = "") -> None:
        if self.what is None:
            return
        if self.spinner is not None:
            self.spinner.stop()
            self.spinner = None
        line = f"  [{_(STEP_STATES.get(state, state))}] {self.what}" + (f" → {detail}" if detail else "")
        say(self.console, line + f"  ({time.monotonic() - self.started:.1f} s)", STEP_STYLES.get(state))
        self.what = None


def list_fixes(console: Console, fixes: list[Fix]) -> None:
    for f in fixes:
        line = Text(f.option, style="bold")
        line.append("  " + _(f.title))
        console.print(line)
        console.print(Text("    " + _(f.description)))
        if f.repairs:
            console.print(Text("    " + _("repairs what these checks find: {ids}").format(ids=", ".join(f.repairs))))
        console.print("")
    say(console, _("`devdoctor run` names the fix under the problem it repairs. Add --dry-run to see a fix's "
                   "exact commands without changing anything."))


def print_plan(console: Console, fix: Fix, session: Session, plan: Plan, model: str) -> None:
    device = session.serial + (f" ({model})" if model else "")
    console.print(Text(_("{title} ({option}) on {device}").format(title=_(fix.title), option=fix.option,
                                                                   device=device), style="bold"))
    if plan.nothing_to_do:
        return
    n = 1
    say(console, _("Plan:"))
    if plan.pulls:
        from devdoctor.fixes.clear_cache import safe_name

        folder = session.backup_root / f"{safe_name(session.serial)}-…"
        say(console, _("  {n}. save WMPF's logs first: {count} files into {folder}").format(
            n=n, count=len(plan.pulls), folder=folder))
        for p in plan.pulls[:5]:
            say(console, PULL_LINE.format(serial=session.serial, path=p))
        if len(plan.pulls) > 5:
            say(console, _("       … and {count} more").format(count=len(plan.pulls) - 5))
        n += 1
    for step in plan.steps:
        say(console, f"  {n}. {step.says}")
        say(console, SHELL_LINE.format(serial=session.serial, command=step.command), "cyan")
        n += 1
    for head, items in ((_("You lose:"), plan.loses), (_("Afterwards:"), plan.afterwards)):
        if items:
            say(console, head)
            for item in items:
                say(console, f"  - {item}")
    for note in plan.notes:
        say(console, _("Note: {note}").format(note=note))


def ask(console: Console, question: str) -> bool:
    """y/N on the terminal; anything but yes (or Ctrl-C, end of input) is no."""
    console.print(Text(question + " [y/N] "), end="")
    console.file.flush()
    try:
        answer = sys.stdin.readline()
    except KeyboardInterrupt:
        answer = ""
    console.print("")
    return answer.strip().lower() in ("y", "yes", "是", "好", "确定")


def print_outcome(console: Console, outcome: FixOutcome, plan: Plan) -> None:
    say(console, "")
    if outcome.backup_dir is not None:
        say(console, _("Saved {count} of WMPF's files to {folder}").format(count=len(outcome.backed_up),
                                                                          folder=outcome.backup_dir))
        for miss in outcome.not_backed_up:
            say(console, _("  not saved: {what}").format(what=miss))
    if outcome.verdicts:
        say(console, _("Read back after the fix:"))
        for v in outcome.verdicts:
            say(console, "  " + _verdict_line(console, v))
    if outcome.compared:
        say(console, _("Before and after, the checks this fix repairs:"))
        for c in outcome.compared:
            _print_comparison(console, c)
    _print_status(console, outcome)
    if outcome.status == DEVICE_LOST:
        _print_lost(console, outcome)
    elif outcome.status != FIXED:
        never = [s.command for s in outcome.steps if s.state == "not-run"]
        if never:
            say(console, _("Not sent: ") + ", ".join(f"`{c}`" for c in never))
    if plan.afterwards and any(s.changes and s.state == "done" for s in outcome.steps):
        say(console, _("Now:"))
        for item in plan.afterwards:
            say(console, f"  - {item}")


def _mark(console: Console, ok: bool | None) -> str:
    marks = ("✓", "✗", "?") if shows(console) else ("OK", "X", "?")
    return f"[{marks[0] if ok else marks[2] if ok is None else marks[1]}]"


def _verdict_line(console: Console, v: Verdict) -> str:
    what = _("{what}: {detail}").format(what=v.what, detail=v.detail) if v.detail else v.what
    return f"{_mark(console, v.ok)} {what}"


def _result_text(console: Console, r: CheckResult | None) -> str:
    """A check's verdict with the report's mark for its status ([✓] [!] [✗] [?] [-])."""
    if r is None:
        return _("did not run")
    marks = RESULT_MARKS if shows(console) else {s: m.replace("✓", "OK").replace("✗", "X")
                                                     for s, m in RESULT_MARKS.items()}
    return f"{marks[r.status]} {r.summary}"


def _print_comparison(console: Console, c: Comparison) -> None:
    say(console, "  " + _("{title} ({id})").format(title=c.title, id=c.check_id))
    say(console, "    " + _("before: {result}").format(result=_result_text(console, c.before)))
    say(console, "    " + _("after:  {result}").format(result=_result_text(console, c.after)))
    say(console, "    → " + (c.note if c.verdict == STILL_OLD else _(COMPARED[c.verdict]) +
                             (_("; {note}").format(note=c.note) if c.note else "")))


def _print_status(console: Console, outcome: FixOutcome) -> None:
    unsure = [v for v in outcome.verdicts if v.ok is None]
    untold = [c.check_id for c in outcome.compared if c.verdict == NO_VERDICT]
    if outcome.status == FIXED:
        if unsure:
            text = _("Done, but not everything could be read back: {what}").format(
                what="; ".join(f"{v.what}: {v.detail}" for v in unsure))
        elif untold:
            text = _("Done and read back, but {checks} could not tell after the fix whether the problem is gone "
                     "(see above).").format(checks=", ".join(untold))
        elif any(c.verdict == NOW_PASSES for c in outcome.compared):
            text = _("Fixed and verified.")
        else:
            text = _("Done and verified.")
        say(console, text, "bold green")
        return
    heads = {VERIFY_LATER: _("Done, and verified as far as it can be now: every change read back as meant; whether "
                             "the error is gone shows after the next step (see above)."),
             PROBLEM_REMAINS: _("Applied, but the problem remains: {message}"),
             FAILED: _("Not fixed: {message}"), DEVICE_LOST: _("Interrupted: {message}")}
    style = "bold yellow" if outcome.status == VERIFY_LATER else "bold red"
    say(console, heads.get(outcome.status, "{message}").format(message=outcome.message), style)


def _print_lost(console: Console, outcome: FixOutcome) -> None:
    changed = [s.command for s in outcome.steps if s.changes and s.state in ("done", "failed")]
    unsure = [s.command for s in outcome.steps if s.changes and s.state == "lost"]
    never = [s.command for s in outcome.steps if s.changes and s.state == "not-run"]
    if never:
        say(console, _("Never sent (not done): ") + ", ".join(f"`{c}`" for c in never))
    if unsure:
        say(console, _("Sent when the device went away (whether it ran is unknown): ")
            + ", ".join(f"`{c}`" for c in unsure))
    say(console, _("Done: ") + (", ".join(f"`{c}`" for c in changed) if changed else
                                _("nothing was changed on the device")))
    if outcome.backup_dir is not None:
        say(console, _("The saved logs are kept in {folder}.").format(folder=outcome.backup_dir))
    say(console, _("Reconnect the device and run the same fix again; it shows its plan first."))


def print_history(console: Console, entries: list[dict], journal: Path, serial: str | None) -> None:
    if not entries:
        text = (_("No fix has been run from this computer on {serial} (journal: {journal}).") if serial
                else _("No fix has been run from this computer (journal: {journal})."))
        say(console, text.format(serial=serial, journal=journal))
    for e in entries:
        status = str(e.get("status"))
        word = _(OUTCOMES[status]) if status in OUTCOMES else status
        say(console, f"{e.get('started')}  {e.get('serial')}  --{e.get('fix')}  {word}")
        if status != FIXED and e.get("message"):  # in the language it was written in
            say(console, "    " + _("said then: {message}").format(message=e.get("message")))
        for c in e.get("commands", []):
            state = str(c.get("state"))
            say(console, f"    [{_(STEP_STATES[state]) if state in STEP_STATES else state}] {c.get('command')}")
        if e.get("backup"):
            say(console, _("    logs saved in {folder}").format(folder=e["backup"]))
