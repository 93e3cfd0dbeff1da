"""wmpf-version-match on the bundled fixtures and on devices built here for the edge cases:
each test asserts the status and the words a technician reads."""
from __future__ import annotations

import sys

import pytest

from conftest import ROOT, replay_report, result_of

sys.path.insert(0, str(ROOT / "tools"))

import areas.base  # noqa: E402
import areas.health  # noqa: E402
import areas.versions  # noqa: E402
from cases import CASES, DeviceCase, wmpf  # noqa: E402
from fixturekit import Builder  # noqa: E402

from devdoctor.check import Context, Settings  # noqa: E402
from devdoctor.core.facts import Facts  # noqa: E402
from devdoctor.sources.fixture import load  # noqa: E402
from devdoctor.sources.replay import Replayer
from devdoctor.core.runner import run_checks  # noqa: E402
from devdoctor_checks.host_app import HostAppCheck  # noqa: E402
from devdoctor_checks.wmpf_version_match import WmpfVersionMatch  # noqa: E402

CHECK = "wmpf-version-match"


def verdict(name, **settings):
    r = result_of(replay_report(name, only=["wmpf-installed", CHECK], **settings), CHECK)
    return r, r.summary, "\n".join(f"{e.command} {' '.join(e.lines)} {e.note}" for e in r.evidence)


def test_matching_pair_passes():
    r, summary, ev = verdict("healthy-a9-panel")
    assert r.status.value == "pass"
    assert summary == ("WMPF 2.1.0 (from its manifest meta-data), wmpf-cli 2.1.x in com.sungate.doorbell: "
                       "the versions match")
    assert "com.tencent.wmpf.BuildInfo.BUILD_WMPF_VERSION_NAME = 2.1.0" in ev
    assert "owns the provider com.tencent.wmpf.cli.provider" not in summary
    assert r.details["cli"]["range"] == "2.1.x" and r.details["host"] == "com.sungate.doorbell"


def test_matching_2_2_with_split_dex_passes():
    r, summary, ev = verdict("matching-2.2-a11-lock")
    assert r.status.value == "pass"
    assert "WMPF 2.2.0 (from its manifest meta-data), wmpf-cli >= 2.2 in com.sungate.doorbell" in summary
    assert "2 dex file(s)" in ev


def test_minor_mismatch_warns_and_says_which_side():
    r, summary, _ = verdict("a7.0-board")
    assert r.status.value == "warn"
    assert "WMPF 2.1.0" in summary and "wmpf-cli >= 2.2" in summary
    assert "the vendor recommends the same version on both sides" in summary
    assert r.remedy.text == "To make the pair match: upgrade the WMPF Service APK to 2.2.0 (WMPF download page)."
    assert r.remedy.faq == "4.8"
    assert r.remedy.commands == ["adb install -r wmpf-arm64-production-release-v2.2.0-9020017-signed.apk"]


def test_v1_host_beside_wmpf_2_2_warns_and_reads_the_big_apk_in_ranges():
    r, summary, ev = verdict("cli1-wmpf2.2-a10-kiosk")
    assert r.status.value == "warn"
    assert "wmpf-cli 1.x (>= 1.1) in com.sungate.doorbell: the app uses the old v1 API beside WMPF 2.x" in summary
    assert "rebuild the maker's app com.sungate.doorbell with wmpf-cli-2.2.0.aar" in r.remedy.text
    assert "(9.0 MB) in 2 ranges" in ev  # the 9 MB WMPF APK was not copied whole


def test_v2_host_on_wmpf_2_0_fails():
    r, summary, _ = verdict("cli2.2-wmpf2.0-a9-panel")
    assert r.status.value == "fail"
    assert summary == ("WMPF 2.0.0 (from its manifest meta-data), wmpf-cli >= 2.2 in com.sungate.doorbell: the app "
                       "uses the v2 API, which needs WMPF and wmpf-cli both at 2.1.0 or later (WMPF is older); expect "
                       "error 10001 \"call WMPF.apk fail\"")
    assert r.remedy.commands == ["adb install -r wmpf-arm-production-release-v2.2.0-9020017-signed.apk"]  # armv7 board


def test_wmpf_older_than_1_1_5_fails():
    r, summary, _ = verdict("wmpf-1.1.3-a8-kiosk")
    assert r.status.value == "fail"
    assert summary.endswith("WMPF is older than 1.1.5") and "WMPF 1.1.3" in summary
    assert r.remedy.faq == "4.4"


def test_unknown_host_is_unknown_with_a_way_out():
    r, summary, ev = verdict("health-emui-a10-tablet")
    assert r.status.value == "unknown"
    assert summary == ("WMPF is 2.1.0, but no app owns com.tencent.wmpf.cli.provider or is bound to WMPFService, so "
                       "the app that embeds wmpf-cli is not known")
    assert "--host-package" in r.remedy.text

def test_unreadable_host_apk_is_unknown_with_the_reason():
    r, summary, _ = verdict("host-apk-denied-a9-panel")
    assert r.status.value == "unknown"
    assert summary.startswith("could not read the host app's APK: ") and summary.endswith("Permission denied")


def test_no_wmpf_skips():
    r, summary, _ = verdict("no-wmpf-a10-tablet")
    assert r.status.value == "skipped"
    assert summary == "needs \"WMPF Service installed\" to pass first: WMPF Service (com.tencent.wmpf) is not installed"
    r = result_of(replay_report("no-wmpf-a10-tablet", only=[CHECK]), CHECK)  # run alone: says why itself
    assert (r.status.value, r.summary) == ("skipped", "WMPF Service is not installed, so there is no pair to compare")


def build(tmp_path, case: DeviceCase, change=None):
    b = Builder(case.spec, case.description, "test")
    areas.base.add(case, b)
    areas.health.add(case, b)
    areas.versions.add(case, b)
    if change:
        change(b)
    path = tmp_path / f"{case.name}.json"
    b.write(path)
    return path


def run(path, **settings):
    from devdoctor.core.diagnose import diagnose, replay_target
    from devdoctor.core.plugins import load as load_plugins
    from devdoctor.core.diagnose import select_checks

    report = diagnose(replay_target(path), select_checks(load_plugins(), [CHECK], []), Settings(**settings),
                      timeout=10.0)
    return result_of(report, CHECK)


HEALTHY = next(c for c in CASES if c.name == "healthy-a9-panel")


def _case(name, **traits):
    return DeviceCase(name, "test device", HEALTHY.spec, HEALTHY.wmpf, traits=traits)


def test_truncated_host_apk_is_unknown(tmp_path):
    def cut(b):
        host = next(f for f in b.files if "doorbell" in f.path)
        host.content = host.content[:300]
    r = run(build(tmp_path, _case("t-trunc", cli="2.1"), cut))
    assert r.status.value == "unknown"
    assert r.summary.startswith("could not read the host app's APK: not a readable APK (zip)")


def test_host_without_cli_is_unknown(tmp_path):
    r = run(build(tmp_path, _case("t-nocli", cli=None)))
    assert r.status.value == "unknown"
    assert r.summary == ("com.sungate.doorbell (owns com.tencent.wmpf.cli.provider) embeds no wmpf-cli: "
                         "no com.tencent.wmpf classes in its APK")


def test_wmpf_apk_unreadable_falls_back_to_package_manager(tmp_path):
    def deny_wmpf(b):
        for f in b.files:
            if "com.tencent.wmpf" in f.path:
                f.content, f.error = None, "Permission denied"
    r = run(build(tmp_path, _case("t-wmpfdeny", cli="2.1"), deny_wmpf))
    assert r.status.value == "pass"
    assert r.summary.startswith("WMPF 2.1.0 (from package manager), wmpf-cli 2.1.x")


def test_a_shell_that_mangles_bytes_is_not_believed(tmp_path):
    """`dd` answers that are not the bytes asked for (a PTY shell adding CRs) fail the length check;
    the APK is then copied whole (it is under the pull limit), and the evidence says why."""
    case = next(c for c in areas.versions.AREA_CASES if c.name == "cli1-wmpf2.2-a10-kiosk")
    wmpf_data = areas.versions.wmpf_apk("2.2.0", 9020017, padding=areas.versions.LARGE_WMPF_PADDING)

    def mangle(b, with_file=True):
        for e in b.entries:
            if e.command.startswith("dd if="):
                e.stdout = e.stdout.replace(b"\n", b"\r\n") + b"\r\n"
                path = e.command.split()[1][3:]
        if with_file:
            b.file(path, wmpf_data)
    r = run(build(tmp_path, case, mangle))
    assert r.status.value == "warn"
    assert "WMPF 2.2.0 (from its manifest meta-data)" in r.summary
    lines = [" ".join(e.lines) + " " + e.note for e in r.evidence]
    assert any("were asked for" in ln for ln in lines) and any("pulled" in ln for ln in lines)

    r = run(build(tmp_path, case, lambda b: mangle(b, with_file=False)))  # and the copy fails too
    assert r.status.value == "warn" and "WMPF 2.2.0 (from package manager)" in r.summary


def test_too_big_to_copy_and_no_ranges_is_unknown(tmp_path, monkeypatch):
    import devdoctor.sources.device_apk as device_apk

    monkeypatch.setattr(device_apk, "PULL_WHOLE_BYTES", 100)
    monkeypatch.setattr(device_apk, "MAX_PULL_BYTES", 200)

    def no_dd(b):  # the host APK is read with dd; this device has none
        path = next(f.path for f in b.files if "doorbell" in f.path)
        b.add(f"dd if={path} bs=4096 skip=0 count=1 2>/dev/null", "", exit_code=127, stderr="dd: not found")
    r = run(build(tmp_path, _case("t-nodd", cli="2.1"), no_dd))
    assert r.status.value == "unknown"
    assert "more than the 200 bytes devdoctor copies whole, and reading it in ranges failed" in r.summary
    assert "`dd` gave 0 bytes" in r.summary


def test_wmpf_version_not_told_is_unknown(tmp_path):
    case = DeviceCase("t-noversion", "test", HEALTHY.spec, wmpf("7.0.10.51", 411), traits={"host": None})

    def deny_wmpf(b):
        for f in b.files:
            f.content, f.error = None, "Permission denied"
    r = run(build(tmp_path, case, deny_wmpf))
    assert r.status.value == "unknown"
    assert r.summary == ("cannot tell WMPF's version: versionName '7.0.10.51', versionCode 411 and no readable "
                         "manifest meta-data")


def test_the_host_app_is_looked_for_once_and_shared_with_the_host_app_check(tmp_path):
    """host-app and wmpf-version-match get the same typed HostApp; the device is asked once."""
    asked: list[str] = []

    class Counting(Replayer):
        def shell(self, command, timeout=10.0):
            asked.append(command if isinstance(command, str) else " ".join(command))
            return super().shell(command, timeout)

    report = run_checks(Counting(load(build(tmp_path, _case("t-contract", cli="2.1")))),
                        [HostAppCheck(), WmpfVersionMatch()])
    host, match = report.results
    assert host.details["package"] == "com.sungate.doorbell"
    assert match.status.value == "pass" and "wmpf-cli 2.1.x in com.sungate.doorbell" in match.summary
    assert asked.count("dumpsys package providers") == 1 and asked.count("dumpsys package com.sungate.doorbell") == 1


@pytest.mark.parametrize("name", ["healthy-a9-panel", "cli1-wmpf2.2-a10-kiosk"])
def test_every_answer_it_needs_is_recorded(name):
    r, summary, _ = verdict(name)
    assert "not recorded" not in summary


def test_fingerprint_cache_spares_a_second_copy(tmp_path, monkeypatch):
    """A second live run on the same device, app versionCode and update time reuses the fingerprint;
    --no-cache (fingerprint_cache=False) reads the APK again."""
    monkeypatch.setenv("DEVDOCTOR_CACHE_DIR", str(tmp_path / "cache"))

    def denied(b):  # neither APK can be copied now: both answers must come from the cache
        for f in b.files:
            f.content, f.error = None, "Permission denied"

    def check(path, cache):
        device = Replayer(load(path))
        return WmpfVersionMatch().run(Context(device, Facts(device), Settings(fingerprint_cache=cache)))

    first = check(build(tmp_path, _case("t-cache1", cli="2.1")), True)
    assert first.status.value == "pass"
    path2 = build(tmp_path, _case("t-cache2", cli="2.1"), denied)
    again = check(path2, True)
    assert (again.status.value, again.summary) == ("pass", first.summary)
    assert "(from its manifest meta-data)" in again.summary
    assert sum("kept from an earlier run" in e.note for e in again.evidence) == 2  # WMPF's version and the cli's
    assert check(path2, False).status.value == "unknown"


def test_another_device_at_the_same_address_gets_no_cached_fingerprint(tmp_path, monkeypatch):
    """Over the network an adb serial is an address (IP:port): a panel swapped in at the same address,
    with the same app build, must have its own APKs read, not the first panel's answer."""
    import dataclasses
    import json

    monkeypatch.setenv("DEVDOCTOR_CACHE_DIR", str(tmp_path / "cache"))

    def at_one_address(path):
        doc = json.loads(path.read_text())
        doc["device"]["serial"] = "192.168.1.50:5555"
        path.write_text(json.dumps(doc))
        return Replayer(load(path))

    def check(device):
        return WmpfVersionMatch().run(Context(device, Facts(device), Settings(fingerprint_cache=True)))

    def denied(b):
        for f in b.files:
            f.content, f.error = None, "Permission denied"

    assert check(at_one_address(build(tmp_path, _case("t-addr1", cli="2.1")))).status.value == "pass"
    other = _case("t-addr2", cli="2.1")
    other.spec = dataclasses.replace(other.spec, serial="RK3288DP0999")
    assert check(at_one_address(build(tmp_path, other, denied))).status.value == "unknown"


def test_no_cache_flag_is_accepted():
    from conftest import cli

    r = cli("run", "--replay", str(ROOT / "fixtures" / "healthy-a9-panel.json"), "--only", CHECK, "--no-cache")
    assert r.returncode == 0, r.stderr
    assert "wmpf-cli 2.1.x in com.sungate.doorbell: the versions match" in r.stdout


def test_v2_host_on_cli_2_0_fails_and_names_the_cli():
    r, summary, ev = verdict("cli2.0-wmpf2.2-a8-gate")
    assert r.status.value == "fail"
    assert "wmpf-cli 2.0.x in com.sungate.doorbell" in summary and "(wmpf-cli is older)" in summary
    assert r.remedy.text == ("To make the pair match: rebuild the maker's app com.sungate.doorbell with "
                             "wmpf-cli-2.2.0.aar (app/libs) and install it.")
    assert "WMPFLifeCircleManager (only before 2.1.0)" in ev


def test_unplugged_while_reading_is_unknown(tmp_path):
    def unplug(b):
        for e in b.entries:
            if e.command == "pm path com.sungate.doorbell":
                e.outcome, e.stdout = "disconnected", b""
    r = run(build(tmp_path, _case("t-unplug", cli="2.1"), unplug))
    assert r.status.value == "unknown"
    assert r.summary == "not checked: the device was lost"  # the device's error says where, once
    assert r.evidence and r.evidence[0].note == "no answer"

