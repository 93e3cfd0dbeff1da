"""`ps` (toolbox, Android <= 7.1), `ps -A` (toybox, 8.0+), busybox `ps`, and `pidof NAME`.

Layouts (docs/formats.md; adb-notes §4; captures raw/ps/*):
- toolbox (system/core toolbox/ps.c, 4.x-7.1): `USER PID PPID VSIZE RSS WCHAN PC NAME` (LABEL first with
  -Z, PRIO/NICE/RTPRI/SCHED with -p, PCY with -P); every row carries a state letter (S/R/D) that the
  header does not name, before NAME. With -t, thread rows follow their process with PPID = that process
  and the same VSIZE.
- toybox (toys/posix/ps.c, 8.0+): `USER PID PPID VSZ RSS WCHAN ADDR S NAME` (`CMD` with -O, `TID` with -T:
  a process is the row whose PID equals its TID; `-o` picks any columns, `-ef` prints UID ... CMD with the
  arguments). Columns may be blank (PCY) or overflow (a long WCHAN).
- busybox (procps/ps.c): `PID USER VSZ STAT COMMAND` (older) or `PID USER TIME COMMAND`; COMMAND holds the
  arguments, `[kthread]` or `{comm} args`.
- On 7.x `ps -A` answers `bad pid '-A'`; on <= 6.0 it prints only the header. NAME may hold spaces
  (thread names, arguments), so it is what remains after the fixed columns.
- `ps` run in a loop prints one listing after another, each under its header: the first one whose header
  is in the capture is read, and every listing is counted in `snapshots`.
`pidof` (toybox, 6.0+) prints the PIDs on one line and exits 1 when there is none.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from devdoctor.parsers.text import is_prompt, split_lines
from devdoctor.parsers.numbers import to_int

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
    format: str | None = None  # "toolbox" | "toybox" | "busybox" | None when no header was found
    header: list[str] = field(default_factory=list)
    processes: list[Proc] = field(default_factory=list)  # threads left out
    rows: int = 0  # data rows read (threads included)
    threads_listed: bool = False
    error: str | None = None  # what the device said instead of a listing
    snapshots: list[int] = field(default_factory=list)  # data rows of each listing, for `ps` in a loop
    problems: list[str] = field(default_factory=list)

    def named(self, name: str) -> list[Proc]:
        return [p for p in self.processes if p.name == name]

    def with_prefix(self, prefix: str) -> list[Proc]:
        """Processes of an app: `prefix` itself and its `prefix:sub` processes."""
        return [p for p in self.processes if p.name == prefix or p.name.startswith(prefix + ":")]


def _is_header(line: str) -> bool:
    tokens = line.split()
    return "PID" in tokens and any(t in _NAME_COLUMNS for t in tokens) and len(tokens) <= 40


def _layout(header: list[str]) -> str:
    if "PC" in header or "VSIZE" in header:
        return "toolbox"
    if header[0] == "PID" and "PPID" not in header and ("STAT" in header or "TIME" in header):
        return "busybox"
    return "toybox"


def parse_ps(text: str) -> PsListing:
    listing = PsListing()
    lines = split_lines(text)
    starts = [i for i, line in enumerate(lines) if "PID" in line and _is_header(line)]
    if not starts:
        said = [ln.strip() for ln in lines if ln.strip() and not is_prompt(ln)]
        listing.error = said[0] if said else "empty answer"
        listing.problems.append("no ps header line (USER PID ... NAME): not a process listing")
        return listing
    listing.header = lines[starts[0]].split()
    listing.format = _layout(listing.header)
    ends = starts[1:] + [len(lines)]
    unreadable = 0
    for n, (h, end) in enumerate(zip(starts, ends)):
        part = PsListing(listing.format, lines[h].split())
        unreadable += _read_rows(part, lines[h + 1:end])
        listing.snapshots.append(part.rows)
        if n == 0:
            listing.processes, listing.rows, listing.threads_listed = part.processes, part.rows, part.threads_listed
    if len(starts) > 1:
        listing.problems.append(f"{len(starts)} listings one after another (ps in a loop): the first is read")
    if unreadable:
        listing.problems.append(f"{unreadable} line(s) after the header are not process rows and were ignored")
    return listing


def _read_rows(listing: PsListing, lines: list[str]) -> int:
    """Read the rows under `listing.header` into it; the number of lines that are no row."""
    header = listing.header
    toolbox = listing.format == "toolbox"
    idx = {name: i for i, name in enumerate(header)}
    name_col = next((i for i, t in enumerate(header) if t in _NAME_COLUMNS), len(header) - 1)
    last = name_col == len(header) - 1
    name_at = name_col + (1 if toolbox else 0)  # toolbox rows carry an unnamed state column
    pid_i, ppid_i, user_i = idx.get("PID"), idx.get("PPID"), idx.get("USER", idx.get("UID", 0))
    tid_i = idx.get("TID")
    size_i = idx.get("VSIZE", idx.get("VSZ"))
    listing.threads_listed = tid_i is not None
    unreadable = 0
    current: Proc | None = None  # toolbox: the last process row, to recognise its threads
    for line in lines:
        tokens = line.split()
        if not tokens or is_prompt(line):
            continue
        if len(tokens) < name_at + (0 if last else len(header) - name_col):
            # one blank column (toybox PCY) is tolerated below
            if not (len(tokens) == name_at and not toolbox and last):
                unreadable += 1
                continue
        pid = to_int(tokens[pid_i]) if pid_i is not None and pid_i < len(tokens) else None
        ppid = to_int(tokens[ppid_i]) if ppid_i is not None and ppid_i < len(tokens) else None
        tid = to_int(tokens[tid_i]) if tid_i is not None and tid_i < len(tokens) else None
        if pid is None or (ppid_i is not None and ppid is None) or (tid_i is not None and tid is None):
            unreadable += 1  # a trailer such as `[ps: 0.101s elapsed]`, or a cut-off line
            continue
        if not last:
            name = tokens[name_at]
        elif len(tokens) > name_at:
            name = " ".join(tokens[name_at:])
        else:
            name = tokens[-1]  # a blank column shifted the row by one
        vsize = tokens[size_i] if size_i is not None and size_i < len(tokens) else ""
        listing.rows += 1
        user = tokens[user_i] if user_i < len(tokens) else ""
        proc = Proc(user, pid, ppid, name, vsize, line.rstrip())
        if tid is not None:
            if tid == pid:
                listing.processes.append(proc)
            continue
        if toolbox and current is not None and ppid == current.pid and vsize == current.vsize and vsize != "0":
            listing.threads_listed = True  # `ps -t`: a thread of the process above
            continue
        listing.processes.append(proc)
        current = proc
    return unreadable


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


def ps_json(listing: PsListing, capture: object = None) -> dict:
    """The JSON form of `ps` (`devdoctor inspect`)."""
    procs = listing.processes
    system_server = next((p for p in procs if p.name == "system_server"), None)
    return {"format": listing.format, "header_columns": listing.header,
            "unlabeled_state_column": listing.format == "toolbox",  # toolbox rows carry an unnamed S column
            "threads_listed": listing.threads_listed,
            "data_row_count": listing.rows, "process_count": len(procs),
            "processes": [{"pid": p.pid, "ppid": p.ppid, "user": p.user, "name": p.name} for p in procs],
            "system_server_present": system_server is not None,
            "system_server_pid": system_server.pid if system_server else None,
            "snapshot_count": len(listing.snapshots), "snapshot_row_counts": listing.snapshots}
