"""The one interface checks see: a device that runs shell commands and hands over small files.

Behind it stand a live device over adb (`devdoctor.sources.adb`), a recording (`devdoctor.sources.fixture`) and,
later, a bugreport. Checks never import adbutils: they call `shell()` and read a `CommandResult`.
"""
from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from typing import Protocol, Sequence, runtime_checkable

DEFAULT_COMMAND_TIMEOUT = 8.0

_PACKAGE_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)+$")


def is_package_name(name: str) -> bool:
    """True for a syntactically valid Android package name (what may safely reach a shell)."""
    return bool(_PACKAGE_NAME.match(name)) and len(name) <= 255


_HOST_NAME = re.compile(r"^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                        r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$")


def is_host_name(name: str) -> bool:
    """True for a DNS name or an IP address (what may safely reach a shell as a ping target)."""
    import ipaddress

    try:
        ipaddress.ip_address(name)
        return True
    except ValueError:
        return bool(_HOST_NAME.match(name))


def command_line(argv: Sequence[str]) -> str:
    """Join arguments into one shell command line, quoting each one that needs it."""
    return " ".join(shlex.quote(a) for a in argv)


def split_lines(text: str) -> list[str]:
    """Lines of device output, whatever the line ending (LF, CRLF, CR CR LF from old PTY shells)."""
    text = text.replace("\r\r\n", "\n").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


@dataclass(frozen=True)
class CommandResult:
    """What a device answered to one shell command."""

    command: str
    stdout: str  # exactly as the device gave it, line endings kept
    stderr: str = ""
    exit_code: int | None = 0  # None when the transport carries no exit status
    duration: float = 0.0  # seconds
    host_time: float | None = None  # the laptop's clock (epoch s) when the answer came
    raw_stdout: bytes | None = field(default=None, compare=False, repr=False)  # the bytes, when known

    @property
    def ok(self) -> bool:
        return self.exit_code == 0

    @property
    def lines(self) -> list[str]:
        return split_lines(self.stdout)

    @property
    def output(self) -> str:
        """stdout and stderr together, as a person at `adb shell` would see them."""
        return self.stdout + self.stderr


class DeviceError(Exception):
    """Base of every failure to get an answer from a device."""

    exit_code = 3  # the CLI's exit code when this ends a run
    kind = "device_error"  # in JSON reports: error.kind

    def __init__(self, message: str, command: str | None = None):
        super().__init__(message)
        self.command = command


class NoDevice(DeviceError):
    """No device attached, or the named serial is not attached."""

    kind = "no_device"


class SeveralDevices(DeviceError):
    """Several devices attached and none chosen."""

    exit_code = 2
    kind = "several_devices"

    def __init__(self, message: str, devices: list):
        super().__init__(message)
        self.devices = devices


class AdbUnavailable(DeviceError):
    """adb is missing or its server cannot be reached."""

    kind = "adb_unreachable"


class DeviceUnauthorized(DeviceError):
    """The device has not accepted this computer's RSA key."""

    kind = "unauthorized"


class DeviceOffline(DeviceError):
    """adb sees the device but cannot talk to it."""

    kind = "offline"


class DeviceGone(DeviceError):
    """The device disconnected (cable pulled, reboot) while we were talking to it."""

    kind = "disconnected"


class CommandTimeout(DeviceError):
    """A command did not finish within its time limit; the device may still be there."""

    kind = "timeout"
    cut_by_limit = False  # True when devdoctor's own time limit, not the device, ended the wait

    def __init__(self, command: str, timeout: float):
        from devdoctor.ui.i18n import _

        super().__init__(_("`{command}` did not answer within {seconds:g} s").format(command=command,
                                                                                  seconds=round(timeout, 1)), command)
        self.timeout = timeout


class NotAnswerable(DeviceError):
    """This device stand-in holds no answer for the command (not recorded, not in the bugreport)."""

    kind = "not_answerable"


class NotRecorded(NotAnswerable):
    """A recording (replayed, or served by a simulated device) lacks the command: a gap in the file, so the
    device was not diagnosed to the end (a bugreport cannot hold a ping: that is what it is, not a gap)."""

    kind = "not_recorded"


# What `devdoctor simulate` answers (on stderr, exit 127) to a command its recording lacks: never a
# device's own words, so that a gap in a file is not read as a device without the program.
NOT_RECORDED = "devdoctor simulate: not in the recording "


def not_recorded(result: CommandResult) -> NotRecorded | None:
    """The NotRecorded a simulated device meant by this answer, or None for a real answer."""
    said = result.stderr or result.stdout  # a legacy shell, and a batch's parts, merge both streams
    if result.exit_code != 127 or not said.startswith(NOT_RECORDED):
        return None
    from devdoctor.ui.i18n import _

    name = said[len(NOT_RECORDED):].split(":", 1)[0]
    return NotRecorded(_("not in the recording {name} behind this simulated device: {command}").format(
        name=name, command=result.command), result.command)


class FileUnreadable(DeviceError):
    """A file could not be read from the device (missing, permission denied)."""

    kind = "unreadable"


@runtime_checkable
class Device(Protocol):
    serial: str
    kind: str  # "adb", "replay", "bugreport"

    def shell(self, command: str | Sequence[str], timeout: float = DEFAULT_COMMAND_TIMEOUT) -> CommandResult:
        """Run a command; raises DeviceGone, CommandTimeout, NotAnswerable, ..."""
        ...

    def pull(self, path: str, timeout: float = 30.0) -> bytes:
        """Read a small file; raises FileUnreadable when it cannot."""
        ...

    def close(self) -> None: ...
