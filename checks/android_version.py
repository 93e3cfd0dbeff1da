"""WMPF needs Android 7.1 (SDK 25) or later (wmpf-domain §0; FAQ 4.7)."""
from __future__ import annotations

from devdoctor.check import Check, Context
from devdoctor.ui.i18n import _
from devdoctor.result import CheckResult, Evidence, Remedy

MIN_SDK = 25  # Android 7.1
_KEYS = ("ro.build.version.release", "ro.build.version.sdk", "ro.product.manufacturer", "ro.product.model")


class AndroidVersion(Check):
    id = "android-version"
    title = "Android version"
    description = "WMPF runs on Android 7.1 (SDK 25) or later."
    order = 10
    looks_at = "getprop (ro.build.version.sdk, ro.build.version.release)"
    explanation = ("WMPF Service is built for Android 7.1 (API level 25) and later; on Android 7.0 and older it "
                   "does not install or crashes at start, and activation fails (the FAQ lists it under 4.7, "
                   "ActivateDevice 10013 request timeout).\n"
                   "The version is read from the system properties ro.build.version.sdk (the API level) and "
                   "ro.build.version.release (the version shown in Settings). Some boards ship a modified release "
                   "string; the API level decides.\n"
                   "By hand: adb shell getprop ro.build.version.sdk shows the API level. Only a new firmware image "
                   "from the board maker fixes a too-old Android; nothing on the device can.")

    def run(self, ctx: Context) -> CheckResult:
        props = ctx.facts.props()
        ev = [Evidence("getprop", [f"[{k}]: [{props.get(k)}]" for k in _KEYS if k in props.values])]
        sdk, release = props.sdk, props.release or "?"
        details = {"sdk": sdk, "release": props.release, "manufacturer": props.manufacturer, "model": props.model}
        if sdk is None:
            return CheckResult.unknown(_("could not read the Android version (no ro.build.version.sdk in getprop)"),
                                       evidence=ev, details=details)
        if sdk < MIN_SDK:
            return CheckResult.fail(
                _("Android {release} (SDK {sdk}) is too old: WMPF needs Android 7.1 (SDK 25) or later")
                .format(release=release, sdk=sdk), evidence=ev, details=details,
                remedy=Remedy(_("Update the device's firmware to Android 7.1 or later (ask the board maker "
                                "for a 7.1+ image); WMPF does not run on older Android."), faq="4.7"))
        return CheckResult.passed(_("Android {release} (SDK {sdk}) meets WMPF's minimum of 7.1 (SDK 25)")
                                  .format(release=release, sdk=sdk), evidence=ev, details=details)
