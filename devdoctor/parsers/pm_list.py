"""`pm list packages [-d|-e|-s|-3|-f|-U|--show-versioncode]` and `pm path PKG`.

Format (PackageManagerShellCommand.runListPackages; captures raw/pm_list_packages/*): one line per
package, `package:NAME`, with `-f` `package:PATH=NAME` (the name follows the LAST `=`: paths may
hold `=`), then ` versionCode:N` (8.0+) and ` uid:N` (8.0+ with -U). `pm path PKG`: one
`package:/path/base.apk` line per APK split. Failures arrive as text (`Error: ...`,
`cmd: Failure calling service package: Failed transaction (2147483646)` on large lists).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from devdoctor.sources.device import is_package_name
from devdoctor.parsers.text import split_lines
from devdoctor.parsers.numbers import to_int

_ERROR = re.compile(r"^(Error|Failure|cmd: |Exception|java\.|Security|/system/bin/sh: )")


@dataclass
class PmPackage:
    name: str
    path: str | None = None
    version_code: int | None = None
    uid: int | None = None


@dataclass
class PackageList:
    packages: dict[str, PmPackage] = field(default_factory=dict)
    non_package_lines: list[str] = field(default_factory=list)
    error: str | None = None
    problems: list[str] = field(default_factory=list)

    def __contains__(self, name: str) -> bool:
        return name in self.packages

    @property
    def names(self) -> list[str]:
        return sorted(self.packages)


def _entry(rest: str) -> PmPackage:
    extras = dict(re.findall(r" (versionCode|uid):(\S+)", rest))
    head = re.split(r" (?:versionCode|uid):", rest, maxsplit=1)[0].strip()
    path, name = None, head
    if "=" in head:
        path, _, name = head.rpartition("=")
    code = extras.get("versionCode")
    uid = extras.get("uid")
    return PmPackage(name, path, to_int(code), to_int(uid))


def parse_pm_list(text: str) -> PackageList:
    result = PackageList()
    for line in split_lines(text):
        stripped = line.strip()
        if not stripped:
            continue
        if stripped.startswith("package:"):
            entry = _entry(stripped[len("package:"):])
            if entry.name:
                result.packages[entry.name] = entry
            continue
        if _ERROR.match(stripped) and result.error is None:
            result.error = stripped
        result.non_package_lines.append(stripped)
    if result.non_package_lines and not result.packages and result.error is None:
        result.error = result.non_package_lines[0]
    if result.non_package_lines:
        result.problems.append(f"{len(result.non_package_lines)} line(s) are not `package:` lines")
    return result


@dataclass
class PmPath:
    paths: list[str] = field(default_factory=list)
    error: str | None = None
    problems: list[str] = field(default_factory=list)


def parse_pm_path(text: str) -> PmPath:
    result = PmPath()
    for line in split_lines(text):
        stripped = line.strip()
        if stripped.startswith("package:"):
            result.paths.append(stripped[len("package:"):])
        elif stripped:
            result.error = result.error or stripped
    if result.error:
        result.problems.append("the answer holds lines that are not `package:PATH`: " + result.error[:80])
    return result


def package_list_json(listing: PackageList, capture) -> dict:
    """The JSON form of `pm list packages` (`devdoctor inspect`), with the options its lines show."""
    names = sorted(listing.packages)
    entries = listing.packages.values()
    paths = {n: p.path for n, p in listing.packages.items() if p.path}
    form = {"f_paths": bool(paths), "uid": any(p.uid is not None for p in entries),
            "versionCode": any(p.version_code is not None for p in entries)}
    facts = {"packages": names, "count": len(names),
             "package_line_count": sum(ln.startswith("package:") for ln in capture.lines),
             "flags_form": form, "paths": paths or None, "non_package_lines": listing.non_package_lines,
             "bare_names_without_prefix": [ln.strip() for ln in listing.non_package_lines
                                           if is_package_name(ln.strip())]}
    # -f, -U, --show-versioncode as the lines show them; a plain list and `-s`, `-3`, `-e`... look the same
    flags = " ".join(flag for flag, shown in (("-f", form["f_paths"]), ("-U", form["uid"]),
                                              ("--show-versioncode", form["versionCode"])) if shown)
    if flags:
        facts["pm_flags_inferred"] = flags
    return facts
