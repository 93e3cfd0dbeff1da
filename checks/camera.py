"""camera: list built-in and USB cameras with the InitGlobalConfig keys that pick and rotate each
one (FAQ 4.1: WMPF picks the wrong camera or shows it rotated)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from devdoctor.check import Check, Context
from devdoctor.ui.i18n import N_, _
from devdoctor.core.lazy import lazy
from devdoctor.readings.catalog import CAMERAS, USB_CAMERAS
from devdoctor.result import CheckResult, Remedy
from devdoctor.wmpf.shared import wmpf_installed

if TYPE_CHECKING:
    from devdoctor.parsers.camera import BuiltinCamera, UsbVideo

if TYPE_CHECKING:  # a type checker follows the module; at run time it is imported on first use
    import devdoctor.parsers.camera as camera_parser
else:
    camera_parser = lazy("devdoctor.parsers.camera")



FACING = {"front": N_("front"), "back": N_("back"), "external": N_("external")}


def facing(cam: BuiltinCamera) -> str:
    """The way a camera faces, in the reader's language ("?" when the dump does not say)."""
    return _(FACING[cam.facing]) if cam.facing in FACING else cam.facing or "?"


def builtin_keys(cam: BuiltinCamera) -> str:
    rotation = cam.orientation if cam.orientation is not None else 0
    return (f'"cameraId": {cam.camera_id}, "cameraRotationAngle": {rotation} '
            + _("(adjust to what the phone shows)") + ', "cameraPushFlip": false')


def usb_keys(dev: UsbVideo) -> str:
    pick = (f'"usbCameraName": "{dev.usb_device_path}"' if dev.usb_device_path else "")
    triple = (f'"usbCameraVendorId": {dev.hex_int(dev.vendor_id)}, "usbCameraProductId": '
              f'{dev.hex_int(dev.product_id) if dev.hex_int(dev.product_id) is not None else 0}, '
              f'"usbSerialNumber": "{dev.serial}"')
    either = _("{a} or {b}").format(a=pick, b=triple) if pick else triple
    return either + ', "usbCameraRotationAngle": 0, "usbCameraPushFlip": false'


class Camera(Check):
    id = "camera"
    title = "Cameras"
    description = ("Lists built-in cameras (id, facing, sensor orientation) and USB video devices (node, "
                   "vendor/product ids, serial) with the InitGlobalConfig keys that select and rotate each.")
    looks_at = "dumpsys media.camera; /sys/class/video4linux/*/name and the USB device's idVendor/idProduct/serial"
    order = 70  # needs no WMPF: which camera WMPF will get is worth knowing before installing it
    reads = (CAMERAS, USB_CAMERAS)  # in one round trip, with the first reads

    def run(self, ctx: Context) -> CheckResult:
        cam_read, usb_read = ctx.read(CAMERAS), ctx.read(USB_CAMERAS)
        dump, usb = cam_read.value, usb_read.value
        builtin = [c for c in dump.cameras if not c.external]
        lines, keys = [], []
        for c in builtin:
            lines += c.lines
            keys.append(_("built-in camera {id} ({facing}, sensor at {deg}°): {keys}").format(
                id=c.camera_id, facing=facing(c), deg=c.orientation if c.orientation is not None else "?",
                keys=builtin_keys(c)))
        for d in usb.devices:
            keys.append(_("USB camera {node} \"{name}\" (vendor {vid}, product {pid}, serial \"{serial}\"): {keys}")
                        .format(node=d.node, name=d.name or d.product, vid=d.vendor_id, pid=d.product_id,
                                serial=d.serial, keys=usb_keys(d)))
        ev = [cam_read.evidence((lines or [ln for ln in cam_read.lines if ln.startswith(("Number of camera", "Can't"))])
                                [:12]), usb_read.evidence([ln for d in usb.devices for ln in d.lines][:16])]
        details = {"builtin": [{"id": c.camera_id, "facing": c.facing, "orientation": c.orientation}
                               for c in builtin],
                   "usb": [{"node": d.node, "name": d.name, "vendor_id": d.vendor_id, "product_id": d.product_id,
                            "serial": d.serial, "device_path": d.usb_device_path} for d in usb.devices],
                   "config_keys": keys}
        if dump.error and not usb.devices and not builtin:
            return CheckResult.unknown(_("could not read the cameras: {error}").format(error=dump.error),
                                       evidence=ev, details=details)
        if not builtin and not usb.devices:
            return CheckResult.warn(_("no camera found (the camera service lists none, and no USB video device "
                                      "is attached): video calls will have no picture"), evidence=ev, details=details,
                                    remedy=Remedy(_("Connect the camera (for a USB camera: check the cable and that "
                                                    "/dev/video* appears), or, if the device is meant to be "
                                                    "audio-only, disable the camera in the mini program."),
                                                  commands=["adb shell ls -l /dev/video* /dev/bus/usb/*"], faq="1.9"))
        summary = _("{n} camera(s): {ids}").format(
            n=len(builtin) + len(usb.devices),
            ids=", ".join([_("#{id} {facing} {deg}°").format(id=c.camera_id, facing=facing(c), deg=c.orientation
                                                             if c.orientation is not None else "?")
                           for c in builtin] + [f"USB {d.node} {d.vendor_id}:{d.product_id}" for d in usb.devices]))
        once = "" if wmpf_installed(ctx) is not False else _("WMPF is not installed yet; once it is: ")
        return CheckResult.passed(summary, evidence=ev, details=details, remedy=Remedy(
            once + _("If WMPF picks the wrong camera or the picture is rotated, pass these keys to InitGlobalConfig "
                     "after ActivateDevice succeeds, on every WMPF start: ") + " | ".join(keys), faq="4.1"))
