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
class Finding:
    """One part of a check's verdict: what was looked at, how it went, why, and what to do about it."""

    name: str  # stable within the check (link, dns, clock, ...), for JSON and tests
    label: str  # how the summary names it ("DNS")
    status: Status
    summary: str
    evidence: list[Evidence] = field(default_factory=list)
    remedy: Remedy | None = None
    details: dict[str, Any] = field(default_factory=dict)
    essential: bool = True  # when it cannot tell, the verdict cannot either


@dataclass
class CheckResult:
    status: Status
    summary: str
    evidence: list[Evidence] = field(default_factory=list)
    remedy: Remedy | None = None
    details: dict[str, Any] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)  # the parts, when the check has several
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

    @classmethod
    def of_findings(cls, findings: list[Finding], details: dict[str, Any] | None = None) -> "CheckResult":
        """One verdict from its findings, by one rule for every check:

        - status: the worst failing or warning finding's; else `unknown` when an essential finding could
          not tell; else `pass` (a non-essential finding that cannot tell does not hide a good verdict);
        - summary: the deciding findings first, then the others (skipped ones last), "label: summary";
        - remedy: the deciding findings' remedies, in that order; evidence: each command once, with every
          finding's note.
        """
        bad = [f for f in findings if f.status == Status.FAIL] or [f for f in findings if f.status == Status.WARN]
        unknown = [f for f in findings if f.status == Status.UNKNOWN and f.essential]
        status = bad[0].status if bad else Status.UNKNOWN if unknown else Status.PASS
        lead = bad or unknown or [f for f in findings if f.status == Status.UNKNOWN]
        rest = [f for f in findings if f not in lead and f.status != Status.SKIPPED]
        rest += [f for f in findings if f not in lead and f.status == Status.SKIPPED and not rest]
        summary = "; ".join(f"{f.label}: {f.summary}" for f in lead + rest)
        remedies = [f.remedy for f in lead if f.remedy]
        remedy = None
        if remedies:
            remedy = Remedy(" ".join(r.text for r in remedies), [c for r in remedies for c in r.commands],
                            faq=next((r.faq for r in remedies if r.faq), None),
                            fix=next((r.fix for r in remedies if r.fix), None))
        return cls(status, summary, merge_evidence(findings), remedy, dict(details or {}), list(findings))

    def to_json(self) -> dict[str, Any]:
        doc = plain(self)
        doc["duration"] = round(self.duration, 3)
        return doc


def merge_evidence(findings: list[Finding]) -> list[Evidence]:
    """Each command once (two findings may read the same answer), with every finding's note on it."""
    merged: dict[str, Evidence] = {}
    for f in findings:
        for e in f.evidence:
            note = f"{f.label}: {e.note}" if e.note else ""
            seen = merged.setdefault(e.command, Evidence(e.command, list(e.lines), ""))
            seen.lines += [ln for ln in e.lines if ln not in seen.lines]
            seen.note = "; ".join(n for n in (seen.note, note) if n)
    return list(merged.values())


def plain(value: Any) -> Any:
    """`value` as JSON-ready dicts, lists and scalars: what dataclasses.asdict gives, without its
    deep copy of every leaf (a fleet report holds tens of thousands)."""
    if value is None or type(value) in _SCALARS:  # the most common first; not a str-valued Enum (Status)
        return value
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (tuple, set, frozenset)):
        return [plain(v) for v in value]
    names = _FIELD_NAMES.get(type(value))
    if names is None and is_dataclass(value) and not isinstance(value, type):
        names = _FIELD_NAMES[type(value)] = tuple(f.name for f in fields(value))
    if names is not None:
        return {n: plain(getattr(value, n)) for n in names}
    return value


_SCALARS = (str, bool, int, float)
_FIELD_NAMES: dict[type, tuple[str, ...]] = {}  # a dataclass's field names, looked up once per class
