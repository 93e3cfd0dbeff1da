"""End-to-end test support: a PRIVATE adb server (own port, own HOME, no USB, no mDNS, never the
user's 5037), simulated devices attached to it, and devdoctor run against them as a user would.

Waits poll with deadlines; nothing sleeps a fixed time. Without adb these tests skip, except in CI
(CI=true), where a missing adb is a failure.
"""
from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path
from typing import Iterator

import pytest

from conftest import IN_CI, cli
from devdoctor.sources.fixture import Fixture, dump, load
from devdoctor.simulator import RequestLog, SimulatedDevice, parse_spec


def require_adb() -> str:
    adb = shutil.which("adb")
    if adb:
        return adb
    if IN_CI:
        pytest.fail("adb is not installed: CI must install Debian's adb (apt-get install adb) for the end-to-end tests")
    pytest.skip("adb is not installed: the end-to-end tests need the real adb server (Debian/Ubuntu: apt install adb)")


def free_port() -> int:
    """A free loopback port from the OS's ephemeral range, far from the emulator ports 5555-5585."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(predicate, timeout: float, what: str, step: float = 0.05):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(step)


class PrivateAdbServer:
    def __init__(self, adb: str, home: Path):
        self.adb_path = adb
        self.port = free_port()
        self.env = {"ANDROID_ADB_SERVER_PORT": str(self.port), "ADB_MDNS": "0", "ADB_USB": "0", "ADB_EMU": "0",
                    "HOME": str(home), "USERPROFILE": str(home), "ANDROID_SDK_HOME": str(home)}

    def adb(self, *args: str, timeout: float = 20) -> subprocess.CompletedProcess:
        return subprocess.run([self.adb_path, "-P", str(self.port), *args], capture_output=True, text=True,
                              timeout=timeout, env=dict(os.environ, **self.env), stdin=subprocess.DEVNULL)

    def start(self) -> None:
        r = self.adb("start-server", timeout=30)
        assert r.returncode == 0, f"adb start-server on port {self.port} failed: {r.stderr}"

    def stop(self) -> None:
        self.adb("kill-server")

    def states(self) -> dict[str, str]:
        out = self.adb("devices").stdout
        return dict(line.split("\t", 1) for line in out.splitlines()[1:] if "\t" in line)

    def wait_state(self, serial: str, state: str, timeout: float = 15) -> None:
        wait_until(lambda: self.states().get(serial) == state, timeout, f"{serial} to be {state} "
                   f"(adb devices: {self.states()})")

    def devdoctor(self, *args, timeout: float = 90) -> subprocess.CompletedProcess:
        return cli(*args, env=self.env, timeout=timeout)


@contextlib.contextmanager
def simulated(server: PrivateAdbServer, fixture: Path | Fixture, *faults: str, speed: float = 0.0,
              log: Path | None = None, expect_state: str = "device") -> Iterator[SimulatedDevice]:
    """A simulated device attached to the private server; detached and stopped afterwards."""
    fx = fixture if isinstance(fixture, Fixture) else load(fixture)
    request_log = RequestLog(log)
    device = SimulatedDevice(fx, "test", speed=speed, faults=[parse_spec(f) for f in faults], log=request_log)
    device.start()
    try:
        if expect_state == "offline":  # adb connect waits 10 s for a handshake that never comes
            connecting = subprocess.Popen([server.adb_path, "-P", str(server.port), "connect", device.serial],
                                          env=dict(os.environ, **server.env), stdout=subprocess.DEVNULL,
                                          stderr=subprocess.DEVNULL)
            try:
                server.wait_state(device.serial, "offline")
                yield device
            finally:
                connecting.kill()
                connecting.wait()
        else:
            r = server.adb("connect", device.serial)
            assert device.serial in r.stdout, r.stdout + r.stderr
            server.wait_state(device.serial, expect_state)
            yield device
    finally:
        server.adb("disconnect", device.serial)
        device.stop()
        request_log.close()


def with_changes(path: Path, **device_changes) -> Fixture:
    fx = load(path)
    fx.device.update(device_changes)
    return fx


def write_fixture(fx: Fixture, path: Path) -> Path:
    path.write_text(dump(fx), encoding="utf-8")
    return path


def report(r: subprocess.CompletedProcess) -> dict:
    """The JSON report on stdout (asserting there is one and no traceback anywhere)."""
    assert "Traceback" not in r.stdout + r.stderr, r.stderr
    try:
        return json.loads(r.stdout)
    except json.JSONDecodeError:
        raise AssertionError(f"stdout is not a JSON report (exit {r.returncode}): {r.stdout[:300]!r} {r.stderr[-500:]}")


def verdicts(doc: dict) -> list[tuple[str, str, str]]:
    """(check id, status, summary) of every check of every device in a report."""
    return [(c["id"], c["status"], c["summary"]) for d in doc["devices"] for c in d["checks"]]
