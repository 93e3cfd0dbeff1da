"""The WMPF Service APK (`com.tencent.wmpf`) is installed, enabled, and not older than 1.1.5."""
from __future__ import annotations

from typing import TYPE_CHECKING

from devdoctor.check import Check, Context
from devdoctor.ui.i18n import _
from devdoctor.core.lazy import lazy
from devdoctor.readings.catalog import PACKAGE
from devdoctor.result import CheckResult, Remedy
from devdoctor.wmpf.shared import WMPF_PACKAGE

WMPF = WMPF_PACKAGE
if TYPE_CHECKING:  # a type checker follows the module; at run time it is imported on first use
    import devdoctor.wmpf.version as versions
else:
    versions = lazy("devdoctor.wmpf.version")
__all__ = ["WmpfInstalled", "install_remedy"]


def wmpf_build(abis: list[str]) -> str | None:
    """Which WMPF APK runs on a CPU with these ABIs: WMPF ships `wmpf-arm64-*` and `wmpf-arm-*` only
    (wmpf-domain §1). An x86 board with ARM translation lists ARM ABIs too, and runs them."""
    if any(a.startswith("arm64") for a in abis):
        return "arm64"
    if any(a.startswith("armeabi") for a in abis):
        return "arm"
    return None


def install_remedy(ctx: Context) -> Remedy:
    abis = ctx.facts.props().abi_list
    flavour = wmpf_build(abis)
    if flavour is None and abis:
        return Remedy(_("WMPF is built for ARM CPUs only, and this device's CPU ({abis}) runs no ARM code: use an "
                        "ARM board, or an x86 board whose Android translates ARM apps (its ABI list then names "
                        "armeabi-v7a or arm64-v8a).").format(abis=", ".join(abis)), faq="4.5")
    if flavour is None:  # the ABI list could not be read
        return Remedy(_("Install the WMPF Service APK for this device's CPU (arm64 or arm: see `adb shell getprop "
                        "ro.product.cpu.abilist`) from the WMPF download page, then start the maker's app again."),
                      faq="4.5")
    return Remedy(
        _("Install the WMPF Service APK for this CPU ({flavour}) from the WMPF download page, then start "
          "the maker's app again.").format(flavour=flavour),
        commands=[f"adb install -r wmpf-{flavour}-production-release-v2.2.0-9020017-signed.apk"], faq="4.5")


class WmpfInstalled(Check):
    id = "wmpf-installed"
    title = "WMPF Service installed"
    description = "The WMPF Service APK (com.tencent.wmpf) is installed, enabled, and at least 1.1.5."
    order = 20
    reads = ((PACKAGE, WMPF_PACKAGE),)
    looks_at = "dumpsys package com.tencent.wmpf"
    explanation = ("Calls from the maker's app go through wmpf-cli to the WMPF Service APK (com.tencent.wmpf); "
                   "without it, or with it disabled, every call fails with bridge not found (FAQ 4.5) or "
                   "errCode 10001 (FAQ 4.8). Versions before 1.1.5 miss the activation-signature and call-push "
                   "fixes (FAQ 4.2, 4.4); the v2 API and VoIP calls need 2.1.0 or later on both sides.\n"
                   "The package manager's record (dumpsys package com.tencent.wmpf) tells whether it is installed "
                   "for the main user, enabled, and its versionName and versionCode.\n"
                   "By hand: adb shell pm list packages com.tencent.wmpf; install the APK for the device's CPU "
                   "(adb shell getprop ro.product.cpu.abilist) with adb install -r, or enable it with "
                   "adb shell pm enable com.tencent.wmpf.")

    def run(self, ctx: Context) -> CheckResult:
        read = ctx.read(PACKAGE, WMPF)
        dump = read.value
        rec = dump.find(WMPF)  # exact name: com.tencent.wmpf.something is not WMPF
        if rec is None:
            failed = read.result is not None and not read.ok and read.result.exit_code is not None
            if not any(ln.strip() for ln in read.lines) or failed:
                return CheckResult.unknown(_("could not read the package list (dumpsys package gave no answer)"),
                                           evidence=[read.evidence()])
            lines = [f"Unable to find package: {dump.not_found}"] if dump.not_found else []
            abis = ctx.facts.props().abi_list
            if abis and wmpf_build(abis) is None:
                return CheckResult.fail(
                    _("WMPF Service is not installed, and WMPF has no build for this CPU ({abis})").format(
                        abis=", ".join(abis)), evidence=[read.evidence(lines)], remedy=install_remedy(ctx),
                    details={"installed": False, "abis": abis})
            return CheckResult.fail(_("WMPF Service (com.tencent.wmpf) is not installed"),
                                    evidence=[read.evidence(lines, _("no `Package [com.tencent.wmpf]` block"))],
                                    remedy=install_remedy(ctx), details={"installed": False})
        ev = [read.evidence(rec.evidence_lines())]
        user0 = rec.user(0)
        details = {"installed": True, "versionName": rec.versionName, "versionCode": rec.versionCode,
                   "codePath": rec.codePath, "system": rec.is_system, "enabled": rec.enabled_state}
        if user0 is not None and user0.installed is False:
            return CheckResult.fail(_("WMPF Service is on the device but not installed for user 0"),
                                    evidence=ev, details=details, remedy=Remedy(
                                        _("Install it for the main user again."),
                                        commands=[f"adb shell cmd package install-existing {WMPF}"]))
        if rec.disabled:
            return CheckResult.fail(_("WMPF Service {version} is installed but disabled").format(
                version=rec.versionName or "?"), evidence=ev, details=details, remedy=Remedy(
                    _("Enable it again (it was disabled in Settings or with pm disable)."),
                    commands=[f"adb shell pm enable {WMPF}"]))
        version = versions.wmpf_version(rec.versionName, rec.versionCode)
        details["version"] = str(version) if version else None
        label = f"{rec.versionName or '?'} (versionCode {rec.versionCode if rec.versionCode is not None else '?'})"
        if version is None:
            return CheckResult.warn(_("WMPF Service {label} is installed, but its version cannot be told from "
                                      "the package manager").format(label=label), evidence=ev, details=details,
                                    remedy=Remedy(_("Check the version on the WMPF download page; WMPF 2.1.0 or "
                                                    "later is recommended.")))
        if version < versions.MIN_WMPF:
            return CheckResult.warn(_("WMPF Service {label} is older than 1.1.5").format(label=label),
                                    evidence=ev, details=details, remedy=Remedy(
                                        _("Upgrade WMPF to 1.1.5 or later (2.1.0+ for the v2 API and VoIP): "
                                          "activation signature and call-push fixes need it."), faq="4.2"))
        return CheckResult.passed(_("WMPF Service {label} is installed and enabled").format(label=label),
                                  evidence=ev, details=details)
