"""`devdoctor run --bugreport` on the four real bugreports in ../shared/bugreports (Android 7.1.1, 8.1, 9, 10).

The captures under ../shared/captures/raw/*/<device>-*-from-bugreport.txt were cut out of these same
bugreports by hand: what the bugreport device answers must be those bytes exactly."""
from __future__ import annotations

import functools

import pytest

from conftest import shared_dir
from devdoctor.check import Settings
from devdoctor.sources.device import NotAnswerable
from devdoctor.core.diagnose import bugreport_target, diagnose, select_checks
from devdoctor.core.plugins import load

# zip prefix -> (capture prefix, release, sdk, serial)
BUGREPORTS = {
    "emulator-sdk-google-phone-x86-a7.1.1": ("emulator-sdk-x86-a7.1.1", "7.1.1", 25, "emulator-sdk-google"),  # no serial: the file name
    "pixel-sailfish-a8.1": ("pixel-sailfish-a8.1", "8.1.0", 27, "FA69Y0300503"),
    "emulator-sdk-gphone-x86-a9": ("emulator-sdk-gphone-x86-a9", "9", 28, "EMULATOR29X0X11X0"),
    "pixel-sailfish-aosp-userdebug-a10": ("pixel-sailfish-a10", "10", 29, "FA69P0301911"),
}

# capture folder -> the command whose answer must equal that capture
COMMANDS = {
    "getprop": "getprop",
    "dumpsys_deviceidle": "dumpsys deviceidle",
    "dumpsys_connectivity": "dumpsys connectivity",
    "dumpsys_activity": "dumpsys activity processes",
    "ps": None,  # the section's own command (it differs between versions)
    "ip_addr": "ip -4 addr show",
}

# What the built-in checks conclude on each bugreport. None of these devices has WMPF installed, so the
# checks that need it are skipped; the second table runs them anyway (--skip wmpf-installed).
# payment-apps and camera need no WMPF: they are read on a device being prepared too
NO_WMPF = {"android-version": "pass", "wmpf-installed": "fail", "host-app": "skipped", "wmpf-alive": "skipped",
           "autostart": "skipped", "payment-apps": "pass", "wmpf-log": "skipped", "camera": "unknown"}
ANYWAY = {"android-version": "pass", "host-app": "warn", "wmpf-alive": "fail", "autostart": "warn",
          "payment-apps": "pass", "wmpf-log": "pass", "camera": "unknown"}
# The network check cannot probe from a bugreport; the Android 10 one had no network at all.
NETWORK = {"emulator-sdk-google-phone-x86-a7.1.1": "unknown", "pixel-sailfish-a8.1": "unknown",
           "emulator-sdk-gphone-x86-a9": "unknown", "pixel-sailfish-aosp-userdebug-a10": "fail"}
# Checks that come out `unknown` because the bugreport lacks what they read (or they need the live device).
UNKNOWN_FOR_LACK = {"camera": "not in this bugreport", "network": "needs the live device"}


def zip_of(name: str):
    found = sorted((shared_dir() / "bugreports").glob(name + "*.zip"))
    assert found, f"no {name}*.zip in ../shared/bugreports"
    return found[0]


@functools.lru_cache(maxsize=None)
def target(name: str):
    return bugreport_target(zip_of(name))


@functools.lru_cache(maxsize=None)
def report(name: str, skip: tuple[str, ...] = ()):
    checks = select_checks(load(), [], list(skip))
    return diagnose(target(name), checks, Settings(), timeout=30.0)


@pytest.mark.parametrize("name", BUGREPORTS)
def test_identity_comes_from_the_bugreport(name):
    prefix, release, sdk, serial = BUGREPORTS[name]
    ident = report(name).identity
    assert (ident.source, ident.release, ident.sdk) == ("bugreport", release, sdk)
    assert ident.serial.startswith(serial)
    assert ident.captured_at[:4] in ("2017", "2018", "2019", "2020") and ident.build and ident.fingerprint


@pytest.mark.parametrize("name", BUGREPORTS)
def test_answers_are_the_bugreport_bytes_exactly(name):
    """Every capture that was cut from this bugreport is what the bugreport device answers, byte for byte
    (the kinds with no capture from this bugreport have nothing to compare with)."""
    prefix = BUGREPORTS[name][0]
    dev = target(name).device
    compared = []
    for kind, command in COMMANDS.items():
        captures = [p for p in sorted((shared_dir() / "captures" / "raw" / kind).glob(prefix + "-*"))
                    if "from-bugreport" in p.name and "ip-link" not in p.name]
        if captures:
            command = command or dev.index.sections_where(command_prefix="ps")[0].command
            assert dev.shell(command).stdout == captures[0].read_text(), kind
            compared.append(kind)
    assert compared, f"no capture was cut from {name}: nothing compared"


@pytest.mark.parametrize("name", ["pixel-sailfish-a8.1", "emulator-sdk-gphone-x86-a9", "pixel-sailfish-aosp-userdebug-a10"])
def test_ps_lists_processes_by_their_full_names_not_the_threads_cut_names(name):

    dev = target(name).device
    out = dev.shell("ps -A").stdout
    rows = out.splitlines()
    assert rows[0].split() == ["USER", "PID", "PPID", "VSZ", "RSS", "WCHAN", "ADDR", "S", "NAME"]
    names = [r.split()[-1] for r in rows[1:]]
    assert "com.android.systemui" in names and "ndroid.systemui" not in names and "system_server" in names
    pid = next(r.split()[1] for r in rows[1:] if r.endswith(" com.android.systemui"))
    assert dev.shell("pidof com.android.systemui").stdout == pid + "\n"


def test_the_a10_package_dump_and_appops_are_whole():
    dev = target("pixel-sailfish-aosp-userdebug-a10").device
    raw = shared_dir() / "captures" / "raw"
    assert dev.shell("dumpsys package").stdout == \
        (raw / "dumpsys_package" / "pixel-sailfish-a10-ALL-packages-from-bugreport.txt").read_text()
    assert dev.shell("dumpsys appops").stdout == \
        (raw / "appops" / "pixel-sailfish-a10-dumpsys-appops-from-bugreport.txt").read_text()


def test_one_package_is_cut_out_of_the_real_dump():
    from devdoctor.parsers.dumpsys_package import parse_dumpsys_package

    dev = target("pixel-sailfish-aosp-userdebug-a10").device
    out = dev.shell("dumpsys package com.android.shell").stdout
    dump = parse_dumpsys_package(out)
    assert [p.package for p in dump.packages] == ["com.android.shell"]
    assert dump.packages[0].versionCode == 29 and dump.packages[0].users[0].installed is True


@pytest.mark.parametrize("name", BUGREPORTS)
def test_logs_are_answered_in_threadtime_without_the_uid_column(name):
    out = target(name).device.shell("logcat -d -v threadtime -t 50").stdout.splitlines()
    assert len(out) == 50
    import re
    assert all(re.match(r"^\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} +\d+ +\d+ [VDIWEF] ", ln) or ln.startswith("---------")
               for ln in out), out[:3]


@pytest.mark.parametrize("skip", [(), ("wmpf-installed",)], ids=["all", "without-wmpf-installed"])
@pytest.mark.parametrize("name", BUGREPORTS)
def test_verdicts_and_what_stays_unknown(name, skip):
    rep = report(name, skip)
    got = {r.id: r.status.value for r in rep.results}
    want = dict(ANYWAY if skip else NO_WMPF, network=NETWORK[name])
    assert {k: got.get(k) for k in want} == want, {r.id: r.summary for r in rep.results}
    for r in rep.results:
        if r.status.value == "unknown":  # says what the bugreport lacks, never a bare failure to read
            assert UNKNOWN_FOR_LACK[r.id] in r.summary, (r.id, r.summary)


def test_live_only_probes_say_so_on_a_real_bugreport():
    dev = target("pixel-sailfish-a8.1").device
    with pytest.raises(NotAnswerable, match="needs the live device"):
        dev.shell("ping -c 1 -W 2 servicewechat.com")


@pytest.mark.parametrize("name", BUGREPORTS)
def test_the_last_lines_read_from_the_end_are_those_of_the_whole_log(name):
    dev = target(name).device
    for n in (1, 400, 5000):
        fast = dev.shell(f"logcat -d -b crash -b events -t {n}").stdout
        whole = dev.shell("logcat -d -b crash -b events").stdout.splitlines(True)
        assert fast == "".join(whole[-n:])
