"""Runs devdoctor commands in one process, as a technician would type them, and prints what each wrote.

Used by tests/test_zh_everywhere.py: devdoctor chooses its language once, when devdoctor.cli is first
imported (so that --help is translated), so the Chinese run needs a process of its own; in it, every
command runs in-process through typer's CliRunner, which takes seconds where a process per command
would take a minute. Input (stdin): JSON [[label, argv], ...]; output (stdout): JSON
{label: [exit code, stdout and stderr as shown]}. Three labels are not commands: `fleet-table`
renders the report of several replayed devices, `tamper-page` makes a support page's field run
differ from today's replay, `seed-history` writes two runs of one device into $DEVDOCTOR_HISTORY so
that `history` has something to compare.
"""
from __future__ import annotations

import copy
import io
import json
import re
import sys
import traceback
from pathlib import Path

from rich.console import Console
from typer.testing import CliRunner

from devdoctor.cli import app

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _reports(names: list[str]):
    from devdoctor.check import Settings
    from devdoctor.core.diagnose import diagnose_all, replay_target, select_checks
    from devdoctor.core.plugins import load

    targets = [replay_target(FIXTURES / f"{n}.json") for n in names]
    return diagnose_all(targets, select_checks(load(), [], []), Settings(), timeout=10)


def fleet_table(names: list[str]) -> str:
    from devdoctor.report import terminal

    console = Console(file=io.StringIO(), width=200, color_system=None)
    terminal.render(console, _reports(names))
    return console.file.getvalue()


def seed_history(names: list[str]) -> str:
    """Two runs of one device: the second with its first passing check failing, so they differ."""
    import os

    from devdoctor.fleet import history
    from devdoctor.result import Status

    db = Path(os.environ["DEVDOCTOR_HISTORY"])
    first = _reports(names[:1])
    second = copy.deepcopy(first)
    changed = next(r for r in second[0].results if r.status == Status.PASS)
    changed.status = Status.FAIL
    history.save(db, first, 0)
    history.save(db, second, 1)
    return first[0].identity.serial


def main() -> None:
    jobs = json.load(sys.stdin)
    runner = CliRunner()
    out: dict[str, list] = {}
    for label, argv in jobs:
        if label == "fleet-table":
            out[label] = [0, fleet_table(argv)]
            continue
        if label == "tamper-page":  # as if the field run had found WMPF missing: today's replay differs
            page = Path(argv[0])
            page.write_text(re.sub(r'("id": "wmpf-installed", "title": "[^"]*", "status": )"pass"', r'\1"fail"',
                                   page.read_text(encoding="utf-8")), encoding="utf-8")
            out[label] = [0, "-"]
            continue
        if label == "seed-history":
            out[label] = [0, seed_history(argv)]
            continue
        r = runner.invoke(app, argv)
        text = r.output
        if r.exception is not None and not isinstance(r.exception, SystemExit):
            text += "".join(traceback.format_exception(type(r.exception), r.exception, r.exception.__traceback__))
        out[label] = [r.exit_code, text]
    json.dump(out, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
