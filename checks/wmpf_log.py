"""Known WMPF failures in the recent device log (signatures: devdoctor/wmpf/signatures.py, docs/wmpf-errors.md).

The log is read once and bounded: `logcat -d -v threadtime -t N` (`-t <count>` and `-v threadtime` exist
in logcat since before Android 7; the default buffers main, system and crash are read). Only entries
within WINDOW of the newest entry count, so a failure fixed days ago does not fail today's diagnosis.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from devdoctor.check import Check, Context, Threshold
from devdoctor.sources.device import DeviceError, DeviceGone
from devdoctor.ui.i18n import N_, _
from devdoctor.core.lazy import lazy
from devdoctor.readings.catalog import LOG
from devdoctor.result import CheckResult, Evidence, Remedy

if TYPE_CHECKING:
    from devdoctor.parsers.logcat import LogLine
    from devdoctor.wmpf.signatures import Signature

if TYPE_CHECKING:  # a type checker follows the module; at run time it is imported on first use
    import devdoctor.wmpf.errors as wmpf_errors
else:
    wmpf_errors = lazy("devdoctor.wmpf.errors")

WINDOW = timedelta(hours=24)
LOG_COMMAND = LOG.command_for(None)  # logcat -d -v threadtime -t 5000
SHOWN_PER_SIGNATURE = 5
MESSAGE_BEFORE, MESSAGE_AFTER = 2, 4  # entries of the same logged message shown around the one that matched


@dataclass
class Hit:
    signature: Signature
    lines: list[LogLine] = field(default_factory=list)  # most recent first
    shown: dict[int, list[str]] = field(default_factory=dict)  # entry index -> its lines that show the error

    @property
    def last(self) -> LogLine:
        return self.lines[0]

    def evidence_lines(self, entries: int) -> list[str]:
        """The newest `entries` entries' lines: the entry's own, then a matching line pasted below it."""
        return [text for entry in self.lines[:entries] for text in self.shown[entry.index]]


def find_hits(lines: list[LogLine]) -> list[Hit]:
    """Entries showing each signature, most recent first; signatures ordered by their latest hit. An entry's
    own line and the lines that continue it (a stack trace pasted from Android Studio) are read."""
    hits: dict[str, Hit] = {}
    texts, whose = [], []  # every line read, and (the entry's position, the line's number within it)
    for pos, entry in enumerate(lines):
        for n, (_lineno, text) in enumerate([(entry.lineno, entry.text), *entry.continuation]):
            texts.append(text)
            whose.append((pos, n))
    found_at = wmpf_errors.match_lines(texts, [lines[pos].process for pos, _n in whose])
    for i, found in found_at.items():  # in the order of the lines
        pos, n = whose[i]
        entry = lines[pos]
        hit = hits.setdefault(found.signature.id, Hit(found.signature))
        if entry.index not in hit.shown:
            hit.lines.append(entry)
            hit.shown[entry.index] = [e.text for e in _message(lines, pos)]
        if n:
            hit.shown[entry.index].append(texts[i])
    for h in hits.values():
        h.lines.sort(key=_recency, reverse=True)
    return sorted(hits.values(), key=lambda h: _recency(h.last), reverse=True)


def _message(lines: list[LogLine], pos: int) -> list[LogLine]:
    """The entries of one logged message around lines[pos]: logcat prints every line of a message (a crash
    and its stack trace) as an entry of its own with the same time, pid, tid and tag."""
    key = _message_key(lines[pos])
    start = end = pos
    if key is not None:
        while start > 0 and pos - start < MESSAGE_BEFORE and _message_key(lines[start - 1]) == key:
            start -= 1
        while end + 1 < len(lines) and end - pos < MESSAGE_AFTER and _message_key(lines[end + 1]) == key:
            end += 1
    return lines[start:end + 1]


def _message_key(entry: LogLine) -> tuple | None:
    return (entry.timestamp, entry.pid, entry.tid, entry.tag) if entry.timestamp else None


def _recency(entry: LogLine) -> tuple:
    return (entry.when or datetime.min, entry.index)


def _log_tag(ctx: Context) -> str:
    """persist.log.tag (`S` silences every tag), or "" when the properties cannot be read."""
    try:
        return ctx.facts.props().get("persist.log.tag")
    except DeviceGone:
        raise
    except DeviceError:
        return ""


class WmpfLog(Check):
    id = "wmpf-log"
    title = "Known WMPF errors in the log"
    description = "Reads the recent device log once and recognises known WMPF failure messages."
    looks_at = LOG_COMMAND
    requires = ("wmpf-installed",)
    order = 60
    thresholds = {"log_window_hours": Threshold(WINDOW.total_seconds() / 3600, N_(
        "hours before the newest log entry within which a WMPF error still counts"))}
    reads = (LOG,)  # the slowest read of a run: started before WMPF is even confirmed
    timeout = 20.0

    def run(self, ctx: Context) -> CheckResult:
        read = ctx.read(LOG, timeout=15.0)
        log = read.value
        if not log.lines:
            said = (read.result.stderr or read.result.stdout) if read.result else "\n".join(read.lines)
            why = said.strip().splitlines()[:1]
            ev = [read.evidence(read.lines[:5])]
            silenced = "" if why else _log_tag(ctx)
            if silenced[:1].upper() == "S":  # Developer options › Logger buffer size: Off
                ev.append(Evidence("getprop", [f"[persist.log.tag]: [{silenced}]"], _("every log tag is silenced")))
                why = [_("logging is switched off: persist.log.tag={value}").format(value=silenced)]
            return CheckResult.unknown(
                _("could not read the device log ({why})").format(why=why[0] if why else _("empty answer")),
                evidence=ev,
                remedy=Remedy(_("Turn logging on (Settings › Developer options › Logger buffer size: not Off), "
                                "reproduce the problem, and run the diagnosis again."),
                              commands=["adb shell setprop persist.log.tag \"\""]),
                details={"problems": log.problems})
        newest = log.newest
        window = timedelta(hours=ctx.threshold("log_window_hours", WINDOW.total_seconds() / 3600))
        recent = [ln for ln in log.lines if newest is None or ln.when is None or newest - ln.when <= window]
        hits = find_hits(recent)
        kept = {ln.index for ln in recent}
        older = find_hits([ln for ln in log.lines if ln.index not in kept])
        details = {"lines_read": len(log.lines), "lines_in_window": len(recent), "format": log.format,
                   "window_hours": window.total_seconds() / 3600,
                   "newest": log.lines[-1].timestamp if log.lines else None,
                   "signatures": {h.signature.id: len(h.lines) for h in hits},
                   "older_than_window": {h.signature.id: len(h.lines) for h in older}}
        if not hits:
            return CheckResult.passed(
                _("no known WMPF error in the last {n} log entries").format(n=len(recent)),
                evidence=[read.evidence([], _("{n} entries read, none matches a known WMPF failure")
                                        .format(n=len(recent)))], details=details)
        ev = [read.evidence(h.evidence_lines(SHOWN_PER_SIGNATURE),
                       _("{title}: {count}× (last {when})").format(title=_(h.signature.title), count=len(h.lines),
                                                                  when=h.last.timestamp or "?"))
              for h in hits]
        summary = "; ".join(_("{title} ×{count}").format(title=_(h.signature.title), count=len(h.lines))
                            for h in hits)
        advice = [_("[{title}] {cause}. {remedy}").format(title=_(h.signature.title), cause=_(h.signature.cause),
                                                             remedy=_(h.signature.remedy)) for h in hits]
        remedy = Remedy(" ".join(advice),
                        faq=", ".join(dict.fromkeys(h.signature.faq for h in hits if h.signature.faq)) or None,
                        fix=next((h.signature.fix for h in hits if h.signature.fix), None))
        if any(h.signature.severity == "fail" for h in hits):
            return CheckResult.fail(_("WMPF errors in the log: {summary}").format(summary=summary),
                                    evidence=ev, remedy=remedy, details=details)
        return CheckResult.warn(_("WMPF warnings in the log: {summary}").format(summary=summary),
                                evidence=ev, remedy=remedy, details=details)
