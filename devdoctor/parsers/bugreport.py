"""The layout of an Android bugreport (dumpstate's text): its header, and where each section starts and ends.

dumpstate writes (frameworks/native/cmds/dumpstate/dumpstate.cpp, every version since 7.0 alike):
- a header: `== dumpstate: 2020-01-08 15:30:07`, `Build: ...`, `Build fingerprint: '...'`, ...;
- sections: `------ TITLE (command) ------` (or `------ TITLE ------`), closed by
  `------ 0.357s was the duration of 'TITLE' ------` (7.1+; older ones just start the next section);
- inside the DUMPSYS sections, one block per service: `DUMP OF SERVICE [CRITICAL |HIGH ]name:`, closed by
  `--------- 0.002s was the duration of dumpsys name[, ending at: ...]` (absent before 7.0: the next
  `----...` line or header ends it).

`index_bugreport` reads a binary stream once, in large chunks, and keeps only byte offsets: a 100 MB
bugreport is never held in memory. It never raises on what it reads: what it could not make sense of
goes into `problems`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import BinaryIO

CHUNK = 4 << 20  # bytes read at a time
CARRY_MAX = 1 << 16  # of a line longer than this only the start is looked at (no marker line is this long)

# One regex over each chunk finds every line that matters (C speed, no per-line Python loop).
# Starting with a literal newline lets the regex engine skip ahead fast (15x quicker than `^` with re.M).
_MARK = re.compile(rb"\n(?:------ |--------- |DUMP OF SERVICE |-{70,}\r?$)[^\n]*", re.M)
_SECTION = re.compile(r"^------ (.*?) ------\s*$")
_SECTION_END = re.compile(r"^------ [\d.]+s was the duration of '(.*)' ------\s*$")
_SERVICE = re.compile(r"^DUMP OF SERVICE (?:(CRITICAL|HIGH|NORMAL) )?(\S+?):\s*$")
_SERVICE_END = re.compile(r"^--------- [\d.]+s was the duration of dumpsys (\S+?)(?:,.*)?\s*$")
_TITLE_CMD = re.compile(r"^(.*?) \((.*)\)$")


@dataclass
class Section:
    """One `------ TITLE (command) ------` section or one `DUMP OF SERVICE name:` block."""

    title: str  # "SYSTEM PROPERTIES", or the service name ("package")
    command: str  # "getprop"; for a service "dumpsys package"; "" when the header names none
    start: int  # byte offset of the first line after the header
    end: int  # byte offset just past the last line of output
    kind: str = "section"  # "section" or "service"
    priority: str = ""  # services on 9+: "CRITICAL", "HIGH" or "" (normal)
    complete: bool = True  # False when the file ends inside it (a cut-off bugreport)


@dataclass
class BugreportHeader:
    taken_at: str = ""  # `== dumpstate: 2020-01-08 15:30:07` (the device's local time)
    build: str = ""  # `Build: QP1A.191005.007.A3` (ro.build.display.id)
    fingerprint: str = ""
    format_version: str = ""
    serial: str = ""  # androidboot.serialno on the kernel command line, when printed
    uptime: str = ""


@dataclass
class BugreportIndex:
    header: BugreportHeader = field(default_factory=BugreportHeader)
    sections: list[Section] = field(default_factory=list)
    services: list[Section] = field(default_factory=list)
    size: int = 0
    problems: list[str] = field(default_factory=list)

    def section(self, title: str) -> Section | None:
        """The first section with this title (`SYSTEM PROPERTIES`), else None."""
        return next((s for s in self.sections if s.title == title), None)

    def sections_where(self, title_prefix: str = "", command_prefix: str = "") -> list[Section]:
        return [s for s in self.sections if s.title.startswith(title_prefix) and s.command.startswith(command_prefix)]

    def service(self, name: str, priorities: tuple[str, ...] = ("", "HIGH", "CRITICAL")) -> Section | None:
        """The block of `dumpsys NAME`, the normal-priority one first (it is the full dump)."""
        for p in priorities:
            for s in self.services:
                if s.title == name and s.priority == p:
                    return s
        return None

    def service_blocks(self, name: str) -> list[Section]:
        """Every block of the service, in file order (on 9+ `activity` has a CRITICAL and a normal one)."""
        return [s for s in self.services if s.title == name]


def parse_header(text: str) -> BugreportHeader:
    h = BugreportHeader()
    for line in text.splitlines()[:40]:
        if line.startswith("== dumpstate: "):
            h.taken_at = line[len("== dumpstate: "):].strip()
        elif line.startswith("Build fingerprint: "):
            h.fingerprint = line[len("Build fingerprint: "):].strip().strip("'")
        elif line.startswith("Build: "):
            h.build = line[len("Build: "):].strip()
        elif line.startswith("Bugreport format version: "):
            h.format_version = line.split(":", 1)[1].strip()
        elif line.startswith("Uptime: "):
            h.uptime = line[len("Uptime: "):].strip()
        elif line.startswith("Command line: "):
            m = re.search(r"androidboot\.serialno=(\S+)", line)
            if m:
                h.serial = m.group(1)
        elif line.startswith("------ "):
            break
    return h


def fingerprint_parts(fingerprint: str) -> dict[str, str]:
    """`brand/product/device:release/id/incremental:type/tags` -> its named parts ({} when it is not one)."""
    m = re.match(r"^([^/]+)/([^/]+)/([^:]+):([^/]+)/([^/]+)/([^:]+):([^/]+)/(.+)$", fingerprint)
    if not m:
        return {}
    keys = ("brand", "product", "device", "release", "id", "incremental", "type", "tags")
    return dict(zip(keys, m.groups()))


class _Builder:
    """Opens and closes sections as the marker lines come by; an open one has end == -1."""

    def __init__(self, index: BugreportIndex):
        self.index = index
        self.section: Section | None = None
        self.service: Section | None = None
        self.last_separator = -1  # offset of the last `-----` line inside the open service

    def close_service(self, end: int) -> None:
        if self.service is not None:
            sep = self.last_separator
            # without a duration line (before 7.0) the separator before the next header ends it
            self.service.end = sep if end != self.service.start and sep > self.service.start else end
            self.service = None

    def close_section(self, end: int) -> None:
        self.close_service(end)
        if self.section is not None:
            self.section.end = end
            self.section = None

    def mark(self, line: str, line_start: int, next_start: int) -> None:
        if _SERVICE_END.match(line):
            if self.service is not None:
                self.last_separator = -1
                self.close_service(line_start)
            return
        if _SECTION_END.match(line):
            self.close_section(line_start)
            return
        m = _SERVICE.match(line)
        if m:
            self.close_service(line_start)
            name = m.group(2)
            self.service = Section(name, f"dumpsys {name}", next_start, -1, "service", m.group(1) or "")
            self.last_separator = -1
            self.index.services.append(self.service)
            return
        if line.startswith("-" * 70):
            if self.service is not None:
                self.last_separator = line_start
            return
        m = _SECTION.match(line)
        if m:
            self.close_section(line_start)
            title, command = m.group(1), ""
            tc = _TITLE_CMD.match(title)
            if tc:
                title, command = tc.group(1), tc.group(2)
            self.section = Section(title, command, next_start, -1)
            self.index.sections.append(self.section)


def index_bugreport(stream: BinaryIO, chunk_size: int = CHUNK) -> BugreportIndex:
    """Read a bugreport's text from `stream` once and return where everything is. Each piece read is
    scanned where it lies (no copy of it): only the line cut by a piece's end is carried to the next."""
    index = BugreportIndex()
    builder = _Builder(index)
    head = b""
    offset = 0  # file offset of data[0]
    # the unfinished last line, from the newline before it (one of ours before line 1); None when too long
    carry: bytes | None = b"\n"
    carry_at = -1
    while True:
        data = stream.read(chunk_size)
        if len(head) < 16384:
            head += data[:16384 - len(head)]
        if not data:
            break
        first, last = data.find(b"\n"), data.rfind(b"\n")
        if first < 0:  # no line ends here: a very long line, never a marker line past CARRY_MAX
            carry = carry + data if carry is not None and len(carry) + len(data) <= CARRY_MAX else None
            offset += len(data)
            continue
        if carry is not None:  # the line across the cut
            _scan(builder, carry + data[:first + 1], carry_at, 0, len(carry) + first)
        _scan(builder, data, offset, first, last)
        carry, carry_at = data[last:], offset + last
        offset += len(data)
    if carry is not None:  # a last line without a newline
        _scan(builder, carry, carry_at, 0, len(carry))
    index.size = offset
    for s in (builder.service, builder.section):
        if s is not None:  # the file ends inside it
            s.complete = False
            index.problems.append(_cut_off(s))
    builder.close_section(offset)
    index.header = parse_header(head.decode("utf-8", "replace"))
    if not index.header.taken_at and not index.sections:
        index.problems.append("no `== dumpstate:` header and no `------ SECTION ------` lines: not a bugreport")
    return index


def _scan(builder: _Builder, buf: bytes, at: int, start: int, end: int) -> None:
    """Give `builder` every marker line of buf[start:end] (buf[0] is at file offset `at`; a marker line
    starts after a newline at or after `start`, and ends before `end` or at it)."""
    for m in _MARK.finditer(buf, start, end):
        eol = buf.find(b"\n", m.end(), end + 1)
        next_start = at + (eol + 1 if eol >= 0 else end)
        builder.mark(m.group(0)[1:].decode("utf-8", "replace").rstrip("\r"), at + m.start() + 1, next_start)


def _cut_off(s: Section) -> str:
    what = f"dumpsys {s.title}" if s.kind == "service" else s.title
    return f"the bugreport ends inside {what}: it was cut off, that part is incomplete"
