"""Parts of a bugreport's sections as a device would print them for one question: a package's block cut
out of the whole package dump, one settings row, the doze whitelist, the processes by their full names,
one part of the activity dump, the installed packages, a package's app-ops."""
from __future__ import annotations

import bisect
import re
from typing import TYPE_CHECKING, Sequence

from devdoctor.sources.bugreport_answers import Answer, cut_off_inside, not_in_bugreport
from devdoctor.ui.i18n import _
from devdoctor.parsers.numbers import to_int

if TYPE_CHECKING:
    from devdoctor.sources.bugreport import BugreportDevice


# `dumpsys package WHAT` -> the top-level parts of the full dump that answer it
PACKAGE_PARTS = {"providers": ("Registered ContentProviders", "ContentProvider Authorities"),
                 "queries": ("Queries",), "permissions": ("Permissions",), "perm": ("Permissions",),
                 "libraries": ("Libraries",), "features": ("Features",), "shared-users": ("Shared users",)}


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


def deviceidle_entries(br: BugreportDevice) -> list[tuple[str, str, str]]:
    """(kind, package, app id) of every battery-optimisation whitelist entry: `dumpsys deviceidle`'s lists
    (DeviceIdleController) with the app ids from the package dump."""
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
                app_ids = _app_ids(br)
            pkg = line.strip()
            if pkg not in app_ids:
                raise not_in_bugreport(_("the app id of {pkg}").format(pkg=pkg))
            out.append((kind, pkg, app_ids[pkg]))
    return out


def deviceidle_whitelist(br: BugreportDevice) -> str:
    """`dumpsys deviceidle whitelist` as the device prints it: `KIND,PACKAGE,APPID` lines."""
    return "".join(f"{kind},{pkg},{app_id}\n" for kind, pkg, app_id in deviceidle_entries(br))


def apk_paths(rec, package: str) -> list[str] | None:
    """What `pm path PKG` lists, from the package's record in the dump (None: no such package): the base
    APK and its splits in codePath. A system app's APK is named after its folder, mostly: not guessed."""
    if rec is None:
        return None
    path = rec.codePath or ""
    if path.endswith(".apk"):
        return [path]
    if not path.startswith("/data/"):
        raise not_in_bugreport(_("the APK file name of {pkg} in {path}").format(pkg=package, path=path))
    splits = next((ln.split("=", 1)[1].strip("[] \n").split(", ") for ln in rec.lines
                   if ln.strip().startswith("splits=")), ["base"])
    return [f"{path}/{'base' if s == 'base' else 'split_' + s}.apk" for s in splits]


def standby_bucket_of(br: BugreportDevice, package: str) -> tuple[int | None, str]:
    """The package's App Standby bucket for user 0 (`dumpsys usagestats`), with the line that says it."""
    found = re.search(r"^[ \t]+package=" + re.escape(package) + r" u=0 bucket=(\d{1,3})\b.*$",
                      br.service_text("usagestats"), re.M)
    if found is None:
        raise not_in_bugreport(_("no App Standby state of {pkg} in `dumpsys usagestats`").format(pkg=package))
    return to_int(found.group(1)), found.group(0).strip()


def full_package_dump(br: BugreportDevice):
    """The package manager's whole dump, parsed once per bugreport (devdoctor.parsers.dumpsys_package)."""
    from devdoctor.parsers.dumpsys_package import parse_dumpsys_package

    section = br.service("package")
    return br.parsed("package", lambda: parse_dumpsys_package(br.read(section)))


def _app_ids(br: BugreportDevice) -> dict[str, str]:
    """package -> its app id, from the package dump (each block read once: linear in the dump)."""
    ids = {}
    for rec in full_package_dump(br).packages:
        found = next((v for ln in rec.lines for _k, v in re.findall(r"\b(userId|appId)=(\d+)", ln)), None)
        if found is not None and rec.section == "Packages":
            ids.setdefault(rec.package, found)
    return ids


# Each regex starts with a newline (the text gets one in front): the engine then skips ahead to the next
# newline in C, where `^` with re.M is tried at every character (20 times slower on a 2 MB dump).
_TOP_LINE = re.compile(r"\n(\S[^\n]*)")  # a line that starts at the left edge, without its newline


def package_slice(full: str, package: str) -> str:
    """`dumpsys package PKG` as the device prints it, cut out of the full `dumpsys package`: the
    package's block under `Packages:` and, for an updated system app, under `Hidden system packages:`.
    The package's block headers and the sections' headers are found by regex (the dump has tens of
    thousands of lines); only the package's own lines are looked at one by one."""
    lined = "\n" + full  # offsets in it are one more than in full
    headers = [m.start() for m in re.finditer(
        r"\n  Package \[" + re.escape(package) + r"\] \([0-9a-fA-F]+\):[^\S\n]*(?![^\n])", lined)]
    out: dict[str, list[str]] = {}
    if headers:
        sections = [(m.start(), m.group(1).rstrip("\r")[:-1]) for m in _TOP_LINE.finditer(lined)
                    if m.group(1).rstrip().endswith(":")]
        starts = [at for at, _name in sections]
    for at in headers:
        k = bisect.bisect_right(starts, at) - 1
        section = sections[k][1] if k >= 0 else ""
        if section not in ("Packages", "Hidden system packages"):
            continue
        block = out.setdefault(section, [])
        pos = at
        while pos < len(full):  # the header, then its lines
            end = full.find("\n", pos) + 1 or len(full)
            line = full[pos:end]
            if pos > at and line.strip() and not line.startswith("   "):  # back at the section's indent: over
                break
            block.append(line)
            pos = end
    return printed_slice(out, package)


def printed_slice(blocks: dict[str, list[str]], package: str) -> str:
    """A package's blocks (section -> their lines) as `dumpsys package PKG` prints them."""
    if not blocks:
        return f"Unable to find package: {package}\n"
    parts = []
    for section in ("Packages", "Hidden system packages"):
        if section in blocks:
            lines = blocks[section]
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


def pm_list_answer(br: BugreportDevice, args: list[str]) -> Answer:
    """`pm list packages [-s|-3] [-d|-e] [-U] [--show-versioncode] [FILTER]` from `dumpsys package`."""
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
    dump = full_package_dump(br)
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
