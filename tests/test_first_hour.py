"""What a technician meets in the first hour: remedies computed from the device, checks that need only
what they read, settings that are checked, no noise."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from conftest import FIXTURES, cli, result_of
from devdoctor.check import Settings
from devdoctor.core.diagnose import Target, diagnose, select_checks
from devdoctor.sources.fixture import Entry, load
from devdoctor.sources.replay import Replayer
from devdoctor.core.plugins import load as load_checks


def _diagnose_changed(name: str, changes: dict[str, str | None], only: list[str]):
    """The bundled recording NAME with some answers changed or added (command -> stdout), diagnosed with
    the `only` checks."""
    fx = load(FIXTURES / f"{name}.json")
    for e in fx.entries:
        if e.command in changes:
            e.stdout = changes[e.command].encode()
    fx.entries += [Entry(c, out.encode()) for c, out in changes.items() if c not in {e.command for e in fx.entries}]
    checks = select_checks(load_checks(), only, [])
    return diagnose(Target(Replayer(fx, name), dict(fx.device), name), checks, Settings(), timeout=10.0)


def _getprop_with_abis(name: str, abis: str) -> str:
    text = next(e for e in load(FIXTURES / f"{name}.json").entries if e.command == "getprop").stdout.decode()
    text = re.sub(r"(?m)^\[ro\.product\.cpu\.abilist\]: \[.*\]$", f"[ro.product.cpu.abilist]: [{abis}]", text)
    assert f"[{abis}]" in text
    return text


@pytest.mark.parametrize("abis, build", [("arm64-v8a,armeabi-v7a,armeabi", "arm64"), ("armeabi-v7a,armeabi", "arm"),
                                         ("x86,armeabi-v7a,armeabi", "arm"),  # x86 with ARM translation
                                         ("x86_64,x86,arm64-v8a,armeabi-v7a,armeabi", "arm64")])
def test_the_install_remedy_names_the_wmpf_build_this_cpu_runs(abis, build):
    report = _diagnose_changed("no-wmpf-a10-tablet", {"getprop": _getprop_with_abis("no-wmpf-a10-tablet", abis)},
                               ["wmpf-installed"])
    r = result_of(report, "wmpf-installed")
    assert r.status.value == "fail" and f"({build})" in r.remedy.text
    assert r.remedy.commands == [f"adb install -r wmpf-{build}-production-release-v2.2.0-9020017-signed.apk"]


@pytest.mark.parametrize("abis", ["x86", "x86_64,x86"])
def test_a_cpu_wmpf_has_no_build_for_gets_a_verdict_not_an_install_command(abis):
    report = _diagnose_changed("no-wmpf-a10-tablet", {"getprop": _getprop_with_abis("no-wmpf-a10-tablet", abis)},
                               ["wmpf-installed"])
    r = result_of(report, "wmpf-installed")
    assert r.status.value == "fail" and "no build for this CPU" in r.summary and "x86" in r.summary
    assert r.remedy.commands == [] and "ARM" in r.remedy.text


def test_payment_apps_are_looked_at_on_a_device_being_prepared():
    listing = next(e for e in load(FIXTURES / "no-wmpf-a10-tablet.json").entries
                   if e.command == "pm list packages").stdout.decode()
    report = _diagnose_changed("no-wmpf-a10-tablet", {"pm list packages": listing + "package:com.tencent.wxpayface\n",
                                                      "pm list packages -d": ""},
                               ["wmpf-installed", "payment-apps"])
    r = result_of(report, "payment-apps")
    assert r.status.value == "fail" and "com.tencent.wxpayface" in r.summary
    assert r.remedy.text.startswith("WMPF is not installed yet: do this before installing it")


def test_cameras_are_looked_at_before_wmpf_is_installed():
    from conftest import replay_report

    r = result_of(replay_report("no-wmpf-a10-tablet", ["wmpf-installed", "camera"]), "camera")
    assert r.status.value in ("pass", "warn") and "camera" in r.summary


def test_a_threshold_a_site_sets_changes_the_verdict_of_the_check_that_reads_it():
    from conftest import replay_report

    strict = result_of(replay_report("net-clock-2h-a8", ["network"]), "network")
    lenient = result_of(replay_report("net-clock-2h-a8", ["network"], thresholds={"clock_max_skew_seconds": 3 * 3600}),
                        "network")
    assert strict.status.value == "fail" and "clock" in strict.summary
    assert "device clock is" not in lenient.summary
    weak = result_of(replay_report("net-weak-wifi-a9", ["network"]), "network")
    fine = result_of(replay_report("net-weak-wifi-a9", ["network"],
                                   thresholds={"wifi_weak_dbm": -120, "wifi_min_link_mbps": 1}), "network")
    assert "weak Wi-Fi" in weak.summary and "weak Wi-Fi" not in fine.summary


@pytest.mark.parametrize("command", [["run", "--demo"], ["list"], ["explain"], ["explain", "network"]])
@pytest.mark.parametrize("toml, words", [("[thresholds]\nnosuch_threshold = 3\n", "thresholds.nosuch_threshold"),
                                         ('language = "fr"\n', "language")])
def test_every_command_refuses_a_bad_site_configuration_naming_the_key_and_the_file(tmp_path, command, toml, words):
    (tmp_path / "devdoctor.toml").write_text(toml, encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "devdoctor", *command], cwd=tmp_path, capture_output=True, text=True,
                       env=dict(os.environ, NO_COLOR="1"), timeout=60)
    assert r.returncode == 2 and words in r.stderr and str(tmp_path / "devdoctor.toml") in r.stderr


def test_list_json_shows_every_threshold_with_its_default():
    checks = {c["id"]: c for c in json.loads(cli("list", "--json").stdout)["checks"]}
    assert checks["network"]["thresholds"]["clock_max_skew_seconds"]["default"] == 60
    assert checks["wmpf-log"]["thresholds"]["log_window_hours"]["default"] == 24


@pytest.mark.parametrize("address", ["192.168.1.50", "192.168.0.1", "10.0.0.8", "10.0.1.5", "172.16.1.3",
                                     "100.64.1.1", "169.254.1.1", "58.251.100.7", "2408:8207:1850::1",
                                     "fd12:3456::7", "fe80::5054:ff:fe12:3456"])
def test_the_support_page_masks_every_lan_and_public_address_the_same_way_everywhere(address):
    from devdoctor.report.redact import Redactor

    r = Redactor()
    text = f"inet {address}/24 brd x\nDNS {address}\n"
    masked = r.text(text)
    assert address not in masked
    first, second = re.findall(r"inet (\S+)/24.*\nDNS (\S+)", masked)[0]
    assert first == second  # the same stand-in wherever it appears, so a masked recording replays the same


def test_verbose_shows_each_command_once_and_no_bare_labels():
    r = cli("run", "--replay", FIXTURES / "net-proxy-a11.json", "-v", "--only", "network")
    assert r.stdout.count("$ ping -c 2 -W 2 -n api.weixin.qq.com") == 1
    assert "(proxy)" not in r.stdout
    assert "DNS: api.weixin.qq.com" in r.stdout and "reachability: api.weixin.qq.com" in r.stdout
