"""`dumpsys package [PKG]`: one record per `Package [name] (hash):` block.

Formats (adb-notes §4, captures, docs/formats.md): <= 6.0 prints `versionCode=N targetSdk=M` and
`User 0:  installed=true ... enabled=0`; 7.0+ adds `minSdk=`, later releases add fields to the
`User N:` line, and 12+ moves `firstInstallTime=` into each user's sub-block. Fields are read as tolerant
`key=value` pairs, never by position. A package appears under `Packages:` and, for an updated system app,
again under `Hidden system packages:` (the factory copy); `sharedUser=SharedUserSetting{h name/uid}` names
its shared user, `splits=[base, config.x]` its split APKs. A paste that lost its indentation is read too:
then only a top-level section title ends a block.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from devdoctor.parsers.text import split_lines
from devdoctor.parsers.numbers import to_int

_BLOCK = re.compile(r"^(\s*)Package \[([^\]]+)\] \(([0-9a-fA-F]+)\):\s*$")
_SECTION = re.compile(r"^(\S[^:]*):\s*$")
_USER = re.compile(r"^\s*User (\d+):(.*)$")
_KV = re.compile(r"(?<!\w)(\w+)=(\S*)")  # a key starts a word: no retry inside a long word
_NOT_FOUND = re.compile(r"Unable to find package: (\S+)")
_SHARED_USER = re.compile(r"sharedUser=SharedUserSetting\{[0-9a-fA-F]+ ([^/\s}]+)/")
# Titles of PackageManagerService's dump sections: what ends a block in a paste without indentation.
_TOP_SECTIONS = re.compile(r"^(?:Database versions|Verifiers|Domain Verifier|Libraries|Features|\w+ Resolver Table|"
                           r"Preferred Activities|Permissions|Registered ContentProviders|ContentProvider Authorities|"
                           r"Key Set Manager|Packages|Hidden system packages|Shared users|Package Changes|Frozen packages|"
                           r"Loaded volumes|Service permissions|Dexopt state|Compiler stats|\w+ APEX packages|Queries|"
                           r"Domain verification status|Package Installer Sessions|Renamed packages|Known Packages)\b")
_PARTITIONS = ("/system/", "/vendor/", "/product/", "/system_ext/", "/oem/")
_SYSTEM_DIRS = ("/system/", "/vendor/", "/product/", "/system_ext/", "/oem/", "/apex/")

ENABLED_STATES = {0: "default", 1: "enabled", 2: "disabled", 3: "disabled-user", 4: "disabled-until-used"}


@dataclass
class UserState:
    user: int
    installed: bool | None = None
    stopped: bool | None = None
    hidden: bool | None = None
    suspended: bool | None = None
    enabled: int | None = None  # COMPONENT_ENABLED_STATE_*: 0 default, 1 on, 2/3/4 disabled
    firstInstallTime: str | None = None  # 12+: in the user's sub-block


@dataclass
class PackageRecord:
    package: str
    section: str = "Packages"
    versionName: str | None = None
    versionCode: int | None = None
    minSdk: int | None = None
    targetSdk: int | None = None
    codePath: str | None = None
    pkgFlags: list[str] = field(default_factory=list)
    firstInstallTime: str | None = None
    lastUpdateTime: str | None = None
    requested_permissions: list[str] = field(default_factory=list)
    granted_permissions: list[str] = field(default_factory=list)
    users: dict[int, UserState] = field(default_factory=dict)
    sharedUser: str | None = None  # android.uid.system
    splits: list[str] = field(default_factory=list)  # split APK names, `base` first
    lines: list[str] = field(default_factory=list)  # the block as printed, for evidence

    @property
    def is_system(self) -> bool:
        return bool(self.codePath and self.codePath.startswith(_SYSTEM_DIRS)) or "SYSTEM" in self.pkgFlags

    @property
    def on_system_partition(self) -> bool:
        """Its code lives on a read-only partition (an updated system app's lives in /data/app: False)."""
        return bool(self.codePath and self.codePath.startswith(_PARTITIONS))

    def user(self, n: int = 0) -> UserState | None:
        return self.users.get(n)

    @property
    def stopped(self) -> bool | None:
        u = self.user(0)
        return u.stopped if u else None

    @property
    def enabled_state(self) -> int | None:
        u = self.user(0)
        return u.enabled if u else None

    @property
    def disabled(self) -> bool:
        return self.enabled_state in (2, 3, 4)

    def evidence_lines(self) -> list[str]:
        """The lines of the block a person would look at first."""
        keys = ("Package [", "versionCode=", "versionName=", "codePath=", "pkgFlags=", "User 0:")
        return [ln.strip() for ln in self.lines if any(k in ln for k in keys)]


@dataclass
class PackageDump:
    packages: list[PackageRecord] = field(default_factory=list)
    not_found: str | None = None  # the name in "Unable to find package: X"
    problems: list[str] = field(default_factory=list)

    def find(self, name: str) -> PackageRecord | None:
        """The active record of exactly this package (not a `Hidden system packages:` copy)."""
        active = [p for p in self.packages if p.package == name]
        for p in active:
            if p.section == "Packages":
                return p
        return active[0] if active else None


def _int(v: str | None) -> int | None:
    return to_int(v)


def _bool(v: str | None) -> bool | None:
    return {"true": True, "false": False}.get(v or "")


def _first_install(rec: PackageRecord, when: str) -> None:
    """A package-level time (before 12), or the time of the user whose sub-block is being read."""
    if rec.users:
        user = rec.users[next(reversed(rec.users))]  # the last User line read
        if user.firstInstallTime is None:
            user.firstInstallTime = when
    elif rec.firstInstallTime is None:
        rec.firstInstallTime = when


def _read_field(rec: PackageRecord, stripped: str) -> None:
    """One `key=value` line of a package block (first value wins: a user's sub-block comes later)."""
    if stripped.startswith("pkgFlags=["):
        rec.pkgFlags = stripped[len("pkgFlags=["):].rstrip("]").split()
        return
    for key, value in _KV.findall(stripped):
        if key == "versionCode" and rec.versionCode is None:
            rec.versionCode = _int(value)
        elif key == "minSdk" and rec.minSdk is None:
            rec.minSdk = _int(value)
        elif key == "targetSdk" and rec.targetSdk is None:
            rec.targetSdk = _int(value)
        elif key == "codePath" and rec.codePath is None:
            rec.codePath = value
    if stripped.startswith("versionName=") and rec.versionName is None:
        rec.versionName = stripped[len("versionName="):]
    elif stripped.startswith("firstInstallTime="):
        _first_install(rec, stripped[len("firstInstallTime="):])
    elif stripped.startswith("sharedUser="):
        m = _SHARED_USER.search(stripped)
        rec.sharedUser = m.group(1) if m else rec.sharedUser
    elif stripped.startswith("splits=[") and not rec.splits:
        rec.splits = [x.strip().split(":")[0] for x in stripped[len("splits=["):].rstrip("]").split(",") if x.strip()]
    elif stripped.startswith("lastUpdateTime=") and rec.lastUpdateTime is None:
        rec.lastUpdateTime = stripped[len("lastUpdateTime="):]


def _read_block_line(rec: PackageRecord, line: str, sub: str) -> str:
    """One line inside a package's block; returns the sub-list being read next ("requested", "install",
    "runtime", or "" outside one)."""
    stripped = line.strip()
    u = _USER.match(line)
    if u:
        kv = dict(_KV.findall(u.group(2)))
        user = UserState(to_int(u.group(1)), _bool(kv.get("installed")), _bool(kv.get("stopped")),
                         _bool(kv.get("hidden")), _bool(kv.get("suspended")), _int(kv.get("enabled")))
        rec.users[user.user] = user
        return ""
    if stripped in ("requested permissions:", "install permissions:", "runtime permissions:"):
        return stripped.split()[0]
    if sub and ":" not in stripped.split(" ")[0] and "=" not in stripped:
        if sub == "requested":
            rec.requested_permissions.append(stripped)
        return sub
    if sub in ("install", "runtime") and ": granted=" in stripped:
        name, _, rest = stripped.partition(": granted=")
        if rest.startswith("true"):
            rec.granted_permissions.append(name)
        return sub
    _read_field(rec, stripped)
    return ""


def parse_dumpsys_package(text: str) -> PackageDump:
    dump = PackageDump()
    section = ""
    rec: PackageRecord | None = None
    indent = 0
    sub = ""  # the sub-list being read inside a block ("requested", "install")
    for line in split_lines(text):
        # a full dump has tens of thousands of lines: the regexes run only where their words are
        m = _NOT_FOUND.search(line) if "Unable to find package: " in line else None
        if m:
            dump.not_found = m.group(1)
            continue
        m = _BLOCK.match(line) if "Package [" in line else None
        if m:
            indent = len(m.group(1))
            rec = PackageRecord(m.group(2), section or "Packages", lines=[line])
            dump.packages.append(rec)
            sub = ""
            continue
        if rec is not None and line.strip() and len(line) - len(line.lstrip()) <= indent and (
                indent > 0 or _TOP_SECTIONS.match(line)):
            rec = None  # the block ended
        if rec is None:
            s = _SECTION.match(line)
            if s:
                section = s.group(1)
            continue
        rec.lines.append(line)
        sub = _read_block_line(rec, line, sub)
    for p in dump.packages:
        if p.user(0) is not None and p.user(0).firstInstallTime:  # 12+: the time of user 0 is the package's
            p.firstInstallTime = p.user(0).firstInstallTime
        if p.versionCode is None:
            dump.problems.append(f"no versionCode in the block of {p.package} (output cut off?)")
    return dump


def package_dump_json(d: PackageDump, capture: object = None) -> dict:
    """The JSON form of `dumpsys package` (`devdoctor inspect`)."""
    active = [r for r in d.packages if r.section == "Packages"]
    queried = d.not_found or (active[0].package if len(active) == 1 else None)
    facts: dict = {"not_found": d.not_found is not None, "package_queried": queried, "full_dump": len(active) > 1}
    if facts["full_dump"]:
        facts.update(package_count=len(active),
                     hidden_system_package_count=sum(r.section == "Hidden system packages" for r in d.packages),
                     package_block_count=len(d.packages))
    facts["packages"] = [{
        "package": r.package, "section": r.section, "versionName": r.versionName, "versionCode": r.versionCode,
        "minSdk": r.minSdk, "targetSdk": r.targetSdk, "codePath": r.codePath,
        "is_system": r.on_system_partition,
        "pkgFlags_has_SYSTEM": "SYSTEM" in r.pkgFlags, "stopped": r.stopped, "enabled": r.enabled_state,
        "installed_user0": r.user(0).installed if r.user(0) else None,
        "firstInstallTime": r.firstInstallTime, "lastUpdateTime": r.lastUpdateTime,
        "users_listed": sorted(r.users), "sharedUser": r.sharedUser, "splits": r.splits} for r in d.packages]
    return facts
