"""payment-apps: face-payment apps that conflict with WMPF on face-pay hardware (FAQ 4.7).
Installed and enabled: fail; installed but disabled: pass with a note. Changes nothing."""
from __future__ import annotations

from devdoctor.check import Check, Context
from devdoctor.ui.i18n import _
from devdoctor.result import CheckResult, Remedy
from devdoctor.readings.catalog import DISABLED_PACKAGES, PACKAGE, PACKAGES
from devdoctor.wmpf.shared import WMPF_PACKAGE, payment_packages, wmpf_installed



class PaymentApps(Check):
    id = "payment-apps"
    title = "Conflicting payment apps"
    description = ("Face-payment apps (WeChat Pay face, Alipay Dragonfly/IoT) must be removed or disabled on "
                   "face-pay hardware that makes WMPF calls.")
    looks_at = "pm list packages; pm list packages -d"
    order = 60  # needs no WMPF: a device being prepared is when a conflicting app must be found
    reads = (PACKAGES, (PACKAGE, WMPF_PACKAGE))

    def run(self, ctx: Context) -> CheckResult:
        known = payment_packages(ctx.settings.extra_payment_packages)
        listing = ctx.read(PACKAGES)
        installed = listing.value
        if installed.error or not installed.packages:
            return CheckResult.unknown(_("could not read the package list: {answer}").format(
                answer=installed.error or _("empty answer")), evidence=[listing.evidence(listing.lines[:3])])
        present = [p for p in known if p in installed]
        details = {"checked": sorted(known), "installed": present, "enabled": [], "disabled": []}
        if not present:
            return CheckResult.passed(_("none of the {n} known face-payment packages is installed").format(
                n=len(known)), evidence=[listing.evidence([], _("no line for: {names}").format(names=", ".join(known)))],
                details=details)
        dis = ctx.read(DISABLED_PACKAGES)
        disabled = dis.value
        if disabled.error:
            return CheckResult.unknown(_("{names} installed, but whether they are disabled could not be read: "
                                         "{answer}").format(names=", ".join(present), answer=disabled.error),
                                       evidence=[listing.evidence([f"package:{p}" for p in present]), dis.evidence()],
                                       details=details)
        details["disabled"] = [p for p in present if p in disabled]
        details["enabled"] = enabled = [p for p in present if p not in disabled]
        ev = [listing.evidence([f"package:{p}" for p in present], _("installed")),
              dis.evidence([f"package:{p}" for p in details["disabled"]],
                       _("disabled") if details["disabled"] else _("none of them is disabled"))]
        if enabled:
            before = "" if wmpf_installed(ctx) is not False else _(
                "WMPF is not installed yet: do this before installing it, or its activation will time out "
                "(10013). ")
            return CheckResult.fail(
                _("face-payment app(s) installed and enabled, which conflict with WMPF calls: {apps}").format(
                    apps=", ".join(f"{p} ({_(known[p])})" for p in enabled)), evidence=ev, details=details,
                remedy=Remedy(before + _("On face-pay hardware used for WMPF VoIP, remove or disable every payment "
                                         "app and service (ask the payment provider first if the device still "
                                         "takes payments). `pm disable-user` can be undone with `pm enable`."),
                              commands=[f"adb shell pm disable-user --user 0 {p}" for p in enabled], faq="4.7"))
        return CheckResult.passed(_("face-payment app(s) installed but disabled: {apps}").format(
            apps=", ".join(details["disabled"])), evidence=ev, details=details)
