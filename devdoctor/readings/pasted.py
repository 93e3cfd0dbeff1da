"""A pasted or saved capture read as the reading of its kind (`devdoctor inspect`): the same parser and
the same typed value a check gets, shown in the reading's own JSON form (Reading.to_json).

A kind no reading declares raises NotYetSupported rather than guessing.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from devdoctor.readings import by_kind


class NotYetSupported(Exception):
    """The kind is known but no reading for it is in this version."""


@dataclass
class CaptureReading:
    kind: str
    told_by: str  # "command" (the prompt line), "content", or "--as"
    facts: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    not_this_kind: bool = False  # read as asked with --as, nothing of that kind was in it
    closest: list[str] = field(default_factory=list)  # the kinds it looks most like, when not_this_kind


_REFUSALS = ("Unknown command", "Bad activity command", "Permission Denial", "Can't find service", "Error dumping")
# For each kind: its facts show that nothing of that kind was read (what `--as` on another capture gives).
NOTHING_READ: dict[str, Callable[[dict[str, Any]], bool]] = {
    "getprop": lambda f: f["prop_count"] == 0,
    "dumpsys_package": lambda f: not f["packages"] and not f["not_found"],
    "ps": lambda f: f["format"] is None,
    "pm_list_packages": lambda f: f["count"] == 0,
    "dumpsys_connectivity": lambda f: f["network_count"] == 0 and f["active_default_network_id"] is None,
    "appops": lambda f: (f["uid_count"] == 0 if f["kind"] == "dumpsys_appops" else
                         not f["ops"] and not f["uid_ops"] and not f["no_operations"] and "error" not in f),
    "logcat": lambda f: f["line_count"] == 0,
    "dumpsys_deviceidle": lambda f: not f["sections"] and not f.get("entries"),
    "dumpsys_activity": lambda f: f["error"] and not any(ln.startswith(_REFUSALS) for ln in f["error_lines"]),
    "ip_addr": lambda f: not f["interfaces"], "ifconfig": lambda f: not f["interfaces"],
    "ping": lambda f: f["run_count"] == 0,
}


def read_as(kind: str, capture: Any) -> tuple[dict[str, Any], list[str]]:
    """(the facts, what could not be read) of a capture read as the reading of `kind`."""
    reading = by_kind(kind)
    if reading is None:
        raise NotYetSupported(kind)
    value = reading.parse_capture(capture)
    facts = reading.to_json(value, capture)
    problems = facts.pop("problems", None)
    return facts, list(getattr(value, "problems", []) if problems is None else problems)


def inspect_bytes(data: bytes, as_kind: str | None = None) -> tuple[CaptureReading | None, Any]:
    """(the reading or None when the kind cannot be told, the cleaned Capture). Raises NotYetSupported."""
    from devdoctor.parsers.capture import closest_kinds, detect_kind, read_capture

    cap = read_capture(data)
    if as_kind:
        kind, told_by = as_kind, "--as"
    else:
        kind, told_by = detect_kind(cap)
        if kind is None:
            return None, cap
    facts, problems = read_as(kind, cap)
    reading = CaptureReading(kind, told_by, facts, list(cap.problems) + problems)
    if as_kind and cap.text.strip() and NOTHING_READ.get(kind, lambda f: False)(facts):
        found, _how = detect_kind(cap)
        reading.not_this_kind = True
        reading.closest = ([found] if found and found != kind else []) + [
            k for k in closest_kinds(cap) if k not in (kind, found)]
        reading.problems.insert(0, f"this is not {kind} output: nothing of it was read")
    return reading, cap
