"""Load: simulated devices behind one adb server, `run --all` again and again: every run complete,
no sockets or threads left behind, memory flat. The suite runs 16 devices 8 times; `python bench/load.py`
runs the long version (32 devices, 20 times, about four minutes on 2 CPUs)."""
from __future__ import annotations

import gc
import itertools
import os
import threading
import tracemalloc

import pytest

from conftest import FIXTURES
from e2e_support import PrivateAdbServer, report, require_adb, wait_until
from devdoctor.sources.fixture import load
from devdoctor.simulator import SimulatedDevice

DEVICES, RUNS = (int(n) for n in os.environ.get("DEVDOCTOR_LOAD", "16x8").split("x"))
# The recordings of hanging commands are left out: this is about leaks, and each of them would hold every
# run for a check's whole time limit (their timeouts are tested on their own, test_e2e_simulator.py).
BUNDLED = sorted(p for p in FIXTURES.glob("*.json")
                 if not p.name.startswith("damaged") and all(e.outcome != "timeout" for e in load(p).entries))


def open_fds() -> int | None:
    for folder in ("/proc/self/fd", "/dev/fd"):  # Linux, macOS; Windows has neither: not counted there
        if os.path.isdir(folder):
            return len(os.listdir(folder))
    return None


@pytest.fixture(scope="module")
def fleet(tmp_path_factory):
    server = PrivateAdbServer(require_adb(), tmp_path_factory.mktemp("adb-home"))
    server.start()
    devices = [SimulatedDevice(load(path), path.name, speed=0).start()
               for path in itertools.islice(itertools.cycle(BUNDLED), DEVICES)]
    try:
        for d in devices:
            assert "connected" in server.adb("connect", d.serial).stdout
        wait_until(lambda: sum(s == "device" for s in server.states().values()) == DEVICES, 30,
                   f"{DEVICES} simulated devices online")
        yield server, devices
    finally:
        server.stop()
        for d in devices:
            d.stop()


def expected_verdicts() -> dict[str, list[tuple[str, str]]]:
    from conftest import replay_report

    return {p.name: [(r.id, r.status.value) for r in replay_report(p.stem).results] for p in BUNDLED}


def test_run_all_again_and_again_leaks_nothing(fleet, monkeypatch):
    from devdoctor.core import diagnose as dg
    from devdoctor.check import Settings
    from devdoctor.commands.run import diagnosed
    from devdoctor.core.run_request import RunRequest
    from devdoctor.core.plugins import load as load_checks

    server, devices = fleet
    monkeypatch.setenv("ANDROID_ADB_SERVER_PORT", str(server.port))  # restored afterwards
    checks = dg.select_checks(load_checks(), [], [])
    want = expected_verdicts()
    by_serial = {d.serial: d.name for d in devices}

    def run_all() -> None:
        reports, _targets = diagnosed(RunRequest(all_devices=True, adb_port=server.port, timeout=10.0), None,
                                      checks, Settings())
        assert sorted(r.identity.serial for r in reports) == sorted(by_serial)
        for r in reports:
            assert r.error is None, r.error
            assert [(c.id, c.status.value) for c in r.results] == want[by_serial[r.identity.serial]]

    run_all()  # warm up: imports, caches, the adb client
    gc.collect()
    threads, fds = threading.active_count(), open_fds()
    tracemalloc.start()
    try:
        for i in range(RUNS):
            run_all()
            if i == min(4, RUNS // 2):
                gc.collect()
                early = tracemalloc.get_traced_memory()[0]
        gc.collect()
        late = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    wait_until(lambda: threading.active_count() <= threads, 10,
               f"threads to settle (before {threads}, now {threading.active_count()})")
    if fds is not None:
        wait_until(lambda: open_fds() <= fds, 10, f"open sockets/files to settle (before {fds}, now {open_fds()})")
    assert late - early < 2 * 1024 * 1024, f"memory grew by {(late - early) / 1024:.0f} KiB over {RUNS - min(4, RUNS // 2) - 1} runs"


def test_the_cli_reports_on_every_device(fleet):
    server, devices = fleet
    r = server.devdoctor("run", "--all", "--json")
    doc = report(r)
    assert sorted(d["device"]["serial"] for d in doc["devices"]) == sorted(d.serial for d in devices)
    assert r.returncode == 1  # some bundled devices have failing checks
    assert all(d["error"] is None for d in doc["devices"])
