"""The exit codes of `run`, `record` and `watch`, and the rule that turns a diagnosis into one.

A script runs `devdoctor run && ship_it`: only a device that was diagnosed to the end, and on which no
check failed, may exit 0. Not diagnosed to the end (4): devdoctor's own time limits (--timeout,
--deadline, a check's limit) stopped a check, a check crashed, a recording (replayed or simulated)
lacked an answer a check needed, the device was lost during the run, or it answered nothing at all.
A check that tells `unknown` from what the device did answer (a ROM that hides its autostart switch,
logging switched off, a command the device itself left hanging) is a finding about the device, shown
with its remedy, and does not change the code. In a fleet the code is
the worst that happened on any device: 1 > 4 > 0; 3 only when no device at all answered. A check
plugin that could not be loaded makes a run that did not name its checks (--only) incomplete too: the
checks it holds never ran.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from devdoctor.report.model import DeviceReport

OK = 0  # every check gave a verdict and none failed (warnings allowed)
FAILED = 1  # at least one check failed on a device that was reached
USAGE = 2  # bad arguments or configuration, or an input file that cannot be read
NO_DEVICE = 3  # no device could be reached at all
INCOMPLETE = 4  # nothing failed, but a device was not diagnosed to the end, or could not be reached
INTERNAL = 70  # devdoctor itself went wrong (EX_SOFTWARE): a bug to report, never a verdict

# a device that never answered (as opposed to one lost during the run, which was diagnosed in part)
NEVER_REACHED = ("unauthorized", "offline", "unreachable", "no_device", "adb_unreachable", "adb-server")


def of_reports(reports: list[DeviceReport]) -> int:
    """The exit code of a diagnosis of these devices (see the module's docstring)."""
    reached = [r for r in reports if not (r.error and r.error_kind in NEVER_REACHED)]
    if not reached:
        return NO_DEVICE
    if any(r.failed for r in reached):
        return FAILED
    if len(reached) < len(reports) or not all(r.complete for r in reached):
        return INCOMPLETE
    return OK


def with_plugins(code: int, plugins_missing: bool) -> int:
    """The code of a run whose check plugins did not all load (`plugins_missing`, when the run wanted every
    check): never 0, as the checks of the plugins that failed never ran."""
    return INCOMPLETE if code == OK and plugins_missing else code
