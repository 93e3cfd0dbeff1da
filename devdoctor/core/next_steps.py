"""What to try next when a check could not tell: every `unknown` gets a remedy, like every `fail`.

The cause is what stopped the check (a time limit, the device gone, a recording or bugreport without
the answer, a crash of the check itself); the source is where the answers came from (adb, replay,
bugreport), since "try again" means something else for a file than for a device on the bench.
"""
from __future__ import annotations

from devdoctor.ui.i18n import _
from devdoctor.result import Remedy

RECORD = "devdoctor record session.json"


def remedy(cause: str, source: str) -> Remedy:
    """A remedy for an `unknown` whose check met `cause` on a device of kind `source`."""
    if cause == "deadline":
        return Remedy(_("The whole run's --deadline ran out before this check finished. Run again with a longer "
                        "--deadline, or without it."))
    if cause == "crashed":
        return Remedy(_("This is a bug in the check, not a problem of the device. Record the session and send "
                        "the file with this report to devdoctor's maintainers:"), [RECORD])
    if source == "bugreport":
        return Remedy(_("A bugreport cannot answer this. Run devdoctor on the device itself (USB cable, "
                        "`devdoctor run`) to check it."))
    if cause == "not_recorded" and source == "adb":  # `devdoctor simulate` serving a recording
        return Remedy(_("The recording behind this simulated device lacks what this check asks. Record the real "
                        "device again with this devdoctor version:"), [RECORD])
    if source == "replay":
        if cause in ("timeout", "limit"):
            return Remedy(_("The recording holds a command that took too long when it was made. Replay with a "
                            "longer --timeout, or record the device again."))
        return Remedy(_("The recording lacks what this check needs (it was made by another devdoctor version, "
                        "or cut short). Record the device again with this version:"), [RECORD])
    if cause in ("timeout", "limit"):
        return Remedy(_("The device did not answer in time. Run again with a longer limit (e.g. --timeout 30); "
                        "if it stays silent, unplug and replug the cable, or restart the device."))
    if cause == "disconnected":
        return Remedy(_("The device went away during the run. Check the cable (a data cable, not a charging "
                        "one) and that the device did not reboot, then run again."))
    if cause in ("unauthorized", "offline", "adb_unreachable"):
        return Remedy(_("Unlock the device's screen and accept the \"Allow USB debugging?\" prompt, replug the "
                        "cable, then run again."))
    return Remedy(_("Run again with -v to see what the device answered; if it stays unknown, record the session "
                    "and send the file to support:"), [RECORD])
