"""The runner: crashes, hangs and device loss become `unknown` with a reason; prerequisites skip;
results keep their order; broken plugins are reported, not fatal."""
import threading
import time

from conftest import DATA, FIXTURES, cli
from devdoctor.check import Check
from devdoctor.sources.fixture import FORMAT, parse
from devdoctor.sources.replay import Replayer
from devdoctor.core.plugins import load
from devdoctor.result import CheckResult, Status
from devdoctor.core.runner import run_checks


def device(*commands):
    return Replayer(parse({"format": FORMAT, "device": {"serial": "T1", "sdk": 28},
                           "commands": [{"command": "getprop", "stdout": "[ro.build.version.sdk]: [28]\n"},
                                        *commands]}))


def make(cid, fn, requires=(), timeout=None, order=100):
    return type(cid.title().replace("-", ""), (Check,), {"id": cid, "title": cid, "requires": requires,
                                                        "timeout": timeout, "order": order,
                                                        "run": lambda self, ctx: fn(ctx)})()


def test_a_crash_is_unknown_with_the_reason_and_others_still_run():
    def boom(ctx):
        raise KeyError("versionCode")
    r = run_checks(device(), [make("a", boom), make("b", lambda ctx: CheckResult.passed("fine"))])
    assert [x.status for x in r.results] == [Status.UNKNOWN, Status.PASS]
    assert "crashed" in r.results[0].summary and "versionCode" in r.results[0].summary


def test_a_hanging_check_runs_out_of_time():
    stop = threading.Event()
    r = run_checks(device(), [make("slow", lambda ctx: stop.wait(5) or CheckResult.passed("late"), timeout=0.2),
                              make("fast", lambda ctx: CheckResult.passed("ok"))])
    stop.set()
    assert r.results[0].status == Status.UNKNOWN and "ran out of time after 0.2 s" in r.results[0].summary
    assert r.results[1].status == Status.PASS


def test_the_deadline_ends_the_whole_run_with_a_report():
    stop = threading.Event()
    start = time.monotonic()
    r = run_checks(device(), [make("a", lambda ctx: stop.wait(5) or CheckResult.passed("late"), timeout=30)],
                   deadline=0.3)
    stop.set()
    assert time.monotonic() - start < 3
    assert "deadline" in r.results[0].summary


def test_unmet_prerequisite_skips_with_the_reason():
    r = run_checks(device(), [make("base", lambda ctx: CheckResult.fail("WMPF is not installed")),
                              make("dep", lambda ctx: CheckResult.passed("x"), requires=("base",))])
    assert r.results[1].status == Status.SKIPPED and "WMPF is not installed" in r.results[1].summary


def test_a_prerequisite_that_warns_is_satisfied_and_its_result_is_given():
    seen = {}
    r = run_checks(device(), [make("base", lambda ctx: CheckResult.warn("old")),
                              make("dep", lambda ctx: seen.update(ctx.results) or CheckResult.passed("x"),
                                   requires=("base",))])
    assert r.results[1].status == Status.PASS and seen["base"].summary == "old"


def test_a_requirement_cycle_does_not_hang():
    r = run_checks(device(), [make("a", lambda ctx: CheckResult.passed("x"), requires=("b",)),
                              make("b", lambda ctx: CheckResult.passed("x"), requires=("a",))], deadline=5)
    assert all(x.status == Status.UNKNOWN and "cycle" in x.summary for x in r.results)


def test_device_errors_become_unknown_with_the_command():
    def read(ctx):
        ctx.run("dumpsys activity services com.tencent.wmpf")
        return CheckResult.passed("x")
    r = run_checks(device({"command": "logcat -d", "outcome": "timeout"}),
                   [make("missing", read), make("hang", lambda ctx: ctx.run("logcat -d"))])
    assert r.results[0].summary == "not recorded: dumpsys activity services com.tencent.wmpf"
    assert "logcat -d" in r.results[1].summary and "in time" in r.results[1].summary


def test_device_lost_mid_run_is_reported_and_later_checks_say_where():
    r = run_checks(device({"command": "ps -A", "outcome": "disconnected"}, {"command": "id", "stdout": "uid=2000\n"}),
                   [make("first", lambda ctx: ctx.run("ps -A"), order=1),
                    make("second", lambda ctx: ctx.run("id") and CheckResult.passed("x"), requires=("first",))])
    assert r.error and "during `ps -A`" in r.error and r.error_kind == "disconnected"
    assert r.results[0].status == Status.UNKNOWN


def test_shared_reads_are_sent_once():
    calls = []
    dev = device({"command": "dumpsys package com.tencent.wmpf", "stdout": "x\n"})
    real = dev.shell
    dev.shell = lambda cmd, timeout=8.0: calls.append(cmd) or real(cmd, timeout)
    checks = [make(f"c{i}", lambda ctx: ctx.run(["dumpsys", "package", "com.tencent.wmpf"]) and CheckResult.passed("x"))
              for i in range(6)]
    r = run_checks(dev, checks)
    assert calls.count("dumpsys package com.tencent.wmpf") == 1 and r.round_trips == 2  # + getprop


def test_checks_dir_loads_dropins_and_reports_broken_ones():
    catalog = load([DATA / "dropin"])
    assert "screen-timeout" in catalog.ids()
    assert any("broken on purpose" in p.message for p in catalog.problems)
    r = cli("run", "--replay", FIXTURES / "healthy-a9-panel.json", "--checks-dir", DATA / "dropin",
            "--only", "screen-timeout")
    assert r.returncode == 0 and "drop-in ran on RK3288DP0417" in r.stdout  # the check asked for ran
    assert "could not be loaded" in r.stderr and "broken_check.py" in r.stderr


def test_a_run_whose_plugin_could_not_load_is_not_called_complete():
    """Every check passes, but the broken plugin's checks never ran: exit 4 (not diagnosed to the end), not 0."""
    import json

    r = cli("run", "--replay", FIXTURES / "healthy-a9-panel.json", "--checks-dir", DATA / "dropin", "--json")
    doc = json.loads(r.stdout)
    assert all(c["status"] in ("pass", "warn") for c in doc["devices"][0]["checks"]), doc
    assert r.returncode == 4 and doc["exit_code"] == 4
    assert any("broken_check.py" in p["source"] + p["message"] for p in doc["plugin_problems"]), doc["plugin_problems"]


def test_a_result_as_json_holds_plain_values_not_enums():
    from devdoctor.result import Evidence, plain

    doc = plain(CheckResult.warn("w", evidence=[Evidence("getprop", ["[a]: [b]"])], details={"n": (1, 2)}))
    assert type(doc["status"]) is str and doc["status"] == "warn"
    assert doc["evidence"] == [{"command": "getprop", "lines": ["[a]: [b]"], "note": ""}]
    assert doc["details"] == {"n": [1, 2]}
