"""`logcat` answered from the logs dumpstate saved in a bugreport (threadtime, with a uid column to drop):
buffers, tail counts and tag filters as logcat itself applies them."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from devdoctor.sources.bugreport_answers import Answer, not_in_bugreport
from devdoctor.ui.i18n import _
from devdoctor.parsers.numbers import to_int

if TYPE_CHECKING:
    from devdoctor.sources.bugreport import BugreportDevice


_LOG_SECTIONS = {"main": "SYSTEM LOG", "system": "SYSTEM LOG", "crash": "SYSTEM LOG", "default": "SYSTEM LOG",
                 "events": "EVENT LOG", "radio": "RADIO LOG", "kernel": "KERNEL LOG"}


# `-v uid` prints the uid (a number or a user name, "%5s") between the time and the pid; without it, and the
# space before it, the line is what `-v threadtime` prints (liblog logprint.cpp, android_log_formatLogLine).
_UID_COLUMN = re.compile(r"\d\d-\d\d \d\d:\d\d:\d\d\.\d+( +\S+)(?= +[0-9]{1,20} +[0-9]{1,20} )")


_THREADTIME = re.compile(r"^\d\d-\d\d \d\d:\d\d:\d\d\.\d+ +\d+ +\d+ (?P<prio>[VDIWEFS]) (?P<tag>.*?)\s*: ")


def logcat_answer(br: BugreportDevice, args: list[str]) -> Answer:
    """`logcat -d [-b BUF] [-v threadtime] [-t N] [-s] [TAG:P ...]` from the logs dumpstate saved (threadtime)."""
    buffers, tail, specs, silent = [], None, [], False
    it = iter(args)
    for a in it:
        if a in ("-d", "-v", "--dump"):
            if a == "-v":
                fmt = next(it, "")
                if fmt not in ("threadtime", "printable", "uid"):
                    raise not_in_bugreport(_("a bugreport keeps its logs in threadtime format, not {fmt}")
                                           .format(fmt=fmt))
            continue
        if a == "-b":
            buffers += next(it, "").split(",")
        elif a.startswith("-b") and len(a) > 2:
            buffers += a[2:].split(",")
        elif a in ("-t", "-T"):
            n = next(it, "")
            count = to_int(n) if n.isdigit() else None
            if count is None:
                raise not_in_bugreport(_("logcat {opt} {value}: only a line count can be answered")
                                       .format(opt=a, value=n[:20]))
            tail = count
        elif a == "-s":
            silent = True
        elif a.startswith("-"):
            raise not_in_bugreport(_("logcat option {opt}").format(opt=a))
        else:
            specs.append(a)
    titles = []
    for b in buffers or ["default"]:
        for name in ("main", "events", "radio") if b == "all" else (b,):
            t = _LOG_SECTIONS.get(name)
            if t is None:
                raise not_in_bugreport(_("the {buffer} log buffer").format(buffer=name))
            if t not in titles:
                titles.append(t)
    sections = []
    for t in titles:  # every buffer asked for must be there before anything is read
        s = br.index.section(t)
        if s is None:
            raise not_in_bugreport(_("no {title} section").format(title=t))
        sections.append(s)
    fast = tail is not None and not (specs or silent)  # only the last lines are needed: read them from the end
    texts = []
    for s in sections:
        lines = br.last_lines(s, tail) if fast else br.read(s).splitlines(True)
        if "-v uid" in s.command:  # dumpstate adds a uid column; `logcat -v threadtime` has none
            lines = [_drop_uid(ln) for ln in lines]
        texts.append(lines)
    lines = _by_time(texts) if len(texts) > 1 else texts[0]
    if specs or silent:
        lines = _filter_tags(lines, specs, silent)
    if tail is not None:
        lines = lines[-tail:] if tail else []
    return Answer("".join(lines), " + ".join(s.command for s in sections))


def _by_time(texts: list[list[str]]) -> list[str]:
    """Lines of several buffers merged by time, as logcat prints them (continuation lines stay put)."""
    keyed, n = [], 0
    for lines in texts:
        key = ""
        for line in lines:
            if re.match(r"^\d\d-\d\d \d\d:\d\d:\d\d\.\d+ ", line):
                key = line[:18]
            keyed.append((key, n, line))
            n += 1
    return [line for _k, _n, line in sorted(keyed)]


def _drop_uid(line: str) -> str:
    m = _UID_COLUMN.match(line)
    return line if m is None else line[:m.start(1)] + line[m.end(1):]


_PRIORITIES = "VDIWEFS"


def _filter_tags(lines: list[str], specs: list[str], silent: bool) -> list[str]:
    levels: dict[str, int] = {}
    default = _PRIORITIES.index("S") if silent else 0
    for spec in specs:
        tag, _sep, prio = spec.partition(":")
        p = _PRIORITIES.index(prio.upper()) if prio and prio.upper() in _PRIORITIES else 0
        if tag == "*":
            default = p
        else:
            levels[tag] = p
    out = []
    for ln in lines:
        m = _THREADTIME.match(ln)
        if m is None:
            continue
        need = levels.get(m.group("tag"), default)
        if need < _PRIORITIES.index("S") and _PRIORITIES.index(m.group("prio")) >= need:
            out.append(ln)
    return out
