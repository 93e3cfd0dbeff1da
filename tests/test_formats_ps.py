"""`inspect` on `ps` in every layout WMPF's devices print: toolbox (Android <= 7.1) with -Z, -t, -p -P;
toybox (8.0+) with -A, -Z, -o; busybox's two defaults; and `ps` run in a loop. Each fixture lists the same
seven processes (tests/data/formats/README.md says where each layout comes from)."""
from __future__ import annotations

from pathlib import Path

import pytest

from devdoctor.readings.pasted import inspect_bytes
from devdoctor.parsers.ps import parse_ps

DATA = Path(__file__).parent / "data" / "formats" / "ps"
NAMES = {1: "/init", 2: "kthreadd", 1384: "zygote", 1686: "system_server", 1773: "com.android.systemui",
         4242: "com.tencent.wmpf", 4301: "com.tencent.wmpf:container"}
# file -> (format, header columns, thread rows listed, data rows)
LAYOUTS = {
    "toolbox": ("toolbox", ["USER", "PID", "PPID", "VSIZE", "RSS", "WCHAN", "PC", "NAME"], False, 7),
    "toolbox-Z": ("toolbox", ["LABEL", "USER", "PID", "PPID", "VSIZE", "RSS", "WCHAN", "PC", "NAME"], False, 7),
    "toolbox-t": ("toolbox", ["USER", "PID", "PPID", "VSIZE", "RSS", "WCHAN", "PC", "NAME"], True, 11),
    "toolbox-p-P": ("toolbox", ["USER", "PID", "PPID", "VSIZE", "RSS", "PRIO", "NICE", "RTPRI", "SCHED", "PCY",
                                "WCHAN", "PC", "NAME"], False, 7),
    "toolbox-Z-t-p-P": ("toolbox", ["LABEL", "USER", "PID", "PPID", "VSIZE", "RSS", "PRIO", "NICE", "RTPRI", "SCHED",
                                    "PCY", "WCHAN", "PC", "NAME"], True, 11),
    "toybox-A": ("toybox", ["USER", "PID", "PPID", "VSZ", "RSS", "WCHAN", "ADDR", "S", "NAME"], False, 7),
    "toybox-AZ": ("toybox", ["LABEL", "USER", "PID", "PPID", "VSZ", "RSS", "WCHAN", "ADDR", "S", "NAME"], False, 7),
    "toybox-A-o": ("toybox", ["PID", "USER", "NAME"], False, 7),
    "busybox": ("busybox", ["PID", "USER", "VSZ", "STAT", "COMMAND"], False, 7),
    "busybox-time": ("busybox", ["PID", "USER", "TIME", "COMMAND"], False, 7),
    "toybox-loop": ("toybox", ["USER", "PID", "PPID", "VSZ", "RSS", "WCHAN", "ADDR", "S", "NAME"], False, 7),
}


def test_every_layout_has_a_fixture():
    assert {p.stem for p in DATA.glob("*.txt")} == set(LAYOUTS)


@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_each_layout_gives_the_processes_a_person_reads(name):
    fmt, header, threads, rows = LAYOUTS[name]
    reading, _cap = inspect_bytes((DATA / f"{name}.txt").read_bytes())
    f = reading.facts
    assert reading.kind == "ps"
    assert (f["format"], f["header_columns"], f["threads_listed"], f["data_row_count"]) == (fmt, header, threads, rows)
    assert f["unlabeled_state_column"] is (fmt == "toolbox")
    assert (f["process_count"], f["system_server_pid"]) == (7, 1686)
    names = {p["pid"]: p["name"] for p in f["processes"]}
    toybox_names = {pid: n.lstrip("/") for pid, n in NAMES.items()}  # toybox prints the comm, not argv[0]
    busybox_names = {**NAMES, 2: "[kthreadd]"}
    assert names == {"toybox": toybox_names, "busybox": busybox_names}.get(fmt, NAMES)
    assert {p["user"] for p in f["processes"] if p["pid"] == 4242} == {"u0_a85"}


def test_the_threads_of_toolbox_t_are_not_processes():
    listing = parse_ps((DATA / "toolbox-t.txt").read_text())
    assert [p.pid for p in listing.named("system_server")] == [1686]  # its thread 1710 has the same name


def test_a_loop_is_read_as_its_first_listing_and_every_listing_is_counted():
    reading, cap = inspect_bytes((DATA / "toybox-loop.txt").read_bytes())
    f = reading.facts
    assert (f["snapshot_count"], f["snapshot_row_counts"]) == (3, [7, 6, 3])
    assert cap.command == "while true; do ps -A; sleep 5; done" and reading.told_by == "command"
    assert "130|rk3288:/ $ " in cap.prompt_lines  # the prompt after Ctrl-C is no process


def test_a_ps_header_pasted_below_other_text_is_found():
    text = "here is ps from the panel:\n\n" + (DATA / "busybox.txt").read_text()
    assert parse_ps(text).format == "busybox" and len(parse_ps(text).processes) == 7
