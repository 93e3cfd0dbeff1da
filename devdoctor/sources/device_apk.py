"""Reading an APK that lies on the device, within bounds of size and time.

A small APK is pulled whole (one adb sync transfer). A large one is read in ranges with `dd`
through the shell (binary-clean on shell protocol v2, Android 7.0+; a shell that alters bytes shows
as a length mismatch or a bad zip, never as wrong facts, since zip members carry a CRC): zipfile asks for the end of
central directory, the central directory and the members it needs (the manifest, the dex files),
so a 150 MB WMPF APK costs a few hundred kilobytes over USB, not the whole file.
"""
from __future__ import annotations

import io
import time
from dataclasses import dataclass, field

from devdoctor.check import Context, evidence
from devdoctor.sources.device import FileUnreadable, NotAnswerable, command_line
from devdoctor.ui.i18n import _
from devdoctor.parsers.apk import ApkInfo, read_apk
from devdoctor.result import Evidence
from devdoctor.parsers.numbers import to_int

PULL_WHOLE_BYTES = 8 * 1024 * 1024  # at most this is pulled whole; larger APKs are read in ranges
MAX_PULL_BYTES = 64 * 1024 * 1024  # where ranges cannot be read, at most this is pulled whole
MAX_RANGED_BYTES = 96 * 1024 * 1024  # ranged reads stop past this many bytes (dex of a huge app)
PAGE = 4096  # dd block size: ranges are read in whole pages
READ_AHEAD = 16 * 1024  # at least this much per read: zipfile's small header reads then cost no round trip
MAX_READ = 4 * 1024 * 1024  # at most this much per dd command (the shell's answer is held in memory)
READ_SECONDS = 60.0  # all reads of one APK


class ReadLimit(Exception):  # not OSError: zipfile would turn that into a bare "not a zip file"
    """A ranged read went past its byte or time budget, or the device's answer was not the bytes asked for."""


class DeviceFile(io.RawIOBase):
    """A read-only, seekable view of a device file, fetched with `dd if=PATH bs=4096 skip=P count=N`.
    The last range read is kept, so zipfile's small sequential reads cost one round trip."""

    def __init__(self, ctx: Context, path: str, size: int, max_bytes: int = MAX_RANGED_BYTES,
                 seconds: float = READ_SECONDS):
        self.ctx, self.path, self.size = ctx, path, size
        self.max_bytes, self.seconds, self.deadline = max_bytes, seconds, time.monotonic() + seconds
        self.pos = 0
        self.fetched = 0
        self.reads = 0
        self._window = (0, b"")  # (offset, bytes) of the last range read

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self.pos, io.SEEK_END: self.size}[whence]
        self.pos = max(0, base + offset)
        return self.pos

    def _fetch(self, offset: int, n: int) -> None:
        first = offset // PAGE
        end = min(self.size, max(offset + n, offset + READ_AHEAD))
        count = min(-(-(end - first * PAGE) // PAGE), MAX_READ // PAGE)
        want = min(count * PAGE, self.size - first * PAGE)
        if self.fetched + want > self.max_bytes:
            raise ReadLimit(_("reading {path} would pass {mb} MB").format(path=self.path,
                                                                          mb=self.max_bytes // (1024 * 1024)))
        if time.monotonic() > self.deadline:
            raise ReadLimit(_("reading {path} took longer than {seconds} s").format(path=self.path,
                                                                                   seconds=f"{self.seconds:g}"))
        r = self.ctx.run(f"dd if={command_line([self.path])} bs={PAGE} skip={first} count={count} 2>/dev/null",
                         30.0)
        data = r.raw_stdout if r.raw_stdout is not None else r.stdout.encode("utf-8")
        if len(data) != want:
            raise ReadLimit(_("`dd` gave {got} bytes of {path} where {want} were asked for").format(
                got=len(data), path=self.path, want=want))
        self.fetched += want
        self.reads += 1
        self._window = (first * PAGE, data)

    def readinto(self, buf) -> int:  # type: ignore[override]
        n = min(len(buf), max(0, self.size - self.pos))
        out = bytearray()
        while len(out) < n:
            at = self.pos + len(out)
            w_off, w = self._window
            if not w_off <= at < w_off + len(w):
                self._fetch(at, n - len(out))
                w_off, w = self._window
            out += w[at - w_off:at - w_off + n - len(out)]
        buf[:n] = out
        self.pos += n
        return n


@dataclass
class ApkRead:
    """What was read of one APK on the device, and how."""

    path: str
    info: ApkInfo | None = None  # None: could not be read at all (error says why)
    error: str | None = None
    how: str = ""
    evidence: list[Evidence] = field(default_factory=list)


def apk_size(ctx: Context, path: str) -> tuple[int | None, Evidence]:
    r = ctx.run(["stat", "-c", "%s", path])
    text = r.stdout.strip()
    ev = evidence(r, r.lines[:2] + [ln for ln in r.stderr.splitlines()[:2]])
    return (to_int(text) if r.ok else None), ev


def read_device_apk(ctx: Context, path: str, with_dex: bool = True, strings_containing: bytes | None = None) -> ApkRead:
    """Read the manifest (and dex strings, or those holding `strings_containing`) of the APK at `path`.
    Device errors other than the device going away become `error`; a disconnect propagates (the runner
    reports it)."""
    out = ApkRead(path)
    try:
        size, ev = apk_size(ctx, path)
    except NotAnswerable as e:
        size, ev = None, Evidence(e.command or f"stat {path}", [str(e)])
    out.evidence.append(ev)
    if size is None:
        said = " ".join(ev.lines[:2]).strip()
        out.error = _("could not tell the size of {path}").format(path=path) + (f" ({said})" if said else "")
        return out
    if size <= PULL_WHOLE_BYTES:
        return _pull(ctx, path, with_dex, out, strings_containing)
    f = DeviceFile(ctx, path, size)
    info = read_apk(f, with_dex, strings_containing)
    if ctx.facts.lost is not None:  # read_apk reports failed reads as problems; a disconnect is more
        raise ctx.facts.lost
    how = _("read {part} of {path} ({size}) in {n} ranges").format(part=_mb(f.fetched), path=path, size=_mb(size),
                                                                    n=f.reads)
    ranged_read = f"dd if={path} bs={PAGE} skip=P count=N"
    out.evidence.append(Evidence(ranged_read, [how] + info.problems[:2]))
    if f.fetched == 0 and not info.manifest_read:  # `dd` unusable here (missing, or a shell that alters bytes)
        if size <= MAX_PULL_BYTES:
            return _pull(ctx, path, with_dex, out, strings_containing)
        out.error = _("{path} is {size}, more than the {limit} devdoctor copies whole, and reading it in ranges "
                      "failed: {why}").format(path=path, size=_mb(size), limit=_mb(MAX_PULL_BYTES),
                                              why="; ".join(info.problems[:2]))
        return out
    out.info, out.how = info, how
    return out


def _pull(ctx: Context, path: str, with_dex: bool, out: ApkRead, strings_containing: bytes | None = None) -> ApkRead:
    pull_command = f"adb pull {path}"
    try:
        data = ctx.device.pull(path, timeout=READ_SECONDS)
    except (FileUnreadable, NotAnswerable) as e:
        out.error = str(e)
        out.evidence.append(Evidence(pull_command, [str(e)]))
        return out
    out.info = read_apk(data, with_dex, strings_containing)
    out.how = _("pulled {path} ({size})").format(path=path, size=_mb(len(data)))
    out.evidence.append(Evidence(pull_command, [_("{n} bytes").format(n=len(data))]))
    return out


def _mb(n: int) -> str:
    if n < 1024:
        return _("{n} bytes").format(n=n)
    return f"{n / (1024 * 1024):.1f} MB" if n >= 1024 * 1024 else f"{n / 1024:.0f} KB"
