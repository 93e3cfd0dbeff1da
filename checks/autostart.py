"""Can WMPF start and stay alive without a person touching the screen? (wmpf-domain §6; FAQ 4.5, 4.8)

What is read depends on the ROM (recognised from system properties, devdoctor.parsers.rom):
- every ROM: the stopped state (`dumpsys package`), the RUN_IN_BACKGROUND / RUN_ANY_IN_BACKGROUND app-ops
  (`cmd appops get`), the Doze whitelist (`dumpsys deviceidle whitelist`), the standby bucket (Android 9+);
- MIUI / HyperOS: the vendor app-ops autostart (10008) and background pop-up (10021) in the same output;
- vivo: its permission provider's background-start table, when the shell may read it;
- EMUI / HarmonyOS, ColorOS, Flyme, vivo: the autostart switch lives in the vendor's security app where
  adb cannot read it, so the verdict is at best `unknown`, with the settings screen and the command that
  opens it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from devdoctor.check import Check, Context, evidence
from devdoctor.sources.device import DeviceError, DeviceGone
from devdoctor.ui.i18n import N_, _
from devdoctor.core.lazy import lazy
from devdoctor.readings import Read, Reading
from devdoctor.readings.catalog import APPOPS, DOZE_WHITELIST, PACKAGE, PROPS, STANDBY_BUCKET
from devdoctor.result import CheckResult, Evidence, Finding, Remedy, Status
from devdoctor.wmpf.shared import WMPF_PACKAGE
from devdoctor.parsers.numbers import to_int

if TYPE_CHECKING:
    from devdoctor.parsers.rom import Rom

if TYPE_CHECKING:  # a type checker follows the module; at run time it is imported on first use
    import devdoctor.parsers.appops as appops_parser
    import devdoctor.parsers.rom as rom_parser
else:
    appops_parser = lazy("devdoctor.parsers.appops")
    rom_parser = lazy("devdoctor.parsers.rom")
T = TypeVar("T")

WMPF = WMPF_PACKAGE
BOOT_PERMISSION = "android.permission.RECEIVE_BOOT_COMPLETED"
VIVO_BG_START = ("content query --uri content://com.vivo.permissionmanager.provider.permission/start_bg_activity "
                 f"--where \"pkgname='{WMPF}'\"")


@dataclass(frozen=True)
class Screen:
    """Where a ROM keeps its autostart switch, and the activities that open it (first one that exists wins)."""

    where: str
    activities: tuple[str, ...]
    readable: bool  # adb can read the switch (then the check decides on what it reads)


# Activities: judemanutd/AutoStarter AutoStartPermissionHelper.kt (wmpf-domain C7); Meizu's from common
# autostart helpers [I]; AOSP settings actions from android.provider.Settings.
SCREENS: dict[str, Screen] = {
    "miui": Screen(N_("Security (安全中心) › App management › Permissions › Autostart (自启动), and the app's "
                      "Other permissions › Display pop-up windows while running in the background (后台弹出界面)"),
                   ("com.miui.securitycenter/com.miui.permcenter.autostart.AutoStartManagementActivity",), True),
    "emui": Screen(N_("Phone Manager (手机管家) › App launch (应用启动管理) › WMPF: turn off Manage automatically and "
                      "allow Auto-launch, Secondary launch and Run in background"),
                   ("com.huawei.systemmanager/.startupmgr.ui.StartupNormalAppListActivity",
                    "com.huawei.systemmanager/.optimize.process.ProtectActivity"), False),
    "coloros": Screen(N_("Settings › App management › Auto launch (自启动管理): allow WMPF; and Battery › allow "
                         "background activity"),
                      ("com.coloros.safecenter/.startupapp.StartupAppListActivity",
                       "com.coloros.safecenter/.permission.startup.StartupAppListActivity",
                       "com.oppo.safe/.permission.startup.StartupAppListActivity"), False),
    "vivo": Screen(N_("i Manager (i管家) › App manager › Permission manager › Autostart (自启动) and Background "
                      "pop-ups (后台弹出界面): allow WMPF"),
                   ("com.vivo.permissionmanager/.activity.BgStartUpManagerActivity",
                    "com.iqoo.secure/.ui.phoneoptimize.AddWhiteListActivity",
                    "com.iqoo.secure/.ui.phoneoptimize.BgStartUpManager"), False),
    "flyme": Screen(N_("Phone Manager (手机管家) › Permissions › Background management (后台管理): allow WMPF to run "
                       "in the background"), ("com.meizu.safe/.permission.SmartBGActivity",), False),
    "oneui": Screen(N_("Settings › Apps › WMPF › Battery: Unrestricted; and Battery › Background usage limits: keep "
                       "WMPF out of Sleeping apps"),
                    ("com.samsung.android.lool/com.samsung.android.sm.ui.battery.BatteryActivity",), True),
    "aosp": Screen(N_("Settings › Apps › WMPF › Battery: not optimised (Unrestricted)"), (), True),
}
# What devdoctor.parsers.rom says of a build without a vendor ROM, shown translated.
GENERIC_ROM_TEXTS = (N_("AOSP-like"), N_("other"), N_("no vendor ROM property"))
SCREEN_OF_ROM = {"miui": "miui", "hyperos": "miui", "emui": "emui", "harmonyos": "emui", "coloros": "coloros",
                 "funtouch": "vivo", "originos": "vivo", "flyme": "flyme", "oneui": "oneui"}


def open_commands(screen: Screen) -> list[str]:
    if not screen.activities:
        return ["adb shell am start -a android.settings.IGNORE_BATTERY_OPTIMIZATION_SETTINGS"]
    return [f"adb shell am start -n {a}" for a in screen.activities]


LABELS = {"stopped": N_("stopped state"), "background-ops": N_("background app-ops"),
          "doze": N_("battery-optimisation whitelist"), "standby": N_("standby bucket"),
          "vivo-background-start": N_("vivo background start"), "rom-switch": N_("ROM's autostart switch"),
          "MIUIOP(10008)": N_("MIUI autostart"), "MIUIOP(10021)": N_("MIUI background pop-up")}


@dataclass
class Survey:
    """What the check has looked at so far: one Finding per aspect (the result's parts, shown the same
    way by every renderer), the evidence in the order it was read, and the facts for JSON."""

    findings: list[Finding] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    details: dict = field(default_factory=dict)

    def add(self, name: str, status: Status, summary: str, evidence: list[Evidence] | None = None,
            hint: str = "", commands: tuple[str, ...] = (), first: bool = False) -> None:
        remedy = Remedy(hint, list(commands)) if hint or commands else None
        found = Finding(name, _(LABELS.get(name, name)), status, summary, list(evidence or []), remedy)
        if first:
            self.findings.insert(0, found)
        else:
            self.findings.append(found)

    def said(self, status: Status) -> list[str]:
        return [f.summary for f in self.findings if f.status == status]


def _try_read(ctx: Context, reading: Reading[T], *args: str) -> Read[T] | None:
    """A reading whose absence must not end the check: None when the device holds no answer."""
    try:
        return ctx.read(reading, *args)
    except DeviceGone:
        raise
    except DeviceError:
        return None


class Autostart(Check):
    id = "autostart"
    title = "WMPF may start and stay alive by itself"
    description = ("Stopped state, background app-ops, battery-optimisation whitelist, standby bucket, and the "
                   "ROM's autostart switch (MIUI/HyperOS app-ops; EMUI, ColorOS, vivo, Flyme: where to look).")
    looks_at = ("getprop; dumpsys package com.tencent.wmpf; cmd appops get com.tencent.wmpf; dumpsys deviceidle "
                "whitelist; am get-standby-bucket com.tencent.wmpf (9+); vivo permission provider")
    requires = ("wmpf-installed",)
    # Sent with the first reads, in one round trip, before WMPF is even confirmed: quick reads a device
    # without WMPF answers in a few words.
    reads = ((APPOPS, WMPF), DOZE_WHITELIST, (STANDBY_BUCKET, WMPF))
    order = 45

    def run(self, ctx: Context) -> CheckResult:
        props = ctx.read(PROPS)
        rom = rom_parser.detect_rom(props.value)
        sdk = props.value.sdk or 0
        screen = SCREENS[SCREEN_OF_ROM.get(rom.name) or SCREEN_OF_ROM.get(rom.family or "", "aosp")]
        s = Survey(details={"rom": rom.name, "rom_version": rom.version, "rom_property": rom.evidence})
        s.evidence.append(props.evidence([f"[{rom.prop}]: [{props.value.get(rom.prop)}]"] if rom.prop else [],
                                         _("ROM: {rom} ({why})").format(rom=_(rom.label), why=_(rom.evidence))))
        self._stopped(ctx, s)
        self._appops(ctx, s, rom)
        self._doze(ctx, s)
        if sdk >= 28:
            self._standby(ctx, s)
        if rom.name in ("funtouch", "originos"):
            self._vivo(ctx, s)
        if not screen.readable:
            s.add("rom-switch", Status.UNKNOWN, _("{rom} keeps the autostart switch where adb cannot read it")
                  .format(rom=_(rom.label)), first=True)
        elif rom.restricts_background and not rom.family:  # a skin of rules devdoctor cannot read
            s.add("rom-switch", Status.UNKNOWN, _("{skin} stops background apps by rules of its own that adb "
                                                  "cannot read").format(skin=rom.skin), first=True)
        return self._verdict(s, screen, rom)

    def _stopped(self, ctx: Context, s: Survey) -> None:
        package = ctx.read(PACKAGE, WMPF)
        rec = package.value.find(WMPF)
        if rec is None or rec.stopped is None:
            s.add("stopped", Status.UNKNOWN, _("could not read WMPF's stopped state"))
            return
        user_line = [ln for ln in rec.evidence_lines() if ln.startswith("User 0:")]
        s.details["stopped"] = rec.stopped
        if rec.stopped:
            ev = package.evidence(user_line, _("stopped=true"))
            s.add("stopped", Status.FAIL, _("WMPF is in the stopped state (force-stopped or never started): it gets "
                                            "no broadcasts, not even BOOT_COMPLETED, until something starts it"), [ev],
                  _("Start the maker's app once (binding WMPF clears the stopped state), or open WMPF's wake-up "
                    "activity as wmpf-cli does; then find out what force-stops it."),
                  (f"adb shell am start -n {WMPF}/com.tencent.wmpf.wakeup.WMPFWakeUpInvokeActivity",))
        else:
            ev = package.evidence(user_line)
            s.add("stopped", Status.PASS, _("not stopped"), [ev])
        s.evidence.append(ev)
        # WMPF's own manifest is not public (wmpf-domain §1): whether it asks for BOOT_COMPLETED is shown,
        # not judged; without it WMPF starts after a reboot only when the maker's app binds it.
        boot = BOOT_PERMISSION in rec.requested_permissions
        s.details["requests_boot_completed"] = boot
        if not boot:
            s.evidence.append(package.evidence([], _("WMPF does not request RECEIVE_BOOT_COMPLETED: after a "
                                                     "reboot it starts when the maker's app binds it")))

    def _appops(self, ctx: Context, s: Survey, rom: Rom) -> None:
        read = _try_read(ctx, APPOPS, WMPF)
        ops = read.value if read is not None else None
        if read is None or ops is None or ops.error or (not ops.ops and not ops.no_operations):
            ev = [read.evidence(read.lines[:3])] if read is not None else []
            s.add("background-ops", Status.UNKNOWN, _("could not read WMPF's app-ops"), ev)
            s.evidence += ev
            return
        shown: list[str] = []
        for name in ("RUN_IN_BACKGROUND", "RUN_ANY_IN_BACKGROUND"):
            op = ops.get(name)
            if op is None:
                continue  # never set: the default (allow)
            shown.append(op.line)
            s.details[name] = op.mode
            if op.denied:
                uid = "--uid " if op.uid_mode else ""  # a uid-wide mode is set with --uid (Android 9+)
                s.add(name, Status.FAIL, _("{op} is {mode}: Android stops WMPF's background work").format(
                    op=name, mode=op.mode), [read.evidence([op.line])],
                      commands=(f"adb shell cmd appops set {uid}{WMPF} {name} allow",))
        if rom.name in ("miui", "hyperos"):
            shown += self._miui_ops(s, read, rom)
        s.evidence.append(read.evidence(shown, "" if shown else _("no background restriction recorded "
                                                                  "(`No operations.` or none of the ops)")))

    def _miui_ops(self, s: Survey, read: Read, rom: Rom) -> list[str]:
        shown = []
        for code, what in ((appops_parser.MIUI_AUTOSTART, _("autostart")),
                           (appops_parser.MIUI_BACKGROUND_START, _("background pop-up"))):
            op = read.value.get(code)
            s.details[f"MIUIOP({code})"] = op.mode if op else None
            name = f"MIUIOP({code})"
            if op is None:
                s.add(name, Status.UNKNOWN, _("{rom} did not list its {what} op ({code}) for WMPF").format(
                    rom=_(rom.label), what=what, code=code))
                continue
            shown.append(op.line)
            ev = [read.evidence([op.line])]
            if op.denied:
                s.add(name, Status.FAIL, _("{rom} {what} is off for WMPF ({op}: {mode})").format(
                    rom=_(rom.label), what=what, op=op.op, mode=op.mode), ev)
            elif op.allowed:
                s.add(name, Status.PASS, _("{what} allowed").format(what=what), ev)
            else:  # `default`: the ROM decides, and adb cannot see how
                s.add(name, Status.UNKNOWN, _("{rom} {what} is `{mode}` for WMPF").format(
                    rom=_(rom.label), what=what, mode=op.mode), ev)
        return shown

    def _doze(self, ctx: Context, s: Survey) -> None:
        read = _try_read(ctx, DOZE_WHITELIST)
        if read is None:
            s.add("doze", Status.UNKNOWN, _("could not read the battery-optimisation whitelist"))
            return
        idle = read.value
        if idle.problems and not idle.entries:
            ev = read.evidence(read.lines[:3])
            s.add("doze", Status.UNKNOWN, _("could not read the battery-optimisation whitelist"), [ev])
            s.evidence.append(ev)
            return
        mine = idle.lookup(WMPF)
        s.details["deviceidle"] = [e.kind for e in mine]
        if idle.whitelisted(WMPF):
            ev = read.evidence([e.line for e in mine])
            s.add("doze", Status.PASS, _("on the battery-optimisation whitelist"), [ev])
        else:
            ev = read.evidence([e.line for e in mine], _("{pkg} is not in the system or user list").format(pkg=WMPF))
            s.add("doze", Status.WARN, _("WMPF is not on the battery-optimisation (Doze) whitelist: on battery with "
                                         "the screen off Android may stop it"), [ev],
                  commands=(f"adb shell dumpsys deviceidle whitelist +{WMPF}",))
        s.evidence.append(ev)

    def _standby(self, ctx: Context, s: Survey) -> None:
        read = _try_read(ctx, STANDBY_BUCKET, WMPF)
        if read is None:
            return
        bucket = read.value
        s.details["standby_bucket"] = bucket.bucket
        if bucket.bucket is None:
            s.evidence.append(read.evidence([bucket.line] if bucket.line else [], _("no standby bucket")))
            return
        if bucket.restrictive:
            ev = read.evidence([bucket.line], _("bucket {name}").format(name=bucket.name))
            s.add("standby", Status.WARN, _("WMPF's standby bucket is {name} ({n}): its jobs and alarms are held "
                                            "back for hours").format(name=bucket.name, n=bucket.bucket), [ev],
                  commands=(f"adb shell am set-standby-bucket {WMPF} active",))
        else:
            ev = read.evidence([bucket.line])
            s.add("standby", Status.PASS, _("standby bucket {name}").format(name=bucket.name), [ev])
        s.evidence.append(ev)

    def _vivo(self, ctx: Context, s: Survey) -> None:
        try:
            out = ctx.run(VIVO_BG_START)  # a vendor's one-off: no reading declares it
        except DeviceGone:
            raise
        except DeviceError:
            return
        text = out.stdout + out.stderr
        m = re.search(r"Row: \d+ .*?\bcurrentstate=(-?\d+)", text)
        if m is None:
            s.evidence.append(evidence(out, text.splitlines()[:2], _("the shell may not read vivo's permission "
                                                                    "provider")))
            return
        row = next(ln for ln in out.lines if "currentstate=" in ln)
        s.details["vivo_start_bg_activity"] = to_int(m.group(1))
        if m.group(1) == "0":
            ev = evidence(out, [row], _("currentstate=0: allowed"))
            s.add("vivo-background-start", Status.PASS, _("vivo background pop-up allowed"), [ev])
        else:
            ev = evidence(out, [row], _("currentstate is not 0: not allowed"))
            s.add("vivo-background-start", Status.FAIL, _("vivo forbids WMPF to open pages from the background "
                                                          "(start_bg_activity currentstate={n})").format(n=m.group(1)),
                  [ev])
        s.evidence.append(ev)

    def _verdict(self, s: Survey, screen: Screen, rom: Rom) -> CheckResult:
        """Every problem named in the summary, failures first; the ROM's settings screen in the remedy."""
        opens = open_commands(screen)
        where = _("On {rom}: {where}.").format(rom=_(rom.label), where=_(screen.where))
        fails, warns, unknowns = s.said(Status.FAIL), s.said(Status.WARN), s.said(Status.UNKNOWN)
        common = {"evidence": s.evidence, "details": s.details, "findings": s.findings}
        if fails or warns:
            bad = [f for f in s.findings if f.status in (Status.FAIL, Status.WARN)]
            hints = [f.remedy.text for f in bad if f.remedy and f.remedy.text]
            commands = [c for f in bad if f.remedy for c in f.remedy.commands]
            what = _("Let WMPF start and run in the background: {what}.").format(what="; ".join(fails + warns))
            text = " ".join([what, *hints, where if screen.activities else ""]).strip()
            remedy = Remedy(text, commands=commands + (opens if screen.activities else []), faq="4.5")
            make = CheckResult.fail if fails else CheckResult.warn
            return make("; ".join(fails + warns), remedy=remedy, **common)
        if unknowns:
            return CheckResult.unknown(
                _("{reason}; check it on the device").format(reason="; ".join(unknowns)),
                remedy=Remedy(_("Open the ROM's autostart settings and allow WMPF (微信小程序框架) to start by itself "
                                "and to run in the background. {where}").format(where=where), commands=opens,
                              faq="4.5"), **common)
        return CheckResult.passed(_("WMPF may start by itself on {rom}: {what}").format(
            rom=_(rom.label), what=", ".join(s.said(Status.PASS))), **common)
