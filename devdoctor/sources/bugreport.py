"""A bugreport as a device: the checks make their usual readings and get the bugreport's sections back.

`open_bugreport(path)` accepts the `.zip` of `adb bugreport` (Android 7+; the `bugreport-*.txt` inside)
or a plain-text bugreport. The text is indexed once (devdoctor.parsers.bugreport) and read by byte
range on demand: a plain-text file stays on disk; a zip's text is inflated once, in memory up to
IN_MEMORY_MAX bytes, in a temporary file beyond.

The readings come straight from the sections that hold them (devdoctor.sources.bugreport_readings); a
command a check runs itself is answered from the section that holds its output
(devdoctor.sources.bugreport_routes). What no section holds raises NotAnswerable("not in this
bugreport"), which the runner turns into `unknown`; probes that need the live device say so.
"""
from __future__ import annotations

import re
import shlex
import tempfile
import threading
import zipfile
import zlib
from pathlib import Path
from typing import Any, BinaryIO, Callable, Sequence

from devdoctor.sources.device import DEFAULT_COMMAND_TIMEOUT, CommandResult, FileUnreadable, NotAnswerable, command_line
from devdoctor.ui.i18n import _
from devdoctor.sources.bugreport_answers import Answer, not_in_bugreport, short_command
from devdoctor.sources.bugreport_routes import ROUTES
from devdoctor.sources import bugreport_zip
from devdoctor.parsers.bugreport import BugreportIndex, Section, fingerprint_parts, index_bugreport
from devdoctor.parsers.numbers import to_int


IN_MEMORY_MAX = bugreport_zip.IN_MEMORY_MAX
CACHED_SECTION_MAX = 8_000_000  # characters of one section kept in memory between commands


class BugreportError(Exception):
    """The file is not a bugreport devdoctor can read (exit code 2)."""


class BugreportDevice:
    """The Device protocol over one bugreport. Thread-safe: checks run at the same time."""

    kind = "bugreport"

    def __init__(self, stream: BinaryIO, name: str, index: BugreportIndex | None = None):
        self._stream = stream
        self._lock = threading.Lock()
        self.name = name
        self.index = index if index is not None else index_bugreport(stream)
        self._cache: dict[tuple[int, int], str] = {}
        self._parsed: dict[str, Any] = {}
        self._parsing = threading.Lock()
        self.serial = self.index.header.serial or name

    def parsed(self, key: str, parse: Callable[[], Any]) -> Any:
        """A whole section parsed once for every reading that needs it (the package manager's dump is
        read for the package list, the disabled ones and each package's record)."""
        with self._parsing:
            if key not in self._parsed:
                self._parsed[key] = parse()
            return self._parsed[key]

    # -- reading ---------------------------------------------------------------------------------
    def read(self, section: Section) -> str:
        """The text of one section, decoded (bytes that are not UTF-8 become U+FFFD)."""
        key = (section.start, section.end)
        with self._lock:
            text = self._cache.get(key)
            if text is None:
                self._stream.seek(section.start)
                text = self._stream.read(max(0, section.end - section.start)).decode("utf-8", "replace")
                if len(text) <= CACHED_SECTION_MAX:  # big logs are read again rather than kept
                    if len(self._cache) > 16:
                        self._cache.clear()
                    self._cache[key] = text
        return text

    def last_lines(self, section: Section, n: int) -> list[str]:
        """The last `n` lines of a section, read backwards from its end (a 100 MB log is not read whole)."""
        with self._lock:
            end, pieces, newlines = section.end, [], 0
            while end > section.start and newlines <= n:  # pieces kept, joined once: linear however long the lines
                start = max(section.start, end - (1 << 20))
                self._stream.seek(start)
                pieces.append(self._stream.read(end - start))
                newlines += pieces[-1].count(b"\n")
                end = start
        lines = b"".join(reversed(pieces)).decode("utf-8", "replace").splitlines(True)
        if end > section.start:
            lines = lines[1:]  # the first one may be cut in the middle
        return lines[-n:] if n else []

    def section(self, *titles: str) -> Section:
        for t in titles:
            s = self.index.section(t)
            if s is not None:
                return s
        raise not_in_bugreport(_("no {title} section").format(title=titles[0]))

    def service(self, name: str) -> Section:
        s = self.index.service(name)
        if s is None:
            raise not_in_bugreport(_("no `dumpsys {name}` in it").format(name=name))
        return s

    def service_text(self, name: str) -> str:
        """Every block of the service in file order (9+ splits `activity` into a CRITICAL and a normal part)."""
        blocks = self.index.service_blocks(name)
        if not blocks:
            raise not_in_bugreport(_("no `dumpsys {name}` in it").format(name=name))
        return "".join(self.read(b) for b in blocks)

    # -- the sources' protocol: readings straight from the sections, else commands -------------------
    def read_reading(self, reading, args: tuple):
        """A reading (devdoctor.readings) from the sections that hold it, or None to ask its command."""
        from devdoctor.sources.bugreport_readings import read_reading

        return read_reading(self, reading, args)

    def shell(self, command: str | Sequence[str], timeout: float = DEFAULT_COMMAND_TIMEOUT) -> CommandResult:
        cmd = command if isinstance(command, str) else command_line(command)
        try:
            return self._answer(cmd)
        except NotAnswerable as e:
            e.command = e.command or cmd  # the evidence of an `unknown`: which command had no answer
            raise

    def _answer(self, cmd: str) -> CommandResult:
        base, filters = _split_pipeline(cmd)
        for route in ROUTES:
            m = route.pattern.fullmatch(base)
            if m:
                got = route.handler(self, m)
                ans = got if isinstance(got, Answer) else Answer(got)
                stdout, code = ans.stdout, ans.exit_code
                for f in filters:
                    stdout, code = f(stdout)
                source = ans.source or cmd
                if ans.source and filters:
                    source += " | " + cmd.split("|", 1)[1].strip()
                return CommandResult(source, stdout, "", code, 0.0, None)
        raise not_in_bugreport(_("`{command}`").format(command=short_command(cmd)))

    def pull(self, path: str, timeout: float = 30.0) -> bytes:
        raise FileUnreadable(_("files cannot be read from a bugreport ({path})").format(path=path), path)

    def close(self) -> None:
        self._stream.close()


# -- opening ---------------------------------------------------------------------------------------
def open_bugreport(path: str | Path) -> BugreportDevice:
    """A BugreportDevice for a bugreport `.zip` or plain-text file; raises BugreportError when it is neither."""
    path = Path(path)
    if not path.is_file():
        raise BugreportError(_("no file at {path}").format(path=path))
    index = None
    try:
        if zipfile.is_zipfile(path):
            stream, index = _zip_member(path)
        elif _starts_like_a_zip(path):  # a zip's end (its table of contents) is missing: cut off in a copy
            raise BugreportError(_("{path} is a damaged or truncated zip (its end is missing): copy or download "
                                   "it again").format(path=path))
        else:
            stream = _plain(path)
    except (zipfile.BadZipFile, zlib.error, EOFError) as e:
        raise BugreportError(_("{path} is a damaged zip ({error}): copy or download it again").format(
            path=path, error=e)) from e
    except (OSError, UnicodeError) as e:
        raise BugreportError(_("cannot read {path}: {error}").format(path=path, error=e)) from e
    device = BugreportDevice(stream, path.name, index)
    if "not a bugreport" in " ".join(device.index.problems):
        device.close()
        raise BugreportError(_("{path} is not an Android bugreport (no `== dumpstate:` header and no sections)")
                             .format(path=path))
    return device


def _starts_like_a_zip(path: Path) -> bool:
    with open(path, "rb") as f:
        return f.read(4) == b"PK\x03\x04"


def _zip_member(path: Path) -> tuple[BinaryIO, BugreportIndex]:
    """The bugreport text inside an `adb bugreport` zip, inflated once (devdoctor.sources.bugreport_zip, perhaps
    begun already) and held in memory; past IN_MEMORY_MAX bytes, in a temporary file."""
    try:
        inflated = bugreport_zip.take(path, IN_MEMORY_MAX).result()
    except bugreport_zip.NoBugreportInside:
        raise BugreportError(_("{path} is a zip without a bugreport-*.txt inside").format(path=path)) from None
    if inflated is not None:
        _member, pieces = inflated
        return bugreport_zip.ChunkedText(pieces), index_bugreport(bugreport_zip.Pieces(pieces))
    tmp = tempfile.TemporaryFile()
    with zipfile.ZipFile(path) as z, z.open(bugreport_zip.bugreport_member(z)) as src:
        index = index_bugreport(_Copying(src, tmp))
    return tmp, index


class _Copying:
    """A stream that writes what is read from it to `copy`."""

    def __init__(self, source: BinaryIO, copy: BinaryIO):
        self.source, self.copy = source, copy

    def read(self, n: int = -1) -> bytes:
        data = self.source.read(n)
        self.copy.write(data)
        return data


def _plain(path: Path) -> BinaryIO:
    """A text bugreport; one saved as UTF-16 (PowerShell's `adb bugreport > file`) is re-encoded as UTF-8."""
    f = open(path, "rb")
    bom = f.read(2)
    f.seek(0)
    if bom not in (b"\xff\xfe", b"\xfe\xff"):
        return f
    import codecs

    tmp = tempfile.TemporaryFile()
    with f:
        reader = codecs.getreader("utf-16")(f, errors="replace")
        while True:
            chunk = reader.read(1 << 20)
            if not chunk:
                break
            tmp.write(chunk.encode("utf-8"))
    tmp.seek(0)
    return tmp


def target_header(device: BugreportDevice) -> dict:
    """What a report's header shows before any command: the bugreport's own time, build and device."""
    h = device.index.header
    fp = fingerprint_parts(h.fingerprint)
    if not h.serial:  # 7.x prints no serial in the header: ro.serialno, when the properties are there
        try:
            device.serial = device.shell("getprop ro.serialno").stdout.strip() or device.serial
        except NotAnswerable:
            pass
    return {"serial": device.serial, "release": fp.get("release", ""), "brand": fp.get("brand", ""),
            "fingerprint": h.fingerprint, "captured_at": h.taken_at, "build": h.build,
            "notes": list(device.index.problems)}


# -- pipelines: `cmd | grep X`, `| head -n N`, `| tail -n N` ------------------------------------------
Filter = Callable[[str], "tuple[str, int]"]


def _split_pipeline(cmd: str) -> tuple[str, list[Filter]]:
    cmd = re.sub(r"\s+2>(?:/dev/null|&1)", "", cmd.strip())
    parts = [p.strip() for p in cmd.split("|")] if "|" in cmd and "'" not in cmd and '"' not in cmd \
        else _split_quoted(cmd)
    base = _normalise(parts[0])
    return base, [_filter(p, cmd) for p in parts[1:]]


def _split_quoted(cmd: str) -> list[str]:
    try:
        lex = shlex.shlex(cmd, posix=True, punctuation_chars="|")
        lex.whitespace_split = True
        parts, cur = [], []
        for tok in lex:
            if tok == "|":
                parts.append(command_line(cur))
                cur = []
            else:
                cur.append(tok)
        parts.append(command_line(cur))
        return parts
    except ValueError:
        return [cmd]


def _normalise(cmd: str) -> str:
    try:
        argv = shlex.split(cmd)
    except ValueError:
        argv = cmd.split()
    if argv and argv[0].startswith(("/system/bin/", "/system/xbin/")):
        argv[0] = argv[0].rsplit("/", 1)[1]
    if argv[:1] == ["dumpsys"]:  # `dumpsys -t 30 x` / `-T 30000 x`: the time limit is not part of the question
        while len(argv) > 2 and argv[1] in ("-t", "-T"):
            del argv[1:3]
    return " ".join(argv)


def _filter(stage: str, whole: str) -> Filter:
    try:
        argv = shlex.split(stage)
    except ValueError:
        argv = stage.split()
    if argv and argv[0] == "grep":
        flags, words = set(), []
        for a in argv[1:]:
            if a.startswith("-") and not words and len(a) > 1:
                flags.update(a[1:])
            else:
                words.append(a)
        if len(words) == 1 and flags <= {"i", "v", "E", "F"}:
            pat = re.escape(words[0]) if "F" in flags or "E" not in flags and not _basic_regex_ok(words[0]) \
                else words[0]
            rx = re.compile(pat, re.I if "i" in flags else 0)

            def grep(text: str) -> tuple[str, int]:
                keep = [ln for ln in text.splitlines(True) if bool(rx.search(ln)) != ("v" in flags)]
                return "".join(keep), 0 if keep else 1

            return grep
    if argv and argv[0] in ("head", "tail"):
        n = 10
        rest = argv[1:]
        count = to_int(rest[1]) if rest[:1] == ["-n"] and len(rest) == 2 else None
        if count is None and len(rest) == 1 and re.fullmatch(r"-n?\d+", rest[0]):
            count = to_int(rest[0].lstrip("-n"))
        if count is not None and count >= 0:
            n = count
        elif rest:
            raise not_in_bugreport(_("cannot apply `{stage}` to a bugreport").format(stage=stage))

        def cut(text: str, first: bool = argv[0] == "head") -> tuple[str, int]:
            lines = text.splitlines(True)
            return "".join(lines[:n] if first else lines[-n:] if n else []), 0

        return cut
    raise not_in_bugreport(_("cannot apply `{stage}` to a bugreport (in `{command}`)").format(stage=stage,
                                                                                             command=whole))


def _basic_regex_ok(pattern: str) -> bool:
    """A grep basic regex that means the same in Python (only `.`, `*`, `^`, `$`, classes)."""
    return not re.search(r"[+?(){}|\\]", pattern)


