"""`logcat -d` output in every line layout devices and people hand us (devdoctor.parsers.logcat_layouts:
the eight `-v` formats of liblog with their modifiers, and Android Studio's two copy layouts).

`--------- beginning of crash` (and `switch to`) name the buffer the following lines come from.
A pasted line that is no entry but starts with white space (Android Studio prints the further lines of a
message, such as a stack trace, that way) or with `at `/`Caused by: ` continues the entry before it.
Every line of `-v raw` is an entry of its own; nothing in it tells it from other text, so it is read so
only when asked (`layout="raw"`, as inspect does when the command line says `-v raw`).

Year-less timestamps get a year: the log runs forward in time, so a month that jumps back by more than
half a year is a new year; the last line is placed in the reference year (the device's clock) or the
one before it when its month lies after the reference month. Epoch seconds are UTC; monotonic seconds
(time since boot) are no clock time and get none.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone

from devdoctor.parsers.logcat_layouts import FORMATS, PLAIN_THREADTIME, read_line, strip_colour
from devdoctor.parsers.text import split_lines
from devdoctor.parsers.numbers import to_int

_CONTINUATION = re.compile(r"^(?:[ \t]+\S|at |Caused by: |\.\.\. \d+ more)")
_MARKER = re.compile(r"^-{9} (?:beginning of|switch to) (?P<buffer>\S+)\s*$")


@dataclass
class LogLine:
    """One log entry; `text` is the line as printed (the header line for the long format)."""

    text: str
    index: int  # position in the output (0 = first entry)
    format: str
    timestamp: str | None = None  # exactly as printed, e.g. "10-04 16:37:53.334"
    when: datetime | None = None  # with the year filled in
    pid: int | None = None
    tid: int | None = None
    uid: str | None = None
    level: str | None = None
    tag: str | None = None
    process: str | None = None  # only the Android Studio format names it
    message: str = ""
    buffer: str | None = None  # from the last `--------- beginning of X` marker
    lineno: int = 0  # 1-based line of the text where the entry starts
    continuation: list[tuple[int, str]] = field(default_factory=list)  # (line number, line) of its further lines
    modifiers: tuple[str, ...] = ()  # the -v modifiers its stamp and columns show (year, uid, epoch...)


@dataclass
class Log:
    lines: list[LogLine] = field(default_factory=list)
    formats: dict[str, int] = field(default_factory=dict)  # format -> entries in it
    buffers: list[str] = field(default_factory=list)  # in the order their markers appear
    other_lines: int = 0  # non-empty lines that are no log entry (prompts, banners, mangled text)
    continuation_lines: int = 0  # lines that continue the entry before them (pasted stack traces)
    problems: list[str] = field(default_factory=list)

    @property
    def format(self) -> str | None:
        """The format most entries use, or None for an empty log."""
        return max(self.formats, key=self.formats.get) if self.formats else None

    @property
    def modifiers(self) -> list[str]:
        """The -v modifiers the entries show, in a fixed order."""
        seen = {m for ln in self.lines for m in ln.modifiers}
        return [m for m in ("year", "zone", "usec", "nsec", "epoch", "monotonic", "uid") if m in seen]

    @property
    def timestamped(self) -> int:
        return sum(1 for ln in self.lines if ln.timestamp)

    @property
    def newest(self) -> datetime | None:
        stamps = [ln.when for ln in self.lines if ln.when]
        return max(stamps) if stamps else None


def _stamp(date: str, time: str) -> tuple[int | None, int, int, int, int, int, int] | None:
    try:
        parts = date.split("-")
        if len(date) > 10 or len(time) > 20:  # never a date logcat prints; int() past 4,300 digits raises
            return None
        year = int(parts[0]) if len(parts) == 3 else None
        month, day = int(parts[-2]), int(parts[-1])
        hms, _, frac = time.partition(".")
        h, m, s = (int(x) for x in hms.split(":"))
        micro = int((frac + "000000")[:6]) if frac else 0
        if not (1 <= month <= 12 and 1 <= day <= 31 and h < 24 and m < 60 and s < 61):
            return None
        return year, month, day, h, m, min(s, 59), micro
    except ValueError:
        return None


def _fill_years(entries: list[tuple[LogLine, tuple]], reference: datetime | None) -> None:
    """Give year-less timestamps a year (see the module's docstring)."""
    offsets: list[int] = []
    offset, last_month = 0, None
    for _line, st in entries:
        if st[0] is None and last_month is not None and st[1] < last_month - 6:
            offset += 1
        last_month = st[1]
        offsets.append(offset)
    if reference is not None:
        last_month = entries[-1][1][1] if entries else 1
        base = reference.year - offsets[-1] - (1 if entries and last_month > reference.month else 0) if offsets else 0
    else:
        base = 2000  # no clock to go by: only the order within the log means anything
    for (line, st), off in zip(entries, offsets):
        year = st[0] if st[0] is not None else base + off
        try:
            line.when = datetime(year, *st[1:])
        except ValueError:  # 02-29 in a guessed year that has none
            line.when = None


def _entry(line: str, lineno: int, index: int, buffer: str | None,
           only: str | None = None) -> tuple[LogLine | None, str]:
    """The log entry a line starts, in the first layout that reads it (or in `only`), or (None, "")."""
    f = read_line(line, only)
    if f is None:
        return None, ""
    entry = LogLine(line, index, f.layout, timestamp=f.timestamp, pid=to_int(f.pid), uid=f.uid, level=f.level,
                    tag=f.tag, process=f.process, message=f.message, buffer=buffer, lineno=lineno,
                    modifiers=f.modifiers)
    entry.tid = to_int(f.tid) if f.tid is None or not f.tid.startswith("0x") else to_int(f.tid[2:], 16)
    if f.seconds and "epoch" in f.modifiers:
        secs = to_int(f.seconds.partition(".")[0])
        if secs is not None and secs < 253402300800:  # before the year 10000: a datetime can hold it
            entry.when = datetime.fromtimestamp(secs, timezone.utc).replace(tzinfo=None)
    return entry, f.layout


def _plain_threadtime_entry(line: str, lineno: int, index: int,
                            buffer: str | None) -> tuple[LogLine, tuple | None] | None:
    """The entry of a plain `-v threadtime` line and its stamp (what _entry and _stamp give), read at once;
    None for any other line. A device log is nearly all such lines (5000 of them in every run)."""
    m = PLAIN_THREADTIME.match(line)
    if m is None:
        return None
    date, time, pid, tid, level, tag, msg = m.groups()
    entry = LogLine(line, index, "threadtime", timestamp=f"{date} {time}", pid=to_int(pid), tid=to_int(tid),
                    level=level, tag=tag.strip(), message=msg or "", buffer=buffer, lineno=lineno)
    # "MM-DD" and "HH:MM:SS.mmm": digits in fixed places (int reads any script's digits, as _stamp's does)
    month, day, h, mi, sec = int(date[:2]), int(date[3:]), int(time[:2]), int(time[3:5]), int(time[6:8])
    if not (1 <= month <= 12 and 1 <= day <= 31 and h < 24 and mi < 60 and sec < 61):
        return entry, None
    return entry, (None, month, day, h, mi, min(sec, 59), int(time[9:]) * 1000)


def parse_logcat(text: str, reference: datetime | None = None, layout: str | None = None) -> Log:
    """Parse `logcat` output. `reference` (the device's clock, naive) places year-less timestamps; `layout`
    (one of FORMATS) reads every line in that layout only, as `logcat -v LAYOUT` printed it."""
    log = Log()
    only = layout if layout in FORMATS else None
    plain_ok = only in (None, "threadtime")
    buffer: str | None = None
    stamped: list[tuple[LogLine, tuple]] = []
    long_entry: LogLine | None = None
    last: LogLine | None = None  # the entry a following indented line continues
    for lineno, raw in enumerate(split_lines(text), 1):
        line = strip_colour(raw.lstrip("\ufeff"))
        m = _MARKER.match(line)
        if m:
            buffer = m.group("buffer")
            log.buffers.append(buffer)
            long_entry = last = None
            continue
        if long_entry is not None:  # inside a long-format entry: message lines until a blank one
            if line.strip() == "":
                long_entry = None
            else:
                long_entry.message = (long_entry.message + "\n" + line) if long_entry.message else line
                long_entry.continuation.append((lineno, line))
            continue
        quick = _plain_threadtime_entry(line, lineno, len(log.lines), buffer) if plain_ok else None
        if quick is not None:
            entry, st = quick
            if st is not None:
                stamped.append((entry, st))
            log.lines.append(entry)
            log.formats["threadtime"] = log.formats.get("threadtime", 0) + 1
            last = entry
            continue
        entry, fmt = _entry(line, lineno, len(log.lines), buffer, only)
        if entry is None:
            if last is not None and _CONTINUATION.match(line):
                last.continuation.append((lineno, line))
                log.continuation_lines += 1
            elif line.strip():
                log.other_lines += 1
                last = None
            continue
        if entry.timestamp and " " in entry.timestamp and ":" in entry.timestamp:
            st = _stamp(*entry.timestamp.split(" ")[:2])
            if st is not None:
                stamped.append((entry, st))
        log.lines.append(entry)
        log.formats[fmt] = log.formats.get(fmt, 0) + 1
        last = entry
        if fmt == "long":
            long_entry = entry
    if stamped:
        _fill_years(stamped, reference)
    if not log.lines and text.strip():
        log.problems.append("no line is a logcat entry in a known layout (" + ", ".join(FORMATS) + ")")
    elif log.other_lines:
        log.problems.append(f"{log.other_lines} line(s) are not log entries and were ignored")
    return log


def parse_logcat_answer(answer) -> Log:
    """A device's answer to `logcat` (devdoctor.sources.device.CommandResult): year-less timestamps are placed by
    the laptop's clock when the answer came."""
    when = getattr(answer, "host_time", None)
    return parse_logcat(answer.stdout, datetime.fromtimestamp(when) if when else None)
