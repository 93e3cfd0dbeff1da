"""Which wmpf-cli a host app embeds, told from its APK (nothing on a device prints the version).

Every marker below comes from ../shared/wmpf-domain.md §2.2-2.3, where each wmpf-cli AAR of the
official demo repository (wmpf/wmpf_demo_external, wmpf-demo/app/libs/, 0.1.8.4 … 2.2.0) was
decompiled and compared. The AAR's consumer ProGuard rules keep these names, so they survive R8
in a release build. The AAR carries no version file or BuildConfig semver (its BuildConfig
CLIENT_VERSION is a WeChat-style 0x28001C30, the same for 2.0.0-2.2.0), hence a fingerprint.

Pure: never raises; the result is a version range with the clues that decided it, or None.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from packaging.version import Version

from devdoctor.ui.i18n import _
from devdoctor.parsers.apk import ApkInfo
from devdoctor.wmpf.version import CliRange

PROTO = "Lcom/tencent/wmpf/cli/model/protocol/"

# (version it proves at least, what to look for, where: "dex" = a string of a dex file, "class" = a class
# of that simple name in any com.tencent.wmpf package, "service" = a manifest service, "queries" = an
# authority under the manifest's <queries>)
AT_LEAST: list[tuple[str, str, str]] = [
    ("2.2.0", "Lcom/tencent/wmpf/cli/model/WMPFProcessStrategy;", "dex"),  # 2.2.0 final, not the beta
    ("2.2.0", PROTO + "WMPFGetMiniProgramDeviceInfoRequest;", "dex"),
    ("2.2.0", "Lcom/tencent/wmpf/app/WMPFClientProvider;", "dex"),
    ("2.2.0", "WMPFCli.Info", "dex"),  # log tags WMPFCli.* only in 2.2.x
    ("2.2.0", "WMPFCli.IPCInvoker", "dex"),
    ("2.2.0", "com.tencent.wmpf.comm.provider", "queries"),  # the AAR manifest merges <queries> from 2.2
    ("2.1.0", PROTO + "WMPFSetZoomRequest;", "dex"),
    ("2.1.0", PROTO + "WMPFSetWindowRatioRequest;", "dex"),
    ("2.1.0", PROTO + "WMPFGetDrivingStatusRequest;", "dex"),
    ("2.1.0", "Lcom/tencent/wmpf/cli/api/WMPFApiException;", "dex"),  # package: the demo's imports
    ("2.1.0", "call WMPF.apk fail, is it installed?", "dex"),  # TaskError 10001, >= 2.1.0
    ("2.0.0", "Lcom/tencent/wmpf/cli/api/WMPF;", "dex"),  # the v2 API entry point
    ("1.1.0", "com.tencent.wmpf.app.WMPFBoot$WMPFCliMainProcessService", "service"),
    ("1.1.0", "com.tencent.wmpf.app.WMPFBoot$MainProcessService", "service"),  # 1.1.0.<hash>-IoT builds
    ("0.1.8", "com.tencent.wmpf.app.WMPFApplication$MainProcessService", "service"),  # 0.1.8.4 … 1.0.4
]
# Markers that prove an upper bound (exclusive): present only before that version.
BELOW: list[tuple[str, str, str]] = [
    ("2.2.0", "WMPFCLI.WMPFInfo", "dex"),  # log tags of <= 2.1.0
    ("2.2.0", "WMPF.CLI.TaskImpl", "dex"),
    ("2.1.0", "WMPFLifeCircleManager", "class"),  # 2.0.0 only; its package is not recorded: any under wmpf
    ("2.0.0", "com.tencent.wmpf.app.WMPFBoot$MainProcessService", "service"),
    ("1.1.0", "com.tencent.wmpf.app.WMPFApplication$MainProcessService", "service"),
]
# Any of these says the app embeds some wmpf-cli (the v1 IPC API, the app package, the cli package).
ANY_CLI = ("Lcom/tencent/wmpf/cli/", "Lcom/tencent/wmpf/app/WMPFBoot", "Lcom/tencent/wmpf/app/WMPFInfo;")
# Every dex marker above (and ANY_CLI) holds this, case aside: the host app's dex strings are read
# filtered by it (devdoctor.parsers.apk.dex_strings), a few dozen strings instead of every one.
DEX_NEEDLE = b"wmpf"
NEXT_GENERATION = {"1.1.0": "2.0.0", "2.0.0": "2.1.0", "2.1.0": "2.2.0"}


@dataclass
class CliFingerprint:
    found: bool  # the app embeds a wmpf-cli at all
    range: CliRange | None  # None: embedded, but no marker tells the version
    clues: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _wmpf_classes(apk: ApkInfo) -> set[str]:
    """Simple names of the classes a dex names under com/tencent/wmpf/."""
    return {s.rsplit("/", 1)[-1][:-1].split("$", 1)[0] for s in apk.strings
            if s.startswith("Lcom/tencent/wmpf/") and s.endswith(";")}


def _where(apk: ApkInfo, what: str, where: str, classes: set[str]) -> bool:
    if where == "dex":
        return what in apk.strings
    if where == "class":
        return what in classes
    if where == "service":
        return what in apk.services
    return what in apk.queries_providers


def _clue(what: str, where: str) -> str:
    name = what[1:-1].replace("/", ".") if what.startswith("L") and what.endswith(";") else what
    if where == "class":
        return _("dex names a com.tencent.wmpf class {what}").format(what=what)
    if where == "dex":
        return (_("dex names {name}") if what.startswith("L") else _("dex holds the string \"{name}\"")).format(
            name=name)
    return {"service": _("manifest declares service {name}"),
            "queries": _("manifest <queries> names provider {name}")}[where].format(name=name)


def fingerprint(apk: ApkInfo) -> CliFingerprint:
    """The wmpf-cli version range the APK's markers prove.

    The lower bound is the newest generation whose marker is present; the upper bound is the
    lowest of the "only before X" markers present and, when every dex was read, the next known
    generation whose markers are all absent. Above 2.2 nothing is known, so ">= 2.2" stays open."""
    classes = _wmpf_classes(apk)
    lows = [(Version(v), _clue(w, where)) for v, w, where in AT_LEAST if _where(apk, w, where, classes)]
    highs = [(Version(v), _clue(w, where)) for v, w, where in BELOW if _where(apk, w, where, classes)]
    found = bool(lows) or any(s.startswith(ANY_CLI) for s in apk.strings)
    problems = list(apk.problems)
    if not found:
        return CliFingerprint(False, None, [], problems)
    if not lows:
        return CliFingerprint(True, None, [_("the app names com.tencent.wmpf classes, but none that tells a version")],
                              problems)
    low = max(v for v, _ in lows)
    clues = [c for v, c in lows if v == low]
    bounds = [(v, c + _(" (only before {version})").format(version=v)) for v, c in highs if v > low]
    if apk.dex_files and str(low) in NEXT_GENERATION and not apk.problems:
        # Every dex was read and no marker of a newer generation is there.
        nxt = Version(NEXT_GENERATION[str(low)])
        bounds.append((nxt, _("no marker of wmpf-cli {version} or later in {files}").format(
            version=f"{nxt.major}.{nxt.minor}", files=", ".join(apk.dex_files))))
    high = min((v for v, _ in bounds), default=None)
    clues += [c for v, c in bounds if v == high]
    return CliFingerprint(True, CliRange(low, high, clues), clues, problems)
