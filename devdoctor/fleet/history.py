"""Every diagnosis of a live device kept in an SQLite database (the standard library's sqlite3), so
`devdoctor history` can list the runs and say what changed on a device between two of them.

Where: --history FILE, else $DEVDOCTOR_HISTORY, else the user's data folder (Linux
$XDG_DATA_HOME/devdoctor/, macOS ~/Library/Application Support/devdoctor/, Windows
%LOCALAPPDATA%\\devdoctor\\), file history.sqlite.

One transaction a run: a crash or a full disk loses at most the run being written, never an earlier
one (SQLite's rollback journal). A history that cannot be written never stops a diagnosis: the caller
warns and goes on (devdoctor.fleet.outputs).
"""
from __future__ import annotations

import os
import sqlite3
import sys
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Sequence

from devdoctor import __version__
from devdoctor.ui.i18n import _
from devdoctor.result import Status
from devdoctor.report.model import DeviceReport

FILE_NAME = "history.sqlite"
SCHEMA_VERSION = 1
STATUSES = [s.value for s in Status]

_TABLES = """
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY, started_at TEXT NOT NULL, command TEXT NOT NULL, exit_code INTEGER,
    devdoctor_version TEXT);
CREATE TABLE IF NOT EXISTS devices (
    run_id INTEGER NOT NULL REFERENCES runs(id), device TEXT NOT NULL, model TEXT, error_kind TEXT, error TEXT,
    duration REAL, n_pass INTEGER, n_warn INTEGER, n_fail INTEGER, n_unknown INTEGER, n_skipped INTEGER,
    PRIMARY KEY (run_id, device));
CREATE INDEX IF NOT EXISTS devices_by_name ON devices(device, run_id);
CREATE TABLE IF NOT EXISTS results (
    run_id INTEGER NOT NULL, device TEXT NOT NULL, check_id TEXT NOT NULL, title TEXT, status TEXT NOT NULL,
    summary TEXT, PRIMARY KEY (run_id, device, check_id));
"""


class HistoryError(Exception):
    """A history file that cannot be read; the message names it."""


@dataclass
class DeviceRun:
    device: str
    model: str
    counts: dict[str, int]
    error: dict[str, str] | None = None  # {"kind", "message"} when it could not be reached


@dataclass
class Run:
    id: int
    started_at: str
    command: str
    exit_code: int | None
    devdoctor_version: str
    devices: list[DeviceRun] = field(default_factory=list)


@dataclass
class Verdict:
    check: str
    title: str
    status: str
    summary: str


def default_path(environ: dict[str, str] | None = None, platform: str = sys.platform) -> Path:
    """$DEVDOCTOR_HISTORY, else history.sqlite in the user's data folder of this platform."""
    env = os.environ if environ is None else environ
    if env.get("DEVDOCTOR_HISTORY"):
        return Path(env["DEVDOCTOR_HISTORY"])
    if platform.startswith("win"):
        folder = Path(env.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local") / "devdoctor"
    elif platform == "darwin":
        folder = Path.home() / "Library" / "Application Support" / "devdoctor"
    else:
        folder = Path(env.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "devdoctor"
    return folder / FILE_NAME


def connect(path: Path) -> sqlite3.Connection:
    # isolation_level=None: transactions are begun and ended here, explicitly, one a run.
    return sqlite3.connect(str(path), timeout=5.0, isolation_level=None)


def save(path: Path, reports: Sequence[DeviceReport], exit_code: int | None, command: str = "run",
         keep_days: int = 0) -> int:
    """Keep one run (every device's verdicts) in one transaction; returns its id. Runs older than
    `keep_days` days are dropped in the same transaction (0: every run is kept). Raises sqlite3.Error
    or OSError when it cannot: nothing of this run is kept then, and earlier runs are untouched."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = connect(path)
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise sqlite3.DatabaseError(_("{file} was written by a newer devdoctor").format(file=path))
            if version < SCHEMA_VERSION:
                for statement in _TABLES.split(";"):
                    if statement.strip():
                        conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            run_id = conn.execute(
                "INSERT INTO runs (started_at, command, exit_code, devdoctor_version) VALUES (?, ?, ?, ?)",
                (now_iso(), command, exit_code, __version__)).lastrowid
            for report in reports:
                insert_device(conn, run_id, report)
            if keep_days > 0:
                drop_runs_before(conn, iso(datetime.now(timezone.utc) - timedelta(days=keep_days)))
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        return int(run_id)
    finally:
        conn.close()


def insert_device(conn: sqlite3.Connection, run_id: int, r: DeviceReport) -> None:
    c = r.counts()
    conn.execute("INSERT OR REPLACE INTO devices VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                 (run_id, r.identity.serial, r.identity.model, r.error_kind, r.error, round(r.duration, 3),
                  *(c[s] for s in STATUSES)))
    conn.executemany("INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?, ?, ?)",
                     [(run_id, r.identity.serial, v.id, v.title, v.status.value, v.summary) for v in r.results])


def drop_runs_before(conn: sqlite3.Connection, started_before: str) -> None:
    """Forget the runs started before this time (ISO, UTC), their devices and verdicts: a gateway that
    diagnoses 48 devices every 10 minutes adds about 5 GB a year (105 kB a run, measured). SQLite
    reuses the pages freed."""
    old = "SELECT id FROM runs WHERE started_at < ?"
    conn.execute(f"DELETE FROM results WHERE run_id IN ({old})", (started_before,))
    conn.execute(f"DELETE FROM devices WHERE run_id IN ({old})", (started_before,))
    conn.execute("DELETE FROM runs WHERE started_at < ?", (started_before,))


def now_iso() -> str:
    return iso(datetime.now(timezone.utc))


def iso(when: datetime) -> str:
    """A UTC time as the history writes it (2024-05-01T10:00:00Z): ordered as text is ordered."""
    return when.isoformat(timespec="seconds").replace("+00:00", "Z")


def _read(path: Path, query: str, args: tuple = ()) -> list[tuple]:
    """Rows of a query; [] when there is no history yet; HistoryError for a file that is not one."""
    if not path.is_file():
        return []
    try:
        conn = connect(path)
        try:
            if conn.execute("PRAGMA user_version").fetchone()[0] == 0:
                return []  # an empty database: nothing kept yet
            return conn.execute(query, args).fetchall()
        finally:
            conn.close()
    except sqlite3.Error as e:
        raise HistoryError(_("cannot read the history {file}: {error}").format(file=path, error=e)) from None


def runs(path: Path, device: str | None = None, limit: int = 20) -> list[Run]:
    """The latest runs, newest first (only those that diagnosed `device`, when given)."""
    where, args = ("WHERE id IN (SELECT run_id FROM devices WHERE device = ?)", (device,)) if device else ("", ())
    rows = _read(path, f"SELECT id, started_at, command, exit_code, devdoctor_version FROM runs {where} "
                       f"ORDER BY id DESC LIMIT ?", (*args, limit))
    found = {row[0]: Run(*row) for row in rows}
    if not found:
        return []
    marks = ",".join("?" * len(found))
    only = " AND device = ?" if device else ""
    for row in _read(path, f"SELECT run_id, device, model, error_kind, error, n_pass, n_warn, n_fail, n_unknown, "
                           f"n_skipped FROM devices WHERE run_id IN ({marks}){only} ORDER BY rowid",
                     (*found, *args)):
        error = {"kind": row[3] or "unreachable", "message": row[4]} if row[4] else None
        found[row[0]].devices.append(DeviceRun(row[1], row[2] or "", dict(zip(STATUSES, row[5:10])), error))
    return list(found.values())


def devices(path: Path) -> list[str]:
    """Every device name in the history, most recently diagnosed first."""
    return [r[0] for r in _read(path, "SELECT device FROM devices GROUP BY device ORDER BY MAX(run_id) DESC")]


def verdicts(path: Path, run_id: int, device: str) -> dict[str, Verdict]:
    rows = _read(path, "SELECT check_id, title, status, summary FROM results WHERE run_id = ? AND device = ? "
                       "ORDER BY rowid", (run_id, device))
    return {r[0]: Verdict(r[0], r[1] or r[0], r[2], r[3] or "") for r in rows}


def run_ids(path: Path, device: str) -> list[int]:
    """The ids of the runs that diagnosed `device`, newest first."""
    return [r[0] for r in _read(path, "SELECT run_id FROM devices WHERE device = ? ORDER BY run_id DESC", (device,))]
