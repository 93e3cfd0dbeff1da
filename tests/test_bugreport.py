"""`devdoctor run --bugreport`: the index, the command table, and the report on hand-built bugreports."""
import io
import json
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import synthetic_bugreport as sb
from conftest import cli
from devdoctor.sources.bugreport import BugreportDevice, BugreportError, open_bugreport
from devdoctor.sources.bugreport_sections import package_slice
from devdoctor.sources.device import FileUnreadable, NotAnswerable
from devdoctor.parsers.bugreport import index_bugreport
from devdoctor.parsers.dumpsys_package import parse_dumpsys_package

WMPF = sb.package_block("com.tencent.wmpf", "2.2.0", 9020017, "/data/app/com.tencent.wmpf-AbC==")
SHELL = sb.package_block("com.android.shell", "10", 29, "/system/priv-app/Shell", flags="SYSTEM HAS_CODE")
PROPS = {"ro.build.version.sdk": "29", "ro.build.version.release": "10", "ro.product.model": "Door-7",
         "ro.product.manufacturer": "ACME", "ro.product.brand": "acme", "ro.serialno": "SYNTH0001",
         "ro.product.cpu.abilist": "arm64-v8a,armeabi-v7a"}
PS = ("LABEL                          USER           PID   TID  PPID     VSZ    RSS WCHAN            ADDR S PRI  NI "
      "RTPRIO SCH PCY     TIME CMD            \n"
      "u:r:init:s0                    root             1     1     0   51308   6620 SyS_epoll_wait      0 S  19   0 "
      "     -   0  fg 00:00:02 init\n")
LOG = ("--------- beginning of main\n"
       "05-01 09:59:58.100 10123  4242  4250 I WMPF    : container start ok\n"
       "05-01 09:59:58.200  1000   929  1028 W ActivityManager: Slow operation\n"
       "05-01 09:59:59.300 10123  4242  4251 E WMPF    : activate failed errcode=-3\n")
APPOPS = ("Current AppOps Service state:\n  Uid u0a123:\n    state=cch\n    Package com.tencent.wmpf:\n"
          "      RUN_IN_BACKGROUND (ignore):\n      CAMERA (allow):\n          Access: [fg-s] 2024-05-01 09:00:00.000\n"
          "  Uid u0a124:\n    Package com.other.app:\n      CAMERA (deny):\n")


def device_of(text: str) -> BugreportDevice:
    return BugreportDevice(io.BytesIO(text.encode()), "synthetic.txt")


def full(**parts) -> str:
    args = dict(props=PROPS, services=[("package", sb.package_dump([SHELL, WMPF])), ("appops", APPOPS),
                                       ("deviceidle", "  Settings:\n    light_after_inactive_to=+3m0s0ms\n")],
                ps=PS, system_log=LOG)
    args.update(parts)
    return sb.bugreport(**args)


def test_the_index_finds_sections_and_services_with_exact_bounds():
    text = full()
    ix = index_bugreport(io.BytesIO(text.encode()), chunk_size=64)  # tiny chunks: markers across chunk edges
    props = ix.section("SYSTEM PROPERTIES")
    assert props.command == "getprop"
    assert text.encode()[props.start:props.end].decode() == sb.getprop_text(PROPS)
    deviceidle = ix.service("deviceidle")
    assert text.encode()[deviceidle.start:deviceidle.end].decode() == "  Settings:\n    light_after_inactive_to=+3m0s0ms\n"
    assert ix.header.taken_at == "2024-05-01 10:00:00" and ix.header.serial == "SYNTH0001"
    assert ix.problems == []


def test_a_cut_off_bugreport_says_which_part_is_incomplete():
    text = full()
    cut = text[:text.index("Package [com.tencent.wmpf]") + 40]
    ix = index_bugreport(io.BytesIO(cut.encode()))
    assert not ix.service("package").complete
    assert any("cut off" in p and "dumpsys package" in p for p in ix.problems)


def test_getprop_and_one_property():
    br = device_of(full())
    assert br.shell("getprop").stdout == sb.getprop_text(PROPS)
    assert br.shell("getprop ro.product.model").stdout == "Door-7\n"
    assert br.shell(["getprop", "ro.not.set"]).stdout == "\n"


def test_dumpsys_package_of_one_package_is_cut_out_in_the_real_format():
    br = device_of(full())
    out = br.shell(["dumpsys", "package", "com.tencent.wmpf"]).stdout
    assert out.startswith("Packages:\n  Package [com.tencent.wmpf]") and "com.android.shell" not in out
    rec = parse_dumpsys_package(out).find("com.tencent.wmpf")
    assert (rec.versionName, rec.versionCode, rec.stopped) == ("2.2.0", 9020017, False)
    assert br.shell("dumpsys package com.tencent.wmpf.helper").stdout == \
        "Unable to find package: com.tencent.wmpf.helper\n"


def test_an_updated_system_app_keeps_its_hidden_factory_copy():
    old = sb.package_block("com.tencent.wmpf", "1.0.0", 1000, "/system/app/WMPF", flags="SYSTEM HAS_CODE")
    out = package_slice(sb.package_dump([WMPF], hidden=[old]), "com.tencent.wmpf")
    dump = parse_dumpsys_package(out)
    assert [(p.section, p.versionName) for p in dump.packages] == [("Packages", "2.2.0"),
                                                                   ("Hidden system packages", "1.0.0")]


PS_THREADS = PS + (
    "u:r:untrusted_app:s0:c512,c768 u0_a123       4242  4242   610 4200000 90000 SyS_epoll_wait      0 S  20   0 "
    "     -   0  fg 00:00:09 om.tencent.wmpf\n"
    "u:r:untrusted_app:s0:c512,c768 u0_a123       4242  4250   610 4200000 90000 futex_wait_queue_me 0 S  20   0 "
    "     -   0  fg 00:00:01 Binder:4242_1\n")
TIMES = "1     /system/bin/init                               0.30    1.82    0.00\n" \
        "4242  com.tencent.wmpf                              21.62    3.35    0.00\n"


def test_ps_lists_processes_by_full_name_and_pidof_finds_them():
    text = full(ps=PS_THREADS, extra=sb.section("PROCESS TIMES", "pid cmd user system iowait+percentage", TIMES))
    br = device_of(text)
    r = br.shell("ps -A")
    assert r.stdout.splitlines() == [
        "USER           PID  PPID     VSZ    RSS WCHAN            ADDR S NAME",
        "root             1     0   51308   6620 SyS_epoll_wait      0 S init",
        "u0_a123       4242   610 4200000  90000 SyS_epoll_wait      0 S com.tencent.wmpf"]
    assert r.command.startswith("ps -A (from `ps -A -T -Z")
    assert br.shell("pidof com.tencent.wmpf").stdout == "4242\n"
    assert br.shell("pidof com.tencent.wmpf:container").exit_code == 1


def test_logcat_drops_the_uid_column_and_filters_tags_and_tails():
    br = device_of(full())
    out = br.shell("logcat -d -v threadtime").stdout
    assert "05-01 09:59:58.100  4242  4250 I WMPF    : container start ok\n" in out
    only = br.shell("logcat -d -s WMPF:E").stdout
    assert only.count("\n") == 1 and "activate failed" in only
    assert br.shell("logcat -d -t 1").stdout.endswith("errcode=-3\n")
    assert br.shell("logcat -d | grep -i wmpf").stdout.count("\n") == 2


def test_cmd_appops_get_is_read_from_dumpsys_appops():
    r = device_of(full()).shell("cmd appops get com.tencent.wmpf")
    assert r.stdout == "RUN_IN_BACKGROUND: ignore\nCAMERA: allow\n"
    assert device_of(full()).shell("cmd appops get com.none.here").stdout == "No operations.\n"


def test_pm_list_packages_from_the_package_dump():
    br = device_of(full())
    assert br.shell("pm list packages").stdout == "package:com.android.shell\npackage:com.tencent.wmpf\n"
    assert br.shell("pm list packages -3").stdout == "package:com.tencent.wmpf\n"
    assert br.shell("pm list packages --show-versioncode wmpf").stdout == \
        "package:com.tencent.wmpf versionCode:9020017\n"
    with pytest.raises(NotAnswerable, match="not in this bugreport"):
        br.shell("pm list packages -f")


def test_what_is_not_in_the_bugreport_or_needs_the_live_device_says_so():
    br = device_of(full(services=[]))
    with pytest.raises(NotAnswerable, match="not in this bugreport.*dumpsys package"):
        br.shell("dumpsys package com.tencent.wmpf")
    with pytest.raises(NotAnswerable, match="not in this bugreport"):
        br.shell("settings get global http_proxy")
    with pytest.raises(NotAnswerable, match="needs the live device"):
        br.shell("ping -c 3 dldir1.qq.com")
    with pytest.raises(NotAnswerable, match="needs the live device"):
        br.shell("date +%s")
    with pytest.raises(FileUnreadable):
        br.pull("/sdcard/wmpf.log")


def _zip(tmp_path, text: str, name="bugreport-door-QP1A-2024-05-01-10-00-00.txt"):
    path = tmp_path / "bugreport.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("main_entry.txt", name)
        z.writestr("version.txt", "2.0")
        z.writestr(name, text)
    return path


def test_run_bugreport_reports_from_the_bugreport_with_its_time_and_build(tmp_path):
    r = cli("run", "--bugreport", _zip(tmp_path, full()), "--json")
    assert r.returncode in (0, 1), r.stderr  # other checks may fail on this small bugreport
    doc = json.loads(r.stdout)["devices"][0]
    dev = doc["device"]
    assert (dev["source"], dev["serial"], dev["captured_at"], dev["build"], dev["model"]) == \
        ("bugreport", "SYNTH0001", "2024-05-01 10:00:00", "QP1A.191005.007.A3", "Door-7")
    assert {c["id"]: c["status"] for c in doc["checks"]}["wmpf-installed"] == "pass"
    text = cli("run", "--bugreport", _zip(tmp_path, full()))
    assert "from bugreport bugreport.zip, taken 2024-05-01 10:00:00" in text.stdout


def test_a_check_whose_section_is_missing_is_unknown_not_failed(tmp_path):
    r = cli("run", "--bugreport", _zip(tmp_path, full(services=[])), "--json")
    checks = {c["id"]: c for c in json.loads(r.stdout)["devices"][0]["checks"]}
    assert checks["wmpf-installed"]["status"] == "unknown"
    assert "not in this bugreport" in checks["wmpf-installed"]["summary"]
    assert checks["android-version"]["status"] == "pass"


def test_a_plain_text_bugreport_works_too(tmp_path):
    path = tmp_path / "bugreport.txt"
    path.write_text(full())
    assert open_bugreport(path).shell("getprop ro.build.version.sdk").stdout == "29\n"


def test_an_old_crlf_bugreport_saved_by_powershell_as_utf16(tmp_path):
    path = tmp_path / "bugreport.txt"
    path.write_bytes(b"\xff\xfe" + full().replace("\n", "\r\n").encode("utf-16-le"))
    br = open_bugreport(path)
    assert br.shell("getprop ro.product.model").stdout == "Door-7\n"
    rec = parse_dumpsys_package(br.shell("dumpsys package com.tencent.wmpf").stdout).find("com.tencent.wmpf")
    assert rec.versionCode == 9020017
    assert "activate failed" in br.shell("logcat -d -s WMPF:E").stdout


@pytest.mark.parametrize("content", [b"", b"hello\n", b"PK\x03\x04broken zip"])
def test_a_file_that_is_not_a_bugreport_is_a_usage_error(tmp_path, content):
    path = tmp_path / "x.zip"
    path.write_bytes(content)
    with pytest.raises(BugreportError):
        open_bugreport(path)
    r = cli("run", "--bugreport", path)
    assert r.returncode == 2 and "devdoctor:" in r.stderr and "Traceback" not in r.stderr


def test_a_zip_without_a_bugreport_inside(tmp_path):
    path = tmp_path / "photos.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("cat.jpg", b"\xff\xd8")
    r = cli("run", "--bugreport", path)
    assert r.returncode == 2 and "without a bugreport" in r.stderr


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=3000), st.integers(1, 200))
def test_the_index_never_raises_on_any_bytes(data, chunk):
    ix = index_bugreport(io.BytesIO(data), chunk_size=chunk)
    for s in ix.sections + ix.services:
        assert 0 <= s.start <= s.end <= len(data)


_MARKER_LINES = st.sampled_from(["------ SYSTEM LOG (logcat -v threadtime -d *:v) ------",
                                  "------ 0.1s was the duration of 'SYSTEM LOG' ------", "DUMP OF SERVICE package:",
                                  "--------- 0.2s was the duration of dumpsys package", "-" * 78, "x" * 90, ""])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(_MARKER_LINES, st.text(max_size=30)), max_size=40), st.integers(1, 120),
       st.sampled_from(["\n", "\r\n"]), st.booleans())
def test_the_index_is_the_same_however_the_text_arrives(lines, chunk, newline, last_newline):
    """The sections found do not depend on where the pieces read end (markers cut in two, long lines)."""
    data = (newline.join(lines) + (newline if last_newline else "")).encode("utf-8", "surrogatepass")
    whole, pieces = index_bugreport(io.BytesIO(data), chunk_size=len(data) + 1), index_bugreport(
        io.BytesIO(data), chunk_size=chunk)
    seen = lambda ix: [(s.title, s.start, s.end, s.kind) for s in ix.sections + ix.services]  # noqa: E731
    assert seen(pieces) == seen(whole) and pieces.size == whole.size == len(data)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.binary(max_size=40), max_size=8), st.integers(-5, 200), st.integers(-1, 200))
def test_text_held_in_pieces_reads_like_a_file(pieces, at, n):
    from devdoctor.sources.bugreport_zip import ChunkedText

    whole, text = b"".join(pieces), ChunkedText(pieces)
    text.seek(at)
    start = max(0, at)
    assert text.read(n) == (whole[start:] if n < 0 else whole[start:start + n])


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=2000))
def test_the_device_never_raises_anything_but_device_errors(text):
    br = device_of(sb.bugreport(props={}, services=[("package", text), ("appops", text)], ps=text,
                                system_log=text))
    for cmd in ("getprop", "dumpsys package com.tencent.wmpf", "ps -A", "logcat -d -s WMPF",
                "cmd appops get com.tencent.wmpf", "pm list packages", "dumpsys activity services com.x.y"):
        try:
            br.shell(cmd)
        except NotAnswerable:
            pass


SETTINGS = ("CONFIG SETTINGS (user 0)\n\nGLOBAL SETTINGS (user 0)\n"
            "_id:0 name:airplane_mode_on pkg:android value:0 default:0 defaultSystemSet:true\n"
            "_id:77 name:http_proxy pkg:com.android.settings value:10.0.0.1:3128\n"
            "Historical operations\n\nSECURE SETTINGS (user 0)\n_id:3 name:http_proxy pkg:x value:nope\n")
USAGE = "  App Standby States:\n    package=com.tencent.wmpf u=0 bucket=40 reason=d used=+1h idle=y\n"
IDLE = ("  Whitelist (except idle) system apps:\n    com.android.shell\n  Whitelist user apps:\n"
        "    com.tencent.wmpf\n  Whitelist user app ids:\n    10123\n")


def test_settings_standby_and_the_doze_whitelist_are_read_from_their_dumps():
    br = device_of(full(services=[("package", sb.package_dump([SHELL, WMPF])), ("settings", SETTINGS),
                                  ("usagestats", USAGE), ("deviceidle", IDLE)]))
    assert br.shell("settings get global http_proxy").stdout == "10.0.0.1:3128\n"
    assert br.shell("settings get global private_dns_mode").stdout == "null\n"
    assert br.shell("am get-standby-bucket com.tencent.wmpf").stdout == "40\n"
    assert br.shell("dumpsys deviceidle whitelist").stdout == \
        "system-excidle,com.android.shell,10123\nuser,com.tencent.wmpf,10123\n"
    with pytest.raises(NotAnswerable, match="not in this bugreport"):
        br.shell("am get-standby-bucket com.other.app")


def test_pm_path_and_package_parts():
    br = device_of(full())
    assert br.shell("pm path com.tencent.wmpf").stdout == "package:/data/app/com.tencent.wmpf-AbC==/base.apk\n"
    r = br.shell("pm path com.not.there")
    assert (r.stdout, r.exit_code) == ("", 1)
    with pytest.raises(NotAnswerable, match="APK file name"):
        br.shell("pm path com.android.shell")
    assert br.shell("dumpsys package shared-users").stdout.startswith("Shared users:\n  SharedUser [android.uid.system]")


def test_logs_of_several_buffers_are_merged_by_time():
    events = "05-01 09:59:58.150  1000   929   950 I am_proc_start: [0,4242,10123,com.tencent.wmpf]\n"
    text = full(extra=sb.section("EVENT LOG", "logcat -b events -v threadtime -v printable -v uid -d *:v", events))
    out = device_of(text).shell("logcat -d -b main -b events").stdout.splitlines()
    assert [ln[:22] for ln in out[1:4]] == ["05-01 09:59:58.100  42", "05-01 09:59:58.150   9", "05-01 09:59:58.200   9"]


def test_a_cut_off_package_dump_never_says_not_installed(tmp_path):
    text = full()
    cut = text[:text.index("Package [com.android.shell]") + 60]  # the dump ends before WMPF's block
    br = device_of(cut)
    with pytest.raises(NotAnswerable, match="cut off inside `dumpsys package`"):
        br.shell("dumpsys package com.tencent.wmpf")
    with pytest.raises(NotAnswerable, match="cut off"):
        br.shell("pm list packages")
    path = tmp_path / "cut.txt"
    path.write_text(cut)
    r = cli("run", "--bugreport", path)
    assert "the bugreport ends inside dumpsys package" in r.stdout
    assert "[?] WMPF Service installed" in r.stdout


def test_an_old_bugreport_without_duration_lines_is_cut_the_same():
    """Before 7.0 dumpstate printed no `was the duration of` lines: the next header or separator ends a part."""
    text = full()
    old = "".join(ln for ln in text.splitlines(True) if "was the duration of" not in ln)
    new_br, old_br = device_of(text), device_of(old)
    for cmd in ("getprop", "dumpsys package com.tencent.wmpf", "dumpsys deviceidle", "cmd appops get com.tencent.wmpf",
                "logcat -d", "ps -A"):
        assert old_br.shell(cmd).stdout == new_br.shell(cmd).stdout, cmd


def test_a_truncated_bugreport_zip_is_called_damaged_not_foreign(tmp_path):
    whole = tmp_path / "whole.zip"
    with zipfile.ZipFile(whole, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("bugreport-x.txt", "== dumpstate: 2026-11-20 09:30:00\n" + "------ X ------\nline\n" * 2000)
    cut = tmp_path / "cut.zip"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    r = cli("run", "--bugreport", cut)
    assert r.returncode == 2 and "damaged or truncated zip" in r.stderr and "not an Android bugreport" not in r.stderr


def test_readings_come_straight_from_the_sections_and_agree_with_the_commands_text():
    """Every reading a check makes of a bugreport is built from its sections (source names the section),
    and its value is what parsing the command's text, as a device would print it, gives."""
    from devdoctor.readings import read_answer
    from devdoctor.readings import catalog as rc

    text = full(ps=PS_THREADS, extra=sb.section("PROCESS TIMES", "pid cmd user system iowait+percentage", TIMES),
                services=[("package", sb.package_dump([SHELL, WMPF])), ("appops", APPOPS), ("usagestats", USAGE),
                          ("deviceidle", IDLE), ("settings", SETTINGS)])
    br = device_of(text)
    same = {  # reading, args -> what of its value must agree
        (rc.APPOPS, ("com.tencent.wmpf",)): lambda v: [(o.op, o.mode) for o in v.ops],
        (rc.APPOPS, ("com.none.here",)): lambda v: (v.ops, v.no_operations),
        (rc.DOZE_WHITELIST, ()): lambda v: [(e.kind, e.package, e.app_id) for e in v.entries],
        (rc.STANDBY_BUCKET, ("com.tencent.wmpf",)): lambda v: v.bucket,
        (rc.PIDS, ("com.tencent.wmpf",)): lambda v: v.pids,
        (rc.APK_PATH, ("com.tencent.wmpf",)): lambda v: v.paths,
        (rc.LOG, ()): lambda v: [(ln.tag, ln.message) for ln in v.lines],
    }
    for (reading, args), facts in same.items():
        direct = br.read_reading(reading, args)
        assert direct is not None and direct.result is None, reading.name  # no command in between
        by_command = read_answer(reading, br.shell(reading.command_for(29, *args)))
        assert facts(direct.value) == facts(by_command.value), reading.name
    assert br.read_reading(rc.STANDBY_BUCKET, ("com.tencent.wmpf",)).value.restrictive
    assert br.read_reading(rc.DOZE_WHITELIST, ()).value.whitelisted("com.tencent.wmpf")
    assert "SYSTEM LOG" in br.read_reading(rc.LOG, ()).source
    with pytest.raises(NotAnswerable, match="not in this bugreport"):
        br.read_reading(rc.CONNECTIVITY, ())


WITH_ARGS = {"package": ("com.tencent.wmpf",), "apk_path": ("com.tencent.wmpf",), "pids": ("com.tencent.wmpf",),
             "services": ("com.tencent.wmpf",), "appops": ("com.tencent.wmpf",),
             "standby_bucket": ("com.tencent.wmpf",), "ping": ("api.weixin.qq.com",)}


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=1500))
def test_every_reading_of_any_bugreport_is_a_value_or_a_stated_gap(text):
    """Each reading a check makes, read from a bugreport whose sections hold anything at all: a typed value
    (or None: asked through its command instead), or NotAnswerable saying what is missing; never another
    exception."""
    from devdoctor.readings import REGISTRY
    from devdoctor.readings import catalog  # noqa: F401  (declares the built-in readings)

    services = [(name, text) for name in ("package", "appops", "activity", "connectivity", "deviceidle",
                                          "usagestats", "media.camera")]
    br = device_of(sb.bugreport(props={}, services=services, ps=text, system_log=text))
    for reading in REGISTRY.values():
        try:
            found = br.read_reading(reading, WITH_ARGS.get(reading.name, ()))
        except NotAnswerable:
            continue
        assert found is None or found.value is not None, reading.name


def test_a_zipped_bugreport_named_on_the_command_line_starts_inflating_before_the_command_is_built(tmp_path):
    from devdoctor import entry
    from devdoctor.sources import bugreport_zip

    text = sb.bugreport(props={"ro.build.version.sdk": "30"})
    zipped, plain = tmp_path / "br.zip", tmp_path / "br.txt"
    with zipfile.ZipFile(zipped, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("bugreport-panel-2024.txt", text)
    plain.write_text(text)
    bugreport_zip._started.clear()
    entry.begin_early(["devices", "--bugreport", str(zipped)])  # not `run`: nothing
    entry.begin_early(["run", "--bugreport", str(plain)])  # not a zip: read as it is, later
    assert bugreport_zip._started == {}
    entry.begin_early(["--lang", "zh", "run", "--json", f"--bugreport={zipped}"])
    started = bugreport_zip._started[zipped.resolve()]
    member, pieces = started.result()
    assert member == "bugreport-panel-2024.txt" and b"".join(pieces) == text.encode()
    # opening it takes what was started instead of inflating again
    device = open_bugreport(zipped)
    assert bugreport_zip._started == {} and device.shell("getprop ro.build.version.sdk").stdout.strip() == "30"


@pytest.mark.parametrize("compression, at", [(zipfile.ZIP_STORED, 5000), (zipfile.ZIP_DEFLATED, 300),
                                             (zipfile.ZIP_DEFLATED, -200)])
def test_a_bugreport_zip_with_damaged_bytes_inside_is_called_damaged(tmp_path, compression, at):
    text = sb.bugreport(props={"ro.build.version.sdk": "30"}) + "filler line\n" * 20000
    path = tmp_path / "bugreport.zip"
    with zipfile.ZipFile(path, "w", compression) as z:
        z.writestr("bugreport-panel-2024.txt", text)
    data = bytearray(path.read_bytes())
    at = at if at >= 0 else len(data) - len(b"bugreport-panel-2024.txt") - 46 - 22 + at  # before the directory
    data[at] ^= 0x55
    path.write_bytes(data)
    r = cli("run", "--bugreport", path)
    assert r.returncode == 2 and "damaged zip" in r.stderr and "Traceback" not in r.stderr, r.stderr


def test_a_diagnosis_of_a_bugreport_reads_its_log_once(monkeypatch):
    """The readings' commands are not sent ahead to a bugreport: it answers them from its sections when a
    check asks, and an answer sent ahead would be a second read of the same log (the slowest part)."""
    import devdoctor.sources.bugreport_readings as readings
    import devdoctor.sources.bugreport_routes as routes
    from devdoctor.check import Settings
    from devdoctor.core.plugins import load
    from devdoctor.core.diagnose import select_checks
    from devdoctor.core.runner import run_checks

    asked = []
    real = readings.logcat_answer

    def counted(br, args):
        asked.append(" ".join(args))
        return real(br, args)

    monkeypatch.setattr(readings, "logcat_answer", counted)
    monkeypatch.setattr(routes, "logcat_answer", counted)
    report = run_checks(device_of(full()), select_checks(load(), [], []), Settings())
    assert {r.id: r.details.get("lines_read") for r in report.results}["wmpf-log"] == 3  # it did read the log
    assert asked.count("-d -v threadtime -t 5000") == 1, asked


def _slice_line_by_line(full: str, package: str) -> str:
    """package_slice's reference: every line of the dump looked at in turn."""
    import io
    import re

    from devdoctor.sources.bugreport_sections import printed_slice

    block_rx = re.compile(r"^  Package \[(?P<name>[^\]]+)\] \([0-9a-fA-F]+\):\s*$")
    out: dict[str, list[str]] = {}
    section, block = "", None
    for line in io.StringIO(full):
        if line[:1].strip() and line.rstrip().endswith(":") and not line.startswith(" "):
            section, block = line.rstrip("\r\n")[:-1], None
            continue
        m = block_rx.match(line.rstrip("\r\n"))
        if m:
            block = out.setdefault(section, []) if m.group("name") == package and section in (
                "Packages", "Hidden system packages") else None
            if block is not None:
                block.append(line)
            continue
        if block is not None:
            if line.strip() and not line.startswith("   "):
                block = None
            else:
                block.append(line)
    return printed_slice(out, package)  # the blocks found are what is compared; printing them is shared


_DUMP_LINES = st.sampled_from([
    "Packages:", "Hidden system packages:", "Shared users:", "Packages: ", "Key Set Manager:", "Verifiers:",
    "  Package [com.tencent.wmpf] (1a2b3c):", "  Package [com.tencent.wmpf] (1a2b3c): \r",
    "  Package [com.other.app] (4d5e):", "  Package [com.tencent.wmpfx] (99):", "   Package [com.tencent.wmpf] (1):",
    "    versionCode=9020017 minSdk=21 targetSdk=29", "    codePath=/data/app/com.tencent.wmpf-1", "",
    "   ", "\t", "  * com.tencent.wmpf", "  other indent", "plain text", "\x1cPackages:", "    User 0: installed=true"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_DUMP_LINES, max_size=40), st.booleans())
def test_one_package_is_cut_out_of_the_full_dump_as_line_by_line(lines, last_newline):
    full = "\n".join(lines) + ("\n" if last_newline and lines else "")
    assert package_slice(full, "com.tencent.wmpf") == _slice_line_by_line(full, "com.tencent.wmpf")
