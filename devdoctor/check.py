"""What a check plugin is, and the context it runs in."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Sequence, TypeVar

from devdoctor.sources.device import CommandResult, CommandTimeout, Device, DeviceError, DeviceGone, command_line
from devdoctor.result import CheckResult, Evidence

if TYPE_CHECKING:
    from devdoctor.core.facts import Facts
    from devdoctor.readings import Read, Reading

T = TypeVar("T")


@dataclass
class Settings:
    """What a site or the command line tells the checks (devdoctor.toml, flags)."""

    host_package: str | None = None
    extra_payment_packages: list[str] = field(default_factory=list)
    network_hosts: list[str] = field(default_factory=list)
    thresholds: dict[str, float] = field(default_factory=dict)
    fingerprint_cache: bool = False  # reuse wmpf-cli fingerprints of earlier runs (live `run` only)


COMMAND_MARGIN = 0.5  # seconds a check keeps, after its last command, to say what it found


@dataclass(frozen=True)
class Threshold:
    """A number a check judges by, which a site may change in devdoctor.toml's [thresholds]."""

    default: float
    meaning: str  # what it is, with its unit, for `devdoctor list --json` and `explain`


@dataclass
class Context:
    """Everything a check may use: the device (through cached facts), settings, earlier results."""

    device: Device
    facts: "Facts"
    settings: Settings
    results: dict[str, CheckResult] = field(default_factory=dict)  # of the checks it requires
    deadline: float | None = None  # time.monotonic() when the check's own time limit runs out
    users_limit: bool = False  # that limit is the user's --timeout: a command it cuts short was not checked

    def threshold(self, name: str, default: float) -> float:
        """The site's value of a threshold the check declares (Check.thresholds), else its default."""
        return self.settings.thresholds.get(name, default)

    def run(self, command: str | Sequence[str], timeout: float | None = None) -> CommandResult:
        """Run a command once per diagnosis; later calls (from any check) get the same answer.
        A command never waits past the check's own limit: a hung command then ends as a timeout the
        check can explain, instead of the whole check running out of time."""
        timeout, capped = self._limit(timeout)
        try:
            return self.facts.run(command, timeout)
        except CommandTimeout as e:
            e.cut_by_limit = capped
            raise

    def _limit(self, timeout: float | None) -> tuple[float | None, bool]:
        """The time a command may take within the check's own limit, and whether that limit (rather than
        the command's own) is what bounds it: then a command that ends there was cut short by devdoctor."""
        if self.deadline is None:
            return timeout, False
        wanted = timeout or self.facts.command_timeout
        left = self.deadline - time.monotonic() - COMMAND_MARGIN
        return max(0.1, min(wanted, left)), self.users_limit and left < wanted

    def read(self, reading: Reading[T], *args: str, timeout: float | None = None) -> Read[T]:
        """A reading (devdoctor.readings), once per diagnosis, within the check's own time limit: the typed
        value and the raw lines behind it. `timeout`: for a reading slower than a command's default."""
        timeout, capped = self._limit(timeout)
        try:
            return self.facts.read(reading, *args, timeout=timeout)
        except CommandTimeout as e:
            e.cut_by_limit = capped
            raise

    def run_all(self, commands: Sequence[str | Sequence[str]],
                timeout: float | None = None) -> list[CommandResult | DeviceError]:
        """Several commands at the same time: each answer, or the error that stood in its way (a lost
        device still raises DeviceGone). Those not already on their way are started together, and
        every answer is awaited against one shared time limit, without a thread per command."""
        cmds = [c if isinstance(c, str) else command_line(c) for c in commands]
        self.facts.prefetch([], cmds)
        limit = timeout or self.facts.command_timeout
        end = time.monotonic() + limit
        answers: list[CommandResult | DeviceError] = []
        for cmd in cmds:
            try:
                answers.append(self.run(cmd, max(0.1, end - time.monotonic())))
            except DeviceGone:
                raise
            except CommandTimeout as e:  # told with the limit the caller set, not what was left of it
                answers.append(CommandTimeout(cmd, limit) if e.timeout < limit else e)
            except DeviceError as e:
                answers.append(e)
        return answers


class Check:
    """A check plugin. Subclass it, set the class attributes, implement `run`.

    `run` returns a CheckResult. It may raise the errors of `devdoctor.sources.device` (a command not
    answerable, a timeout, the device gone): the runner turns them into `unknown` with the reason.
    """

    id: str = ""
    title: str = ""
    description: str = ""
    looks_at: str = ""  # what it reads on the device, for `devdoctor list`
    requires: tuple[str, ...] = ()  # ids of checks that must pass (or warn) first
    # The readings this check always makes (a Reading, or (Reading, arg, ...)), started before the checks
    # run so that no answer waits for a prerequisite: this check's `cheap` ones in one round trip
    # (devdoctor.sources.batch), each of the others (logcat, ping, ...) at once on its own.
    reads: tuple = ()
    # The same for fixed commands no reading declares: `cheap_reads` batched, `slow_reads` on their own.
    cheap_reads: tuple[str, ...] = ()
    slow_reads: tuple[str, ...] = ()
    timeout: float | None = None  # seconds; None: the runner's default
    # The numbers it judges by that a site may set in devdoctor.toml's [thresholds] (read them with
    # ctx.threshold(name, default)); a name no loaded check declares is refused there.
    thresholds: dict[str, Threshold] = {}
    order: int = 100  # where it stands in reports (built-ins use small numbers)
    # For `devdoctor explain ID`: what the check means, why it matters, how to fix it by hand (paragraphs;
    # translated like title and description).
    explanation: str = ""

    def run(self, ctx: Context) -> CheckResult:  # pragma: no cover - abstract
        raise NotImplementedError


def evidence(result: CommandResult, lines: Sequence[str] | None = None, note: str = "") -> Evidence:
    """Evidence from a command's answer: the given lines, or all of a short output."""
    if lines is None:
        lines = result.lines[:20]
    return Evidence(result.command, [ln.rstrip() for ln in lines], note)
