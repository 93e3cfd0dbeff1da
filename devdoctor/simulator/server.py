"""A simulated device: a recording served on a TCP port as adbd serves a phone over Wi-Fi, so
`adb connect 127.0.0.1:PORT` attaches it to the real adb server.

Threads only (no fork, no signals), so it runs the same on Linux, macOS and Windows.
"""
from __future__ import annotations

import ipaddress
import socket
import threading
from pathlib import Path

from devdoctor.sources.fixture import Fixture, load
from devdoctor.ui.i18n import _
from devdoctor.parsers.getprop import parse_getprop
from devdoctor.simulator import packets
from devdoctor.simulator.answers import Shell
from devdoctor.simulator.connection import Connection
from devdoctor.simulator.faults import DEVICE_KINDS, Fault, from_fixture
from devdoctor.simulator.link import DEFAULT_RATE_MB_S, Link
from devdoctor.simulator.requestlog import RequestLog
from devdoctor.simulator.services import DIRECTORY, REGULAR_FILE, dispatcher

EMULATOR_PORTS = range(5554, 5586)  # the adb server probes these for emulators on its own


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class SimulatedDevice:
    """One recording behind one port. `start()` listens, `unplug()` vanishes, `stop()` ends all."""

    def __init__(self, fixture: Fixture, name: str = "fixture", *, host: str = "127.0.0.1", port: int = 0,
                 speed: float = 1.0, latency: float = 0.0, faults: list[Fault] | None = None,
                 log: RequestLog | None = None, allow_remote: bool = False,
                 rate_mb_s: float | None = DEFAULT_RATE_MB_S):
        if not allow_remote and not is_loopback(host):
            raise ValueError(_("refusing to listen on {host}: a simulated device listens on loopback only "
                               "unless told otherwise (--allow-remote)").format(host=host))
        self.fixture = fixture
        self.name = name
        self.speed = speed
        self.latency = latency  # seconds added to every stream and sync request, like a USB link's round trip
        self.link = Link(rate_mb_s)  # the bandwidth every stream of this device shares (0: unlimited)
        self.log = log or RequestLog()
        all_faults = from_fixture(fixture.extra, name) + list(faults or [])
        self.faults = all_faults
        device_faults = [f.kind for f in all_faults if f.kind in DEVICE_KINDS]
        self.mode = device_faults[-1] if device_faults else "normal"
        self._files = {f.path: f for f in fixture.files}
        self.shell = Shell(fixture, all_faults, name, self._files)
        props = self._recorded_props()
        sdk = fixture.device.get("sdk")
        sdk = sdk if isinstance(sdk, int) else props.sdk
        features = fixture.device.get("features")
        self.features = str(features) if isinstance(features, str) else packets.default_features(sdk)
        self.shell_v2 = "shell_v2" in self.features.split(",")
        self.version, self.max_data = packets.device_limits(sdk)
        model = props.model or str(fixture.device.get("model", ""))
        self.prompt_name = props.device or "android"  # as in the device's own shell prompt
        self.banner = packets.banner(self.features, {
            "ro.product.name": props.get("ro.product.name") or props.device or model,
            "ro.product.model": model,
            "ro.product.device": props.device or model})
        self._listener = socket.create_server((host, port))
        self.host, self.port = self._listener.getsockname()[:2]
        self.unplugged: str | None = None
        self._stopping = threading.Event()
        self._connections: list[Connection] = []
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()

    @classmethod
    def from_file(cls, path: str | Path, **kwargs) -> "SimulatedDevice":
        return cls(load(path), Path(path).name, **kwargs)

    def _recorded_props(self):
        for e in self.fixture.entries:
            if e.command == "getprop" and e.outcome == "ok":
                return parse_getprop(e.stdout.decode("utf-8", "replace"))
        return parse_getprop("")

    @property
    def serial(self) -> str:
        """The serial the adb server gives this device once connected."""
        return f"{self.host}:{self.port}"

    # -- life ----------------------------------------------------------------------------------

    def start(self) -> "SimulatedDevice":
        t = threading.Thread(target=self._accept_loop, name=f"sim-accept-{self.port}", daemon=True)
        self._threads.append(t)
        t.start()
        return self

    def _accept_loop(self) -> None:
        while not self._stopping.is_set():
            try:
                sock, _ = self._listener.accept()
            except OSError:
                break
            if self._stopping.is_set():
                sock.close()
                break
            if self.unplugged:  # gone for good: the adb server's retries find nobody
                sock.close()
                continue
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            conn = Connection(sock, version=self.version, max_data=self.max_data, banner=self.banner,
                              dispatch=dispatcher(self), mode=self.mode, link=self.link)
            t = threading.Thread(target=self._serve, args=(conn,), name=f"sim-conn-{self.port}", daemon=True)
            with self._lock:
                self._connections.append(conn)
                self._threads = [x for x in self._threads if x.is_alive()] + [t]
            self.log.write(self, "connect", mode=self.mode)
            t.start()

    def _serve(self, conn: Connection) -> None:
        try:
            conn.serve()
        finally:
            with self._lock:
                if conn in self._connections:
                    self._connections.remove(conn)

    def unplug(self, reason: str = "unplugged") -> None:
        """Vanish: every connection cut, every later one refused, as a pulled USB cable."""
        self.unplugged = reason
        self.log.write(self, "unplug", reason=reason)
        with self._lock:
            connections = list(self._connections)
        for c in connections:
            c.drop()

    def stop(self, timeout: float = 5.0) -> None:
        self._stopping.set()
        wake = "127.0.0.1" if self.host in ("0.0.0.0", "::") else self.host
        try:  # wake the accept loop (closing a listening socket does not, everywhere)
            socket.create_connection((wake, self.port), timeout=1).close()
        except OSError:
            pass
        with self._lock:
            connections = list(self._connections)
        for c in connections:
            c.drop()
        for t in list(self._threads):
            t.join(timeout)
        for c in connections:
            for done in c.running:
                done.wait(timeout)
        self._listener.close()

    def __enter__(self) -> "SimulatedDevice":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- the file system the sync service shows --------------------------------------------------

    def stat(self, path: str) -> tuple[int, int]:
        """(mode, size); (0, 0) for a missing file, as adbd's STAT answers."""
        f = self._files.get(path)
        if f is not None:
            if f.content is not None:
                return REGULAR_FILE, len(f.content)
            if f.error and "no such file" in f.error.lower():
                return 0, 0
            return REGULAR_FILE, 0  # there, but not readable by the shell user
        prefix = path.rstrip("/") + "/"
        if path == "/" or any(p.startswith(prefix) for p in self._files):
            return DIRECTORY, 4096
        return 0, 0

    def listdir(self, path: str) -> list[tuple[str, int, int]]:
        prefix = path.rstrip("/") + "/"
        seen: dict[str, tuple[str, int, int]] = {}
        for p, f in self._files.items():
            if p.startswith(prefix):
                name, sub, _ = p[len(prefix):].partition("/")
                seen[name] = (name, DIRECTORY, 4096) if sub else (name, *self.stat(p))
        return list(seen.values())

    def read_file(self, path: str) -> tuple[bytes | None, str]:
        f = self._files.get(path)
        if f is None:
            return None, "No such file or directory"
        if f.content is None:
            return None, f.error or "Permission denied"
        self.shell.bytes_read[path] += len(f.content)
        return f.content, ""

    @property
    def bytes_read(self) -> dict[str, int]:
        """Bytes of each file the host read so far, by `adb pull` (sync RECV) or `dd` ranges."""
        return dict(self.shell.bytes_read)
