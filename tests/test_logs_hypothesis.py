"""Hostile input never makes the logs area's parsers raise: random text, bytes decoded as devices
send them, CRLF, cut-off output, huge input."""
from hypothesis import given, settings
from hypothesis import strategies as st

from devdoctor.parsers.appops import parse_appops_get, parse_dumpsys_appops
from devdoctor.parsers.deviceidle import parse_deviceidle
from devdoctor.parsers.getprop import parse_getprop
from devdoctor.parsers.logcat import parse_logcat
from devdoctor.parsers.rom import detect_rom
from devdoctor.parsers.standby import parse_standby_bucket
from devdoctor.parsers.text import decode

SAMPLES = [
    "--------- beginning of crash\n10-04 16:37:53.334  5176  5196 E AndroidRuntime: FATAL EXCEPTION: x\n",
    "01-08 15:29:55.853 10076  3225  3254 I eMBMS  Service: ready\n",
    "[ 10-04 16:43:25.001  2456: 2533 E/WMPFCli.IPCInvoker ]\nonBridgeNotFound\n\n",
    "02-30 25:61:61.000  1  1 I a: impossible date\n",
    "RUN_IN_BACKGROUND: ignore; rejectTime=+1m ago\nMIUIOP(10008): allow\nUid mode: X: mode=9\n",
    "  Uid 0:\n    Package root:\n      VIBRATE (allow): \n      X: mode=1; time=+1s ago\n",
    "system,com.a,1\nuser,com.tencent.wmpf,10086\n  Whitelist user apps:\n    com.b\n",
    "[ro.miui.ui.version.name]: [V130]\n[ro.build.version.oneui]: [x]\n",
]

PARSERS = [parse_logcat, parse_appops_get, parse_dumpsys_appops, parse_deviceidle, parse_standby_bucket,
           lambda t: detect_rom(parse_getprop(t))]


def hostile():
    sample = st.sampled_from(SAMPLES)
    return st.one_of(
        st.text(),
        st.binary().map(decode),
        st.tuples(sample, st.integers(0, 400)).map(lambda p: p[0][: p[1]]),  # cut off anywhere
        st.lists(st.one_of(sample, st.text(max_size=40)), max_size=30).map("".join),
        sample.map(lambda s: s.replace("\n", "\r\r\n")),
    )


@settings(max_examples=300, deadline=None)
@given(hostile())
def test_parsers_never_raise(text):
    for parse in PARSERS:
        parse(text)


def test_huge_input():
    big = SAMPLES[0] * 20000 + SAMPLES[2] * 2000
    assert len(parse_logcat(big).lines) == 22000
    for parse in PARSERS:
        parse(big + "\x00\ufffd" * 1000)


def test_empty_input_reads_as_nothing():
    assert parse_logcat("").lines == []
    assert parse_appops_get("").problems and parse_dumpsys_appops("").problems
    assert parse_standby_bucket("").bucket is None
    assert detect_rom({}).name == "aosp-like"


_DIGITS = st.text(st.sampled_from("0123456789"), min_size=1, max_size=12)
_THREADTIME_PARTS = st.tuples(
    st.sampled_from(["05-01", "12-31", "2024-05-01", "5-01", "٠٥-01"]),
    st.sampled_from(["09:18:25.000", "09:18:25.123456", "09:18:25", "23:59:60.999", "09:18:25.000 +0800"]),
    st.sampled_from([" ", "  ", "\t"]), st.one_of(_DIGITS, st.just("root")), st.sampled_from([" ", "  "]),
    st.one_of(_DIGITS, st.just("0x1f")), st.sampled_from([" ", "   "]), st.one_of(_DIGITS, st.just("")),
    st.sampled_from(["I", "E", "X", "F"]), st.sampled_from(["Tag", " Tag  ", "WMPF.Cli", "a:b", "", "标签"]),
    st.sampled_from([": msg", ":", ": : x", ":msg", ": 消息 (Tag)"]))


@settings(max_examples=400, deadline=None)
@given(_THREADTIME_PARTS)
def test_the_quick_threadtime_reading_gives_what_the_layouts_give(parts):
    """The common threadtime line is read by a quicker path: it must give exactly the general path's fields."""
    from devdoctor.parsers.logcat_layouts import read_line, read_line_in_layouts

    date, time, s1, a, s2, b, s3, c, level, tag, rest = parts
    line = f"{date} {time}{s1}{a}{s2}{b}{s3}{c}{' ' if c else ''}{level} {tag}{rest}"
    assert read_line(line) == read_line_in_layouts(line)
    assert read_line(line, "threadtime") == read_line_in_layouts(line, "threadtime")


@settings(max_examples=400, deadline=None)
@given(_THREADTIME_PARTS, st.integers(1, 99), st.sampled_from([None, "main", "crash"]))
def test_a_log_reads_its_plain_threadtime_lines_as_any_other_line(parts, lineno, buffer):
    """parse_logcat reads a plain threadtime line at once: the same entry and stamp as the general way."""
    from devdoctor.parsers.logcat import _entry, _plain_threadtime_entry, _stamp

    date, time, s1, a, s2, b, s3, c, level, tag, rest = parts
    line = f"{date} {time}{s1}{a}{s2}{b}{s3}{c}{' ' if c else ''}{level} {tag}{rest}"
    quick = _plain_threadtime_entry(line, lineno, 7, buffer)
    if quick is None:
        return
    entry, _layout = _entry(line, lineno, 7, buffer)
    assert quick[0] == entry
    assert quick[1] == _stamp(*entry.timestamp.split(" ")[:2])
