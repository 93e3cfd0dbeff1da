"""The command line as a user meets it: exit codes, messages, JSON on stdout and nothing else."""
import json

import pytest

from conftest import FIXTURES, cli
from fake_adb import FakeAdbServer


def test_version_and_help_teach_the_exit_codes():
    assert cli("--version").stdout.startswith("devdoctor ")
    r = cli("run", "--help")
    assert r.returncode == 0 and "Exit codes" not in r.stderr
    helped = " ".join(cli("--help").stdout.split())
    assert "3 no device could be reached" in helped and "4 nothing failed, but something could not be checked" in helped


def test_list_shows_every_builtin_check():
    out = cli("list").stdout
    assert "android-version" in out and "wmpf-installed" in out
    doc = json.loads(cli("list", "--json").stdout)
    assert {"android-version", "wmpf-installed"} <= {c["id"] for c in doc["checks"]}


@pytest.mark.parametrize("name, code", [("healthy-a9-panel", 0), ("a7.0-board", 1), ("no-wmpf-a10-tablet", 1),
                                        ("wmpf-1.1.3-a8-kiosk", 0)])
def test_replay_json_report_and_exit_code(name, code):
    r = cli("run", "--replay", FIXTURES / f"{name}.json", "--json", "--only", "android-version",
            "--only", "wmpf-installed")
    assert r.returncode == code, r.stderr
    doc = json.loads(r.stdout)  # stdout holds the JSON document and nothing else
    assert doc["schema"] == "devdoctor-report/1" and doc["exit_code"] == code
    dev = doc["devices"][0]
    assert dev["device"]["source"] == "replay" and dev["device"]["sdk"]
    assert [c["id"] for c in dev["checks"]] == ["android-version", "wmpf-installed"]
    for c in dev["checks"]:
        assert set(c) >= {"id", "title", "status", "summary", "remedy", "evidence", "duration"}


def test_terminal_report_names_the_device_and_the_problem():
    r = cli("run", "--replay", FIXTURES / "no-wmpf-a10-tablet.json", "--only", "wmpf-installed")
    assert r.returncode == 1
    assert "MT8168TB9Q0355" in r.stdout and "LT-10 Learning Tablet" in r.stdout
    assert "[✗] WMPF Service installed" in r.stdout and "adb install" in r.stdout
    assert "\x1b[" not in r.stdout  # no colour when not a terminal / NO_COLOR


def test_verbose_shows_the_evidence():
    r = cli("run", "--replay", FIXTURES / "wmpf-1.1.3-a8-kiosk.json", "-v", "--only", "wmpf-installed")
    assert "$ dumpsys package com.tencent.wmpf" in r.stdout and "versionName=1.1.3" in r.stdout
    assert "2 round trips to the device" in r.stdout  # getprop, then dumpsys package: nothing sent twice


@pytest.mark.parametrize("content, words", [
    ("{ not a fixture", "not valid JSON"),
    ('{"hello": 1}', "not a devdoctor fixture"),
])
def test_damaged_fixture_exits_2_without_traceback(tmp_path, content, words):
    f = tmp_path / "damaged.json"
    f.write_text(content)
    r = cli("run", "--replay", f)
    assert r.returncode == 2 and words in r.stderr and "Traceback" not in r.stderr + r.stdout


def test_missing_fixture_and_unknown_check_exit_2(tmp_path):
    r = cli("run", "--replay", tmp_path / "nope.json")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    r = cli("run", "--replay", FIXTURES / "healthy-a9-panel.json", "--only", "no-such-check")
    assert r.returncode == 2 and "no-such-check" in r.stderr and "android-version" in r.stderr


def test_bad_host_package_never_reaches_a_shell():
    r = cli("run", "--replay", FIXTURES / "healthy-a9-panel.json", "--host-package", "x; reboot")
    assert r.returncode == 2 and "not an Android package name" in r.stderr


@pytest.mark.parametrize("devices, code, words", [
    ([], 3, "no device attached"),
    ([("A1", "device", "model:M1"), ("B2", "device", "model:M2")], 2, "several devices"),
    ([("A1", "unauthorized", "")], 3, "Allow USB debugging"),
    ([("A1", "offline", "")], 3, "is offline"),
])
def test_device_selection_errors(devices, code, words):
    with FakeAdbServer(devices) as server:
        r = cli("run", "--adb-port", server.port, "--json")
    assert r.returncode == code, r.stderr
    assert words in r.stderr and "Traceback" not in r.stderr + r.stdout
    assert json.loads(r.stdout)["exit_code"] == code  # still a JSON document for scripts
    if code == 2:
        assert "A1" in r.stderr and "B2" in r.stderr  # the devices to choose from are listed


def test_unknown_serial_is_named():
    with FakeAdbServer([("A1", "device", "")]) as server:
        r = cli("run", "--adb-port", server.port, "--serial", "ZZ9")
    assert r.returncode == 3 and "ZZ9" in r.stderr and "A1" in r.stderr


def test_unreachable_adb_server_and_missing_adb(tmp_path):
    with FakeAdbServer([]) as server:
        port = server.port  # a port that will be closed again
    r = cli("run", "--adb-port", port, env={"ADBUTILS_ADB_PATH": str(tmp_path / "no-adb")})
    assert r.returncode == 3 and "adb is not installed" in r.stderr and "Traceback" not in r.stderr


def test_devices_lists_states():
    with FakeAdbServer([("A1", "unauthorized", ""), ("B2", "offline", "")]) as server:
        r = cli("devices", "--adb-port", server.port, "--json")
    rows = json.loads(r.stdout)["devices"]
    assert [(d["serial"], d["state"]) for d in rows] == [("A1", "unauthorized"), ("B2", "offline")]
    assert "prompt" in rows[0]["note"]


def test_json_into_a_pipe_is_one_line_and_the_same_document():
    r = cli("run", "--demo", "--json")
    lines = r.stdout.splitlines()
    assert len(lines) == 1, lines[:3]
    doc = json.loads(lines[0])
    assert doc["schema"] == "devdoctor-report/1" and doc["devices"][0]["checks"]
