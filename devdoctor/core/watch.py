"""`devdoctor watch`: wait for devices, diagnose each one as soon as it is online and authorized, wait
for the next. The logic only reacts to lists of attached devices, so a test feeds it lists (no adb,
no clock); the command feeds it adb's device tracking."""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable, Iterable, Optional

from devdoctor.core import exit_codes
from devdoctor.ui.i18n import _, ngettext
from devdoctor.report.model import DeviceReport


@dataclass
class Seen:
    """One device met during the watch."""

    serial: str
    model: str = ""
    diagnoses: int = 0
    last_status: str = ""  # failed / problems / ok / unreachable, of the last diagnosis
    last_summary: str = ""
    last_complete: bool = True  # the last diagnosis went to the end (no check stopped by devdoctor, not lost)


class Watcher:
    """Reacts to changes in the attached devices: diagnose on `device`, advise on `unauthorized` and
    `offline`, forget on unplug (so the next plug-in is diagnosed again)."""

    def __init__(self, diagnose: Callable[[str], DeviceReport], show: Callable[[DeviceReport], None],
                 say: Callable[[str], None], bell: Callable[[], None]):
        self.diagnose = diagnose
        self.show = show
        self.say = say
        self.bell = bell
        self.states: dict[str, str] = {}
        self.seen: dict[str, Seen] = {}
        self.diagnosed = 0
        self.count: int | None = None  # stop after this many diagnoses (watch --count)

    @property
    def done(self) -> bool:
        return self.count is not None and self.diagnosed >= self.count

    def update(self, attached: Iterable) -> None:
        """One list of attached devices (objects with .serial and .state)."""
        a_by_serial = {a.serial: a for a in attached}
        now = {serial: a.state for serial, a in a_by_serial.items()}
        for serial in [s for s in self.states if s not in now]:
            if self.states.pop(serial) == "unreachable":
                self.say(_("The adb server at {server} answers again.").format(server=serial))
            else:
                self.say(_("{serial} unplugged.").format(serial=serial))
        for serial, state in now.items():
            if self.done:  # --count reached: the devices still in the list are not diagnosed
                return
            if self.states.get(serial) == state:
                continue
            self.states[serial] = state
            if state == "unreachable":  # an adb server of --adb-server (devdoctor.fleet.servers), not a device
                self.say(getattr(a_by_serial[serial], "problem", "") or serial)
                continue
            seen = self.seen.setdefault(serial, Seen(serial))
            if state == "device":
                self._diagnose(seen)
            elif state == "unauthorized":
                self.say(_("{serial} is connected but not authorized: unlock its screen and accept the \"Allow USB "
                           "debugging?\" prompt (tick \"Always allow from this computer\").").format(serial=serial))
            elif state == "offline":
                self.say(_("{serial} is offline: reconnect the cable, or wait while it boots.").format(serial=serial))
            else:
                self.say(_("{serial} is {state}; waiting until it is ready.").format(serial=serial, state=state))

    def _diagnose(self, seen: Seen) -> None:
        self.say(_("{serial} is ready: diagnosing…").format(serial=seen.serial))
        report = self.diagnose(seen.serial)
        self.show(report)
        seen.diagnoses += 1
        self.diagnosed += 1
        seen.model = report.identity.model or seen.model
        seen.last_complete = report.complete
        c = report.counts()
        if report.error:
            seen.last_status, seen.last_summary = "unreachable", report.error
        elif report.failed:
            seen.last_status = "failed"
            seen.last_summary = _("{n} failed").format(n=c["fail"])
        elif c["warn"] or c["unknown"]:
            seen.last_status = "problems"
            seen.last_summary = _("{warn} warning(s), {unknown} could not be checked").format(
                warn=c["warn"], unknown=c["unknown"])
        else:
            seen.last_status, seen.last_summary = "ok", _("no problems")
        if report.error or report.failed:
            self.bell()
        if not self.done:
            self.say(_("Waiting for the next device (Ctrl-C to stop)."))

    def run(self, changes: Iterable[Optional[list]], count: int | None = None, every: float | None = None,
            clock: Callable[[], float] = time.monotonic) -> None:
        """Follow device lists (None: nothing changed) until they end or `count` devices were diagnosed;
        with `every` (seconds), diagnose the attached devices again that often."""
        self.count = count
        self.say(_("Waiting for devices (Ctrl-C to stop)…"))
        due = clock() + every if every else None
        for attached in changes:
            if attached is not None:
                self.update(attached)
            if self.done:
                return
            if due is not None and clock() >= due:
                self.again()
                due = clock() + every
                if self.done:
                    return

    def again(self) -> None:
        """Diagnose every device that is online and authorized once more (watch --every)."""
        ready = [serial for serial, state in self.states.items() if state == "device"]
        if ready:
            self.say(ngettext("Diagnosing {n} attached device again.", "Diagnosing {n} attached devices again.",
                              len(ready)).format(n=len(ready)))
        for serial in ready:
            if self.done:
                return
            self._diagnose(self.seen[serial])

    def summary(self) -> list[str]:
        if not self.seen:
            return [_("No device was seen.")]
        words = {"failed": _("FAILED"), "problems": _("warnings"), "ok": _("OK"), "unreachable": _("unreachable"),
                 "": _("not diagnosed")}
        lines = [_("Devices seen: {n}").format(n=len(self.seen))]
        for s in self.seen.values():
            what = f"{words[s.last_status]}" + (f" ({s.last_summary})" if s.last_summary else "")
            model = f" {s.model}" if s.model else ""
            lines.append(f"  {s.serial}{model}: {what}" + (
                "  " + _("diagnosed {n} times").format(n=s.diagnoses) if s.diagnoses > 1 else ""))
        return lines

    @property
    def any_failed(self) -> bool:
        return any(s.last_status in ("failed", "unreachable") for s in self.seen.values())

    def exit_code(self, plugins_missing: bool = False) -> int:
        """Over each device's last diagnosis: 1 when one failed or could not be reached, else 4 when one was
        not diagnosed to the end (a check stopped by devdoctor, the device lost) or a check plugin did not
        load, else 0 (devdoctor.core.exit_codes)."""
        if self.any_failed:
            return exit_codes.FAILED
        if not self.seen:
            return exit_codes.OK
        incomplete = any(s.diagnoses and not s.last_complete for s in self.seen.values())
        return exit_codes.with_plugins(exit_codes.INCOMPLETE if incomplete else exit_codes.OK, plugins_missing)
