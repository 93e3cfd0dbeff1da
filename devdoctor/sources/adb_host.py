"""The few requests to the adb server that every run makes, in adb's own host protocol: the attached
devices (`host:devices-l`), a device's features, and a file's bytes (`sync:` STAT then RECV).

adbutils speaks all of this too, but importing it costs about 50 ms of every run before the first
command can leave (it loads Pillow for screenshots and importlib.metadata for its version), and each of
these requests is a few lines. adbutils still does what is rarer: starting a server that is not running,
`adb connect`, tracking devices. Protocol: AOSP packages/modules/adb/SERVICES.TXT and SYNC.TXT.
"""
from __future__ import annotations

import socket
import struct
import time
from dataclasses import dataclass, field

from devdoctor.ui.i18n import _

OKAY, FAIL = b"OKAY", b"FAIL"
NO_SUCH_FILE = "No such file or directory"  # adbd's words for a missing file, as its STAT tells it
MAX_BLOCK = 1 << 20  # a host answer (the device list) larger than this is not an adb server's


class HostRefused(Exception):
    """The server answered FAIL: its own words ("device offline", "device 'X' not found")."""


class SyncFailed(Exception):
    """The device's sync service refused a file: its own words ("No such file or directory")."""


@dataclass
class DeviceRow:
    serial: str
    state: str
    tags: dict[str, str] = field(default_factory=dict)


class _Wire:
    """One connection to the adb server, every read bounded by the same deadline."""

    def __init__(self, host: str, port: int, timeout: float):
        self.deadline = time.monotonic() + timeout
        self.sock = socket.create_connection((host, port), timeout=min(timeout, 3.0))

    def __enter__(self) -> "_Wire":
        return self

    def __exit__(self, *exc) -> None:
        self.sock.close()

    def request(self, service: str) -> None:
        data = service.encode("utf-8")
        self.sock.sendall(b"%04x" % len(data) + data)
        status = self.exactly(4)
        if status == FAIL:
            raise HostRefused(self.block().decode("utf-8", "replace"))
        if status != OKAY:
            raise ConnectionError(_("the adb server answered {data!r}").format(data=status))

    def block(self) -> bytes:
        """A length-prefixed answer (four hex digits, then the text)."""
        head = self.exactly(4)
        try:
            n = int(head, 16)
        except ValueError:
            raise ConnectionError(_("the adb server answered {data!r}").format(data=head)) from None
        if n > MAX_BLOCK:
            raise ConnectionError(_("the adb server announced {n} bytes").format(n=n))
        return self.exactly(n)

    def exactly(self, n: int) -> bytes:
        buf = bytearray()
        while len(buf) < n:
            left = self.deadline - time.monotonic()
            if left <= 0:
                raise socket.timeout(_("the adb server did not answer in time"))
            self.sock.settimeout(left)
            chunk = self.sock.recv(min(n - len(buf), 1 << 20))
            if not chunk:
                raise EOFError(_("the adb server closed the connection"))
            buf += chunk
        return bytes(buf)


def devices(host: str, port: int, timeout: float = 10.0) -> list[DeviceRow]:
    """`adb devices -l`: serial, state and the key:value tags (model, product, transport_id...)."""
    with _Wire(host, port, timeout) as w:
        w.request("host:devices-l")
        text = w.block().decode("utf-8", "replace")
    rows = []
    for line in text.splitlines():
        parts = line.split()  # "no permissions (...)" gives state "no", as adb's own short list
        if len(parts) >= 2:
            tags = dict(p.split(":", 1) for p in parts[2:] if ":" in p)
            rows.append(DeviceRow(parts[0], parts[1], tags))
    return rows


def features(host: str, port: int, serial: str, timeout: float = 10.0) -> set[str]:
    with _Wire(host, port, timeout) as w:
        w.request(f"host-serial:{serial}:features")
        return set(w.block().decode("utf-8", "replace").split(","))


def pull(host: str, port: int, serial: str, path: str, timeout: float, limit: int) -> bytes:
    """The bytes of `path` on the device (at most `limit`: more is SyncFailed). A missing file, or one
    the shell user cannot read, is SyncFailed."""
    name = path.encode("utf-8")
    with _Wire(host, port, timeout) as w:
        w.request(f"host:transport:{serial}")
        w.request("sync:")
        w.sock.sendall(b"STAT" + struct.pack("<I", len(name)) + name)
        if w.exactly(4) != b"STAT":
            raise ConnectionError(_("the sync service did not answer STAT"))
        mode, size, _mtime = struct.unpack("<III", w.exactly(12))
        if mode == 0:
            raise SyncFailed(NO_SUCH_FILE)
        if size > limit:
            raise SyncFailed(_("larger than {n} bytes").format(n=limit))
        w.sock.sendall(b"RECV" + struct.pack("<I", len(name)) + name)
        out = bytearray()
        while True:
            kind, n = struct.unpack("<4sI", w.exactly(8))
            if kind == b"DONE":
                return bytes(out)
            if kind == b"FAIL":
                raise SyncFailed(w.exactly(min(n, MAX_BLOCK)).decode("utf-8", "replace"))
            if kind != b"DATA" or len(out) + n > limit:
                raise SyncFailed(_("unexpected sync answer {data!r}").format(data=kind) if kind != b"DATA" else
                                 _("larger than {n} bytes").format(n=limit))
            out += w.exactly(n)
