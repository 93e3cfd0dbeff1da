"""Which command printed a capture: every fixture's kind is told from its content alone and from the
command on a prompt line above it; a capture of no known kind names the closest kinds; one forced with
--as to a kind it is not says so and exits 4."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import cli
from devdoctor.readings.pasted import inspect_bytes
from devdoctor.parsers.capture import closest_kinds, read_capture

DATA = Path(__file__).parent / "data" / "formats"
FIXTURES = sorted(p for p in DATA.glob("*/*.txt") if p.stem != "raw")  # raw logcat has no shape of its own
KIND = {"interfaces": None, "logcat": "logcat", "ps": "ps", "getprop": "getprop", "appops": "appops",
        "dumpsys_activity": "dumpsys_activity", "dumpsys_package": "dumpsys_package"}
# The command a person types for each fixture, as it appears on a pasted prompt line.
COMMAND = {"logcat": "logcat -d", "ps": "ps -A", "getprop": "getprop", "appops": "cmd appops get com.tencent.wmpf",
           "dumpsys_activity": "dumpsys activity processes", "dumpsys_package": "dumpsys package com.tencent.wmpf"}
INTERFACES = {"ip-": ("ip_addr", "ip addr"), "proc-net-if_inet6": ("ip_addr", "cat /proc/net/if_inet6"),
              "ifconfig-": ("ifconfig", "ifconfig"), "netcfg": ("ifconfig", "netcfg"),
              "proc-net-dev": ("ifconfig", "cat /proc/net/dev")}


def kind_and_command(path: Path) -> tuple[str, str]:
    if path.parent.name == "interfaces":
        return next(v for k, v in INTERFACES.items() if path.stem.startswith(k))
    return KIND[path.parent.name], COMMAND[path.parent.name]


@pytest.mark.parametrize("path", FIXTURES, ids=[f"{p.parent.name}/{p.stem}" for p in FIXTURES])
def test_the_kind_is_told_by_content_and_by_a_prompt_line(path):
    kind, command = kind_and_command(path)
    data = path.read_bytes()
    reading, cap = inspect_bytes(data)
    assert reading.kind == kind
    if cap.prompt is not None:
        return  # the fixture is a paste with its own prompt
    prompted, pcap = inspect_bytes(f"citrine:/ $ {command}\n".encode() + data)
    assert (prompted.kind, prompted.told_by, pcap.prompt_lines[0]) == (kind, "command", f"citrine:/ $ {command}")
    # the prompt is never read as data; only the line numbers of a log's matches count it
    lines = {"matches", "signatures"}
    assert {k: v for k, v in prompted.facts.items() if k not in lines} == {
        k: v for k, v in reading.facts.items() if k not in lines}
    assert [m["signature"] for m in prompted.facts.get("matches", [])] == [
        m["signature"] for m in reading.facts.get("matches", [])]


def test_a_capture_of_no_known_kind_names_the_closest(tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("the panel says PID 4242 is gone, USER u0_a85\nand nothing more\n")
    r = cli("inspect", notes)
    assert r.returncode == 4 and "closest: ps" in r.stderr and "--as" in r.stderr
    assert closest_kinds(read_capture(notes.read_bytes()))[0] == "ps"


def test_a_capture_forced_to_another_kind_says_so_and_exits_4(tmp_path):
    log = tmp_path / "log.txt"
    log.write_bytes((DATA / "logcat" / "threadtime.txt").read_bytes())
    r = cli("inspect", log, "--as", "ps")
    assert r.returncode == 4 and "is not ps output" in r.stderr and "--as logcat" in r.stderr
    r = cli("inspect", log, "--as", "ps", "--json")
    doc = json.loads(r.stdout)
    assert r.returncode == 4 and doc["error"]["kind"] == "not_this_kind" and doc["error"]["closest"][0] == "logcat"
    assert cli("inspect", log, "--as", "logcat").returncode == 0


def test_ip_output_read_as_ifconfig_is_still_read():
    r = cli("inspect", DATA / "interfaces" / "ip-addr.txt", "--as", "ifconfig", "--json")
    assert r.returncode == 0 and json.loads(r.stdout)["format"] == "ip_addr"


def test_every_fixture_says_where_its_layout_comes_from():
    readme = (DATA / "README.md").read_text()
    assert [p for p in sorted(DATA.glob("*/*.txt")) if f"| `{p.parent.name}/{p.name}` |" not in readme] == []
