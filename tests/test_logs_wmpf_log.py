"""wmpf-log: one real-format log line per signature, the bundled devices' verdicts, and the bounds."""
import pytest

from conftest import replay_report, result_of
from devdoctor.sources.fixture import FORMAT, parse
from devdoctor.sources.replay import Replayer
from devdoctor.parsers.logcat import parse_logcat
from devdoctor.result import Status
from devdoctor.core.runner import run_checks
from devdoctor.wmpf.signatures import CLEAR_CACHE, SIGNATURES, find
from devdoctor_checks.wmpf_log import LOG_COMMAND, WmpfLog, find_hits

ACTIVATE = "activate device(SN20261120A07) failed, please check your device info. reason="
# One line per signature, threadtime as `logcat -v threadtime` prints it (tag padded to 8, `: `);
# messages from wmpf-cli 2.2.0, the official demo, AOSP and the FAQ (docs/wmpf-errors.md).
LINES = {
    "device-changed": "E WMPFCli.Device: " + ACTIVATE + "(-1,DEVICE_CHANGED)",
    "signature-err": "E WMPFCli.Device: " + ACTIVATE + "(10014,signature err 0)",
    "device-not-registered-10017": "E WMPFCli.Device: " + ACTIVATE + "(10017,device id not registered)",
    "ilink-token-fail": "I DocumentActivity: success: -1 activate device fail: obtain token fail by ilink ",
    "invoke-token": "E WMPFCli.Device: " + ACTIVATE + "(10010,inactive or expired)",
    "not-activated": "I DocumentActivity: success: 10006 no activate",
    "activate-timeout-10013": "E WMPFCli.Device: " + ACTIVATE + "(10013,request timeout)",
    "ipc-fail-10001": "E WMPFCli.Device: " + ACTIVATE + "(10001,call WMPF.apk fail, is it installed?)",
    "cli-not-initialised": "E AndroidRuntime: java.lang.IllegalStateException: invoke WMPFBoot.init() first!",
    "bridge-not-found": "E IPC.IPCInvoker: invokeAsync failed, get bridge is null by process(com.tencent.wmpf).",
    "connect-timeout": "I IPC.IPCBridgeManager: [getIPCBridge]onConnectTimeout(61734420, id:713090127744, tid : 27)",
    "provider-not-visible": "E ActivityThread: Failed to find provider info for com.tencent.wmpf.comm.provider",
    "login-failed": "E MicroMsg.SDK.GetQRCodeResult: resp errcode = -21",
    "network-transfer": "E WMPF    : err:TRANSFER errCode:33",
    "network-decode": "E WMPF    : err:DECODE,errCode:0,errMsg:null",
    "cert-fail": "E WMPFCli.Device: registerMiniProgramDevice failed: code=-1, msg=cert fail",
    "wmpf-crash": "E AndroidRuntime: Process: com.tencent.wmpf, PID: 2456",
    "wmpf-died": "I ActivityManager: Process com.tencent.wmpf (pid 2456) has died: fore SVC",
    "call-refused": "E MainActivity: error: com.tencent.wmpf.cli.api.WMPFApiException: errType:1, errCode:10008, "
                    "errMsg:not support",
    "activate-fail-10012": "E WMPFCli.Device: " + ACTIVATE + "(10012,activate device fail)",
}


def test_every_signature_has_a_line():
    assert set(LINES) == {s.id for s in SIGNATURES}


@pytest.mark.parametrize("sig_id", sorted(LINES))
def test_signature_recognised_in_threadtime(sig_id):
    log = parse_logcat(f"11-20 17:29:28.100  2456  2533 {LINES[sig_id]}\n")
    hits = find_hits(log.lines)
    assert [h.signature.id for h in hits] == [sig_id]
    sig = find(sig_id)
    assert sig.cause and sig.remedy


@pytest.mark.parametrize("sig_id", ["device-changed", "not-activated", "invoke-token", "device-not-registered-10017"])
def test_cache_problems_point_to_clear_cache(sig_id):
    assert find(sig_id).fix == CLEAR_CACHE


def test_lookalikes_do_not_match():
    log = parse_logcat("11-20 17:29:28.100  2456  2533 I Foo: errCode=100010 bridge connected, request ok\n"
                       "11-20 17:29:28.100  2456  2533 I Bar: uploaded 10013 bytes\n"
                       "11-20 17:29:28.100  2456  2533 E TIMManager: joinGroup failed, errCode=10013\n")
    assert find_hits(log.lines) == []


def test_a_stack_trace_pasted_below_its_entry_is_read_and_shown_with_it():
    log = parse_logcat("05-11 09:31:03.407 5388-5388/com.tencent.wmpf:container E/AndroidRuntime: FATAL EXCEPTION: main\n"
                       "    Process: com.tencent.wmpf:container, PID: 5388\n"
                       "    java.lang.NullPointerException: boom\n")
    (hit,) = find_hits(log.lines)
    assert hit.signature.id == "wmpf-crash"
    assert hit.evidence_lines(5) == [log.lines[0].text, "    Process: com.tencent.wmpf:container, PID: 5388"]


def replay(log_text, host_time=None):
    dev = Replayer(parse({"format": FORMAT, "device": {"serial": "X"}, "commands": [
        {"command": LOG_COMMAND, "stdout": log_text}]}))
    return run_checks(dev, [WmpfLog()]).results[0]


def test_counts_most_recent_first_and_window():
    text = ("11-18 08:00:00.000  2456  2533 " + LINES["signature-err"] + "\n"  # two days old: outside
            "11-20 17:20:00.000  2456  2533 " + LINES["bridge-not-found"] + "\n"
            "11-20 17:25:00.000  2456  2533 " + LINES["signature-err"] + "\n"
            "11-20 17:29:00.000  2456  2533 " + LINES["bridge-not-found"] + "\n")
    r = replay(text)
    assert r.status == Status.FAIL
    assert "bridge not found ×2" in r.summary and "signature error (10014-10016) ×1" in r.summary
    assert r.summary.index("bridge not found") < r.summary.index("signature")  # latest first
    assert r.evidence[0].lines[0].startswith("11-20 17:29:00.000") and "last 11-20 17:29:00.000" in r.evidence[0].note
    assert r.details["signatures"] == {"bridge-not-found": 2, "signature-err": 1}
    assert r.details["older_than_window"] == {"signature-err": 1}
    assert r.remedy.faq == "4.5, 4.4"


def test_only_a_warn_signature_warns():
    r = replay("11-20 17:29:00.000  2456  2533 " + LINES["connect-timeout"] + "\n")
    assert r.status == Status.WARN and "binding WMPF timed out ×1" in r.summary


def test_device_changed_offers_the_fix():
    r = replay("11-20 17:29:00.000  2456  2533 " + LINES["device-changed"] + "\n")
    assert r.status == Status.FAIL and r.remedy.fix == CLEAR_CACHE and r.remedy.faq == "4.11"


def test_unreadable_log_is_unknown():
    r = replay("/system/bin/sh: logcat: inaccessible or not found\n")
    assert r.status == Status.UNKNOWN and "could not read the device log" in r.summary


EXPECTED = {
    "healthy-a9-panel": (Status.PASS, "no known WMPF error"),
    "logs-a7.1-board-stopped": (Status.FAIL, "bridge not found ×3; call WMPF.apk fail (10001) ×1"),
    "logs-miui13-a12-phone-autostart-off": (Status.FAIL, "bridge not found ×3"),
    "logs-emui10-a10-tablet": (Status.FAIL, "DEVICE_CHANGED ×1"),
    "logs-a9-board-background-denied": (Status.FAIL, "activation signature error (10014-10016) ×2"),
    "logs-a13-kiosk-rare-bucket": (Status.WARN, "binding WMPF timed out ×1"),
    "logs-coloros11-a11-logging-off": (Status.UNKNOWN, "could not read the device log (logging is switched off: "
                                                       "persist.log.tag=S)"),
    "logs-hyperos-a14-tablet": (Status.PASS, "no known WMPF error"),
    "no-wmpf-a10-tablet": (Status.SKIPPED, "is not installed"),
}


@pytest.mark.parametrize("name", EXPECTED)
def test_bundled_devices(name):
    r = result_of(replay_report(name, only=["wmpf-installed", "wmpf-log"]), "wmpf-log")
    status, words = EXPECTED[name]
    assert r.status == status and words in r.summary, (r.status, r.summary)
    if status in (Status.FAIL, Status.WARN):
        assert r.remedy and r.remedy.text and r.evidence and r.evidence[0].command == LOG_COMMAND
        assert all(ln.startswith("11-20 ") for e in r.evidence for ln in e.lines)


def test_verbose_run_shows_command_and_deciding_lines():
    from conftest import FIXTURES, cli
    r = cli("run", "--replay", FIXTURES / "logs-emui10-a10-tablet.json", "-v",
            "--only", "wmpf-installed", "--only", "autostart", "--only", "wmpf-log")
    assert r.returncode == 1, r.stderr
    assert "$ logcat -d -v threadtime -t 5000" in r.stdout
    assert "reason=(-1,DEVICE_CHANGED)" in r.stdout and "devdoctor fix --clear-cache" in r.stdout
    assert "[ro.build.version.emui]: [EmotionUI_10.1.0]" in r.stdout
    assert "am start -n com.huawei.systemmanager/.startupmgr.ui.StartupNormalAppListActivity" in r.stdout
