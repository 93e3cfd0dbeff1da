"""What a check returns: a status, a one-line summary, the evidence behind it and a remedy."""
from __future__ import annotations

from dataclasses import dataclass, field, fields, is_dataclass
from enum import Enum
from typing import Any


class Status(str, Enum):
    PASS = "pass"
    WARN = "warn"
    FAIL = "fail"
    UNKNOWN = "unknown"  # could not tell; the summary says why
    SKIPPED = "skipped"  # not applicable here; the summary says why

    @property
    def rank(self) -> int:
        """How bad a status is, for 'worst of' summaries."""
        return {"pass": 0, "skipped": 0, "unknown": 1, "warn": 2, "fail": 3}[self.value]


@dataclass
class Evidence:
    """A command that was run and the lines of its output that decided the verdict."""

    command: str
    lines: list[str] = field(default_factory=list)
    note: str = ""


@dataclass
class Remedy:
    """What a technician can do: plain words, exact commands, the vendor FAQ section, a devdoctor fix."""

    text: str
    commands: list[str] = field(default_factory=list)
    faq: str | None = None
    fix: str | None = None


@dataclass
class CheckResult:
    status: Status
    summary: str
    evidence: list[Evidence] = field(default_factory=list)
    remedy: Remedy | None = None
    details: dict[str, Any] = field(default_factory=dict)
    # Filled in by the runner.
    id: str = ""
    title: str = ""
    duration: float = 0.0

    @classmethod
    def passed(cls, summary: str, **kw: Any) -> "CheckResult":
        return cls(Status.PASS, summary, **kw)

    @classmethod
    def warn(cls, summary: str, **kw: Any) -> "CheckResult":
        return cls(Status.WARN, summary, **kw)

    @classmethod
    def fail(cls, summary: str, **kw: Any) -> "CheckResult":
        return cls(Status.FAIL, summary, **kw)

    @classmethod
    def unknown(cls, summary: str, **kw: Any) -> "CheckResult":
        return cls(Status.UNKNOWN, summary, **kw)

    @classmethod
    def skipped(cls, summary: str, **kw: Any) -> "CheckResult":
        return cls(Status.SKIPPED, summary, **kw)

    def to_json(self) -> dict[str, Any]:
        doc = plain(self)
        doc["duration"] = round(self.duration, 3)
        return doc


def plain(value: Any) -> Any:
    """`value` as JSON-ready dicts, lists and scalars: what dataclasses.asdict gives, without its
    deep copy of every leaf (a fleet report holds tens of thousands)."""
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [plain(v) for v in value]
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in fields(value)}
    return value
