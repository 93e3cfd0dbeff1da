"""What wmpf-version-match sends: `pm path`, `stat -c %s`, `dumpsys package providers`, and the APKs
it pulls (fixture `files`) or reads in ranges (`dd`). The APKs are made by tools/apkkit.py, one per
wmpf-cli generation, carrying the markers ../shared/wmpf-domain.md §2.2-2.3 lists for it, and
checked with Debian's aapt and dexdump when they are installed.
"""
from __future__ import annotations

from apkkit import El, apk, dex, verify
from areas import health
from cases import DeviceCase, wmpf
from devdoctor.sources.device import command_line
from fixturekit import Builder, DeviceSpec, code_path

SOURCES = ("pm path: `package:<path>` per APK (PackageManagerShellCommand.runPath, android-9.0.0_r1); stat -c %s: "
           "toybox stat (Android 7+); dd: toybox dd, raw bytes on shell v2; APKs: tools/apkkit.py (binary XML "
           "manifest and dex string tables, verified with aapt dump xmltree and dexdump)")

WMPF_PKG = "com.tencent.wmpf"
CLI_PROVIDER = "com.tencent.wmpf.cli.provider"
LARGE_WMPF_PADDING = 9 * 1024 * 1024  # makes the stub bigger than device_apk.PULL_WHOLE_BYTES
PROTO = "Lcom/tencent/wmpf/cli/model/protocol/"

# Names and strings each wmpf-cli generation leaves in a host app's dex (wmpf-domain §2.3).
_V1 = ["Lcom/tencent/wmpf/cli/task/pb/WMPFIPCInvoker;", "Lcom/tencent/wmpf/cli/task/IPCInvokerTask_ActivateDevice;",
       "Lcom/tencent/wmpf/cli/task/IPCInvokerTask_InitGlobalConfig;", "Lcom/tencent/wmpf/app/WMPFInfo;",
       "Lcom/tencent/wmpf/app/WMPFBoot;", "Lcom/tencent/wmpf/cli/task/TaskError;", "WMPFCLI.WMPFInfo",
       "WMPF.CLI.TaskImpl", "IPC.IPCInvokeLogic"]
_V2 = ["Lcom/tencent/wmpf/cli/api/WMPF;", "Lcom/tencent/wmpf/cli/api/WMPFDeviceApi;",
       "Lcom/tencent/wmpf/cli/api/WMPFMiniProgramApi;", PROTO + "WMPFLaunchMiniProgramRequest;", "WMPFDeviceApi",
       "SHARE_PERF_TOKEN_KEY"]
CLI_STRINGS = {
    "1.1": _V1,
    "2.0": _V1 + _V2 + ["Lcom/tencent/wmpf/cli/api/WMPFLifeCircleManager;"],
    "2.1": _V1 + _V2 + [PROTO + "WMPFSetZoomRequest;", PROTO + "WMPFSetWindowRatioRequest;",
                        PROTO + "WMPFGetDrivingStatusRequest;", "Lcom/tencent/wmpf/cli/api/WMPFApiException;",
                        "call WMPF.apk fail, is it installed?"],
    "2.2": [s for s in _V1 if s not in ("WMPFCLI.WMPFInfo", "WMPF.CLI.TaskImpl")] + _V2 + [
        PROTO + "WMPFSetZoomRequest;", PROTO + "WMPFSetWindowRatioRequest;", PROTO + "WMPFGetDrivingStatusRequest;",
        "Lcom/tencent/wmpf/cli/api/WMPFApiException;", "call WMPF.apk fail, is it installed?",
        PROTO + "WMPFGetMiniProgramDeviceInfoRequest;", "Lcom/tencent/wmpf/app/WMPFClientProvider;",
        "Lcom/tencent/wmpf/cli/model/WMPFProcessStrategy;", "WMPFCli.Info", "WMPFCli.IPCInvoker"],
}
CLI_SERVICE = "com.tencent.wmpf.app.WMPFBoot$WMPFCliMainProcessService"  # 1.1.0 release and every 2.x


def host_manifest(package: str, generation: str | None, version_name: str = "3.2.0", version_code: int = 320,
                  target_sdk: int = 29, queries: bool | None = None, provider_class: str | None = None) -> El:
    """The host's merged manifest. `queries`: whether it has <queries> for WMPF (default: as cli 2.2's
    AAR merges them; an app may add them by hand for FAQ 4.6, or strip them)."""
    app = El("application", {"android:name": f"{package}.App"}, [
        El("activity", {"android:name": f"{package}.MainActivity"})])
    root = El("manifest", {"package": package, "android:versionCode": version_code,
                           "android:versionName": version_name},
              [El("uses-sdk", {"android:minSdkVersion": 21, "android:targetSdkVersion": target_sdk}), app])
    if generation is not None:
        app.children.append(El("service", {"android:name": CLI_SERVICE}))
        app.children.append(El("provider", {"android:name": provider_class or f"{package}.ClientProvider",
                                            "android:authorities": CLI_PROVIDER}))
    if queries if queries is not None else generation == "2.2":
        root.children.insert(1, El("queries", {}, [
            El("package", {"android:name": WMPF_PKG}),
            El("provider", {"android:authorities": "com.tencent.wmpf.comm.provider"})]))
    return root


def host_apk(package: str, generation: str | None, split_dex: bool = False, **manifest) -> bytes:
    """A maker's app embedding wmpf-cli of `generation` ("1.1", "2.0", "2.1", "2.2"; None: no cli);
    `manifest`: host_manifest's keywords (version, target SDK, <queries>)."""
    own = [f"L{package.replace('.', '/')}/App;", f"L{package.replace('.', '/')}/MainActivity;",
           "Landroid/app/Application;", "Landroid/app/Activity;", "Ljava/lang/Object;", "onCreate"]
    cli = CLI_STRINGS[generation] if generation else []
    dexes = [dex(own), dex(cli)] if split_dex and cli else [dex(own + cli)]
    data = apk(host_manifest(package, generation, **manifest), dexes)
    problems = verify(data)
    assert not problems, problems
    return data


def wmpf_apk(version_name: str, version_code: int, padding: int = 0) -> bytes:
    """A WMPF Service stub: its manifest with the meta-data the vendor's demo reads, and (padding) a
    large stored native library after it, as the real APK has, so that reading it takes ranges."""
    m = El("manifest", {"package": WMPF_PKG, "android:versionCode": version_code, "android:versionName": version_name},
           [El("uses-sdk", {"android:minSdkVersion": 21, "android:targetSdkVersion": 26}),
            El("application", {"android:name": "com.tencent.wmpf.app.WMPFApplication"}, [
                El("meta-data", {"android:name": "com.tencent.wmpf.BuildInfo.BUILD_WMPF_VERSION_NAME",
                                 "android:value": version_name}),
                El("service", {"android:name": "com.tencent.wmpf.app.WMPFService"}),
                El("provider", {"android:name": "com.tencent.wmpf.comm.WMPFCommProvider",
                                "android:authorities": "com.tencent.wmpf.comm.provider"})])])
    extra = {"lib/arm64-v8a/libwmpf-stub.so": b"\0" * padding} if padding else None
    data = apk(m, [dex(["Lcom/tencent/wmpf/app/WMPFService;", "Ljava/lang/Object;"])], extra)
    assert not verify(data)
    return data


# -- the devices --------------------------------------------------------------------------------

# The host app is the health area's (tools/areas/health.py decides which app owns the provider and
# answers `dumpsys package providers`, `pm path` and `dumpsys package HOST`); this area adds what
# reading its APK sends, and which wmpf-cli generation it embeds ("cli"; default: WMPF's own).
TRAITS: dict[str, dict] = {
    "healthy-a9-panel": {"cli": "2.1"},
    "a7.0-board": {"cli": "2.2"},
    "wmpf-1.1.3-a8-kiosk": {"cli": "1.1"},
}

_PANEL = dict(manufacturer="rockchip", brand="rockchip", model="SG-DP8 Door Panel", device="rk3288", board="rk3288",
              release="9", sdk=28, build_id="PQ2A.190405.003", incremental="eng.builder.20190614.102231",
              abilist="armeabi-v7a,armeabi")
AREA_CASES = [
    DeviceCase(
        "cli2.2-wmpf2.0-a9-panel",
        "Door panel (RK3288, Android 9): the maker's app was rebuilt with wmpf-cli 2.2.0, WMPF stayed at 2.0.0",
        DeviceSpec("RK3288DP0788", **_PANEL),
        wmpf("2.0.0", 9000017, abi="armeabi-v7a", first_install="2023-09-02 10:11:12",
             last_update="2023-09-02 10:11:12"),
        traits={"cli": "2.2"}),
    DeviceCase(
        "cli1-wmpf2.2-a10-kiosk",
        "Vending kiosk (RK3399, Android 10): WMPF 2.2.0 (large APK) beside a maker's app on the v1 API (wmpf-cli 1.1)",
        DeviceSpec("RK3399VND0031", "rockchip", "rockchip", "VM-22 Vending Kiosk", "rk3399", "rk3399", "10", 29,
                   "QD4A.200805.003", "eng.builder.20210302.101010", security_patch="2020-08-05"),
        wmpf("2.2.0", 9020017, first_install="2024-01-10 16:00:00", last_update="2024-01-10 16:00:00"),
        traits={"cli": "1.1", "large_wmpf": True}),
    DeviceCase(
        "matching-2.2-a11-lock",
        "Smart lock hub (MT8167, Android 11): WMPF 2.2.0 and the maker's app on wmpf-cli 2.2.0 (dex split in two)",
        DeviceSpec("MT8167LK00913", "alps", "alps", "SL-3 Lock Hub", "tb8167p3_bsp", "mt8167", "11", 30,
                   "RP1A.200720.011", "1633526400", security_patch="2021-09-05", build_type="user",
                   tags="release-keys"),
        wmpf("2.2.0", 9020017, first_install="2024-02-01 12:00:00", last_update="2024-02-01 12:00:00"),
        traits={"cli": "2.2", "split_dex": True}),
    DeviceCase(
        "cli2.0-wmpf2.2-a8-gate",
        "Turnstile gate (RK3288, Android 8.1): WMPF upgraded to 2.2.0, the maker's app still on wmpf-cli 2.0.0",
        DeviceSpec("RK3288GT0142", "rockchip", "rockchip", "TG-5 Gate", "rk3288", "rk3288", "8.1.0", 27,
                   "OPM8.181005.003", "eng.builder.20191120.090000", abilist="armeabi-v7a,armeabi",
                   security_patch="2018-10-05"),
        wmpf("2.2.0", 9020017, abi="armeabi-v7a", first_install="2024-01-15 08:30:00",
             last_update="2024-01-15 08:30:00"),
        traits={"cli": "2.0"}),
    DeviceCase(
        "host-apk-denied-a9-panel",
        "Door panel (RK3288, Android 9) whose ROM refuses to let adb copy the maker's APK (Permission denied)",
        DeviceSpec("RK3288DP1004", **_PANEL),
        wmpf("2.1.0", 9010017, abi="armeabi-v7a", first_install="2024-03-03 09:00:00",
             last_update="2024-03-03 09:00:00"),
        traits={"cli": "2.1", "host_apk": "denied"}),
]


def traits(case: DeviceCase) -> dict:
    """This area's traits of a case; a case that says nothing gets the healthy default: the host
    embeds WMPF's own generation of wmpf-cli."""
    t = {**TRAITS.get(case.name, {}), **case.traits}
    if "cli" not in t and case.wmpf is not None:
        major_minor = ".".join(case.wmpf.version_name.split(".")[:2])
        t["cli"] = major_minor if major_minor in CLI_STRINGS else ("1.1" if major_minor.startswith("1.") else "2.2")
    return t


def _dd_answers(b: Builder, path: str, data: bytes) -> None:
    """Answer the `dd` ranges devdoctor.sources.device_apk.DeviceFile asks for, by replaying its reads here."""
    from devdoctor.sources.device import CommandResult
    from devdoctor.sources.device_apk import DeviceFile
    from devdoctor.parsers.apk import read_apk

    class _Ctx:  # a stand-in context whose run() answers from `data` and records the answer
        def run(self, cmd: str, timeout: float | None = None):
            skip = int(cmd.split("skip=")[1].split()[0])
            count = int(cmd.split("count=")[1].split()[0])
            chunk = data[skip * 4096:(skip + count) * 4096]
            b.add_bytes(cmd, chunk, ms=35 + len(chunk) // 40000)
            return CommandResult(cmd, "", raw_stdout=chunk)

    f = DeviceFile(_Ctx(), path, len(data))  # type: ignore[arg-type]
    info = read_apk(f, with_dex=False)
    assert info.manifest_read, info.problems


def add(case: DeviceCase, b: Builder) -> None:
    if case.wmpf is None:
        return  # nothing to compare: the check is skipped before it asks anything more
    t = traits(case)
    sdk = case.spec.sdk
    wpath = code_path(case.wmpf, sdk) + "/base.apk"
    b.add(f"pm path {WMPF_PKG}", f"package:{wpath}\n", ms=60)
    wdata = wmpf_apk(case.wmpf.version_name, case.wmpf.version_code,
                     padding=LARGE_WMPF_PADDING if t.get("large_wmpf") else 0)
    b.add(command_line(["stat", "-c", "%s", wpath]), f"{len(wdata)}\n", ms=25)
    if t.get("large_wmpf"):
        _dd_answers(b, wpath, wdata)
    else:
        b.file(wpath, wdata)
    h = health.traits(case)
    host = h.host
    if host is None:
        return
    hpath = code_path(host, sdk) + "/base.apk"  # what the health area's `pm path HOST` answers
    generation = t.get("cli")
    hdata = host_apk(host.name, generation, split_dex=bool(t.get("split_dex")), version_name=host.version_name,
                     version_code=host.version_code, target_sdk=host.target_sdk,
                     queries=h.host_queries and (generation == "2.2" or host.target_sdk >= 30),
                     provider_class=next((cls for cls, auth in host.providers if auth == CLI_PROVIDER), None))
    b.add(command_line(["stat", "-c", "%s", hpath]), f"{len(hdata)}\n", ms=25)
    if t.get("host_apk") == "denied":
        b.file(hpath, error="Permission denied")
    else:
        b.file(hpath, hdata)
