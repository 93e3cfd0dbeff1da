"""What the `autostart` and `wmpf-log` checks send, and the devices that reach each of their verdicts.

Traits (case.traits, or TRAITS below for cases defined elsewhere; missing = healthy):
  appops: list of (op, mode[, extra]) lines WMPF has recorded (default: a few noted ops, no restriction;
          on MIUI/HyperOS also MIUIOP(10008) and MIUIOP(10021) allowed)
  deviceidle_user: WMPF on the user whitelist (default True)
  standby_bucket: int (default 10), answered on Android 9+
  vivo_bg: None (no vivo) / int currentstate / "denied" (the shell may not read the provider)
  log: list of (seconds before the end, level, tag, message, pid) host/WMPF lines; "empty": no output
"""
from __future__ import annotations

from cases import DeviceCase, wmpf
from fixturekit import Builder, DeviceSpec, PackageSpec

from devdoctor.parsers.rom import detect_rom

SOURCES = (
    "cmd appops get PKG: AppOpsService.Shell `OP: mode; time=+.. ago; duration=+..` (7.x-8.x switch on the mode, "
    "9+ modeToName; capture raw/appops/hero2lte-cmd-appops-get-*), MIUI vendor ops as `MIUIOP(10008): allow` "
    "(wmpf-domain §6.1 C5); dumpsys deviceidle whitelist: DeviceIdleController shell `system-excidle,PKG,APPID` / "
    "`system,..` / `user,..` (system package set from captures raw/dumpsys_deviceidle/*); am get-standby-bucket: "
    "ActivityManagerShellCommand prints the int (9+); content query: Content.java `Row: N col=val, ...`, "
    "`Error while accessing provider:..` + stack trace; logcat -v threadtime: liblog logprint.c as in the shared "
    "bugreports 7.1.1/8.1/9/10 (`--------- beginning of X` markers; ActivityManager `Start proc` lines, braces "
    "around the component from 10), WMPF messages from wmpf-cli 2.2.0 (wmpf-domain §3)")

HOST = "com.example.doorbell"
HOST_PID, WMPF_PID, AM_PID = 2456, 3120, 912
DEFAULT_OPS = [("WAKE_LOCK", "allow", "time=+2m13s402ms ago; duration=+1s12ms"),
               ("CAMERA", "allow", "time=+41m2s17ms ago; duration=+3m12s560ms"),
               ("RECORD_AUDIO", "allow", "time=+41m2s9ms ago; duration=+3m12s571ms")]
BIND = ("[getIPCBridge]bindService(com.tencent.wmpf, intent:Intent { cmp=com.tencent.wmpf/.app.WMPFService "
        "(has extras) })")
HEALTHY_LOG = [(95.0, "I", "IPC.IPCBridgeManager", BIND, HOST_PID),
               (60.0, "I", "WMPF.XwebCameraUtil", "isUseXwebCamera:true", WMPF_PID)]

# Traits of cases defined in tools/cases.py (the foundation's devices): all healthy here.
TRAITS: dict[str, dict] = {}


def healthy_ops(case: DeviceCase) -> list[tuple]:
    """A healthy WMPF's app-ops; on MIUI/HyperOS with autostart and background pop-up granted."""
    if detect_rom(case.spec.extra_props).name in ("miui", "hyperos"):
        return DEFAULT_OPS + [("MIUIOP(10008)", "allow"), ("MIUIOP(10021)", "allow")]
    return DEFAULT_OPS


def _mode(mode: str, sdk: int) -> str:
    """7.x-8.x print `mode=N` for a mode without a name in their switch (foreground = 4)."""
    return "mode=4" if mode == "foreground" and sdk < 28 else mode


def appops_text(ops: list[tuple], sdk: int) -> str:
    if not ops:
        return "No operations.\n"
    out = []
    for op in ops:
        name, mode, extra = (op + ("",))[:3]
        out.append(f"{name}: {_mode(mode, sdk)}" + (f"; {extra}" if extra else ""))
    return "\n".join(out) + "\n"


SYSTEM_EXCIDLE = ["com.android.providers.downloads", "com.android.shell"]
SYSTEM = ["com.android.providers.downloads", "com.android.shell"]


def deviceidle_text(case: DeviceCase, user_listed: bool) -> str:
    ids = {"com.android.providers.downloads": 10011, "com.android.shell": 2000}
    lines = [f"system-excidle,{p},{ids[p]}" for p in SYSTEM_EXCIDLE]
    lines += [f"system,{p},{ids[p]}" for p in SYSTEM]
    if user_listed and case.wmpf is not None:
        lines.append(f"user,{case.wmpf.name},{case.wmpf.user_id}")
    return "\n".join(lines) + "\n"


def logcat_text(case: DeviceCase, entries: list[tuple]) -> str:
    """threadtime, newest last, ending at the fixture's clock (device time: Asia/Shanghai, 17:29:58)."""
    sdk = case.spec.sdk
    end = 17 * 3600 + 29 * 60 + 58.0
    uid = case.wmpf.user_id - 10000 if case.wmpf else 72
    comp = (f"{{com.tencent.wmpf/com.tencent.wmpf.app.WMPFService}}" if sdk >= 29
            else "com.tencent.wmpf/.app.WMPFService")
    rows = [(130.0, "I", "ActivityManager", f"Start proc {WMPF_PID}:com.tencent.wmpf/u0a{uid} for service {comp}",
             AM_PID)] + list(entries)

    def stamp(ago: float) -> str:
        t = end - ago
        h, rem = divmod(t, 3600)
        m, s = divmod(rem, 60)
        return f"11-20 {int(h):02d}:{int(m):02d}:{s:06.3f}"

    out: list[str] = []
    buffer, seen = None, set()
    for ago, level, tag, msg, pid in sorted(rows, key=lambda r: -r[0]):
        now = "system" if tag == "ActivityManager" else "main"  # ActivityManager logs to the system buffer
        if now != buffer:
            out.append(f"--------- {'beginning of' if now not in seen else 'switch to'} {now}")
            buffer = now
            seen.add(now)
        tid = pid if tag == "ActivityManager" else pid + 77
        out.append(f"{stamp(ago)} {pid:5d} {tid:5d} {level} {tag:<8}: {msg}")
    return "\n".join(out) + "\n"


def add(case: DeviceCase, b: Builder) -> None:
    if case.wmpf is None:
        return  # both checks need WMPF installed: they are skipped and send nothing
    t = {**TRAITS.get(case.name, {}), **case.traits}
    sdk = case.spec.sdk
    b.add("cmd appops get com.tencent.wmpf", appops_text(t.get("appops", healthy_ops(case)), sdk), ms=140)
    b.add("dumpsys deviceidle whitelist", deviceidle_text(case, t.get("deviceidle_user", True)), ms=60)
    if sdk >= 28:
        b.add("am get-standby-bucket com.tencent.wmpf", f"{t.get('standby_bucket', 10)}\n", ms=170)
    vivo = t.get("vivo_bg")
    if vivo == "denied":
        b.add("content query --uri content://com.vivo.permissionmanager.provider.permission/start_bg_activity "
              "--where \"pkgname='com.tencent.wmpf'\"", "", ms=210, stderr=(
                  "Error while accessing provider:com.vivo.permissionmanager.provider.permission\n"
                  "java.lang.SecurityException: Permission Denial: opening provider "
                  "com.vivo.permissionmanager.provider.PermissionProvider from (null) (pid=8121, uid=2000) "
                  "that is not exported from UID 1000\n"
                  "\tat android.os.Parcel.createException(Parcel.java:2071)\n"))
    elif vivo is not None:
        b.add("content query --uri content://com.vivo.permissionmanager.provider.permission/start_bg_activity "
              "--where \"pkgname='com.tencent.wmpf'\"",
              f"Row: 0 _id=37, pkgname=com.tencent.wmpf, currentstate={vivo}, currentmode={vivo}\n", ms=190)
    log = t.get("log", HEALTHY_LOG)
    b.add("logcat -d -v threadtime -t 5000", "" if log == "empty" else logcat_text(case, log), ms=650)


def _log_bridge_not_found() -> list[tuple]:
    return [(40.2, "I", "IPC.IPCBridgeManager", BIND, HOST_PID),
            (30.1, "W", "IPC.IPCBridgeManager", "[getIPCBridge]onConnectTimeout(com.tencent.wmpf)", HOST_PID),
            (30.1, "E", "IPC.IPCInvoker", "invokeAsync failed, get bridge is null by process(com.tencent.wmpf).",
             HOST_PID),
            (30.0, "E", "WMPFCli.IPCInvoker", "onBridgeNotFound", HOST_PID),
            (29.9, "E", "WMPFCli.Device", "activate device(SN20261120A07) failed, please check your device info. "
             "reason=(10001,call WMPF.apk fail, is it installed?)", HOST_PID),
            (5.4, "E", "IPC.IPCInvoker", "invokeAsync failed, get bridge is null by process(com.tencent.wmpf).",
             HOST_PID)]


def _spec(serial, manufacturer, brand, model, device, board, release, sdk, build_id, incremental, **kw) -> DeviceSpec:
    return DeviceSpec(serial, manufacturer, brand, model, device, board, release, sdk, build_id, incremental,
                      build_type=kw.pop("build_type", "user"), tags=kw.pop("tags", "release-keys"), **kw)


def _wmpf(**kw) -> PackageSpec:
    return wmpf("2.2.0", 9020017, first_install="2026-09-02 10:11:12", last_update="2026-09-02 10:11:12", **kw)


AREA_CASES: list[DeviceCase] = [
    DeviceCase(
        "logs-a7.1-board-stopped",
        "Allwinner A64 door panel, Android 7.1.2 AOSP: WMPF force-stopped (stopped=true), host logs bridge not found",
        _spec("A64DP71S0012", "Allwinner", "Allwinner", "DP-7 Door Panel", "tulip-p1", "sun50iw1p1", "7.1.2", 25,
              "NHG47K", "20240112", build_type="userdebug", tags="test-keys", security_patch="2017-10-05"),
        _wmpf(stopped=True),
        traits={"log": _log_bridge_not_found()}),
    DeviceCase(
        "logs-miui13-a12-phone-autostart-off",
        "Xiaomi 12X on MIUI 13 (Android 12) used as a video door phone: MIUI autostart and background pop-up off",
        _spec("8d1f2c3a", "Xiaomi", "Xiaomi", "2112123AC", "psyche", "kona", "12", 31, "SKQ1.211230.001",
              "V13.0.6.0.SLDCNXM", security_patch="2022-06-01",
              extra_props={"ro.miui.ui.version.name": "V130", "ro.miui.ui.version.code": "13",
                           "ro.miui.build.region": "cn", "ro.miui.region": "CN"}),
        _wmpf(target_sdk=30),
        traits={"appops": DEFAULT_OPS + [("MIUIOP(10008)", "ignore"), ("MIUIOP(10021)", "ignore")],
                "log": _log_bridge_not_found()}),
    DeviceCase(
        "logs-hyperos-a14-tablet",
        "Xiaomi Pad 6 on HyperOS 1.0 (Android 14) as a kiosk: autostart and background pop-up allowed, log clean",
        _spec("6b2e9f10", "Xiaomi", "Xiaomi", "23043RP34C", "pipa", "kona", "14", 34, "UKQ1.231003.002",
              "OS1.0.6.0.UMZCNXM", security_patch="2024-03-01",
              extra_props={"ro.mi.os.version.name": "OS1.0", "ro.mi.os.version.code": "1",
                           "ro.mi.os.version.incremental": "OS1.0.6.0.UMZCNXM", "ro.miui.ui.version.name": "V816",
                           "ro.miui.ui.version.code": "816"}),
        _wmpf(target_sdk=30),
        traits={}),
    DeviceCase(
        "logs-emui10-a10-tablet",
        "Huawei MediaPad M6 on EMUI 10.1 (Android 10): autostart unreadable over adb; DEVICE_CHANGED in the log",
        _spec("HWSCM2020A10", "HUAWEI", "HUAWEI", "SCM-AL09", "HWSCM", "kirin980", "10", 29, "HUAWEISCM-AL09",
              "10.1.0.160C00", security_patch="2020-09-01",
              extra_props={"ro.build.version.emui": "EmotionUI_10.1.0", "ro.build.hw_emui_api_level": "23"}),
        _wmpf(),
        traits={"log": [(44.0, "E", "WMPFCli.Device", "activate device(SN20261120E10) failed, please check your "
                         "device info. reason=(-1,DEVICE_CHANGED)", HOST_PID)]}),
    DeviceCase(
        "logs-coloros11-a11-logging-off",
        "OPPO A72 on ColorOS 11 (Android 11) with the logger off: the log is empty, autostart unreadable",
        _spec("OPPOA72C11Q", "OPPO", "OPPO", "PDYM20", "OP4EC1", "mt6765", "11", 30, "RP1A.200720.011",
              "1608713258512", security_patch="2020-12-05",
              extra_props={"ro.build.version.opporom": "V11", "ro.build.version.oplusrom": "V11",
                           "persist.log.tag": "S"}),
        _wmpf(),
        traits={"log": "empty"}),
    DeviceCase(
        "logs-funtouch-a11-bg-denied",
        "vivo Y52s on Funtouch OS 11 (Android 11): its permission provider says background start is forbidden",
        _spec("VIVOY52S0101", "vivo", "vivo", "V2057A", "PD2057", "mt6853", "11", 30, "RP1A.200720.012",
              "compiler04011510", security_patch="2021-03-01",
              extra_props={"ro.vivo.os.name": "Funtouch", "ro.vivo.os.version": "11",
                           "ro.vivo.os.build.display.id": "PD2057_A_1.10.3"}),
        _wmpf(),
        traits={"vivo_bg": 1}),
    DeviceCase(
        "logs-a13-kiosk-rare-bucket",
        "Rockchip RK3568 kiosk, Android 13 AOSP: WMPF not Doze-whitelisted, standby bucket rare, a slow bind",
        _spec("RK3568KS1301", "rockchip", "rockchip", "KS-21 Kiosk", "rk3568_t", "rk3568", "13", 33,
              "TQ3A.230805.001", "eng.builder.20240115.093012", build_type="userdebug", tags="test-keys",
              security_patch="2023-08-05"),
        _wmpf(target_sdk=30),
        traits={"deviceidle_user": False, "standby_bucket": 40,
                "log": [(51.0, "W", "IPC.IPCBridgeManager", "[getIPCBridge]onConnectTimeout(com.tencent.wmpf)",
                         HOST_PID),
                        (38.5, "I", "IPC.IPCBridgeManager", BIND, HOST_PID)]}),
    DeviceCase(
        "logs-a9-board-background-denied",
        "Rockchip RK3288 panel, Android 9: RUN_IN_BACKGROUND and RUN_ANY_IN_BACKGROUND set to ignore, "
        "activation signature error in the log",
        _spec("RK3288DP0902", "rockchip", "rockchip", "SG-DP8 Door Panel", "rk3288", "rk3288", "9", 28,
              "PQ2A.190405.003", "eng.builder.20190614.102231", build_type="userdebug", tags="test-keys",
              abilist="armeabi-v7a,armeabi", security_patch="2019-04-05"),
        _wmpf(abi="armeabi-v7a"),
        traits={"appops": DEFAULT_OPS + [("RUN_IN_BACKGROUND", "ignore", "rejectTime=+12m4s33ms ago"),
                                         ("RUN_ANY_IN_BACKGROUND", "ignore")],
                "log": [(20.0, "E", "WMPFCli.Device", "activate device(SN20261120R09) failed, please check your "
                         "device info. reason=(10014,signature err 0)", HOST_PID),
                        (8.0, "E", "WMPFCli.Device", "activate device(SN20261120R09) failed, please check your "
                         "device info. reason=(10014,signature err 0)", HOST_PID)]}),
]
