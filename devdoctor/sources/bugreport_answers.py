"""What a bugreport answers when it cannot answer: the errors that say so, and an answer naming the command
that really produced it. Shared by the command routes (bugreport_routes), the section helpers
(bugreport_sections, bugreport_logs) and the readings (bugreport_readings)."""
from __future__ import annotations

from dataclasses import dataclass

from devdoctor.sources.device import NotAnswerable
from devdoctor.ui.i18n import _
from devdoctor.parsers.bugreport import Section


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


def short_command(command: str, width: int = 60) -> str:
    return command if len(command) <= width else command[:width - 1] + "…"
