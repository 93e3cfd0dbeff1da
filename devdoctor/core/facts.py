"""What several checks read, fetched once per diagnosis and shared.

Checks run at the same time: a command already in flight is awaited, not sent again, and a failure
(the device gone, a timeout) is remembered and given to every check that asks.
"""
from __future__ import annotations

import threading
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from typing import TYPE_CHECKING, Callable, Sequence, TypeVar

from devdoctor.sources.device import (DEFAULT_COMMAND_TIMEOUT, CommandResult, CommandTimeout, Device, DeviceGone,
                                      command_line)
from devdoctor.readings import Read, Reading, read_answer
from devdoctor.readings.catalog import PACKAGE, PROPS

if TYPE_CHECKING:
    from devdoctor.parsers.dumpsys_package import PackageDump
    from devdoctor.parsers.getprop import Props

T = TypeVar("T")


class Facts:
    def __init__(self, device: Device, command_timeout: float = DEFAULT_COMMAND_TIMEOUT):
        self.device = device
        self.command_timeout = command_timeout
        self.round_trips = 0
        self.lost: DeviceGone | None = None  # the first disconnect, told to every later caller
        self._lock = threading.Lock()
        self._memo: dict[str, Future] = {}
        self.reads_started_for: tuple[str, ...] | None = None  # the checks whose reads were sent (runner.start_reads)

    @property
    def reads_answered_by_source(self) -> bool:
        """Whether the source answers readings from a store of its own (a bugreport's sections) rather than
        from their commands: those commands are not worth sending ahead."""
        return getattr(self.device, "read_reading", None) is not None

    def answered(self, command: str) -> bool:
        """Whether `command` was sent and its answer (or error) is in."""
        fut = self._memo.get("cmd:" + command)
        return fut is not None and fut.done()

    def when_answered(self, command: str, then: Callable[[], None]) -> None:
        """then() once the answer (or error) of `command`, already sent, is in: at once if it is, else in
        the thread that receives it."""
        fut = self._memo.get("cmd:" + command)
        if fut is not None:
            fut.add_done_callback(lambda _answer: then())

    def unanswered(self) -> list[str]:
        """Commands sent and not answered yet, oldest first: what a check that ran out of time waited for."""
        with self._lock:
            return [key.removeprefix("cmd:") for key, fut in self._memo.items()
                    if key.startswith("cmd:") and not fut.done()]

    def _once(self, key: str, fetch: Callable[[], T], wait: float | None = None) -> T:
        """fetch() once for `key`; a caller that finds it in flight waits at most `wait` seconds."""
        with self._lock:
            fut = self._memo.get(key)
            owner = fut is None
            if owner:
                fut = self._memo[key] = Future()
        if owner:
            try:
                fut.set_result(fetch())
            except BaseException as e:  # remembered for every caller
                fut.set_exception(e)
        try:
            return fut.result(timeout=None if owner else wait)
        except FutureTimeout:
            raise CommandTimeout(key.removeprefix("cmd:"), wait or 0) from None

    def remember(self, name: str, compute: Callable[[], T]) -> T:
        """A fact one check learns and others need (the maker's app, say), computed once per diagnosis by
        whichever check asks first; the others wait for it. Typed by what `compute` returns: a check
        never reads another's `details` by key."""
        return self._once("fact:" + name, compute)

    def run(self, command: str | Sequence[str], timeout: float | None = None) -> CommandResult:
        cmd = command if isinstance(command, str) else command_line(command)
        limit = timeout or self.command_timeout
        return self._once("cmd:" + cmd, lambda: self._send(cmd, limit), wait=limit)

    def prefetch(self, cheap: Sequence[str], slow: Sequence[str] = ()) -> None:
        """Start, in the background, fixed commands that checks will ask for, so the answers are on
        their way before the checks ask: the `cheap` ones together in one round trip (devdoctor.sources.batch),
        each `slow` one at once on its own. A check asking meanwhile waits for the answer in flight."""
        with self._lock:
            if self.lost is not None:
                return
            cheap = [c for c in dict.fromkeys(cheap) if "cmd:" + c not in self._memo]
            if len(cheap) < 2 or getattr(self.device, "shell_batch", None) is None:
                slow, cheap = [*cheap, *slow], []
            batched = {c: self._memo.setdefault("cmd:" + c, Future()) for c in cheap}
            alone = {c: self._memo.setdefault("cmd:" + c, Future())
                     for c in dict.fromkeys(slow) if "cmd:" + c not in self._memo}
        for c, f in alone.items():  # first: the slowest reads are among them, and a thread takes a while to start
            self._start(c, f)
        if batched and getattr(self.device, "shell_batch_future", None) is not None and self.lost is None:
            self._start_batch(batched)
        elif batched:
            threading.Thread(target=self._send_batch, args=(batched,), name="prefetch-batch", daemon=True).start()

    def _start(self, cmd: str, fut: Future) -> None:
        """Send cmd and fill fut with its answer, without a thread waiting for it where the device can
        (a live device: devdoctor.sources.adb_streams); elsewhere a thread waits."""
        shell_future = getattr(self.device, "shell_future", None)
        if shell_future is None or self.lost is not None:
            threading.Thread(target=self._resolve, args=(cmd, fut), name="prefetch", daemon=True).start()
            return
        with self._lock:
            self.round_trips += 1

        def done(answer: Future) -> None:
            error = answer.exception()
            if error is not None:
                self._note_lost(error)
                fut.set_exception(error)
            else:
                fut.set_result(answer.result())

        shell_future(cmd, self.command_timeout).add_done_callback(done)

    def _start_batch(self, futures: dict[str, Future]) -> None:
        """The batch sent now, its answers filled in when they come (no thread waits for them)."""
        with self._lock:
            self.round_trips += 1

        def done(answer: Future) -> None:
            error = answer.exception()
            self._batch_answered(futures, None if error else answer.result(), error)

        self.device.shell_batch_future(list(futures), self.command_timeout).add_done_callback(done)

    def _send_batch(self, futures: dict[str, Future]) -> None:
        """The batch on a device that can only answer it while a thread waits (a recording, a recorder)."""
        with self._lock:
            self.round_trips += 1
        try:
            results = self.device.shell_batch(list(futures), self.command_timeout)
        except BaseException as e:
            self._batch_answered(futures, None, e)
            return
        self._batch_answered(futures, results)

    def _batch_answered(self, futures: dict[str, Future], results: list | None,
                        error: BaseException | None = None) -> None:
        """Each command's answer from the batch's; a lost device fails them all; a timeout or an
        unreadable batch sends each command on its own, in parallel."""
        if isinstance(error, DeviceGone):
            self._note_lost(error)
            for f in futures.values():
                f.set_exception(error)
        elif error is not None or results is None:
            for c, f in futures.items():
                self._start(c, f)
        else:
            for c, r in zip(futures, results):
                if isinstance(r, CommandResult):
                    futures[c].set_result(r)
                else:
                    futures[c].set_exception(r)

    def _resolve(self, cmd: str, fut: Future) -> None:
        try:
            fut.set_result(self._send(cmd, self.command_timeout))
        except BaseException as e:
            fut.set_exception(e)

    def _send(self, cmd: str, timeout: float) -> CommandResult:
        if self.lost is not None:
            raise DeviceGone(str(self.lost), cmd)
        with self._lock:
            self.round_trips += 1
        try:
            return self.device.shell(cmd, timeout)
        except DeviceGone as e:
            self._note_lost(e)
            raise

    def _note_lost(self, error: BaseException) -> None:
        """Remember the first disconnect: every later read is told of it instead of being sent."""
        if isinstance(error, DeviceGone):
            with self._lock:
                self.lost = self.lost or error

    def read(self, reading: Reading[T], *args: str, timeout: float | None = None) -> Read[T]:
        """A reading (devdoctor.readings), once per diagnosis: from the source's own store when it has one (a
        bugreport's sections), else from its command's answer. The caller validates `args` (package names,
        host names)."""
        answer_from = getattr(self.device, "read_reading", None)

        def fetch() -> Read[T]:
            found = answer_from(reading, args) if answer_from is not None else None
            if found is not None:
                return found
            sdk = self.props().sdk if reading.by_version else None
            return read_answer(reading, self.run(reading.command_for(sdk, *args), timeout))

        return self._once(reading.key(*args), fetch, wait=timeout or self.command_timeout)

    def props(self) -> Props:
        return self.read(PROPS).value

    def package_dump(self, package: str) -> PackageDump:
        """`dumpsys package PKG`, parsed. The caller validates PKG (devdoctor.sources.device.is_package_name)."""
        return self.read(PACKAGE, package).value
