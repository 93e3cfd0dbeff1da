"""Which ROM a device runs, from its system properties, and the property that decided it.

The skins and their properties are data (devdoctor.parsers.rom_families, each row with its source). `name`
is the family of captures/expected/README.md's schema: HyperOS `ro.mi.os.version.name` (it keeps MIUI's
property too, so it is looked at first), MIUI `ro.miui.ui.version.name`, HarmonyOS
`hw_sc.build.platform.version` (before EMUI, whose property it also keeps), EMUI `ro.build.version.emui`,
ColorOS `ro.build.version.oplusrom` / `opporom`, vivo's OriginOS / Funtouch, Flyme, One UI
`ro.build.version.oneui` (40100 = 4.1); a skin the schema does not list (MagicOS, realme UI, OxygenOS,
Smartisan, ZUI, nubia, ROG, ...) or a phone maker's build without its skin's property is `other`, and
`skin` names it; anything else is `aosp-like`. When a skin of its own is built on a listed family (realme
UI on ColorOS, MagicOS on EMUI), `name` is that family and `skin` the skin.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Mapping

from devdoctor.parsers.numbers import to_int
from devdoctor.parsers.getprop import Props
from devdoctor.parsers.rom_families import BY_MAKER, BY_PROPERTY, Skin

ROMS = ("miui", "hyperos", "emui", "harmonyos", "coloros", "funtouch", "originos", "flyme", "oneui",
        "aosp-like", "other")
NAMES = {"miui": "MIUI", "hyperos": "HyperOS", "emui": "EMUI", "harmonyos": "HarmonyOS", "coloros": "ColorOS",
         "funtouch": "Funtouch OS", "originos": "OriginOS", "flyme": "Flyme", "oneui": "One UI",
         "aosp-like": "AOSP-like", "other": "other"}
_MAKER_KEYS = ("ro.product.manufacturer", "ro.product.vendor.manufacturer", "ro.product.brand",
               "ro.product.vendor.brand")


@dataclass
class Rom:
    name: str  # one of ROMS
    evidence: str  # `key=value` of the deciding property, or why none decided
    prop: str | None = None  # the deciding property's key
    version: str | None = None
    problems: list[str] = field(default_factory=list)
    skin: str | None = None  # the vendor skin by its own name (realme UI, XOS, ...); None for AOSP-like
    source: str | None = None  # where the rule that named it comes from
    family: str | None = None  # the listed ROM whose rules the skin follows (miui... oneui), None if none

    @property
    def label(self) -> str:
        shown = self.skin or NAMES[self.name]
        return f"{shown} {self.version}" if self.version else shown

    @property
    def restricts_background(self) -> bool:
        """A vendor skin: it stops background apps by rules of its own (dontkillmyapp.com)."""
        return self.skin is not None


def _oneui_version(raw: str) -> str:
    n = to_int(raw) if raw.isdigit() else None
    return f"{n // 10000}.{n // 100 % 100}" if n is not None else raw


def _version(row: Skin, value: str, values: Mapping[str, str]) -> str:
    if row.rom in ("funtouch", "originos") and (values.get("ro.vivo.os.version") or "").strip():
        return values["ro.vivo.os.version"].strip()
    if row.prop == "ro.build.version.oneui":
        return _oneui_version(value)
    if row.skin == "Flyme" and row.prop == "ro.build.display.id":
        return value.lower().replace("flyme", "").strip()
    return re.sub(r"^(?:EmotionUI|MagicOS|MagicUI)_", "", value)


def _matches(row: Skin, values: Mapping[str, str]) -> bool:
    value = (values.get(row.prop) or "").strip()
    return bool(value) and row.contains in value.lower()


def _maker_skin(values: Mapping[str, str]) -> tuple[str, str, str] | None:
    """(the maker property's key, the skin its maker ships, its family) for a phone maker's build."""
    for key in _MAKER_KEYS:
        words = " " + " ".join(re.split(r"[^a-z0-9]+", (values.get(key) or "").lower()[:200])) + " "
        for maker, skin, family in BY_MAKER:
            if f" {maker} " in words:
                return key, skin, family
    return None


def detect_rom(props: Props | Mapping[str, str]) -> Rom:
    values: Mapping[str, str] = props.values if isinstance(props, Props) else props
    first = next((row for row in BY_PROPERTY if _matches(row, values)), None)
    family = next((row for row in BY_PROPERTY if row.rom != "other" and _matches(row, values)), None)
    if first is not None:
        decided = family or first
        value = values[decided.prop].strip()
        return Rom(decided.rom, f"{decided.prop}={value}", decided.prop, _version(decided, value, values),
                   skin=first.skin, source=first.source, family=None if decided.rom == "other" else decided.rom)
    maker = _maker_skin(values)
    if maker is not None:
        key, skin, family = maker
        return Rom("other", f"{key}={values[key].strip()} without a vendor ROM property", key, skin=skin,
                   source="dontkillmyapp.com", family=family or None)
    rom = Rom("aosp-like", "no vendor ROM property")
    if not values:
        rom.problems.append("no properties to go by")
    return rom


# -- getprop's JSON form (`devdoctor inspect`): its facts with the ROM this module tells ------------------
def props_json(p: Props, capture: object = None) -> dict:
    listed = p.get("ro.product.cpu.abilist")
    facts = {"sdk": p.sdk, "release": p.values.get("ro.build.version.release"),
             "manufacturer": _product(p, "ro.product.manufacturer"), "brand": _product(p, "ro.product.brand"),
             "model": _product(p, "ro.product.model"), "device": _product(p, "ro.product.device"),
             "abi_list": p.abi_list, "abi_list_source": "ro.product.cpu.abilist" if listed else "ro.product.cpu.abi",
             "timezone": p.values.get("persist.sys.timezone"), "serialno": p.values.get("ro.serialno"),
             "prop_count": len(p.values), "multiline_values": sorted(k for k, v in p.values.items() if "\n" in v),
             "non_property_lines": p.other_lines}
    found = detect_rom(p)
    facts["rom"], facts["rom_evidence"], facts["rom_skin"] = found.name, found.evidence, found.skin
    facts["problems"] = list(p.problems) + list(found.problems)
    return facts


def _product(p: Props, key: str) -> str | None:
    """The ro.product.* value as printed; the vendor partition's copy (8.0+) when the plain one is absent."""
    if key in p.values:
        return p.values[key]
    return p.values.get(key.replace("ro.product.", "ro.product.vendor.", 1))
