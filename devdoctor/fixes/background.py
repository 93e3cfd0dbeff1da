"""`devdoctor fix --allow-background`: let WMPF run in the background, where the shell may allow it.

AOSP app-ops RUN_IN_BACKGROUND (API 24+) and RUN_ANY_IN_BACKGROUND (API 28+), the battery-optimisation
(doze) whitelist, and on MIUI/HyperOS the vendor autostart op 10008 (shared/wmpf-domain.md §6).
Formats: `cmd appops get PKG OP` prints `OP: mode` (optionally `; time=...`), MIUI's ops as
`MIUIOP(10008): allow|ignore` (AppOpsService.Shell; capture raw/appops/hero2lte-cmd-appops-get-...);
`cmd appops set` prints nothing; `dumpsys deviceidle whitelist +PKG` prints `Added: PKG`
(DeviceIdleController shell). A ROM may accept the command and keep its own value: every change is
read back, and a value that did not change is reported as the ROM refusing.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from devdoctor.sources.device import CommandResult
from devdoctor.fixes.base import WMPF, Fix, Plan, Step, Verdict, output_lines
from devdoctor.fixes.session import Session
from devdoctor.ui.i18n import _

MIUI_AUTOSTART = "10008"


@dataclass(frozen=True)
class Op:
    name: str  # as `cmd appops` takes it
    label: str  # as it prints it
    min_sdk: int
    miui_only: bool = False


OPS = (Op("RUN_IN_BACKGROUND", "RUN_IN_BACKGROUND", 24), Op("RUN_ANY_IN_BACKGROUND", "RUN_ANY_IN_BACKGROUND", 28),
       Op(MIUI_AUTOSTART, f"MIUIOP({MIUI_AUTOSTART})", 21, miui_only=True))


def op_mode(r: CommandResult, op: Op) -> str | None:
    """The mode `cmd appops get PKG OP` printed for op (allow / ignore / deny / default / foreground),
    "default" for `No operations.` (never set), None when the answer is not an app-op listing."""
    for ln in output_lines(r):
        m = re.match(rf"^(?:Uid mode: )?{re.escape(op.label)}: (\w+)", ln)
        if m:
            return m.group(1)
    if any(ln.startswith("No operations") for ln in output_lines(r)):
        return "default"
    return None


def said_nothing_wrong(r: CommandResult) -> str | None:
    bad = [ln for ln in output_lines(r) if re.match(r"^(Error|Unknown|java\.|Exception|Security)", ln)]
    return " ".join(bad[:2]) if bad else None


def whitelist_added(r: CommandResult) -> str | None:
    lines = output_lines(r)
    if any(ln.startswith(("Added:", "Already whitelisted", "Already exempt")) for ln in lines):
        return None
    return _("the doze whitelist did not take WMPF: {answer}").format(answer=" / ".join(lines[:2]) or _("nothing"))


class AllowBackground(Fix):
    id = "allow-background"
    title = "Allow WMPF to run in the background"
    description = ("Allows background running (app-ops RUN_IN_BACKGROUND / RUN_ANY_IN_BACKGROUND), whitelists WMPF "
                   "from battery optimisation, and on MIUI tries the autostart app-op; reads each back.")
    targets = frozenset({WMPF})
    not_packages = frozenset({"ro.build.version.sdk", "ro.miui.ui.version.name"})  # properties it reads
    repairs = ("autostart",)

    def plan(self, session: Session) -> Plan:
        sdk_out = session.read(["getprop", "ro.build.version.sdk"])
        sdk = int(sdk_out.stdout.strip()) if sdk_out.stdout.strip().isdigit() else 0
        miui = session.read(["getprop", "ro.miui.ui.version.name"]).stdout.strip()
        plan = Plan(facts={"ops": [], "sdk": sdk, "miui": miui})
        for op in OPS:
            if sdk < op.min_sdk or (op.miui_only and not miui):
                continue
            r = session.read(["cmd", "appops", "get", WMPF, op.name])
            mode = op_mode(r, op)
            if mode is None:  # no app-op listing (`cmd appops` missing, an error): never set blind
                plan.notes.append(_("cannot read app-op {op} here (`{command}`: {answer}); left as it is").format(
                    op=op.label, command=r.command, answer=" / ".join(output_lines(r)[:1]) or _("no answer")))
                continue
            if mode == "allow" or (mode == "default" and not op.miui_only):
                continue
            plan.facts["ops"].append((op, mode))
            plan.steps.append(Step(("cmd", "appops", "set", WMPF, op.name, "allow"),
                                   _("allow app-op {op} (now: {mode})").format(op=op.label, mode=mode or "?"),
                                   judge=said_nothing_wrong, required=False))
        if sdk >= 23:
            plan.steps.append(Step(("dumpsys", "deviceidle", "whitelist", "+" + WMPF),
                                   _("exempt WMPF from battery optimisation (doze whitelist)"), judge=whitelist_added,
                                   required=False))
        if not plan.steps:
            plan.nothing_to_do = _("WMPF may already run in the background (Android {sdk})").format(sdk=sdk or "?")
        if miui:
            plan.notes.append(_("MIUI/HyperOS may ignore the autostart app-op from adb; if it does, "
                                "`devdoctor fix --open-autostart` opens the screen to switch it on by hand."))
        return plan

    def verify(self, session: Session, plan: Plan) -> list[Verdict]:
        verdicts = []
        for op, before in plan.facts["ops"]:
            r = session.read(["cmd", "appops", "get", WMPF, op.name])
            mode = op_mode(r, op)
            if mode == "allow":
                verdicts.append(Verdict(op.label, True, _("now allow"), r.command))
            elif mode is None:
                verdicts.append(Verdict(op.label, None, " / ".join(output_lines(r)[:2]), r.command))
            else:
                verdicts.append(Verdict(op.label, False, _("still {mode}: the ROM refused the change from adb").format(
                    mode=mode), r.command))
        return verdicts
