"""The health parsers (ps, pm_list, activity, camera, queries) on the real captures and bugreports,
and on hostile input (hypothesis): they never raise."""
import json
import re
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import shared_dir
from devdoctor.parsers.activity import parse_processes, parse_provider_authorities, parse_services
from devdoctor.parsers.camera import parse_camera_dump, parse_usb_video
from devdoctor.parsers.pm_list import parse_pm_list, parse_pm_path
from devdoctor.parsers.ps import parse_pidof, parse_ps
from devdoctor.parsers.queries import parse_queries
from devdoctor.parsers.text import decode


def captures(kind):
    d = shared_dir() / "captures"
    files = sorted((d / "raw" / kind).glob("*.txt"))
    assert files, f"no captures of {kind}"
    return [(f, json.loads((d / "expected" / kind / (f.stem + ".json")).read_text())) for f in files]


def test_ps_on_every_real_capture():
    for path, want in captures("ps"):
        got = parse_ps(decode(path.read_bytes()))
        assert got.format == want["format"], path.name
        assert got.header == want["header_columns"], path.name
        assert got.rows == want["data_row_count"], path.name
        assert len(got.processes) == want["process_count"], path.name
        assert got.threads_listed == want["threads_listed"], path.name
        seen = {(p.name, p.pid, p.user) for p in got.processes}
        for p in want["processes"]:
            assert (p["name"], p["pid"], p["user"]) in seen, (path.name, p)
        server = got.named("system_server")
        assert (server[0].pid if server else None) == want["system_server_pid"], path.name


def test_dumpsys_activity_processes_on_every_real_capture():
    for path, want in captures("dumpsys_activity"):
        got = parse_processes(decode(path.read_bytes()))
        if want["error"]:
            assert got.error and "Bad activity command" in got.error and not got.processes
            continue
        assert got.error is None
        assert len(got.processes) in want["process_count_acceptable"], path.name
        assert got.pid_of("system") == want["system_server_pid"]
        assert got.pid_of("com.android.systemui") == want["systemui_pid"]
        assert got.pid_of("com.android.phone") == want["phone_pid"]


def test_pm_list_on_every_real_capture():
    for path, want in captures("pm_list_packages"):
        got = parse_pm_list(decode(path.read_bytes()))
        assert got.names == want["packages"], path.name
        assert got.non_package_lines == want["non_package_lines"]
        assert got.error is None


def bugreport_sections():
    """(name, text) of the four shared bugreports, each read from its zip."""
    out = []
    for z in sorted((shared_dir() / "bugreports").glob("*.zip")):
        with zipfile.ZipFile(z) as zf:
            name = next(n for n in zf.namelist() if re.fullmatch(r"bugreport-[^/]*\.txt", n))
            out.append((z.stem, zf.read(name).decode("utf-8", "replace")))
    assert len(out) == 4
    return out


def section(text, start, end=r"\n-{20,}\n|\nDUMP OF SERVICE "):
    i = text.find(start)
    assert i >= 0, start
    m = re.compile(end).search(text, i + len(start))
    return text[i:m.start() if m else len(text)]


# Hand-checked in the bugreports (grep "Facing:" / "Orientation:" in the media.camera block).
CAMERAS = {"emulator-sdk-google-phone-x86-a7.1.1-NYC-2017-10-04": [("0", "back", 90)],
           "emulator-sdk-gphone-x86-a9-PSR1.180720.075-2019-08-15": [("0", "back", 90), ("1", "front", 90)],
           "pixel-sailfish-a8.1-OPM1.171019.021-2018-04-02": [("0", "back", 90), ("1", "front", 270)],
           "pixel-sailfish-aosp-userdebug-a10-QP1A.191005.007.A3-2020-01-08": [("0", "back", 90), ("1", "front", 270)]}


def test_camera_services_and_providers_on_the_real_bugreports():
    for name, text in bugreport_sections():
        cams = parse_camera_dump(section(text, "DUMP OF SERVICE media.camera:\n"))
        assert [(c.camera_id, c.facing, c.orientation) for c in cams.cameras] == CAMERAS[name], name
        assert cams.count == len(CAMERAS[name]) and cams.error is None
        services = parse_services(section(text, "ACTIVITY MANAGER SERVICES (dumpsys activity services)",
                                          r"\nACTIVITY MANAGER "))
        assert services.error is None and services.services
        keyguard = services.find("com.android.systemui.keyguard.KeyguardService")
        assert keyguard and keyguard[0].running and [c.process for c in keyguard[0].clients] == ["system"]
        assert services.app_clients("com.android.systemui.keyguard.KeyguardService") == []  # system is no app
        static = parse_provider_authorities(section(text, "\nContentProvider Authorities:", r"\n\S"))
        live = parse_provider_authorities(section(text, "ACTIVITY MANAGER CONTENT PROVIDERS", r"\nACTIVITY MANAGER "))
        for auth in (static, live):
            assert auth.owner("settings").package == "com.android.providers.settings", name


# --- edge cases the captures do not show -------------------------------------------------------------

def test_ps_errors_of_old_shells_are_not_an_empty_listing():
    got = parse_ps("bad pid '-A'\n")
    assert got.format is None and got.error == "bad pid '-A'" and not got.processes
    crlf = ("USER     PID   PPID  VSIZE  RSS     WCHAN    PC         NAME\r\r\n"
            "u0_a86    2301  190   1187232 98312 ffffffff 00000000 S com.tencent.wmpf\r\r\n")
    assert [p.name for p in parse_ps(crlf).processes] == ["com.tencent.wmpf"]


def test_ps_app_processes_by_prefix():
    text = ("USER           PID  PPID     VSZ    RSS WCHAN            ADDR S NAME\n"
            "u0_a86        3120   300 1876432 168320 0                   0 S com.tencent.wmpf\n"
            "u0_a86        3298   300 1652208 121774 0                   0 S com.tencent.wmpf:container3\n"
            "u0_a87        3301   300 1652208 121774 0                   0 S com.tencent.wmpfx\n")
    assert [p.pid for p in parse_ps(text).with_prefix("com.tencent.wmpf")] == [3120, 3298]


def test_pidof():
    assert parse_pidof("3120 3298\n").pids == [3120, 3298]
    assert parse_pidof("").pids == [] and parse_pidof("").error is None
    assert parse_pidof("/system/bin/sh: pidof: not found\n").error


def test_pm_list_forms_and_failures():
    got = parse_pm_list("package:/data/app/a=b-1/base.apk=com.a.b versionCode:12 uid:10085\r\n")
    entry = got.packages["com.a.b"]
    assert (entry.path, entry.version_code, entry.uid) == ("/data/app/a=b-1/base.apk", 12, 10085)
    fail = parse_pm_list("cmd: Failure calling service package: Failed transaction (2147483646)\n")
    assert fail.error and not fail.packages
    assert parse_pm_path("package:/data/app/x/base.apk\npackage:/data/app/x/split_config.arm64_v8a.apk\n").paths == [
        "/data/app/x/base.apk", "/data/app/x/split_config.arm64_v8a.apk"]


def test_services_nothing_and_bad_command():
    assert parse_services("ACTIVITY MANAGER SERVICES (dumpsys activity services)\n  (nothing)\n").nothing
    bad = parse_services("Unknown command: x\nBad activity command, or no activities match: x\nUse -h for help.\n")
    assert bad.error and not bad.nothing


def test_queries_reads_static_grants_not_interactions():
    text = ("\nQueries:\n  system apps queryable: false\n  forceQueryable:\n    [com.android.shell,com.x]\n"
            "  queries via package name:\n    com.host:\n      com.tencent.wmpf\n  queries via component:\n"
            "  queryable via interaction:\n    User 0:\n      com.other:\n        com.tencent.wmpf\n")
    vis = parse_queries(text)
    assert vis.can_see("com.host", "com.tencent.wmpf") and not vis.can_see("com.other", "com.tencent.wmpf")
    assert vis.interacted["com.other"] == {"com.tencent.wmpf"} and vis.can_see("com.nobody", "com.x")
    assert parse_queries("Queries:\n  DISABLED\n").can_see("a.b", "c.d")
    assert not parse_queries("Dexopt state:\n").found


def test_usb_video_keeps_only_usb_devices():
    text = ("video=/dev/video0\nname=rkisp_mainpath\nidVendor=\nidProduct=\nserial=\nmanufacturer=\nproduct=\n"
            "busnum=\ndevnum=\nvideo=/dev/video2\nname=USB Camera\nidVendor=0c45\nidProduct=6366\nserial=SN1\n"
            "manufacturer=Sonix\nproduct=USB Camera\nbusnum=2\ndevnum=3\n")
    got = parse_usb_video(text)
    assert [d.node for d in got.devices] == ["/dev/video2"] and got.other_nodes == ["/dev/video0"]
    assert got.devices[0].usb_device_path == "/dev/bus/usb/002/003"
    assert got.devices[0].hex_int(got.devices[0].vendor_id) == 0x0C45


def test_camera_service_missing():
    assert parse_camera_dump("Can't find service: media.camera\n").error.startswith("Can't find service")


# --- hostile input -------------------------------------------------------------------------------

PARSERS = [parse_ps, parse_pidof, parse_pm_list, parse_pm_path, parse_services, parse_processes,
           parse_provider_authorities, parse_camera_dump, parse_usb_video, parse_queries]
SEEDS = ["USER PID PPID VSZ RSS WCHAN ADDR S NAME\n", "  * ServiceRecord{1 u0 a/.B}\n", "[auth]:\n",
         "Queries:\n", "Camera 0 information:\n", "video=/dev/video0\n", "package:", "*APP* UID 1 ",
         "== Camera HAL device device@3.3/legacy/0 (v3.3) static information: ==\n"]
hostile = st.one_of(
    st.text(max_size=400),
    st.lists(st.sampled_from(SEEDS + ["\r\n", "\r\r\n", " ", "x", "0", ":", "=", "]"]), max_size=60).map("".join),
    st.binary(max_size=300).map(lambda b: decode(b)),
)


@pytest.mark.parametrize("parser", PARSERS, ids=lambda p: p.__name__)
@settings(max_examples=150, deadline=None)
@given(text=hostile)
def test_parsers_never_raise(parser, text):
    parser(text)


@pytest.mark.parametrize("parser", PARSERS, ids=lambda p: p.__name__)
def test_parsers_on_empty_huge_and_cut_off_input(parser):
    parser("")
    parser(SEEDS[0] + "root 1 0 100 10 x 0 S init\n" * 20000)
    parser("  * ServiceRecord{4432b25 u0 com.tencent.wmpf/.app.WMPFServ")
