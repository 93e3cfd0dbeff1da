"""Shared test helpers: run checks on a bundled fixture, find ../shared, run the CLI."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"
DATA = Path(__file__).resolve().parent / "data"
IN_CI = os.environ.get("CI", "").lower() == "true"
# Tests read English unless they ask for Chinese (--lang zh): the machine's locale must not decide.
os.environ.setdefault("DEVDOCTOR_LANG", "en")


SHARED = Path(os.environ.get("DEVDOCTOR_SHARED", ROOT.parent / "shared"))  # where ../shared is (it may move)


def shared_dir() -> Path:
    """../shared (the captures and bugreports). Absent outside the project's machines: skip,
    but in CI a missing tool or input is a failure, never a silent skip."""
    d = SHARED
    if not d.is_dir():
        if IN_CI:
            pytest.fail(f"{d} is missing in CI: the real captures must be there")
        pytest.skip(f"{d} not found: the tests on real captures need ../shared beside the checkout")
    return d


def replay_report(name: str, only: list[str] | None = None, **settings):
    """Run the built-in checks on fixtures/NAME.json (or tests/data/NAME.json)."""
    from devdoctor.check import Settings
    from devdoctor.core.diagnose import Target, diagnose, replay_target, select_checks
    from devdoctor.core.plugins import load

    path = FIXTURES / f"{name}.json"
    if not path.exists():
        path = DATA / f"{name}.json"
    checks = select_checks(load(), only or [], [])
    target: Target = replay_target(path)
    return diagnose(target, checks, Settings(**settings), timeout=10.0)


def result_of(report, check_id: str):
    return next(r for r in report.results if r.id == check_id)


def cli(*args: str, env: dict | None = None, timeout: float = 60, input: str | None = None):
    """Run `python -m devdoctor ARGS` as a user would; returns the CompletedProcess."""
    e = dict(os.environ, NO_COLOR="1")
    e.update(env or {})
    return subprocess.run([sys.executable, "-m", "devdoctor", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout, env=e, input=input, stdin=None if input is not None else subprocess.DEVNULL)


@pytest.fixture(autouse=True, scope="session")
def history_apart(tmp_path_factory):
    """Live runs keep a history in the user's data folder: the tests keep theirs in a folder of their own."""
    os.environ.setdefault("DEVDOCTOR_HISTORY", str(tmp_path_factory.mktemp("history") / "history.sqlite"))


@pytest.fixture(scope="module")
def adb_server(tmp_path_factory):
    """A private adb server on a free port, one per end-to-end test module (a technician's adb is never touched)."""
    from e2e_support import PrivateAdbServer, require_adb

    server = PrivateAdbServer(require_adb(), tmp_path_factory.mktemp("adb-home"))
    server.start()
    yield server
    server.stop()
