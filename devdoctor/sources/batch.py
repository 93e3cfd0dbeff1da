"""Several short reads sent as one shell invocation, each keeping its own output and exit status.

Over USB every round trip costs a few milliseconds plus the adb server's work; a dozen tiny reads
(`getprop`, `cat /proc/...`, `settings get ...`) cost more in round trips than on the device. A batch
runs them one after another in a single shell and separates the answers with a marker that carries
each command's exit status:

    printf '%s\\n' X4B7f3a
    { getprop
    }; printf '\\n%s%d\\n' X4B7f3a $?; printf '\\n%s\\n' X4B7f3a >&2
    { cat /proc/uptime
    }; ...

The marker line starts after a newline of ours, which is removed again, so every command's output is
exactly what it printed (a last line without a newline stays without one). The first line, the
token alone, tells whether the transport turned every LF into CRLF (the legacy pty shell).
Recordings keep each command as its own entry, so a batch replays from a recording made without
batching, and the other way round. Only fixed commands the checks declare go into a batch, never text from a user.
"""
from __future__ import annotations

import os
import re
import time
from typing import Sequence

from devdoctor.sources.device import CommandResult, DeviceError
from devdoctor.ui.i18n import _
from devdoctor.parsers.numbers import to_int

MARK_PREFIX = "X4B"
_SCRIPT_PART = re.compile(r"\{ (.*?)\n\}; printf '\\n%s%d\\n' (X4B[0-9a-f]+) \$\?; printf '\\n%s\\n' \2 >&2(?:\n|$)",
                          re.S)


class BatchUnreadable(DeviceError):
    """The batch's output lacked a marker (a shell that died half-way): send the commands one by one."""


def new_token() -> str:
    return MARK_PREFIX + os.urandom(4).hex()  # os.urandom is what secrets uses, without importing hashlib


def compose(commands: Sequence[str], token: str) -> str:
    return f"printf '%s\\n' {token}\n" + "\n".join(f"{{ {c}\n}}; printf '\\n%s%d\\n' {token} $?; printf '\\n%s\\n' {token} >&2" for c in commands)


def decompose(script: str) -> list[str] | None:
    """The commands inside a batch script, or None when `script` is not one (for replayers and the
    simulator, which answer each part from its own recording)."""
    head = re.match(r"printf '%s\\n' (X4B[0-9a-f]+)\n", script)
    if head is None:
        return None
    body = script[head.end():]
    parts = list(_SCRIPT_PART.finditer(body))
    if (not parts or "".join(m.group(0) for m in parts).rstrip("\n") != body.rstrip("\n")
            or any(m.group(2) != head.group(1) for m in parts)):
        return None
    return [m.group(1) for m in parts]


def join_answers(answers: Sequence[tuple[str, str, int | None]], token: str) -> tuple[str, str]:
    """What a shell prints for a batch, given each command's (stdout, stderr, exit code)."""
    out = f"{token}\n" + "".join(f"{o}\n{token}{0 if code is None else code}\n" for o, _, code in answers)
    err = "".join(f"{e}\n{token}\n" for _, e, _ in answers)
    return out, err


def split(result: CommandResult, commands: Sequence[str], token: str) -> list[CommandResult]:
    """One CommandResult per command, from the batch's single answer."""
    stdout = result.stdout
    nl = "\r\n" if stdout.startswith(token + "\r\n") else "\n"  # a pty turned every LF into CRLF
    if not stdout.startswith(token + nl):
        raise BatchUnreadable(_("a batch of {n} commands did not start").format(n=len(commands)), result.command)
    # A legacy shell has no separate stderr: its markers arrive in stdout, between the commands.
    body = stdout[len(token + nl):].replace(f"{nl}{token}{nl}", "")
    outs = _cut_at_status_marks(body, nl + token, nl)
    errs = result.stderr.split(f"{nl}{token}{nl}") if result.stderr else []
    codes = [to_int(c) for c in outs[1::2]]
    if len(codes) < len(commands) or None in codes[:len(commands)]:
        raise BatchUnreadable(_("a batch of {n} commands answered only {answered}").format(
            n=len(commands), answered=len(codes)), result.command)
    each = result.duration / len(commands)  # the device's time is known for the batch only: shared evenly
    return [CommandResult(cmd, outs[2 * i], errs[i] if i < len(errs) else "", codes[i], each,
                          result.host_time if result.host_time is not None else time.time())
            for i, cmd in enumerate(commands)]


def _cut_at_status_marks(body: str, mark: str, nl: str) -> list[str]:
    """`body` cut at every `mark` followed by an exit status and `nl`: [output, status, output, status, ...,
    rest], as re.split(mark + r"(-?\\d+)" + nl) gives it, scanning from left to right. By plain string
    search: every batch has a token of its own, and a regex built for each would be compiled each time,
    and crowd the re module's cache."""
    out, start, at = [], 0, body.find(mark)
    while at >= 0:
        status = _STATUS.match(body, at + len(mark))
        if status is not None and body.startswith(nl, status.end()):
            out += [body[start:at], status.group()]
            start = status.end() + len(nl)
            at = body.find(mark, start)
        else:  # the token inside a command's own output, not a mark of ours
            at = body.find(mark, at + 1)
    return out + [body[start:]]


_STATUS = re.compile(r"-?\d+")


def each(device, commands: Sequence[str], timeout: float) -> list[CommandResult | DeviceError]:
    """Answers one by one, for devices that answer from a file (replay, bugreport): a batch of them
    costs nothing to split, and a command missing from the file fails alone."""
    from devdoctor.sources.device import DeviceGone

    out: list[CommandResult | DeviceError] = []
    for c in commands:
        try:
            out.append(device.shell(c, timeout))
        except DeviceGone:
            raise
        except DeviceError as e:
            out.append(e)
    return out
