"""The devices our hand-written fixtures describe: one DeviceCase per fixture file.

Each area of checks (tools/areas/*.py) adds the commands its checks send, reading the case's
`traits` to decide what this device answers. An area may also add cases of its own (AREA_CASES).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fixturekit import DeviceSpec, PackageSpec

WMPF_PERMS = ["android.permission.INTERNET", "android.permission.ACCESS_NETWORK_STATE",
              "android.permission.ACCESS_WIFI_STATE", "android.permission.CAMERA",
              "android.permission.RECORD_AUDIO", "android.permission.WAKE_LOCK"]


def wmpf(version_name: str, version_code: int, **kw: Any) -> PackageSpec:
    return PackageSpec("com.tencent.wmpf", version_name, version_code, target_sdk=kw.pop("target_sdk", 26),
                       min_sdk=kw.pop("min_sdk", 21), requested=WMPF_PERMS,
                       install_granted=kw.pop("install_granted", WMPF_PERMS[:3] + WMPF_PERMS[5:]),
                       user_id=kw.pop("user_id", 10086), **kw)


@dataclass
class DeviceCase:
    name: str  # the fixture's file name without .json
    description: str
    spec: DeviceSpec
    wmpf: PackageSpec | None
    packages: list[PackageSpec] = field(default_factory=list)  # other apps that matter (host app, payment apps)
    traits: dict[str, Any] = field(default_factory=dict)


CASES: list[DeviceCase] = [
    DeviceCase(
        "healthy-a9-panel",
        "Healthy door-entry panel: Rockchip RK3288 board, Android 9, WMPF 2.1.0",
        DeviceSpec("RK3288DP0417", "rockchip", "rockchip", "SG-DP8 Door Panel", "rk3288", "rk3288", "9", 28,
                   "PQ2A.190405.003", "eng.builder.20190614.102231", abilist="armeabi-v7a,armeabi",
                   security_patch="2019-04-05"),
        wmpf("2.1.0", 9010017, abi="armeabi-v7a", first_install="2024-05-20 14:02:11",
             last_update="2024-05-20 14:02:11"),
        # the README's example clears WMPF's cache on this recording served by `devdoctor simulate`
        traits={"fix": "clear-cache", "clear": "Success"},
    ),
    DeviceCase(
        "a7.0-board",
        "Allwinner A64 industrial board on Android 7.0 (SDK 24), below WMPF's minimum",
        DeviceSpec("A64BRD20230081", "Allwinner", "Allwinner", "QUAD-CORE A64 p3", "tulip-p3", "sun50iw1p1",
                   "7.0", 24, "NRD90M", "20230311", abilist="arm64-v8a,armeabi-v7a,armeabi",
                   security_patch="2017-03-05"),
        wmpf("2.1.0", 9010017, first_install="2023-03-15 10:20:44", last_update="2023-03-15 10:20:44"),
    ),
    DeviceCase(
        "no-wmpf-a10-tablet",
        "Learning tablet (MediaTek MT8168, Android 10) where WMPF was never installed",
        DeviceSpec("MT8168TB9Q0355", "alps", "alps", "LT-10 Learning Tablet", "tb8168p1_64_bsp", "mt8168",
                   "10", 29, "QP1A.190711.020", "1597392442", security_patch="2020-07-05", build_type="user",
                   tags="release-keys"),
        None,
    ),
    DeviceCase(
        "wmpf-1.1.3-a8-kiosk",
        "Ticket kiosk (Rockchip RK3399, Android 8.1) with an old WMPF 1.1.3",
        DeviceSpec("RK3399KSK2201", "rockchip", "rockchip", "KS-15 Kiosk", "rk3399", "rk3399", "8.1.0", 27,
                   "OPM8.181005.003", "eng.builder.20200901.154412", security_patch="2018-10-05"),
        wmpf("1.1.3", 8011003, first_install="2021-12-02 08:15:39", last_update="2022-01-18 11:47:02"),
    ),
]
