"""Putting a diagnosis together: which checks, which devices, and the exit code of the whole."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from devdoctor.core import exit_codes
from devdoctor.check import Check, Settings
from devdoctor.sources.device import Device, DeviceError
from devdoctor.core.facts import Facts
from devdoctor.ui.i18n import _
from devdoctor.core.plugins import Catalog
from devdoctor.result import CheckResult
from devdoctor.report.model import DeviceReport, Identity
from devdoctor.core.runner import run_checks, start_reads_of_all



class UsageError(Exception):
    """Bad arguments: exit 2 with this message."""


@dataclass
class Target:
    """One thing to diagnose: a device stand-in and what we know of it before asking."""

    device: Device
    header: dict[str, Any] = field(default_factory=dict)
    source_name: str = ""


def select_checks(catalog: Catalog, only: list[str], skip: list[str]) -> list[Check]:
    known = set(catalog.ids())
    for cid in [*only, *skip]:
        if cid not in known:
            raise UsageError(_("no check with id {id!r}; known checks: {ids}").format(
                id=cid, ids=", ".join(sorted(known))))
    chosen = [c for c in catalog.checks if (not only or c.id in only) and c.id not in skip]
    if catalog.checks and not chosen:  # a run of no check would call the device healthy
        raise UsageError(_("no check is left to run: --only, --skip and the skip list of devdoctor.toml leave "
                           "none of the {n} checks").format(n=len(catalog.checks)))
    return sorted(chosen, key=lambda c: (c.order, c.id))


def chosen_checks(catalog: Catalog, only: list[str], skip: list[str], site_skip: list[str]) -> list[Check]:
    """--only and --skip over the site configuration's skip list (its ids no check has are left out, and
    --only wins over it); UsageError for an id of --only or --skip that no check has."""
    known = set(catalog.ids())
    return select_checks(catalog, only, [*skip, *(c for c in site_skip if c in known and c not in only)])


def replay_target(path: Path) -> Target:
    from devdoctor.sources.replay import Replayer  # here: a live run never needs it before its first read

    r = Replayer.from_file(path)
    return Target(r, dict(r.fixture.device), path.name)


def bugreport_target(path: Path) -> Target:
    """A bugreport (.zip or text) as a target; raises devdoctor.sources.bugreport.BugreportError when unreadable."""
    from devdoctor.sources.bugreport import open_bugreport, target_header

    device = open_bugreport(path)
    return Target(device, target_header(device), Path(path).name)


def unreachable_report(serial: str, error: DeviceError, model: str = "") -> DeviceReport:
    """A device (or an adb server of --adb-server) that could not be diagnosed at all: its error once, and
    no check results."""
    kind = getattr(error, "report_kind", None) or (
        error.kind if error.kind in ("unauthorized", "offline") else "unreachable")
    return DeviceReport(Identity(serial=serial, model=model), error=str(error), error_kind=kind)


def diagnose(target: Target, checks: list[Check], settings: Settings, timeout: float,
             deadline: float | None = None,
             on_result: Callable[[CheckResult], None] | None = None, facts: Facts | None = None) -> DeviceReport:
    report = run_checks(target.device, checks, settings, timeout=timeout, deadline=deadline, facts=facts,
                        header=target.header, on_result=on_result)
    report.identity.source_name = target.source_name
    return report


def diagnose_all(targets: list[Target], checks: list[Check], settings: Settings, timeout: float,
                 deadline: float | None = None,
                 on_report: Callable[[DeviceReport], None] | None = None,
                 facts: list[Facts] | None = None) -> list[DeviceReport]:
    """Every target at once (each device's checks in parallel with the others'), reports in the order
    of the targets. `on_report` hears of each device as it finishes; `facts`: each target's, when its
    reads were sent already (devdoctor.core.early_run)."""
    def one(t: Target, facts: Facts) -> DeviceReport:
        report = diagnose(t, checks, settings, timeout, deadline, facts=facts)
        if on_report:
            on_report(report)
        return report

    if not targets:
        return []
    # Every device's reads on their way first: starting them costs little, while running 48 devices'
    # checks at once keeps the interpreter busy, and a device whose reads waited for that would finish last.
    facts = facts or [Facts(t.device) for t in targets]
    start_reads_of_all(facts, checks)  # nothing sent twice
    with ThreadPoolExecutor(max_workers=min(64, len(targets))) as pool:
        return list(pool.map(one, targets, facts))


def exit_code(reports: list[DeviceReport]) -> int:
    return exit_codes.of_reports(reports)
