"""`devdoctor fix --disable-payment-apps`: disable the face-pay apps that conflict with WMPF.

It can stop a shop's payments: it runs only when asked by name, says which apps, and prints the
command that enables each again. `pm disable-user --user 0 PKG` prints
`Package PKG new state: disabled-user` (PackageManagerShellCommand.runSetEnabledSetting, Pm.java
before 8.0); `pm list packages -e PKG` lists enabled packages matching PKG.
"""
from __future__ import annotations

from devdoctor.sources.device import CommandResult
from devdoctor.fixes.base import Fix, Plan, Step, Verdict, output_lines, package_listed
from devdoctor.fixes.session import Session
from devdoctor.ui.i18n import _

# shared/wmpf-domain.md §5
PAYMENT_APPS = ("com.tencent.wxpayface", "com.tencent.wxpayface.iotservice", "com.tencent.wxpayface.iotbase",
                "zoloz.phone.android.alipay.com.dragonfly", "com.alipay.iot.service", "com.alipay.iot.master")


def enabled(r: CommandResult, pkg: str) -> bool:
    return package_listed(r, pkg)


class DisablePaymentApps(Fix):
    id = "disable-payment-apps"
    title = "Disable conflicting face-pay apps"
    description = "Disables the installed face-pay apps (WeChat Pay / Alipay face-pay); reversible with pm enable."
    targets = frozenset(PAYMENT_APPS)
    repairs = ("payment-apps",)

    def plan(self, session: Session) -> Plan:
        found = [p for p in PAYMENT_APPS if enabled(session.read(["pm", "list", "packages", "-e", p]), p)]
        if not found:
            return Plan(nothing_to_do=_("no enabled face-pay app is installed"))
        return Plan(
            steps=[Step(("pm", "disable-user", "--user", "0", p), _("disable {pkg}").format(pkg=p),
                        judge=lambda r, p=p: None if any(ln.endswith("disabled-user") for ln in output_lines(r))
                        else _("{pkg} was not disabled: {answer}").format(pkg=p, answer=" ".join(output_lines(r)[:2])))
                   for p in found],
            loses=[_("face payment with {pkg} stops working on this device, until it is enabled again").format(pkg=p)
                   for p in found],
            afterwards=[_("To enable them again: {commands}").format(
                commands="; ".join(f"adb shell pm enable {p}" for p in found))],
            facts={"found": found})

    def verify(self, session: Session, plan: Plan) -> list[Verdict]:
        out = []
        for p in plan.facts["found"]:
            r = session.read(["pm", "list", "packages", "-e", p])
            out.append(Verdict(_("{pkg} disabled").format(pkg=p), not enabled(r, p),
                               _("re-enable: adb shell pm enable {pkg}").format(pkg=p), r.command))
        return out
