"""Every vendor skin of devdoctor.parsers.rom_families is named from its property or its maker, never called
AOSP-like; and the autostart check does not pass a device whose skin stops background apps by rules adb
cannot read."""
from __future__ import annotations

from pathlib import Path

import pytest

from devdoctor.sources.fixture import FORMAT, parse
from devdoctor.sources.replay import Replayer
from devdoctor.readings.pasted import inspect_bytes
from devdoctor.parsers.rom import ROMS, detect_rom
from devdoctor.parsers.rom_families import BY_MAKER, BY_PROPERTY
from devdoctor.result import Status
from devdoctor.core.runner import run_checks
from devdoctor_checks.autostart import Autostart

DATA = Path(__file__).parent / "data" / "formats" / "getprop"


def value_of(row) -> str:
    """A value the row's property takes on a device of that skin (its source quotes one)."""
    return {"": "V1.0"}.get(row.contains, f"{row.contains.upper()} 1.0")


@pytest.mark.parametrize("row", BY_PROPERTY, ids=[f"{r.skin}:{r.prop}" for r in BY_PROPERTY])
def test_each_skin_is_named_by_its_property(row):
    rom = detect_rom({row.prop: value_of(row), "ro.product.manufacturer": "rockchip"})
    assert (rom.skin, rom.name) == (row.skin, row.rom)
    assert rom.name in ROMS and rom.prop == row.prop and rom.restricts_background and row.source


@pytest.mark.parametrize("maker,skin,family", BY_MAKER)
def test_each_phone_maker_without_its_property_is_other_with_its_skin_named(maker, skin, family):
    rom = detect_rom({"ro.product.manufacturer": maker.upper(), "ro.build.version.sdk": "30"})
    assert (rom.name, rom.skin, rom.family) == ("other", skin, family or None)


def test_a_skin_built_on_a_listed_family_keeps_the_family():
    rom = detect_rom({"ro.build.version.realmeui": "V4.0", "ro.build.version.oplusrom": "V13.0.0"})
    assert (rom.name, rom.skin, rom.prop) == ("coloros", "realme UI", "ro.build.version.oplusrom")


def test_a_board_without_a_skin_is_aosp_like():
    for maker in ("rockchip", "Allwinner", "Amlogic", "Google", "unknown"):
        rom = detect_rom({"ro.product.manufacturer": maker})
        assert (rom.name, rom.skin, rom.restricts_background) == ("aosp-like", None, False), maker


@pytest.mark.parametrize("name,rom,skin", [
    ("realme-ui", "coloros", "realme UI"), ("magicos", "other", "MagicOS"), ("transsion-xos", "other", "XOS"),
    ("sony", "other", "Sony"), ("smartisan", "other", "Smartisan OS"), ("rockchip-kiosk-aosp", "aosp-like", None),
    ("grep-with-prompts", "other", "MIUI")])
def test_inspect_names_the_skin_of_a_getprop(name, rom, skin):
    reading, cap = inspect_bytes((DATA / f"{name}.txt").read_bytes())
    assert (reading.kind, reading.facts["rom"], reading.facts["rom_skin"]) == ("getprop", rom, skin)


def test_prompts_of_a_getprop_paste_are_no_properties():
    reading, cap = inspect_bytes((DATA / "grep-with-prompts.txt").read_bytes())
    assert reading.facts["prop_count"] == 4 and reading.told_by == "command"
    assert cap.prompt_lines[1:] == ["kalama:/ # getprop ro.mi.os.version.name", "kalama:/ # "]


PKG = ("Packages:\n  Package [com.tencent.wmpf] (1a2b3c):\n    versionCode=9020017 minSdk=21 targetSdk=26\n"
       "    versionName=2.2.0\n    User 0: ceDataInode=1 installed=true hidden=false suspended=false "
       "stopped=false notLaunched=false enabled=0\n")


def autostart(props: str):
    dev = Replayer(parse({"format": FORMAT, "device": {"serial": "X"}, "commands": [
        {"command": "getprop", "stdout": props}, {"command": "dumpsys package com.tencent.wmpf", "stdout": PKG},
        {"command": "dumpsys deviceidle whitelist", "stdout": "user,com.tencent.wmpf,10086\n"},
        {"command": "am get-standby-bucket com.tencent.wmpf", "stdout": "10\n"},
        {"command": "cmd appops get com.tencent.wmpf", "stdout": "No operations.\n"}]}))
    return run_checks(dev, [Autostart()]).results[0]


@pytest.mark.parametrize("name,skin", [("transsion-xos", "XOS"), ("magicos", "MagicOS"), ("sony", "Sony"),
                                       ("smartisan", "Smartisan OS")])
def test_autostart_is_unknown_on_a_skin_whose_rules_adb_cannot_read(name, skin):
    r = autostart((DATA / f"{name}.txt").read_text())
    assert r.status == Status.UNKNOWN
    assert f"{skin} stops background apps by rules of its own that adb cannot read" in r.summary


def test_autostart_follows_the_family_of_a_maker_without_its_property():
    huawei = autostart("[ro.build.version.sdk]: [29]\n[ro.product.manufacturer]: [HUAWEI]\n")
    assert huawei.status == Status.UNKNOWN and "EMUI keeps the autostart switch where adb cannot read it" in huawei.summary
    samsung = autostart("[ro.build.version.sdk]: [33]\n[ro.product.manufacturer]: [samsung]\n")
    assert samsung.status == Status.PASS  # One UI's restrictions are the app-ops and buckets adb reads


def test_autostart_still_passes_an_aosp_board():
    r = autostart((DATA / "rockchip-kiosk-aosp.txt").read_text())
    assert r.status == Status.PASS and "AOSP-like" in r.summary
