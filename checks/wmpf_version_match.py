"""The WMPF Service and the wmpf-cli inside the maker's app are versions that work together.

FAQ 4.8: error 10001 "call WMPF.apk fail, is it installed?" on the v2 API comes, when the v1 API
works, from a wmpf-cli that does not match the WMPF Service APK: both must be 2.1.0 or later, and
the vendor recommends the same version on both sides. Nothing on the device prints the wmpf-cli
version, so the host app's APK is read and fingerprinted (devdoctor/parsers/wmpf_cli.py).
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

from devdoctor.check import Check, Context
from devdoctor.ui.i18n import N_, _
from devdoctor.core.lazy import lazy
from devdoctor.readings import Read
from devdoctor.readings.catalog import APK_PATH, PACKAGE
from devdoctor.result import CheckResult, Evidence, Remedy
from devdoctor.wmpf.shared import WMPF_PACKAGE, HostApp, search_host_app

if TYPE_CHECKING:
    from devdoctor.sources.device_apk import ApkRead
    from devdoctor.wmpf.version import CliRange

if TYPE_CHECKING:  # a type checker follows the module; at run time it is imported on first use
    import devdoctor.sources.device_apk as device_apk
    import devdoctor.wmpf.fingerprint_cache as fingerprint_cache
    import devdoctor.parsers.wmpf_cli as wmpf_cli
    import devdoctor.wmpf.version as versions
else:
    device_apk = lazy("devdoctor.sources.device_apk")
    fingerprint_cache = lazy("devdoctor.wmpf.fingerprint_cache")
    wmpf_cli = lazy("devdoctor.parsers.wmpf_cli")
    versions = lazy("devdoctor.wmpf.version")

WMPF = WMPF_PACKAGE
CLI_PROVIDER = "com.tencent.wmpf.cli.provider"  # the authority a host app declares (wmpf-domain §2.1)
PULL_COMMAND = "adb pull {path}"
BUILD_VERSION_KEY = "com.tencent.wmpf.BuildInfo.BUILD_WMPF_VERSION_NAME"  # read by the vendor's demo


HOW = {"provider": N_("owns com.tencent.wmpf.cli.provider"), "bound": N_("bound to WMPFService"),
       "flag": N_("named with --host-package")}  # host-app's `how`, in words


def find_host(ctx: Context) -> tuple[HostApp | None, list[Evidence]]:
    """The host app, found once per diagnosis whichever check asks first (devdoctor.wmpf.shared.search_host_app)."""
    search = search_host_app(ctx)
    return search.host, (search.host.evidence[:1] if search.host else search.evidence)


def base_apk(ctx: Context, package: str) -> tuple[str | None, Evidence]:
    """The base.apk path of an installed package (`pm path`), with its evidence."""
    read = ctx.read(APK_PATH, package)
    paths = read.value.paths
    base = next((p for p in paths if p.endswith("/base.apk")), paths[0] if paths else None)
    return base, read.evidence(read.lines[:6])


def _upgrade_remedy(ctx: Context, sides: list[str], target: str, host: str, faq: str) -> Remedy:
    parts, commands = [], []
    if "WMPF" in sides:
        parts.append(_("upgrade the WMPF Service APK to {v} (WMPF download page)").format(v=target))
        if target == "2.2.0":  # the one release whose file name is known (download page, wmpf-domain §2.4)
            flavour = "arm64" if any(a.startswith("arm64") for a in ctx.facts.props().abi_list) else "arm"
            commands.append(f"adb install -r wmpf-{flavour}-production-release-v2.2.0-9020017-signed.apk")
    if "wmpf-cli" in sides:
        parts.append(_("rebuild the maker's app {host} with wmpf-cli-{v}.aar (app/libs) and install it").format(
            host=host, v=target))
    return Remedy(_("To make the pair match: {steps}.").format(steps=_("; ").join(parts)), commands, faq)


@dataclass
class HostSide:
    """What the host app's side came to: a wmpf-cli range, or the reason it could not be told."""

    package: str | None
    cli: CliRange | None
    evidence: list[Evidence]
    problem: str = ""  # the unknown verdict's summary when cli is None (and the host app is known)
    remedy: Remedy | None = None

    def unknown(self, problem: str, remedy: Remedy) -> "HostSide":
        self.problem, self.remedy = problem, remedy
        return self


def _device_id(ctx: Context) -> str:
    """Whose APKs a cached fingerprint describes: the device's own serial number. The adb serial of a
    device over the network is an address (IP:port) that another device may answer at later."""
    props = ctx.facts.props()
    own = props.get("ro.serialno") or props.get("ro.boot.serialno")
    return f"{own}@{ctx.device.serial}" if own else ctx.device.serial


class WmpfVersionMatch(Check):
    id = "wmpf-version-match"
    title = "WMPF and wmpf-cli versions match"
    description = ("The WMPF Service APK and the wmpf-cli inside the maker's app work together: both 2.1.0+ "
                   "for the v2 API, ideally the same version (FAQ 4.8).")
    looks_at = ("dumpsys package com.tencent.wmpf, pm path, the WMPF APK's manifest meta-data, the host app's "
                "APK (manifest and dex strings)")
    requires = ("wmpf-installed", "host-app")  # host-app (branch health) is used when it exists
    timeout = 120.0  # reading two APKs over USB
    order = 40
    reads = ((PACKAGE, WMPF), (APK_PATH, WMPF))  # sent before any check runs: the WMPF side waits for no one

    def run(self, ctx: Context) -> CheckResult:
        package = ctx.read(PACKAGE, WMPF)
        rec = package.value.find(WMPF)
        if rec is None:
            return CheckResult.skipped(_("WMPF Service is not installed, so there is no pair to compare"),
                                       evidence=[package.evidence([], _("no `Package [com.tencent.wmpf]` block"))])
        # The two sides are read at the same time: each is a chain of round trips. A daemon thread,
        # like the runner's: a copy that hangs must never keep devdoctor from exiting.
        host_box: list = []

        def host_work() -> None:
            try:
                host_box.append(self._host_side(ctx))
            except BaseException as e:  # handed to this thread below
                host_box.append(e)

        worker = threading.Thread(target=host_work, name="version-match-host", daemon=True)
        worker.start()
        wmpf_v, how_wmpf, ev, details = self._wmpf_side(ctx, rec, package)
        worker.join()
        if isinstance(host_box[0], BaseException):
            raise host_box[0]
        host: HostSide = host_box[0]
        if wmpf_v is None:
            return CheckResult.unknown(
                _("cannot tell WMPF's version: versionName {name!r}, versionCode {code} and no readable manifest "
                  "meta-data").format(name=rec.versionName, code=rec.versionCode), evidence=ev, details=details,
                remedy=Remedy(_("Ask who installed WMPF which APK it was (the file name carries the version, e.g. "
                                "wmpf-arm64-production-release-v2.2.0-9020017-signed.apk), or install 2.2.0 from "
                                "the WMPF download page.")))
        ev += host.evidence
        if host.package:
            details["host"] = host.package
        if host.cli is None:
            summary = host.problem or _("WMPF is {wmpf}, but no app owns {authority} or is bound to WMPFService, so "
                                        "the app that embeds wmpf-cli is not known").format(
                wmpf=wmpf_v, authority=CLI_PROVIDER)
            return CheckResult.unknown(summary, evidence=ev, details=details, remedy=host.remedy)
        return self._judge(ctx, wmpf_v, how_wmpf, host.cli, host.package, ev, details)

    def _wmpf_side(self, ctx: Context, rec, package: Read) -> tuple:
        """WMPF's version: the manifest meta-data is the authority, the package manager the fallback."""
        ev = [package.evidence([ln for ln in rec.evidence_lines() if "version" in ln])]
        details: dict = {"wmpf": {"versionName": rec.versionName, "versionCode": rec.versionCode}}
        pm_version = versions.wmpf_version(rec.versionName, rec.versionCode)
        meta_version, how_wmpf = None, _("package manager")
        cache_key = ctx.settings.fingerprint_cache and fingerprint_cache.key(
            _device_id(ctx), WMPF, rec.versionCode, rec.lastUpdateTime)
        value = fingerprint_cache.get_value(cache_key) if cache_key else None
        if isinstance(value, str) and versions.parse_version_name(value) is not None:
            meta_version, how_wmpf = versions.parse_version_name(value), _("its manifest meta-data")
            ev.append(package.evidence([f"{BUILD_VERSION_KEY} = {value}"],
                                       _("kept from an earlier run on this device (same versionCode and update "
                                         "time)")))
        elif (found := base_apk(ctx, WMPF))[0] is None:
            ev.append(found[1])
        else:
            read = device_apk.read_device_apk(ctx, found[0], with_dex=False)
            meta = read.info.meta_data if read.info else {}
            details["wmpf"]["meta_data"] = {k: v for k, v in meta.items() if k.startswith("com.tencent.wmpf.BuildInfo.")}
            value = meta.get(BUILD_VERSION_KEY)
            meta_version = versions.parse_version_name(value)
            ev += read.evidence[1:-1]  # what was tried before the last attempt
            if meta_version is not None:
                how_wmpf = _("its manifest meta-data")
                note = read.how
                if pm_version is not None and pm_version != meta_version:
                    note += "; " + _("the package manager says {v}; the meta-data decides").format(v=pm_version)
                ev.append(Evidence(read.evidence[-1].command, [f"{BUILD_VERSION_KEY} = {value}"], note))
                if cache_key:
                    fingerprint_cache.put_value(cache_key, value)
            else:
                if read.info is not None and read.info.manifest_read:
                    why = _("no {key} in its manifest").format(key=BUILD_VERSION_KEY)
                else:
                    why = read.error or "; ".join(read.info.problems[:2] if read.info else [])
                ev.append(Evidence(read.evidence[-1].command, [why], _("version taken from the package manager")))
        wmpf_v = meta_version or pm_version
        details["wmpf"].update(version=str(wmpf_v) if wmpf_v else None, source=how_wmpf)
        return wmpf_v, how_wmpf, ev, details

    def _host_side(self, ctx: Context) -> "HostSide":
        """The host app and the wmpf-cli range its APK proves, or why it cannot be told."""
        host, ev = find_host(ctx)
        if host is None:
            return HostSide(None, None, ev, remedy=Remedy(
                _("Name the maker's app: devdoctor run --host-package PACKAGE (pm list packages -3 lists the "
                  "installed apps)."), ["adb shell pm list packages -3"]))
        side = HostSide(host.package, None, ev)
        path = next((p for p in host.apk_paths if p.endswith("/base.apk")), None)
        if path is None:
            path, pev = base_apk(ctx, host.package)
            ev.append(pev)
        if path is None:
            return side.unknown(_("the host app {host} ({how}) is not installed: `pm path` gives no APK").format(
                host=host.package, how=_(HOW.get(host.how, host.how))),
                Remedy(_("Check the package name given with --host-package."), ["adb shell pm list packages -3"]))
        cache_key = None
        if ctx.settings.fingerprint_cache:
            hrec = ctx.facts.package_dump(host.package).find(host.package)
            cache_key = hrec and fingerprint_cache.key(_device_id(ctx), host.package, hrec.versionCode,
                                                       hrec.lastUpdateTime)
            cached = fingerprint_cache.get(cache_key) if cache_key else None
            if cached is not None:
                ev.append(Evidence(PULL_COMMAND.format(path=path), cached.clues, _("fingerprint kept from an earlier run on this "
                                                                      "device (same versionCode and update time); "
                                                                      "--no-cache reads the APK again")))
                side.cli = cached
                return side
        read: ApkRead = device_apk.read_device_apk(ctx, path, with_dex=True, strings_containing=wmpf_cli.DEX_NEEDLE)
        ev += read.evidence[:1]
        if read.info is not None and not read.info.dex_files:  # no dex read: absence of markers proves nothing
            read.error = "; ".join(read.info.problems[:3]) or _("no dex file could be read")
            read.info = None
        if read.info is None:
            return side.unknown(_("could not read the host app's APK: {error}").format(error=read.error), Remedy(
                _("Copy it by hand and look again, or ask the maker which wmpf-cli AAR the app was built with."),
                [f"adb pull {path} host.apk"]))
        fp = wmpf_cli.fingerprint(read.info)
        tried = _("{how}: {dex} dex file(s), manifest {manifest}").format(
            how=read.how, dex=len(read.info.dex_files), manifest=_("read") if read.info.manifest_read else _("not read"))
        ev.append(Evidence(read.evidence[-1].command, fp.clues + fp.problems[:5], tried))
        if not fp.found:
            return side.unknown(_("{host} ({how}) embeds no wmpf-cli: no com.tencent.wmpf classes in its APK").format(
                host=host.package, how=_(HOW.get(host.how, host.how))),
                Remedy(_("Name the maker's app that uses WMPF with --host-package.")))
        if fp.range is None:
            reason = "; ".join(fp.problems[:2]) or _("no class, service or string that tells a version")
            return side.unknown(_("{host} embeds wmpf-cli, but its version cannot be told ({reason})").format(
                host=host.package, reason=reason), Remedy(
                    _("Ask the maker which wmpf-cli AAR the app was built with (app/libs/wmpf-cli-<version>.aar).")))
        if cache_key:
            fingerprint_cache.put(cache_key, fp.range)
        side.cli = fp.range
        return side

    def _judge(self, ctx: Context, wmpf_v, how_wmpf: str, cli: CliRange, host: str, ev: list[Evidence],
               details: dict) -> CheckResult:
        details["cli"] = {"range": cli.label, "low": str(cli.low), "high": str(cli.high) if cli.high else None,
                          "v2_api": cli.v2_api, "clues": cli.clues}
        verdict = versions.judge_pair(wmpf_v, cli)
        details["rule"] = verdict.rule
        pair = _("WMPF {wmpf} (from {source}), wmpf-cli {cli} in {host}").format(
            wmpf=wmpf_v, source=how_wmpf, cli=cli.label, host=host)
        if verdict.rule == "wmpf-too-old":
            return CheckResult.fail(_("{pair}: WMPF is older than 1.1.5").format(pair=pair), evidence=ev,
                                    details=details, remedy=_upgrade_remedy(ctx, verdict.upgrade, verdict.target,
                                                                             host, "4.4"))
        if verdict.rule == "v2-needs-2.1":
            old = _(" and ").join(verdict.upgrade)
            return CheckResult.fail(_("{pair}: the app uses the v2 API, which needs WMPF and wmpf-cli both at {min} "
                                      "or later ({old} is older); expect error 10001 \"call WMPF.apk fail\"").format(
                pair=pair, min=versions.V2_API_MIN, old=old), evidence=ev, details=details,
                remedy=_upgrade_remedy(ctx, verdict.upgrade, verdict.target, host, "4.8"))
        if verdict.rule == "minor-differs":
            return CheckResult.warn(_("{pair}: both support the v2 API, but the versions differ; the vendor "
                                      "recommends the same version on both sides").format(pair=pair), evidence=ev,
                                    details=details, remedy=_upgrade_remedy(ctx, verdict.upgrade, verdict.target,
                                                                             host, "4.8"))
        if verdict.rule == "v1-beside-2.x":
            return CheckResult.warn(_("{pair}: the app uses the old v1 API beside WMPF 2.x; the vendor recommends "
                                      "the same version on both sides and the v2 API").format(pair=pair), evidence=ev,
                                    details=details, remedy=_upgrade_remedy(ctx, verdict.upgrade, verdict.target,
                                                                             host, "4.8"))
        return CheckResult.passed(_("{pair}: the versions match").format(pair=pair), evidence=ev, details=details)

