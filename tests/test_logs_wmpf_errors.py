"""WMPF's errors as they appear in the field: every form of every signature, in every layout a paste comes
in (tests/data/wmpf_pastes, hand-written to the forms found, sources in its README), read by `inspect` and
by the `wmpf-log` check on a device log and a bugreport; and nothing raised where there is no error."""
import json
import subprocess
import sys
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import synthetic_bugreport as sb
from conftest import DATA, ROOT, cli
from devdoctor.sources.fixture import FORMAT, parse
from devdoctor.sources.replay import Replayer
from devdoctor.readings.pasted import inspect_bytes
from devdoctor.parsers.logcat import parse_logcat
from devdoctor.result import Status
from devdoctor.core.runner import run_checks
from devdoctor.wmpf.errors import _NEEDLES, match_line, match_lines, scan
from devdoctor.wmpf.signatures import SIGNATURES, find
from devdoctor_checks.wmpf_log import LOG_COMMAND, WmpfLog, find_hits

PASTES = DATA / "wmpf_pastes"
FORMS = [(sig.id, form) for sig in SIGNATURES for form in sig.forms]
HEADER = "05-11 09:12:31.220  4711  4790 E WMPFCli.Device: "


def form_id(case):
    return f"{case[0]}/{case[1].name}" if isinstance(case, tuple) else str(case)


# --- every form of every signature ------------------------------------------------------------------

@pytest.mark.parametrize("case", FORMS, ids=form_id)
def test_each_form_is_found_as_a_line_of_free_text(case):
    sig_id, form = case
    found = match_line(form.example)
    assert found is not None and found.signature.id == sig_id, (form.example, found)
    assert any(n in form.example for n in form.needles), "a form's example holds one of its needles"
    (m,) = scan(["some words before", form.example], first_lineno=7)
    assert (m.lineno, m.signature.id) == (8, sig_id)


@pytest.mark.parametrize("case", [c for c in FORMS if not c[1].pattern.startswith("^")], ids=form_id)
def test_each_form_is_found_in_a_device_log(case):
    sig_id, form = case
    log = parse_logcat(HEADER + form.example.strip() + "\n")
    assert [h.signature.id for h in find_hits(log.lines)] == [sig_id]


@pytest.mark.parametrize("sig", SIGNATURES, ids=lambda s: s.id)
def test_each_signature_says_what_it_means_what_to_do_and_where_it_was_seen(sig):
    assert sig.title and sig.cause and sig.remedy and sig.sources and sig.severity in ("fail", "warn")
    assert len({f.name for f in sig.forms}) == len(sig.forms)
    assert find(sig.id) is sig


def test_signature_ids_are_unique_and_documented():
    ids = [s.id for s in SIGNATURES]
    assert len(ids) == len(set(ids))
    r = subprocess.run([sys.executable, str(ROOT / "tools" / "wmpf_errors_doc.py"), "--check"], capture_output=True,
                       text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    doc = (ROOT / "docs" / "wmpf-errors.md").read_text(encoding="utf-8")
    for sig in SIGNATURES:
        assert f"`{sig.id}`" in doc, sig.id
        for form in sig.forms:
            assert form.example in doc, (sig.id, form.name)


# --- no false alarms -----------------------------------------------------------------------------------

QUIET = [
    "05-11 11:00:00.812  6230  6262 E TIMManager: applyJoinGroup failed, errCode=10014, desc=group is full",
    "05-11 11:00:00.813  6230  6262 E TIMManager: code:10006 request rate limited",
    "05-11 11:00:00.813  6230  6262 I Bar     : uploaded 10013 bytes, errCode=100010",
    "05-11 11:00:00.602  7310  7310 I DocumentActivity: success: 0 ",
    "05-11 11:00:00.640  5120  5301 I MicroMsg.SDK.GetQRCodeResult: resp errcode = 0",
    "05-11 11:00:00.700  4711  4790 I WMPFCli.Device: activateDevice: activate device success. invoke token=8f2c11d0",
    "05-11 11:00:00.701  4711  4790 I WMPFCli.IPCInvoker: invokeSync >>>> request [IS_DEVICE_ACTIVATED] "
    "[AbstractWMPFSyncInvokeRequest{clientVersion=0, clientApplicationId='null', clientInvokeToken='null'}]",
    "05-11 11:00:00.900  2210  2210 E PayVerify: verify signature error: bad digest",
    "05-11 11:00:00.901  2210  2210 W CertCheck: cert failed to load: expired",
    "05-11 11:00:00.902  2210  2210 W Net     : cert fail for host example.com",
    "05-11 11:00:00.950  1290  1290 I BluetoothAdapter: ACTION_DEVICE_CHANGED",
    "05-11 11:00:00.951  1290  1290 I Net     : bridge not found on br0",
    "05-11 11:00:01.877  7310  7310 E AndroidRuntime: Process: com.tencent.wmpf.demo, PID: 7310",
    "05-11 11:00:01.877  7310  7310 E AndroidRuntime: Process: com.example.doorbell, PID: 7310",
    "05-11 11:00:01.990  1105  1998 I ActivityManager: Process com.tencent.wmpf.demo (pid 7310) has died: fore TOP",
    "05-11 11:00:01.991  1105  1998 I ActivityManager: Process com.tencent.wmpfx (pid 7311) has died",
    "05-11 11:00:02.100  1105  1998 E ActivityManager: ANR in com.example.doorbell",
    "05-11 11:00:02.101  1105  1998 I am_crash: [8120,0,com.example.doorbell,952745540,java.lang.X,boom,A.kt,4]",
    "05-11 11:00:02.102  1105  1998 I am_proc_died: [0,8120,com.tencent.wmpf.demo,0,2]",
    "05-11 11:00:02.103  9188  9188 F DEBUG   : pid: 8120, tid: 8133, name: Thread-4  >>> com.example.doorbell <<<",
    "05-11 11:00:02.300  1105  1998 I ActivityManager: Killing 5027:com.tencent.wmpf:container3/u0a73 (adj 906): "
    "empty #17",
    "05-11 11:00:02.301  1105  1243 I ActivityManager: Start proc 5027:com.tencent.wmpf:container3/u0a73 for "
    "service com.tencent.wmpf/.app.WMPFContainerProcessIPCService3",
    "05-11 11:00:02.400  5027  5027 D cr_BuildInfo: [BuildInfo.java:113] GMS package is not found.",
    "05-11 11:00:02.401  5027  5090 W VideoCapabilities: Unsupported mime video/mjpeg",
    "02-10 17:16:26.774 E/IlinkServiceTdiImpl( 5170): tdi session already been destroyed!!",
    "pid 10013 uid 10006",
]


@pytest.mark.parametrize("line", QUIET)
def test_lines_of_other_apps_and_benign_wmpf_lines_raise_nothing(line):
    assert match_line(line) is None
    assert find_hits(parse_logcat(line + "\n").lines) == []


def test_lines_only_wmpfs_own_processes_print_count_only_from_them():
    line = "E  resp errcode = -21"
    qr = "MicroMsg.SDK.GetQRCodeResult: resp errcode = -21"
    assert match_line(qr, "com.example.doorbell") is None
    assert match_line(qr, "com.tencent.wmpf").signature.id == "login-failed"
    assert match_line(qr, "?").signature.id == "login-failed"  # Studio does not know: it counts
    assert match_line(line) is None


@pytest.mark.parametrize("process", ["com.tencent.wmpf", "com.tencent.wmpf:container", "com.tencent.wmpf:container3",
                                     "com.tencent.ilink.ServiceProcess"])
def test_a_crash_keys_on_wmpfs_own_process_names(process):
    assert match_line(f"    Process: {process}, PID: 1").signature.id == "wmpf-crash"
    assert match_line(f"F DEBUG   : pid: 1, tid: 2, name: x  >>> {process} <<<").signature.id == "wmpf-crash"
    assert match_line(f"I am_crash: [1,0,{process},0,java.lang.X,boom,A.java,1]").signature.id == "wmpf-crash"
    assert match_line(f"E ActivityManager: ANR in {process}").signature.id == "wmpf-crash"
    assert match_line(f"I ActivityManager: Process {process} (pid 1) has died: fore TOP").signature.id == "wmpf-died"
    assert match_line(f"I ActivityManager: Process {process} (pid 1) has died").signature.id == "wmpf-died"
    assert match_line(f"I am_proc_died: [0,1,{process},100,2]").signature.id == "wmpf-died"


def test_a_cached_mini_program_process_reclaimed_is_not_wmpf_dying():
    assert match_line("I ActivityManager: Process com.tencent.wmpf:container (pid 1) has died: cch+5 CEM") is None
    assert match_line("I am_proc_died: [0,1,com.tencent.wmpf:container3,906,16]") is None
    assert match_line("I ActivityManager: Process com.tencent.wmpf (pid 1) has died: cch CRE").signature.id == \
        "wmpf-died", "WMPF's service itself gone: no pushes until something starts it (FAQ 4.2)"


def test_a_bare_code_counts_only_on_a_line_that_names_wmpf():
    assert match_line("E MainActivity: launch failed, errCode=10013") is None
    assert match_line("E MainActivity: activate failed, errCode=10013").signature.id == "activate-timeout-10013"
    assert match_line("E WMPFCli.Device: ret = 10006").signature.id == "not-activated"
    assert match_line("10013").signature.id == "activate-timeout-10013"  # the whole paste is the code


@pytest.mark.parametrize("line, sig_id", [
    ("返回的错误码是10012，错误内容是activate device fail timeout", "activate-timeout-10013"),  # old WMPF's text
    ("报错signature err 0", "signature-err"),  # Chinese touching the English words
    ("FastExperienceActivity: error: java.lang.IllegalStateException: it.invokeToken must not be nul", "invoke-token"),
    ("激活失败 10014", "signature-err"),
    ("报错10006", "not-activated"),
    ("启动体验版提示 10005 no authorize", "login-failed"),
    ("门禁机启动小程序报 err:DECODE,errCode:0,errMsg:null", "network-decode"),
    ("onSuccess activate device fail: obtain token fail by ilink   -1", "ilink-token-fail"),
    ("success 激活: com.tencent.wmpf.proto.WMPFActivateDeviceResponse@1a2b3c4 errormsg= ret=0", None),
    ("文档里说 10005 | 启动开发版或者体验版小程序时需提前登录", None),
])
def test_error_strings_as_people_write_them(line, sig_id):
    found = match_line(line)
    assert (found.signature.id if found else None) == sig_id


# --- pastes in every layout ----------------------------------------------------------------------------

EXPECTED = {  # file -> (kind, log format, [(line number, signature)])
    "threadtime-activation-signature.txt": ("logcat", "threadtime", [(4, "signature-err"), (5, "signature-err")]),
    "studio-year-demo-10006.txt": ("logcat", "studio", [(9, "not-activated")]),
    "studio-noyear-container-crash.txt": ("logcat", "studio", [(8, "wmpf-crash"), (12, "wmpf-died")]),
    # log_format is the schema's (captures/expected/README.md): `studio` for both of Studio's layouts
    "studio-columns-bridge.txt": ("logcat", "studio", [(4, "connect-timeout"), (5, "bridge-not-found"),
                                                       (6, "bridge-not-found"), (7, "ipc-fail-10001")]),
    "time-ilink-died.txt": ("logcat", "time", [(3, "wmpf-died")]),
    "events-crash.txt": ("logcat", "threadtime", [(2, "wmpf-crash"), (3, "wmpf-died")]),
    "threadtime-tombstone.txt": ("logcat", "threadtime", [(10, "wmpf-crash")]),
    "oneline-taskerror.txt": ("wmpf_errors", None, [(1, "signature-err")]),
    "oneline-ilink.txt": ("wmpf_errors", None, [(1, "ilink-token-fail")]),
    "oneline-invoketoken.txt": ("wmpf_errors", None, [(1, "invoke-token")]),
    "oneline-code.txt": ("wmpf_errors", None, [(1, "activate-timeout-10013")]),
    "fragment-cut.txt": ("logcat", "threadtime", [(1, "device-not-registered-10017"), (2, "activate-fail-10012")]),
    "heading-paste.txt": ("logcat", "studio", [(4, "activate-timeout-10013"), (6, "network-transfer")]),
    "no-error-benign.txt": ("logcat", "threadtime", []),
}


def test_every_paste_is_tested():
    assert sorted(EXPECTED) == sorted(p.name for p in PASTES.glob("*.txt"))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_inspect_reads_each_paste_and_names_the_errors_with_their_line_numbers(name):
    kind, log_format, want = EXPECTED[name]
    reading, cap = inspect_bytes((PASTES / name).read_bytes())
    assert (reading.kind, reading.facts.get("log_format")) == (kind, log_format)
    got = [(m["line_number"], m["signature"]) for m in reading.facts["matches"]]
    assert got == want
    lines = cap.lines
    assert all(lines[m["line_number"] - 1] == m["line"] for m in reading.facts["matches"])
    seen = {s["id"]: s for s in reading.facts["signatures"]}
    assert list(seen) == list(dict.fromkeys(sig for _n, sig in want))
    assert all(s["remedy"] and s["cause"] for s in seen.values())


def test_inspect_cli_reads_a_one_line_error_string_and_says_what_to_do(tmp_path):
    r = cli("inspect", PASTES / "oneline-taskerror.txt", "--json")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert (doc["kind"], doc["told_by"]) == ("wmpf_errors", "content")
    assert doc["matches"][0]["form"] == "task-error" and doc["signatures"][0]["faq"] == "4.4"
    r = cli("inspect", PASTES / "oneline-ilink.txt", "--lang", "zh")
    assert r.returncode == 0 and "ilink-token-fail" in r.stdout and "deviceId" in r.stdout
    plain = tmp_path / "note.txt"
    plain.write_text("the panel rebooted twice tonight\n")
    r = cli("inspect", plain)
    assert r.returncode == 4, "text with no WMPF error is not read as one"
    r = cli("inspect", plain, "--as", "wmpf_errors", "--json")
    assert r.returncode == 0 and json.loads(r.stdout)["matches"] == []


def test_a_prompt_line_counts_in_the_line_numbers(tmp_path):
    paste = tmp_path / "t.txt"
    paste.write_bytes(b"$ adb logcat -d\n" + (PASTES / "threadtime-tombstone.txt").read_bytes())
    reading, _cap = inspect_bytes(paste.read_bytes())
    assert [m["line_number"] for m in reading.facts["matches"]] == [11]


# --- the wmpf-log check: device log and bugreport ------------------------------------------------------

def replay(log_text):
    dev = Replayer(parse({"format": FORMAT, "device": {"serial": "X"}, "commands": [
        {"command": LOG_COMMAND, "stdout": log_text}]}))
    return run_checks(dev, [WmpfLog()]).results[0]


@pytest.mark.parametrize("name, status, ids", [
    ("threadtime-activation-signature.txt", Status.FAIL, {"signature-err": 2}),
    ("threadtime-tombstone.txt", Status.FAIL, {"wmpf-crash": 1}),
    ("events-crash.txt", Status.FAIL, {"wmpf-crash": 1, "wmpf-died": 1}),
    ("no-error-benign.txt", Status.PASS, {}),
])
def test_run_finds_them_in_the_device_log_with_the_lines_and_the_remedy(name, status, ids):
    r = replay((PASTES / name).read_text(encoding="utf-8"))
    assert r.status == status, r.summary
    assert r.details["signatures"] == ids
    if ids:
        assert r.remedy and all(find(i).remedy in r.remedy.text for i in ids)
        assert r.evidence and all(e.command == LOG_COMMAND and e.lines for e in r.evidence)


def test_a_crash_is_shown_with_the_lines_of_its_message():
    crash = ("--------- beginning of crash\n"
             "05-11 09:31:03.407  5388  5388 E AndroidRuntime: FATAL EXCEPTION: main\n"
             "05-11 09:31:03.407  5388  5388 E AndroidRuntime: Process: com.tencent.wmpf:container, PID: 5388\n"
             "05-11 09:31:03.407  5388  5388 E AndroidRuntime: java.lang.NullPointerException: Attempt to invoke "
             "virtual method on a null object reference\n"
             "05-11 09:31:03.407  5388  5388 E AndroidRuntime: \tat com.tencent.mm.plugin.appbrand.a.b(SourceFile:1)\n"
             "05-11 09:31:03.500  1105  1998 W ActivityManager:   Force finishing activity com.tencent.wmpf/.X\n")
    r = replay(crash)
    assert r.status == Status.FAIL and r.details["signatures"] == {"wmpf-crash": 1}
    lines = r.evidence[0].lines
    assert [ln.split("AndroidRuntime: ")[1][:25] for ln in lines[:3]] == [
        "FATAL EXCEPTION: main", "Process: com.tencent.wmpf", "java.lang.NullPointerExce"]
    assert len(lines) == 4, "the message's lines, not the next entry of another message"


def test_only_a_dead_wmpf_process_warns():
    r = replay("05-11 09:50:11.951  1105  1998 I ActivityManager: Process com.tencent.wmpf:container (pid 7288) "
               "has died: vis TOP\n")
    assert r.status == Status.WARN and "WMPF's own process died ×1" in r.summary


def test_run_on_a_bugreport_finds_them_in_its_system_log(tmp_path):
    wmpf = sb.package_block("com.tencent.wmpf", "2.2.0", 9020017, "/data/app/com.tencent.wmpf-AbC==")
    log = ("--------- beginning of main\n"
           "05-01 09:59:58.100 10123  4242  4250 I WMPFCli.Device: wakeupWMPFIfNeed: start wakeup WMPF\n"
           "05-01 09:59:59.300 10123  4242  4251 E WMPFCli.Device: activate device(SN20240501D02) failed, please "
           "check your device info. reason=(10017,device id not registered)\n"
           "--------- beginning of crash\n"
           "05-01 09:59:59.800 10124  4300  4300 E AndroidRuntime: FATAL EXCEPTION: main\n"
           "05-01 09:59:59.800 10124  4300  4300 E AndroidRuntime: Process: com.tencent.wmpf, PID: 4300\n")
    text = sb.bugreport(props={"ro.build.version.sdk": "29", "ro.build.version.release": "10",
                               "ro.product.model": "Door-7", "ro.serialno": "SYNTH0001"},
                        services=[("package", sb.package_dump([wmpf]))], system_log=log)
    path = tmp_path / "bugreport.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("main_entry.txt", "bugreport-door.txt")
        z.writestr("bugreport-door.txt", text)
    r = cli("run", "--bugreport", path, "--only", "wmpf-installed", "--only", "wmpf-log", "--json")
    check = {c["id"]: c for c in json.loads(r.stdout)["devices"][0]["checks"]}["wmpf-log"]
    assert check["status"] == "fail", check
    assert check["details"]["signatures"] == {"device-not-registered-10017": 1, "wmpf-crash": 1}
    shown = [ln for e in check["evidence"] for ln in e["lines"]]
    assert any("reason=(10017,device id not registered)" in ln for ln in shown)
    assert any("Process: com.tencent.wmpf, PID: 4300" in ln for ln in shown)
    assert check["remedy"]["fix"] == "--clear-cache" and "4.11" in check["remedy"]["faq"]


# --- bounded work on hostile input ---------------------------------------------------------------------

def test_huge_and_hostile_lines_are_read_without_trouble():
    hostile = ["Process: com.tencent.wmpf" + ":a" * 200_000, "reason=(" + "1" * 100_000, "10013 " * 100_000,
               "activate device(" + "(" * 100_000 + ") failed", "errCode=" + " " * 100_000 + "10013",
               "TaskError{errType=" + "9" * 50_000]
    for line in hostile:
        match_line(line)
    assert len(scan(hostile * 3)) <= 18


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=200), st.sampled_from([f.example for _s, f in FORMS])), max_size=20))
def test_any_text_is_scanned_without_raising(lines):
    scan(lines)
    inspect_bytes("\n".join(lines).encode("utf-8", "surrogatepass"), "wmpf_errors")
    parse_logcat("\n".join(lines))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.one_of(st.text(max_size=80), st.sampled_from([f.example for _s, f in FORMS]),
                                    st.sampled_from(sorted(_NEEDLES))),
                          st.sampled_from([None, "", "com.tencent.wmpf", "com.tencent.wmpf:appbrand0",
                                           "com.other.app"])), max_size=30))
def test_lines_sifted_together_find_what_each_line_alone_finds(rows):
    """match_lines looks for every needle once in all the lines: never a line more or less than match_line."""
    lines = [text for text, _p in rows]
    processes = [p for _t, p in rows]
    alone = {i: match_line(text, p) for i, (text, p) in enumerate(rows)}
    assert match_lines(lines, processes) == {i: f for i, f in alone.items() if f is not None}


def test_no_needle_spans_two_lines():
    assert not any("\n" in n or "\r" in n for n in _NEEDLES)  # match_lines joins the lines with newlines
