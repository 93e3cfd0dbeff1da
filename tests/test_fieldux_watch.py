"""`devdoctor watch`: device lists in, what the technician sees out. The Watcher is fed lists (no adb,
no clock); the command is run against a fake adb server that speaks host:track-devices."""
import socket
import threading
from dataclasses import dataclass

from conftest import FIXTURES, cli
from devdoctor.check import Settings
from devdoctor.core.diagnose import diagnose, replay_target
from devdoctor.core.plugins import load
from devdoctor.core.watch import Watcher

CHECKS = sorted(load().checks, key=lambda c: c.order)
DEVICES = {"BOARD": "a7.0-board", "PANEL": "healthy-a9-panel", "TABLET": "no-wmpf-a10-tablet"}


@dataclass
class Dev:
    serial: str
    state: str


class Station:
    """A Watcher whose devices are bundled recordings, recording what the technician would see."""

    def __init__(self):
        self.lines, self.reports, self.bells = [], [], 0
        self.watcher = Watcher(self.diagnose, self.reports.append, self.lines.append, self.ring)

    def diagnose(self, serial):
        return diagnose(replay_target(FIXTURES / f"{DEVICES[serial]}.json"), CHECKS, Settings(), 10.0)

    def ring(self):
        self.bells += 1


def test_an_unauthorized_device_gets_advice_then_is_diagnosed_once_authorized():
    s = Station()
    s.watcher.run([[Dev("PANEL", "unauthorized")], None, [Dev("PANEL", "unauthorized")], [Dev("PANEL", "device")]])
    assert any("PANEL is connected but not authorized" in ln and "Allow USB debugging?" in ln for ln in s.lines)
    assert len(s.reports) == 1 and s.reports[0].identity.model == "SG-DP8 Door Panel"
    assert s.bells == 0 and s.lines[-1].startswith("Waiting for the next device")


def test_a_failing_device_rings_the_bell_and_the_summary_names_every_device():
    s = Station()
    s.watcher.run([[Dev("TABLET", "device")], [Dev("TABLET", "device"), Dev("BOARD", "offline")],
                   [Dev("BOARD", "offline")], [Dev("BOARD", "device")], []])
    assert [r.identity.model for r in s.reports] == ["LT-10 Learning Tablet", "QUAD-CORE A64 p3"]
    assert s.bells == 2 and "TABLET unplugged." in s.lines and "BOARD unplugged." in s.lines
    assert any("BOARD is offline" in ln for ln in s.lines)
    summary = "\n".join(s.watcher.summary())
    assert "Devices seen: 2" in summary
    assert "TABLET LT-10 Learning Tablet: FAILED (1 failed)" in summary
    assert "BOARD QUAD-CORE A64 p3: FAILED" in summary and s.watcher.any_failed


def test_a_device_plugged_in_again_is_diagnosed_again_and_count_stops_the_watch():
    s = Station()
    s.watcher.run([[Dev("PANEL", "device")], [], [Dev("PANEL", "device")], [Dev("TABLET", "device")]], count=2)
    assert len(s.reports) == 2 and s.watcher.diagnosed == 2  # TABLET never reached
    assert "  PANEL SG-DP8 Door Panel: OK (no problems)  diagnosed 2 times" in s.watcher.summary()
    assert not s.watcher.any_failed


def test_count_counts_the_devices_already_attached_and_stops_without_promising_more():
    s = Station()
    s.watcher.run([[Dev("PANEL", "device"), Dev("TABLET", "device")], [Dev("BOARD", "device")]], count=1)
    assert [r.identity.model for r in s.reports] == ["SG-DP8 Door Panel"]  # the tablet beside it is left alone
    assert "Devices seen: 1" in s.watcher.summary()
    assert not any(ln.startswith("Waiting for the next device") for ln in s.lines)


def test_nothing_seen():
    s = Station()
    s.watcher.run([None, None])
    assert s.watcher.summary() == ["No device was seen."] and s.reports == []


class TrackingAdb:
    """A fake adb server: host:track-devices answers with the given lists, then closes."""

    def __init__(self, lists):
        self.lists = lists
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(5)
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self.serve, daemon=True).start()

    def serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                n = int(conn.recv(4), 16)
                req = conn.recv(n).decode()
                if req == "host:track-devices":
                    conn.sendall(b"OKAY")
                    for devices in self.lists:
                        body = "".join(f"{s}\t{st}\n" for s, st in devices).encode()
                        conn.sendall(f"{len(body):04x}".encode() + body)
                else:
                    conn.sendall(b"OKAY0000")

    def close(self):
        self.sock.close()


def test_watch_command_follows_adb_tracking_and_ends_with_a_summary():
    adb = TrackingAdb([[("A1", "unauthorized")], [("A1", "offline")], []])
    try:
        r = cli("watch", "--adb-port", adb.port, "--lang", "en", timeout=30)
    finally:
        adb.close()
    assert "Waiting for devices" in r.stdout
    assert "A1 is connected but not authorized" in r.stdout and "A1 is offline" in r.stdout
    assert "A1 unplugged." in r.stdout and "Devices seen: 1" in r.stdout and "A1: not diagnosed" in r.stdout
    assert r.returncode == 3 and "lost the adb server" in r.stderr and "Traceback" not in r.stderr


def test_watch_in_chinese():
    adb = TrackingAdb([[("A1", "unauthorized")]])
    try:
        r = cli("watch", "--adb-port", adb.port, "--lang", "zh", timeout=30)
    finally:
        adb.close()
    assert "A1 已连接但未授权" in r.stdout and "见过的设备:1 台" in r.stdout
