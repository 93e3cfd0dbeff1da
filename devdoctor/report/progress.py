"""Live progress on a terminal while devices are diagnosed: a count of checks (one device) or of devices
(a fleet) on stderr; nothing at all when stderr is not a terminal."""
from __future__ import annotations

from devdoctor.core import diagnose as dg
from devdoctor.ui.i18n import _
from devdoctor.report.console import progress_console
from devdoctor.report.model import DeviceReport


def diagnose_one(target: dg.Target, checks, settings, timeout, deadline, facts=None) -> DeviceReport:
    console = progress_console()
    if console is None:
        return dg.diagnose(target, checks, settings, timeout, deadline, facts=facts)
    done = []
    with console.status(_("Diagnosing {serial}…").format(serial=target.device.serial)) as status:
        def progress(result):
            done.append(result)
            status.update(_("Diagnosing {serial}… {done}/{total} checks").format(
                serial=target.device.serial, done=len(done), total=len(checks)))
        return dg.diagnose(target, checks, settings, timeout, deadline, on_result=progress, facts=facts)


def diagnose_all(targets: list[dg.Target], checks, settings, timeout, deadline,
                 facts: list | None = None) -> list[DeviceReport]:
    """Every device at once, with a live count of finished devices on a terminal. `facts`: each target's,
    its reads already sent (devdoctor.core.early_run)."""
    if len(targets) == 1:
        return [diagnose_one(targets[0], checks, settings, timeout, deadline, facts[0] if facts else None)]
    console = progress_console()
    if console is None:
        return dg.diagnose_all(targets, checks, settings, timeout, deadline, facts=facts)
    done = []
    with console.status(_("Diagnosing {n} devices…").format(n=len(targets))) as status:
        def progress(report):
            done.append(report)
            status.update(_("Diagnosing {n} devices… {done}/{n} done").format(n=len(targets), done=len(done)))
        return dg.diagnose_all(targets, checks, settings, timeout, deadline, on_report=progress, facts=facts)
