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
from typing import TYPE_CHECKING

from devdoctor.check import Check, Context, evidence
from devdoctor.device import CommandResult, DeviceError, DeviceGone
from devdoctor.i18n import N_, _
from devdoctor.lazy import lazy
from devdoctor.result import CheckResult, Evidence, Remedy
from devdoctor.wmpf import WMPF_PACKAGE
from devdoctor.numbers import to_int

if TYPE_CHECKING:
    from devdoctor.parsers.rom import Rom

appops_parser = lazy("devdoctor.parsers.appops")
deviceidle_parser = lazy("devdoctor.parsers.deviceidle")
rom_parser = lazy("devdoctor.parsers.rom")
standby_parser = lazy("devdoctor.parsers.standby")

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


@dataclass
class Findings:
    fails: list[str] = field(default_factory=list)
    warns: list[str] = field(default_factory=list)
    unknowns: list[str] = field(default_factory=list)
    oks: list[str] = field(default_factory=list)
    commands: list[str] = field(default_factory=list)  # fixes for what was found
    hints: list[str] = field(default_factory=list)  # what to do about it, in words
    evidence: list[Evidence] = field(default_factory=list)
    details: dict = field(default_factory=dict)


def _try(ctx: Context, command: str) -> CommandResult | None:
    """A command whose absence must not end the check: None when the device holds no answer."""
    try:
        return ctx.run(command)
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
    order = 45

    def run(self, ctx: Context) -> CheckResult:
        props = ctx.facts.props()
        rom = rom_parser.detect_rom(props)
        sdk = props.sdk or 0
        screen = SCREENS[SCREEN_OF_ROM.get(rom.name) or SCREEN_OF_ROM.get(rom.family or "", "aosp")]
        f = Findings(details={"rom": rom.name, "rom_version": rom.version, "rom_property": rom.evidence})
        f.evidence.append(Evidence("getprop", [f"[{rom.prop}]: [{props.get(rom.prop)}]"] if rom.prop else [],
                                   _("ROM: {rom} ({why})").format(rom=_(rom.label), why=_(rom.evidence))))
        self._stopped(ctx, f)
        self._appops(ctx, f, rom)
        self._doze(ctx, f)
        if sdk >= 28:
            self._standby(ctx, f)
        if rom.name in ("funtouch", "originos"):
            self._vivo(ctx, f)
        if not screen.readable:
            f.unknowns.insert(0, _("{rom} keeps the autostart switch where adb cannot read it")
                              .format(rom=_(rom.label)))
        elif rom.restricts_background and not rom.family:  # a skin of rules devdoctor cannot read
            f.unknowns.insert(0, _("{skin} stops background apps by rules of its own that adb cannot read")
                              .format(skin=rom.skin))
        return self._verdict(f, screen, rom)

    def _stopped(self, ctx: Context, f: Findings) -> None:
        out = ctx.run(["dumpsys", "package", WMPF])
        rec = ctx.facts.package_dump(WMPF).find(WMPF)
        if rec is None or rec.stopped is None:
            f.unknowns.append(_("could not read WMPF's stopped state"))
            return
        user_line = [ln for ln in rec.evidence_lines() if ln.startswith("User 0:")]
        f.details["stopped"] = rec.stopped
        if rec.stopped:
            f.fails.append(_("WMPF is in the stopped state (force-stopped or never started): it gets no broadcasts, "
                             "not even BOOT_COMPLETED, until something starts it"))
            f.hints.append(_("Start the maker's app once (binding WMPF clears the stopped state), or open WMPF's "
                             "wake-up activity as wmpf-cli does; then find out what force-stops it."))
            f.commands.append(f"adb shell am start -n {WMPF}/com.tencent.wmpf.wakeup.WMPFWakeUpInvokeActivity")
            f.evidence.append(evidence(out, user_line, _("stopped=true")))
        else:
            f.oks.append(_("not stopped"))
            f.evidence.append(evidence(out, user_line))
        # WMPF's own manifest is not public (wmpf-domain §1): whether it asks for BOOT_COMPLETED is shown,
        # not judged; without it WMPF starts after a reboot only when the maker's app binds it.
        boot = BOOT_PERMISSION in rec.requested_permissions
        f.details["requests_boot_completed"] = boot
        if not boot:
            f.evidence.append(Evidence(out.command, [], _("WMPF does not request RECEIVE_BOOT_COMPLETED: after a "
                                                          "reboot it starts when the maker's app binds it")))

    def _appops(self, ctx: Context, f: Findings, rom: Rom) -> None:
        out = _try(ctx, f"cmd appops get {WMPF}")
        ops = appops_parser.parse_appops_get(out.stdout + out.stderr) if out is not None else None
        if out is None or ops is None or ops.error or (not ops.ops and not ops.no_operations):
            f.unknowns.append(_("could not read WMPF's app-ops"))
            if out is not None:
                f.evidence.append(evidence(out, (out.stdout + out.stderr).splitlines()[:3]))
            return
        shown: list[str] = []
        for name in ("RUN_IN_BACKGROUND", "RUN_ANY_IN_BACKGROUND"):
            op = ops.get(name)
            if op is None:
                continue  # never set: the default (allow)
            shown.append(op.line)
            f.details[name] = op.mode
            if op.denied:
                f.fails.append(_("{op} is {mode}: Android stops WMPF's background work").format(op=name, mode=op.mode))
                uid = "--uid " if op.uid_mode else ""  # a uid-wide mode is set with --uid (Android 9+)
                f.commands.append(f"adb shell cmd appops set {uid}{WMPF} {name} allow")
        if rom.name in ("miui", "hyperos"):
            for code, what in ((appops_parser.MIUI_AUTOSTART, _("autostart")),
                               (appops_parser.MIUI_BACKGROUND_START, _("background pop-up"))):
                op = ops.get(code)
                f.details[f"MIUIOP({code})"] = op.mode if op else None
                if op is None:
                    f.unknowns.append(_("{rom} did not list its {what} op ({code}) for WMPF").format(
                        rom=_(rom.label), what=what, code=code))
                    continue
                shown.append(op.line)
                if op.denied:
                    f.fails.append(_("{rom} {what} is off for WMPF ({op}: {mode})").format(
                        rom=_(rom.label), what=what, op=op.op, mode=op.mode))
                elif op.allowed:
                    f.oks.append(_("{what} allowed").format(what=what))
                else:  # `default`: the ROM decides, and adb cannot see how
                    f.unknowns.append(_("{rom} {what} is `{mode}` for WMPF").format(rom=_(rom.label), what=what,
                                                                                  mode=op.mode))
        f.evidence.append(evidence(out, shown, "" if shown else _("no background restriction recorded "
                                                                  "(`No operations.` or none of the ops)")))

    def _doze(self, ctx: Context, f: Findings) -> None:
        out = _try(ctx, "dumpsys deviceidle whitelist")
        if out is None:
            f.unknowns.append(_("could not read the battery-optimisation whitelist"))
            return
        idle = deviceidle_parser.parse_deviceidle(out.stdout)
        if idle.problems and not idle.entries:
            f.unknowns.append(_("could not read the battery-optimisation whitelist"))
            f.evidence.append(evidence(out, out.lines[:3]))
            return
        mine = idle.lookup(WMPF)
        f.details["deviceidle"] = [e.kind for e in mine]
        if idle.whitelisted(WMPF):
            f.oks.append(_("on the battery-optimisation whitelist"))
            f.evidence.append(evidence(out, [e.line for e in mine]))
        else:
            f.warns.append(_("WMPF is not on the battery-optimisation (Doze) whitelist: on battery with the screen "
                             "off Android may stop it"))
            f.commands.append(f"adb shell dumpsys deviceidle whitelist +{WMPF}")
            f.evidence.append(evidence(out, [e.line for e in mine], _("{pkg} is not in the system or user list")
                                       .format(pkg=WMPF)))

    def _standby(self, ctx: Context, f: Findings) -> None:
        out = _try(ctx, f"am get-standby-bucket {WMPF}")
        if out is None:
            return
        bucket = standby_parser.parse_standby_bucket(out.stdout + out.stderr)
        f.details["standby_bucket"] = bucket.bucket
        if bucket.bucket is None:
            f.evidence.append(evidence(out, [bucket.line] if bucket.line else [], _("no standby bucket")))
            return
        if bucket.restrictive:
            f.warns.append(_("WMPF's standby bucket is {name} ({n}): its jobs and alarms are held back for hours")
                           .format(name=bucket.name, n=bucket.bucket))
            f.commands.append(f"adb shell am set-standby-bucket {WMPF} active")
            f.evidence.append(evidence(out, [bucket.line], _("bucket {name}").format(name=bucket.name)))
        else:
            f.oks.append(_("standby bucket {name}").format(name=bucket.name))
            f.evidence.append(evidence(out, [bucket.line]))

    def _vivo(self, ctx: Context, f: Findings) -> None:
        out = _try(ctx, VIVO_BG_START)
        if out is None:
            return
        text = out.stdout + out.stderr
        m = re.search(r"Row: \d+ .*?\bcurrentstate=(-?\d+)", text)
        if m is None:
            f.evidence.append(evidence(out, text.splitlines()[:2], _("the shell may not read vivo's permission "
                                                                    "provider")))
            return
        row = next(ln for ln in out.lines if "currentstate=" in ln)
        f.details["vivo_start_bg_activity"] = to_int(m.group(1))
        if m.group(1) == "0":
            f.oks.append(_("vivo background pop-up allowed"))
            f.evidence.append(evidence(out, [row], _("currentstate=0: allowed")))
        else:
            f.fails.append(_("vivo forbids WMPF to open pages from the background (start_bg_activity "
                             "currentstate={n})").format(n=m.group(1)))
            f.evidence.append(evidence(out, [row], _("currentstate is not 0: not allowed")))

    def _verdict(self, f: Findings, screen: Screen, rom: Rom) -> CheckResult:
        opens = open_commands(screen)
        where = _("On {rom}: {where}.").format(rom=_(rom.label), where=_(screen.where))
        details = f.details | {"findings": {"fail": f.fails, "warn": f.warns, "unknown": f.unknowns, "ok": f.oks}}
        if f.fails or f.warns:
            problems = f.fails + f.warns
            text = " ".join([_("Let WMPF start and run in the background: {what}.").format(what="; ".join(problems)),
                             *f.hints, where if screen.activities else ""]).strip()
            remedy = Remedy(text, commands=f.commands + (opens if screen.activities else []), faq="4.5")
            make = CheckResult.fail if f.fails else CheckResult.warn
            return make("; ".join(problems), evidence=f.evidence, remedy=remedy, details=details)
        if f.unknowns:
            return CheckResult.unknown(
                _("{reason}; check it on the device").format(reason="; ".join(f.unknowns)), evidence=f.evidence,
                details=details, remedy=Remedy(_("Open the ROM's autostart settings and allow WMPF (微信小程序框架) to "
                                                 "start by itself and to run in the background. {where}")
                                               .format(where=where), commands=opens, faq="4.5"))
        return CheckResult.passed(_("WMPF may start by itself on {rom}: {what}").format(
            rom=_(rom.label), what=", ".join(f.oks)), evidence=f.evidence, details=details)
