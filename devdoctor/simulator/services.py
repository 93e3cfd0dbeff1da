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

from devdoctor import batch
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
        if name == "shell" and command:
            v2 = "v2" in args
            if v2 and not device.shell_v2:  # adbd before Android 7 has no shell protocol
                device.log.request(device, service, refused=True)
                return None
            device.log.request(device, service, command=command)
            return lambda s: run_shell(device, s, command, v2)
        if name == "exec" and command and not args:
            device.log.request(device, service, command=command)
            return lambda s: run_shell(device, s, command, False)
        if service == "sync:":
            device.log.request(device, service)
            return lambda s: run_sync(device, s)
        device.log.request(device, service, refused=True)  # interactive shells, reboot:, root:, ...
        return None

    return dispatch


# -- shell --------------------------------------------------------------------------------------

def _v2_packet(kind: int, data: bytes) -> bytes:
    return struct.pack("<BI", kind, len(data)) + data


def run_shell(device: "SimulatedDevice", stream: Stream, command: str, v2: bool) -> None:
    """Answer a command (or a `;` list of them) from the recording; v2 adds separate stderr and
    the exit status, legacy merges the two and carries no status."""
    stream.wait(device.latency)  # the link's round trip, paid once a stream
    script, tail = command, ""
    if not v2 and "; echo " in command:  # devdoctor's exit marker on legacy shells
        script, _, tail = command.rpartition("; ")
    if batch.decompose(script) is not None:
        run_batch(device, stream, script, tail, v2)
        return
    parts = split_list(command) if not device.shell.knows(command) else [command]
    last_exit: int | None = 0
    for part in parts:
        said = echo(part, last_exit) if not device.shell.knows(part) else None
        if said is not None:
            stream.write(_v2_packet(STDOUT, said) if v2 else said)
            last_exit = 0
            continue
        answer = device.shell.answer(part)
        device.log.answer(device, answer)
        if not perform(device, stream, answer, v2):
            return
        last_exit = answer.exit_code
    if v2:
        stream.write(_v2_packet(_EXIT, bytes([(last_exit or 0) & 0xFF])))


def run_batch(device: "SimulatedDevice", stream: Stream, script: str, tail: str, v2: bool) -> None:
    """A devdoctor batch (devdoctor.batch): each part answered from the recording, as a shell runs
    them one after another, with the batch's markers between the answers."""
    token = re.match(r"printf '%s\\n' (\S+)", script).group(1)
    stream.write(_v2_packet(STDOUT, f"{token}\n".encode()) if v2 else f"{token}\n".encode())
    code: int | None = 0
    for part in batch.decompose(script) or []:
        answer = device.shell.answer(part)
        device.log.answer(device, answer)
        if not perform(device, stream, answer, v2):
            return
        code = answer.exit_code
        out, err = f"\n{token}{code or 0}\n".encode(), f"\n{token}\n".encode()
        stream.write(_v2_packet(STDOUT, out) + _v2_packet(STDERR, err) if v2 else out + err)
    if v2:
        stream.write(_v2_packet(_EXIT, b"\0"))
    elif tail:
        said = echo(tail, 0)
        if said:
            stream.write(said)


def perform(device: "SimulatedDevice", stream: Stream, answer: Answer, v2: bool) -> bool:
    """Give one answer, faults included; False when the stream must end here without an exit status."""
    fault = answer.fault.kind if answer.fault else None
    if fault == "hang":
        stream.closed.wait()  # until the host gives up (it closes the stream) or the device stops
        return False
    if fault == "unplug":
        device.unplug(f"unplugged at `{answer.command}`")
        return False
    stream.wait(answer.duration * device.speed)
    size = answer.fault.chunk if fault == "slow" else max(1024, stream.conn.max_data - 5)
    for channel, data in answer.chunks(size):
        if fault == "slow":
            stream.wait(answer.fault.interval)
        stream.write(_v2_packet(channel, data) if v2 else data)
    return True


# -- sync ---------------------------------------------------------------------------------------

_REGULAR = statmod.S_IFREG | 0o644
_DIRECTORY = statmod.S_IFDIR | 0o755


def run_sync(device: "SimulatedDevice", stream: Stream) -> None:
    """Requests until QUIT or the host closes: STAT/STA2/LST2, LIST, RECV; SEND is refused."""
    stream.wait(device.latency)
    while True:
        request, length = struct.unpack("<4sI", stream.read_exact(8))
        if request == b"QUIT":
            return
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
