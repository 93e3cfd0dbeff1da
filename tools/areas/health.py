"""What the WMPF health checks (host-app, wmpf-alive, payment-apps, camera) send, answered per case.

Traits live here, keyed by case name (HEALTH); a case this module does not know gets the healthy
defaults: WMPF running, the host app owning com.tencent.wmpf.cli.provider and bound to WMPFService,
no payment app, one built-in camera.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from cases import DeviceCase, wmpf
from devdoctor.readings.catalog import USB_VIDEO_COMMAND
from fixturekit import DeviceSpec, PackageSpec, _hex, code_path, dumpsys_package_text

SOURCES = (
    "ps: toolbox ps.c (android-7.1.2_r1) columns as in capture raw/ps/emulator-sdk-x86-a7.1.1 (plain `ps`, no "
    "-Z/-t/-p/-P), toybox `ps -A` (8.0+) `USER PID PPID VSZ RSS WCHAN ADDR S NAME` as in raw/ps/* and public "
    "`ps -A` pastes; dumpsys activity services PKG: ActiveServices dump as in the shared bugreports 7.1.1/9/10 "
    "(`(nothing)` when none); dumpsys package providers: `Registered ContentProviders:` / `ContentProvider "
    "Authorities:` as in the bugreports; dumpsys package queries: AppsFilter.dumpQueries (android-11.0.0_r1, "
    "AppsFilterBase android-13.0.0_r1); pm list packages / pm path: PackageManagerShellCommand, captures "
    "raw/pm_list_packages/*; logcat -b crash -b events: threadtime lines, am_proc_died/am_crash per "
    "EventLogTags.logtags of that release; dumpsys media.camera: CameraService::dump 7.1.1 (`Camera N "
    "information:`) and 9/10 (`== Camera HAL device ... static information: ==`) bugreports; USB video: our "
    "sysfs walk (devdoctor.readings.catalog.USB_VIDEO_COMMAND) over Linux ABI sysfs-bus-usb attributes")

HOST_PERMS = ["android.permission.INTERNET", "android.permission.CAMERA", "android.permission.RECORD_AUDIO",
              "android.permission.RECEIVE_BOOT_COMPLETED"]


def host(name: str = "com.sungate.doorbell", version: str = "3.4.2", code: int = 342, target: int = 28,
         provider: bool = True, **kw) -> PackageSpec:
    providers = [(f"{name}.wmpf.ClientProvider", "com.tencent.wmpf.cli.provider")] if provider else []
    return PackageSpec(name, version, code, target_sdk=target, min_sdk=25, requested=HOST_PERMS,
                       install_granted=HOST_PERMS[:1] + HOST_PERMS[3:], user_id=kw.pop("user_id", 10085),
                       providers=providers, **kw)


@dataclass
class UsbCam:
    node: str
    name: str
    vid: str
    pid: str
    serial: str
    manufacturer: str
    product: str
    bus: int = 1
    dev: int = 3


@dataclass
class Health:
    host: PackageSpec | None = field(default_factory=host)
    host_bound: bool = True  # the host app holds a binding to WMPFService
    wmpf_running: bool = True
    host_queries: bool = True  # the host's manifest has <queries> for WMPF (matters on 11+, target 30+)
    payment: dict[str, bool] = field(default_factory=dict)  # package -> enabled
    cameras: list[tuple[str, str, int]] = field(default_factory=lambda: [("0", "Front", 270)])
    usb_cams: list[UsbCam] = field(default_factory=list)
    wmpf_history: list[str] = field(default_factory=list)  # extra event/crash lines about WMPF
    timeouts: set[str] = field(default_factory=set)  # commands that hang on this device
    pm_list_failure: str | None = None  # what `pm list packages` prints instead of the list
    vendor_packages: list[str] = field(default_factory=list)


AREA_CASES = [
    DeviceCase(
        "health-a7.1-aosp-board",
        "Allwinner A40i AOSP board on Android 7.1.2 (toolbox ps), WMPF 2.1.0 running, USB camera on the "
        "vendor camera HAL",
        DeviceSpec("A40IBRD0071", "Allwinner", "Allwinner", "A40i Access Board", "octopus-p1", "sun8iw11p1", "7.1.2",
                   25, "NHG47K", "20220708", abilist="armeabi-v7a,armeabi", security_patch="2017-08-05"),
        wmpf("2.1.0", 9010017, abi="armeabi-v7a", first_install="2022-07-20 10:11:12",
             last_update="2023-11-21 16:40:03"),
    ),
    DeviceCase(
        "health-a9-facepay-board",
        "Face-pay board (RK3399, Android 9) with WeChat Pay face app enabled; WMPF was killed and is not running",
        DeviceSpec("RK3399FP0932", "rockchip", "rockchip", "FP-3399 FacePay", "rk3399", "rk3399", "9", 28,
                   "PQ3A.190801.002", "eng.builder.20210310.093012", security_patch="2019-08-05"),
        wmpf("2.1.0", 9010017, first_install="2024-01-09 11:02:33", last_update="2024-01-09 11:02:33"),
    ),
    DeviceCase(
        "health-miui-a12-phone",
        "Xiaomi Redmi Note 10 (MIUI 13, Android 12) used as a call station; host app targets 31 with <queries>",
        DeviceSpec("a1b2c3d4", "Xiaomi", "Redmi", "M2101K7AG", "mojito", "sm6150", "12", 31, "SKQ1.210908.001",
                   "V13.0.6.0.SKGMIXM", build_type="user", tags="release-keys", security_patch="2022-05-01",
                   extra_props={"ro.miui.ui.version.name": "V130", "ro.miui.ui.version.code": "13",
                                "ro.miui.region": "GLOBAL"}),
        wmpf("2.2.0", 9020017, target_sdk=30, first_install="2024-02-01 09:00:00", last_update="2024-02-01 09:00:00",
             code_path="/data/app/~~Qm9uZ3VzSGFzaA==/com.tencent.wmpf-Tm90UmVhbEhhc2g=="),
    ),
    DeviceCase(
        "health-emui-a10-tablet",
        "Huawei MatePad T10 (EMUI 10.1, Android 10): WMPF runs but no host app owns the provider or binds to it",
        DeviceSpec("HWAGS3K0010", "HUAWEI", "HUAWEI", "AGS3-W09", "HWAGS3K", "kirin710", "10", 29,
                   "HUAWEIAGS3-W09", "10.1.1.240(C432E3R1P1)", build_type="user", tags="release-keys",
                   security_patch="2021-06-01",
                   extra_props={"ro.build.version.emui": "EmotionUI_10.1.1", "ro.build.hw_emui_api_level": "21"}),
        wmpf("2.1.0", 9010017, first_install="2023-06-01 14:30:00", last_update="2023-06-01 14:30:00"),
    ),
    DeviceCase(
        "health-a13-kiosk",
        "Self-service kiosk (RK3588, Android 13) with no camera; host app targets 33 without <queries>",
        DeviceSpec("RK3588KS1301", "rockchip", "rockchip", "KS-21 Kiosk", "rk3588_t", "rk3588", "13", 33,
                   "TQ2A.230405.003.E1", "eng.builder.20230801.101010", security_patch="2023-04-05"),
        wmpf("2.2.0", 9020017, target_sdk=30, first_install="2024-04-02 08:00:00", last_update="2024-04-02 08:00:00",
             code_path="/data/app/~~S2lvc2tXbXBm/com.tencent.wmpf-V21wZkhhc2g="),
    ),
    DeviceCase(
        "health-a11-overloaded-board",
        "Overloaded RK3568 board (Android 11): activity/package dumps hang, the camera HAL hangs, and the package "
        "list is too large for one binder transaction",
        DeviceSpec("RK3568OV1101", "rockchip", "rockchip", "RK3568 EVB", "rk3568_r", "rk3568", "11", 30,
                   "RQ3A.211001.001", "eng.builder.20220105.120000", security_patch="2021-10-05"),
        wmpf("2.1.0", 9010017, first_install="2023-09-09 09:09:09", last_update="2023-09-09 09:09:09"),
    ),
]

HEALTH: dict[str, Health] = {
    "health-a7.1-aosp-board": Health(
        host=host("com.anjia.gate.intercom", "2.0.7", 207, 25, code_path="/data/app/com.anjia.gate.intercom-1"),
        cameras=[("0", "FRONT", 0)],
        usb_cams=[UsbCam("/dev/video0", "USB 2.0 Camera", "0c45", "6366", "SN0001", "Sonix Technology Co., Ltd.",
                         "USB 2.0 Camera", bus=2, dev=3)]),
    "health-a9-facepay-board": Health(
        host=host("com.facepay.terminal.voip", "1.8.0", 180, 28), wmpf_running=False, host_bound=False,
        payment={"com.tencent.wxpayface": True, "com.tencent.wxpayface.iotservice": True},
        wmpf_history=["am_kill : [0,{pid},com.tencent.wmpf,906,empty #17]",
                      "am_proc_died: [0,{pid},com.tencent.wmpf,906,16]"],
        usb_cams=[UsbCam("/dev/video0", "3D Camera", "2bc5", "0501", "AY3C51100AB", "Orbbec(R)",
                         "Orbbec Astra 3D Camera", bus=1, dev=4)]),
    "health-miui-a12-phone": Health(
        host=host("com.sungate.doorbell", "4.1.0", 410, 31,
                  code_path="/data/app/~~cGhvbmVob3N0==/com.sungate.doorbell-aG9zdGhhc2g="),
        payment={"com.alipay.iot.service": False},
        cameras=[("0", "Back", 90), ("1", "Front", 270)]),
    "health-emui-a10-tablet": Health(host=None, host_bound=False, cameras=[("0", "Back", 90), ("1", "Front", 270)]),
    "health-a13-kiosk": Health(
        host=host("com.kioskpro.wecall", "5.0.1", 501, 33,
                  code_path="/data/app/~~a2lvc2tob3N0/com.kioskpro.wecall-a2lvc2tQcm8="),
        host_queries=False, cameras=[]),
    "health-a11-overloaded-board": Health(
        timeouts={"dumpsys package providers", "dumpsys activity services com.tencent.wmpf", "dumpsys media.camera"},
        pm_list_failure="cmd: Failure calling service package: Failed transaction (2147483646)"),
}


def traits(case: DeviceCase) -> Health:
    """This module's traits for the case, or healthy ones that agree with what other areas say about it:
    a force-stopped WMPF does not run, and a host log saying `get bridge is null` means it could not
    reach WMPF (the cli's IPC failed to bind)."""
    if case.name in HEALTH:
        return HEALTH[case.name]
    down = bool(case.wmpf and case.wmpf.stopped) or "get bridge is null" in str(case.traits.get("log", ""))
    return Health(wmpf_running=not down, host_bound=not down)


# --- processes ---------------------------------------------------------------------------------

def _pids(case: DeviceCase) -> dict[str, int]:
    base = 1200 + int(_hex(case.name, 3), 16) % 600
    return {"zygote": 300, "system_server": base, "com.android.systemui": base + 190,
            "com.android.phone": base + 214, "launcher": base + 402, "com.tencent.wmpf": base + 1873,
            "com.tencent.wmpf:container": base + 2051, "host": base + 1630}


def _app_uid(user_id: int) -> str:
    return f"u0_a{user_id - 10000}"


def _process_rows(case: DeviceCase, h: Health) -> list[tuple[str, int, int, int, int, str, str]]:
    """(user, pid, ppid, vsz KiB, rss KiB, wchan, name) of a small board's processes."""
    p = _pids(case)
    z64 = case.spec.abilist.startswith("arm64")
    zname = "zygote64" if z64 else "zygote"
    rows = [("root", 1, 0, 16536, 2308, "SyS_epoll_wait", "/init" if case.spec.sdk <= 25 else "init"),
            ("root", 2, 0, 0, 0, "kthreadd", "kthreadd"),
            ("root", 3, 2, 0, 0, "smpboot_thread_fn", "ksoftirqd/0"),
            ("logd", 180, 1, 28564, 5412, "SyS_rt_sigsuspend", "/system/bin/logd" if case.spec.sdk <= 25 else "logd"),
            ("system", 190, 1, 11620, 2788, "binder_thread_read",
             "/system/bin/servicemanager" if case.spec.sdk <= 25 else "servicemanager"),
            ("system", 214, 1, 104332, 18420, "SyS_epoll_wait",
             "/system/bin/surfaceflinger" if case.spec.sdk <= 25 else "surfaceflinger"),
            ("root", 300, 1, 1485724 if z64 else 982340, 86012, "poll_schedule_timeout", zname),
            ("system", p["system_server"], 300, 1932344, 186544, "SyS_epoll_wait", "system_server"),
            ("u0_a28", p["com.android.systemui"], 300, 1502316, 141208, "SyS_epoll_wait", "com.android.systemui"),
            ("radio", p["com.android.phone"], 300, 1245880, 72540, "SyS_epoll_wait", "com.android.phone"),
            ("u0_a40", p["launcher"], 300, 1388008, 95632, "SyS_epoll_wait", "com.android.launcher3")]
    if case.wmpf is not None and h.wmpf_running:
        uid = _app_uid(case.wmpf.user_id)
        rows += [(uid, p["com.tencent.wmpf"], 300, 1876432, 168320, "SyS_epoll_wait", "com.tencent.wmpf"),
                 (uid, p["com.tencent.wmpf:container"], 300, 1652208, 121774, "SyS_epoll_wait",
                  "com.tencent.wmpf:container")]
    if h.host is not None:
        rows.append((_app_uid(h.host.user_id), p["host"], 300, 1420116, 88452, "SyS_epoll_wait", h.host.name))
    return sorted(rows, key=lambda r: r[1])


_KERNEL5 = {"SyS_epoll_wait": "do_epoll_wait", "SyS_rt_sigsuspend": "do_sigsuspend",
            "poll_schedule_timeout": "do_sys_poll"}


def ps_text(case: DeviceCase, h: Health) -> str:
    rows = _process_rows(case, h)
    sdk = case.spec.sdk
    if sdk <= 25:  # toolbox: `%-9s %-5d %-5d %-6d %-5d %10.10s %0Nx S name`, a fixed header
        pcw = 10 if case.spec.abilist.startswith("arm64") else 8  # as in public 64-bit / 32-bit pastes
        out = ["USER      PID   PPID  VSIZE  RSS   WCHAN              PC  NAME"]
        for user, pid, ppid, vsz, rss, wchan, name in rows:
            out.append(f"{user:<9} {pid:<5} {ppid:<5} {vsz:<6} {rss:<5} {wchan[:10]:>10} {0:0{pcw}x} S {name}")
    else:  # toybox -A: `%-12s %5d %5d %7d %6d %-16s %4s S name`; 10+ shows app processes' WCHAN as 0
        out = ["USER           PID  PPID     VSZ    RSS WCHAN            ADDR S NAME"]
        for user, pid, ppid, vsz, rss, wchan, name in rows:
            if sdk >= 31:  # 5.x kernels (Android 12+ boards) name the wait functions differently
                wchan = _KERNEL5.get(wchan, wchan)
            w = wchan if sdk <= 28 else ("0" if user.startswith("u0_") or user == "radio" else wchan)
            addr = max(4 - max(len(w) - 16, 0), 1)  # toybox takes a column's overflow from the next one
            out.append(f"{user:<12} {pid:>5} {ppid:>5} {vsz:>7} {rss:>6} {w:<16} {0:>{addr}} S {name}")
    return "\n".join(out) + "\n"


# --- activity manager ----------------------------------------------------------------------------

def services_text(case: DeviceCase, h: Health) -> str:
    head = "ACTIVITY MANAGER SERVICES (dumpsys activity services)\n"
    if case.wmpf is None or not h.wmpf_running:
        return head + "  (nothing)\n"
    p = _pids(case)
    w = case.wmpf
    sdk = case.spec.sdk
    uid = f"u0a{w.user_id - 10000}"
    svc = "com.tencent.wmpf/.app.WMPFService"
    rec = _hex(case.name + "svc")
    out = ["  User 0 active services:",
           f"  * ServiceRecord{{{rec} u0 {svc}}}",
           f"    intent={{cmp={svc}}}",
           "    packageName=com.tencent.wmpf",
           "    processName=com.tencent.wmpf",
           f"    baseDir={code_path(w, sdk)}/base.apk",
           "    dataDir=/data/user/0/com.tencent.wmpf",
           f"    app=ProcessRecord{{{_hex(case.name + 'pr')} {p['com.tencent.wmpf']}:com.tencent.wmpf/{uid}}}",
           "    createTime=-2h14m3s412ms startingBgTimeout=--",
           "    lastActivity=-41s87ms restartTime=-2h14m3s412ms createdFromFg=true"]
    if h.host_bound and h.host is not None:
        huid = f"u0a{h.host.user_id - 10000}"
        conn = f"ConnectionRecord{{{_hex(case.name + 'cr')} u0 CR {svc}:@{_hex(case.name + 'cb')}}}"
        out += ["    Bindings:",
                f"    * IntentBindRecord{{{_hex(case.name + 'ib')} CREATE}}:",
                f"      intent={{cmp={svc}}}",
                f"      binder=android.os.BinderProxy@{_hex(case.name + 'bp')}",
                "      requested=true received=true hasBound=true doRebind=false",
                f"      * Client AppBindRecord{{{_hex(case.name + 'ab')} ProcessRecord{{{_hex(case.name + 'hp')} "
                f"{p['host']}:{h.host.name}/{huid}}}}}",
                "        Per-process Connections:",
                f"          {conn}",
                "    All Connections:",
                f"      {conn}"]
    return head + "\n".join(out) + "\n\n"


# --- package manager ---------------------------------------------------------------------------

_SYSTEM_PROVIDERS = [("com.android.providers.settings", ".SettingsProvider", "settings"),
                     ("com.android.providers.media", ".MediaProvider", "media"),
                     ("com.android.providers.downloads", ".DownloadProvider", "downloads"),
                     ("com.android.providers.contacts", ".ContactsProvider2", "contacts;com.android.contacts")]


def providers_text(case: DeviceCase, h: Health) -> str:
    entries = list(_SYSTEM_PROVIDERS)
    if case.wmpf is not None:
        entries.append(("com.tencent.wmpf", ".comm.WMPFCommProvider", "com.tencent.wmpf.comm.provider"))
    if h.host is not None:
        for cls, auth in h.host.providers:
            entries.append((h.host.name, cls[len(h.host.name):], auth))
    reg = ["Registered ContentProviders:"]
    auth = ["ContentProvider Authorities:"]
    for pkg, cls, authority in entries:
        hx = _hex(pkg + cls)
        reg += [f"  {pkg}/{cls}:", f"    Provider{{{hx} {pkg}/{cls}}}"]
        auth += [f"  [{authority}]:", f"    Provider{{{hx} {pkg}/{cls}}}",
                 f"      applicationInfo=ApplicationInfo{{{_hex(pkg + 'ai')} {pkg}}}"]
    return "\n".join(reg + [""] + auth) + "\n\n"


def queries_text(case: DeviceCase, h: Health) -> str:
    """AppsFilter.dumpQueries; `queries via intent:` on 11, `queries via component:` from 12."""
    sdk = case.spec.sdk
    out = ["", "Queries:", "  system apps queryable: false", "  forceQueryable:",
           "    [com.android.shell,com.android.providers.settings]", "    com.android.systemui",
           "    com.android.launcher3", "  queries via package name:"]
    host_name = h.host.name if h.host else None
    if host_name and h.host_queries:
        out += [f"    {host_name}:", "      com.tencent.wmpf"]
    out.append("  queries via intent:" if sdk == 30 else "  queries via component:")
    out += ["    com.android.launcher3:", "      com.android.settings"]
    if host_name and h.host_queries:
        out += [f"    {host_name}:", "      com.tencent.wmpf"]
    out += ["  queryable via interaction:", "    User 0:", "      com.android.launcher3:",
            "        com.android.systemui"]
    if sdk >= 31:
        out.append("  queryable via uses-library:")
    return "\n".join(out) + "\n"


_SYSTEM_PACKAGES = ["android", "com.android.systemui", "com.android.settings", "com.android.phone",
                    "com.android.providers.settings", "com.android.providers.media", "com.android.providers.downloads",
                    "com.android.providers.contacts", "com.android.shell", "com.android.launcher3",
                    "com.android.webview", "com.android.packageinstaller", "com.android.inputmethod.latin"]


def pm_list_text(case: DeviceCase, h: Health, disabled_only: bool) -> str:
    names = list(_SYSTEM_PACKAGES) + h.vendor_packages + list(h.payment)
    if case.wmpf is not None:
        names.append(case.wmpf.name)
    if h.host is not None:
        names.append(h.host.name)
    if disabled_only:
        names = [n for n, enabled in h.payment.items() if not enabled]
    # PackageManagerShellCommand prints in the order getInstalledPackages returns: not sorted
    names = sorted(names, key=lambda n: _hex(case.name + n, 8))
    return "".join(f"package:{n}\n" for n in names)


# --- history and cameras ---------------------------------------------------------------------------

def history_text(case: DeviceCase, h: Health) -> str:
    p = _pids(case)
    ss = p["system_server"]
    wpid = p["com.tencent.wmpf"]
    start = (f"am_proc_start: [0,{wpid},{case.wmpf.user_id},com.tencent.wmpf,service,com.tencent.wmpf/.app.WMPFService]"
             if case.spec.sdk <= 27 else
             f"am_proc_start: [0,{wpid},{case.wmpf.user_id},com.tencent.wmpf,service,"
             f"{{com.tencent.wmpf/com.tencent.wmpf.app.WMPFService}}]")
    events = [f"am_proc_start: [0,{p['launcher']},10040,com.android.launcher3,activity,"
              "com.android.launcher3/.Launcher]", start]
    events += [ln.format(pid=wpid) for ln in h.wmpf_history]
    lines = ["--------- beginning of events"]
    for i, ev in enumerate(events):
        lines.append(f"11-20 09:{12 + i:02d}:{(7 * i) % 60:02d}.{(137 * i) % 1000:03d}  {ss}  {ss + 17 + i} I {ev}")
    return "\n".join(lines) + "\n"


def camera_text(case: DeviceCase, h: Health) -> str:
    cams = h.cameras
    sdk = case.spec.sdk
    if sdk <= 25:
        out = ["Camera module HAL API version: 0x100", "Camera module API version: 0x204",
               "Camera module name: V4L2 Camera HAL", "Camera module author: The Android Open Source Project",
               f"Number of camera devices: {len(cams)}", f"Number of normal camera devices: {len(cams)}",
               "Active Camera Clients:", "[]", "Allowed users:", "0", "Vendor tags left unimplemented.", "",
               "Prior client events (most recent at top):",
               "  11-20 09:05:31 : USER_SWITCH previous allowed users:  , current allowed users: 0", ""]
        for cid, facing, orient in cams:
            out += [f"Camera {cid} information:", f"  Facing: {facing}", f"  Orientation: {orient}",
                    "  Resource Cost: 100", "  Conflicting Devices: NONE", "  Device version: 0x100",
                    f"  Device {cid} is closed, no client instance", ""]
        out += ["No active camera clients yet.", "", "Camera traces (0):", "  No camera traces collected."]
        return "\n".join(out) + "\n"
    out = ["", "== Service global info: ==", "", f"Number of camera devices: {len(cams)}",
           f"Number of normal camera devices: {len(cams)}"]
    out += [f"    Device {cid} maps to \"{cid}\"" for cid, _f, _o in cams]
    out += ["Active Camera Clients:", "[]", "Allowed user IDs: 0", "",
            "== Camera service events log (most recent at top): ==",
            "  11-20 09:05:31 : USER_SWITCH previous allowed user IDs: <None>, current allowed user IDs: 0"]
    out += [f"  11-20 09:05:22 : ADD device {cid}, reason: (Device added)" for cid, _f, _o in cams]
    out.append("")
    for cid, _f, _o in cams:
        out += [f"== Camera device {cid} dynamic info: ==", f"  Device {cid} is closed, no client instance"]
    hal = "3.5" if sdk >= 29 else "3.3"
    if cams:
        out.append(f"== Camera Provider HAL legacy/0 (v2.4, remote) static info: {len(cams)} devices: ==")
    for cid, facing, orient in cams:
        out += [f"== Camera HAL device device@{hal}/legacy/{cid} (v{hal}) static information: ==",
                "  Resource cost: 100", "  Conflicting devices: None", "  API1 info:",
                "    Has a flash unit: false", f"    Facing: {facing}", f"    Orientation: {orient}",
                "  API2 camera characteristics:",
                "    Dumping camera metadata array: 2 / 2 entries, 0 / 0 bytes of extra data.",
                "      Version: 1, Flags: 00000000",
                "      android.sensor.orientation (e000e): int32[1]", f"        [{orient} ]",
                "      android.lens.facing (80005): byte[1]", f"        [{facing.upper()} ]"]
    return "\n".join(out) + "\n"


def usb_video_text(h: Health) -> str:
    out = []
    for c in h.usb_cams:
        out += [f"video={c.node}", f"name={c.name}", f"idVendor={c.vid}", f"idProduct={c.pid}", f"serial={c.serial}",
                f"manufacturer={c.manufacturer}", f"product={c.product}", f"busnum={c.bus}", f"devnum={c.dev}"]
    return "".join(ln + "\n" for ln in out)


# --- the commands ------------------------------------------------------------------------------

def add(case: DeviceCase, b) -> None:
    h = traits(case)
    sdk = case.spec.sdk

    def answer(command: str, stdout: str, ms: int, **kw) -> None:
        if command in h.timeouts:
            b.add(command, "", exit_code=None, ms=9000, outcome="timeout")
        else:
            b.add(command, stdout, ms=ms, **kw)

    if case.wmpf is None:  # payment-apps and camera need no WMPF: a device being prepared is asked too
        _device_reads(case, h, answer)
        return

    answer("ps -A" if sdk >= 26 else "ps", ps_text(case, h), 85)
    answer("dumpsys activity services com.tencent.wmpf", services_text(case, h), 60)
    answer("dumpsys package providers", providers_text(case, h), 240)
    answer("logcat -d -b crash -b events -t 400", history_text(case, h), 150)
    if h.host is not None:
        answer(f"dumpsys package {h.host.name}", dumpsys_package_text(h.host, sdk), 110)
        answer(f"pm path {h.host.name}", f"package:{code_path(h.host, sdk)}/base.apk\n", 70)
        if sdk >= 30 and h.host.target_sdk >= 30:
            answer("dumpsys package queries", queries_text(case, h), 130)
    _device_reads(case, h, answer)


def _device_reads(case: DeviceCase, h: Health, answer) -> None:
    """The installed packages and the cameras: what payment-apps and camera read, WMPF or not."""
    if h.pm_list_failure:
        answer("pm list packages", "", exit_code=255, ms=2100, stderr=h.pm_list_failure + "\n")
    else:
        answer("pm list packages", pm_list_text(case, h, False), 410)
        if h.payment:
            answer("pm list packages -d", pm_list_text(case, h, True), 380)
    answer("dumpsys media.camera", camera_text(case, h), 45)
    answer(USB_VIDEO_COMMAND, usb_video_text(h), 35)
