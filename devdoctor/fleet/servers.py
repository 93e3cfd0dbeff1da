"""Several adb servers seen as one: `--adb-server HOST:PORT` (repeatable) or `adb_servers` in
devdoctor.toml. Each server is adb's own (`adb -a nodaemon server` on a gateway), reached through
devdoctor.sources.adb.AdbServer; a device on a named server is called `HOST:PORT/SERIAL` everywhere (an IPv6
host in brackets: `[::1]:5037/SERIAL`). Without named servers devdoctor talks to the one server of
--adb-host/--adb-port and devices keep their plain serials.

A named server is only ever reached, never started: adbutils answers a refused connection with a
local `adb start-server`, which for a remote gateway would start a server here that nobody asked
for. So each server is first probed with a plain TCP connection.
"""
from __future__ import annotations

import os
import queue
import socket
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Iterator, Sequence

from devdoctor.sources.adb import AdbDevice, AdbServer, AttachedDevice
from devdoctor.sources.device import AdbUnavailable, DeviceError, NoDevice, SeveralDevices
from devdoctor.fleet.address import ServerAddress, device_name, parse_address, split_name
from devdoctor.ui.i18n import _

UNREACHABLE = "unreachable"  # the state of a server's own row when it cannot be reached
PROBE_SECONDS = 3.0
RETRY_SECONDS = 10.0  # watch: how long to wait before reaching a lost server again


class ServerUnreachable(AdbUnavailable):
    """A named adb server that cannot be reached; reported once, as the server, not per device."""

    report_kind = "adb-server"


def chosen_servers(flags: Sequence[str], host: str | None, port: int | None, site_servers: Sequence[str]) -> list[str]:
    """The servers to use: --adb-server; else none when --adb-host/--adb-port (or adb's own
    variables) name one server; else devdoctor.toml's adb_servers."""
    if flags:
        return list(flags)
    if host or port:
        return []
    return list(site_servers)


def open_adb(host: str | None, port: int | None, flags: Sequence[str] = (), site=None) -> "AdbServer | AdbServers":
    """The one adb server, or AdbServers (which behaves the same to its callers) when servers are
    named by --adb-server (`flags`) or by the site configuration's adb_servers."""
    servers = chosen_servers(flags, host, port, site.adb_servers if site is not None else [])
    if servers:
        return AdbServers([parse_address(s) for s in servers])
    return AdbServer(host, port)


class AdbServers:
    """Several adb servers with AdbServer's interface (list, pick, open, track). A server that
    cannot be reached is listed once, as a row of its own in state `unreachable`."""

    def __init__(self, addresses: Sequence[ServerAddress]):
        self.addresses = list(dict.fromkeys(addresses))
        self._servers: dict[str, AdbServer] = {}
        saved = os.environ.get("ANDROID_ADB_SERVER_PORT")
        for a in self.addresses:
            self._servers[str(a)] = AdbServer(a.host, a.port)
        # AdbServer points adb's variable at its own port, for adbutils' auto-start; keep the user's.
        if saved is None:
            os.environ.pop("ANDROID_ADB_SERVER_PORT", None)
        else:
            os.environ["ANDROID_ADB_SERVER_PORT"] = saved

    def where(self) -> str:
        return ", ".join(str(a) for a in self.addresses)

    def _reach(self, address: ServerAddress) -> AdbServer:
        try:
            socket.create_connection((address.host, address.port), PROBE_SECONDS).close()
        except OSError as e:
            raise ServerUnreachable(_("cannot reach the adb server at {where} ({error}); is `adb server` running "
                                      "there and reachable from here (an SSH tunnel, a private network)?").format(
                where=address, error=e.strerror or e)) from e
        return self._servers[str(address)]

    def _list_one(self, address: ServerAddress) -> list[AttachedDevice]:
        try:
            devices = self._reach(address).list()
        except DeviceError as e:
            return [AttachedDevice(str(address), UNREACHABLE, problem=str(e))]
        return [AttachedDevice(device_name(address, d.serial), d.state, d.model, d.product) for d in devices]

    def list(self) -> list[AttachedDevice]:
        """Every device on every server (named HOST:PORT/SERIAL), servers asked at once."""
        with ThreadPoolExecutor(max_workers=max(1, min(16, len(self.addresses)))) as pool:
            return [d for found in pool.map(self._list_one, self.addresses) for d in found]

    def pick(self, serial: str | None = None) -> AttachedDevice:
        """The one device: by HOST:PORT/SERIAL, by a serial found on one server only, or the only one."""
        devices = self.list()
        up = [d for d in devices if d.state != UNREACHABLE]
        down = [d.problem for d in devices if d.state == UNREACHABLE]
        serial = serial or os.environ.get("ANDROID_SERIAL") or None
        if serial:
            match = [d for d in up if d.serial == serial] or [d for d in up if d.serial.partition("/")[2] == serial]
            if len(match) > 1:
                raise SeveralDevices(_("{serial} is attached to several adb servers: name it as "
                                       "HOST:PORT/{serial}").format(serial=serial), match)
            if match:
                return match[0]
            if down:
                raise ServerUnreachable("\n".join(down))
            seen = ", ".join(d.serial for d in up) or _("none")
            raise NoDevice(_("no device with serial {serial} is attached (attached: {seen})").format(
                serial=serial, seen=seen))
        if not up:
            if down:
                raise ServerUnreachable("\n".join(down))
            raise NoDevice(_("no device attached to the adb servers {where}").format(where=self.where()))
        if len(up) > 1:
            raise SeveralDevices(_("several devices are attached: choose one with --serial SERIAL, "
                                   "or diagnose them all with --all"), up)
        return up[0]

    def open(self, attached: AttachedDevice, **kw) -> AdbDevice:
        if attached.state == UNREACHABLE:
            raise ServerUnreachable(attached.problem or attached.serial)
        parts = split_name(attached.serial)
        if parts is None or parts[0] not in self._servers:
            raise NoDevice(_("{serial} names none of the adb servers {where}").format(
                serial=attached.serial, where=self.where()))
        plain = AttachedDevice(parts[1], attached.state, attached.model, attached.product)
        return self._servers[parts[0]].open(plain, **kw)

    def track(self, quiet: float = 0.5) -> Iterator[list[AttachedDevice] | None]:
        """Every server's device tracking merged: the whole list each time one server's list changes,
        None after `quiet` seconds without change. A lost server is a row in state `unreachable`
        (its devices leave the list) and is reached again every RETRY_SECONDS."""
        changes: queue.Queue = queue.Queue()
        stop = threading.Event()
        for address in self.addresses:
            threading.Thread(target=self._follow, args=(address, changes, stop, quiet), daemon=True,
                             name=f"devdoctor-track-{address}").start()
        lists: dict[str, list[AttachedDevice]] = {str(a): [] for a in self.addresses}
        try:
            while True:
                try:
                    where, devices = changes.get(timeout=quiet)
                except queue.Empty:
                    yield None
                    continue
                lists[where] = devices
                yield [d for a in self.addresses for d in lists[str(a)]]
        finally:
            stop.set()

    def _follow(self, address: ServerAddress, changes: queue.Queue, stop: threading.Event, quiet: float) -> None:
        while not stop.is_set():
            try:
                for devices in self._reach(address).track(quiet):
                    if stop.is_set():
                        return
                    if devices is not None:
                        changes.put((str(address), [AttachedDevice(device_name(address, d.serial), d.state)
                                                    for d in devices]))
            except DeviceError as e:
                problem = str(e) if str(address) in str(e) else f"{address}: {e}"
                changes.put((str(address), [AttachedDevice(str(address), UNREACHABLE, problem=problem)]))
            stop.wait(RETRY_SECONDS)
