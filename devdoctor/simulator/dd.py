"""`dd if=PATH bs=N skip=P count=C` answered from the files a recording holds, as toybox dd
(Android 6.0+) answers it: the bytes of that range, shorter at the end of the file, and on stderr the
`records in` / `records out` lines (a redirection `2>/dev/null` drops them). A recording made by
`devdoctor record` holds every `dd` it sent; this answers the ranges a recording's `files` can tell,
so a device of real size is served without a recorded command per range.
"""
from __future__ import annotations

import shlex
from dataclasses import dataclass

from devdoctor.sources.fixture import FileEntry
from devdoctor.parsers.numbers import to_int

MAX_DIGITS = 18  # operands longer than this are not a range this device serves


@dataclass
class Range:
    path: str
    offset: int
    length: int | None  # None: to the end of the file
    quiet: bool  # stderr redirected to /dev/null
    block: int = 512


def parse(command: str) -> Range | None:
    """The range a `dd` command asks for, or None when it is not a plain `dd if=... bs skip count`."""
    try:
        words = shlex.split(command)
    except ValueError:
        return None
    if words[:1] != ["dd"]:
        return None
    quiet = words[-1] == "2>/dev/null"
    ops = dict(w.split("=", 1) for w in words[1:len(words) - quiet] if "=" in w)
    if len(ops) != len(words) - 1 - quiet or "if" not in ops or set(ops) - {"if", "bs", "skip", "count"}:
        return None
    numbers = {k: to_int(v) if len(v) <= MAX_DIGITS else None for k, v in ops.items() if k != "if"}
    if any(v is None or v < 0 for v in numbers.values()) or numbers.get("bs", 512) == 0:
        return None
    bs = numbers.get("bs", 512)
    count = numbers.get("count")
    return Range(ops["if"], bs * numbers.get("skip", 0), None if count is None else bs * count, quiet, bs)


def answer(r: Range, files: dict[str, FileEntry]) -> tuple[bytes, bytes, int]:
    """(stdout, stderr, exit status) of the range from `files`."""
    f = files.get(r.path)
    if f is None or f.content is None:
        why = "No such file or directory" if f is None else (f.error or "Permission denied")
        return b"", b"" if r.quiet else f"dd: {r.path}: {why}\n".encode(), 1
    data = f.content[r.offset:] if r.length is None else f.content[r.offset:r.offset + r.length]
    if r.quiet:
        return data, b"", 0
    full, part = divmod(len(data), r.block)
    records = f"{full}+{1 if part else 0} records"
    return data, f"{records} in\n{records} out\n".encode(), 0
