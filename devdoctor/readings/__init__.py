"""Readings: a fact about the device, declared once, answered by every source.

A reading is what a check reads (the installed packages, the processes, the properties, ...). Its
declaration says, in one place, which command gives it on a live device (per Android version where that
differs), which parser turns the answer into a typed value, which part of a bugreport holds it, and
which `inspect` kind shows it. Every source answers it: the live device and a recording through the
command (batched and prefetched as before), a bugreport straight from its sections, a pasted capture
through `devdoctor inspect`. What comes back is a `Read`: the typed value and the raw lines, the
evidence a check shows.

    from devdoctor.readings.catalog import PACKAGES
    listing = ctx.read(PACKAGES)          # Read[PackageList]
    listing.value.packages, listing.evidence(["package:com.x"], "installed")

`ctx.run(command)` stays for what no reading declares (a third party's own command).
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Generic, TypeVar

from devdoctor.result import Evidence

if TYPE_CHECKING:
    from devdoctor.sources.device import CommandResult

T = TypeVar("T")


@dataclass(frozen=True)
class Reading(Generic[T]):
    """The declaration of one reading.

    - `command(sdk, *args)`: the live command (None: a reading only ever pasted, never asked for);
    - `parser`: the function that reads its answer, given itself or by name ("module:function", imported
      on first use, so that declaring readings costs nothing at start-up); `with_stderr` hands it stderr
      too (tools that report there); `answer_parser` reads the whole answer where more than its text
      counts (logcat's year-less stamps are placed by when the answer came);
    - `cheap`: quick and short: prefetched in one round trip with the other cheap reads its check
      declares; `by_version`: the command depends on the Android version (read from getprop first);
    - `kind`: the `devdoctor inspect` kind that shows it; `json_form` (`(value, capture) -> dict`) the
      facts `inspect --json` prints, from the very value a check gets; `capture_parser`
      (`(capture) -> value`) reads a pasted capture whose first line tells more than the text alone
      (a `logcat -v raw` command line).

    A source that holds the reading another way (a bugreport's sections) answers it with
    `read_reading(reading, args)`, and the command is never built."""

    name: str
    command: Callable[..., str] | None
    parser: str | Callable[[str], T]
    with_stderr: bool = False
    cheap: bool = False
    kind: str | None = None
    by_version: bool = False
    json_form: str | Callable[[T, Any], dict[str, Any]] | None = None
    capture_parser: str | Callable[[Any], T] | None = None
    answer_parser: str | Callable[[Any], T] | None = None

    def parse(self, text: str) -> T:
        return _function(self.parser)(text)

    def parse_capture(self, capture: Any) -> T:
        """The value of a pasted capture (devdoctor.parsers.capture.Capture)."""
        return _function(self.capture_parser)(capture) if self.capture_parser else self.parse(capture.text)

    def to_json(self, value: T, capture: Any) -> dict[str, Any]:
        """The reading's JSON form: its facts under the names captures/expected/README.md gives them."""
        return _function(self.json_form)(value, capture) if self.json_form else {}

    def command_for(self, sdk: int | None, *args: str) -> str:
        if self.command is None:  # a programming error: such readings are declared for `inspect` only
            raise TypeError(self.name)
        return self.command(sdk, *args)

    def key(self, *args: str) -> str:
        return "reading:" + self.name + "".join(f"|{a}" for a in args)


@dataclass
class Read(Generic[T]):
    """A reading's answer: the typed value, the command (or bugreport section) it came from, and its
    raw lines."""

    value: T
    source: str  # the command, or where in a bugreport
    lines: list[str] = field(default_factory=list)
    result: CommandResult | None = None  # the command's whole answer, when a command gave it

    def evidence(self, lines: list[str] | None = None, note: str = "") -> Evidence:
        """Evidence from this answer: the given lines, or all of a short one."""
        shown = self.lines[:20] if lines is None else lines
        return Evidence(self.source, [ln.rstrip() for ln in shown], note)

    @property
    def ok(self) -> bool:
        """The command exited 0 (a bugreport's section always counts as answered)."""
        return self.result is None or self.result.ok


def read_answer(reading: Reading[T], result: CommandResult) -> Read[T]:
    """The Read of a command's answer."""
    if reading.answer_parser:
        value = _function(reading.answer_parser)(result)
    else:
        value = reading.parse(result.output if reading.with_stderr else result.stdout)
    return Read(value, result.command, result.output.splitlines(), result)


def read_or_silence(ctx: Any, reading: Reading[T], *args: str) -> Read[T]:
    """The reading, or, when its source stays silent (a hang, a recording or bugreport without it), the
    reading of an empty answer whose lines say why: for facts whose absence is one way of not finding
    something, not the end of a check. A lost device still raises."""
    from devdoctor.sources.device import CommandTimeout, NotAnswerable

    try:
        return ctx.read(reading, *args)
    except (CommandTimeout, NotAnswerable) as e:
        return Read(reading.parse(""), getattr(e, "command", None) or reading.command_for(None, *args), [str(e)])


def _function(where: str | Callable[..., Any]) -> Callable[..., Any]:
    """A function given itself, or by name ("module:function": imported on first use)."""
    if callable(where):
        return where
    module, function = where.split(":")
    return getattr(importlib.import_module(module), function)


REGISTRY: dict[str, Reading[Any]] = {}


def declare(reading: Reading[T]) -> Reading[T]:
    """Add a reading to the registry (by name, and by inspect kind) and return it."""
    REGISTRY[reading.name] = reading
    return reading


def by_kind(kind: str) -> Reading[Any] | None:
    """The reading `devdoctor inspect` shows for this kind (the catalogue declares every kind it knows)."""
    import devdoctor.readings.catalog  # noqa: F401  (declares the built-in readings)

    return next((r for r in REGISTRY.values() if r.kind == kind), None)


def kinds() -> list[str]:
    import devdoctor.readings.catalog  # noqa: F401

    return sorted(r.kind for r in REGISTRY.values() if r.kind)
