"""The exit codes of `run`, `record` and `watch`, and the rule that turns a diagnosis into one.

A script runs `devdoctor run && ship_it`: only a device on which every check gave a verdict and none
failed may exit 0. In a fleet the code is the worst that happened on any device, in this order:
a failed check (1) > something not checked (4: a check unknown, a device unreachable or lost) > 0;
3 only when no device at all answered.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from devdoctor.report.model import DeviceReport

OK = 0  # every check gave a verdict and none failed (warnings allowed)
FAILED = 1  # at least one check failed on a device that was reached
USAGE = 2  # bad arguments or configuration, or an input file that cannot be read
NO_DEVICE = 3  # no device could be reached at all
INCOMPLETE = 4  # nothing failed, but some check could not tell, or some device could not be reached
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
    if len(reached) < len(reports) or any(r.error or r.counts()["unknown"] for r in reached):
        return INCOMPLETE
    return OK
