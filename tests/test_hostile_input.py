"""Nothing a device, a file or a number sends makes a parser raise: every parser is total.

The inputs are the answers of the bundled recordings (real device output, or written to its exact format)
made hostile: cut anywhere, every number grown past Python's 4,300-digit limit, a line of 100,000
characters, NULs, CR CR LF line ends, UTF-16 with and without a byte-order mark, random bytes. How long
a parser takes on such input is measured by bench/parsers.py, not here.
"""
from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXTURES, cli
from devdoctor.sources.fixture import load
from devdoctor.parsers import (activity, appops, camera, connectivity, deviceidle, dumpsys_package, getprop, logcat,
                               net, pm_list, ps, queries, rom, standby)
from devdoctor.parsers.bugreport import parse_header
from devdoctor.parsers.capture import detect_kind, read_capture

PARSERS = {
    "getprop": getprop.parse_getprop, "rom": lambda t: rom.detect_rom(getprop.parse_getprop(t)),
    "dumpsys_package": dumpsys_package.parse_dumpsys_package, "ps": ps.parse_ps, "pidof": ps.parse_pidof,
    "pm_list": pm_list.parse_pm_list, "pm_path": pm_list.parse_pm_path, "appops": appops.parse_appops_get,
    "dumpsys_appops": appops.parse_dumpsys_appops, "services": activity.parse_services,
    "processes": activity.parse_processes, "providers": activity.parse_provider_authorities,
    "connectivity": connectivity.parse_dumpsys_connectivity, "wifi": connectivity.parse_wifi_info,
    "deviceidle": deviceidle.parse_deviceidle, "logcat": logcat.parse_logcat, "ip": net.parse_ip,
    "ifconfig": net.parse_ifconfig, "ping": net.parse_ping, "dns": net.parse_dns_lookup, "epoch": net.parse_epoch,
    "camera": camera.parse_camera_dump, "usb_video": camera.parse_usb_video, "queries": queries.parse_queries,
    "standby": standby.parse_standby_bucket, "bugreport_header": parse_header,
    "capture": lambda t: detect_kind(read_capture(t.encode("utf-8", "surrogatepass"))),
}


def _answers() -> list[str]:
    """Every distinct answer of every bundled recording, as text (a few kilobytes each at most)."""
    seen: dict[str, None] = {}
    for path in sorted(FIXTURES.glob("*.json")):
        for e in load(path).entries:
            text = e.stdout.decode("utf-8", "replace")
            if text.strip() and len(text) < 20_000:
                seen.setdefault(text)
    return list(seen)


ANSWERS = _answers()


def _every_parser(text: str) -> None:
    for name, parse in PARSERS.items():
        try:
            parse(text)
        except Exception as e:  # pragma: no cover - the message says which parser and what
            raise AssertionError(f"{name} raised {type(e).__name__}: {e} on {text[:200]!r}") from e


def hostile():
    answer = st.sampled_from(ANSWERS)
    return st.one_of(
        st.text(),
        st.binary().map(lambda b: read_capture(b).text),
        st.tuples(answer, st.integers(0, 3000)).map(lambda p: p[0][: p[1]]),  # cut off anywhere
        answer.map(lambda s: s.replace("\n", "\r\r\n")),
        answer.map(lambda s: s.replace(" ", "\x00", 3)),
        st.tuples(answer, st.sampled_from(["9" * 5000, "-" + "1" * 4400, "0x" + "f" * 5000])).map(
            lambda p: re.sub(r"\d+", p[1], p[0], count=4)),
        st.lists(st.one_of(answer, st.text(max_size=60)), max_size=6).map("".join),
    )


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hostile())
def test_no_parser_raises_on_hostile_text(text):
    _every_parser(text)


@pytest.mark.parametrize("index", range(0, len(ANSWERS), max(1, len(ANSWERS) // 25)))
def test_every_number_grown_past_python_s_digit_limit_is_read_without_raising(index):
    _every_parser(re.sub(r"\d+", "9" * 5000, ANSWERS[index]))


def test_a_line_of_100_000_characters_in_every_answer_is_read_without_raising():
    for unit in ("a", "a=", "ab ", "9", " ", "[a:", "Ab9=:, [](){}/.-_\t"):
        line = (unit * (100_000 // len(unit)))[:100_000]
        for answer in ANSWERS[:: max(1, len(ANSWERS) // 10)]:
            head, _, tail = answer.partition("\n")
            _every_parser(f"{head}\n    {line}\n{tail}")


@pytest.mark.parametrize("encoding, bom", [("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff"),
                                          ("utf-16-le", b""), ("utf-8", b"\xef\xbb\xbf")])
def test_a_capture_saved_by_powershell_or_notepad_reads_as_the_same_text(encoding, bom):
    getprop_answer = next(a for a in ANSWERS if a.startswith("[") and "ro.build.version.sdk" in a)
    cap = read_capture(bom + getprop_answer.encode(encoding))
    assert getprop.parse_getprop(cap.text).sdk == getprop.parse_getprop(getprop_answer).sdk is not None


def test_the_long_line_of_the_reliability_report_is_read_as_the_package_around_it(tmp_path):
    """The repro of the issue: a 100,000-character line inside a package block once froze inspect."""
    cap = tmp_path / "r.txt"
    cap.write_text("  Package [com.tencent.wmpf] (53c01f0):\n    userId=10086\n    " + "a" * 100_000 + "\n"
                   "    versionCode=9020017 minSdk=21 targetSdk=29\n    versionName=2.2.0\n")
    r = cli("inspect", cap, "--as", "dumpsys_package", "--json")
    assert r.returncode == 0 and "Traceback" not in r.stderr
    assert '"versionName": "2.2.0"' in r.stdout


@pytest.mark.parametrize("kind", ["logcat", "ps", "ping", "getprop", "dumpsys_package", "ip_addr"])
def test_a_5000_digit_number_in_a_capture_is_data_not_a_crash(tmp_path, kind):
    cap = tmp_path / "big.txt"
    cap.write_text("11-24 10:00:00.000  1234 " + "9" * 5000 + " I WMPF: hi\n")
    r = cli("inspect", cap, "--as", kind, "--json")
    assert "Traceback" not in r.stdout + r.stderr
    assert r.returncode in (0, 4), r.stderr  # a reading, or "this is not KIND output"
