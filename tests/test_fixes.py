"""`devdoctor fix`: recorded fix sessions replayed (success, pm clear Failed, unplugged before the clear,
a ROM refusing an app-op), the target guard, dry runs, refusal without a terminal, and the journal."""
from __future__ import annotations

import json

import pytest

from conftest import DATA, FIXTURES, cli
from devdoctor.sources.device import CommandResult
from devdoctor.fixes import all_fixes, by_id, journal
from devdoctor.fixes.base import WMPF, Fix, Plan, Step, TargetViolation, named_packages
from devdoctor.fixes.clear_cache import ClearCache, am_start_started, pm_clear_said_success
from devdoctor.fixes.session import (DEVICE_LOST, FAILED, FIXED, NOW_PASSES, PROBLEM_REMAINS, STILL_OLD, VERIFY_LATER,
                                     DryRunViolation, Session, checks_for)
from devdoctor.sources.fixture import Entry, Fixture, load
from devdoctor.sources.replay import Replayer
from devdoctor.core.plugins import load as load_checks

CHANGING = ("pm clear", "am start", "appops set", "deviceidle whitelist +", "pm disable")


class Spy:
    """A device stand-in that remembers every command sent to the Replayer it wraps."""

    def __init__(self, inner):
        self.inner, self.kind, self.serial, self.sent = inner, inner.kind, inner.serial, []

    def shell(self, command, timeout=8.0):
        self.sent.append(command if isinstance(command, str) else " ".join(command))
        return self.inner.shell(command, timeout)

    def pull(self, path, timeout=30.0):
        self.sent.append(f"pull {path}")
        return self.inner.pull(path, timeout)

    def close(self):
        pass


def session_on(name: str, fix: Fix, tmp_path, **kw) -> tuple[Session, Spy]:
    path = FIXTURES / f"{name}.json"
    dev = Spy(Replayer.from_file(path if path.exists() else DATA / f"{name}.json"))
    return Session(dev, fix, backup_root=tmp_path / "backups", **kw), dev


def run_fix(name: str, fix: Fix, tmp_path, **kw):
    s, dev = session_on(name, fix, tmp_path, **kw)
    plan = s.prepare()
    return s.execute(plan, checks_for(fix, load_checks().checks)), s, dev


# -- clear-cache, replayed --------------------------------------------------------------------------

def test_clear_cache_success_backs_up_clears_starts_and_verifies(tmp_path):
    out, s, dev = run_fix("fix-clear-cache-a9-panel", ClearCache(), tmp_path)
    # every change reads back as meant; the DEVICE_CHANGED it is for stays in the log until WMPF activates again
    assert out.status == VERIFY_LATER and out.exit_code == 0
    assert [v.ok for v in out.verdicts] == [True, True, True]
    assert [v.what for v in out.verdicts] == ["pm clear reported success", "WMPF's data is empty", "WMPF is running"]
    saved = sorted(p.name for p in out.backup_dir.rglob("*") if p.is_file())
    assert saved == ["WMPF_20261123.xlog", "WMPF_20261124.xlog", "crash.log"]
    # the logs were pulled before the clear, the emptiness read before WMPF was started again
    order = [c for c in dev.sent if c.startswith(("pull", "pm clear", "ls ", "am start"))]
    assert order[-3].startswith("pm clear") and order[-2].startswith("ls ") and order[-1].startswith("am start")
    assert all(c.startswith("pull") for c in order[:-3])
    # before and after: the check whose finding it repairs (DEVICE_CHANGED in wmpf-log), with what it requires
    assert [r.id for r in out.before] == [r.id for r in out.after] == ["wmpf-installed", "wmpf-log"]
    [log] = out.compared
    assert log.check_id == "wmpf-log" and log.verdict == STILL_OLD
    assert "DEVICE_CHANGED" in log.before.summary and "DEVICE_CHANGED" in log.after.summary
    assert "written before the clear" in log.note and "activated WMPF again" in log.note


def test_clear_cache_names_no_package_but_wmpf(tmp_path):
    for name in ("fix-clear-cache-a9-panel", "fix-clear-cache-failed-a8-kiosk", "fix-clear-cache-unplugged-a10"):
        _, s, _ = run_fix(name, ClearCache(), tmp_path)
        assert s.sent, name
        for command in s.sent:
            assert named_packages(command.split()) <= {WMPF}, command
    assert ClearCache.targets == frozenset({WMPF})


def test_pm_clear_failed_is_reported_and_nothing_after_it_runs(tmp_path):
    out, s, dev = run_fix("fix-clear-cache-failed-a8-kiosk", ClearCache(), tmp_path)
    assert out.status == FAILED and out.exit_code == 1
    states = {r.command: r.state for r in out.steps}
    assert states[f"pm clear {WMPF}"] == "failed"
    assert states[f"am start -n {WMPF}/com.tencent.wmpf.wakeup.WMPFWakeUpInvokeActivity"] == "not-run"
    assert "Failed" in out.message
    assert not any(c.startswith("am start") for c in dev.sent)
    assert len(out.backed_up) == 3  # the logs are kept even though the clear failed


def test_unplugged_between_backup_and_clear_clears_nothing_and_keeps_the_backup(tmp_path):
    out, s, dev = run_fix("fix-clear-cache-unplugged-a10", ClearCache(), tmp_path)
    assert out.status == DEVICE_LOST and out.exit_code == 3
    assert not any(c.startswith("pm clear") for c in dev.sent)
    states = {r.command: r.state for r in out.steps}
    assert states[f"pm clear {WMPF}"] == "not-run"
    assert states[f"pm list packages {WMPF}"] == "lost"
    assert "Changed before that: nothing" in out.message
    assert len(list(out.backup_dir.rglob("*.xlog"))) == 2


def test_clear_cache_stops_before_clearing_when_a_log_cannot_be_saved(tmp_path):
    fx = load(FIXTURES / "fix-clear-cache-a9-panel.json")
    log = next(f for f in fx.files if f.path.startswith("/sdcard/"))  # not the APKs other checks read
    log.content, log.error = None, "Permission denied"
    dev = Spy(Replayer(fx))
    s = Session(dev, ClearCache(), backup_root=tmp_path)
    out = s.execute(s.prepare())
    assert out.status == FAILED
    assert "could not be saved, so nothing was cleared" in out.message
    assert not any(c.startswith("pm clear") for c in dev.sent)


def test_clear_cache_stops_when_the_log_folder_cannot_be_listed(tmp_path):
    dev = Spy(Replayer(Fixture({"serial": "T4"}, [
        Entry(f"pm list packages {WMPF}", f"package:{WMPF}\n".encode()),
        Entry(f"find /sdcard/Android/data/{WMPF} /sdcard/wmpf/xlog -type f", b"", exit_code=1,
              stderr=f"find: /sdcard/Android/data/{WMPF}: Permission denied\n".encode())])))
    s = Session(dev, ClearCache(), backup_root=tmp_path)
    plan = s.prepare()
    assert "cannot all be read" in plan.notes[0]
    out = s.execute(plan)
    assert out.status == FAILED and "nothing was cleared" in out.message
    assert not any(c.startswith("pm clear") for c in dev.sent)


def test_no_backup_pulls_nothing(tmp_path):
    out, s, dev = run_fix("fix-clear-cache-a9-panel", ClearCache(), tmp_path, backup=False)
    assert out.status == VERIFY_LATER
    assert out.backup_dir is None and not any(c.startswith(("pull", "find")) for c in dev.sent)


# -- the other fixes --------------------------------------------------------------------------------

def test_rom_refusing_the_autostart_op_is_reported_as_such(tmp_path):
    out, s, _ = run_fix("fix-background-miui-a12", by_id("allow-background"), tmp_path)
    assert out.status == PROBLEM_REMAINS and out.exit_code == 1
    verdicts = {v.what: v for v in out.verdicts}
    assert verdicts["RUN_IN_BACKGROUND"].ok is True
    assert verdicts["MIUIOP(10008)"].ok is False and "ROM refused" in verdicts["MIUIOP(10008)"].detail
    assert "ROM refused" in out.message


def fixture_of(answers: list[tuple[str, str]], sdk: int = 28, **device) -> Replayer:
    entries = [Entry(cmd, out.encode()) for cmd, out in answers]
    return Replayer(Fixture({"serial": "T1", "sdk": sdk, **device}, entries))


def test_allow_background_never_sets_an_op_it_cannot_read():
    dev = fixture_of([("getprop ro.build.version.sdk", "25\n"), ("getprop ro.miui.ui.version.name", "\n"),
                      (f"cmd appops get {WMPF} RUN_IN_BACKGROUND", "cmd: Can't find service: appops\n")])
    plan = Session(dev, by_id("allow-background")).prepare()
    assert [s.argv[:2] for s in plan.steps] == [("dumpsys", "deviceidle")]
    assert "cannot read app-op RUN_IN_BACKGROUND" in plan.notes[0]


def test_start_wmpf_has_nothing_to_do_when_running_and_starts_it_when_not(tmp_path):
    running = fixture_of([(f"pm list packages {WMPF}", f"package:{WMPF}\n"), (f"pidof {WMPF}", "5120\n")])
    plan = Session(running, by_id("start-wmpf")).prepare()
    assert plan.nothing_to_do and "5120" in plan.nothing_to_do
    stopped = Replayer(Fixture({"serial": "T2"}, [
        Entry(f"pm list packages {WMPF}", f"package:{WMPF}\n".encode()),
        Entry(f"pidof {WMPF}", b"", exit_code=1),
        Entry(f"am start -n {WMPF}/com.tencent.wmpf.wakeup.WMPFWakeUpInvokeActivity",
              f"Starting: Intent {{ cmp={WMPF}/.wakeup.WMPFWakeUpInvokeActivity }}\n".encode()),
        Entry(f"pidof {WMPF}", b"7001\n")]))  # the same command answered after the start
    s = Session(stopped, by_id("start-wmpf"))
    out = s.execute(s.prepare())
    assert out.status == FIXED and out.verdicts[0].ok and "7001" in out.verdicts[0].detail


def test_an_answer_that_is_no_package_listing_is_not_taken_for_not_installed():
    from devdoctor.fixes.base import PlanError

    dev = Replayer(Fixture({"serial": "T3"}, [Entry(f"pm list packages {WMPF}", b"", b"/system/bin/sh: pm: not found\n",
                                                     exit_code=127)]))
    with pytest.raises(PlanError, match="did not list packages"):
        Session(dev, ClearCache()).prepare()
    empty = fixture_of([(f"pm list packages {WMPF}", "")])
    assert "not installed" in Session(empty, ClearCache()).prepare().nothing_to_do


def test_open_autostart_picks_the_rom_screen():
    dev = fixture_of([("getprop ro.miui.ui.version.name", "V130\n")])
    plan = Session(dev, by_id("open-autostart")).prepare()
    assert plan.steps[0].argv[-1].startswith("com.miui.securitycenter/")
    aosp = fixture_of([(f"getprop {prop}", "\n") for prop in by_id("open-autostart").not_packages])
    assert Session(aosp, by_id("open-autostart")).prepare().nothing_to_do


def test_payment_apps_plan_names_only_installed_ones_and_how_to_enable_them_again():
    listed = {"com.tencent.wxpayface": "package:com.tencent.wxpayface\npackage:com.tencent.wxpayface.iotservice\n"}
    answers = [(f"pm list packages -e {p}", listed.get(p, "")) for p in by_id("disable-payment-apps").targets]
    plan = Session(fixture_of(answers), by_id("disable-payment-apps")).prepare()
    assert [s.command for s in plan.steps] == ["pm disable-user --user 0 com.tencent.wxpayface"]
    assert "adb shell pm enable com.tencent.wxpayface" in " ".join(plan.afterwards)


# -- the guard, the dry run -------------------------------------------------------------------------

class Rogue(Fix):
    id = "rogue"
    targets = frozenset({WMPF})

    def __init__(self, argv):
        self.argv = argv

    def plan(self, session):
        return Plan(steps=[Step(tuple(self.argv), "rogue")])


@pytest.mark.parametrize("argv", [
    ["pm", "clear", "com.example.shop"],
    ["pm", "clear", "com.tencent.wmpf; pm clear com.example.shop"],  # one (quoted) argument, still refused
    ["am", "start", "-n", "com.example.shop/.Main"],
    ["rm", "-rf", "/sdcard/Android/data/com.example.shop"],
    ["dumpsys", "deviceidle", "whitelist", "+com.example.shop"],
])
def test_a_fix_refuses_any_package_but_its_target(argv):
    dev = Spy(fixture_of([]))
    s = Session(dev, Rogue(argv))
    out = s.execute(s.prepare())
    assert out.status == FAILED and "com.example.shop" in out.message and out.steps[0].state == "not-run"
    assert dev.sent == []
    with pytest.raises(TargetViolation, match="com.example.shop"):
        Session(dev, Rogue(argv)).run_step(Step(tuple(argv), "rogue"))
    assert dev.sent == []


def test_every_builtin_fix_names_only_constant_targets():
    for f in all_fixes():
        assert f.targets and all(isinstance(t, str) for t in f.targets), f.id
        assert WMPF in f.targets or f.id in ("open-autostart", "disable-payment-apps")


@pytest.mark.parametrize("name,fix_id", [("fix-clear-cache-a9-panel", "clear-cache"),
                                         ("fix-background-miui-a12", "allow-background")])
def test_dry_run_sends_no_changing_command(tmp_path, name, fix_id):
    s, dev = session_on(name, by_id(fix_id), tmp_path, dry_run=True)
    plan = s.prepare()
    assert plan.steps
    assert not [c for c in dev.sent if any(w in c for w in CHANGING)]
    with pytest.raises(DryRunViolation):  # and a fix cannot change anything in a dry run
        s.run_step(next(st for st in plan.steps if st.changes))
    assert not [c for c in dev.sent if any(w in c for w in CHANGING)]


def test_cli_dry_run_prints_exact_commands_and_exits_0(tmp_path):
    r = cli("fix", "--clear-cache", "--dry-run", "--replay", FIXTURES / "fix-clear-cache-a9-panel.json",
            env={"DEVDOCTOR_HOME": str(tmp_path)})
    assert r.returncode == 0, r.stderr
    assert f"adb -s RK3288DP0522 shell pm clear {WMPF}" in r.stdout
    assert "register again with the same appId, modelId and SN" in r.stdout
    assert "nothing was sent that changes the device" in r.stdout
    assert not (tmp_path / "fix-journal.jsonl").exists()


# -- refusal, exit codes, the journal ---------------------------------------------------------------

def test_cli_refuses_without_terminal_or_yes(tmp_path):
    r = cli("fix", "--clear-cache", "--replay", FIXTURES / "fix-clear-cache-a9-panel.json",
            "--backup-dir", tmp_path / "b", env={"DEVDOCTOR_HOME": str(tmp_path)})
    assert r.returncode == 4
    assert "no terminal to confirm on" in r.stderr and "--yes" in r.stderr
    assert "Traceback" not in r.stderr
    assert not (tmp_path / "fix-journal.jsonl").exists() and not (tmp_path / "b").exists()


def test_cli_usage_errors_exit_2():
    assert cli("fix", "--clear-cache", "--start-wmpf", "--dry-run").returncode == 2
    assert cli("fix", "--start-wmpf", "--no-backup", "--dry-run").returncode == 2
    assert cli("fix", "--history", "--clear-cache").returncode == 2
    assert cli("fix", "--clear-cache", "--replay", "x.json", "--serial", "S").returncode == 2
    r = cli("fix", "--clear-cache", "--replay", "no-such-recording")
    assert r.returncode == 2 and "Traceback" not in r.stderr


def test_cli_help_and_empty_history(tmp_path):
    r = cli("fix", "--help")
    assert r.returncode == 0
    for option in ("--clear-cache", "--dry-run", "--yes", "--no-backup", "--history", "--disable-payment-apps"):
        assert option in r.stdout
    r = cli("fix", "--history", env={"DEVDOCTOR_HOME": str(tmp_path)})
    assert r.returncode == 0 and "No fix has been run from this computer" in r.stdout


@pytest.mark.parametrize("name,code,says", [
    ("fix-clear-cache-a9-panel", 0, "Done, and verified as far as it can be now"),
    ("fix-clear-cache-failed-a8-kiosk", 1, "Not fixed: the device refused `pm clear com.tencent.wmpf`"),
    ("fix-background-miui-a12", 1, "Applied, but the problem remains"),
])
def test_cli_yes_runs_and_journals(tmp_path, name, code, says):
    fix = "--allow-background" if "background" in name else "--clear-cache"
    r = cli("fix", fix, "--yes", "--replay", FIXTURES / f"{name}.json", "--backup-dir", tmp_path / "b",
            env={"DEVDOCTOR_HOME": str(tmp_path)})
    assert r.returncode == code, r.stdout + r.stderr
    assert says in r.stdout
    entries = journal.read(tmp_path / "fix-journal.jsonl").entries
    assert len(entries) == 1 and entries[0]["fix"] == fix[2:]
    assert all(c["command"] in r.stdout for c in entries[0]["commands"])
    h = cli("fix", "--history", env={"DEVDOCTOR_HOME": str(tmp_path)})
    assert h.returncode == 0 and entries[0]["serial"] in h.stdout and fix in h.stdout


def test_cli_device_lost_says_what_was_not_done(tmp_path):
    r = cli("fix", "--clear-cache", "--yes", "--replay", DATA / "fix-clear-cache-unplugged-a10.json",
            "--backup-dir", tmp_path / "b", env={"DEVDOCTOR_HOME": str(tmp_path)})
    assert r.returncode == 3
    assert f"Never sent (not done): `pm clear {WMPF}`" in r.stdout
    assert "nothing was changed on the device" in r.stdout
    assert "The saved logs are kept in" in r.stdout


def test_journal_reads_back_skips_damaged_lines_and_filters_by_serial(tmp_path):
    path = tmp_path / "j.jsonl"
    out, _, _ = run_fix("fix-clear-cache-a9-panel", ClearCache(), tmp_path)
    journal.append(out, "SG-DP8", path)
    with open(path, "a") as f:
        f.write("{not json\n" + json.dumps({"schema": "other"}) + "\n")
    h = journal.read(path)
    assert h.damaged == 2 and len(h.entries) == 1
    e = h.entries[0]
    assert e["status"] == VERIFY_LATER and e["serial"] == "RK3288DP0522" and e["model"] == "SG-DP8"
    assert [c["state"] for c in e["commands"]] == ["done", "done", "done"]
    assert e["commands"][1] == {"command": f"pm clear {WMPF}", "state": "done", "output": ["Success"],
                                "exit_code": 0, "problem": ""}
    assert journal.read(path, serial="OTHER").entries == []
    assert journal.read(tmp_path / "missing.jsonl").entries == []


# -- judging answers --------------------------------------------------------------------------------

def answer(stdout="", stderr="", code=0):
    return CommandResult("x", stdout, stderr, code)


def test_pm_clear_answers():
    assert pm_clear_said_success(answer("Success\n")) is None
    assert pm_clear_said_success(answer("Success\r\n", code=None)) is None  # old shell, CRLF, no status
    assert "Failed" in pm_clear_said_success(answer(stderr="Failed\n", code=1))
    assert "did not answer" in pm_clear_said_success(answer(stderr="java.lang.SecurityException: PERMISSION\n"))


def test_am_start_answers():
    assert am_start_started(answer(f"Starting: Intent {{ cmp={WMPF}/.X }}\n")) is None
    bad = answer(f"Starting: Intent {{ cmp={WMPF}/.X }}\n",
                 f"Error type 3\nError: Activity class {{{WMPF}/{WMPF}.X}} does not exist.\n")
    assert "does not exist" in am_start_started(bad)


def test_remedy_fix_values_name_fixes():
    assert isinstance(by_id("--clear-cache"), ClearCache) and by_id("clear-cache").option == "--clear-cache"
    assert by_id("--no-such") is None


def test_fix_without_option_on_a_device_lists_the_fixes_its_failing_checks_name(monkeypatch, capsys):
    from devdoctor.core import plugins
    from devdoctor.check import Check
    from devdoctor.commands import fix as fix_command
    from devdoctor.result import CheckResult, Remedy

    class Cached(Check):
        id, title = "wmpf-log", "WMPF log"

        def run(self, ctx):
            return CheckResult.fail("DEVICE_CHANGED in WMPF's log", remedy=Remedy("clear it", fix="--clear-cache"))

    monkeypatch.setattr(plugins, "load", lambda *a, **k: plugins.Catalog([Cached()], []))
    fix_command._offered(Replayer.from_file(FIXTURES / "healthy-a9-panel.json"))
    assert "devdoctor fix --clear-cache   repairs wmpf-log: DEVICE_CHANGED in WMPF's log" in capsys.readouterr().out


@pytest.mark.skipif(not hasattr(__import__("os"), "openpty"), reason="needs a pseudo-terminal (POSIX)")
@pytest.mark.parametrize("reply,code", [("n", 4), ("y", 0)])
def test_on_a_terminal_it_asks_first(tmp_path, reply, code):
    import os
    import subprocess
    import sys

    master, slave = os.openpty()
    os.write(master, (reply + "\n").encode())
    env = dict(os.environ, NO_COLOR="1", DEVDOCTOR_HOME=str(tmp_path))
    r = subprocess.run([sys.executable, "-m", "devdoctor", "fix", "--clear-cache", "--replay",
                        str(FIXTURES / "fix-clear-cache-a9-panel.json"), "--backup-dir", str(tmp_path / "b")],
                       stdin=slave, capture_output=True, text=True, env=env, timeout=60)
    os.close(master), os.close(slave)
    assert "Run these commands on RK3288DP0522?" in r.stdout
    assert r.returncode == code, r.stdout + r.stderr
    assert (tmp_path / "fix-journal.jsonl").exists() == (reply == "y")


def test_problem_remains_when_the_check_naming_the_fix_still_fails_not_for_unrelated_warnings(tmp_path):
    from devdoctor.check import Check
    from devdoctor.result import CheckResult, Remedy

    class StillCached(Check):  # a new DEVICE_CHANGED line after the clear: WMPF was activated with the same info
        id, title = "wmpf-log", "WMPF log"
        lines = 0

        def run(self, ctx):
            StillCached.lines += 1
            return CheckResult.fail("DEVICE_CHANGED", remedy=Remedy("clear", fix="--clear-cache"),
                                    details={"signatures": {"device-changed": StillCached.lines}})

    class OldVersion(Check):
        id, title = "wmpf-version", "WMPF version"

        def run(self, ctx):
            return CheckResult.warn("older than recommended", remedy=Remedy("upgrade"))

    s, _ = session_on("fix-clear-cache-a9-panel", ClearCache(), tmp_path)
    out = s.execute(s.prepare(), [OldVersion()])
    assert out.status == FIXED, out.message
    s, _ = session_on("fix-clear-cache-a9-panel", ClearCache(), tmp_path)
    out = s.execute(s.prepare(), [StillCached(), OldVersion()])
    assert out.status == PROBLEM_REMAINS and "WMPF log: DEVICE_CHANGED" in out.message
    assert "older than recommended" not in out.message


def test_a_log_that_still_holds_only_the_old_error_is_verified_later_not_fixed(tmp_path):
    from devdoctor.check import Check
    from devdoctor.result import CheckResult, Remedy

    class OldLines(Check):
        id, title = "wmpf-log", "WMPF log"

        def run(self, ctx):
            return CheckResult.fail("DEVICE_CHANGED ×2", remedy=Remedy("clear", fix="--clear-cache"),
                                    details={"signatures": {"device-changed": 2}})

    s, _ = session_on("fix-clear-cache-a9-panel", ClearCache(), tmp_path)
    out = s.execute(s.prepare(), [OldLines()])
    assert out.status == VERIFY_LATER and out.exit_code == 0
    assert "the 2 error line(s) written before the clear" in out.message


def test_start_wmpf_shows_one_pid_read_once_in_the_verdict_and_the_before_after(tmp_path):
    """WMPF was not running: the fix starts it; "WMPF is running" and wmpf-alive after it are the same
    reading (one pid), and that check now passes."""
    fx = load(FIXTURES / "healthy-a9-panel.json")
    ps = next(e for e in fx.entries if e.command == "ps -A")
    no_wmpf = b"\n".join(ln for ln in ps.stdout.split(b"\n") if b"com.tencent.wmpf" not in ln)
    first = [Entry("pidof com.tencent.wmpf", b"", exit_code=1), Entry("ps -A", no_wmpf)]
    dev = Spy(Replayer(Fixture(fx.device, first + fx.entries, fx.files)))
    s = Session(dev, by_id("start-wmpf"), backup_root=tmp_path)
    out = s.execute(s.prepare(), checks_for(s.fix, load_checks().checks))
    [alive] = out.compared
    assert alive.check_id == "wmpf-alive" and alive.verdict == NOW_PASSES and out.status == FIXED
    [running] = out.verdicts
    assert running.ok and running.detail == f"pid {alive.after.details['pid']}"
    assert f"pid {alive.after.details['pid']}" in alive.after.summary
    assert [c for c in dev.sent if c.startswith("pidof")] == ["pidof com.tencent.wmpf"]  # the plan's, not a second


def test_disable_payment_apps_disables_reads_back_and_says_how_to_undo():
    pay = "com.tencent.wxpayface"
    entries = [Entry(f"pm list packages -e {p}", b"") for p in by_id("disable-payment-apps").targets if p != pay]
    entries += [Entry(f"pm list packages -e {pay}", f"package:{pay}\n".encode()),
                Entry(f"pm disable-user --user 0 {pay}", f"Package {pay} new state: disabled-user\n".encode()),
                Entry(f"pm list packages -e {pay}", b"")]  # after: no longer among the enabled
    dev = Spy(Replayer(Fixture({"serial": "T5"}, entries)))
    s = Session(dev, by_id("disable-payment-apps"))
    out = s.execute(s.prepare())
    assert out.status == FIXED and out.verdicts[0].ok
    assert f"adb shell pm enable {pay}" in out.verdicts[0].detail
    assert [c for c in dev.sent if "disable" in c] == [f"pm disable-user --user 0 {pay}"]


def test_pidof_answers():
    from devdoctor.fixes.clear_cache import pids

    assert pids(answer("6112 6140\n")) == [6112, 6140]
    assert pids(answer("", code=1)) == []
    assert pids(answer("/system/bin/sh: pidof: inaccessible or not found\n", code=127)) == []


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=200, deadline=None)
@given(st.text(), st.text(), st.one_of(st.none(), st.integers(-1, 255)))
def test_reading_answers_never_raises_on_hostile_output(stdout, stderr, code):
    from devdoctor.fixes.background import OPS, op_mode, said_nothing_wrong, whitelist_added
    from devdoctor.fixes.clear_cache import pids
    from devdoctor.fixes.base import PlanError, package_listed

    r = answer(stdout, stderr, code)
    for judge in (pm_clear_said_success, am_start_started, said_nothing_wrong, whitelist_added):
        assert judge(r) is None or isinstance(judge(r), str)
    assert all(op_mode(r, op) is None or isinstance(op_mode(r, op), str) for op in OPS)
    assert all(isinstance(p, int) for p in pids(r))
    try:
        assert isinstance(package_listed(r, WMPF), bool)
    except PlanError:
        pass
