"""The command table of the bugreport device: which command is answered from which part of a bugreport.

Each entry is `@answers(r"regex")` over the normalised command line (`/system/bin/` and dumpsys' `-t N`
dropped; a trailing `| grep`, `| head`, `| tail` is applied by the device) and a function that returns
the output, in the format that command prints on that Android version, or raises NotAnswerable. The
first full match wins, so specific entries come before general ones. To answer a new command, add one.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Sequence

from devdoctor.device import NotAnswerable
from devdoctor.i18n import _
from devdoctor.parsers.bugreport import Section
from devdoctor.numbers import to_int

if TYPE_CHECKING:
    from devdoctor.bugreport import BugreportDevice

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




def short_command(command: str, width: int = 60) -> str:
    return command if len(command) <= width else command[:width - 1] + "…"


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
    raise not_in_bugreport(_("`{command}`").format(command=short_command(cmd)))



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
        m = re.match(r"^(\d{1,10})\s+(\S+(?: \S+)*?)(?:\s{2,}|$)", line)
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
        pid = to_int(tok[at["PID"]]) if len(tok) > at["S"] + 1 else None
        if pid is None or tok[at["PID"]] != tok[at["TID"]]:
            continue
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
    if not m:
        return line
    pid, tid = to_int(m.group(2)), to_int(m.group(3))
    if pid is None or tid is None:
        return line
    return f"{m.group(1)} {pid:5d} {tid:5d} {m.group(4)}"


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
