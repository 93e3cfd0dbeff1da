"""What a fix is: a plan of exact commands, limited to the packages it names as its targets.

A fix is predictable (the plan lists every command before anything runs), previewable (a dry run
prints the plan and sends nothing that changes the device), limited (every command is checked
against the fix's constant target packages before it reaches the shell) and checked afterwards
(`verify` reads the state back). `devdoctor.fixes.session` runs it and records what happened.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Sequence

from devdoctor.sources.device import CommandResult, command_line, is_package_name
from devdoctor.ui.i18n import _
from devdoctor.wmpf.shared import WMPF_PACKAGE

if TYPE_CHECKING:
    from devdoctor.fixes.session import Session
    from devdoctor.result import CheckResult

WMPF = WMPF_PACKAGE  # the target of the WMPF fixes: a constant, never built from user input


class PlanError(Exception):
    """The device's answers do not say what a fix needs to know: nothing is changed."""


class TargetViolation(Exception):
    """A command names a package that is not among the fix's targets: it is never sent."""


# Folders whose next path segment is a package's own (`/sdcard/Android/data/PKG/...`, `/data/user/0/PKG`).
_PACKAGE_FOLDERS = re.compile(r"/(?:Android/(?:data|obb|media)|data/data|data/user(?:_de)?/\d+|data/app)/([^/]+)")


_PACKAGE_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)+")  # also inside `+pkg`, `a;pkg`


def named_packages(argv: Sequence[str]) -> set[str]:
    """Every package a command names: plain arguments, components (`pkg/.Cls`), a package's folders."""
    names: set[str] = set()
    for arg in argv:
        if arg.startswith("/"):
            names.update(m.group(1).split("-", 1)[0] for m in _PACKAGE_FOLDERS.finditer(arg))
            continue
        head, slash, _cls = arg.partition("/")  # a component: the package, then its class
        names.update(w for w in _PACKAGE_WORD.findall(head if slash else arg) if is_package_name(w))
    return names


@dataclass(frozen=True)
class Step:
    """One shell command of a plan. `judge` reads its answer: None when it did what was meant, else
    the problem in plain words."""

    argv: tuple[str, ...]
    says: str  # what it does, in plain words
    changes: bool = True  # False: it only reads
    required: bool = True  # False: the fix still counts as applied when this one does not take
    judge: Callable[[CommandResult], str | None] | None = field(default=None, compare=False)

    @property
    def command(self) -> str:
        return command_line(self.argv)


@dataclass
class Plan:
    """What a fix will do on this device, shown before anything changes."""

    steps: list[Step] = field(default_factory=list)
    pulls: list[str] = field(default_factory=list)  # device paths saved to the laptop before the changes
    loses: list[str] = field(default_factory=list)  # what the technician loses
    afterwards: list[str] = field(default_factory=list)  # what the technician must do or redo
    nothing_to_do: str | None = None  # why no change is needed (or possible) here
    notes: list[str] = field(default_factory=list)
    facts: dict = field(default_factory=dict)  # what the fix learnt while planning, for apply/verify


@dataclass
class Verdict:
    """One thing read back after the fix: did it take?"""

    what: str
    ok: bool | None  # None: could not tell
    detail: str = ""
    command: str = ""


class Fix:
    """A repair. Subclass it, set the class attributes, implement `plan` and `verify`.

    `plan` may only read (session.read); `apply` (by default: every step of the plan in order, stopping
    at the first that fails) changes; `verify` reads back. Commands naming any package outside
    `targets` are refused by the session before they are sent.
    """

    id: str = ""  # "clear-cache"; the option is --<id>
    title: str = ""
    description: str = ""
    targets: frozenset[str] = frozenset()  # the only packages its commands may name
    not_packages: frozenset[str] = frozenset()  # package-shaped words that are not packages (intent actions)
    repairs: tuple[str, ...] = ()  # ids of the checks whose failure it repairs, re-run before and after
    settle: float = 0.0  # seconds for what it started to come up, before anything is read back

    @property
    def option(self) -> str:
        return "--" + self.id

    def plan(self, session: "Session") -> Plan:  # pragma: no cover - abstract
        raise NotImplementedError

    def apply(self, session: "Session", plan: Plan) -> bool:
        """Run the plan's changing steps in order; False at the first one that did not take."""
        for step in plan.steps:
            if not session.run_step(step):
                return False
        return True

    def verify(self, session: "Session", plan: Plan) -> list[Verdict]:
        return []

    def pending(self, before: "CheckResult", after: "CheckResult") -> str | None:
        """Why a repaired check that still fails after the fix cannot show the repair yet (its evidence
        is a record, such as the log, that changes only later), or None: it should have changed."""
        return None

    def allowed(self, argv: Sequence[str]) -> None:
        """Raise TargetViolation when `argv` names a package this fix may not touch."""
        extra = named_packages(argv) - self.targets - self.not_packages
        if extra:
            raise TargetViolation(_("refused: `{command}` names {extra}, but the fix {option} may only touch "
                                    "{targets}").format(command=command_line(argv), extra=", ".join(sorted(extra)),
                                                        option=self.option, targets=", ".join(sorted(self.targets))))


def package_listed(r: CommandResult, package: str) -> bool:
    """Whether `pm list packages [-e] FILTER` listed exactly `package`; PlanError when the answer is no
    package listing at all (pm missing, an error), which must not pass for "not installed"."""
    lines = output_lines(r)
    if f"package:{package}" in lines:
        return True
    if (r.exit_code not in (0, None)) or any(not ln.startswith("package:") for ln in lines):
        raise PlanError(_("`{command}` did not list packages: {answer} (exit status {code})").format(
            command=r.command, answer=" / ".join(lines[:2]) or _("no answer"), code=r.exit_code))
    return False


def output_lines(r: CommandResult) -> list[str]:
    """stdout and stderr lines, stripped (old shells mix them; pm prints Failed on stderr)."""
    return [ln.strip() for ln in (r.stdout + "\n" + r.stderr).replace("\r", "").split("\n") if ln.strip()]
