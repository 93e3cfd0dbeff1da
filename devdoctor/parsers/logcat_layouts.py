"""The line layouts of `logcat -v FORMAT[,MODIFIER...]` and of Android Studio's Logcat window: one line ->
the fields of the entry it starts, or None.

liblog's logprint.cpp (android_log_formatLogLine; the same layouts in logprint.c before 7.0) prints, with
`T` the time stamp and `U` the uid modifier's column:
- brief `L/Tag     (U  PID): msg`        - process `L(U  PID) msg  (Tag)`   - tag `L/Tag     : msg`
- thread `L(U  PID:  TID) msg`           - raw `msg`                       - time `T L/Tag     (U  PID): msg`
- threadtime `T U  PID  TID L Tag     : msg` (U's colon printed as a space)
- long `[ T U  PID:  TID L/Tag      ]`, the message lines, then a blank line.
T is `MM-DD hh:mm:ss.mmm`; `year` puts `YYYY-` before it, `usec`/`nsec` give 6/9 decimals, `zone` adds
` +0800`, `epoch` prints seconds since 1970 right-aligned in 19 columns and `monotonic` the seconds since
boot in 6; `UTC` shifts the clock without changing the layout. U is `%5d:` (or a short user name such as
`root:`), six blanks for an unknown uid. `color` wraps each line in ANSI escapes, removed here.

Android Studio's Logcat window, as developers paste it into tickets:
- before Electric Eel: `[YYYY-]MM-DD hh:mm:ss.mmm PID-TID/process L/Tag: msg` (process `?` when unknown);
- Electric Eel on: columns `YYYY-MM-DD hh:mm:ss.mmm  PID-TID  Tag  process  L  msg`, tag and process
  padded (long ones shortened with `...`), the date or the ids may be hidden by its format settings.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# A wall-clock stamp (year, zone optional) or a number of seconds (epoch / monotonic modifiers).
_TS = (r"(?:(?P<date>(?:\d{4}-)?\d\d-\d\d) (?P<time>\d\d:\d\d:\d\d(?:\.\d{1,9})?)(?: (?P<zone>[+-]\d{4}))?"
       r"|\s*(?P<secs>\d{1,19}\.\d{3,9}))")
_L = r"(?P<level>[VDIWEFAS])"
_UID_COLON = r"(?:(?P<uid>[A-Za-z0-9_]{1,16}):\s*)?"  # `10076:`, ` root:` before the pid
_THREADTIME = re.compile(_TS + r"\s+(?:(?P<uid>[A-Za-z0-9_]{1,16})\s+)??(?P<pid>\d{1,10})\s+(?P<tid>\d{1,10})\s+"
                         + _L + r" (?P<tag>[^:]*):(?: (?P<msg>.*))?$")
_STUDIO = re.compile(r"(?P<date>(?:\d{4}-)?\d\d-\d\d) (?P<time>\d\d:\d\d:\d\d(?:\.\d{1,9})?)\s+(?P<pid>\d{1,10})-"
                     r"(?P<tid>\d{1,10})/(?P<proc>\S+)\s+" + _L + r"/(?P<tag>[^:]*):(?: (?P<msg>.*))?$")
_STUDIO_COLUMNS = re.compile(r"(?:(?P<date>\d{4}-\d\d-\d\d) )?(?P<time>\d\d:\d\d:\d\d(?:\.\d{1,9})?)\s+"
                             r"(?P<pid>\d{1,10})-(?P<tid>\d{1,10})\s+(?P<tag>\S[^\n]{0,80}?)\s+(?P<proc>\S+)\s+"
                             r"(?P<level>[VDIWEFA])(?:\s+(?P<msg>.*))?$")
_TIME = re.compile(_TS + r"\s+" + _L + r"/(?P<tag>[^(]*)\(\s*" + _UID_COLON + r"(?P<pid>\d{1,10})\):(?: (?P<msg>.*))?$")
_BRIEF = re.compile(_L + r"/(?P<tag>[^(]*)\(\s*" + _UID_COLON + r"(?P<pid>\d{1,10})\):(?: (?P<msg>.*))?$")
_TAG = re.compile(_L + r"/(?P<tag>[^:(]*):(?: (?P<msg>.*))?$")
_THREAD = re.compile(_L + r"\(\s*" + _UID_COLON + r"(?P<pid>\d{1,10}):\s*(?P<tid>0x[0-9a-fA-F]{1,16}|\d{1,10})\)"
                     r"(?: (?P<msg>.*))?$")
_PROCESS = re.compile(_L + r"\(\s*" + _UID_COLON + r"(?P<pid>\d{1,10})\)(?: (?P<msg>.*))?$")
_LONG = re.compile(r"\[ " + _TS + r"\s+" + _UID_COLON + r"(?P<pid>\d{1,10}):\s*(?P<tid>0x[0-9a-fA-F]{1,16}|\d{1,10}) "
                   + _L + r"/(?P<tag>.*)\]$")
_ANSI = re.compile(r"\x1b\[[0-9;]{0,20}m")

# Tried in this order: the layouts with more fields first, so a shorter one never reads a longer one's line.
LAYOUTS = (("threadtime", _THREADTIME), ("studio", _STUDIO), ("studio_columns", _STUDIO_COLUMNS), ("time", _TIME),
           ("long", _LONG), ("brief", _BRIEF), ("thread", _THREAD), ("process", _PROCESS), ("tag", _TAG))
FORMATS = tuple(name for name, _rx in LAYOUTS) + ("raw",)


@dataclass
class Fields:
    layout: str
    level: str | None = None
    tag: str = ""
    message: str = ""
    pid: str | None = None
    tid: str | None = None
    uid: str | None = None
    process: str | None = None
    timestamp: str | None = None  # exactly as printed, without the padding of epoch seconds
    date: str | None = None
    time: str | None = None
    seconds: str | None = None  # the epoch / monotonic modifiers' stamp
    modifiers: tuple[str, ...] = ()  # year, zone, usec, nsec, epoch, monotonic, uid: what the line shows


def strip_colour(line: str) -> str:
    """`logcat -v color` wraps each line in ANSI escapes."""
    return _ANSI.sub("", line) if "\x1b" in line else line


# `logcat -v threadtime` without modifiers, as nearly every device and bugreport prints it: read by one
# regex straight into its fields (the same fields _THREADTIME gives such a line; anything else goes the
# general way).
PLAIN_THREADTIME = re.compile(r"(\d\d-\d\d) (\d\d:\d\d:\d\d\.\d{3})\s+(\d{1,10})\s+(\d{1,10})\s+([VDIWEFAS]) "
                               r"([^:]*):(?: (.*))?$")


def read_line(line: str, only: str | None = None) -> Fields | None:
    """The entry `line` starts, in the first layout that reads it (or in `only`); None when none does."""
    if only is None or only == "threadtime":
        m = PLAIN_THREADTIME.match(line)
        if m is not None:
            date, time, pid, tid, level, tag, msg = m.groups()
            return Fields("threadtime", level, tag.strip(), msg or "", pid, tid, timestamp=f"{date} {time}",
                          date=date, time=time)
    return read_line_in_layouts(line, only)


def read_line_in_layouts(line: str, only: str | None = None) -> Fields | None:
    """read_line, trying each layout in turn."""
    if only == "raw":
        return Fields("raw", message=line) if line.strip() else None
    for name, rx in LAYOUTS:
        if only is not None and name != only:
            continue
        m = rx.match(line)
        if m is not None:
            fields = _fields(name, m.groupdict())
            if fields is not None and name == "thread" and only is None and fields.uid is None:
                # `L(10076:  123) msg  (Tag)` is the process layout with a uid, not a thread
                other = _PROCESS.match(line)
                as_process = _fields("process", other.groupdict()) if other else None
                return as_process or fields
            if fields is not None:
                return fields
    return None


def _fields(name: str, g: dict) -> Fields | None:
    msg = g.get("msg") or ""
    tag = (g.get("tag") or "").strip()
    if name == "process":  # `L(PID) msg  (Tag)`: the tag is at the end
        cut = msg.rfind("  (")
        if not msg.endswith(")") or cut < 0:
            return None
        msg, tag = msg[:cut], msg[cut + 3:-1]
    f = Fields(name, g.get("level"), tag, msg, g.get("pid"), g.get("tid"), g.get("uid"), g.get("proc"))
    mods = []
    if g.get("date"):
        f.date, f.time = g["date"], g["time"]
        f.timestamp = f"{g['date']} {g['time']}" + (f" {g['zone']}" if g.get("zone") else "")
        mods += ["year"] if len(g["date"]) == 10 else []
    elif g.get("time"):
        f.time = f.timestamp = g["time"]
    elif g.get("secs"):
        f.seconds = f.timestamp = g["secs"]
        mods.append("epoch" if len(g["secs"].partition(".")[0]) >= 9 else "monotonic")
    stamp = f.time or f.seconds or ""
    decimals = len(stamp.partition(".")[2])
    mods += ["usec"] if decimals == 6 else ["nsec"] if decimals == 9 else []
    mods += ["zone"] if g.get("zone") else []
    mods += ["uid"] if g.get("uid") else []
    f.modifiers = tuple(mods)
    return f
