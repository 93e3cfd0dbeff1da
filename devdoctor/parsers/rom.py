"""Which ROM a device runs, from its system properties, and the property that decided it.

Each vendor ROM sets a property of its own (values as seen on devices; capture
raw/getprop/xiaomi-12x-psyche-miui13-a12 for MIUI): HyperOS `ro.mi.os.version.name` (OS1.0; HyperOS keeps
the MIUI property too, so it is looked at first), MIUI `ro.miui.ui.version.name` (V130), HarmonyOS
`hw_sc.build.platform.version` (before EMUI, whose property it also keeps), EMUI `ro.build.version.emui`
(EmotionUI_10.1.0), ColorOS `ro.build.version.oplusrom` / `ro.build.version.opporom`, vivo
`ro.vivo.os.name` (OriginOS / Funtouch) and `ro.vivo.os.version`, Flyme `ro.build.display.id` (Flyme 8.1.2.0A)
or `ro.flyme.version.id`, One UI `ro.build.version.oneui` (40100 = 4.1). None of them: a phone maker's
build without its ROM property is `other` (Samsung before One UI); anything else is `aosp-like`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from devdoctor.parsers.getprop import Props
from devdoctor.numbers import to_int

ROMS = ("miui", "hyperos", "emui", "harmonyos", "coloros", "funtouch", "originos", "flyme", "oneui",
        "aosp-like", "other")
NAMES = {"miui": "MIUI", "hyperos": "HyperOS", "emui": "EMUI", "harmonyos": "HarmonyOS", "coloros": "ColorOS",
         "funtouch": "Funtouch OS", "originos": "OriginOS", "flyme": "Flyme", "oneui": "One UI",
         "aosp-like": "AOSP-like", "other": "other"}
# Makers whose phones ship a vendor ROM: without its property the build is `other`, not AOSP-like.
_PHONE_MAKERS = ("xiaomi", "redmi", "huawei", "honor", "oppo", "realme", "oneplus", "vivo", "iqoo", "meizu",
                 "samsung")


@dataclass
class Rom:
    name: str  # one of ROMS
    evidence: str  # `key=value` of the deciding property, or why none decided
    prop: str | None = None  # the deciding property's key
    version: str | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{NAMES[self.name]} {self.version}" if self.version else NAMES[self.name]


def _oneui_version(raw: str) -> str:
    n = to_int(raw) if raw.isdigit() else None
    return f"{n // 10000}.{n // 100 % 100}" if n is not None else raw


def detect_rom(props: Props | Mapping[str, str]) -> Rom:
    values: Mapping[str, str] = props.values if isinstance(props, Props) else props
    get = lambda k: (values.get(k) or "").strip()  # noqa: E731

    def found(name: str, key: str, version: str | None = None) -> Rom:
        return Rom(name, f"{key}={get(key)}", key, version if version is not None else get(key))

    if get("ro.mi.os.version.name"):
        return found("hyperos", "ro.mi.os.version.name")
    if get("ro.miui.ui.version.name"):
        return found("miui", "ro.miui.ui.version.name")
    if get("hw_sc.build.platform.version"):
        return found("harmonyos", "hw_sc.build.platform.version")
    if get("ro.build.version.emui"):
        return found("emui", "ro.build.version.emui", get("ro.build.version.emui").replace("EmotionUI_", ""))
    for key in ("ro.build.version.oplusrom", "ro.build.version.opporom"):
        if get(key):
            return found("coloros", key)
    vivo_name = get("ro.vivo.os.name").lower()
    if "origin" in vivo_name or get("ro.vivo.os.build.display.id").lower().startswith("originos"):
        key = "ro.vivo.os.name" if "origin" in vivo_name else "ro.vivo.os.build.display.id"
        return found("originos", key, get("ro.vivo.os.version") or get(key))
    if vivo_name or get("ro.vivo.os.version"):
        key = "ro.vivo.os.name" if vivo_name else "ro.vivo.os.version"
        return found("funtouch", key, get("ro.vivo.os.version") or get(key))
    if "flyme" in get("ro.build.display.id").lower():
        return found("flyme", "ro.build.display.id", get("ro.build.display.id").lower().replace("flyme", "").strip())
    if get("ro.flyme.version.id"):
        return found("flyme", "ro.flyme.version.id")
    if get("ro.build.version.oneui"):
        return found("oneui", "ro.build.version.oneui", _oneui_version(get("ro.build.version.oneui")))
    for key in ("ro.product.manufacturer", "ro.product.vendor.manufacturer", "ro.product.brand"):
        if get(key).lower() in _PHONE_MAKERS:
            return Rom("other", f"{key}={get(key)} without a vendor ROM property", key)
    rom = Rom("aosp-like", "no vendor ROM property")
    if not values:
        rom.problems.append("no properties to go by")
    return rom
