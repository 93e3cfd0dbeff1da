"""WMPF and wmpf-cli versions: reading them from what a device shows, and judging a pair.

Facts (../shared/wmpf-domain.md §2): the v2 API needs WMPF >= 2.1.0 and wmpf-cli >= 2.1.0, and the
vendor recommends the same version on both sides (docs "api/about", FAQ 4.8); WMPF below 1.1.5 has
known activation faults (FAQ 4.4). WMPF's versionCode scheme: 9010017 is 2.1.0, 9020017 is 2.2.0,
below 9010001 is older than 2.1.0 (the official demo's WMPFDemoUtil.kt).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from packaging.version import InvalidVersion, Version

MIN_WMPF = Version("1.1.5")  # FAQ 4.2/4.4: activation and push fixes
V2_API_MIN = Version("2.1.0")  # v2 API: both sides at 2.1.0 or later (FAQ 4.8)
LATEST_KNOWN = Version("2.2.0")  # the newest release on the stored download page (§2.2)
V2_1_CODE = 9010001  # the vendor's demo: versionCode below 9010001 is older than 2.1.0

_LEADING_VERSION = re.compile(r"^[vV]?(\d+(?:\.\d+){1,3})(?![0-9A-Za-z])")  # "2.2.0.4c1d2e": the hash is no part


def parse_version_name(version_name: str | None) -> Version | None:
    """The leading dotted number of a versionName ("2.1.0-rc1", "v2.2.0.abc123", "2.1.0 (build)"), or None."""
    m = _LEADING_VERSION.match((version_name or "").strip())
    if not m:
        return None
    try:
        return Version(m.group(1))
    except InvalidVersion:
        return None


def version_from_code(version_code: int | None) -> Version | None:
    """2.x from the vendor's versionCode scheme (90MMpp17 → 2.MM.0); None below 2.1.0, where no
    scheme is published (1.x codes: ../shared/wmpf-domain.md §2.4 [NF])."""
    if version_code is None or not V2_1_CODE <= version_code < 10_000_000:
        return None
    return Version(f"2.{(version_code // 10000) % 100}.0")  # 9010017 -> 2.1.0, 9020017 -> 2.2.0


def wmpf_version(version_name: str | None, version_code: int | None) -> Version | None:
    """WMPF's version as a comparable value, or None when it cannot be told.

    A versionName of 7.x ("7.0.10.51") is an early WeChat-style build name, not a WMPF version:
    those builds predate 1.0 (download page file names, wmpf-domain §2.4)."""
    v = parse_version_name(version_name)
    if v is not None and v.major < 7:
        return v
    return version_from_code(version_code)


@dataclass
class CliRange:
    """What is known of a wmpf-cli version: at least `low`, below `high` (None: no upper bound)."""

    low: Version
    high: Version | None = None
    clues: list[str] = field(default_factory=list)  # what decided it, for the evidence

    @property
    def label(self) -> str:
        if self.high is None:
            return f">= {self.low.major}.{self.low.minor}"
        if self.high.major == self.low.major and self.high.minor == self.low.minor + 1:
            return f"{self.low.major}.{self.low.minor}.x"
        if self.high.major == self.low.major + 1 and self.high.minor == 0:
            return f"{self.low.major}.x" + (f" (>= {self.low.major}.{self.low.minor})" if self.low.minor else "")
        return f">= {self.low.major}.{self.low.minor}, < {self.high.major}.{self.high.minor}"

    @property
    def v2_api(self) -> bool:
        """The v2 API (`WMPF.getInstance()`) exists from wmpf-cli 2.0.0."""
        return self.low >= Version("2.0.0")

    def below(self, v: Version) -> bool:
        """Certainly older than v."""
        return self.high is not None and self.high <= v

    def minor_matches(self, v: Version) -> bool:
        """v's major.minor lies in the range."""
        mm = Version(f"{v.major}.{v.minor}")
        return Version(f"{self.low.major}.{self.low.minor}") <= mm and (self.high is None or mm < self.high)


@dataclass
class PairVerdict:
    status: str  # "pass" / "warn" / "fail"
    rule: str  # which rule decided: "wmpf-too-old", "v2-needs-2.1", "minor-differs", "v1-beside-2.x", "match"
    upgrade: list[str] = field(default_factory=list)  # "WMPF" and/or "wmpf-cli"
    target: str = ""  # the version to upgrade to


def judge_pair(wmpf: Version, cli: CliRange) -> PairVerdict:
    """The rule of issue 5 / FAQ 4.8: fail when the host uses the v2 API and either side is below
    2.1.0, or WMPF is below 1.1.5; warn when both are 2.1.0+ but differ in minor version (or the cli
    is 1.x beside WMPF 2.x); pass when they match."""
    newest = max(wmpf, cli.low, LATEST_KNOWN)
    target = f"{newest.major}.{newest.minor}.0"
    if wmpf < MIN_WMPF:
        sides = ["WMPF"] + (["wmpf-cli"] if cli.v2_api and cli.below(V2_API_MIN) else [])
        return PairVerdict("fail", "wmpf-too-old", sides, target)
    if cli.v2_api:
        old = ([("WMPF")] if wmpf < V2_API_MIN else []) + (["wmpf-cli"] if cli.below(V2_API_MIN) else [])
        if old:
            return PairVerdict("fail", "v2-needs-2.1", old, target)
        if not cli.minor_matches(wmpf):
            older = "WMPF" if cli.low > wmpf else "wmpf-cli"
            newer = max(wmpf, cli.low)
            return PairVerdict("warn", "minor-differs", [older], f"{newer.major}.{newer.minor}.0")
        return PairVerdict("pass", "match")
    # v1 API (wmpf-cli 1.x): works against WMPF 1.1.5+, but the vendor recommends matching versions,
    # and from WMPF 2.1.0 devices activated through IoT (face-pay) are no longer supported.
    if wmpf >= Version("2.0.0"):
        return PairVerdict("warn", "v1-beside-2.x", ["wmpf-cli"], target)
    return PairVerdict("pass", "match")
