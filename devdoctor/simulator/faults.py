"""Faults a simulated device can show, chosen per recording or per command.

In a recording: `"faults": [{"kind": "hang", "command": "getprop"}, {"kind": "unauthorized"}]`; on
the command line: `--fault KIND` or `--fault KIND@COMMAND` or `--fault KIND@#N` (the Nth command the
device receives). Recorded outcomes become faults too: `timeout` hangs, `disconnected` unplugs.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from devdoctor.ui.i18n import _

# The whole device: how it answers the adb server's connection.
DEVICE_KINDS = {
    "unauthorized": "asks for authentication and never accepts the computer's key",
    # (a device that goes offline mid-run is `unplug`: the adb server lists it offline while it retries)
    "offline": "accepts the connection but never completes the handshake",
}
# One command (or every command, when none is named).
COMMAND_KINDS = {
    "hang": "never answers and never ends",
    "unplug": "the device vanishes (connection dropped, no reconnect) when the command arrives",
    "slow": "the output trickles in, `chunk` bytes every `interval` seconds",
    "large": "the output grows to `size_mb` megabytes",
    "invalid-utf8": "the output carries bytes that are not UTF-8",
}
KINDS = {**DEVICE_KINDS, **COMMAND_KINDS}


class FaultError(ValueError):
    """A fault that cannot be understood."""


@dataclass(frozen=True)
class Fault:
    kind: str
    command: str | None = None  # None: every command (or the device, for device kinds)
    nth: int | None = None  # instead of a command: the Nth shell command the device receives (1-based)
    chunk: int = 64  # slow: bytes per piece
    interval: float = 0.05  # slow: seconds between pieces
    size_mb: float = 32.0  # large: total output size

    def matches(self, command: str, number: int) -> bool:
        if self.kind in DEVICE_KINDS:
            return False
        if self.nth is not None:
            return number == self.nth
        return self.command is None or self.command == command

    def describe(self) -> str:
        where = f" at command #{self.nth}" if self.nth else f" at `{self.command}`" if self.command else ""
        return f"{self.kind}{where}"


def parse_spec(spec: str) -> Fault:
    """`KIND`, `KIND@COMMAND` or `KIND@#N`, as given to `devdoctor simulate --fault`."""
    kind, at, target = spec.partition("@")
    kind = kind.strip()
    if kind not in KINDS:
        raise FaultError(_("unknown fault {kind!r}; known faults: {kinds}").format(kind=kind, kinds=", ".join(KINDS)))
    if not at:
        return Fault(kind)
    if kind in DEVICE_KINDS:
        raise FaultError(_("fault {kind!r} concerns the whole device; give it without @COMMAND").format(kind=kind))
    if target.startswith("#"):
        try:
            n = int(target[1:])
        except ValueError:
            raise FaultError(_("{spec!r}: after '@#' comes a command number, like {kind}@#3").format(
                spec=spec, kind=kind)) from None
        if n < 1:
            raise FaultError(_("{spec!r}: commands are counted from 1").format(spec=spec))
        return Fault(kind, nth=n)
    if not target.strip():
        raise FaultError(_("{spec!r}: no command after '@'").format(spec=spec))
    return Fault(kind, command=target)


def _number(obj: dict, key: str, default: float, where: str) -> float:
    value = obj.get(key, default)
    if not isinstance(value, (int, float)) or isinstance(value, bool) or value <= 0:
        raise FaultError(_("{where}: {key} must be a positive number").format(where=where, key=key))
    return float(value)


def from_fixture(extra: dict[str, Any], name: str = "fixture") -> list[Fault]:
    """The `faults` list of a recording (kept by devdoctor.sources.fixture in Fixture.extra)."""
    items = extra.get("faults", [])
    if not isinstance(items, list):
        raise FaultError(_("{name}: \"faults\" must be a list").format(name=name))
    faults = []
    for i, f in enumerate(items):
        where = f"{name}: faults[{i}]"
        if not isinstance(f, dict) or f.get("kind") not in KINDS:
            raise FaultError(_("{where}: \"kind\" must be one of {kinds}").format(where=where, kinds=", ".join(KINDS)))
        command, nth = f.get("command"), f.get("nth")
        if command is not None and not isinstance(command, str):
            raise FaultError(_("{where}: \"command\" must be a string").format(where=where))
        if nth is not None and (not isinstance(nth, int) or nth < 1):
            raise FaultError(_("{where}: \"nth\" must be a command number from 1").format(where=where))
        faults.append(Fault(f["kind"], command, nth, int(_number(f, "chunk", 64, where)),
                            _number(f, "interval", 0.05, where), _number(f, "size_mb", 32.0, where)))
    return faults
