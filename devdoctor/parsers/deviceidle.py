"""The battery-optimisation (Doze) whitelist, from either command that shows it.

- `dumpsys deviceidle whitelist` (DeviceIdleController shell, Android 6.0-14): one line per entry,
  `system-excidle,PKG,APPID`, `system,PKG,APPID`, `user,PKG,APPID`.
- the full `dumpsys deviceidle` (captures raw/dumpsys_deviceidle/*, 7.1.1-10): indented sections
  `  Whitelist (except idle) system apps:`, `  Whitelist system apps:`, `  Whitelist user apps:` with one
  package per deeper-indented line, and `... app ids:` sections with one number per line.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from devdoctor.parsers.text import split_lines
from devdoctor.parsers.numbers import to_int

_ENTRY = re.compile(r"^(system-excidle|system|user|user-excidle),([A-Za-z0-9_.]+),(-?\d+)\s*$")
_SECTION = re.compile(r"^  (Whitelist [^:]*):\s*$")
_ITEM = re.compile(r"^    (\S+)\s*$")
_KIND_OF_SECTION = {"Whitelist (except idle) system apps": "system-excidle", "Whitelist system apps": "system",
                    "Whitelist user apps": "user"}


@dataclass
class WhitelistEntry:
    kind: str  # system-excidle (not restricted except in idle), system, user (added by a person or an app)
    package: str
    app_id: int | None = None
    line: str = ""


@dataclass
class DeviceIdle:
    entries: list[WhitelistEntry] = field(default_factory=list)
    sections: dict[str, list[str]] = field(default_factory=dict)  # dumpsys: header -> packages
    app_id_sections: dict[str, list[int]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def user_whitelist(self) -> list[str]:
        return [e.package for e in self.entries if e.kind == "user"]

    def lookup(self, package: str) -> list[WhitelistEntry]:
        """Every whitelist entry of `package` (empty: it is not exempt from Doze / app standby)."""
        return [e for e in self.entries if e.package == package]

    def whitelisted(self, package: str) -> bool:
        """Fully exempt: in the system or user list ('except idle' alone does not cover Doze)."""
        return any(e.kind in ("system", "user") for e in self.lookup(package))


def parse_deviceidle(text: str) -> DeviceIdle:
    out = DeviceIdle()
    section: str | None = None
    seen_any = False
    for line in split_lines(text):
        m = _ENTRY.match(line.strip())
        if m:
            out.entries.append(WhitelistEntry(m.group(1), m.group(2), to_int(m.group(3)), line.strip()))
            seen_any = True
            continue
        m = _SECTION.match(line)
        if m:
            section = m.group(1)
            seen_any = True
            if section.endswith("app ids"):
                out.app_id_sections[section] = []
            else:
                out.sections[section] = []
            continue
        m = _ITEM.match(line) if section else None
        if m and section:
            item = m.group(1)
            if section in out.app_id_sections:
                if to_int(item) is not None:
                    out.app_id_sections[section].append(to_int(item))
            else:
                out.sections[section].append(item)
                kind = _KIND_OF_SECTION.get(section)
                if kind:
                    out.entries.append(WhitelistEntry(kind, item, None, line.strip()))
            continue
        section = None
    if not seen_any:
        if text.strip():
            out.problems.append("no whitelist lines: this is not `dumpsys deviceidle [whitelist]` output")
        # an empty answer to `dumpsys deviceidle whitelist` is a legitimately empty whitelist
    return out


WHITELISTS = ("Whitelist (except idle) system apps", "Whitelist system apps", "Whitelist user apps")


def deviceidle_json(d: DeviceIdle, capture: object = None) -> dict:
    """The JSON form of `dumpsys deviceidle` (`devdoctor inspect`)."""
    facts = {"sections": d.sections, "sections_absent": [t for t in WHITELISTS if t not in d.sections],
             "user_whitelist": d.sections.get("Whitelist user apps", [e.package for e in d.entries if e.kind == "user"]),
             "app_id_sections": d.app_id_sections}
    if d.entries:
        facts["entries"] = [{"kind": e.kind, "package": e.package, "app_id": e.app_id} for e in d.entries]
    return facts
