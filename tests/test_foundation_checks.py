"""android-version and wmpf-installed on every bundled foundation fixture, and on odd answers."""
import pytest

from conftest import replay_report, result_of
from devdoctor.sources.fixture import FORMAT, parse
from devdoctor.sources.replay import Replayer
from devdoctor.result import Status
from devdoctor.core.runner import run_checks
from devdoctor_checks.android_version import AndroidVersion
from devdoctor.wmpf.version import wmpf_version
from devdoctor_checks.wmpf_installed import WmpfInstalled

EXPECTED = {
    "healthy-a9-panel": {"android-version": (Status.PASS, "Android 9 (SDK 28)"),
                         "wmpf-installed": (Status.PASS, "2.1.0 (versionCode 9010017) is installed and enabled")},
    "a7.0-board": {"android-version": (Status.FAIL, "Android 7.0 (SDK 24) is too old"),
                   "wmpf-installed": (Status.PASS, "2.1.0")},
    "no-wmpf-a10-tablet": {"android-version": (Status.PASS, "Android 10 (SDK 29)"),
                           "wmpf-installed": (Status.FAIL, "is not installed")},
    "wmpf-1.1.3-a8-kiosk": {"android-version": (Status.PASS, "Android 8.1.0 (SDK 27)"),
                            "wmpf-installed": (Status.WARN, "1.1.3 (versionCode 8011003) is older than 1.1.5")},
}


@pytest.mark.parametrize("name", EXPECTED)
def test_verdicts_on_bundled_fixtures(name):
    report = replay_report(name, only=["android-version", "wmpf-installed"])
    for cid, (status, words) in EXPECTED[name].items():
        r = result_of(report, cid)
        assert r.status == status and words in r.summary, (cid, r.status, r.summary)
        assert r.evidence and r.evidence[0].command
        if status in (Status.FAIL, Status.WARN):
            assert r.remedy and r.remedy.text


def run_on(*commands, sdk_props="[ro.build.version.sdk]: [28]\n"):
    dev = Replayer(parse({"format": FORMAT, "device": {"serial": "X"},
                          "commands": [{"command": "getprop", "stdout": sdk_props}, *commands]}))
    return run_checks(dev, [AndroidVersion(), WmpfInstalled()])


def test_unreadable_android_version_is_unknown_not_pass():
    r = run_on(sdk_props="garbage\n")
    assert r.results[0].status == Status.UNKNOWN and "could not read" in r.results[0].summary


def test_android_7_1_is_enough_and_7_0_is_not():
    assert run_on(sdk_props="[ro.build.version.sdk]: [25]\n").results[0].status == Status.PASS
    assert run_on(sdk_props="[ro.build.version.sdk]: [24]\r\n").results[0].status == Status.FAIL


def pkg_block(name, extra_user="enabled=0"):
    return {"command": "dumpsys package com.tencent.wmpf", "stdout":
            f"Packages:\n  Package [{name}] (1a2b3c):\n    versionCode=9020017 minSdk=21 targetSdk=26\n"
            f"    versionName=2.2.0\n    User 0: ceDataInode=1 installed=true hidden=false suspended=false "
            f"stopped=false notLaunched=false {extra_user}\n"}


def test_a_similar_package_name_is_not_wmpf():
    r = run_on(pkg_block("com.tencent.wmpf.demo"))
    assert r.results[1].status == Status.FAIL and "not installed" in r.results[1].summary


@pytest.mark.parametrize("state", [2, 3, 4])
def test_disabled_wmpf_fails(state):
    r = run_on(pkg_block("com.tencent.wmpf", f"enabled={state}"))
    assert r.results[1].status == Status.FAIL and "disabled" in r.results[1].summary
    assert "pm enable com.tencent.wmpf" in r.results[1].remedy.commands[0]


def test_empty_answer_is_unknown_not_absent():
    r = run_on({"command": "dumpsys package com.tencent.wmpf", "stdout": "", "exit_code": 0})
    assert r.results[1].status == Status.UNKNOWN


@pytest.mark.parametrize("name, code, want", [("2.2.0", 9020017, "2.2.0"), ("1.1.3", 8011003, "1.1.3"),
                                              (None, 9010017, "2.1.0"), ("7.0.10.51", 411, None),
                                              ("v1.1.5-rc1", None, "1.1.5"), ("", None, None)])
def test_version_reading(name, code, want):
    v = wmpf_version(name, code)
    assert (str(v) if v else None) == want
