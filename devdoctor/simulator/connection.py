"""One transport between the adb server and a simulated device: the handshake, then streams.

The reading thread dispatches packets; every stream the host OPENs runs its service in a thread of
its own, so a hanging command never blocks the others. Flow control as adbd does it: one WRTE in
flight per stream until the host's OKAY; payloads never larger than the negotiated maximum (the
adb server silently drops a bigger one and the stream hangs for ever).
"""
from __future__ import annotations

import os
import queue
import socket
import threading
import traceback
from typing import Callable

from devdoctor.simulator import packets as p
from devdoctor.simulator.link import Link


class StreamClosed(Exception):
    """The host closed the stream, or the connection is gone."""


class Stream:
    def __init__(self, conn: "Connection", local_id: int, remote_id: int):
        self.conn = conn
        self.local_id = local_id
        self.remote_id = remote_id
        self.closed = threading.Event()
        self._ready = threading.Event()
        self._ready.set()  # an OPEN implies one READY
        self._inbox: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()  # no locks of its own to build
        self._buffer = bytearray()
        self._close_lock = threading.Lock()
        self._close_sent = False
        self._held: list[bytes] = []  # output held by write_soon(), sent by the next flush()
        self._held_size = 0

    # -- host to device ------------------------------------------------------------------------

    def deliver(self, data: bytes) -> None:
        self._inbox.put(data)

    def read_exact(self, n: int) -> bytes:
        """n bytes the host wrote (sync requests, stdin); StreamClosed when it closes first."""
        while len(self._buffer) < n:
            data = self._inbox.get()
            if data is None:
                raise StreamClosed()
            self._buffer += data
        out = bytes(self._buffer[:n])
        del self._buffer[:n]
        return out

    # -- device to host ------------------------------------------------------------------------

    def acknowledged(self) -> None:
        self._ready.set()

    def write(self, data: bytes) -> None:
        """Send data, split to the negotiated payload size, waiting for each OKAY."""
        size = self.conn.max_data
        for i in range(0, len(data), size):
            while not self._ready.wait(0.5):
                if self.closed.is_set():
                    raise StreamClosed()
            if self.closed.is_set():
                raise StreamClosed()
            self._ready.clear()
            self.wait(self.conn.link.delay(min(size, len(data) - i)))  # the link's bandwidth
            if not self.conn.send(p.Packet(p.A_WRTE, self.local_id, self.remote_id, data[i:i + size])):
                raise StreamClosed()

    def write_soon(self, data: bytes) -> None:
        """Send data with what follows it, before the stream pauses (wait) or ends: a command's output that
        is ready at once goes in as few WRTEs as the payload size allows, as adbd sends what a command has
        written so far in one packet (and each WRTE costs a round trip through the adb server)."""
        self._held.append(data)
        self._held_size += len(data)
        if self._held_size >= self.conn.max_data:
            self.flush()

    def flush(self) -> None:
        if self._held:
            data = b"".join(self._held)
            self._held, self._held_size = [], 0
            self.write(data)

    def wait(self, seconds: float) -> None:
        """Sleep, but wake with StreamClosed when the host gives up on the stream (what is held is sent first)."""
        if seconds > 0:
            self.flush()
            if self.closed.wait(seconds):
                raise StreamClosed()

    def wait_closed(self) -> None:
        """Until the host closes the stream (a hanging command), what is held sent first."""
        self.flush()
        self.closed.wait()

    def close(self) -> None:
        """Our end is done: what is held sent, then CLSE once, as adbd does."""
        try:
            self.flush()
        except StreamClosed:
            pass
        with self._close_lock:
            if self._close_sent:
                return
            self._close_sent = True
        if not self.closed.is_set():
            self.conn.send(p.Packet(p.A_CLSE, self.local_id, self.remote_id))
        self.ended()

    def ended(self) -> None:
        """The stream is over (host CLSE or connection gone): wake whoever waits on it."""
        self.closed.set()
        self._ready.set()
        self._inbox.put(None)


# The service for an OPEN: returns a function run in the stream's thread, or None to refuse it.
Dispatcher = Callable[[str], "Callable[[Stream], None] | None"]


class Connection:
    """The device side of one TCP connection from the adb server."""

    def __init__(self, sock: socket.socket, *, version: int, max_data: int, banner: bytes,
                 dispatch: Dispatcher, mode: str = "normal", on_packet: Callable[[p.Packet], None] | None = None,
                 link: Link | None = None):
        self.sock = sock
        self.own_version = version
        self.own_max_data = max_data
        self.banner = banner
        self.dispatch = dispatch
        self.mode = mode  # normal / unauthorized (never accepts a key) / offline (never answers CNXN)
        self.on_packet = on_packet
        self.link = link or Link(None)  # unlimited unless the device has a link of its own
        self.version = p.VERSION_MIN  # until the handshake: byte-sum checksums
        self.max_data = p.MAX_PAYLOAD_V1
        self.online = False
        self.streams: dict[int, Stream] = {}
        self.running: list[threading.Event] = []  # one per stream whose service has not ended
        self._send_lock = threading.Lock()
        self._next_id = 1
        self._lock = threading.Lock()
        self._dead = False

    def send(self, packet: p.Packet) -> bool:
        """False when the connection is gone."""
        data = packet.encode(self.version)
        with self._send_lock:
            if self._dead:
                return False
            try:
                self.sock.sendall(data)
                return True
            except OSError:
                return False

    def drop(self) -> None:
        """Cut the connection, as a pulled cable does: no CLSE, no goodbye."""
        with self._send_lock:
            self._dead = True
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()

    def serve(self) -> None:
        """Read and dispatch packets until the connection ends."""
        try:
            while True:
                packet = p.read_packet(self.sock)
                if packet is None:
                    break
                if self.on_packet:
                    self.on_packet(packet)
                self._handle(packet)
        except (OSError, p.ProtocolError):
            pass
        finally:
            self.drop()
            with self._lock:
                streams = list(self.streams.values())
                self.streams.clear()
            for s in streams:
                s.ended()

    def _handle(self, packet: p.Packet) -> None:
        if packet.command == p.A_CNXN:
            self._connect(packet)
        elif packet.command == p.A_AUTH:
            if self.mode == "unauthorized" and packet.arg0 == p.AUTH_SIGNATURE:
                self._ask_auth()  # wrong key: a fresh token; after the public key, silence
        elif not self.online:
            return
        elif packet.command == p.A_OPEN:
            self._open(packet)
        elif packet.command == p.A_OKAY:
            stream = self.streams.get(packet.arg1)
            if stream:
                stream.acknowledged()
        elif packet.command == p.A_WRTE:
            stream = self.streams.get(packet.arg1)
            if stream:
                self.send(p.Packet(p.A_OKAY, stream.local_id, stream.remote_id))
                stream.deliver(packet.data)
        elif packet.command == p.A_CLSE:
            with self._lock:
                stream = self.streams.pop(packet.arg1, None)
            if stream:
                stream.ended()

    def _connect(self, packet: p.Packet) -> None:
        if self.mode == "offline":
            return
        if self.mode == "unauthorized":
            self._ask_auth()
            return
        self.version = min(packet.arg0, self.own_version)
        self.max_data = max(p.MAX_PAYLOAD_V1, min(packet.arg1, self.own_max_data))
        self.online = True
        self.send(p.Packet(p.A_CNXN, self.version, self.own_max_data, self.banner))

    def _ask_auth(self) -> None:
        self.send(p.Packet(p.A_AUTH, p.AUTH_TOKEN, 0, os.urandom(20)))

    def _open(self, packet: p.Packet) -> None:
        service = packet.data.rstrip(b"\0").decode("utf-8", "replace")
        run = self.dispatch(service)
        if run is None:
            self.send(p.Packet(p.A_CLSE, 0, packet.arg0))
            return
        with self._lock:
            local_id = self._next_id
            self._next_id += 1
            stream = self.streams[local_id] = Stream(self, local_id, packet.arg0)
        self.send(p.Packet(p.A_OKAY, local_id, packet.arg0))
        done = threading.Event()
        self.running = [d for d in self.running if not d.is_set()] + [done]
        WORKERS.run(lambda: self._run(run, stream, done))

    def _run(self, run: Callable[[Stream], None], stream: Stream, done: threading.Event) -> None:
        try:
            run(stream)
        except StreamClosed:
            pass
        finally:
            stream.close()
            with self._lock:
                self.streams.pop(stream.local_id, None)
            done.set()


class Workers:
    """Threads that run the streams' services, each on an idle one or a new one: a benchmark's thousands of
    commands reuse a few hundred threads instead of starting one each. Never a bounded pool: a hanging
    command holds its thread, and the next command gets another. A worker idle for IDLE_SECONDS ends."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._idle: list[queue.SimpleQueue] = []

    def run(self, job: Callable[[], None]) -> None:
        with self._lock:
            inbox = self._idle.pop() if self._idle else None
        if inbox is None:
            inbox = queue.SimpleQueue()
            threading.Thread(target=self._work, args=(inbox,), name="sim-stream", daemon=True).start()
        inbox.put(job)

    def _work(self, inbox: queue.SimpleQueue) -> None:
        me = threading.current_thread()
        while True:
            try:
                job = inbox.get(timeout=IDLE_SECONDS)
            except queue.Empty:
                with self._lock:
                    if inbox in self._idle:  # nobody gave it work meanwhile: done, a quiet device keeps no threads
                        self._idle.remove(inbox)
                        return
                continue  # it was just given a job
            me.name = "sim-stream"  # serving a stream; an idle worker is "sim-idle"
            try:
                job()
            except Exception:  # a service's own bug ends its stream, not the worker: said as a thread would say it
                traceback.print_exc()
            me.name = "sim-idle"
            with self._lock:
                if len(self._idle) >= MAX_IDLE_WORKERS:
                    return
                self._idle.append(inbox)


MAX_IDLE_WORKERS = 256
IDLE_SECONDS = 2.0  # an idle worker waits this long for another stream, then ends
WORKERS = Workers()
