"""A zipped bugreport's text, inflated by a thread that starts as soon as the file is named.

zlib inflates and checks the CRC without holding the interpreter lock: started before the rest of
devdoctor loads (devdoctor.entry), the inflating of a 100 MB bugreport (about 0.15 s) happens on another
core while Python imports, and is usually done when the bugreport is opened.
"""
from __future__ import annotations

import bisect
import queue
import re
import struct
import sys
import threading
import zipfile
import zlib
from pathlib import Path
from typing import Callable

from devdoctor.ui.i18n import _

_started: dict[Path, "Inflating"] = {}
_lock = threading.Lock()
PIECE = 64 << 20  # bytes inflated at a time (each piece costs zlib a few hand-overs of the interpreter lock)
IN_MEMORY_MAX = 160_000_000  # bytes of bugreport text held in memory; a larger one goes to a temporary file


class NoBugreportInside(Exception):
    """The zip holds no bugreport text."""


class Inflating:
    """The bugreport text inside a zip, being inflated by a thread. `result()` waits for it: (the member's
    name, its bytes in pieces), or raises what went wrong (zipfile.BadZipFile, zlib.error, OSError,
    NoBugreportInside)."""

    def __init__(self, path: Path, limit: int):
        self._done = threading.Event()
        self._value: tuple[str, list[bytes]] | None = None
        self._error: BaseException | None = None
        threading.Thread(target=self._inflate, args=(path, limit), name="inflate", daemon=True).start()

    def result(self) -> tuple[str, list[bytes]] | None:
        """(member, its text in pieces); None when the member is larger than `limit` (the caller streams it
        instead)."""
        self._done.wait()
        if self._error is not None:
            raise self._error
        return self._value

    def _inflate(self, path: Path, limit: int) -> None:
        # zlib takes the interpreter lock back for every block of output it adds, and a thread asking for
        # the lock waits for the switch interval (5 ms) while the main thread imports: asked more often
        # meanwhile, the inflating is not held up dozens of times.
        interval = sys.getswitchinterval()
        sys.setswitchinterval(min(interval, 0.0005))
        try:
            with zipfile.ZipFile(path) as z:
                info = z.getinfo(bugreport_member(z))
                if info.file_size <= limit:
                    self._value = info.filename, _read(z, info)
        except BaseException as e:  # handed to whoever waits
            self._error = e
        finally:
            sys.setswitchinterval(interval)
            self._done.set()


def start(path: Path, limit: int) -> None:
    """Begin inflating the bugreport in the zip at `path` (nothing when it is not a readable zip)."""
    with _lock:
        key = path.resolve()
        if key not in _started and zipfile.is_zipfile(path):
            _started[key] = Inflating(path, limit)


def take(path: Path, limit: int) -> Inflating:
    """What `start` began for `path`, else a new start."""
    with _lock:
        key = path.resolve()
        found = _started.pop(key, None)
    return found if found is not None else Inflating(path, limit)


def bugreport_member(z: zipfile.ZipFile) -> str:
    """The bugreport text's name: dumpstate's main_entry.txt names it; else the largest bugreport*.txt."""
    names = z.namelist()
    if "main_entry.txt" in names:
        wanted = z.read("main_entry.txt").decode("utf-8", "replace").strip()
        if wanted in names:
            return wanted
    texts = [i for i in z.infolist() if re.match(r"(?:.*/)?bugreport.*\.txt$", i.filename)]
    if not texts:
        raise NoBugreportInside()
    return max(texts, key=lambda i: i.file_size).filename


def _read(z: zipfile.ZipFile, info: zipfile.ZipInfo) -> list[bytes]:
    """The member's bytes in pieces: deflated or stored through zlib (checked against its size and CRC as
    zipfile checks them); any other compression, or encryption, through zipfile's own reader."""
    if info.flag_bits & 0x1 or info.compress_type not in (zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED):
        return [z.read(info)]
    f = z.fp
    f.seek(info.header_offset)
    header = f.read(30)  # the local file header (APPNOTE.TXT 4.3.7), as zipfile.ZipFile.open reads it
    if len(header) != 30 or header[:4] != b"PK\x03\x04":
        raise zipfile.BadZipFile(_("bad local file header of {name}").format(name=info.filename))
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    f.seek(info.header_offset + 30 + name_len + extra_len)
    raw = f.read(info.compress_size)
    if len(raw) != info.compress_size:
        raise zipfile.BadZipFile(_("{name} is cut off").format(name=info.filename))
    crc = _Crc()
    pieces = [raw] if info.compress_type == zipfile.ZIP_STORED else _inflated(raw, info.file_size, crc.add)
    if info.compress_type == zipfile.ZIP_STORED:
        crc.add(raw)
    if sum(map(len, pieces)) != info.file_size or crc.result() != info.CRC:
        raise zipfile.BadZipFile(_("bad CRC-32 or size of {name}").format(name=info.filename))
    return pieces


def _inflated(raw: bytes, size: int, each: Callable[[bytes], None]) -> list[bytes]:
    """Raw deflate data inflated in pieces of at most PIECE bytes, and at most one byte more than `size`
    in all (a zip that lies about its size is seen, never inflated without end); `each` is given every
    piece as it comes."""
    d, pieces, left, data = zlib.decompressobj(-15), [], size + 1, raw
    while left > 0 and not d.eof:
        piece = d.decompress(data, min(PIECE, left))
        if not piece and not d.unconsumed_tail:
            break
        pieces.append(piece)
        each(piece)
        left -= len(piece)
        data = d.unconsumed_tail
    return pieces


class _Crc:
    """The CRC-32 of the pieces given to it, summed by a thread of its own while the next piece inflates
    (zlib lets go of the interpreter lock for both)."""

    def __init__(self) -> None:
        self._pieces: queue.SimpleQueue = queue.SimpleQueue()
        self._value = 0
        self._thread = threading.Thread(target=self._sum, name="crc", daemon=True)
        self._thread.start()

    def add(self, piece: bytes) -> None:
        self._pieces.put(piece)

    def result(self) -> int:
        self._pieces.put(None)
        self._thread.join()
        return self._value

    def _sum(self) -> None:
        while (piece := self._pieces.get()) is not None:
            self._value = zlib.crc32(piece, self._value)


class Pieces:
    """Pieces of bytes as a stream whose every read gives the next piece (for the one pass of the index)."""

    def __init__(self, pieces: list[bytes]):
        self._next = iter(pieces)

    def read(self, _n: int = -1) -> bytes:
        return next(self._next, b"")


class ChunkedText:
    """Read-only and seekable over pieces of bytes held in memory: what BugreportDevice needs of a file,
    without copying 100 MB into one buffer."""

    def __init__(self, pieces: list[bytes]):
        self._pieces = [p for p in pieces if p]
        self._starts, at = [], 0
        for p in self._pieces:
            self._starts.append(at)
            at += len(p)
        self.size, self._pos = at, 0

    def seek(self, pos: int, whence: int = 0) -> int:
        self._pos = max(0, pos if whence == 0 else self._pos + pos if whence == 1 else self.size + pos)
        return self._pos

    def tell(self) -> int:
        return self._pos

    def read(self, n: int = -1) -> bytes:
        end = self.size if n is None or n < 0 else min(self.size, self._pos + n)
        out = []
        i = bisect.bisect_right(self._starts, self._pos) - 1
        while self._pos < end and 0 <= i < len(self._pieces):
            piece, start = self._pieces[i], self._starts[i]
            out.append(piece[self._pos - start:end - start])
            self._pos = min(end, start + len(piece))
            i += 1
        return b"".join(out)

    def close(self) -> None:
        self._pieces = []
