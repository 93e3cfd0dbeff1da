"""Fix sessions (`devdoctor fix`): the devices, and what they answer to each fix's commands, in the order
the fix sends them (repeats answer in order: before the change, then after).

Named to sort after every other area, so that its answers to a command come behind the checks' own.

Formats: `pm clear` prints `Success` (stdout) or `Failed` (stderr, exit 1) (Pm.runClear 7.x,
PackageManagerShellCommand.runClear 8.0+); `am start -n` prints `Starting: Intent { cmp=PKG/.Cls }`
(Intent.toShortString, component in short form); toybox `ls`/`find` report a missing path as
`ls: PATH: No such file or directory` on stderr with exit 1; `pm list packages FILTER` prints
`package:NAME` lines; toybox `pidof` prints the pids on one line, exit 1 and nothing when none;
`getprop NAME` prints the value and a newline; `cmd appops get PKG OP` prints `OP: mode` (shared capture
raw/appops/hero2lte-cmd-appops-get-im.vector.app.debug.txt), MIUI vendor ops as `MIUIOP(10008): mode`
(wmpf-domain §6.1); `cmd appops set` prints nothing; `dumpsys deviceidle whitelist +PKG` prints
`Added: PKG` (DeviceIdleController shell command).
"""
from __future__ import annotations

import re

from cases import DeviceCase, wmpf
from fixturekit import Builder, DeviceSpec

SOURCES = ("fix sessions: Pm.runClear 7.x / PackageManagerShellCommand.runClear 8+ (Success / Failed), "
           "ActivityManagerShellCommand start (Starting: Intent), toybox ls/find/pidof, appops get/set "
           "(capture raw/appops/hero2lte-*), DeviceIdleController whitelist +PKG (Added:)")

WMPF = "com.tencent.wmpf"
DATA = f"/sdcard/Android/data/{WMPF}"
HOST_PID = 2456
# What the logs area puts in logcat (when it is there): the activation refused after the SN changed.
DEVICE_CHANGED = [(44.0, "E", "WMPFCli.Device", "activate device(SN20261124P22) failed, please check your device "
                   "info. reason=(-1,DEVICE_CHANGED)", HOST_PID)]
LOGS = [f"{DATA}/files/xlog/WMPF_20261123.xlog", f"{DATA}/files/xlog/WMPF_20261124.xlog",
        f"{DATA}/files/appbrand/crash.log"]


def _panel(serial: str, release: str, sdk: int, build: str, **kw) -> DeviceSpec:
    return DeviceSpec(serial, "rockchip", "rockchip", "SG-DP8 Door Panel", "rk3288", "rk3288", release, sdk, build,
                      "eng.builder.20190614.102231", abilist="armeabi-v7a,armeabi", **kw)


AREA_CASES = [
    DeviceCase("fix-clear-cache-a9-panel",
               "Door panel (RK3288, Android 9) first activated with a wrong SN; `fix --clear-cache` succeeds",
               _panel("RK3288DP0522", "9", 28, "PQ2A.190405.003"),
               wmpf("2.1.0", 9010017, abi="armeabi-v7a"),
               traits={"fix": "clear-cache", "clear": "Success", "log": DEVICE_CHANGED}),
    DeviceCase("fix-clear-cache-failed-a8-kiosk",
               "Kiosk (RK3399, Android 8.1) where `pm clear com.tencent.wmpf` answers Failed",
               DeviceSpec("RK3399KSK2309", "rockchip", "rockchip", "KS-15 Kiosk", "rk3399", "rk3399", "8.1.0", 27,
                          "OPM8.181005.003", "eng.builder.20200901.154412"),
               wmpf("2.1.0", 9010017),
               traits={"fix": "clear-cache", "clear": "Failed", "log": DEVICE_CHANGED}),
    DeviceCase("fix-clear-cache-unplugged-a10",
               "Tablet (MT8168, Android 10) unplugged after WMPF's logs were saved, before the clear",
               DeviceSpec("MT8168TB9Q0411", "alps", "alps", "LT-10 Learning Tablet", "tb8168p1_64_bsp", "mt8168",
                          "10", 29, "QP1A.190711.020", "1597392442", build_type="user", tags="release-keys"),
               wmpf("2.2.0", 9020017),
               traits={"fix": "clear-cache", "clear": "unplugged", "folder": "tests/data", "log": DEVICE_CHANGED}),
    DeviceCase("fix-background-miui-a12",
               "Xiaomi (MIUI 13, Android 12): background running allowed from adb, the autostart app-op refused",
               DeviceSpec("XM2112123AG07", "Xiaomi", "Xiaomi", "2112123AG", "psyche", "kona", "12", 31,
                          "SKQ1.211230.001", "V13.0.5.0.SLDMIXM", build_type="user", tags="release-keys",
                          extra_props={"ro.miui.ui.version.name": "V130", "ro.miui.ui.version.code": "13"}),
               wmpf("2.2.0", 9020017),
               # read by the logs area (autostart check), when it is there: the state before the fix
               traits={"fix": "allow-background", "deviceidle_user": False,
                       "appops": [("RUN_IN_BACKGROUND", "ignore", "rejectTime=+2d1h3m12s400ms ago"),
                                  ("MIUIOP(10008)", "ignore"), ("MIUIOP(10021)", "allow")]}),
]


def add(case: DeviceCase, b: Builder) -> None:
    fix = case.traits.get("fix")
    if fix == "clear-cache":
        _clear_cache(case, b)
    elif fix == "allow-background":
        _background(case, b)


def _clear_cache(case: DeviceCase, b: Builder) -> None:
    outcome = case.traits["clear"]
    b.add(f"pm list packages {WMPF}", f"package:{WMPF}\n", ms=310)  # planning
    if outcome == "unplugged":
        b.add(f"pm list packages {WMPF}", outcome="disconnected", ms=2)  # right before the clear
    b.add(f"find {DATA} /sdcard/wmpf/xlog -type f", "\n".join(LOGS) + "\n", exit_code=1,
          stderr="find: /sdcard/wmpf/xlog: No such file or directory\n", ms=60)
    for i, path in enumerate(LOGS):
        b.file(path, bytes([0x95, 0x00, i]) + f"wmpf xlog block {i}\n".encode() * 4)
    if outcome == "Success":
        b.add(f"pm clear {WMPF}", "Success\n", ms=1840)
        b.add(f"ls {DATA}", "", exit_code=1, stderr=f"ls: {DATA}: No such file or directory\n", ms=12)
        b.add(f"am start -n {WMPF}/com.tencent.wmpf.wakeup.WMPFWakeUpInvokeActivity",
              f"Starting: Intent {{ cmp={WMPF}/.wakeup.WMPFWakeUpInvokeActivity }}\n", ms=420)
        b.add(f"pidof {WMPF}", "6112\n", ms=15)
    elif outcome == "Failed":
        b.add(f"pm clear {WMPF}", "", exit_code=1, stderr="Failed\n", ms=950)


def _background(case: DeviceCase, b: Builder) -> None:
    b.add("getprop ro.build.version.sdk", f"{case.spec.sdk}\n", ms=8)
    b.add("getprop ro.miui.ui.version.name", case.spec.extra_props.get("ro.miui.ui.version.name", "") + "\n", ms=8)
    # before, then after the set: RUN_IN_BACKGROUND takes, MIUI's autostart op keeps its value
    # an ignored op records rejected accesses (`rejectTime=`, TimeUtils.formatDuration); the mode change keeps them
    b.add(f"cmd appops get {WMPF} RUN_IN_BACKGROUND", "RUN_IN_BACKGROUND: ignore; rejectTime=+2d1h3m12s400ms ago\n",
          ms=40)
    b.add(f"cmd appops get {WMPF} RUN_IN_BACKGROUND", "RUN_IN_BACKGROUND: allow; rejectTime=+2d1h3m14s52ms ago\n",
          ms=40)
    b.add(f"cmd appops get {WMPF} RUN_ANY_IN_BACKGROUND", "RUN_ANY_IN_BACKGROUND: allow\n", ms=40)
    b.add(f"cmd appops get {WMPF} 10008", "MIUIOP(10008): ignore\n", ms=40)
    b.add(f"cmd appops set {WMPF} RUN_IN_BACKGROUND allow", "", ms=35)
    b.add(f"cmd appops set {WMPF} 10008 allow", "", ms=35)
    b.add(f"dumpsys deviceidle whitelist +{WMPF}", f"Added: {WMPF}\n", ms=25)
    # The checks' own reads, answered again for the checks re-run after the fix (only where an area
    # answered them before: the repeat comes behind its answer).
    _again(b, f"cmd appops get {WMPF}",
           lambda text: re.sub(r"(?m)^RUN_IN_BACKGROUND: ignore", "RUN_IN_BACKGROUND: allow", text))
    _again(b, "dumpsys deviceidle whitelist",
           lambda text: text + (f"user,{WMPF},{case.wmpf.user_id}\n" if f"user,{WMPF}," not in text else ""))


def _again(b: Builder, command: str, change) -> None:
    prior = [e for e in b.entries if e.command == command]
    if prior:
        b.add(command, change(prior[-1].stdout.decode()), ms=round(prior[-1].duration * 1000))
