"""Several devices at once: one report each, then a fleet table with the worst device first."""
import json

from rich.console import Console

from conftest import FIXTURES
from devdoctor.check import Settings
from devdoctor.core.diagnose import diagnose_all, exit_code, replay_target, select_checks
from devdoctor.core.plugins import load
from devdoctor.report import json_report, terminal

NAMES = ["healthy-a9-panel", "a7.0-board", "wmpf-1.1.3-a8-kiosk"]


def fleet():
    targets = [replay_target(FIXTURES / f"{n}.json") for n in NAMES]
    heard = []
    reports = diagnose_all(targets, select_checks(load(), ["android-version", "wmpf-installed"], []),
                           Settings(), timeout=10, on_report=heard.append)
    return reports, heard


def test_reports_keep_the_device_order_and_every_device_is_heard_of():
    reports, heard = fleet()
    assert [r.identity.source_name for r in reports] == [f"{n}.json" for n in NAMES]
    assert sorted(r.identity.serial for r in heard) == sorted(r.identity.serial for r in reports)
    assert exit_code(reports) == 1  # the worst device's: the Android 7.0 board fails


def test_terminal_fleet_table_puts_the_failing_device_first():
    reports, _ = fleet()
    console = Console(record=True, width=200, color_system=None)
    terminal.render(console, reports)
    table = console.export_text().split("3 devices", 1)[1].strip().splitlines()
    rows = [ln for ln in table[1:] if ln.strip()]
    board = next(r for r in reports if r.identity.source_name == "a7.0-board.json").identity.serial
    assert rows[0].startswith(board) and "Android version" in rows[0]
    assert "no problems" in rows[-1]


def test_json_fleet_rows_name_the_worst_problem():
    reports, _ = fleet()
    doc = json.loads(json_report.render(reports, exit_code(reports)))
    worst = {row["serial"]: row["worst"] for row in doc["fleet"]}
    statuses = sorted((w or {}).get("status", "none") for w in worst.values())
    assert statuses == ["fail", "none", "warn"]
    assert len(doc["devices"]) == 3
