"""host-app, wmpf-alive, payment-apps and camera: every verdict on the bundled recordings, with the
reason a technician reads, and the edge cases (flags, settings, old shells) on small hand-made answers."""
import pytest

from conftest import replay_report, result_of
from devdoctor.check import Settings
from devdoctor.sources.fixture import FORMAT, parse
from devdoctor.sources.replay import Replayer
from devdoctor.result import Status
from devdoctor.core.runner import run_checks
from devdoctor.wmpf.shared import HostApp, find_host_app, payment_packages
from devdoctor_checks.camera import Camera
from devdoctor_checks.host_app import HostAppCheck
from devdoctor_checks.payment_apps import PaymentApps
from devdoctor_checks.wmpf_alive import WmpfAlive

IDS = ["host-app", "wmpf-alive", "payment-apps", "camera"]
P, W, F, U, S = Status.PASS, Status.WARN, Status.FAIL, Status.UNKNOWN, Status.SKIPPED

EXPECTED = {
    "healthy-a9-panel": {"host-app": (P, "com.sungate.doorbell 3.4.2 (versionCode 342, targetSdk 28) owns "
                                         "com.tencent.wmpf.cli.provider"),
                         "wmpf-alive": (P, "com.sungate.doorbell is bound to its WMPFService"),
                         "payment-apps": (P, "none of the 6 known face-payment packages is installed"),
                         "camera": (P, "1 camera(s): #0 front 270°")},
    "health-a7.1-aosp-board": {"host-app": (P, "com.anjia.gate.intercom 2.0.7"),
                               "wmpf-alive": (P, "with 1 more process(es)) and com.anjia.gate.intercom is bound"),
                               "camera": (P, "USB /dev/video0 0c45:6366")},
    "a7.0-board": {"wmpf-alive": (P, "WMPF runs")},
    "health-a9-facepay-board": {"host-app": (P, "com.facepay.terminal.voip"),
                                "wmpf-alive": (F, "WMPF (com.tencent.wmpf) is not running"),
                                "payment-apps": (F, "installed and enabled, which conflict with WMPF calls: "
                                                    "com.tencent.wxpayface ("),
                                "camera": (P, "USB /dev/video0 2bc5:0501")},
    "health-miui-a12-phone": {"host-app": (P, "targetSdk 31) owns com.tencent.wmpf.cli.provider"),
                              "payment-apps": (P, "installed but disabled: com.alipay.iot.service"),
                              "camera": (P, "#0 back 90°, #1 front 270°")},
    "health-emui-a10-tablet": {"host-app": (W, "no host app found: no package owns com.tencent.wmpf.cli.provider"),
                               "wmpf-alive": (W, "but no app is bound to its WMPFService")},
    "health-a13-kiosk": {"host-app": (F, "targets Android 11+ but cannot see WMPF"),
                         "camera": (W, "no camera found")},
    "health-a11-overloaded-board": {"host-app": (U, "could not look for the host app: no answer to dumpsys package "
                                                    "providers / dumpsys activity services com.tencent.wmpf"),
                                    "wmpf-alive": (U, "`dumpsys activity services com.tencent.wmpf` did not answer"),
                                    "payment-apps": (U, "could not read the package list: cmd: Failure calling "
                                                        "service package: Failed transaction"),
                                    "camera": (U, "`dumpsys media.camera` did not answer")},
    # what needs WMPF waits for it; payment apps and cameras are read on a device being prepared
    "no-wmpf-a10-tablet": {"host-app": (S, "needs \"WMPF Service installed\" to pass first"),
                           "wmpf-alive": (S, "needs \"WMPF Service installed\" to pass first"),
                           "payment-apps": (P, "none of the 6 known face-payment packages is installed"),
                           "camera": (P, "1 camera(s)")},
}


@pytest.mark.parametrize("name", EXPECTED)
def test_verdicts_on_bundled_fixtures(name):
    report = replay_report(name, only=["wmpf-installed", *IDS])
    for cid, (status, words) in EXPECTED[name].items():
        r = result_of(report, cid)
        assert r.status == status and words in r.summary, (cid, r.status, r.summary)
        if status in (F, W):
            assert r.remedy and r.remedy.text and r.evidence and r.evidence[0].command, cid
        if status != S:
            assert r.evidence and r.evidence[0].command, cid  # every verdict shows what decided it


def test_every_verdict_of_every_check_is_reached():
    seen = {cid: set() for cid in IDS}
    for name, checks in EXPECTED.items():
        for cid, (status, _words) in checks.items():
            seen[cid].add(status)
    assert seen["host-app"] == seen["wmpf-alive"] == {P, W, F, U, S}
    # payment-apps and camera need nothing else to pass first: they never skip
    assert seen["payment-apps"] == {P, F, U} and seen["camera"] == {P, W, U}


def test_remedies_name_the_faq_and_exact_commands():
    r = result_of(replay_report("health-a9-facepay-board", only=["wmpf-installed", *IDS]), "payment-apps")
    assert r.remedy.faq == "4.7"
    assert r.remedy.commands == ["adb shell pm disable-user --user 0 com.tencent.wxpayface",
                                 "adb shell pm disable-user --user 0 com.tencent.wxpayface.iotservice"]
    alive = result_of(replay_report("health-a9-facepay-board", only=["wmpf-installed", *IDS]), "wmpf-alive")
    assert alive.remedy.faq == "4.5" and "com.facepay.terminal.voip" in alive.remedy.commands[0]
    assert any("am_proc_died" in ln for ev in alive.evidence for ln in ev.lines)  # WMPF's death is shown
    host = result_of(replay_report("health-a13-kiosk", only=["wmpf-installed", *IDS]), "host-app")
    assert host.remedy.faq == "4.6" and "com.tencent.wmpf.comm.provider" in host.remedy.text


def test_host_app_details_contract():
    r = result_of(replay_report("health-miui-a12-phone", only=["wmpf-installed", "host-app"]), "host-app")
    d = r.details
    assert {k: d[k] for k in ("package", "how", "versionName", "versionCode", "targetSdk")} == {
        "package": "com.sungate.doorbell", "how": "provider", "versionName": "4.1.0", "versionCode": 410,
        "targetSdk": 31}
    assert d["codePath"] == "/data/app/~~cGhvbmVob3N0==/com.sungate.doorbell-aG9zdGhhc2g="
    assert d["apk_paths"] == [d["codePath"] + "/base.apk"] and d["sees_wmpf"] is True


def test_camera_prints_the_init_global_config_keys():
    r = result_of(replay_report("health-a7.1-aosp-board", only=["wmpf-installed", "camera"]), "camera")
    text = r.remedy.text
    assert r.remedy.faq == "4.1"
    assert '"cameraId": 0, "cameraRotationAngle": 0' in text
    assert '"usbCameraName": "/dev/bus/usb/002/003"' in text
    assert '"usbCameraVendorId": 3141, "usbCameraProductId": 25446, "usbSerialNumber": "SN0001"' in text


# --- small hand-made devices -------------------------------------------------------------------------

WMPF_DUMP = ("Packages:\n  Package [com.tencent.wmpf] (1a2b3c):\n    versionCode=9020017 minSdk=21 targetSdk=26\n"
             "    versionName=2.2.0\n    User 0: ceDataInode=1 installed=true hidden=false suspended=false "
             "stopped={stopped} notLaunched=false enabled=0\n")
HOST_DUMP = ("Packages:\n  Package [com.maker.door] (4d5e6f):\n    codePath=/data/app/com.maker.door-1\n"
             "    versionCode=7 minSdk=25 targetSdk=28\n    versionName=1.0.7\n    User 0: ceDataInode=2 "
             "installed=true hidden=false suspended=false stopped=false notLaunched=false enabled=0\n")
SERVICES_BOUND = (
    "ACTIVITY MANAGER SERVICES (dumpsys activity services)\n  User 0 active services:\n"
    "  * ServiceRecord{1 u0 com.tencent.wmpf/.app.WMPFService}\n    packageName=com.tencent.wmpf\n"
    "    processName=com.tencent.wmpf\n    app=ProcessRecord{2 3120:com.tencent.wmpf/u0a86}\n    Bindings:\n"
    "    * IntentBindRecord{3 CREATE}:\n"
    "      * Client AppBindRecord{4 ProcessRecord{5 2900:com.maker.door:ipc/u0a85}}\n")
NOTHING = "ACTIVITY MANAGER SERVICES (dumpsys activity services)\n  (nothing)\n"
TOOLBOX_PS = ("USER      PID   PPID  VSIZE  RSS   WCHAN              PC  NAME\n"
              "u0_a86    3120  300   1187232 98312 SyS_epoll_ 00000000 S com.tencent.wmpf\n")


def device(answers: dict, sdk: int = 28, stopped: bool = False):
    cmds = [{"command": "getprop", "stdout": f"[ro.build.version.sdk]: [{sdk}]\n"},
            {"command": "dumpsys package com.tencent.wmpf",
             "stdout": WMPF_DUMP.format(stopped="true" if stopped else "false")}]
    for command, value in answers.items():
        cmds.append({"command": command, **(value if isinstance(value, dict) else {"stdout": value})})
    return Replayer(parse({"format": FORMAT, "device": {"serial": "X"}, "commands": cmds}))


def run_one(check, dev, **settings):
    return run_checks(dev, [check], Settings(**settings)).results[0]


def test_host_found_by_binding_when_no_provider_owner():
    dev = device({"dumpsys package providers": "ContentProvider Authorities:\n  [settings]:\n    Provider{1 "
                    "com.android.providers.settings/.SettingsProvider}\n",
                    "dumpsys activity services com.tencent.wmpf": SERVICES_BOUND,
                    "dumpsys package com.maker.door": HOST_DUMP,
                    "pm path com.maker.door": "package:/data/app/com.maker.door-1/base.apk\n"})
    r = run_one(HostAppCheck(), dev)
    assert r.status == P and "is bound to com.tencent.wmpf/.app.WMPFService" in r.summary
    assert r.details["how"] == "bound" and r.details["package"] == "com.maker.door"


def test_host_package_flag_is_used_last_and_checked():
    base = {"dumpsys package providers": "ContentProvider Authorities:\n",
            "dumpsys activity services com.tencent.wmpf": NOTHING}
    dev = device({**base, "dumpsys package com.maker.door": HOST_DUMP,
                  "pm path com.maker.door": "package:/data/app/com.maker.door-1/base.apk\n"})
    r = run_one(HostAppCheck(), dev, host_package="com.maker.door")
    assert r.status == P and r.details["how"] == "flag" and "named with --host-package" in r.summary
    dev = device({**base, "dumpsys package com.maker.gone": "Unable to find package: com.maker.gone\n"})
    r = run_one(HostAppCheck(), dev, host_package="com.maker.gone")
    assert r.status == F and "com.maker.gone, is not installed" in r.summary


def test_a_hostile_host_package_never_reaches_the_shell():
    dev = device({"dumpsys package providers": "ContentProvider Authorities:\n",
                    "dumpsys activity services com.tencent.wmpf": NOTHING})
    r = run_one(HostAppCheck(), dev, host_package="x; reboot")
    assert r.status == W and "no host app found" in r.summary  # not `unknown: not recorded: dumpsys package x; reboot`


def test_find_host_app_returns_the_contract_dataclass():
    from devdoctor.core.facts import Facts
    from devdoctor.check import Context
    dev = device({"dumpsys package providers": "ContentProvider Authorities:\n  [com.tencent.wmpf.cli.provider]:\n"
                    "    Provider{9 com.maker.door/.Cli}\n", "dumpsys package com.maker.door": HOST_DUMP,
                    "pm path com.maker.door": "package:/data/app/com.maker.door-1/base.apk\n"})
    host = find_host_app(Context(dev, Facts(dev), Settings()))
    assert isinstance(host, HostApp)
    assert host.details() == {"package": "com.maker.door", "how": "provider", "versionName": "1.0.7", "versionCode": 7,
                              "targetSdk": 28, "codePath": "/data/app/com.maker.door-1",
                              "apk_paths": ["/data/app/com.maker.door-1/base.apk"]}


def test_android_7_uses_plain_ps_and_sees_the_host_binding():
    dev = device(sdk=25, answers={"ps": TOOLBOX_PS, "dumpsys activity services com.tencent.wmpf": SERVICES_BOUND,
                            "dumpsys package providers": "ContentProvider Authorities:\n",
                            "dumpsys package com.maker.door": HOST_DUMP, "pm path com.maker.door": "",
                            "logcat -d -b crash -b events -t 400": ""})
    r = run_one(WmpfAlive(), dev)
    assert r.status == P and "WMPF runs (pid 3120) and com.maker.door is bound" in r.summary


def test_pidof_when_ps_gives_no_listing():
    dev = device(sdk=26, answers={"ps -A": "/system/bin/sh: ps: not found\n", "pidof com.tencent.wmpf":
                            {"stdout": "", "exit_code": 1}, "dumpsys package providers": "",
                            "dumpsys activity services com.tencent.wmpf": NOTHING,
                            "logcat -d -b crash -b events -t 400": ""})
    r = run_one(WmpfAlive(), dev)
    assert r.status == F and "is not running" in r.summary


def test_stopped_package_is_named_in_the_failure():
    dev = device(sdk=29, answers={"ps -A": "USER           PID  PPID     VSZ    RSS WCHAN            ADDR S NAME\n",
                            "dumpsys package providers": "", "dumpsys activity services com.tencent.wmpf": NOTHING,
                            "logcat -d -b crash -b events -t 400": ""}, stopped=True)
    r = run_one(WmpfAlive(), dev)
    assert r.status == F and "stopped state" in r.summary and r.details["stopped"] is True


def alive_with_history(history: str):
    """wmpf-alive on an Android 10 device where WMPF runs and is bound, with this crash/events log."""
    dev = device(sdk=29, answers={"ps -A": "USER           PID  PPID     VSZ    RSS WCHAN            ADDR S NAME\n"
                                  "u0_a86        3120   300 1876432 168320 0                   0 S com.tencent.wmpf\n",
                                  "dumpsys package providers": "", "dumpsys activity services com.tencent.wmpf":
                                  SERVICES_BOUND, "dumpsys package com.maker.door": HOST_DUMP,
                                  "pm path com.maker.door": "", "logcat -d -b crash -b events -t 400": history})
    return run_one(WmpfAlive(), dev)


def test_a_recent_crash_warns_even_when_all_runs():
    crash = ("--------- beginning of crash\n11-20 09:12:01.234  3120  3140 E AndroidRuntime: Process: "
             "com.tencent.wmpf, PID: 3120\n")
    r = alive_with_history(crash)
    assert r.status == W and "crashed recently" in r.summary
    assert any("Process: com.tencent.wmpf" in ln for ev in r.evidence for ln in ev.lines)


def test_site_payment_packages_extend_the_list():
    assert "com.site.pay" in payment_packages(["com.site.pay", "bad name; rm"])
    assert "bad name; rm" not in payment_packages(["bad name; rm"])
    dev = device({"pm list packages": "package:com.site.pay\npackage:android\n", "pm list packages -d": ""})
    r = run_one(PaymentApps(), dev, extra_payment_packages=["com.site.pay"])
    assert r.status == F and "com.site.pay" in r.summary
    assert r.remedy.commands == ["adb shell pm disable-user --user 0 com.site.pay"]


def test_camera_service_missing_and_no_usb_is_unknown_not_warn():
    from devdoctor.readings.catalog import USB_VIDEO_COMMAND
    dev = device({"dumpsys media.camera": "Can't find service: media.camera\n", USB_VIDEO_COMMAND: ""})
    r = run_one(Camera(), dev)
    assert r.status == U and "Can't find service: media.camera" in r.summary


def test_host_package_flag_still_works_when_the_dumps_hang():
    dev = device({"dumpsys package providers": {"outcome": "timeout", "duration_ms": 9000},
                  "dumpsys activity services com.tencent.wmpf": {"outcome": "timeout", "duration_ms": 9000},
                  "dumpsys package com.maker.door": HOST_DUMP, "pm path com.maker.door": ""})
    r = run_one(HostAppCheck(), dev, host_package="com.maker.door")
    assert r.status == P and r.details["how"] == "flag" and r.details["apk_paths"] == []
    r = run_one(HostAppCheck(), device({"dumpsys package providers": {"outcome": "timeout", "duration_ms": 9000},
                                        "dumpsys activity services com.tencent.wmpf": "Can't find service: activity\n"}))
    assert r.status == U and "could not look for the host app" in r.summary
    assert [e.command for e in r.evidence] == ["dumpsys package providers", "dumpsys activity services com.tencent.wmpf"]


def test_verbose_run_shows_the_deciding_commands_and_lines():
    from conftest import FIXTURES, cli
    out = cli("run", "--replay", FIXTURES / "health-a9-facepay-board.json", "-v").stdout
    for shown in ("$ ps -A", "(no com.tencent.wmpf process in the listing)", "am_proc_died: [0,",
                  "$ pm list packages", "package:com.tencent.wxpayface", "$ dumpsys package providers",
                  "[com.tencent.wmpf.cli.provider]:", "$ dumpsys media.camera", "Orientation: 270",
                  "adb shell pm disable-user --user 0 com.tencent.wxpayface"):
        assert shown in out, shown


def test_a_demo_host_crash_is_not_a_wmpf_crash():
    crash = ("11-20 09:12:01.234  3120  3140 E AndroidRuntime: Process: com.tencent.wmpf.demo.experience, PID: 2900\n"
             "11-20 09:12:02.001  1867  1880 I am_proc_died: [0,3298,com.tencent.wmpf:container3,906,16]\n")
    r = alive_with_history(crash)
    assert r.status == P and r.details["recent_events"] == 1  # the container's death is shown, not judged
