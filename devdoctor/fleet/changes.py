"""What changed on a device between two runs kept in the history: the checks newly failing, fixed,
still failing, and any other change of verdict."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from devdoctor.fleet import history
from devdoctor.fleet.history import Verdict

FIXED_BY = ("pass", "warn", "skipped")  # a failure followed by one of these was fixed; by `unknown`, not known


@dataclass
class Change:
    check: str
    title: str
    before: str | None  # None: not run then
    after: str | None  # None: not run now
    summary: str  # the later run's words (the earlier run's when the check was not run again)


@dataclass
class Changes:
    device: str
    from_run: int
    to_run: int
    newly_failing: list[Change] = field(default_factory=list)
    fixed: list[Change] = field(default_factory=list)
    still_failing: list[Change] = field(default_factory=list)
    other: list[Change] = field(default_factory=list)  # e.g. pass -> warn, fail -> unknown


def compare(device: str, from_run: int, before: dict[str, Verdict], to_run: int,
            after: dict[str, Verdict]) -> Changes:
    out = Changes(device, from_run, to_run)
    for check in [*after, *(c for c in before if c not in after)]:
        old, new = before.get(check), after.get(check)
        was, now = old.status if old else None, new.status if new else None
        change = Change(check, (new or old).title, was, now, (new or old).summary)
        if now == "fail":
            (out.still_failing if was == "fail" else out.newly_failing).append(change)
        elif was == "fail" and now in FIXED_BY:
            out.fixed.append(change)
        elif was != now:
            out.other.append(change)
    return out


def between(path: Path, device: str, from_run: int | None = None, to_run: int | None = None) -> Changes | None:
    """The changes from `from_run` to `to_run` (default: the device's two latest runs); None when the
    device has fewer than two runs to compare."""
    ids = history.run_ids(path, device)
    to_run = to_run if to_run is not None else (ids[0] if ids else None)
    if from_run is None and to_run is not None:
        from_run = next((i for i in ids if i < to_run), None)
    if from_run is None or to_run is None or from_run not in ids or to_run not in ids:
        return None
    return compare(device, from_run, history.verdicts(path, from_run, device), to_run,
                   history.verdicts(path, to_run, device))
