"""Every shell command of the process on one thread: a selector over all the streams in flight.

A command is one connection to the adb server (`host:transport:SERIAL`, then `shell,v2:CMD`), and
its answer comes back in pieces. Waiting for each on its own thread cost a thread per command in
flight (about a thousand with 48 devices), and those threads, woken one by one by each piece of an
answer, spent more time handing the interpreter lock to each other than reading. Here one thread
reads every stream as its bytes arrive; the caller gets a Future that holds the whole answer.
"""
from __future__ import annotations

import collections
import errno
import os
import selectors
import socket
import struct
import threading
import time
from concurrent.futures import Future

from devdoctor.ui.i18n import _

OKAY, FAIL = b"OKAY", b"FAIL"
MAX_OUTPUT = 64 * 1024 * 1024  # keep at most this much of one command's output
MAX_OPEN = 1000  # streams open at once at most (a few hundred is every read of dozens of devices)
IDLE_SECONDS = 1.0  # with nothing in flight this long, the thread ends (and its sockets are closed)


# connect_ex on a non-blocking socket: under way (POSIX: EINPROGRESS; Windows: WSAEWOULDBLOCK)
_CONNECTING = {0, errno.EINPROGRESS, errno.EWOULDBLOCK, getattr(errno, "WSAEWOULDBLOCK", errno.EWOULDBLOCK)}


def open_limit() -> int:
    """How many streams may be open at once here. select() on Windows watches at most 512 sockets.
    Elsewhere the process's file limit counts (macOS starts shells at 256, Linux at 1024): it is
    raised towards the hard limit first, as a 48-device run keeps about 500 streams open."""
    if os.name == "nt":
        return min(MAX_OPEN, 200)
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = 4096 if hard == resource.RLIM_INFINITY else min(hard, 4096)
    if soft != resource.RLIM_INFINITY and soft < want:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
            soft = want
        except (ValueError, OSError):
            pass
    files = 4096 if soft == resource.RLIM_INFINITY else soft
    return min(MAX_OPEN, max(8, files // 2))  # half: the rest is for files, pipes, adbutils' sockets


class StreamTimeout(Exception):
    """The command did not finish before its deadline (its stream is closed, which stops it)."""


class StreamClosed(EOFError):
    """The stream ended before the command did: the device went away."""


class ServerUnreachable(OSError):
    """No connection to the adb server (it stopped, or was never there)."""


class ServerRefused(Exception):
    """The adb server answered FAIL; the message is its own ("device offline", "device 'X' not found")."""


class _Stream:
    """One command's connection, from connect to its last byte."""

    def __init__(self, serial: str, service: str, deadline: float, v2: bool, future: Future):
        self.requests = [f"host:transport:{serial}", service]
        self.deadline, self.v2, self.future = deadline, v2, future
        self.sock: socket.socket | None = None
        self.target: tuple[int, tuple] | None = None  # the server address tried
        self.buf = bytearray()
        self.out, self.err = bytearray(), bytearray()
        self.state = "connect"  # connect -> okay (once per request) -> stream

    def send_next(self) -> None:
        request = self.requests.pop(0).encode("utf-8")
        assert self.sock is not None
        # A request is a few hundred bytes at most, sent on a fresh socket: the kernel takes it whole.
        self.sock.sendall(b"%04x" % len(request) + request)
        self.state = "okay"

    def feed(self, data: bytes) -> tuple[bytes, bytes, int | None] | None:
        """Take bytes from the server; the finished answer once the command has ended."""
        self.buf += data
        while self.state == "okay":
            if len(self.buf) < 4:
                return None
            if self.buf[:4] == FAIL:
                if len(self.buf) < 8 or len(self.buf) < 8 + int(self.buf[4:8], 16):
                    return None
                raise ServerRefused(self.buf[8:8 + int(self.buf[4:8], 16)].decode("utf-8", "replace"))
            if self.buf[:4] != OKAY:
                raise ServerRefused(_("unexpected answer from the adb server: {data!r}").format(
                    data=bytes(self.buf[:4])))
            del self.buf[:4]
            if self.requests:
                self.send_next()
            else:
                self.state = "stream"
        if not self.v2:
            if len(self.out) < MAX_OUTPUT:
                self.out += self.buf
            self.buf.clear()
            return None
        at = 0
        while len(self.buf) - at >= 5:
            kind, length = struct.unpack_from("<BI", self.buf, at)
            if len(self.buf) - at - 5 < length:
                break
            body = self.buf[at + 5:at + 5 + length]
            at += 5 + length
            if kind == 1 and len(self.out) < MAX_OUTPUT:
                self.out += body
            elif kind == 2 and len(self.err) < MAX_OUTPUT:
                self.err += body
            elif kind == 3:
                return bytes(self.out), bytes(self.err), body[0] if body else None
        del self.buf[:at]
        return None

    def ended(self) -> tuple[bytes, bytes, int | None]:
        """The server closed the stream: the end of a v1 answer, an interrupted v2 one."""
        if self.v2 or self.state != "stream":
            raise StreamClosed(_("the device closed the stream"))
        return bytes(self.out), b"", None


class ShellStreams:
    """The selector thread of one adb server address, started on first use."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self._targets: list[tuple[int, tuple]] = []  # (address family, socket address) of the server
        self._lock = threading.Lock()
        self._queue: collections.deque[_Stream] = collections.deque()
        self._sel: selectors.BaseSelector | None = None
        self._wake_r: socket.socket | None = None
        self._wake_w: socket.socket | None = None
        self._open: set[_Stream] = set()  # connecting or connected; the loop thread's own
        self._limit = MAX_OPEN
        self._next_deadline = 0.0  # the loop scans for streams past their deadline from this time on

    def submit(self, serial: str, service: str, deadline: float, v2: bool) -> Future:
        """Run `service` (`shell,v2:CMD` or `shell:CMD`) on `serial`; the Future holds
        (stdout, stderr, exit code) or the error."""
        fut: Future = Future()
        with self._lock:
            if self._sel is None:
                self._start()
            self._queue.append(_Stream(serial, service, deadline, v2, fut))
            wake = self._wake_w
        try:
            assert wake is not None
            wake.send(b"\0")
        except OSError:  # the wake-up pipe is full: the loop is awake anyway
            pass
        return fut

    def _start(self) -> None:
        try:  # resolved here, in the caller's thread: a name lookup must not stall every stream
            self._targets = [(info[0], info[4]) for info in socket.getaddrinfo(self.host, self.port,
                                                                               type=socket.SOCK_STREAM)]
        except OSError:
            self._targets = []  # each stream then fails as "no adb server there"
        self._limit = open_limit()
        self._sel = selectors.DefaultSelector()
        self._wake_r, self._wake_w = socket.socketpair()
        self._wake_r.setblocking(False)
        self._wake_w.setblocking(False)
        self._sel.register(self._wake_r, selectors.EVENT_READ, None)
        threading.Thread(target=self._loop, name="adb-streams", daemon=True).start()

    def _loop(self) -> None:
        sel = self._sel
        assert sel is not None
        idle_since = time.monotonic()
        while True:
            try:
                self._turn(sel)
            except Exception as e:  # a bug here must not leave any caller waiting for ever
                self._give_up(e)
                return
            if self._open:
                idle_since = time.monotonic()
            elif time.monotonic() - idle_since >= IDLE_SECONDS and self._stop_if_idle():
                return

    def _stop_if_idle(self) -> bool:
        with self._lock:  # submit() starts a new thread once this one is gone
            if self._queue:
                return False
            self._close()
            return True

    def _give_up(self, error: Exception) -> None:
        """The loop itself failed: every command in flight or waiting gets the error, and the next
        command starts afresh."""
        for s in list(self._open):
            self._finish(s, error=error)
        with self._lock:
            waiting = list(self._queue)
            self._queue.clear()
            self._close()
        for s in waiting:
            s.future.set_exception(error)

    def _close(self) -> None:
        assert self._sel is not None and self._wake_r is not None and self._wake_w is not None
        self._sel.close()
        self._wake_r.close()
        self._wake_w.close()
        self._sel = self._wake_r = self._wake_w = None

    def _turn(self, sel: selectors.BaseSelector) -> None:
        self._admit()
        now = time.monotonic()
        if now >= self._next_deadline:  # scanned only when one may have passed, not on every answer
            for s in [s for s in self._open if now >= s.deadline]:
                self._finish(s, error=StreamTimeout())
            self._next_deadline = min((s.deadline for s in self._open), default=now + 60)
        wait = min(self._next_deadline - now, IDLE_SECONDS)
        for key, events in sel.select(timeout=max(0.0, wait)):
            if key.data is None:
                try:
                    self._wake_r.recv(4096)  # type: ignore[union-attr]
                except OSError:
                    pass
                continue
            self._step(key.data, events)

    def _admit(self) -> None:
        with self._lock:
            admitted = []
            while self._queue and len(self._open) < self._limit:
                s = self._queue.popleft()
                self._open.add(s)
                admitted.append(s)
        for s in admitted:
            self._next_deadline = min(self._next_deadline, s.deadline)
            self._connect(s)

    def _connect(self, s: _Stream) -> None:
        try:
            if not self._targets:
                raise ServerUnreachable(_("cannot find the address of {host}").format(host=self.host))
            family, address = s.target = self._targets[0]
            s.sock = socket.socket(family, socket.SOCK_STREAM)
            s.sock.setblocking(False)
            code = s.sock.connect_ex(address)
            if code not in _CONNECTING:
                raise ServerUnreachable(code, os.strerror(code))
            self._sel.register(s.sock, selectors.EVENT_WRITE, s)  # type: ignore[union-attr]
        except OSError as e:
            self._not_connected(s, e)

    def _not_connected(self, s: _Stream, e: OSError) -> None:
        """The server's first address refused: try its next one (`localhost` may name ::1 first while
        the server listens on 127.0.0.1 only), and keep to the one that answers."""
        self._drop_socket(s)
        if len(self._targets) > 1 and s.target == self._targets[0]:
            self._targets.pop(0)
        if self._targets and s.target != self._targets[0]:  # streams sent to the refused address meanwhile
            self._connect(s)
            return
        self._finish(s, error=e if isinstance(e, ServerUnreachable) else ServerUnreachable(str(e)))

    def _drop_socket(self, s: _Stream) -> None:
        if s.sock is not None:
            try:
                self._sel.unregister(s.sock)  # type: ignore[union-attr]
            except (KeyError, ValueError):
                pass
            s.sock.close()
            s.sock = None

    def _step(self, s: _Stream, events: int) -> None:
        assert s.sock is not None
        try:
            if s.state == "connect":
                code = s.sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                if code:
                    self._not_connected(s, ServerUnreachable(code, os.strerror(code)))
                    return
                s.send_next()
                self._sel.modify(s.sock, selectors.EVENT_READ, s)  # type: ignore[union-attr]
                return
            data = s.sock.recv(262144)
            answer = s.feed(data) if data else s.ended()
        except (BlockingIOError, InterruptedError):
            return
        except BaseException as e:
            self._finish(s, error=e)
            return
        if answer is not None:
            self._finish(s, answer=answer)

    def _finish(self, s: _Stream, answer=None, error: BaseException | None = None) -> None:
        if s not in self._open:
            return
        self._open.discard(s)
        self._drop_socket(s)  # closing the stream is what stops a command abandoned at its deadline
        if error is not None:
            s.future.set_exception(error)
        else:
            s.future.set_result(answer)
