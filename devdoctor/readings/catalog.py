"""The readings devdoctor's checks make, each declared once (devdoctor.readings). A third party's check
declares its own the same way, in its own module.

The commands are those every bundled recording answers (a change here is a change of what a live device
is asked, and of what old recordings can replay); the parsers are in devdoctor.parsers.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from devdoctor.sources.device import command_line
from devdoctor.readings import Reading, declare

if TYPE_CHECKING:
    from devdoctor.parsers.activity import Authorities, ProcessDump, ServiceDump
    from devdoctor.parsers.appops import AppOps
    from devdoctor.parsers.camera import CameraDump, UsbVideoList
    from devdoctor.parsers.connectivity import Connectivity
    from devdoctor.parsers.deviceidle import DeviceIdle
    from devdoctor.parsers.dumpsys_package import PackageDump
    from devdoctor.parsers.getprop import Props
    from devdoctor.parsers.logcat import Log
    from devdoctor.parsers.net import DeviceClock, Interfaces, Ping
    from devdoctor.parsers.settings import Setting
    from devdoctor.parsers.pm_list import PackageList, PmPath
    from devdoctor.parsers.ps import Pidof, PsListing
    from devdoctor.parsers.queries import Visibility
    from devdoctor.parsers.standby import StandbyBucket
    from devdoctor.wmpf.error_lines import ErrorText


def _fixed(command: str):
    return lambda sdk, *args: command


def _with_package(template: list[str]):
    return lambda sdk, package: command_line([*template, package])


# Toybox `ps` shows only the caller's session from 8.0: `-A` for all; 7.x toolbox refuses `-A`.
def _ps(sdk: int | None, *args: str) -> str:
    return "ps -A" if sdk is not None and sdk >= 26 else "ps"


PROPS: Reading[Props] = declare(Reading(
    "props", _fixed("getprop"), "devdoctor.parsers.getprop:parse_getprop", kind="getprop",
    json_form="devdoctor.parsers.rom:props_json"))
PACKAGE: Reading[PackageDump] = declare(Reading(  # args: the package (validated by the caller)
    "package", _with_package(["dumpsys", "package"]), "devdoctor.parsers.dumpsys_package:parse_dumpsys_package",
    kind="dumpsys_package", json_form="devdoctor.parsers.dumpsys_package:package_dump_json"))
PACKAGES: Reading[PackageList] = declare(Reading(
    "packages", _fixed("pm list packages"), "devdoctor.parsers.pm_list:parse_pm_list", with_stderr=True,
    kind="pm_list_packages", json_form="devdoctor.parsers.pm_list:package_list_json"))
DISABLED_PACKAGES: Reading[PackageList] = declare(Reading(
    "disabled_packages", _fixed("pm list packages -d"), "devdoctor.parsers.pm_list:parse_pm_list", with_stderr=True))
APK_PATH: Reading[PmPath] = declare(Reading(
    "apk_path", _with_package(["pm", "path"]), "devdoctor.parsers.pm_list:parse_pm_path", with_stderr=True))
PROCESSES: Reading[PsListing] = declare(Reading(
    "processes", _ps, "devdoctor.parsers.ps:parse_ps", with_stderr=True, kind="ps", by_version=True,
    json_form="devdoctor.parsers.ps:ps_json"))
PIDS: Reading[Pidof] = declare(Reading(  # args: the process name
    "pids", _with_package(["pidof"]), "devdoctor.parsers.ps:parse_pidof"))
SERVICES: Reading[ServiceDump] = declare(Reading(  # args: the package
    "services", _with_package(["dumpsys", "activity", "services"]), "devdoctor.parsers.activity:parse_services",
    with_stderr=True))
ACTIVITY_PROCESSES: Reading[ProcessDump] = declare(Reading(
    "activity_processes", _fixed("dumpsys activity processes"), "devdoctor.parsers.activity:parse_processes",
    kind="dumpsys_activity", json_form="devdoctor.parsers.activity:processes_json"))
PROVIDERS: Reading[Authorities] = declare(Reading(
    "providers", _fixed("dumpsys package providers"), "devdoctor.parsers.activity:parse_provider_authorities"))
QUERIES: Reading[Visibility] = declare(Reading(
    "queries", _fixed("dumpsys package queries"), "devdoctor.parsers.queries:parse_queries"))
APPOPS: Reading[AppOps] = declare(Reading(  # args: the package
    "appops", _with_package(["cmd", "appops", "get"]), "devdoctor.parsers.appops:parse_appops_get",
    with_stderr=True, cheap=True, kind="appops", json_form="devdoctor.parsers.appops:appops_json",
    capture_parser="devdoctor.parsers.appops:parse_either"))  # a paste may be `dumpsys appops` too
DOZE_WHITELIST: Reading[DeviceIdle] = declare(Reading(
    "doze_whitelist", _fixed("dumpsys deviceidle whitelist"), "devdoctor.parsers.deviceidle:parse_deviceidle",
    cheap=True, kind="dumpsys_deviceidle", json_form="devdoctor.parsers.deviceidle:deviceidle_json"))
STANDBY_BUCKET: Reading[StandbyBucket] = declare(Reading(  # args: the package
    "standby_bucket", _with_package(["am", "get-standby-bucket"]), "devdoctor.parsers.standby:parse_standby_bucket",
    with_stderr=True, cheap=True))
CAMERAS: Reading[CameraDump] = declare(Reading(
    "cameras", _fixed("dumpsys media.camera"), "devdoctor.parsers.camera:parse_camera_dump", with_stderr=True,
    cheap=True))
CONNECTIVITY: Reading[Connectivity] = declare(Reading(
    "connectivity", _fixed("dumpsys connectivity"), "devdoctor.parsers.connectivity:parse_dumpsys_connectivity",
    kind="dumpsys_connectivity", json_form="devdoctor.parsers.connectivity:connectivity_json"))
INTERFACES: Reading[Interfaces] = declare(Reading(
    "interfaces", _fixed("ip -4 addr show"), "devdoctor.parsers.net:parse_interfaces", cheap=True, kind="ip_addr",
    json_form="devdoctor.parsers.interfaces:interfaces_json"))
PING: Reading[Ping] = declare(Reading(  # args: the host (validated by the caller)
    "ping", lambda sdk, host: command_line(["ping", "-c", "2", "-W", "2", "-n", host]),
    "devdoctor.parsers.net:parse_ping", with_stderr=True, kind="ping", json_form="devdoctor.parsers.net:ping_json"))
CLOCK: Reading[DeviceClock] = declare(Reading(
    "clock", _fixed("date +%s"), "devdoctor.parsers.net:parse_epoch", cheap=True))
GLOBAL_SETTING: Reading[Setting] = declare(Reading(  # args: the key (validated by the caller)
    "global_setting", lambda sdk, key: command_line(["settings", "get", "global", key]),
    "devdoctor.parsers.settings:parse_setting", cheap=True))
LOG: Reading[Log] = declare(Reading(
    "log", _fixed("logcat -d -v threadtime -t 5000"), "devdoctor.parsers.logcat:parse_logcat", kind="logcat",
    json_form="devdoctor.wmpf.error_lines:log_json", capture_parser="devdoctor.wmpf.error_lines:parse_log_capture",
    answer_parser="devdoctor.parsers.logcat:parse_logcat_answer"))  # the answer's time places year-less stamps


# Walks /sys/class/video4linux (readable by the shell on user builds) and prints, per node, the USB
# device's attributes (the interface's parent directory: Documentation/ABI/stable/sysfs-bus-usb).
USB_VIDEO_COMMAND = (
    "for v in /sys/class/video4linux/video*; do [ -e \"$v\" ] || continue; u=\"$v/device/..\"; "
    "echo \"video=/dev/${v##*/}\"; echo \"name=$(cat \"$v/name\" 2>/dev/null)\"; "
    "for k in idVendor idProduct serial manufacturer product busnum devnum; do "
    "echo \"$k=$(cat \"$u/$k\" 2>/dev/null)\"; done; done"
)
USB_CAMERAS: Reading[UsbVideoList] = declare(Reading(
    "usb_cameras", _fixed(USB_VIDEO_COMMAND), "devdoctor.parsers.camera:parse_usb_video", cheap=True))


# Read from pastes only (`devdoctor inspect`): no check asks a device for them.
IFCONFIG: Reading[Interfaces] = declare(Reading(
    "ifconfig", _fixed("ifconfig"), "devdoctor.parsers.interfaces:parse_interfaces", kind="ifconfig",
    json_form="devdoctor.parsers.interfaces:interfaces_json"))
WMPF_ERROR_TEXT: Reading[ErrorText] = declare(Reading(  # text copied from anywhere: no command gives it
    "wmpf_error_text", None, "devdoctor.wmpf.error_lines:parse_error_text", kind="wmpf_errors",
    json_form="devdoctor.wmpf.error_lines:error_text_json"))
