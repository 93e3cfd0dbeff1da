"""The vendor skins of Android, as data: the property that names each one, and the makers that ship it.

Rows are tried in order, the more specific first (HyperOS keeps MIUI's property, realme UI ColorOS's,
OriginOS vivo's Funtouch name). `rom` is the family of captures/expected/README.md's schema (`other` for a
skin the schema does not list); `skin` names it. Every skin here restricts background apps by rules of
its own (dontkillmyapp.com rates each one), so adb never sees the whole picture of autostart on it.

Sources: [X] getActivity/XXPermissions, library/src/main/java/com/hjq/device/compat/DeviceOs.java (2025-08,
property names with values seen on devices); [D] dontkillmyapp.com, the vendor's page; [C] the capture
raw/getprop/xiaomi-12x-psyche-miui13-a12 (MIUI).
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Skin:
    skin: str  # the name its maker gives it
    rom: str  # the schema's family: miui, hyperos, emui, harmonyos, coloros, funtouch, originos, flyme, oneui, other
    prop: str  # the property that names it
    contains: str = ""  # the value must contain this (case-insensitive); "" = any non-empty value
    source: str = ""


# A property of the skin's own, in the order they are tried.
BY_PROPERTY: tuple[Skin, ...] = (
    Skin("HyperOS", "hyperos", "ro.mi.os.version.name", source="[X] OS_CONDITIONS_HYPER_OS: [OS1.0]"),
    Skin("HyperOS", "hyperos", "ro.mi.os.version.incremental", source="[X] [OS1.0.3.0.TKXCNXM]"),
    Skin("MIUI", "miui", "ro.miui.ui.version.name", source="[X], [C]: [V130]"),
    Skin("MIUI", "miui", "ro.miui.ui.version.code", source="[X]: [13]"),
    Skin("HarmonyOS", "harmonyos", "hw_sc.build.platform.version", source="[X]: [4.2.0]"),
    Skin("MagicOS", "other", "msc.config.magic.version", source="[X]: [9.0]"),
    Skin("MagicOS", "other", "ro.build.version.magic", source="[X]: [MagicOS_9.0.0], [MagicUI_6.1.0]"),
    Skin("Magic UI", "emui", "ro.build.version.emui", "magicui", "[X]: [MagicUI_6.1.0] on Magic UI 6.1"),
    Skin("EMUI", "emui", "ro.build.version.emui", source="[X]: [EmotionUI_10.1.1]"),
    Skin("realme UI", "other", "ro.build.version.realmeui", source="[X]: [V5.0]"),
    Skin("ColorOS", "coloros", "ro.build.version.oplusrom", source="[X]: [V12.1]"),
    Skin("ColorOS", "coloros", "ro.build.version.opporom", source="[X]: [V11.2]"),
    Skin("OriginOS", "originos", "ro.vivo.os.build.display.id", "originos", "[X]: [OriginOS 4]"),
    Skin("OriginOS", "originos", "ro.vivo.os.name", "origin", "[D] vivo"),
    Skin("Funtouch OS", "funtouch", "ro.vivo.os.build.display.id", "funtouch", "[X]: [Funtouch OS_10]"),
    Skin("Funtouch OS", "funtouch", "ro.vivo.os.name", source="[D] vivo"),
    Skin("Funtouch OS", "funtouch", "ro.vivo.os.version", source="[D] vivo"),
    Skin("Flyme", "flyme", "ro.build.display.id", "flyme", "[X]: [Flyme 8.1.8.0A]"),
    Skin("Flyme", "flyme", "ro.flyme.version.id", source="[X]: [Flyme 9.3.1.0A]"),
    Skin("Flyme", "flyme", "ro.flyme.published", source="[X]: [true]"),
    Skin("One UI", "oneui", "ro.build.version.oneui", source="[X]: [60101] = 6.1.1"),
    Skin("OxygenOS", "other", "ro.oxygen.version", source="[X]: [9.0.4]"),
    Skin("H2OS", "other", "ro.rom.version", "h2os", "[X]: [H2OS V3.5]"),
    Skin("RedMagic OS", "other", "ro.build.display.id", "redmagicos", "[X]: [RedMagicOS10.0.12]"),
    Skin("Nebula AIOS", "other", "ro.build.display.id", "nebulaaios", "[X]: [NebulaAIOS1.0.14_NX712J]"),
    Skin("MyOS", "other", "ro.build.display.id", "myos", "[X]: [MyOS12.0.14_A2121]"),
    Skin("MiFavor UI", "other", "ro.build.MiFavor_version", source="[X]: [10.1]"),
    Skin("ZUXOS", "other", "ro.config.lgsi.os.name", "zuxos", "[X]: [ZUXOS]"),
    Skin("ZUI", "other", "ro.com.zui.version", source="[X]: [3.5]"),
    Skin("ZUI", "other", "ro.config.zuisdk.enabled", source="[X]: [true]"),
    Skin("nubia UI", "other", "ro.build.nubia.rom.name", "nubiaui", "[X]: [nubiaUI]"),
    Skin("ROG UI", "other", "ro.asus.rog", source="[X]: [1]"),
    Skin("Smartisan OS", "other", "ro.smartisan.version", source="[X]: [7.0.1.1-202004152056-user-trd]"),
    Skin("Smartisan OS", "other", "ro.smartisan.sa", source="[X]"),
    Skin("EUI", "other", "ro.letv.release.version", source="[X]: [6.0.030S]"),
    Skin("360UI", "other", "ro.build.uiversion", "360ui", "[X]: [360UI:V3.0]"),
)

# Makers whose builds carry a skin even when none of the properties above is set (an older release, a
# tablet line): (words of ro.product.manufacturer or brand, lower case, the skin, the family whose rules
# it follows or ""). The schema calls such a build `other`. [D] rates each maker.
BY_MAKER: tuple[tuple[str, str, str], ...] = (
    ("xiaomi", "MIUI", "miui"), ("redmi", "MIUI", "miui"), ("poco", "MIUI", "miui"), ("huawei", "EMUI", "emui"),
    ("honor", "MagicOS", "emui"), ("oppo", "ColorOS", "coloros"), ("realme", "realme UI", "coloros"),
    ("oneplus", "OxygenOS", "coloros"), ("vivo", "Funtouch OS", "funtouch"), ("iqoo", "Funtouch OS", "funtouch"),
    ("meizu", "Flyme", "flyme"), ("samsung", "Samsung Experience / One UI", "oneui"),
    ("smartisan", "Smartisan OS", ""), ("asus", "ZenUI", ""), ("infinix", "XOS", ""), ("tecno", "HiOS", ""),
    ("itel", "itel OS", ""), ("lge", "LG UX", ""), ("lg electronics", "LG UX", ""), ("nubia", "nubia UI", ""),
    ("zte", "MiFavor UI", ""), ("lenovo", "ZUI", ""), ("zuk", "ZUI", ""), ("motorola", "My UX", ""),
    ("sony", "Sony", ""), ("hmd global", "Nokia (HMD)", ""), ("nokia", "Nokia (HMD)", ""), ("letv", "EUI", ""),
    ("leeco", "EUI", ""), ("wiko", "Wiko", ""), ("blackview", "Doke OS", ""), ("unihertz", "Unihertz", ""),
)
