"""The logs area's parsers on the real captures (../shared/captures, expected facts checked by hand)
and on each format they claim to read."""
import json
from datetime import datetime

import pytest

from conftest import shared_dir
from devdoctor.parsers.appops import parse_appops_get, parse_dumpsys_appops
from devdoctor.parsers.deviceidle import parse_deviceidle
from devdoctor.parsers.getprop import parse_getprop
from devdoctor.parsers.logcat import parse_logcat
from devdoctor.parsers.rom import detect_rom
from devdoctor.parsers.standby import parse_standby_bucket
from devdoctor.parsers.text import decode


def captures(kind):
    root = shared_dir() / "captures"
    pairs = [(p, json.loads((root / "expected" / kind / (p.stem + ".json")).read_text(encoding="utf-8")))
             for p in sorted((root / "raw" / kind).glob("*.txt"))]
    assert pairs, f"no captures of {kind}"
    return pairs


# --- real captures -----------------------------------------------------------------------------

def test_logcat_captures():
    for path, want in captures("logcat_wmpf"):
        log = parse_logcat(decode(path.read_bytes()))
        assert len(log.lines) == want["line_count"], path.name
        assert log.timestamped == want["timestamped_line_count"], path.name
        assert log.format == want["log_format"], path.name
        assert not log.problems, path.name


def test_appops_captures():
    for path, want in captures("appops"):
        text = decode(path.read_bytes())
        if want["kind"] == "cmd_appops_get":
            got = parse_appops_get(text)
            assert [{"op": o.op, "mode": o.mode} for o in got.ops] == want["ops"], path.name
            assert got.no_operations == want["no_operations"]
        else:
            dump = parse_dumpsys_appops(text)
            assert len(dump.uids) == want["uid_count"]
            assert len(dump.packages) == want["package_entry_count"]
            assert len({p.package for p in dump.packages}) == want["package_count"]
            assert sorted({o.op for p in dump.packages for o in p.ops if o.code}) == sorted(want["vendor_ops_seen"])
            for chosen in want["chosen_packages"]:
                first = dump.find(chosen["package"])[0]
                assert first.uid == chosen["uid"]
                got = [{"op": o.op, "mode": o.mode, **({"switch": o.switch} if o.switch else {})} for o in first.ops]
                assert got == chosen["ops"], chosen["package"]


def test_deviceidle_captures():
    for path, want in captures("dumpsys_deviceidle"):
        idle = parse_deviceidle(decode(path.read_bytes()))
        assert idle.sections == want["sections"], path.name
        assert idle.app_id_sections == want["app_id_sections"], path.name
        assert idle.user_whitelist == want["user_whitelist"], path.name
        for absent in want["sections_absent"]:
            assert absent not in idle.sections


def test_rom_captures():
    for path, want in captures("getprop"):
        rom = detect_rom(parse_getprop(decode(path.read_bytes())))
        assert rom.name in want["rom_acceptable"], (path.name, rom)
        if rom.prop:
            assert rom.prop in want["rom_evidence"], (path.name, rom.evidence, want["rom_evidence"])


# --- logcat formats ------------------------------------------------------------------------------

def test_threadtime_with_uid_column_and_spaces_in_tag():
    # as in the Android 10 bugreport: `-v uid` puts the uid before pid and tid
    log = parse_logcat("01-08 15:29:55.853 10076  3225  3254 I eMBMS  Service: EmbmsService is not ready\n")
    (ln,) = log.lines
    assert (ln.uid, ln.pid, ln.tid, ln.level, ln.tag) == ("10076", 3225, 3254, "I", "eMBMS  Service")
    assert ln.message == "EmbmsService is not ready"


def test_threadtime_crlf_markers_and_buffers():
    text = ("--------- beginning of system\r\n"
            "10-04 16:03:04.882  1289  1289 I vold    : Vold 3.0 (the awakening) firing up\r\n"
            "--------- beginning of crash\r\n"
            "10-04 16:37:53.334  5176  5196 E AndroidRuntime: FATAL EXCEPTION: mqt_js\r\n")
    log = parse_logcat(text)
    assert [ln.buffer for ln in log.lines] == ["system", "crash"]
    assert log.buffers == ["system", "crash"]
    assert log.lines[0].tag == "vold" and log.lines[1].message == "FATAL EXCEPTION: mqt_js"
    assert not log.problems


def test_time_brief_and_long_formats():
    log = parse_logcat("10-04 16:43:24.123 I/ActivityManager(  1686): Start proc 1757:x/u0a54\n"
                       "W/IPC.IPCBridgeManager( 2456): [getIPCBridge]onConnectTimeout(com.tencent.wmpf)\n"
                       "[ 10-04 16:43:25.001  2456: 2533 E/WMPFCli.IPCInvoker ]\n"
                       "onBridgeNotFound\n"
                       "second line\n"
                       "\n")
    assert [ln.format for ln in log.lines] == ["time", "brief", "long"]
    assert log.lines[0].pid == 1686 and log.lines[0].tag == "ActivityManager"
    assert log.lines[1].timestamp is None and log.lines[1].tag == "IPC.IPCBridgeManager"
    assert log.lines[2].message == "onBridgeNotFound\nsecond line" and log.lines[2].tid == 2533


def test_year_less_stamps_cross_new_year():
    text = ("12-31 23:59:59.000  1  1 I a: old\n"
            "01-01 00:00:01.000  1  1 I a: new\n")
    log = parse_logcat(text, reference=datetime(2027, 1, 1, 0, 5))
    assert [ln.when.year for ln in log.lines] == [2026, 2027]
    assert log.newest == datetime(2027, 1, 1, 0, 0, 1)


def test_year_placed_before_reference_month():
    log = parse_logcat("11-20 17:29:58.000  1  1 I a: x\n", reference=datetime(2027, 2, 1))
    assert log.lines[0].when.year == 2026


def test_year_printed_is_kept():
    log = parse_logcat("2020-02-18 22:55:00.723  4644  4768 I IPC: x\n", reference=datetime(2026, 1, 1))
    assert log.lines[0].when == datetime(2020, 2, 18, 22, 55, 0, 723000)


def test_not_a_log_says_so():
    log = parse_logcat("/system/bin/sh: logcat: not found\n")
    assert not log.lines and log.problems


# --- appops formats ------------------------------------------------------------------------------

def test_appops_7x_numeric_mode_and_running():
    ops = parse_appops_get("COARSE_LOCATION: mode=4; time=+2s ago\nWAKE_LOCK: allow; time=+1s ago (running)\n")
    assert ops.get("COARSE_LOCATION").mode == "foreground" and ops.get("COARSE_LOCATION").mode_raw == "mode=4"
    assert ops.get("WAKE_LOCK").allowed


def test_appops_uid_mode_and_package_line():
    ops = parse_appops_get("Uid mode: RUN_ANY_IN_BACKGROUND: ignore\nRUN_ANY_IN_BACKGROUND: allow\n")
    assert ops.get("RUN_ANY_IN_BACKGROUND").mode == "allow"  # the package's own line wins
    assert [o.uid_mode for o in ops.ops] == [True, False]


def test_appops_miui_vendor_ops():
    ops = parse_appops_get("CAMERA: allow\nMIUIOP(10008): ignore\nMIUIOP(10021): allow\n")
    assert ops.get(10008).denied and ops.get(10008).op == "MIUIOP(10008)"
    assert ops.get(10021).allowed and ops.get(10035) is None


def test_appops_no_operations_and_errors():
    ops = parse_appops_get("No operations.\nDefault mode: allow\n")
    assert ops.no_operations and ops.default_mode == "allow" and not ops.problems
    err = parse_appops_get("Error: No UID for com.tencent.wmpf in user 0\n")
    assert err.error and not err.ops


# --- deviceidle, standby, rom --------------------------------------------------------------------

def test_deviceidle_whitelist_command():
    idle = parse_deviceidle("system-excidle,com.android.shell,2000\nsystem,com.android.shell,2000\n"
                            "user,com.tencent.wmpf,10086\n")
    assert idle.whitelisted("com.tencent.wmpf") and idle.user_whitelist == ["com.tencent.wmpf"]
    assert not idle.whitelisted("com.example") and not idle.problems
    only_excidle = parse_deviceidle("system-excidle,com.tencent.wmpf,10086\n")
    assert not only_excidle.whitelisted("com.tencent.wmpf")


@pytest.mark.parametrize("text, bucket, unsupported", [
    ("10\n", 10, False), ("45\r\n", 45, False),
    ("Unknown command: get-standby-bucket\n", None, True), ("", None, False)])
def test_standby_bucket(text, bucket, unsupported):
    got = parse_standby_bucket(text)
    assert (got.bucket, got.unsupported) == (bucket, unsupported)


@pytest.mark.parametrize("props, rom, version", [
    ({"ro.mi.os.version.name": "OS1.0", "ro.miui.ui.version.name": "V816"}, "hyperos", "OS1.0"),
    ({"ro.miui.ui.version.name": "V130"}, "miui", "V130"),
    ({"hw_sc.build.platform.version": "2.0.0", "ro.build.version.emui": "EmotionUI_11.0.0"}, "harmonyos", "2.0.0"),
    ({"ro.build.version.emui": "EmotionUI_10.1.0"}, "emui", "10.1.0"),
    ({"ro.build.version.oplusrom": "V12.1"}, "coloros", "V12.1"),
    ({"ro.build.version.opporom": "V7.1"}, "coloros", "V7.1"),
    ({"ro.vivo.os.name": "Funtouch", "ro.vivo.os.version": "11"}, "funtouch", "11"),
    ({"ro.vivo.os.name": "OriginOS", "ro.vivo.os.version": "3.0"}, "originos", "3.0"),
    ({"ro.build.display.id": "Flyme 8.1.2.0A"}, "flyme", "8.1.2.0a"),
    ({"ro.build.version.oneui": "40100"}, "oneui", "4.1"),
    ({"ro.product.manufacturer": "samsung"}, "other", None),
    ({"ro.product.manufacturer": "rockchip"}, "aosp-like", None),
])
def test_rom_detection(props, rom, version):
    got = detect_rom(props)
    assert (got.name, got.version) == (rom, version)
    assert got.evidence


# --- Android Studio pastes ----------------------------------------------------------------------------

def test_studio_logcat_columns_layout():
    # Android Studio's newer Logcat: `date time  PID-TID  Tag  process  L  msg`, tags shortened with `...`
    log = parse_logcat("2024-05-11 09:40:30.616  8120-8172  IPC.IPCInvoker          com.example.doorbell"
                       "                 E  invokeSync failed, get bridge is null by process(com.tencent.wmpf).\n"
                       "2024-05-11 09:40:20.612  8120-8172  IPC.Execut...reatorImpl com.example.doorbell"
                       "                 I  newThread(thread : IPCThreadPool#Thread-1)\n", reference=datetime(2024, 6, 1))
    a, b = log.lines
    assert (a.format, a.pid, a.tid, a.tag, a.process, a.level) == ("studio_columns", 8120, 8172, "IPC.IPCInvoker",
                                                                   "com.example.doorbell", "E")
    assert a.message == "invokeSync failed, get bridge is null by process(com.tencent.wmpf)."
    assert (b.tag, b.message, b.when) == ("IPC.Execut...reatorImpl", "newThread(thread : IPCThreadPool#Thread-1)",
                                          datetime(2024, 5, 11, 9, 40, 20, 612000))
    assert log.format == "studio_columns" and not log.problems


def test_lines_pasted_below_an_entry_continue_it_with_their_line_numbers():
    text = ("05-11 09:31:03.407 5388-5388/com.tencent.wmpf:container E/AndroidRuntime: FATAL EXCEPTION: main\n"
            "    Process: com.tencent.wmpf:container, PID: 5388\n"
            "\n"
            "        at android.os.Handler.handleCallback(Handler.java:873)\n"
            "Caused by: java.lang.NullPointerException\n"
            "### my notes\n"
            "    indented words after a heading\n"
            "05-11 09:31:03.520 1105-1998/? I/ActivityManager: Process com.tencent.wmpf:container (pid 5388) has died\n")
    log = parse_logcat(text)
    first, second = log.lines
    assert (first.lineno, second.lineno) == (1, 8)
    assert first.continuation == [(2, "    Process: com.tencent.wmpf:container, PID: 5388"),
                                  (4, "        at android.os.Handler.handleCallback(Handler.java:873)"),
                                  (5, "Caused by: java.lang.NullPointerException")]
    assert first.message == "FATAL EXCEPTION: main" and second.process == "?"
    assert (log.continuation_lines, log.other_lines) == (3, 2)  # after a heading, nothing continues the entry


def test_a_huge_columns_line_is_read_in_linear_time():
    line = "2024-05-11 09:40:30.616  1-2  " + "A " * 200_000 + "\n"
    assert len(parse_logcat(line).lines) == 1
    assert parse_logcat("2024-05-11 09:40:30.616  1-2  " + "a " * 200_000 + "\n").other_lines == 1
