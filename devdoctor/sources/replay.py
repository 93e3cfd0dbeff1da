"""A device that answers from a recording (devdoctor.sources.fixture): what devdoctor --replay, fix --replay and the
tests diagnose when there is no device."""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Sequence

from devdoctor.sources.device import (DEFAULT_COMMAND_TIMEOUT, CommandResult, CommandTimeout, DeviceGone,
                                      FileUnreadable, NotRecorded, command_line)
from devdoctor.sources.fixture import Entry, Fixture, load
from devdoctor.ui.i18n import _


class Replayer:
    """A device that answers from a fixture. Repeated commands get their recorded answers in order,
    the last one repeating; a command the fixture lacks is NotRecorded ("not recorded: ...")."""

    kind = "replay"

    def __init__(self, fx: Fixture, name: str = "fixture"):
        self.fixture = fx
        self.name = name
        self.serial = fx.serial
        self._by_command: dict[str, list[Entry]] = {}
        for e in fx.entries:
            self._by_command.setdefault(e.command, []).append(e)
        self._served: dict[str, int] = {}
        self._gone: str | None = None
        self._lock = threading.Lock()

    @classmethod
    def from_file(cls, path: str | Path) -> "Replayer":
        return cls(load(path), Path(path).name)

    def shell(self, command: str | Sequence[str], timeout: float = DEFAULT_COMMAND_TIMEOUT) -> CommandResult:
        cmd = command if isinstance(command, str) else command_line(command)
        with self._lock:
            if self._gone:
                raise DeviceGone(_("device disconnected during `{command}`").format(command=self._gone), cmd)
            answers = self._by_command.get(cmd)
            if not answers:
                raise NotRecorded(_("not recorded: {command}").format(command=cmd), cmd)
            n = self._served.get(cmd, 0)
            self._served[cmd] = n + 1
            e = answers[min(n, len(answers) - 1)]
            if e.outcome == "disconnected":
                self._gone = cmd
                raise DeviceGone(_("device disconnected during `{command}`").format(command=cmd), cmd)
        if e.outcome == "timeout" or e.duration > timeout:
            raise CommandTimeout(cmd, timeout)
        return CommandResult(cmd, e.stdout.decode("utf-8", "replace"), e.stderr.decode("utf-8", "replace"),
                             e.exit_code, e.duration, e.host_time, raw_stdout=e.stdout)

    def shell_batch(self, commands: Sequence[str], timeout: float = DEFAULT_COMMAND_TIMEOUT) -> list:
        from devdoctor.sources import batch

        return batch.each(self, commands, timeout)

    def pull(self, path: str, timeout: float = 30.0) -> bytes:
        if self._gone:
            raise DeviceGone(_("device disconnected during `{command}`").format(command=self._gone), f"pull {path}")
        for f in self.fixture.files:
            if f.path == path:
                if f.error or f.content is None:
                    raise FileUnreadable(f"{path}: {f.error or _('unreadable')}", path)
                return f.content
        raise NotRecorded(_("not recorded: {command}").format(command=f"pull {path}"), f"pull {path}")

    def close(self) -> None:
        pass
