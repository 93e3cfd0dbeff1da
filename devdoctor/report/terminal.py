"""The terminal report, in the style of `flutter doctor`: the device on top, one line a check with a
mark for its status, remedies under what needs attention, evidence with -v, a closing count.
Colour only on a terminal, never with NO_COLOR (rich honours both)."""
from __future__ import annotations

from rich.console import Console
from rich.padding import Padding
from rich.text import Text

from devdoctor import __version__
from devdoctor.ui.i18n import _, ngettext
from devdoctor.result import CheckResult, Evidence, Status
from devdoctor.report.console import shows
from devdoctor.report.model import DeviceReport, Report

_MARKS = {Status.PASS: ("✓", "OK"), Status.WARN: ("!", "!"), Status.FAIL: ("✗", "X"),
          Status.UNKNOWN: ("?", "?"), Status.SKIPPED: ("-", "-")}
_STYLES = {Status.PASS: "green", Status.WARN: "yellow", Status.FAIL: "bold red",
           Status.UNKNOWN: "magenta", Status.SKIPPED: "dim"}


def device_line(report: DeviceReport) -> Text:
    i = report.identity
    t = Text()
    t.append(i.serial, style="bold")
    who = " ".join(x for x in (i.manufacturer, i.model) if x)
    if who:
        t.append(f"  {who}")
    if i.release or i.sdk:
        t.append("  " + _("Android {release} (SDK {sdk})").format(release=i.release or "?", sdk=i.sdk or "?"))
    if i.source == "replay":
        t.append("  " + _("[replay of {name}]").format(name=i.source_name), style="cyan")
    elif i.source == "bugreport":
        t.append("  " + _("[from bugreport {name}, taken {time}, build {build}]").format(
            name=i.source_name, time=i.captured_at or "?", build=i.build or "?"), style="cyan")
    return t


def render_device(console: Console, report: DeviceReport, verbose: bool = False) -> None:
    uni = shows(console)
    console.print(device_line(report))
    if report.error_kind == "adb-server":  # a server not reached (devdoctor.fleet): no device, no checks
        console.print(Text(report.error or "", style="bold red"))
        return
    for note in report.identity.notes:
        console.print(Text("  " + note, style="yellow"))
    console.print()
    for r in report.results:
        _render_result(console, r, verbose, uni)
    if report.error:
        console.print(Text(error_line(report), style="bold red"))
    console.print(summary_line(report, verbose))


def error_line(report: DeviceReport) -> str:
    """Why a device could not be diagnosed (or not to the end), said once."""
    if report.error_kind == "disconnected":
        return _("Device lost during the run: {error}").format(error=report.error)
    return _("Not diagnosed: {error}").format(error=report.error)


def error_word(report: DeviceReport) -> str:
    """The same, in a few words, for the fleet table (the device's block says it in full)."""
    return {"disconnected": _("lost during the run"), "unauthorized": _("not diagnosed: unauthorized"),
            "offline": _("not diagnosed: offline")}.get(report.error_kind or "", _("not diagnosed: unreachable"))


def _render_result(console: Console, r: CheckResult, verbose: bool, uni: bool) -> None:
    mark = _MARKS[r.status][0 if uni else 1]
    line = Text()
    line.append(f"[{mark}] ", style=_STYLES[r.status])
    line.append(r.title, style="bold" if r.status in (Status.FAIL, Status.WARN) else "")
    line.append(" — " if uni else " - ")
    line.append(r.summary)
    if verbose:
        line.append(f"  ({r.duration:.2f} s)", style="dim")
    console.print(line)
    if verbose:  # the parts of the verdict, each with its mark, the same for every check that has them
        for f in r.findings:
            part = Text(" " * 4)
            part.append(f"[{_MARKS[f.status][0 if uni else 1]}] ", style=_STYLES[f.status])
            part.append(f"{f.label}: {f.summary}")
            console.print(part)
    if r.remedy and (r.status in (Status.FAIL, Status.WARN, Status.UNKNOWN) or verbose):
        arrow = "→" if uni else "->"
        text = r.remedy.text + (" " + _("(WMPF FAQ {section})").format(section=r.remedy.faq) if r.remedy.faq else "")
        _indented(console, f"{arrow} {text}", 4, "yellow" if r.status != Status.PASS else "")
        for cmd in r.remedy.commands:
            _indented(console, f"$ {cmd}", 8, "cyan")
        if r.remedy.fix:
            _indented(console, _("or let devdoctor do it: devdoctor fix {fix}").format(fix=r.remedy.fix), 8, "cyan")
    if verbose:
        for ev in merged(r.evidence):
            if ev.command:
                _indented(console, f"$ {ev.command}", 6, "dim")
            for ln in ev.lines:
                _indented(console, ln, 8, "dim")
            if ev.note:
                _indented(console, f"({ev.note})", 8, "dim italic")


def merged(evidence: list[Evidence]) -> list[Evidence]:
    """Evidence with each command once: a command two findings read is shown with both their notes."""
    out: dict[tuple[str, tuple[str, ...]], Evidence] = {}
    for ev in evidence:
        key = (ev.command, tuple(ev.lines))
        if key in out:
            seen = out[key]
            seen.note = "; ".join(n for n in (seen.note, ev.note) if n and n not in seen.note.split("; "))
        else:
            out[key] = Evidence(ev.command, ev.lines, ev.note)
    return list(out.values())


def _indented(console: Console, text: str, indent: int, style: str) -> None:
    """A line that keeps its indent when the terminal wraps it (no wrapping at all when piped)."""
    if console.is_terminal:
        console.print(Padding(Text(text, style=style), (0, 0, 0, indent)))
    else:
        console.print(Text(" " * indent + text, style=style))


def summary_line(report: DeviceReport, verbose: bool = False) -> Text:
    c = report.counts()
    n = len(report.results)
    parts = []
    if c["fail"]:
        parts.append(ngettext("{n} failed", "{n} failed", c["fail"]).format(n=c["fail"]))
    if c["warn"]:
        parts.append(ngettext("{n} warning", "{n} warnings", c["warn"]).format(n=c["warn"]))
    if c["unknown"]:
        parts.append(ngettext("{n} could not be checked", "{n} could not be checked", c["unknown"])
                     .format(n=c["unknown"]))
    t = Text("\n")
    if report.error and not report.results:
        t.append(_("Nothing could be checked on this device."), style="bold red")
        return t
    if parts:
        t.append(_("Found problems: {parts}").format(parts=", ".join(parts)),
                 style="bold red" if c["fail"] else "bold yellow")
    else:
        t.append(_("No problems found."), style="bold green")
    t.append("  " + ngettext("{n} check in {seconds:.1f} s", "{n} checks in {seconds:.1f} s", n)
             .format(n=n, seconds=report.duration), style="dim")
    if verbose:
        t.append("  " + _("{n} round trips to the device").format(n=report.round_trips), style="dim")
    return t


def show(report: Report, verbose: bool = False) -> None:
    """The renderer `terminal` (devdoctor.report.RENDERERS): the report on stdout, plugin problems on stderr."""
    from devdoctor.report.console import plugin_problems, stdout

    console = stdout()
    render(console, report.devices, verbose)
    if report.field_run is not None:
        render_changes(console, report.field_run, report.changes)
    plugin_problems(report.plugin_problems)


def render(console: Console, reports: list[DeviceReport], verbose: bool = False) -> None:
    console.print(Text(f"devdoctor {__version__}", style="dim"))
    for i, r in enumerate(reports):
        if i:
            console.rule()
        render_device(console, r, verbose)
    if len(reports) > 1:
        console.rule()
        render_fleet(console, reports)


def render_fleet(console: Console, reports: list[DeviceReport]) -> None:
    """One row a device, the worst first: what a production line reads at a glance."""
    from rich.table import Table

    def badness(r: DeviceReport) -> tuple:
        c = r.counts()
        return (r.error is None, -c["fail"], -c["warn"], -c["unknown"])

    table = Table(title=_("{n} devices").format(n=len(reports)), box=None, pad_edge=False, title_justify="left")
    longest = max(len(r.identity.serial) for r in reports)  # HOST:PORT/SERIAL names in full, not folded
    for col in (_("serial"), _("model"), _("fail"), _("warn"), _("unknown"), _("pass"), _("worst problem")):
        table.add_column(col, overflow="fold", min_width=longest if col == _("serial") else None)
    for r in sorted(reports, key=badness):
        c = r.counts()
        worst = r.worst()
        if r.error_kind == "adb-server":
            problem = Text(r.error or "", style="bold red")
        elif r.error:
            problem = Text(error_word(r), style="bold red")
        elif worst:
            problem = Text(f"{worst.title}: {worst.summary}", style=_STYLES[worst.status])
        else:
            problem = Text(_("no problems"), style="green")
        table.add_row(r.identity.serial, r.identity.model, str(c["fail"]), str(c["warn"]), str(c["unknown"]),
                      str(c["pass"]), problem)
    console.print(table)


def render_changes(console: Console, field_run, changes: list) -> None:
    """After replaying a support page: which verdicts differ from the field run's."""
    when = _("the field run of {time} (devdoctor {version})").format(time=field_run.generated_at or "?",
                                                                    version=field_run.devdoctor_version or "?")
    console.print()
    if not changes:
        console.print(Text(_("Same verdicts as {when}.").format(when=when), style="dim"))
        return
    console.print(Text(_("Changed since {when}:").format(when=when), style="bold"))
    for c in changes:
        before = status_word(c.before) if c.before else _("not run then")
        after = status_word(c.after) if c.after else _("not run now")
        console.print(Text(f"  {c.title} ({c.id}): {before} → {after}"))


def status_word(status: str) -> str:
    """A status in words, for people (pass -> OK)."""
    return {"pass": _("OK"), "warn": _("warning"), "fail": _("failed"), "unknown": _("could not check"),
            "skipped": _("skipped")}.get(status, status)
