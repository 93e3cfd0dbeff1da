"""The history: one transaction a run in SQLite (a crash or a full disk never loses earlier runs),
where it lives, and `devdoctor history` listing runs and what changed on a device."""
import json
import sqlite3
import subprocess
import sys
import textwrap
from datetime import datetime, timezone
from pathlib import Path

import pytest

from conftest import ROOT, cli, replay_report
from devdoctor.fleet import history
from devdoctor.fleet.changes import between
from devdoctor.result import CheckResult, Status
from devdoctor.core.runner import DeviceReport, Identity


def report(name: str, **statuses: str) -> DeviceReport:
    r = DeviceReport(Identity(name, model="KS-15"))
    r.results = [CheckResult(Status(s), f"{check} is {s}", id=check, title=check.title()) for check, s in statuses.items()]
    return r


def test_where_the_history_lives_on_each_platform():
    assert history.default_path({"XDG_DATA_HOME": "/x"}, "linux") == Path("/x/devdoctor/history.sqlite")
    assert history.default_path({}, "linux") == Path.home() / ".local/share/devdoctor/history.sqlite"
    assert history.default_path({}, "darwin") == Path.home() / "Library/Application Support/devdoctor/history.sqlite"
    assert history.default_path({"LOCALAPPDATA": r"C:\Users\a\AppData\Local"}, "win32") == \
        Path(r"C:\Users\a\AppData\Local") / "devdoctor" / "history.sqlite"
    assert history.default_path({"DEVDOCTOR_HISTORY": "/y/h.sqlite"}, "linux") == Path("/y/h.sqlite")


def test_changes_between_two_runs(tmp_path):
    db = tmp_path / "h.sqlite"
    history.save(db, [report("10.0.0.5:5037/A1", camera="fail", network="pass", autostart="fail", wmpf_log="fail"),
                      report("10.0.0.5:5037/B2", camera="pass")], 1)
    history.save(db, [report("10.0.0.5:5037/B2", camera="fail")], 1)  # a run without A1
    history.save(db, [report("10.0.0.5:5037/A1", camera="pass", network="fail", autostart="fail", wmpf_log="unknown")], 1)
    changes = between(db, "10.0.0.5:5037/A1")
    assert (changes.from_run, changes.to_run) == (1, 3)  # A1's own two latest runs
    assert [c.check for c in changes.newly_failing] == ["network"]
    assert [c.check for c in changes.fixed] == ["camera"]
    assert [c.check for c in changes.still_failing] == ["autostart"]
    assert [(c.check, c.before, c.after) for c in changes.other] == [("wmpf_log", "fail", "unknown")]  # not "fixed"
    assert between(db, "10.0.0.5:5037/A1", 1, 2) is None  # run 2 did not diagnose A1
    assert [r.id for r in history.runs(db, "10.0.0.5:5037/B2")] == [2, 1]


def test_runs_older_than_the_days_kept_leave_the_history_as_a_new_run_is_kept(tmp_path):
    db = tmp_path / "h.sqlite"
    for started in ("2020-01-01T10:00:00Z", "2026-01-01T10:00:00Z"):
        run_id = history.save(db, [report("A1", camera="fail"), report("B2", camera="pass")], 1)
        with sqlite3.connect(db) as conn:  # as if it had been kept that day
            conn.execute("UPDATE runs SET started_at = ? WHERE id = ?", (started, run_id))
    history.save(db, [report("A1", camera="pass")], 0)  # keep_days 0: nothing dropped
    assert [r.id for r in history.runs(db)] == [3, 2, 1]
    days = (datetime.now(timezone.utc) - datetime(2025, 12, 1, tzinfo=timezone.utc)).days
    history.save(db, [report("A1", camera="pass")], 0, keep_days=days)  # 2026-01-01 is within, 2020 is not
    assert [r.id for r in history.runs(db)] == [4, 3, 2]
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM devices WHERE run_id = 1").fetchone()[0] == 0
        assert conn.execute("SELECT COUNT(*) FROM results WHERE run_id = 1").fetchone()[0] == 0
        assert conn.execute("SELECT COUNT(*) FROM results WHERE run_id = 2").fetchone()[0] == 2
    assert history.run_ids(db, "B2") == [2]


def test_a_crash_in_the_middle_of_a_run_loses_that_run_only(tmp_path):
    db = tmp_path / "h.sqlite"
    history.save(db, [report("A1", camera="pass")], 0)
    crash = textwrap.dedent(f"""
        import os, sys
        sys.path.insert(0, {str(ROOT / "tests")!r})
        from test_fleet_history import report
        from devdoctor.fleet import history
        insert = history.insert_device
        def insert_then_die(conn, run_id, r):
            insert(conn, run_id, r)
            if r.identity.serial == "B2":
                os._exit(9)  # the process dies with the transaction open, half the run written
        history.insert_device = insert_then_die
        history.save(history.Path({str(db)!r}), [report("A1", camera="fail"), report("B2", camera="fail"),
                                                 report("C3", camera="fail")], 1)
    """)
    r = subprocess.run([sys.executable, "-c", crash], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 9, r.stderr
    runs = history.runs(db)
    assert [(x.id, [d.device for d in x.devices]) for x in runs] == [(1, ["A1"])]
    assert history.verdicts(db, 1, "A1")["camera"].status == "pass"
    history.save(db, [report("A1", camera="warn")], 0)  # and the history goes on
    assert len(history.runs(db)) == 2


def test_a_full_disk_loses_that_run_only(tmp_path, monkeypatch):
    db = tmp_path / "h.sqlite"
    history.save(db, [report("A1", camera="pass")], 0)
    connect = history.connect

    def full(path):  # SQLite's own "database or disk is full": no page may be added
        conn = connect(path)
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages}")
        return conn

    monkeypatch.setattr(history, "connect", full)
    big = report("A1", **{f"check{i}": "fail" for i in range(500)})
    with pytest.raises(sqlite3.OperationalError, match="full"):
        history.save(db, [big], 1)
    monkeypatch.setattr(history, "connect", connect)
    assert [x.id for x in history.runs(db)] == [1]
    assert history.verdicts(db, 1, "A1")["camera"].status == "pass"


def test_the_history_command_on_a_missing_empty_or_foreign_file(tmp_path):
    missing = tmp_path / "none.sqlite"
    r = cli("history", "--history", missing)
    assert r.returncode == 0 and "No run kept yet" in r.stdout and not missing.exists()  # reading creates nothing
    assert json.loads(cli("history", "--json", "--history", missing).stdout)["runs"] == []
    foreign = tmp_path / "notes.sqlite"
    foreign.write_text("not a database\n" * 100)
    r = cli("history", "--history", foreign)
    assert r.returncode == 2 and "cannot read the history" in r.stderr and "Traceback" not in r.stderr


def test_the_history_command_lists_runs_and_a_device_changes(tmp_path):
    db = tmp_path / "h.sqlite"
    kiosk = replay_report("wmpf-1.1.3-a8-kiosk")
    kiosk.identity.serial = "10.0.0.5:5037/RK3399KSK2201"
    history.save(db, [kiosk, report("10.0.0.6:5037/RK3399KSK2201", camera="pass")], 1)
    healthy = replay_report("healthy-a9-panel")
    healthy.identity.serial = "10.0.0.5:5037/RK3399KSK2201"  # the same kiosk, its WMPF upgraded
    history.save(db, [healthy], 0)
    listing = cli("history", "--history", db)
    assert listing.returncode == 0 and "10.0.0.5:5037/RK3399KSK2201" in listing.stdout
    r = cli("history", "10.0.0.5:5037/RK3399KSK2201", "--history", db)
    assert r.returncode == 0 and "Changes from run 1 to run 2" in r.stdout and "Fixed:" in r.stdout
    doc = json.loads(cli("history", "10.0.0.5:5037/RK3399KSK2201", "--json", "--history", db).stdout)
    assert doc["schema"] == "devdoctor-history/1" and len(doc["runs"]) == 2
    assert "wmpf-version-match" in [c["check"] for c in doc["changes"]["fixed"]]
    # a plain serial diagnosed on two servers must be named with its server
    r = cli("history", "RK3399KSK2201", "--history", db)
    assert r.returncode == 2 and "10.0.0.6:5037/RK3399KSK2201" in r.stderr
    r = cli("history", "ZZ9", "--history", db)
    assert r.returncode == 2 and "no run of ZZ9" in r.stderr


def test_the_watch_keeps_each_diagnosis_and_drops_runs_past_the_days_kept(tmp_path):
    from devdoctor.fleet.outputs import WatchKeeper

    db = tmp_path / "h.sqlite"
    history.save(db, [report("A1", camera="fail")], 1)
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE runs SET started_at = '2020-01-01T00:00:00Z'")
    WatchKeeper(db, keep_days=30).kept(report("A1", camera="pass"), 0)
    assert [(r.id, r.command) for r in history.runs(db)] == [(2, "watch")]
