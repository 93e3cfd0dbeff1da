"""autostart on the bundled devices (every verdict, for its reason) and on answers no fixture holds."""
import pytest

from conftest import replay_report, result_of
from devdoctor.sources.fixture import FORMAT, parse
from devdoctor.sources.replay import Replayer
from devdoctor.result import Status
from devdoctor.core.runner import run_checks
from devdoctor_checks.autostart import VIVO_BG_START, Autostart

EXPECTED = {
    "healthy-a9-panel": (Status.PASS, "WMPF may start by itself on AOSP-like: not stopped, on the "
                                      "battery-optimisation whitelist, standby bucket active"),
    "a7.0-board": (Status.PASS, "on AOSP-like"),
    "logs-hyperos-a14-tablet": (Status.PASS, "on HyperOS OS1.0: not stopped, autostart allowed, background "
                                             "pop-up allowed"),
    "logs-a7.1-board-stopped": (Status.FAIL, "WMPF is in the stopped state"),
    "logs-miui13-a12-phone-autostart-off": (Status.FAIL, "MIUI V130 autostart is off for WMPF (MIUIOP(10008): "
                                                         "ignore); MIUI V130 background pop-up is off"),
    "logs-a9-board-background-denied": (Status.FAIL, "RUN_IN_BACKGROUND is ignore"),
    "logs-funtouch-a11-bg-denied": (Status.FAIL, "vivo forbids WMPF to open pages from the background"),
    "logs-a13-kiosk-rare-bucket": (Status.WARN, "not on the battery-optimisation (Doze) whitelist"),
    "logs-emui10-a10-tablet": (Status.UNKNOWN, "EMUI 10.1.0 keeps the autostart switch where adb cannot read it"),
    "logs-coloros11-a11-logging-off": (Status.UNKNOWN, "ColorOS V11 keeps the autostart switch"),
    "no-wmpf-a10-tablet": (Status.SKIPPED, "is not installed"),
}


@pytest.mark.parametrize("name", EXPECTED)
def test_bundled_devices(name):
    r = result_of(replay_report(name, only=["wmpf-installed", "autostart"]), "autostart")
    status, words = EXPECTED[name]
    assert r.status == status and words in r.summary, (r.status, r.summary)
    if status != Status.SKIPPED:
        assert r.evidence[0].command == "getprop" and r.evidence[0].note.startswith("ROM: ")
    if status in (Status.FAIL, Status.WARN, Status.UNKNOWN):
        assert r.remedy and r.remedy.text and r.remedy.commands and r.remedy.faq == "4.5"


def test_unreadable_rom_names_screen_and_command():
    r = result_of(replay_report("logs-emui10-a10-tablet", only=["wmpf-installed", "autostart"]), "autostart")
    assert "App launch (应用启动管理)" in r.remedy.text
    assert ("adb shell am start -n com.huawei.systemmanager/.startupmgr.ui.StartupNormalAppListActivity"
            in r.remedy.commands)
    assert r.details["rom"] == "emui" and r.details["rom_property"] == "ro.build.version.emui=EmotionUI_10.1.0"


def test_miui_fix_commands_and_evidence():
    r = result_of(replay_report("logs-miui13-a12-phone-autostart-off", only=["wmpf-installed", "autostart"]),
                  "autostart")
    lines = [ln for e in r.evidence for ln in e.lines]
    assert "MIUIOP(10008): ignore" in lines and "MIUIOP(10021): ignore" in lines
    assert any("AutoStartManagementActivity" in c for c in r.remedy.commands)


def test_warn_commands_repair_what_was_found():
    r = result_of(replay_report("logs-a13-kiosk-rare-bucket", only=["wmpf-installed", "autostart"]), "autostart")
    assert "standby bucket is rare (40)" in r.summary
    assert "adb shell dumpsys deviceidle whitelist +com.tencent.wmpf" in r.remedy.commands
    assert "adb shell am set-standby-bucket com.tencent.wmpf active" in r.remedy.commands


PKG = ("Packages:\n  Package [com.tencent.wmpf] (1a2b3c):\n    versionCode=9020017 minSdk=21 targetSdk=26\n"
       "    versionName=2.2.0\n    User 0: ceDataInode=1 installed=true hidden=false suspended=false "
       "stopped=false notLaunched=false enabled=0\n")


def run(props, *commands):
    dev = Replayer(parse({"format": FORMAT, "device": {"serial": "X"}, "commands": [
        {"command": "getprop", "stdout": props},
        {"command": "dumpsys package com.tencent.wmpf", "stdout": PKG},
        {"command": "dumpsys deviceidle whitelist", "stdout": "user,com.tencent.wmpf,10086\n"},
        {"command": "am get-standby-bucket com.tencent.wmpf", "stdout": "10\n"}, *commands]}))
    return run_checks(dev, [Autostart()]).results[0]


MIUI = "[ro.build.version.sdk]: [31]\n[ro.miui.ui.version.name]: [V140]\n"
VIVO = "[ro.build.version.sdk]: [30]\n[ro.vivo.os.name]: [Funtouch]\n[ro.vivo.os.version]: [11]\n"


def test_miui_op_not_listed_is_unknown_never_pass():
    r = run(MIUI, {"command": "cmd appops get com.tencent.wmpf", "stdout": "No operations.\n"})
    assert r.status == Status.UNKNOWN and "did not list its autostart op (10008)" in r.summary


def test_miui_op_left_at_default_is_unknown():
    r = run(MIUI, {"command": "cmd appops get com.tencent.wmpf",
                   "stdout": "MIUIOP(10008): default\nMIUIOP(10021): allow\n"})
    assert r.status == Status.UNKNOWN and "MIUI V140 autostart is `default` for WMPF" in r.summary


def test_vivo_provider_the_shell_may_not_read_is_unknown():
    r = run(VIVO, {"command": "cmd appops get com.tencent.wmpf", "stdout": "No operations.\n"},
            {"command": VIVO_BG_START, "stdout": "", "stderr": "Error while accessing provider:com.vivo."
             "permissionmanager.provider.permission\njava.lang.SecurityException: Permission Denial\n"})
    assert r.status == Status.UNKNOWN and "Funtouch OS 11 keeps the autostart switch" in r.summary
    assert any("the shell may not read" in e.note for e in r.evidence)


def test_vivo_allowed_background_start_still_unknown():
    r = run(VIVO, {"command": "cmd appops get com.tencent.wmpf", "stdout": "No operations.\n"},
            {"command": VIVO_BG_START, "stdout": "Row: 0 _id=3, pkgname=com.tencent.wmpf, currentstate=0\n"})
    assert r.status == Status.UNKNOWN and r.details["vivo_start_bg_activity"] == 0


def test_appops_refused_on_aosp_is_unknown():
    r = run("[ro.build.version.sdk]: [29]\n",
            {"command": "cmd appops get com.tencent.wmpf", "stdout": "", "stderr": "cmd: Can't find service: appops\n"})
    assert r.status == Status.UNKNOWN and "could not read WMPF's app-ops" in r.summary


def test_uid_level_run_any_in_background_ignore_fails():
    r = run("[ro.build.version.sdk]: [33]\n",
            {"command": "cmd appops get com.tencent.wmpf", "stdout": "Uid mode: RUN_ANY_IN_BACKGROUND: ignore\n"})
    assert r.status == Status.FAIL and "RUN_ANY_IN_BACKGROUND is ignore" in r.summary
    assert "adb shell cmd appops set --uid com.tencent.wmpf RUN_ANY_IN_BACKGROUND allow" in r.remedy.commands
