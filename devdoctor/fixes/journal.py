"""A local journal of every fix that ran: device, time, commands, outcome (`devdoctor fix --history`).

One JSON object a line in `fix-journal.jsonl` under devdoctor's data folder ($DEVDOCTOR_HOME, else the
platform's per-user data folder), so a later technician can see what was done to a device.
"""
from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from devdoctor.fixes.session import FixOutcome

SCHEMA = "devdoctor-fix-journal/1"


def data_dir() -> Path:
    if os.environ.get("DEVDOCTOR_HOME"):
        return Path(os.environ["DEVDOCTOR_HOME"])
    home = Path.home()
    if sys.platform == "win32":
        return Path(os.environ.get("LOCALAPPDATA") or home / "AppData" / "Local") / "devdoctor"
    if sys.platform == "darwin":
        return home / "Library" / "Application Support" / "devdoctor"
    return Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share") / "devdoctor"


def journal_path() -> Path:
    return data_dir() / "fix-journal.jsonl"


def _iso(t: float | None) -> str | None:
    return None if t is None else datetime.fromtimestamp(t, timezone.utc).isoformat(timespec="seconds")


def entry(outcome: FixOutcome, model: str = "") -> dict[str, Any]:
    return {
        "schema": SCHEMA, "fix": outcome.fix_id, "serial": outcome.serial, "model": model,
        "started": _iso(outcome.started), "finished": _iso(outcome.finished),
        "status": outcome.status, "message": outcome.message,
        "commands": [{"command": s.command, "state": s.state, "output": s.output[:5], "exit_code": s.exit_code,
                      "problem": s.problem} for s in outcome.steps],
        "verified": [{"what": v.what, "ok": v.ok, "detail": v.detail} for v in outcome.verdicts],
        "backup": str(outcome.backup_dir) if outcome.backup_dir else None,
        "backed_up": len(outcome.backed_up), "not_backed_up": outcome.not_backed_up,
    }


def append(outcome: FixOutcome, model: str = "", path: Path | None = None) -> Path:
    path = path or journal_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as f:
        f.write(json.dumps(entry(outcome, model), ensure_ascii=False) + "\n")
    return path


@dataclass
class History:
    entries: list[dict[str, Any]]
    damaged: int  # lines that were not journal entries (a crash mid-write, an edit)


def read(path: Path | None = None, serial: str | None = None) -> History:
    path = path or journal_path()
    entries, damaged = [], 0
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except FileNotFoundError:
        return History([], 0)
    for line in lines:
        if not line.strip():
            continue
        try:
            doc = json.loads(line)
        except (ValueError, RecursionError):  # damaged, or numbers and nesting past what Python reads
            damaged += 1
            continue
        if not isinstance(doc, dict) or doc.get("schema") != SCHEMA:
            damaged += 1
            continue
        if serial is None or doc.get("serial") == serial:
            entries.append(doc)
    return History(entries, damaged)
