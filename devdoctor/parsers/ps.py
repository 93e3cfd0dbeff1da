"""`ps` (toolbox, Android <= 7.1), `ps -A` (toybox, 8.0+) and `pidof NAME`.

Layouts (adb-notes §4; captures raw/ps/*):
- toolbox: `USER PID PPID VSIZE RSS WCHAN PC NAME` (optional LABEL first, PRIO/NICE/RTPRI/SCHED/PCY
  with -p/-P); every row carries a state letter (S/R/D) that the header does not name, before NAME.
  With -t, thread rows follow their process with PPID = that process and the same VSIZE.
- toybox: `USER PID PPID VSZ RSS WCHAN ADDR S NAME` (`CMD` with -O, `TID` with -T: a process is the
  row whose PID equals its TID). Columns may be blank (PCY) or overflow (a long WCHAN).
- On 7.x `ps -A` answers `bad pid '-A'`; on <= 6.0 it prints only the header. NAME may hold spaces
  (thread names), so it is what remains after the fixed columns.
`pidof` (toybox, 6.0+) prints the PIDs on one line and exits 1 when there is none.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from devdoctor.parsers.text import split_lines
from devdoctor.numbers import to_int

_NAME_COLUMNS = ("NAME", "CMD", "COMMAND", "CMDLINE", "ARGS")


@dataclass
class Proc:
    user: str
    pid: int
    ppid: int | None
    name: str
    vsize: str = ""
    line: str = ""


@dataclass
class PsListing:
    format: str | None = None  # "toolbox" | "toybox" | None when no header was found
    header: list[str] = field(default_factory=list)
    processes: list[Proc] = field(default_factory=list)  # threads left out
    rows: int = 0  # data rows read (threads included)
    threads_listed: bool = False
    error: str | None = None  # what the device said instead of a listing
    problems: list[str] = field(default_factory=list)

    def named(self, name: str) -> list[Proc]:
        return [p for p in self.processes if p.name == name]

    def with_prefix(self, prefix: str) -> list[Proc]:
        """Processes of an app: `prefix` itself and its `prefix:sub` processes."""
        return [p for p in self.processes if p.name == prefix or p.name.startswith(prefix + ":")]


def _find_header(lines: list[str]) -> int | None:
    for i, line in enumerate(lines[:20]):
        tokens = line.split()
        if "PID" in tokens and tokens and tokens[-1] in _NAME_COLUMNS:
            return i
    return None


def parse_ps(text: str) -> PsListing:
    listing = PsListing()
    lines = split_lines(text)
    h = _find_header(lines)
    if h is None:
        said = [ln.strip() for ln in lines if ln.strip()]
        listing.error = said[0] if said else "empty answer"
        listing.problems.append("no ps header line (USER PID ... NAME): not a process listing")
        return listing
    header = lines[h].split()
    listing.header = header
    toolbox = "PC" in header or "VSIZE" in header
    listing.format = "toolbox" if toolbox else "toybox"
    idx = {name: i for i, name in enumerate(header)}
    name_at = len(header) - 1 + (1 if toolbox else 0)  # toolbox rows carry an unnamed state column
    pid_i, ppid_i, user_i = idx.get("PID"), idx.get("PPID"), idx.get("USER", 0)
    tid_i = idx.get("TID")
    size_i = idx.get("VSIZE", idx.get("VSZ"))
    listing.threads_listed = tid_i is not None
    unreadable = 0
    current: Proc | None = None  # toolbox: the last process row, to recognise its threads
    for line in lines[h + 1:]:
        tokens = line.split()
        if not tokens:
            continue
        if len(tokens) < name_at:  # one blank column (toybox PCY) is tolerated below
            if not (len(tokens) == name_at and not toolbox):
                unreadable += 1
                continue
        pid = to_int(tokens[pid_i]) if pid_i is not None and pid_i < len(tokens) else None
        ppid = to_int(tokens[ppid_i]) if ppid_i is not None and ppid_i < len(tokens) else None
        tid = to_int(tokens[tid_i]) if tid_i is not None and tid_i < len(tokens) else None
        if pid is None or (ppid_i is not None and ppid is None) or (tid_i is not None and tid is None):
            unreadable += 1  # a trailer such as `[ps: 0.101s elapsed]`, or a cut-off line
            continue
        if len(tokens) > name_at:
            name = " ".join(tokens[name_at:])
        else:
            name = tokens[-1]  # a blank column shifted the row by one
        vsize = tokens[size_i] if size_i is not None and size_i < len(tokens) else ""
        listing.rows += 1
        proc = Proc(tokens[user_i], pid, ppid, name, vsize, line.rstrip())
        if tid is not None:
            if tid == pid:
                listing.processes.append(proc)
            continue
        if toolbox and current is not None and ppid == current.pid and vsize == current.vsize and vsize != "0":
            listing.threads_listed = True  # `ps -t`: a thread of the process above
            continue
        listing.processes.append(proc)
        current = proc
    if unreadable:
        listing.problems.append(f"{unreadable} line(s) after the header are not process rows and were ignored")
    return listing


@dataclass
class Pidof:
    pids: list[int] = field(default_factory=list)
    error: str | None = None  # `pidof: not found` and the like
    problems: list[str] = field(default_factory=list)


def parse_pidof(text: str) -> Pidof:
    """`pidof NAME`: PIDs separated by spaces; an empty answer means none (exit 1)."""
    result = Pidof()
    for line in split_lines(text):
        tokens = line.split()
        if not tokens:
            continue
        if all(re.fullmatch(r"\d+", t) and to_int(t) is not None for t in tokens):
            result.pids += [to_int(t) for t in tokens]
        else:
            result.error = line.strip()
            result.problems.append("not a list of process ids: " + line.strip()[:80])
            break
    return result
