"""Readings answered straight from a bugreport's sections (devdoctor.readings): the section's own text is
parsed, and the value is built from what the section holds, with no command output printed in between.

A reading without a reader here is answered the older way, by devdoctor.sources.bugreport_routes turning its
command into the text the device would have printed; each reader added here shortens that road.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from devdoctor.sources.bugreport_answers import cut_off_inside, not_in_bugreport
from devdoctor.sources.bugreport_sections import activity_subsection, package_slice, process_names, services_of
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
    (package,) = args
    section = br.service("package")
    text = package_slice(br.read(section), package)
    if not section.complete and text.startswith("Unable to find package"):
        raise cut_off_inside(section, _("{pkg} is not in the part that is there").format(pkg=package))
    return Read(rc.PACKAGE.parse(text), f"dumpsys package {package} (DUMP OF SERVICE package)", _lines(text))


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
    dump = rc.PACKAGE.parse(br.read(section))
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
    part = activity_subsection(br.service_text("activity"), "services")
    if part is None:
        raise not_in_bugreport(_("no `dumpsys activity {sub}` part in its activity dump").format(sub="services"))
    text = services_of(part, package)
    return Read(rc.SERVICES.parse(text), f"dumpsys activity services {package} (DUMP OF SERVICE activity)",
                _lines(text))


def read_reading(br: BugreportDevice, reading, args: tuple) -> Read[Any] | None:
    """The reading from the bugreport's sections, or None when no reader here answers it."""
    reader = READERS.get(reading.name)
    return reader(br, args) if reader is not None else None
