"""Cameras: `dumpsys media.camera` (built-in and HAL-listed cameras) and USB video devices from sysfs.

`dumpsys media.camera` (CameraService::dump; shared bugreports 7.1.1, 9, 10):
- 7.x: `Number of camera devices: 1`, then per camera `Camera 0 information:` / `  Facing: BACK` /
  `  Orientation: 90`.
- 8.0+: `== Camera HAL device device@3.3/legacy/0 (v3.3) static information: ==` then, under
  `  API1 info:`, `    Facing: Back` / `    Orientation: 90` (external USB cameras of the 9+ external
  provider: `device@3.4/external/110`, `Facing: External`).
- No camera service: `Can't find service: media.camera`.

USB video devices: the answer to USB_VIDEO_COMMAND (devdoctor.readings.catalog, with its reading), one
`key=value` line per sysfs attribute and a `video=` line opening each /sys/class/video4linux/videoN.
Nodes whose device has no `idVendor` are not USB (a MIPI/ISP camera's video nodes) and are left out.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from devdoctor.parsers.text import split_lines
from devdoctor.parsers.numbers import to_int

_V7_CAMERA = re.compile(r"^\s*Camera (\d+) information:\s*$")
_HAL_CAMERA = re.compile(r"^== Camera HAL device (\S+) \(v[\d.]+\) static information: ==\s*$")
_COUNT = re.compile(r"^Number of camera devices: (\d+)")
_FACING = re.compile(r"^\s*Facing: (\S+)")
_ORIENT = re.compile(r"^\s*Orientation: (\d+)")


@dataclass
class BuiltinCamera:
    camera_id: str
    facing: str | None = None  # back | front | external
    orientation: int | None = None  # sensor orientation, degrees
    hal_name: str | None = None  # device@3.3/legacy/0 (8.0+)
    lines: list[str] = field(default_factory=list)

    @property
    def external(self) -> bool:
        return self.facing == "external" or "/external/" in (self.hal_name or "")


@dataclass
class CameraDump:
    cameras: list[BuiltinCamera] = field(default_factory=list)
    count: int | None = None  # `Number of camera devices:`
    error: str | None = None
    problems: list[str] = field(default_factory=list)


def parse_camera_dump(text: str) -> CameraDump:
    dump = CameraDump()
    cam: BuiltinCamera | None = None
    for line in split_lines(text):
        stripped = line.strip()
        if stripped.startswith(("Can't find service", "Permission Denial", "Error dumping")):
            dump.error = dump.error or stripped
            continue
        m = _COUNT.match(stripped)
        if m and dump.count is None:
            dump.count = to_int(m.group(1))
            continue
        m = _V7_CAMERA.match(line)
        if m:
            cam = BuiltinCamera(m.group(1), lines=[stripped])
            dump.cameras.append(cam)
            continue
        m = _HAL_CAMERA.match(stripped)
        if m:
            cam = BuiltinCamera(m.group(1).rsplit("/", 1)[-1], hal_name=m.group(1), lines=[stripped])
            dump.cameras.append(cam)
            continue
        if stripped.startswith("=="):
            cam = None  # another section (dynamic info, provider list)
            continue
        if cam is None:
            continue
        f = _FACING.match(line)
        if f and cam.facing is None:
            cam.facing = f.group(1).lower()
            cam.lines.append(stripped)
            continue
        o = _ORIENT.match(line)
        if o and cam.orientation is None:
            cam.orientation = to_int(o.group(1))
            cam.lines.append(stripped)
    if dump.count is None and not dump.cameras and dump.error is None:
        dump.error = "no `Number of camera devices` line: not a camera service dump"
    if dump.count is not None and dump.count != len(dump.cameras) and dump.error is None:
        dump.problems.append(f"the service counts {dump.count} camera(s) but describes {len(dump.cameras)}")
    return dump


@dataclass
class UsbVideo:
    node: str  # /dev/video0
    name: str = ""
    vendor_id: str = ""  # 4 hex digits as sysfs prints them
    product_id: str = ""
    serial: str = ""
    manufacturer: str = ""
    product: str = ""
    busnum: int | None = None
    devnum: int | None = None
    lines: list[str] = field(default_factory=list)

    @property
    def usb_device_path(self) -> str | None:
        """/dev/bus/usb/BBB/DDD, the name Android's UsbDevice.getDeviceName() gives."""
        if self.busnum is None or self.devnum is None:
            return None
        return f"/dev/bus/usb/{self.busnum:03d}/{self.devnum:03d}"

    def hex_int(self, value: str) -> int | None:
        return to_int(value, 16) if re.fullmatch(r"[0-9a-fA-F]{1,4}", value) else None


@dataclass
class UsbVideoList:
    devices: list[UsbVideo] = field(default_factory=list)  # USB ones only
    other_nodes: list[str] = field(default_factory=list)  # video nodes that are not USB devices
    problems: list[str] = field(default_factory=list)


def parse_usb_video(text: str) -> UsbVideoList:
    result = UsbVideoList()
    nodes: list[UsbVideo] = []
    for line in split_lines(text):
        key, sep, value = line.strip().partition("=")
        if not sep:
            if line.strip():
                result.problems.append("not a key=value line: " + line.strip()[:80])
            continue
        if key == "video":
            nodes.append(UsbVideo(value, lines=[line.strip()]))
            continue
        if not nodes:
            continue
        dev = nodes[-1]
        dev.lines.append(line.strip())
        if key in ("busnum", "devnum"):
            setattr(dev, key, to_int(value))
        elif key in ("name", "serial", "manufacturer", "product"):
            setattr(dev, key, value)
        elif key == "idVendor":
            dev.vendor_id = value
        elif key == "idProduct":
            dev.product_id = value
    for dev in nodes:
        if dev.hex_int(dev.vendor_id) is not None:
            result.devices.append(dev)
        else:
            result.other_nodes.append(dev.node)
    return result
