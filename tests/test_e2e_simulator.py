"""devdoctor through the real adb server against simulated devices: the same reports as replay,
round trips through `record`, and what a user sees when a device hangs, vanishes or refuses us."""
from __future__ import annotations

import json
import os
import re
import time

import pytest

from conftest import FIXTURES
from devdoctor.sources.device import NotAnswerable
from devdoctor.sources.fixture import load as load_fixture
from e2e_support import (PrivateAdbServer, free_port, report, simulated, verdicts, with_changes, write_fixture)

BUNDLED = sorted(p for p in FIXTURES.glob("*.json") if not p.name.startswith("damaged"))
WMPF_DUMP = "dumpsys package com.tencent.wmpf"
# A hung command ends as the check's own timeout ("ran out of time after 1 s") or, when the check
# still has a moment, as that command's ("`dumpsys package ...` did not answer within 0.5 s").
OUT_OF_TIME = re.compile(r"ran out of time after 1 s|`dumpsys package com\.tencent\.wmpf` did not answer within")


def replayed(server: PrivateAdbServer, path, *args) -> dict:
    return report(server.devdoctor("run", "--replay", path, "--json", *args))


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.stem)
def test_every_bundled_recording_gives_the_same_report_through_adb(adb_server, path):
    with simulated(adb_server, path) as dev:
        r = adb_server.devdoctor("run", "--serial", dev.serial, "--json")
    live = report(r)
    replay = replayed(adb_server, path)
    # A recorded hang replays at once, but live it takes the time the check could give it: the
    # verdicts must agree, the seconds waited may not.
    waited = re.compile(r"within [\d.]+ s")
    assert [(i, s, waited.sub("within N s", t)) for i, s, t in verdicts(live)] == \
           [(i, s, waited.sub("within N s", t)) for i, s, t in verdicts(replay)]
    assert r.returncode == replay["exit_code"]
    assert live["devices"][0]["device"]["source"] == "adb"


def test_record_through_the_simulator_replays_to_the_same_report(adb_server, tmp_path):
    source = FIXTURES / "no-wmpf-a10-tablet.json"
    out = tmp_path / "recorded.json"
    with simulated(adb_server, source) as dev:
        rec = adb_server.devdoctor("record", out, "--serial", dev.serial, "-d", "through the simulator")
        live = report(adb_server.devdoctor("run", "--serial", dev.serial, "--json"))
    assert rec.returncode == 1, rec.stderr  # this tablet has no WMPF: a failing check
    assert "Recorded" in rec.stderr and "Traceback" not in rec.stderr
    doc = json.loads(out.read_text())
    assert doc["provenance"]["origin"] == "recorded" and doc["device"]["sdk"] == 29
    assert "shell_v2" in doc["device"]["features"]
    assert verdicts(replayed(adb_server, out)) == verdicts(live) == verdicts(replayed(adb_server, source))


def test_devices_lists_the_simulated_device_with_its_android_version(adb_server):
    with simulated(adb_server, FIXTURES / "healthy-a9-panel.json") as dev:
        r = adb_server.devdoctor("devices", "--json")
    rows = {row["serial"]: row for row in json.loads(r.stdout)["devices"]}
    assert rows[dev.serial]["state"] == "device"
    assert rows[dev.serial]["sdk"] == 28 and rows[dev.serial]["model"] == "SG-DP8 Door Panel"


def test_a_device_unplugged_mid_run_gives_exit_4_and_says_where_once(adb_server):
    with simulated(adb_server, FIXTURES / "healthy-a9-panel.json", f"unplug@{WMPF_DUMP}") as dev:
        r = adb_server.devdoctor("run", "--serial", dev.serial, "--json")
        adb_server.wait_state(dev.serial, "offline")
    doc = report(r)
    # reached, but not checked to the end: never 0, and not 3 (which says no device answered at all)
    assert r.returncode == 4 and doc["exit_code"] == 4
    device = doc["devices"][0]
    assert device["error"]["kind"] == "disconnected"
    # Every fixed read starts at once, so several are in flight when the cable goes: any may be named.
    in_flight = ("disconnected during `",)
    assert any(w in device["error"]["message"] for w in in_flight), device["error"]["message"]
    wmpf = next(c for c in device["checks"] if c["id"] == "wmpf-installed")
    # the message is said once, for the device; each check says only that it was not checked
    assert wmpf["status"] == "unknown" and wmpf["summary"] == "not checked: the device was lost"
    assert "cable" in wmpf["remedy"]["text"]


def test_the_terminal_report_of_an_unplugged_device_is_printed_without_traceback(adb_server):
    with simulated(adb_server, FIXTURES / "healthy-a9-panel.json", "unplug@#2") as dev:
        r = adb_server.devdoctor("run", "--serial", dev.serial)
    assert r.returncode == 4 and "Traceback" not in r.stdout + r.stderr
    assert (r.stdout + r.stderr).count("disconnected during") == 1


def test_a_recorded_disconnect_replays_as_a_dropped_connection(adb_server):
    fx = with_changes(FIXTURES / "healthy-a9-panel.json")
    for e in fx.entries:
        if e.command == WMPF_DUMP:
            e.outcome = "disconnected"
    with simulated(adb_server, fx) as dev:
        r = adb_server.devdoctor("run", "--serial", dev.serial, "--json")
        adb_server.wait_state(dev.serial, "offline")
    assert r.returncode == 4 and report(r)["devices"][0]["error"]["kind"] == "disconnected"


def test_a_hanging_command_becomes_unknown_after_the_timeout(adb_server):
    with simulated(adb_server, FIXTURES / "healthy-a9-panel.json", f"hang@{WMPF_DUMP}") as dev:
        start = time.monotonic()
        r = adb_server.devdoctor("run", "--serial", dev.serial, "--json", "--timeout", "1")
        took = time.monotonic() - start
    doc = report(r)
    checks = {c["id"]: c for c in doc["devices"][0]["checks"]}
    assert checks["wmpf-installed"]["status"] == "unknown"
    assert OUT_OF_TIME.search(checks["wmpf-installed"]["summary"])
    assert checks["android-version"]["status"] == "pass"  # the other checks are not held up
    assert "--timeout" in checks["wmpf-installed"]["remedy"]["text"]  # what to try next
    # a check that could not tell is not a healthy device: a script must not read it as one
    assert r.returncode == 4 and doc["devices"][0]["error"] is None
    assert took < 30  # a generous bound: the point is that the run ends at all


def test_a_recorded_timeout_replays_as_a_hung_command(adb_server):
    fx = with_changes(FIXTURES / "healthy-a9-panel.json")
    for e in fx.entries:
        if e.command == WMPF_DUMP:
            e.outcome = "timeout"
    with simulated(adb_server, fx) as dev:
        r = adb_server.devdoctor("run", "--serial", dev.serial, "--json", "--timeout", "1")
    wmpf = next(c for c in report(r)["devices"][0]["checks"] if c["id"] == "wmpf-installed")
    assert wmpf["status"] == "unknown" and OUT_OF_TIME.search(wmpf["summary"])


def test_an_unauthorized_device_says_to_accept_the_prompt(adb_server):
    with simulated(adb_server, FIXTURES / "healthy-a9-panel.json", "unauthorized",
                   expect_state="unauthorized") as dev:
        r = adb_server.devdoctor("run", "--serial", dev.serial)
        listed = json.loads(adb_server.devdoctor("devices", "--json").stdout)["devices"]
    assert r.returncode == 3 and "Traceback" not in r.stderr
    assert "unauthorized" in r.stderr and "Allow USB debugging" in r.stderr
    assert {"serial": dev.serial, "state": "unauthorized"}.items() <= next(
        d for d in listed if d["serial"] == dev.serial).items()


def test_an_offline_device_gives_exit_3_and_a_json_error(adb_server):
    with simulated(adb_server, FIXTURES / "healthy-a9-panel.json", "offline", expect_state="offline") as dev:
        r = adb_server.devdoctor("run", "--serial", dev.serial, "--json")
    assert r.returncode == 3
    doc = report(r)
    assert doc["error"]["kind"] == "offline" and "offline" in doc["error"]["message"] and doc["exit_code"] == 3
    assert doc["devices"] == [] and doc["fleet"] == [] and doc["generated_at"]


def test_slow_output_still_arrives_whole(adb_server, tmp_path):
    fx = with_changes(FIXTURES / "healthy-a9-panel.json")
    fx.extra["faults"] = [{"kind": "slow", "command": "getprop", "chunk": 512, "interval": 0.005}]
    with simulated(adb_server, fx) as dev:
        r = adb_server.devdoctor("run", "--serial", dev.serial, "--json")
    assert verdicts(report(r)) == verdicts(replayed(adb_server, FIXTURES / "healthy-a9-panel.json"))


def test_output_trickling_past_the_time_limit_is_cut_off(adb_server):
    fx = with_changes(FIXTURES / "healthy-a9-panel.json")
    fx.extra["faults"] = [{"kind": "slow", "command": WMPF_DUMP, "chunk": 16, "interval": 0.2}]
    with simulated(adb_server, fx) as dev:
        r = adb_server.devdoctor("run", "--serial", dev.serial, "--json", "--timeout", "1")
    wmpf = next(c for c in report(r)["devices"][0]["checks"] if c["id"] == "wmpf-installed")
    assert wmpf["status"] == "unknown" and OUT_OF_TIME.search(wmpf["summary"])


def test_tens_of_megabytes_of_output_do_not_break_the_run(adb_server):
    with simulated(adb_server, FIXTURES / "healthy-a9-panel.json", f"large@{WMPF_DUMP}") as dev:
        r = adb_server.devdoctor("run", "--serial", dev.serial, "--json", "--timeout", "30")
    doc = report(r)
    wmpf = next(c for c in doc["devices"][0]["checks"] if c["id"] == "wmpf-installed")
    assert wmpf["status"] == "pass", wmpf  # the real answer comes first, 32 MB of noise after it
    assert r.returncode == 0


def test_output_that_is_not_utf8_does_not_break_the_run(adb_server):
    with simulated(adb_server, FIXTURES / "healthy-a9-panel.json", "invalid-utf8") as dev:
        r = adb_server.devdoctor("run", "--serial", dev.serial, "--json")
    doc = report(r)
    assert r.returncode in (0, 1) and doc["devices"][0]["error"] is None
    assert {c["status"] for c in doc["devices"][0]["checks"]} <= {"pass", "warn", "fail", "unknown"}


def test_a_device_without_the_shell_protocol_gives_the_same_report(adb_server):
    """Android 6 and older: legacy `shell:` only, exit codes through devdoctor's marker."""
    path = FIXTURES / "healthy-a9-panel.json"
    with simulated(adb_server, with_changes(path, features="")) as dev:
        assert not dev.shell_v2
        r = adb_server.devdoctor("run", "--serial", dev.serial, "--json")
    assert verdicts(report(r)) == verdicts(replayed(adb_server, path))


def test_the_request_log_shows_what_devdoctor_sent_and_did_not(adb_server, tmp_path):
    log = tmp_path / "requests.jsonl"
    with simulated(adb_server, FIXTURES / "healthy-a9-panel.json", log=log) as dev:
        r = adb_server.devdoctor("run", "--serial", dev.serial, "--only", "android-version")
    assert r.returncode == 0, r.stderr
    events = [json.loads(line) for line in log.read_text().splitlines()]
    sent = [e["command"] for e in events if e["event"] == "open" and "command" in e]
    assert "getprop" in sent and WMPF_DUMP not in sent
    assert all(e["device"] == dev.serial for e in events)


def test_files_come_through_the_sync_service(adb_server, tmp_path):
    from devdoctor.sources.adb import AdbServer
    from devdoctor.sources.device import FileUnreadable
    from devdoctor.sources.fixture import FileEntry

    fx = with_changes(FIXTURES / "healthy-a9-panel.json")
    apk = bytes(range(256)) * 1000  # binary, and larger than one sync DATA piece
    fx.files = [FileEntry("/data/app/com.example.door-1/base.apk", apk),
                FileEntry("/data/system/packages.xml", None, "Permission denied")]
    with simulated(adb_server, fx) as dev:
        server = AdbServer("127.0.0.1", adb_server.port)
        live = server.open(server.pick(dev.serial))
        assert live.pull("/data/app/com.example.door-1/base.apk") == apk
        with pytest.raises(FileUnreadable, match="no such file"):
            live.pull("/sdcard/missing.txt")
        with pytest.raises(FileUnreadable, match="Permission denied"):
            live.pull("/data/system/packages.xml")
        r = adb_server.adb("-s", dev.serial, "pull", "/data/app/com.example.door-1/base.apk", str(tmp_path / "b.apk"))
        assert r.returncode == 0, r.stderr
        assert (tmp_path / "b.apk").read_bytes() == apk


def test_the_simulate_command_serves_a_recording_until_stopped(adb_server, tmp_path):
    import subprocess
    import sys

    log = tmp_path / "requests.jsonl"
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "devdoctor", "simulate", "healthy-a9-panel", "--port", str(port),
                             "--log", str(log), "--speed", "0", "--connect"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=dict(os.environ, **adb_server.env))
    serial = f"127.0.0.1:{port}"
    try:
        adb_server.wait_state(serial, "device")
        r = adb_server.adb("-s", serial, "shell", "getprop")
        assert r.returncode == 0 and "[ro.build.version.sdk]: [28]" in r.stdout
        r = adb_server.adb("-s", serial, "shell", "reboot-the-world")
        assert r.returncode == 127 and "not in the recording healthy-a9-panel.json: reboot-the-world" in r.stderr
    finally:
        proc.terminate()
        out, err = proc.communicate(timeout=10)
        adb_server.adb("disconnect", serial)
    assert f"attach it with: adb connect {serial}" in out and "Traceback" not in err
    commands = [json.loads(line).get("command") for line in log.read_text().splitlines()]
    assert "getprop" in commands and "reboot-the-world" in commands


@pytest.mark.parametrize("fault", [f"unplug@{WMPF_DUMP}", f"hang@{WMPF_DUMP}"])
def test_a_fault_met_while_recording_replays_the_same_way(adb_server, tmp_path, fault):
    out = tmp_path / "recorded.json"
    with simulated(adb_server, FIXTURES / "healthy-a9-panel.json", fault) as dev:
        rec = adb_server.devdoctor("record", out, "--serial", dev.serial, "--timeout", "1")
    assert "Traceback" not in rec.stderr
    outcome = {c["command"]: c.get("outcome", "ok") for c in json.loads(out.read_text())["commands"]}
    assert outcome[WMPF_DUMP] == ("disconnected" if fault.startswith("unplug") else "timeout")
    r = adb_server.devdoctor("run", "--replay", out, "--json", "--timeout", "1")  # with the limits it was made with
    assert r.returncode == rec.returncode
    wmpf = next(c for c in report(r)["devices"][0]["checks"] if c["id"] == "wmpf-installed")
    assert wmpf["status"] == "unknown"


def test_recorded_durations_are_replayed_at_the_chosen_speed(adb_server, tmp_path):
    fx = with_changes(FIXTURES / "healthy-a9-panel.json")
    for e in fx.entries:
        if e.command == WMPF_DUMP:
            e.duration = 30.0  # longer than any time limit below
    slow = write_fixture(fx, tmp_path / "slow.json")
    replay = report(adb_server.devdoctor("run", "--replay", slow, "--json", "--timeout", "1"))
    for speed, status in [(1.0, "unknown"), (0.0, "pass")]:
        with simulated(adb_server, fx, speed=speed) as dev:
            r = adb_server.devdoctor("run", "--serial", dev.serial, "--json", "--timeout", "1")
        wmpf = next(c for c in report(r)["devices"][0]["checks"] if c["id"] == "wmpf-installed")
        assert wmpf["status"] == status, (speed, wmpf)
    assert next(c for c in replay["devices"][0]["checks"] if c["id"] == "wmpf-installed")["status"] == "unknown"


@pytest.mark.parametrize("features", [None, "cmd,stat_v2"], ids=["shell-v2", "legacy-shell"])
def test_a_batch_through_adb_keeps_each_answer(adb_server, features):
    from devdoctor.sources.adb import AdbServer

    fx = load_fixture(FIXTURES / "healthy-a9-panel.json")
    if features:
        fx.device["features"] = features  # an adbd without the shell protocol: one stream, no exit status
    commands = ["getprop", WMPF_DUMP, "no-such-tool --flag"]
    with simulated(adb_server, fx) as dev:
        server = AdbServer("127.0.0.1", adb_server.port)
        device = server.open(server.pick(dev.serial))
        results = device.shell_batch(commands)
    recorded = {e.command: e for e in fx.entries}
    assert [r.command for r in results] == commands
    assert results[0].stdout == recorded["getprop"].stdout.decode()
    assert results[1].stdout == recorded[WMPF_DUMP].stdout.decode()
    # a command the recording lacks is a gap in the recording, never a device without the program
    assert isinstance(results[2], NotAnswerable) and "no-such-tool --flag" in str(results[2])


def test_a_fleet_with_an_unauthorized_and_an_offline_device_still_reports_on_every_device(adb_server):
    panel = FIXTURES / "healthy-a9-panel.json"
    with simulated(adb_server, panel) as good, \
            simulated(adb_server, panel, "unauthorized", expect_state="unauthorized") as locked, \
            simulated(adb_server, panel, "offline", expect_state="offline") as dark:
        r = adb_server.devdoctor("run", "--all", "--json")
    doc = report(r)
    # one device was diagnosed and passed; two could not be: not healthy (0), and not "none reached" (3)
    assert r.returncode == doc["exit_code"] == 4
    devices = {d["device"]["serial"]: d for d in doc["devices"]}
    assert devices[good.serial]["error"] is None
    assert {c["status"] for c in devices[good.serial]["checks"]} == {"pass"}
    assert devices[locked.serial]["error"]["kind"] == "unauthorized"
    assert devices[dark.serial]["error"]["kind"] == "offline"
    fleet = {row["serial"]: row for row in doc["fleet"]}
    for serial in (locked.serial, dark.serial):
        assert devices[serial]["checks"] == []  # said once, not as ten unknown checks
        assert fleet[serial]["error"] == devices[serial]["error"]  # the table and the device agree
