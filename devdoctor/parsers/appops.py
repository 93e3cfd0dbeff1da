"""App-ops: `cmd appops get PKG [OP]` (also `appops get`) and the full `dumpsys appops`.

`cmd appops get` (AppOpsService.Shell, Android 7.0-14): one line per op,
`OP: mode[; time=+1m2s ago][; rejectTime=+3s ago][ (running)|; duration=+5ms]`; the mode is a name
(allow / ignore / deny / default / foreground) or `mode=N` on 7.x-8.x for a value without a name;
from 9 uid-level modes come first as `Uid mode: OP: mode`; nothing recorded prints `No operations.`
(and `Default mode: X` when one op was asked for). MIUI/HyperOS print their vendor ops by number:
`MIUIOP(10008): allow` (autostart), `MIUIOP(10021): ignore` (background pop-up) (wmpf-domain §6.1, C5).

`dumpsys appops` (capture raw/appops/pixel-sailfish-a10-...): `  Uid X:` blocks with uid-level
`OP: mode=x` lines, then `    Package P:` with `      OP (mode): ` (10+) or `      OP: mode=N; time=...`
(<= 9) lines; switched ops read `OP (allow / switch OTHER=allow): `.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from devdoctor.parsers.text import split_lines
from devdoctor.parsers.numbers import to_int

MODE_NAMES = {0: "allow", 1: "ignore", 2: "deny", 3: "default", 4: "foreground"}
# AppOpsManager's op names, Android 4.4 to 16 (sOpNames / opToPublicName's private names). Any other name a
# ROM prints is a vendor op: MIUI's `MIUIOP(10008)`, `Unknown(10021)` where a ROM has no name for its code,
# `AUTO_START`, `OP_BACKGROUND_START_ACTIVITY` and the like.
AOSP_OPS = frozenset("""
COARSE_LOCATION FINE_LOCATION GPS VIBRATE READ_CONTACTS WRITE_CONTACTS READ_CALL_LOG WRITE_CALL_LOG READ_CALENDAR
WRITE_CALENDAR WIFI_SCAN POST_NOTIFICATION NEIGHBORING_CELLS CALL_PHONE READ_SMS WRITE_SMS RECEIVE_SMS
RECEIVE_EMERGECY_SMS RECEIVE_EMERGENCY_SMS RECEIVE_MMS RECEIVE_WAP_PUSH SEND_SMS READ_ICC_SMS WRITE_ICC_SMS
WRITE_SETTINGS SYSTEM_ALERT_WINDOW ACCESS_NOTIFICATIONS CAMERA RECORD_AUDIO PLAY_AUDIO READ_CLIPBOARD
WRITE_CLIPBOARD TAKE_MEDIA_BUTTONS TAKE_AUDIO_FOCUS AUDIO_MASTER_VOLUME AUDIO_VOICE_VOLUME AUDIO_RING_VOLUME
AUDIO_MEDIA_VOLUME AUDIO_ALARM_VOLUME AUDIO_NOTIFICATION_VOLUME AUDIO_BLUETOOTH_VOLUME WAKE_LOCK MONITOR_LOCATION
MONITOR_HIGH_POWER_LOCATION GET_USAGE_STATS MUTE_MICROPHONE TOAST_WINDOW PROJECT_MEDIA ACTIVATE_VPN WRITE_WALLPAPER
ASSIST_STRUCTURE ASSIST_SCREENSHOT READ_PHONE_STATE OP_READ_PHONE_STATE ADD_VOICEMAIL USE_SIP PROCESS_OUTGOING_CALLS
USE_FINGERPRINT BODY_SENSORS READ_CELL_BROADCASTS MOCK_LOCATION READ_EXTERNAL_STORAGE WRITE_EXTERNAL_STORAGE
TURN_ON_SCREEN TURN_SCREEN_ON GET_ACCOUNTS RUN_IN_BACKGROUND AUDIO_ACCESSIBILITY_VOLUME READ_PHONE_NUMBERS
REQUEST_INSTALL_PACKAGES PICTURE_IN_PICTURE ENTER_PICTURE_IN_PICTURE_ON_HIDE INSTANT_APP_START_FOREGROUND
ANSWER_PHONE_CALLS RUN_ANY_IN_BACKGROUND CHANGE_WIFI_STATE REQUEST_DELETE_PACKAGES BIND_ACCESSIBILITY_SERVICE
ACCEPT_HANDOVER MANAGE_IPSEC_TUNNELS START_FOREGROUND BLUETOOTH_SCAN USE_BIOMETRIC ACTIVITY_RECOGNITION
SMS_FINANCIAL_TRANSACTIONS READ_MEDIA_AUDIO WRITE_MEDIA_AUDIO READ_MEDIA_VIDEO WRITE_MEDIA_VIDEO READ_MEDIA_IMAGES
WRITE_MEDIA_IMAGES LEGACY_STORAGE ACCESS_ACCESSIBILITY READ_DEVICE_IDENTIFIERS ACCESS_MEDIA_LOCATION
QUERY_ALL_PACKAGES MANAGE_EXTERNAL_STORAGE INTERACT_ACROSS_PROFILES ACTIVATE_PLATFORM_VPN LOADER_USAGE_STATS
DEPRECATED_1 AUTO_REVOKE_PERMISSIONS_IF_UNUSED AUTO_REVOKE_MANAGED_BY_INSTALLER NO_ISOLATED_STORAGE
PHONE_CALL_MICROPHONE PHONE_CALL_CAMERA RECORD_AUDIO_HOTWORD MANAGE_ONGOING_CALLS MANAGE_CREDENTIALS
USE_ICC_AUTH_WITH_DEVICE_IDENTIFIER RECORD_AUDIO_OUTPUT SCHEDULE_EXACT_ALARM FINE_LOCATION_SOURCE
COARSE_LOCATION_SOURCE MANAGE_MEDIA BLUETOOTH_CONNECT UWB_RANGING ACTIVITY_RECOGNITION_SOURCE BLUETOOTH_ADVERTISE
RECORD_INCOMING_PHONE_AUDIO NEARBY_WIFI_DEVICES ESTABLISH_VPN_SERVICE ESTABLISH_VPN_MANAGER
ACCESS_RESTRICTED_SETTINGS RECEIVE_SOUNDTRIGGER_AUDIO RECEIVE_EXPLICIT_USER_INTERACTION_AUDIO
RECEIVE_AMBIENT_TRIGGER_AUDIO RUN_USER_INITIATED_JOBS READ_MEDIA_VISUAL_USER_SELECTED
SYSTEM_EXEMPT_FROM_SUSPENSION SYSTEM_EXEMPT_FROM_DISMISSIBLE_NOTIFICATIONS READ_WRITE_HEALTH_DATA
FOREGROUND_SERVICE_SPECIAL_USE SYSTEM_EXEMPT_FROM_POWER_RESTRICTIONS SYSTEM_EXEMPT_FROM_HIBERNATION
SYSTEM_EXEMPT_FROM_ACTIVITY_BG_START_RESTRICTION CAPTURE_CONSENTLESS_BUGREPORT_ON_USERDEBUG_BUILD
BODY_SENSORS_WRIST_TEMPERATURE USE_FULL_SCREEN_INTENT CAMERA_SANDBOXED RECORD_AUDIO_SANDBOXED
RECEIVE_SANDBOX_TRIGGER_AUDIO RECEIVE_SANDBOXED_DETECTION_TRAINING_DATA CREATE_ACCESSIBILITY_OVERLAY
MEDIA_ROUTING_CONTROL ENABLE_MOBILE_DATA_BY_USER RESERVED_FOR_TESTING RAPID_CLEAR_NOTIFICATIONS_BY_LISTENER
READ_SYSTEM_GRAMMATICAL_GENDER RUN_BACKUP_JOBS ARCHIVE_ICON_OVERLAY UNARCHIVAL_CONFIRMATION EMERGENCY_LOCATION
RECEIVE_SENSITIVE_NOTIFICATIONS READ_HEART_RATE READ_SKIN_TEMPERATURE RANGING READ_OXYGEN_SATURATION
WRITE_SYSTEM_PREFERENCES CONTROL_AUDIO CONTROL_AUDIO_PARTIAL
""".split())


def is_vendor_op(op: str) -> bool:
    """An op a ROM added (by its number or a name AOSP does not have)."""
    return "(" in op or op not in AOSP_OPS
MIUI_AUTOSTART = 10008
MIUI_BACKGROUND_START = 10021

_OP_NAME = r"(?P<op>(?:[A-Z][A-Z0-9_]*|Unknown)(?:\((?P<code>\d{1,10})\))?)"
_GET_LINE = re.compile(r"^(?P<uidmode>Uid mode: )?" + _OP_NAME + r": (?P<mode>mode=-?\d+|[a-z]+)(?P<rest>.*)$")
_ERROR = re.compile(r"^(Error:|Unknown package|Exception|java\.\S+Exception|Security exception|"
                    r"cmd: Can't find service|/system/bin/sh: .*(not found|inaccessible))", re.I)
_UID = re.compile(r"^\s{2}Uid (\S+):\s*$")
_PKG = re.compile(r"^\s{4}Package (\S+):\s*$")
_DUMP_OP_NEW = re.compile(r"^\s{6}" + _OP_NAME + r" \((?P<mode>[a-z]+|-?\d+)(?: / switch (?P<switch>[^)]*))?\):\s*$")
_DUMP_OP_OLD = re.compile(r"^\s{6}" + _OP_NAME + r": mode=(?P<mode>[a-z]+|-?\d+)(?P<rest>.*)$")


def mode_name(raw: str) -> str:
    """allow / ignore / deny / default / foreground from a name, a number or `mode=N`."""
    value = raw[len("mode="):] if raw.startswith("mode=") else raw
    if re.fullmatch(r"-?\d+", value):
        return MODE_NAMES.get(to_int(value), f"mode={value[:20]}")
    return value


@dataclass
class AppOp:
    op: str  # as printed: RUN_IN_BACKGROUND, MIUIOP(10008)
    mode: str  # allow / ignore / deny / default / foreground, or mode=N when it has no name
    code: int | None = None  # the number of a vendor op printed as NAME(N)
    uid_mode: bool = False  # a `Uid mode:` line (applies to the whole uid)
    mode_raw: str = ""
    switch: str | None = None  # dumpsys: `switch COARSE_LOCATION=allow`
    line: str = ""

    @property
    def numeric(self) -> bool:
        """The mode was printed as a number (`mode=1`, `(4)`), not a name."""
        return self.mode_raw.removeprefix("mode=").lstrip("-").isdigit()

    @property
    def vendor(self) -> bool:
        return is_vendor_op(self.op)

    @property
    def allowed(self) -> bool:
        return self.mode in ("allow", "foreground")

    @property
    def denied(self) -> bool:
        return self.mode in ("ignore", "deny")


def _op(m: re.Match, line: str, uid_mode: bool = False, switch: str | None = None) -> AppOp:
    code = to_int(m.group("code"))
    raw = m.group("mode")
    return AppOp(m.group("op"), mode_name(raw), code, uid_mode, raw, switch, line.strip())


@dataclass
class AppOps:
    """`cmd appops get PKG` for one package."""

    ops: list[AppOp] = field(default_factory=list)
    no_operations: bool = False
    default_mode: str | None = None  # `Default mode: X` after `No operations.` (one op asked for)
    error: str | None = None  # the shell or the service refused (unknown package, no such service)
    problems: list[str] = field(default_factory=list)

    def get(self, op: str | int) -> AppOp | None:
        """The package's entry for an op name (`RUN_IN_BACKGROUND`) or vendor number (10008);
        a package-level line wins over a `Uid mode:` line."""
        found = [o for o in self.ops if (o.code == op if isinstance(op, int) else o.op == op)]
        found.sort(key=lambda o: o.uid_mode)
        return found[0] if found else None


def parse_appops_get(text: str) -> AppOps:
    out = AppOps()
    skipped = 0
    for line in split_lines(text):
        s = line.strip().lstrip("\ufeff")
        if not s:
            continue
        m = _GET_LINE.match(s)
        if m:
            out.ops.append(_op(m, s, uid_mode=bool(m.group("uidmode"))))
        elif s == "No operations.":
            out.no_operations = True
        elif s.startswith("Default mode: "):
            out.default_mode = mode_name(s[len("Default mode: "):].strip())
        elif _ERROR.match(s):
            out.error = out.error or s
        else:
            skipped += 1
    if skipped:
        out.problems.append(f"{skipped} line(s) are not `OP: mode` lines and were ignored")
    if not out.ops and not out.no_operations and out.error is None:
        out.problems.append("no app-op lines: this is not `cmd appops get` output")
    return out


@dataclass
class PackageOps:
    package: str
    uid: str
    ops: list[AppOp] = field(default_factory=list)


@dataclass
class AppOpsDump:
    """The full `dumpsys appops`: every uid, and every `Package` entry under it in file order."""

    uids: list[str] = field(default_factory=list)
    packages: list[PackageOps] = field(default_factory=list)
    uid_ops: dict[str, list[AppOp]] = field(default_factory=dict)  # uid-level modes
    problems: list[str] = field(default_factory=list)

    def find(self, package: str) -> list[PackageOps]:
        return [p for p in self.packages if p.package == package]


def parse_dumpsys_appops(text: str) -> AppOpsDump:
    out = AppOpsDump()
    uid: str | None = None
    pkg: PackageOps | None = None
    for line in split_lines(text):
        m = _UID.match(line)
        if m:
            uid, pkg = m.group(1), None
            out.uids.append(uid)
            continue
        if uid is None:
            continue
        m = _PKG.match(line)
        if m:
            pkg = PackageOps(m.group(1), uid)
            out.packages.append(pkg)
            continue
        if not line.startswith("  ") and line.strip():
            uid, pkg = None, None  # the uid section ended
            continue
        if pkg is None:
            m = re.match(r"^\s+" + _OP_NAME + r": mode=(?P<mode>\S+)\s*$", line)
            if m:
                out.uid_ops.setdefault(uid, []).append(_op(m, line, uid_mode=True))
            continue
        m = _DUMP_OP_NEW.match(line)
        if m:
            pkg.ops.append(_op(m, line, switch=m.group("switch")))
            continue
        m = _DUMP_OP_OLD.match(line)
        if m:
            pkg.ops.append(_op(m, line))
    if not out.uids:
        out.problems.append("no `Uid X:` sections: this is not `dumpsys appops` output")
    return out


# -- a pasted capture of either command (`devdoctor inspect`) ---------------------------------------------
def parse_either(capture) -> AppOps | AppOpsDump:
    """A pasted `dumpsys appops` (every app) or `cmd appops get PKG` (one app), told by the dump's heading."""
    text = capture.text
    return parse_dumpsys_appops(text) if "Current AppOps Service state:" in text else parse_appops_get(text)


def appops_json(d: AppOps | AppOpsDump, capture: object = None) -> dict:
    """The JSON form of either command's answer."""
    if isinstance(d, AppOpsDump):
        names = [p.package for p in d.packages]
        every = [o for p in d.packages for o in p.ops] + [o for ops in d.uid_ops.values() for o in ops]
        return {"kind": "dumpsys_appops", "uid_count": len(d.uids), "package_entry_count": len(names),
                "package_count": len(set(names)), "numeric_modes": any(o.numeric for o in every),
                "vendor_ops_seen": sorted({o.op for o in every if o.vendor}),
                "packages": [{"package": p.package, "uid": p.uid, "ops": [_op_json(o) for o in p.ops]}
                             for p in d.packages]}
    facts = {"kind": "cmd_appops_get", "no_operations": d.no_operations,
             "numeric_modes": any(o.numeric for o in d.ops), "vendor_ops_seen": sorted({o.op for o in d.ops if o.vendor}),
             "ops": [_op_json(o) for o in d.ops if not o.uid_mode],
             "uid_ops": [_op_json(o) for o in d.ops if o.uid_mode]}
    if d.error:
        facts["error"] = d.error
    return facts


def _op_json(o) -> dict:
    d = {"op": o.op, "mode": o.mode}
    if o.numeric:
        d["mode_raw"] = o.mode_raw.removeprefix("mode=")
    if getattr(o, "switch", None):
        d["switch"] = o.switch
    return d
