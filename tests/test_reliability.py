"""Faults never make devdoctor freeze, crash or call an unchecked device healthy.

Damaged recordings are usage errors (exit 2, one line naming the file); time limits bind every read,
the first getprop included; exit codes follow the documented order (README, devdoctor/core/exit_codes.py);
every JSON error has the shape {kind, message}.
"""
from __future__ import annotations

import json
import math
import time

import pytest

from conftest import FIXTURES, cli
from devdoctor.core import exit_codes
from devdoctor.sources.fixture import FixtureError, loads
from devdoctor.result import CheckResult
from devdoctor.core.runner import DeviceReport, Identity

HEALTHY = FIXTURES / "healthy-a9-panel.json"


def _damaged(tmp_path, name: str) -> str:
    text = HEALTHY.read_text(encoding="utf-8")
    doc = json.loads(text)
    if name == "provenance":
        doc["provenance"] = "x"
        body = json.dumps(doc)
    elif name == "bigint":
        body = text.replace('"exit_code": 0', '"exit_code": ' + "9" * 5000, 1)
    elif name == "deep":
        body = "[" * 100_000 + "]" * 100_000
    elif name == "surrogate-stdout":
        body = text.replace('"stdout": "', '"stdout": "\\ud800', 1)
    elif name == "surrogate-serial":
        doc["device"]["serial"] = "\ud800"
        body = json.dumps(doc)
    elif name == "nan-duration":
        doc["commands"][0]["duration_ms"] = math.nan
        body = json.dumps(doc)
    else:  # an exit status of 10^30
        doc["commands"][0]["exit_code"] = 10 ** 30
        body = json.dumps(doc)
    path = tmp_path / f"{name}.json"
    path.write_text(body, encoding="utf-8")
    return str(path)


DAMAGE = ["provenance", "bigint", "deep", "surrogate-stdout", "surrogate-serial", "nan-duration", "huge-exit"]


@pytest.mark.parametrize("damage", DAMAGE)
@pytest.mark.parametrize("command", [["run", "--replay"], ["fix", "--clear-cache", "--dry-run", "--replay"],
                                     ["simulate"]])
def test_a_damaged_recording_is_a_usage_error_naming_the_file(tmp_path, damage, command):
    path = _damaged(tmp_path, damage)
    args = [*command, path] + (["--port", "0"] if command == ["simulate"] else [])
    r = cli(*args, timeout=60)
    assert r.returncode == 2, (r.returncode, r.stderr[-400:])
    assert "Traceback" not in r.stdout + r.stderr
    message = [ln for ln in r.stderr.splitlines() if ln.strip()]
    assert len(message) == 1 and path in message[0], r.stderr


@pytest.mark.parametrize("damage", ["nan-duration", "huge-exit", "provenance", "surrogate-stdout"])
def test_fixture_validation_refuses_values_no_device_could_have_sent(tmp_path, damage):
    with pytest.raises(FixtureError):
        loads(open(_damaged(tmp_path, damage), encoding="utf-8").read(), damage)


def test_a_damaged_recording_inside_a_support_page_is_a_usage_error(tmp_path):
    page = tmp_path / "page.html"
    page.write_text('<!doctype html><script type="application/json" id="devdoctor-recording">'
                    + "[" * 50_000 + "</script>", encoding="utf-8")
    r = cli("run", "--replay", page)
    assert r.returncode == 2 and "Traceback" not in r.stderr and str(page) in r.stderr


@pytest.mark.parametrize("statuses, stopped, code", [
    (("pass", "warn"), [], exit_codes.OK),
    (("pass", "unknown"), [], exit_codes.OK),  # an unknown the device's own answers left: a finding
    (("pass", "unknown"), ["b"], exit_codes.INCOMPLETE),  # one devdoctor's time limit stopped: not checked
    (("unknown", "skipped"), [], exit_codes.INCOMPLETE),  # the device answered nothing at all
    (("unknown", "fail"), ["a"], exit_codes.FAILED),  # a failure found is said first
])
def test_one_device_exit_codes(statuses, stopped, code):
    from devdoctor.result import Status

    results = [CheckResult(Status(s), "x", id=i) for s, i in zip(statuses, "ab")]
    assert exit_codes.of_reports([DeviceReport(Identity("S"), results, stopped=stopped)]) == code


def test_a_fleet_exit_code_says_the_worst_that_happened_on_any_device():
    from devdoctor.result import Status

    def dev(*statuses, kind=None):
        r = DeviceReport(Identity("S"), [CheckResult(Status(s), "x") for s in statuses])
        if kind:
            r.error, r.error_kind = "why", kind
        return r

    # a failed check on a reached device is not hidden by another device being unreachable
    assert exit_codes.of_reports([dev("fail"), dev(kind="unauthorized")]) == exit_codes.FAILED
    # every device reached and fine but one: not healthy
    assert exit_codes.of_reports([dev("pass"), dev(kind="offline")]) == exit_codes.INCOMPLETE
    # lost mid-run: reached, not checked to the end
    assert exit_codes.of_reports([dev("pass", "unknown", kind="disconnected")]) == exit_codes.INCOMPLETE
    # a recording whose device left one command hanging (its own finding) beside a clean one
    assert exit_codes.of_reports([dev("pass"), dev("pass", "unknown")]) == exit_codes.OK
    # no device answered at all
    assert exit_codes.of_reports([dev(kind="unauthorized"), dev(kind="offline")]) == exit_codes.NO_DEVICE
    assert exit_codes.of_reports([]) == exit_codes.NO_DEVICE


def test_a_run_whose_checks_ran_out_of_time_does_not_exit_0(adb_server):
    """The deadline stops the checks waiting on a command the device leaves hanging. (A replay answers at
    once: it used to race a 0.1 s deadline, and a fast machine finished first.)"""
    from e2e_support import simulated

    with simulated(adb_server, FIXTURES / "healthy-a9-panel.json", "hang@dumpsys package com.tencent.wmpf") as dev:
        r = adb_server.devdoctor("run", "--serial", dev.serial, "--deadline", "1", "--json")
    doc = json.loads(r.stdout)
    assert r.returncode == doc["exit_code"] == 4
    unknown = [c for c in doc["devices"][0]["checks"] if c["status"] == "unknown"]
    assert "wmpf-installed" in doc["devices"][0]["stopped_checks"]
    assert unknown and all(c["remedy"] and "--deadline" in c["remedy"]["text"] for c in unknown)


def test_every_unknown_says_what_to_try_next():
    r = cli("run", "--replay", FIXTURES / "net-probe-hangs-a9.json", "--json", "--timeout", "1")
    checks = [c for d in json.loads(r.stdout)["devices"] for c in d["checks"]]
    assert any(c["status"] == "unknown" for c in checks)
    assert all(c["remedy"] and c["remedy"]["text"] for c in checks if c["status"] == "unknown")


@pytest.mark.parametrize("args", [["run", "--adb-port", "99999"], ["devices", "--adb-port", "0"],
                                  ["run", "--all", "--serial", "X"]])
def test_out_of_range_ports_and_all_with_serial_are_usage_errors(args):
    r = cli(*args)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "--adb-port" in r.stderr or "--serial" in r.stderr


def test_the_no_device_json_report_has_the_documented_shape(tmp_path):
    from e2e_support import free_port

    port = str(free_port())  # nothing listens there, and no adb can be started to listen
    env = {"ADBUTILS_ADB_PATH": str(tmp_path / "no-adb-here"), "PATH": str(tmp_path)}
    r = cli("run", "--json", "--adb-port", port, env=env)
    doc = json.loads(r.stdout)
    assert r.returncode == doc["exit_code"] == 3
    assert set(doc["error"]) == {"kind", "message"} and doc["error"]["kind"] == "adb_unreachable"
    for key in ("schema", "generated_at", "devices", "fleet"):
        assert key in doc
    d = cli("devices", "--json", "--adb-port", port, env=env)
    assert d.returncode == 3 and json.loads(d.stdout)["error"]["kind"] == "adb_unreachable"


# -- through the simulated device behind the real adb server --------------------------------------

def test_a_hanging_getprop_is_bound_by_the_deadline_and_named(adb_server):
    from e2e_support import report, simulated

    with simulated(adb_server, HEALTHY, "hang@getprop") as dev:
        start = time.monotonic()
        r = adb_server.devdoctor("run", "--serial", dev.serial, "--deadline", "2", "--json")
        took = time.monotonic() - start
    doc = report(r)
    assert r.returncode == doc["exit_code"] == 4
    version = next(c for c in doc["devices"][0]["checks"] if c["id"] == "android-version")
    assert version["status"] == "unknown" and "`getprop`" in version["summary"]
    assert took < 8  # the identity read once waited a fixed 8 s of its own, past any deadline


def test_a_hanging_getprop_is_bound_by_the_timeout_of_every_check(adb_server):
    from e2e_support import report, simulated

    with simulated(adb_server, HEALTHY, "hang@getprop") as dev:
        r = adb_server.devdoctor("run", "--serial", dev.serial, "--timeout", "1", "--json")
    doc = report(r)
    assert doc["devices"][0]["duration"] < 6  # checks with long limits of their own keep to --timeout
    assert r.returncode == 4


def test_a_fleet_with_a_failing_and_an_unauthorized_device_exits_1(adb_server):
    from e2e_support import report, simulated

    with simulated(adb_server, FIXTURES / "no-wmpf-a10-tablet.json") as failing, \
            simulated(adb_server, HEALTHY, "unauthorized", expect_state="unauthorized") as locked:
        r = adb_server.devdoctor("run", "--all", "--json")
        text = adb_server.devdoctor("run", "--all")
    doc = report(r)
    assert r.returncode == doc["exit_code"] == 1  # the failure is not hidden behind "no device reached"
    rows = {row["serial"]: row for row in doc["fleet"]}
    assert rows[locked.serial]["error"]["kind"] == "unauthorized"
    assert rows[failing.serial]["counts"]["fail"] >= 1
    # the locked device is said once, in its block and its table row, with no check lines under it
    assert text.stdout.count("unauthorized") <= 3 and "Allow USB debugging" in text.stdout


def test_a_crashing_check_is_unknown_with_a_bug_report_remedy_and_a_bug_of_ours_is_exit_70(tmp_path):
    (tmp_path / "boom.py").write_text(
        "from devdoctor.check import Check\n"
        "class Boom(Check):\n"
        "    id = 'boom'; title = 'Boom'; description = 'x'; looks_at = 'x'\n"
        "    def run(self, ctx):\n"
        "        return self.nope\n", encoding="utf-8")
    r = cli("run", "--demo", "--only", "boom", "--checks-dir", tmp_path, "--json")
    check = json.loads(r.stdout)["devices"][0]["checks"][0]
    assert r.returncode == 4 and check["status"] == "unknown" and "crashed" in check["summary"]
    assert "bug in the check" in check["remedy"]["text"]
    # a crash outside any check (here: a renderer handed an object it cannot show) is exit 70, one line
    (tmp_path / "bad.py").write_text(
        "from devdoctor.check import Check\n"
        "from devdoctor.result import CheckResult\n"
        "class Bad(Check):\n"
        "    id = 'bad'; title = 'Bad'; description = 'x'; looks_at = 'x'\n"
        "    def run(self, ctx):\n"
        "        return CheckResult.passed('ok', details={'x': object()})\n", encoding="utf-8")
    r = cli("run", "--demo", "--only", "bad", "--checks-dir", tmp_path, "--json")
    assert r.returncode == 70 and "Traceback" not in r.stderr and "internal error" in r.stderr


def _without(command: str, tmp_path):
    from e2e_support import with_changes, write_fixture

    fx = with_changes(FIXTURES / "healthy-a9-panel.json")
    fx.entries = [e for e in fx.entries if e.command != command]
    return write_fixture(fx, tmp_path / "gap.json")


def test_a_recording_without_an_answer_a_check_needs_is_not_a_complete_diagnosis(tmp_path):
    """A gap in the file, not a finding about the device: the run exits 4, never 0, and says to record again."""
    r = cli("run", "--replay", _without("dumpsys media.camera", tmp_path), "--json")
    doc = json.loads(r.stdout)
    checks = {c["id"]: c for c in doc["devices"][0]["checks"]}
    assert checks["camera"]["status"] == "unknown"
    assert "not recorded: dumpsys media.camera" in checks["camera"]["summary"]
    assert all(c["status"] in ("pass", "warn") for i, c in checks.items() if i != "camera")
    assert r.returncode == doc["exit_code"] == 4 and doc["devices"][0]["stopped_checks"] == ["camera"]
    assert "Record the device again" in checks["camera"]["remedy"]["text"]


def test_a_simulated_device_whose_recording_lacks_an_answer_is_not_a_complete_diagnosis(adb_server, tmp_path):
    from e2e_support import simulated

    with simulated(adb_server, _without("dumpsys media.camera", tmp_path)) as dev:
        r = adb_server.devdoctor("run", "--serial", dev.serial, "--json")
    doc = json.loads(r.stdout)
    camera = next(c for c in doc["devices"][0]["checks"] if c["id"] == "camera")
    assert camera["status"] == "unknown" and "not in the recording" in camera["summary"]
    assert r.returncode == 4 and "recording behind this simulated device" in camera["remedy"]["text"]
