"""Readings answered straight from a bugreport's sections (devdoctor.readings): the section's own text is
parsed, and the value is built from what the section holds, with no command output printed in between.

Every reading the built-in checks make has a reader here, but for those a bugreport holds as the command's
own output (`ip -4 addr show`) or cannot hold at all (a ping, the clock, the USB video devices now). Those,
and a third party's readings, are answered through their command by devdoctor.sources.bugreport_routes:
the section that holds that command's output, or what says why it is not there.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from devdoctor.sources.bugreport_answers import cut_off_inside, not_in_bugreport
from devdoctor.parsers.numbers import to_int
from devdoctor.sources.bugreport_logs import logcat_answer
from devdoctor.sources.bugreport_sections import (PACKAGE_PARTS, activity_subsection, apk_paths, deviceidle_entries,
                                                  full_package_dump, package_slice, process_names, services_of,
                                                  standby_bucket_of, top_level_parts)
from devdoctor.ui.i18n import _
from devdoctor.readings import Read
from devdoctor.readings import catalog as rc

if TYPE_CHECKING:
    from devdoctor.sources.bugreport import BugreportDevice

Reader = Callable[["BugreportDevice", tuple], Read[Any]]
READERS: dict[str, Reader] = {}


def reads(reading) -> Callable[[Reader], Reader]:
    def register(fn: Reader) -> Reader:
        READERS[reading.name] = fn
        return fn
    return register


def _lines(text: str) -> list[str]:
    return text.splitlines()


@reads(rc.PROPS)
def _props(br: BugreportDevice, args: tuple) -> Read[Any]:
    text = br.read(br.section("SYSTEM PROPERTIES"))
    return Read(rc.PROPS.parse(text), "getprop (SYSTEM PROPERTIES)", _lines(text))


@reads(rc.PACKAGE)
def _package(br: BugreportDevice, args: tuple) -> Read[Any]:
    """`dumpsys package PKG`, cut out of the full dump once a bugreport (`pm path PKG` reads it too)."""
    (package,) = args
    section = br.service("package")
    text = br.parsed(f"package-slice:{package}", lambda: package_slice(br.read(section), package))
    if not section.complete and text.startswith("Unable to find package"):
        raise cut_off_inside(section, _("{pkg} is not in the part that is there").format(pkg=package))
    value = br.parsed(f"package-dump:{package}", lambda: rc.PACKAGE.parse(text))
    return Read(value, f"dumpsys package {package} (DUMP OF SERVICE package)", _lines(text))


@reads(rc.PACKAGES)
def _packages(br: BugreportDevice, args: tuple) -> Read[Any]:
    return _package_list(br, disabled_only=False)


@reads(rc.DISABLED_PACKAGES)
def _disabled_packages(br: BugreportDevice, args: tuple) -> Read[Any]:
    return _package_list(br, disabled_only=True)


def _package_list(br: BugreportDevice, disabled_only: bool) -> Read[Any]:
    """The installed packages (`pm list packages [-d]`) as the package manager's own dump lists them."""
    from devdoctor.parsers.pm_list import PackageList, PmPackage

    section = br.service("package")
    if not section.complete:
        raise cut_off_inside(section, _("the list of packages would be incomplete"))
    dump = full_package_dump(br)
    listing = PackageList()
    lines = []
    for rec in dump.packages:
        if rec.section == "Packages" and (rec.disabled or not disabled_only):
            listing.packages[rec.package] = PmPackage(rec.package, rec.codePath, rec.versionCode)
            lines.append(rec.lines[0] if rec.lines else f"Package [{rec.package}]")
    return Read(listing, "dumpsys package (DUMP OF SERVICE package)", lines)


@reads(rc.PROCESSES)
def _processes(br: BugreportDevice, args: tuple) -> Read[Any]:
    """The processes: dumpstate's listing, where 8.0+ lists threads (a process is its PID == TID row, named
    by its 15-character comm, given its full name from PROCESS TIMES)."""
    import re

    found = [s for s in br.index.sections if re.match(r"ps\b", s.command)]
    if not found:
        raise not_in_bugreport(_("no PROCESSES section"))
    text = br.read(found[0])
    listing = rc.PROCESSES.parse(text)
    if "-T" in found[0].command.split():
        names = process_names(br)
        for proc in listing.processes:
            full = names.get(proc.pid, "")
            if full and len(proc.name) >= 15 and full.endswith(proc.name):
                proc.name = full
    return Read(listing, f"{found[0].command} (PROCESSES AND THREADS)", _lines(text))


@reads(rc.SERVICES)
def _services(br: BugreportDevice, args: tuple) -> Read[Any]:
    (package,) = args
    text = services_of(_activity_part(br, "services"), package)
    return Read(rc.SERVICES.parse(text), f"dumpsys activity services {package} (DUMP OF SERVICE activity)",
                _lines(text))


@reads(rc.ACTIVITY_PROCESSES)
def _activity_processes(br: BugreportDevice, args: tuple) -> Read[Any]:
    text = _activity_part(br, "processes")
    return Read(rc.ACTIVITY_PROCESSES.parse(text), "dumpsys activity processes (DUMP OF SERVICE activity)",
                _lines(text))


def _activity_part(br: BugreportDevice, sub: str) -> str:
    """One part of the activity manager's dump (`dumpsys activity SUB`), or why the bugreport lacks it."""
    text = activity_subsection(br.service_text("activity"), sub)
    if text is None:
        raise not_in_bugreport(_("no `dumpsys activity {sub}` part in its activity dump").format(sub=sub))
    return text


def _service(br: BugreportDevice, reading, name: str) -> Read[Any]:
    """A reading whose command is `dumpsys NAME`: the service's own dump, as dumpstate printed it."""
    text = br.service_text(name)
    return Read(reading.parse(text), f"dumpsys {name} (DUMP OF SERVICE {name})", _lines(text))


reads(rc.CONNECTIVITY)(lambda br, args: _service(br, rc.CONNECTIVITY, "connectivity"))
reads(rc.CAMERAS)(lambda br, args: _service(br, rc.CAMERAS, "media.camera"))


def _package_part(br: BugreportDevice, reading, what: str) -> Read[Any]:
    """`dumpsys package providers|queries`: those top-level parts of the package manager's full dump."""
    text = top_level_parts(br.read(br.service("package")), PACKAGE_PARTS[what])
    return Read(reading.parse(text), f"dumpsys package {what} (DUMP OF SERVICE package)", _lines(text))


reads(rc.PROVIDERS)(lambda br, args: _package_part(br, rc.PROVIDERS, "providers"))
reads(rc.QUERIES)(lambda br, args: _package_part(br, rc.QUERIES, "queries"))


@reads(rc.LOG)
def _log(br: BugreportDevice, args: tuple) -> Read[Any]:
    """The log as `logcat -d -v threadtime -t N` would show it: the log sections' last N entries by time."""
    answer = logcat_answer(br, rc.LOG.command_for(None).split()[1:])
    return Read(rc.LOG.parse(answer.stdout), f"{answer.source or 'logcat'} (SYSTEM LOG)", _lines(answer.stdout))


@reads(rc.APPOPS)
def _appops(br: BugreportDevice, args: tuple) -> Read[Any]:
    """One package's app-ops from the full `dumpsys appops` (what `cmd appops get PKG` lists: the ops set or
    used; an op never set is absent from both)."""
    from devdoctor.parsers.appops import AppOps, parse_dumpsys_appops

    (package,) = args
    dump = parse_dumpsys_appops(br.service_text("appops"))
    ops, seen = [], set()
    for entry in dump.find(package):  # the package may be listed under several uids: each op once, first kept
        for op in entry.ops:
            if op.op not in seen:
                seen.add(op.op)
                ops.append(op)
    value = AppOps(ops=ops, no_operations=not ops, problems=list(dump.problems))
    return Read(value, f"dumpsys appops (package {package})", [o.line for o in ops] or ["No operations."])


@reads(rc.DOZE_WHITELIST)
def _doze_whitelist(br: BugreportDevice, args: tuple) -> Read[Any]:
    """The battery-optimisation whitelist, from `dumpsys deviceidle`'s lists and the package dump's app ids."""
    from devdoctor.parsers.deviceidle import DeviceIdle, WhitelistEntry

    rows = deviceidle_entries(br)
    lines = [f"{kind},{pkg},{app_id}" for kind, pkg, app_id in rows]
    value = DeviceIdle(entries=[WhitelistEntry(kind, pkg, to_int(app_id), line)
                                for (kind, pkg, app_id), line in zip(rows, lines)])
    return Read(value, "dumpsys deviceidle + dumpsys package (app ids)", lines)


@reads(rc.STANDBY_BUCKET)
def _standby_bucket(br: BugreportDevice, args: tuple) -> Read[Any]:
    from devdoctor.parsers.standby import StandbyBucket

    (package,) = args
    bucket, line = standby_bucket_of(br, package)
    return Read(StandbyBucket(bucket, line=line), "dumpsys usagestats (App Standby States)", [line])


@reads(rc.PIDS)
def _pids(br: BugreportDevice, args: tuple) -> Read[Any]:
    """`pidof NAME` from PROCESS TIMES' full process names, newest first as pidof lists them."""
    from devdoctor.parsers.ps import Pidof

    (name,) = args
    names = process_names(br)
    if not names:
        raise not_in_bugreport(_("no PROCESS TIMES section"))
    pids = [pid for pid, full in sorted(names.items(), reverse=True) if full == name]
    return Read(Pidof(pids), "pidof (from PROCESS TIMES)", [" ".join(map(str, pids))] if pids else [])


@reads(rc.APK_PATH)
def _apk_path(br: BugreportDevice, args: tuple) -> Read[Any]:
    from devdoctor.parsers.pm_list import PmPath

    (package,) = args
    rec = _package(br, (package,)).value.find(package)
    paths = apk_paths(rec, package)
    return Read(PmPath(paths or []), f"pm path {package} (codePath in DUMP OF SERVICE package)",
                rec.evidence_lines()[:3] if rec else [])


def read_reading(br: BugreportDevice, reading, args: tuple) -> Read[Any] | None:
    """The reading from the bugreport's sections, or None when no reader here answers it."""
    reader = READERS.get(reading.name)
    return reader(br, args) if reader is not None else None
