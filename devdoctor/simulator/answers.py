"""What the simulated device's shell answers: the recording, command by command.

Like devdoctor.sources.fixture.Replayer, repeated commands get their recorded answers in order and the last
one repeats. Unlike it, this is a shell: a command list (`a; echo X$?`, which adbutils and devdoctor
send to legacy devices to learn the exit status) runs part by part, and a command the recording
lacks is refused with exit 127, like /system/bin/sh refuses an unknown program, but in words of its own
(devdoctor.sources.device.NOT_RECORDED) so that devdoctor reports a gap in the recording, not a device fault.
"""
from __future__ import annotations

import shlex
import threading
import time
from collections import Counter
from dataclasses import dataclass
from typing import Iterator

from devdoctor.sources.device import NOT_RECORDED, command_line
from devdoctor.sources.fixture import Entry, FileEntry, Fixture
from devdoctor.parsers.numbers import to_int
from devdoctor.parsers.getprop import parse_getprop
from devdoctor.simulator import dd
from devdoctor.simulator.faults import Fault

STDOUT, STDERR = 1, 2
_FILLER = b"simulated output line for a very large answer, as a long logcat or dumpsys gives\n"
DD_SECONDS = 0.005  # a `dd` of a range: the flash read is quick, the link's bandwidth is what costs
_NOT_UTF8 = b"\xff\xfe\xc3\x28"  # a BOM-like pair and a truncated two-byte sequence


@dataclass
class Answer:
    """One command's answer, with the fault (if any) that changes how it is given."""

    command: str
    stdout: bytes = b""
    stderr: bytes = b""
    exit_code: int | None = 0
    duration: float = 0.0  # seconds, as recorded
    fault: Fault | None = None
    recorded: bool = True

    def chunks(self, size: int = 64 * 1024) -> Iterator[tuple[int, bytes]]:
        """(channel, bytes) pieces of the output, stdout first, at most `size` bytes each."""
        stdout = self.stdout
        if self.fault and self.fault.kind == "invalid-utf8":
            middle = stdout.rfind(b"\n", 0, len(stdout) // 2) + 1
            stdout = _NOT_UTF8 + stdout[:middle] + _NOT_UTF8 + b"\n" + stdout[middle:]
        for i in range(0, len(stdout), size):
            yield STDOUT, stdout[i:i + size]
        if self.fault and self.fault.kind == "large":
            remaining = int(self.fault.size_mb * 1024 * 1024) - len(stdout)
            block = _FILLER * max(1, size // len(_FILLER))
            while remaining > 0:
                piece = block[:remaining]
                remaining -= len(piece)
                yield STDOUT, piece
        for i in range(0, len(self.stderr), size):
            yield STDERR, self.stderr[i:i + size]


def split_list(command: str) -> list[str]:
    """A `;`-separated command list in its parts (quotes respected); one part when there is no list."""
    parts, current, quote = [], [], ""
    for ch in command:
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch == ";":
            parts.append("".join(current).strip())
            current = []
            continue
        current.append(ch)
    parts.append("".join(current).strip())
    return [p for p in parts if p]


def echo(command: str, last_exit: int | None) -> bytes | None:
    """The output of a plain `echo ...` (with `$?`), or None when the part is not one."""
    if not (command == "echo" or command.startswith("echo ")):
        return None
    try:
        words = shlex.split(command)[1:]
    except ValueError:
        return None
    code = "" if last_exit is None else str(last_exit)  # none recorded: the marker stays empty
    return (" ".join(words).replace("$?", code) + "\n").encode()


class Shell:
    """The recorded answers of one device, plus its per-command faults."""

    def __init__(self, fixture: Fixture, faults: list[Fault], name: str = "recording",
                 files: dict[str, FileEntry] | None = None):
        self.name = name
        self.files = files if files is not None else {f.path: f for f in fixture.files}
        self.bytes_read: Counter[str] = Counter()  # bytes of each file served (pulls and dd ranges)
        self._by_command: dict[str, list[Entry]] = {}
        for e in fixture.entries:
            self._by_command.setdefault(e.command, []).append(e)
        self.faults = faults  # device-wide kinds never match a command
        self._served: dict[str, int] = {}
        self._count = 0
        self._lock = threading.Lock()

    def knows(self, command: str) -> bool:
        return self._canonical(command) is not None

    def _canonical(self, command: str) -> str | None:
        if command in self._by_command:
            return command
        try:  # `adb exec-out` quotes every argument: exec:getprop 'ro.build.version.sdk'
            normal = command_line(shlex.split(command))
        except ValueError:
            return None
        return normal if normal in self._by_command else None

    def _derived(self, command: str) -> Answer | None:
        """`getprop NAME [DEFAULT]` from the recorded full `getprop` (the value, or an empty line), and
        `dd` ranges of the recorded files (devdoctor.simulator.dd)."""
        wanted = dd.parse(command)
        if wanted is not None:
            stdout, stderr, code = dd.answer(wanted, self.files)
            if stdout:
                self.bytes_read[wanted.path] += len(stdout)
            return Answer(command, stdout, stderr, code, DD_SECONDS)
        try:
            words = shlex.split(command)
        except ValueError:
            return None
        full = self._by_command.get("getprop")
        if not (full and words[:1] == ["getprop"] and len(words) in (2, 3) and full[0].outcome == "ok"):
            return None
        props = parse_getprop(full[0].stdout.decode("utf-8", "replace"))
        value = props.values.get(words[1], words[2] if len(words) == 3 else "")
        return Answer(command, (value + "\n").encode(), b"", 0, full[0].duration)

    def answer(self, command: str) -> Answer:
        """The next answer to one simple command (not a list)."""
        with self._lock:
            self._count += 1
            number = self._count
            key = self._canonical(command)
            if key is None:
                answer = self._derived(command) or not_recorded(command, self.name)
            else:
                n = self._served.get(key, 0)
                self._served[key] = n + 1
                answers = self._by_command[key]
                e = answers[min(n, len(answers) - 1)]
                answer = Answer(command, _clock_now(e), e.stderr, e.exit_code, e.duration)
                if e.outcome == "timeout":
                    answer.fault = Fault("hang", command)
                elif e.outcome == "disconnected":
                    answer.fault = Fault("unplug", command)
        for f in self.faults:
            if f.matches(command, number):
                answer.fault = f
                break
        return answer


def _clock_now(e: Entry) -> bytes:
    """A recorded `date +%s` told the device's clock then; served now, it keeps the offset it had from the
    laptop's clock at recording time (a clock check live must judge what a replay judges)."""
    recorded = to_int(e.stdout.decode("ascii", "replace")) if e.command == "date +%s" else None
    if recorded is None or e.host_time is None:
        return e.stdout
    return b"%d\n" % (recorded + round(time.time() - e.host_time))


def not_recorded(command: str, name: str) -> Answer:
    return Answer(command, b"", f"{NOT_RECORDED}{name}: {command}\n".encode(), 127, recorded=False)
