"""The device services the simulator offers: `shell:` (legacy), `shell,v2:` (the shell protocol),
`exec:` and `sync:`. Everything else is refused, as adbd refuses a service it does not have.

Sources: AOSP system/core/adb at platform-tools-29.0.6: daemon/services.cpp (service names and shell
arguments), shell_protocol.h (v2 packets: id byte, uint32 length, data; 1 stdout, 2 stderr, 3 exit),
daemon/shell_service.cpp (without the protocol stderr shares the stream with stdout), SYNC.TXT and
file_sync_protocol.h (sync requests and replies).
"""
from __future__ import annotations

import re
import stat as statmod
import struct
from typing import TYPE_CHECKING, Callable

from devdoctor.sources import batch
from devdoctor.simulator.answers import STDERR, STDOUT, Answer, echo, split_list
from devdoctor.simulator.connection import Stream

if TYPE_CHECKING:
    from devdoctor.simulator.server import SimulatedDevice

_EXIT = 3
SYNC_DATA_MAX = 64 * 1024


def dispatcher(device: "SimulatedDevice") -> Callable[[str], Callable[[Stream], None] | None]:
    """Chooses the service for an OPEN; None refuses it."""

    def dispatch(service: str) -> Callable[[Stream], None] | None:
        head, colon, command = service.partition(":")
        if not colon:
            device.log.request(device, service, refused=True)
            return None
        name, *args = head.split(",")
        if name == "shell":
            v2 = "v2" in args
            if v2 and not device.shell_v2:  # adbd before Android 7 has no shell protocol
                device.log.request(device, service, refused=True)
                return None
            if not command:
                device.log.request(device, service, interactive=True)
                return lambda s: run_interactive(device, s, v2)
            device.log.request(device, service, command=command)
            return lambda s: run_shell(device, s, command, v2)
        if name == "exec" and command and not args:
            device.log.request(device, service, command=command)
            return lambda s: run_shell(device, s, command, False)
        if service == "sync:":
            device.log.request(device, service)
            return lambda s: run_sync(device, s)
        device.log.request(device, service, refused=True)  # reboot:, root:, tcpip:, abb:, ...
        return None

    return dispatch


# -- shell --------------------------------------------------------------------------------------

def v2_packet(kind: int, data: bytes) -> bytes:
    """One shell protocol v2 packet: kind (1 stdout, 2 stderr, 3 exit), length, data."""
    return struct.pack("<BI", kind, len(data)) + data


Emit = Callable[[int, bytes], None]  # (channel, data) on their way to the host


class _Ended(Exception):
    """The command hung or the device vanished: no more output, no exit status."""


def run_shell(device: "SimulatedDevice", stream: Stream, command: str, v2: bool) -> None:
    """Answer a command (or a `;` list of them) from the recording; v2 adds separate stderr and
    the exit status, legacy merges the two and carries no status."""
    stream.wait(device.latency)  # the link's round trip, paid once a stream

    def emit(channel: int, data: bytes) -> None:
        stream.write_soon(v2_packet(channel, data) if v2 else data)

    script, tail = command, ""
    if not v2 and "; echo " in command:  # devdoctor's exit marker on legacy shells
        script, _, tail = command.rpartition("; ")
    try:
        if batch.decompose(script) is not None:
            run_batch(device, stream, script, emit)
            code: int | None = 0  # a batch ends with its own printf
        else:  # the recorded command whole (a `for ...; do ...; done` is one), then the exit marker
            code = run_script(device, stream, script, emit)
        if tail:
            emit(STDOUT, echo(tail, code) or b"")
    except _Ended:
        return
    if v2:
        stream.write_soon(v2_packet(_EXIT, bytes([(code or 0) & 0xFF])))
    stream.flush()


def run_script(device: "SimulatedDevice", stream: Stream, command: str, emit: Emit) -> int | None:
    """Run a command line part by part; the last part's exit status."""
    parts = split_list(command) if not device.shell.knows(command) else [command]
    last_exit: int | None = 0
    for part in parts:
        said = echo(part, last_exit) if not device.shell.knows(part) else None
        if said is not None:
            emit(STDOUT, said)
            last_exit = 0
            continue
        answer = device.shell.answer(part)
        device.log.answer(device, answer)
        perform(device, stream, answer, emit)
        last_exit = answer.exit_code
    return last_exit


def run_batch(device: "SimulatedDevice", stream: Stream, script: str, emit: Emit) -> None:
    """A devdoctor batch (devdoctor.sources.batch): each part answered from the recording, as a shell runs
    them one after another, with the batch's markers between the answers."""
    token = re.match(r"printf '%s\\n' (\S+)", script).group(1)
    emit(STDOUT, f"{token}\n".encode())
    for part in batch.decompose(script) or []:
        code = run_script(device, stream, part, emit)
        emit(STDOUT, f"\n{token}{code or 0}\n".encode())
        emit(STDERR, f"\n{token}\n".encode())


def perform(device: "SimulatedDevice", stream: Stream, answer: Answer, emit: Emit) -> None:
    """Give one answer, faults included; _Ended when the stream must end here without a status."""
    fault = answer.fault.kind if answer.fault else None
    if fault == "hang":
        stream.wait_closed()  # until the host gives up (it closes the stream) or the device stops
        raise _Ended()
    if fault == "unplug":
        stream.flush()  # what the parts before it printed got through
        device.unplug(f"unplugged at `{answer.command}`")
        raise _Ended()
    stream.wait(answer.duration * device.speed)
    size = answer.fault.chunk if fault == "slow" else max(1024, stream.conn.max_data - 5)
    for channel, data in answer.chunks(size):
        if fault == "slow":
            stream.wait(answer.fault.interval)
        emit(channel, data)


def run_interactive(device: "SimulatedDevice", stream: Stream, v2: bool) -> None:
    """`adb shell` with no command: a prompt, a terminal's line editing and echo (the host's
    terminal is raw, the device's PTY does this), each line answered from the recording."""
    def out(data: bytes) -> None:
        data = data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")  # the PTY's onlcr
        stream.write(v2_packet(STDOUT, data) if v2 else data)

    prompt = f"{device.prompt_name}:/ $ ".encode()
    out(prompt)
    line, code = bytearray(), 0
    for key in _keys(stream, v2):
        if key in (b"\r", b"\n"):
            out(b"\n")
            text = line.decode("utf-8", "replace").strip()
            line.clear()
            if text == "exit":
                break
            if text:
                try:
                    code = run_script(device, stream, text, lambda ch, data: out(data)) or 0
                except _Ended:
                    return
            out(prompt)
        elif key in (b"\x7f", b"\x08"):
            if line:
                del line[-1]
                out(b"\x08 \x08")
        elif key == b"\x03":
            line.clear()
            out(b"^C\n" + prompt)
        elif key == b"\x04":
            if not line:
                break
        elif key >= b" ":
            line += key
            out(key)
    if v2:
        stream.write(v2_packet(_EXIT, bytes([code & 0xFF])))


def _keys(stream: Stream, v2: bool):
    """The bytes the user types, one at a time, until stdin closes."""
    while True:
        if not v2:
            yield stream.read_exact(1)
            continue
        kind, length = struct.unpack("<BI", stream.read_exact(5))
        data = stream.read_exact(length) if length else b""
        if kind == 4:  # close-stdin
            return
        if kind == 0:
            for i in range(len(data)):
                yield data[i:i + 1]


# -- sync ---------------------------------------------------------------------------------------

REGULAR_FILE = statmod.S_IFREG | 0o644
DIRECTORY = statmod.S_IFDIR | 0o755


def run_sync(device: "SimulatedDevice", stream: Stream) -> None:
    """Requests until QUIT or the host closes: STAT/STA2/LST2, LIST, RECV; SEND is refused."""
    while True:
        request, length = struct.unpack("<4sI", stream.read_exact(8))
        if request == b"QUIT":
            return
        stream.wait(device.latency)  # every sync request is a round trip
        if request == b"SEND":  # path,mode then DATA pieces up to DONE: take them, then refuse
            stream.read_exact(length)
            while True:
                piece, n = struct.unpack("<4sI", stream.read_exact(8))
                if piece != b"DATA":
                    break
                stream.read_exact(n)
            _fail(stream, "simulated device: read-only")
            continue
        path = stream.read_exact(length).decode("utf-8", "replace")
        device.log.sync(device, request.decode("latin-1"), path)
        if request == b"STAT":
            mode, size = device.stat(path)
            stream.write(b"STAT" + struct.pack("<III", mode, size, 0))
        elif request in (b"STA2", b"LST2"):
            mode, size = device.stat(path)
            error = 0 if mode else 2  # ENOENT
            stream.write(request + struct.pack("<IQQIIIIQqqq", error, 0, 0, mode, 1, 0, 0, size, 0, 0, 0))
        elif request == b"LIST":
            for name, mode, size in device.listdir(path):
                raw = name.encode()
                stream.write(b"DENT" + struct.pack("<IIII", mode, size, 0, len(raw)) + raw)
            stream.write(b"DONE" + bytes(16))
        elif request == b"RECV":
            content, error = device.read_file(path)
            if content is None:
                _fail(stream, error)
                continue
            for i in range(0, len(content), SYNC_DATA_MAX):
                piece = content[i:i + SYNC_DATA_MAX]
                stream.write(b"DATA" + struct.pack("<I", len(piece)) + piece)
            stream.write(b"DONE" + struct.pack("<I", 0))
        else:
            _fail(stream, f"unknown sync request {request!r}")
            return


def _fail(stream: Stream, message: str) -> None:
    raw = message.encode()
    stream.write(b"FAIL" + struct.pack("<I", len(raw)) + raw)
