"""`inspect` on a log in every layout liblog's logprint.cpp prints (`logcat -v FORMAT[,MODIFIER]`) and in
Android Studio's two copy layouts: the same four entries read in each, and WMPF's `get bridge is null` and
`onConnectTimeout` found with their time (tests/data/formats/README.md says where each layout comes from)."""
from __future__ import annotations

from pathlib import Path

import pytest

from devdoctor.readings.pasted import inspect_bytes
from devdoctor.parsers.logcat import parse_logcat

DATA = Path(__file__).parent / "data" / "formats" / "logcat"
MD = ("05-01 09:59:59.300", "05-01 10:00:02.512")  # the stamps of the two WMPF errors, as printed
YEAR = ("2025-05-01 09:59:59.300", "2025-05-01 10:00:02.512")
NONE = (None, None)
# file -> (log_format, log_layout, modifiers, stamps of the two WMPF errors as printed, pid and tid shown)
LAYOUTS = {
    "brief": ("brief", "brief", [], NONE, (4242, None)),
    "brief-uid": ("brief", "brief", ["uid"], NONE, (4242, None)),
    "process": ("process", "process", [], NONE, (4242, None)),
    "process-uid": ("process", "process", ["uid"], NONE, (4242, None)),
    "tag": ("tag", "tag", [], NONE, (None, None)),
    "thread": ("thread", "thread", [], NONE, (4242, 4251)),
    "thread-uid": ("thread", "thread", ["uid"], NONE, (4242, 4251)),
    "time": ("time", "time", [], MD, (4242, None)),
    "time-uid": ("time", "time", ["uid"], MD, (4242, None)),
    "threadtime": ("threadtime", "threadtime", [], MD, (4242, 4251)),
    "threadtime-uid": ("threadtime", "threadtime", ["uid"], MD, (4242, 4251)),
    "threadtime-year-usec-zone": ("threadtime", "threadtime", ["year", "zone", "usec"],
                                  ("2025-05-01 09:59:59.300456 +0800", "2025-05-01 10:00:02.512001 +0800"),
                                  (4242, 4251)),
    "threadtime-epoch": ("threadtime", "threadtime", ["epoch"], ("1746064799.300", "1746064802.512"), (4242, 4251)),
    "threadtime-monotonic": ("threadtime", "threadtime", ["monotonic"], ("3606.300", "3608.512"), (4242, 4251)),
    "threadtime-color": ("threadtime", "threadtime", [], MD, (4242, 4251)),
    "long": ("long", "long", [], MD, (4242, 4251)),
    "long-uid-year": ("long", "long", ["year", "uid"], YEAR, (4242, 4251)),
    "studio-legacy": ("studio", "studio", ["year"], YEAR, (4242, 4251)),
    "studio-columns": ("studio", "studio_columns", ["year"], YEAR, (4242, 4251)),
}


def test_every_layout_has_a_fixture():
    assert {p.stem for p in DATA.glob("*.txt")} == set(LAYOUTS) | {"raw"}


@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_each_layout_is_told_and_read_entry_by_entry(name):
    fmt, layout, modifiers, stamps, (pid, tid) = LAYOUTS[name]
    reading, _cap = inspect_bytes((DATA / f"{name}.txt").read_bytes())
    f = reading.facts
    assert (reading.kind, reading.told_by) == ("logcat", "content")
    assert (f["log_format"], f["log_layout"], f["log_modifiers"]) == (fmt, layout, modifiers)
    assert f["line_count"] == 4 and f["timestamped_line_count"] == (4 if stamps[0] else 0)
    assert [(m["signature"], m["timestamp"]) for m in f["matches"]] == [("bridge-not-found", stamps[0]),
                                                                        ("connect-timeout", stamps[1])]
    entry = parse_logcat((DATA / f"{name}.txt").read_text()).lines[1]
    assert (entry.pid, entry.tid, entry.level) == (pid, tid, "E")
    assert entry.message == "invokeAsync failed, get bridge is null by process(com.tencent.wmpf)."
    assert entry.tag == ("" if name.startswith("thread") and not name.startswith("threadtime") else "IPC.IPCInvoker")


def test_raw_is_read_when_the_command_says_so():
    data = b"rk3288:/ $ logcat -d -v raw\n" + (DATA / "raw.txt").read_bytes()
    reading, cap = inspect_bytes(data)
    assert (reading.kind, reading.told_by, reading.facts["log_format"]) == ("logcat", "command", "raw")
    assert reading.facts["line_count"] == 4
    assert [m["line_number"] for m in reading.facts["matches"]] == [3, 5]  # lines of the file, prompt included


def test_epoch_seconds_are_a_clock_and_monotonic_ones_are_not():
    epoch = parse_logcat((DATA / "threadtime-epoch.txt").read_text())
    assert epoch.lines[0].when.isoformat() == "2025-05-01T01:59:58"  # UTC
    assert parse_logcat((DATA / "threadtime-monotonic.txt").read_text()).newest is None


def test_a_studio_paste_in_a_ticket_is_a_log_whose_wmpf_errors_are_found():
    paste = ("Hi, the panel shows a white screen, log below:\n\n"
             + (DATA / "studio-columns.txt").read_text() + "\nThanks\n").encode()
    reading, _cap = inspect_bytes(paste)
    assert reading.kind == "logcat"
    assert [m["line_number"] for m in reading.facts["matches"]] == [4, 6]


def test_a_process_line_with_a_uid_is_not_taken_for_a_thread_line():
    log = parse_logcat("I(10085: 4242) container start ok  (WMPF)\n")
    assert (log.format, log.lines[0].pid, log.lines[0].uid, log.lines[0].tag) == ("process", 4242, "10085", "WMPF")
