"""`devdoctor watch` against the real adb server (private port) and a simulated device plugged in
while it waits: the device is diagnosed, the bell rings, a support page is kept; Ctrl-C ends cleanly."""
import os
import signal
import subprocess
import sys

import pytest

from conftest import FIXTURES
from e2e_support import simulated, wait_until


def _watch(server, *args):
    env = dict(os.environ, NO_COLOR="1", **server.env)
    # Ctrl-C as a technician's terminal delivers it, even when these tests run as a background job: such a
    # job starts with SIGINT ignored, and a child that inherits that never hears the test's Ctrl-C
    ignored = signal.getsignal(signal.SIGINT) == signal.SIG_IGN
    if ignored:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
    try:
        return subprocess.Popen([sys.executable, "-m", "devdoctor", "watch", "--adb-port", str(server.port), *args],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    finally:
        if ignored:
            signal.signal(signal.SIGINT, signal.SIG_IGN)


def _watch_one_device(server, fixture, *args, faults=()):
    """`watch --count 1 ARGS` while the recording is plugged in as a simulated device: (the ended process, its
    output), with no traceback on stderr."""
    proc = _watch(server, "--count", "1", "--lang", "en", *args)
    try:
        with simulated(server, fixture, *faults):
            out, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert "Traceback" not in err, err
    return proc, out


def test_a_device_plugged_in_while_watching_is_diagnosed(adb_server, tmp_path):
    pages = tmp_path / "pages"
    proc, out = _watch_one_device(adb_server, FIXTURES / "no-wmpf-a10-tablet.json", "--report-dir", pages)
    assert "Waiting for devices" in out and "is ready: diagnosing" in out
    assert "[✗] WMPF Service installed" in out and "\a" in out  # the report, and the bell
    assert "Devices seen: 1" in out and "LT-10 Learning Tablet: FAILED" in out
    assert proc.returncode == 1
    [page] = list(pages.glob("*.html"))
    html = page.read_text(encoding="utf-8")
    assert "WMPF Service (com.tencent.wmpf) is not installed" in html and "127.0.0.1:" not in html


def test_only_wins_over_the_site_files_skip_in_the_watch_as_in_a_run(adb_server, tmp_path):
    """A check the site's devdoctor.toml skips still runs when --only names it (as `run` does)."""
    cfg = tmp_path / "site.toml"
    cfg.write_text('skip = ["android-version", "wmpf-installed"]\n')
    proc, out = _watch_one_device(adb_server, FIXTURES / "no-wmpf-a10-tablet.json", "--only", "android-version",
                                  "--config", cfg)
    assert "Android version" in out and "WMPF Service installed" not in out
    assert proc.returncode == 0


def test_a_watch_whose_device_was_not_diagnosed_to_the_end_exits_4_not_0(adb_server):
    """A command that hangs past --timeout leaves a check unknown: `watch --count 1 && ship` must not ship it."""
    proc, out = _watch_one_device(adb_server, FIXTURES / "healthy-a9-panel.json", "--timeout", "1",
                                  faults=("hang@dumpsys package com.tencent.wmpf",))
    assert "[?] WMPF Service installed" in out and "could not be checked" in out
    assert proc.returncode == 4


def test_ctrl_c_ends_the_watch_with_a_summary(adb_server):
    if sys.platform.startswith("win"):
        pytest.skip("SIGINT to a child process is POSIX-only")
    proc = _watch(adb_server, "--lang", "en")
    try:
        lines = []
        wait_until(lambda: lines.append(proc.stdout.readline()) or "Waiting for devices" in "".join(lines), 30,
                   "watch to start")
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert "No device was seen." in out and proc.returncode == 0
    assert "Traceback" not in err


def test_a_live_run_writes_a_support_page_that_replays_to_the_same_verdicts(adb_server, tmp_path):
    page = tmp_path / "live.html"
    with simulated(adb_server, FIXTURES / "wmpf-1.1.3-a8-kiosk.json") as dev:
        live = adb_server.devdoctor("run", "--serial", dev.serial, "--report", page, "--lang", "en")
    # 1: since the versions merge, wmpf-version-match fails WMPF 1.1.3 (older than 1.1.5)
    assert live.returncode == 1 and "Wrote the support page" in live.stderr, live.stderr
    html = page.read_text(encoding="utf-8")
    assert dev.serial not in html and "RK3399KSK2201" not in html and "is older than 1.1.5" in html
    again = adb_server.devdoctor("run", "--replay", page, "--lang", "en")
    assert again.returncode == 1 and "Same verdicts as the field run" in again.stdout
