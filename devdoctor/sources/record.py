"""A live device wrapped so that every command and file it answers is kept, for a recording
(devdoctor.sources.fixture) that replays the same diagnosis: `devdoctor record`, `run --report`,
`watch --report-dir`."""
from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any, Sequence

from devdoctor import __version__
from devdoctor.sources.device import (DEFAULT_COMMAND_TIMEOUT, CommandResult, CommandTimeout, DeviceError, DeviceGone,
                                      FileUnreadable, command_line)
from devdoctor.sources.fixture import Entry, FileEntry, Fixture, dump, iso_time


def _failed(commands: list[str], error: DeviceError, start: float) -> list[Entry]:
    """Entries for commands that hung or met a disconnect (a batch's time shared evenly)."""
    outcome = "disconnected" if isinstance(error, DeviceGone) else "timeout"
    each = (time.monotonic() - start) / len(commands)
    return [Entry(c, outcome=outcome, duration=each, host_time=time.time()) for c in commands]


class Recorder:
    """Wraps a device; every command and file it is asked for is kept for `save()`."""

    def __init__(self, inner, identity: dict[str, Any] | None = None):
        self.inner = inner
        self.kind = inner.kind
        self.serial = inner.serial
        self.identity = identity or {"serial": inner.serial}
        self.entries: list[Entry] = []
        self.files: list[FileEntry] = []
        self._pending: dict[int, tuple[list[str], float]] = {}  # commands still waiting for an answer
        self._tickets = 0
        self._lock = threading.Lock()

    def shell(self, command: str | Sequence[str], timeout: float = DEFAULT_COMMAND_TIMEOUT) -> CommandResult:
        cmd = command if isinstance(command, str) else command_line(command)
        start, ticket = self._begin([cmd])
        try:
            r = self.inner.shell(cmd, timeout)
        except (CommandTimeout, DeviceGone) as e:
            self._settle(ticket, _failed([cmd], e, start))
            raise
        except BaseException:
            self._settle(ticket, [])
            raise
        raw = r.raw_stdout if r.raw_stdout is not None else r.stdout.encode("utf-8")
        self._settle(ticket, [Entry(cmd, raw, r.stderr.encode("utf-8"), r.exit_code, r.duration, "ok", r.host_time)])
        return r

    def shell_batch(self, commands: Sequence[str], timeout: float = DEFAULT_COMMAND_TIMEOUT) -> list:
        """Sent as one batch when the device can, kept as one entry per command."""
        from devdoctor.sources import batch

        if not hasattr(self.inner, "shell_batch"):
            return batch.each(self, commands, timeout)
        start, ticket = self._begin(list(commands))
        try:
            results = self.inner.shell_batch(commands, timeout)
        except (CommandTimeout, DeviceGone) as e:
            self._settle(ticket, _failed(list(commands), e, start))
            raise
        except BaseException:
            self._settle(ticket, [])
            raise
        self._settle(ticket, [Entry(r.command, r.raw_stdout if r.raw_stdout is not None else r.stdout.encode("utf-8"),
                                    r.stderr.encode("utf-8"), r.exit_code, r.duration, "ok", r.host_time)
                              for r in results if isinstance(r, CommandResult)])
        return results

    def pull(self, path: str, timeout: float = 30.0) -> bytes:
        try:
            data = self.inner.pull(path, timeout)
        except FileUnreadable as e:
            with self._lock:
                self.files.append(FileEntry(path, None, str(e)))
            raise
        with self._lock:
            self.files.append(FileEntry(path, data))
        return data

    def _begin(self, commands: list[str]) -> tuple[float, int]:
        start = time.monotonic()
        with self._lock:
            self._tickets += 1
            self._pending[self._tickets] = (commands, start)
            return start, self._tickets

    def _settle(self, ticket: int, entries: list[Entry]) -> None:
        with self._lock:
            self._pending.pop(ticket, None)
            self.entries.extend(entries)

    def close(self) -> None:
        self.inner.close()

    def fixture(self, description: str = "") -> Fixture:
        prov = {"origin": "recorded", "recorded_at": iso_time(time.time()), "devdoctor_version": __version__}
        with self._lock:  # a command whose check ran out of time before it answered: it hung
            hung = [e for commands, start in self._pending.values()
                    for e in _failed(commands, CommandTimeout(commands[0], 0), start)]
            entries = self.entries + hung
        return Fixture(dict(self.identity), entries, list(self.files), description, prov)

    def save(self, path: str | Path, description: str = "") -> None:
        Path(path).write_text(dump(self.fixture(description)), encoding="utf-8")
