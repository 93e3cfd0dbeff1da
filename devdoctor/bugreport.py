"""A bugreport as a device: the checks send their usual commands and get the bugreport's sections back.

`open_bugreport(path)` accepts the `.zip` of `adb bugreport` (Android 7+; the `bugreport-*.txt` inside)
or a plain-text bugreport. The text is indexed once (devdoctor.parsers.bugreport) and read by byte
range on demand, so a 100 MB bugreport is never held in memory.

Which command is answered from which section is the table `ROUTES` at the end of this module: a
regular expression over the command line and a function that answers it. To answer a new command,
add one `@answers(r"...")` function. A command no route answers raises NotAnswerable("not in this
bugreport"), which the runner turns into `unknown`; probes that need the live device say so.
"""
from __future__ import annotations

import io
import re
import shlex
import shutil
import tempfile
import threading
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Callable, Sequence

from devdoctor.device import DEFAULT_COMMAND_TIMEOUT, CommandResult, FileUnreadable, NotAnswerable, command_line
from devdoctor.i18n import _
from devdoctor.parsers.bugreport import BugreportIndex, Section, fingerprint_parts, index_bugreport


class BugreportError(Exception):
    """The file is not a bugreport devdoctor can read (exit code 2)."""


NOT_IN_BUGREPORT = "not in this bugreport"


def not_in_bugreport(what: str = "") -> NotAnswerable:
    return NotAnswerable(_("not in this bugreport: {what}").format(what=what) if what else _(NOT_IN_BUGREPORT))


def cut_off_inside(section: Section, what: str) -> NotAnswerable:
    return NotAnswerable(_("the bugreport is cut off inside `{command}`: {what}").format(
        command=section.command or section.title, what=what))


def live_only(what: str) -> NotAnswerable:
    return NotAnswerable(_("needs the live device, a bugreport cannot tell: {what}").format(what=what))


@dataclass
class Answer:
    """What a route gives back: the output, and the command that really produced it in the bugreport."""

    stdout: str
    source: str = ""  # e.g. "ps -A -T -Z -O pri,nice,rtprio,sched,pcy,time"; "" = the command asked
    exit_code: int = 0


Handler = Callable[["BugreportDevice", "re.Match[str]"], "Answer | str"]


@dataclass(frozen=True)
class Route:
    pattern: re.Pattern
    handler: Handler


ROUTES: list[Route] = []


def answers(pattern: str) -> Callable[[Handler], Handler]:
    """Register a handler for commands that fully match `pattern` (after normalisation)."""

    def register(fn: Handler) -> Handler:
        ROUTES.append(Route(re.compile(pattern), fn))
        return fn

    return register


class BugreportDevice:
    """The Device protocol over one bugreport. Thread-safe: checks run at the same time."""

    kind = "bugreport"

    def __init__(self, stream: BinaryIO, name: str, index: BugreportIndex | None = None):
        self._stream = stream
        self._lock = threading.Lock()
        self.name = name
        self.index = index if index is not None else index_bugreport(stream)
        self._cache: dict[tuple[int, int], str] = {}
        self.serial = self.index.header.serial or name

    # -- reading ---------------------------------------------------------------------------------
    def read(self, section: Section) -> str:
        """The text of one section, decoded (bytes that are not UTF-8 become U+FFFD)."""
        key = (section.start, section.end)
        with self._lock:
            text = self._cache.get(key)
            if text is None:
                self._stream.seek(section.start)
                text = self._stream.read(max(0, section.end - section.start)).decode("utf-8", "replace")
                if len(self._cache) > 16:
                    self._cache.clear()
                self._cache[key] = text
        return text

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

    # -- the Device protocol -----------------------------------------------------------------------
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
        raise not_in_bugreport(_("`{command}`").format(command=_short(cmd)))

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
    try:
        if zipfile.is_zipfile(path):
            stream = _zip_member(path)
        else:
            stream = _plain(path)
    except (OSError, zipfile.BadZipFile, UnicodeError) as e:
        raise BugreportError(_("cannot read {path}: {error}").format(path=path, error=e)) from e
    device = BugreportDevice(stream, path.name)
    if "not a bugreport" in " ".join(device.index.problems):
        device.close()
        raise BugreportError(_("{path} is not an Android bugreport (no `== dumpstate:` header and no sections)")
                             .format(path=path))
    return device


def _zip_member(path: Path) -> BinaryIO:
    """The bugreport text inside an `adb bugreport` zip, copied to a temporary file (seekable, fast)."""
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        member = None
        if "main_entry.txt" in names:  # dumpstate names its main file there
            wanted = z.read("main_entry.txt").decode("utf-8", "replace").strip()
            member = wanted if wanted in names else None
        if member is None:
            texts = [i for i in z.infolist() if re.match(r"(?:.*/)?bugreport.*\.txt$", i.filename)]
            if not texts:
                raise BugreportError(_("{path} is a zip without a bugreport-*.txt inside").format(path=path))
            member = max(texts, key=lambda i: i.file_size).filename
        tmp = tempfile.TemporaryFile()
        with z.open(member) as src:
            shutil.copyfileobj(src, tmp, 1 << 20)
        tmp.seek(0)
        return tmp


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
        if rest[:1] == ["-n"] and len(rest) == 2 and rest[1].isdigit():
            n = int(rest[1])
        elif len(rest) == 1 and re.fullmatch(r"-n?\d+", rest[0]):
            n = int(rest[0].lstrip("-n"))
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


# == THE TABLE: command -> section ==================================================================
# Handlers return the output text (or an Answer naming the bugreport command that produced it) and
# raise NotAnswerable when the bugreport holds no answer. Order matters: the first full match wins.

@answers(r"getprop")
def _getprop(br: BugreportDevice, m: re.Match) -> str:
    return br.read(br.section("SYSTEM PROPERTIES"))


@answers(r"getprop (?P<key>[\w.\-:@]+)")
def _getprop_key(br: BugreportDevice, m: re.Match) -> str:
    from devdoctor.parsers.getprop import parse_getprop

    props = parse_getprop(_getprop(br, m))
    return props.get(m.group("key")) + "\n"  # getprop prints an empty line for an unset property


@answers(r"dumpsys package")
def _dumpsys_package(br: BugreportDevice, m: re.Match) -> str:
    return br.read(br.service("package"))


_PACKAGE = r"(?P<pkg>[A-Za-z]\w*(?:\.\w+)+)"  # a package name has at least one dot
# `dumpsys package WHAT` -> the top-level parts of the full dump that answer it
PACKAGE_PARTS = {"providers": ("Registered ContentProviders", "ContentProvider Authorities"),
                 "queries": ("Queries",), "permissions": ("Permissions",), "perm": ("Permissions",),
                 "libraries": ("Libraries",), "features": ("Features",), "shared-users": ("Shared users",)}


@answers(r"dumpsys package " + _PACKAGE)
def _dumpsys_package_one(br: BugreportDevice, m: re.Match) -> str:
    section = br.service("package")
    out = package_slice(br.read(section), m.group("pkg"))
    if not section.complete and out.startswith("Unable to find package"):
        raise cut_off_inside(section, _("{pkg} is not in the part that is there").format(pkg=m.group("pkg")))
    return out


@answers(r"dumpsys package (?P<what>[a-z-]+)")
def _dumpsys_package_part(br: BugreportDevice, m: re.Match) -> str:
    titles = PACKAGE_PARTS.get(m.group("what"))
    if titles is None:
        raise not_in_bugreport(_("`dumpsys package {what}`").format(what=m.group("what")))
    return top_level_parts(br.read(br.service("package")), titles)


@answers(r"pm path " + _PACKAGE)
def _pm_path(br: BugreportDevice, m: re.Match) -> str:
    from devdoctor.parsers.dumpsys_package import parse_dumpsys_package

    pkg = m.group("pkg")
    rec = parse_dumpsys_package(_dumpsys_package_one(br, m)).find(pkg)
    if rec is None:
        return Answer("", exit_code=1)  # pm path prints nothing and fails for a package that is not there
    path = rec.codePath or ""
    if path.endswith(".apk"):
        return f"package:{path}\n"
    if not path.startswith("/data/"):  # a system app's APK is named after its folder, mostly; do not guess
        raise not_in_bugreport(_("the APK file name of {pkg} in {path}").format(pkg=pkg, path=path))
    splits = next((ln.split("=", 1)[1].strip("[] \n").split(", ") for ln in rec.lines
                   if ln.strip().startswith("splits=")), ["base"])
    return "".join(f"package:{path}/{'base' if s == 'base' else 'split_' + s}.apk\n" for s in splits)


@answers(r"ps(?: -(?:A|e|ef|P|p|t|T|Z|w))*")
def _ps(br: BugreportDevice, m: re.Match) -> Answer:
    found = [s for s in br.index.sections if re.match(r"ps\b", s.command)]
    if not found:
        raise not_in_bugreport(_("no PROCESSES section"))
    text = br.read(found[0])
    if "-T" not in found[0].command.split():
        return Answer(text, found[0].command)  # toolbox (7.x and older): what `ps` prints there
    # toybox, 8.0+: dumpstate lists threads, each named by its 15-character comm ("om.tencent.wmpf");
    # a live `ps -A` lists processes by their full name
    return Answer(toybox_processes(text, process_names(br)), f"ps -A (from `{found[0].command}`)")


@answers(r"pidof (?P<name>\S+)")
def _pidof(br: BugreportDevice, m: re.Match) -> Answer:
    names = process_names(br)
    if not names:
        raise not_in_bugreport(_("no PROCESS TIMES section"))
    pids = [str(pid) for pid, name in sorted(names.items(), reverse=True) if name == m.group("name")]
    return Answer(" ".join(pids) + "\n" if pids else "", "pidof (from PROCESS TIMES)", 0 if pids else 1)


@answers(r"dumpsys activity")
def _activity(br: BugreportDevice, m: re.Match) -> str:
    return br.service_text("activity")


@answers(r"dumpsys activity (?P<sub>[a-z][\w-]*)(?: (?P<arg>\S+))?")
def _activity_sub(br: BugreportDevice, m: re.Match) -> Answer:
    sub, arg = m.group("sub"), m.group("arg")
    text = activity_subsection(br.service_text("activity"), sub)
    if text is None:
        raise not_in_bugreport(_("no `dumpsys activity {sub}` part in its activity dump").format(sub=sub))
    if arg is None:
        return Answer(text)
    if sub == "services":
        return Answer(services_of(text, arg))
    # other parts are given whole: the bugreport ran them without a package filter
    return Answer(text, f"dumpsys activity {sub}")


@answers(r"dumpsys (?P<name>[\w.@-]+)")
def _dumpsys_any(br: BugreportDevice, m: re.Match) -> str:
    return br.read(br.service(m.group("name")))


@answers(r"settings get (?P<ns>global|secure|system) (?P<key>[\w.\-]+)")
def _settings_get(br: BugreportDevice, m: re.Match) -> str:
    value = setting_value(br.service_text("settings"), m.group("ns"), m.group("key"))
    return value + "\n"


@answers(r"am get-standby-bucket " + _PACKAGE)
def _standby_bucket(br: BugreportDevice, m: re.Match) -> Answer:
    pkg = m.group("pkg")
    found = re.search(r"^\s+package=" + re.escape(pkg) + r" u=0 bucket=(\d+)", br.service_text("usagestats"), re.M)
    if found is None:
        raise not_in_bugreport(_("no App Standby state of {pkg} in `dumpsys usagestats`").format(pkg=pkg))
    return Answer(found.group(1) + "\n", "dumpsys usagestats (App Standby States)")


@answers(r"(?:dumpsys|cmd) deviceidle whitelist")
def _deviceidle_whitelist(br: BugreportDevice, m: re.Match) -> Answer:
    return Answer(deviceidle_whitelist(br), "dumpsys deviceidle + dumpsys package (app ids)")


@answers(r"logcat(?P<args>(?: \S+)*)")
def _logcat(br: BugreportDevice, m: re.Match) -> Answer:
    return logcat_answer(br, m.group("args").split())


@answers(r"pm list packages(?P<args>(?: \S+)*)")
def _pm_list(br: BugreportDevice, m: re.Match) -> Answer:
    return pm_list_answer(br, m.group("args").split())


@answers(r"cmd appops get (?P<pkg>[A-Za-z][\w.]*)(?: (?P<op>\S+))?")
def _appops_get(br: BugreportDevice, m: re.Match) -> Answer:
    return appops_get_answer(br.service_text("appops"), m.group("pkg"), m.group("op"))


@answers(r"(?:ping|ping6|nslookup|curl|wget|nc|toybox nc|ip route get)\b.*")
def _network_probe(br: BugreportDevice, m: re.Match) -> str:
    raise live_only(_("whether the device reaches the network now"))


@answers(r"date\b.*|cat /proc/uptime|uptime")
def _clock(br: BugreportDevice, m: re.Match) -> str:
    raise live_only(_("the device's clock against the laptop's"))


@answers(r"(?P<cmd>.+)")
def _same_command(br: BugreportDevice, m: re.Match) -> str:
    """Any command the bugreport ran itself (`ip -4 addr show`, `ip link`, `df`, `cat /proc/meminfo`)."""
    cmd = m.group("cmd")
    path = cmd[4:] if cmd.startswith("cat ") else None
    for s in br.index.sections:
        if s.command and (s.command == cmd or s.command == path):
            return br.read(s)
    raise not_in_bugreport(_("`{command}`").format(command=_short(cmd)))


def _short(command: str, width: int = 60) -> str:
    return command if len(command) <= width else command[:width - 1] + "…"


# == helpers the handlers use ========================================================================
def top_level_parts(full: str, titles: Sequence[str]) -> str:
    """The parts of a dump whose unindented `Title:` line is in `titles`, each up to the next such line."""
    out, keep = [], False
    for line in full.splitlines(True):
        if line[:1].strip() and line.rstrip().endswith(":"):
            keep = line.rstrip()[:-1] in titles
        if keep:
            out.append(line)
    if not out:
        raise not_in_bugreport(_("no {titles} part in `dumpsys package`").format(titles=" / ".join(titles)))
    return "".join(out)


def setting_value(dump: str, namespace: str, key: str) -> str:
    """`settings get NS KEY` from `dumpsys settings` (user 0); "null" when the table has no such row."""
    head = re.search(rf"^{namespace.upper()} SETTINGS \(user 0\)\s*$", dump, re.M)
    if head is None:
        raise not_in_bugreport(_("no {ns} settings table in `dumpsys settings`").format(ns=namespace))
    table = dump[head.end():]
    end = re.search(r"^(?:[A-Z]+ SETTINGS \(user \d+\)|Historical operations)\s*$", table, re.M)
    table = table[:end.start()] if end else table
    row = re.search(rf"^_id:\d+ name:{re.escape(key)} pkg:\S* value:(.*?)(?: default:.*)?$", table, re.M)
    return row.group(1) if row else "null"


def deviceidle_whitelist(br: BugreportDevice) -> str:
    """`dumpsys deviceidle whitelist`: `system-excidle,PKG,APPID`, `system,...`, `user,...` lines
    (DeviceIdleController); the app ids come from the package dump."""
    dump = br.read(br.service("deviceidle"))
    lists = {"system-excidle": "Whitelist (except idle) system apps", "system": "Whitelist system apps",
             "user": "Whitelist user apps"}
    app_ids = None
    out = []
    for kind, title in lists.items():
        head = re.search(rf"^  {re.escape(title)}:\s*$", dump, re.M)
        if head is None:
            continue
        for line in dump[head.end():].splitlines()[1:]:
            if not line.startswith("    "):
                break
            if app_ids is None:
                app_ids = dict(re.findall(r"^  Package \[([^\]]+)\] \([0-9a-f]+\):\n(?:.*\n)*?    (?:userId|appId)=(\d+)",
                                          br.read(br.service("package")), re.M))
            pkg = line.strip()
            if pkg not in app_ids:
                raise not_in_bugreport(_("the app id of {pkg}").format(pkg=pkg))
            out.append(f"{kind},{pkg},{app_ids[pkg]}\n")
    return "".join(out)


_PKG_BLOCK = re.compile(r"^  Package \[(?P<name>[^\]]+)\] \([0-9a-fA-F]+\):\s*$")


def package_slice(full: str, package: str) -> str:
    """`dumpsys package PKG` as the device prints it, cut out of the full `dumpsys package`: the
    package's block under `Packages:` and, for an updated system app, under `Hidden system packages:`."""
    out: dict[str, list[str]] = {}
    section, block = "", None
    for line in io.StringIO(full):
        if line[:1].strip() and line.rstrip().endswith(":") and not line.startswith(" "):
            section, block = line.rstrip("\r\n")[:-1], None
            continue
        m = _PKG_BLOCK.match(line.rstrip("\r\n"))
        if m:
            block = out.setdefault(section, []) if m.group("name") == package and section in (
                "Packages", "Hidden system packages") else None
            if block is not None:
                block.append(line)
            continue
        if block is not None:
            if line.strip() and not line.startswith("   "):  # back at the section's own indent: block over
                block = None
            else:
                block.append(line)
    if not out:
        return f"Unable to find package: {package}\n"
    parts = []
    for section in ("Packages", "Hidden system packages"):
        if section in out:
            lines = out[section]
            while lines and not lines[-1].strip():
                lines.pop()
            parts.append(f"{section}:\n" + "".join(lines) + ("" if lines[-1].endswith("\n") else "\n"))
    return "\n".join(parts)


def process_names(br: BugreportDevice) -> dict[int, str]:
    """pid -> full process name, from `PROCESS TIMES (pid cmd user system iowait+percentage)`."""
    sec = br.index.section("PROCESS TIMES")
    if sec is None:
        return {}
    names = {}
    for line in br.read(sec).splitlines():
        m = re.match(r"^(\d+)\s+(\S+(?: \S+)*?)(?:\s{2,}|$)", line)
        if m:
            names[int(m.group(1))] = m.group(2)
    return names


_TOYBOX_A_HEADER = "USER           PID  PPID     VSZ    RSS WCHAN            ADDR S NAME"


def toybox_processes(listing: str, names: dict[int, str]) -> str:
    """`ps -A` (toybox: `%-12s %5d %5d %7d %6d %-16s %4s %s name`) from a `ps -A -T ...` thread listing:
    the rows where PID == TID, each named by its full name when the listing shows it cut to 15 characters."""
    lines = listing.splitlines()
    if not lines:
        return ""
    header = lines[0].split()
    try:
        at = {c: header.index(c) for c in ("USER", "PID", "TID", "PPID", "VSZ", "RSS", "WCHAN", "ADDR", "S")}
    except ValueError:
        return listing  # not the layout we know: give it as it is
    out = [_TOYBOX_A_HEADER]
    for line in lines[1:]:
        tok = line.split()
        if len(tok) <= at["S"] + 1 or tok[at["PID"]] != tok[at["TID"]] or not tok[at["PID"]].isdigit():
            continue
        pid = int(tok[at["PID"]])
        comm = line.rstrip().rsplit(None, 1)[-1] if line.rstrip() else ""
        full = names.get(pid, "")
        name = full if full and len(comm) >= 15 and full.endswith(comm) else comm
        w = tok[at["WCHAN"]]
        addr_w = max(4 - max(len(w) - 16, 0), 1)  # toybox takes a column's overflow from the next one
        out.append(f"{tok[at['USER']]:<12} {pid:>5} {tok[at['PPID']]:>5} {tok[at['VSZ']]:>7} {tok[at['RSS']]:>6} "
                   f"{w:<16} {tok[at['ADDR']]:>{addr_w}} {tok[at['S']]} {name}")
    return "\n".join(out) + "\n"


_ACTIVITY_PART = re.compile(r"^ACTIVITY MANAGER [A-Z ]+ \(dumpsys activity (?P<sub>[\w-]+)\)", re.M)


def activity_subsection(text: str, sub: str) -> str | None:
    """One `ACTIVITY MANAGER ... (dumpsys activity SUB)` part of the activity dump, header line included."""
    heads = list(_ACTIVITY_PART.finditer(text))
    for i, h in enumerate(heads):
        if h.group("sub") == sub:
            end = heads[i + 1].start() if i + 1 < len(heads) else len(text)
            part = text[h.start():end]
            return re.sub(r"\n-{70,}\n*$", "\n", part.rstrip("\n") + "\n")
    return None


def services_of(services_part: str, package: str) -> str:
    """`dumpsys activity services PKG`: only the ServiceRecords of that package (`(nothing)` when none)."""
    lines = services_part.splitlines(True)
    out = lines[:1]
    keep = False
    user_line = None
    for ln in lines[1:]:
        if re.match(r"^  User \d+ active services:", ln):
            user_line, keep = ln, False
            continue
        if ln.startswith("  * ServiceRecord{"):
            keep = f" {package}/" in ln
            if keep and user_line is not None:
                out.append(user_line)
                user_line = None
        elif ln.strip() and not ln.startswith("    ") and not ln.startswith("  * "):
            keep = False
        if keep:
            out.append(ln)
    if len(out) == 1:
        out.append("  (nothing)\n")
    return "".join(out)


_LOG_SECTIONS = {"main": "SYSTEM LOG", "system": "SYSTEM LOG", "crash": "SYSTEM LOG", "default": "SYSTEM LOG",
                 "events": "EVENT LOG", "radio": "RADIO LOG", "kernel": "KERNEL LOG"}
_UID_COLUMN = re.compile(r"^(\d\d-\d\d \d\d:\d\d:\d\d\.\d+) +\S+ +(\d+) +(\d+) (.*)$", re.S)
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
            if not n.isdigit():
                raise not_in_bugreport(_("logcat {opt} {value}: only a line count can be answered")
                                       .format(opt=a, value=n))
            tail = int(n)
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
    texts, sources = [], []
    for t in titles:
        s = br.index.section(t)
        if s is None:
            raise not_in_bugreport(_("no {title} section").format(title=t))
        text = br.read(s)
        if "-v uid" in s.command:  # dumpstate adds a uid column; `logcat -v threadtime` has none
            text = "".join(_drop_uid(ln) for ln in text.splitlines(True))
        texts.append(text)
        sources.append(s.command)
    lines = _by_time(texts) if len(texts) > 1 else texts[0].splitlines(True)
    if specs or silent:
        lines = _filter_tags(lines, specs, silent)
    if tail is not None:
        lines = lines[-tail:] if tail else []
    return Answer("".join(lines), " + ".join(sources))


def _by_time(texts: list[str]) -> list[str]:
    """Lines of several buffers merged by time, as logcat prints them (continuation lines stay put)."""
    keyed, n = [], 0
    for text in texts:
        key = ""
        for line in text.splitlines(True):
            if re.match(r"^\d\d-\d\d \d\d:\d\d:\d\d\.\d+ ", line):
                key = line[:18]
            keyed.append((key, n, line))
            n += 1
    return [line for _k, _n, line in sorted(keyed)]


def _drop_uid(line: str) -> str:
    m = _UID_COLUMN.match(line)
    if not m:
        return line
    return f"{m.group(1)} {int(m.group(2)):5d} {int(m.group(3)):5d} {m.group(4)}"


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


def pm_list_answer(br: BugreportDevice, args: list[str]) -> Answer:
    """`pm list packages [-s|-3] [-d|-e] [-U] [--show-versioncode] [FILTER]` from `dumpsys package`."""
    from devdoctor.parsers.dumpsys_package import parse_dumpsys_package

    known = {"-s", "-3", "-d", "-e", "-U", "--show-versioncode", "-u", "--user"}
    flags = [a for a in args if a.startswith("-")]
    words = [a for a in args if not a.startswith("-")]
    bad = [a for a in flags if a not in known]
    if bad:
        raise not_in_bugreport(_("pm list packages {flags} (the APK paths and installers are not in it)")
                               .format(flags=" ".join(bad)))
    if "--user" in flags:
        words = words[1:]
    flt = words[0] if words else ""
    section = br.service("package")
    if not section.complete:
        raise cut_off_inside(section, _("the list of packages would be incomplete"))
    dump = parse_dumpsys_package(br.read(section))
    out = []
    for rec in dump.packages:
        if rec.section != "Packages" or flt not in rec.package:
            continue
        if "-s" in flags and not rec.is_system or "-3" in flags and rec.is_system:
            continue
        if "-d" in flags and not rec.disabled or "-e" in flags and rec.disabled:
            continue
        line = f"package:{rec.package}"
        if "--show-versioncode" in flags:
            line += f" versionCode:{rec.versionCode if rec.versionCode is not None else 0}"
        if "-U" in flags:
            uid = next((v for ln in rec.lines for k, v in re.findall(r"\b(userId|appId)=(\d+)", ln)), None)
            line += f" uid:{uid or ''}"
        out.append(line + "\n")
    return Answer("".join(out), "")


_MODES = {"0": "allow", "1": "ignore", "2": "deny", "3": "default", "4": "foreground"}


def appops_get_answer(dump: str, package: str, op: str | None) -> Answer:
    """`cmd appops get PKG [OP]`: the package's ops (`OP: mode` lines) from the full `dumpsys appops`.

    Times are left out: dumpsys prints them in another form on 10+. Ops never set or used are
    absent from both outputs alike."""
    lines, inside = [], False
    for ln in dump.splitlines():
        m = re.match(r"^(\s*)Package (\S+):\s*$", ln)
        if m:
            inside = m.group(2) == package
            indent = len(m.group(1))
            continue
        if not inside:
            continue
        if ln.strip() and len(ln) - len(ln.lstrip()) <= indent:
            inside = False
            continue
        s = ln.strip()
        m7 = re.match(r"^([A-Z_0-9]+): mode=(\d+)(.*)$", s)  # 7-9: `RUN_IN_BACKGROUND: mode=1; time=...`
        m10 = re.match(r"^([A-Z_0-9]+) \((\w+)(?: / switch \w+=\w+)?\):?\s*$", s)  # 10+: `CAMERA (allow):`
        if m7:
            name, mode = m7.group(1), _MODES.get(m7.group(2), m7.group(2))
        elif m10:
            name, mode = m10.group(1), m10.group(2)
        else:
            continue
        if op is None or name == op:
            lines.append(f"{name}: {mode}\n")
    if not lines:
        return Answer("No operations.\n", "dumpsys appops")
    return Answer("".join(dict.fromkeys(lines)), f"dumpsys appops (package {package})")
