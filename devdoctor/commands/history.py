"""`devdoctor history`: the runs kept in the history database (devdoctor.fleet.history), and what
changed on one device between two of its runs."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from devdoctor.cli import app
from devdoctor.commands.common import fail, stdout
from devdoctor.commands.options import Lang
from devdoctor.fleet.options import HistoryFile
from devdoctor.ui.i18n import _, ngettext

SCHEMA = "devdoctor-history/1"


@app.command(help=_("List the runs kept in the history, newest first; with a device, its runs and what changed "
                    "between the last two (newly failing, fixed, still failing).\n\n"
                    "Examples:\n\n"
                    "  devdoctor history                        # the latest runs\n\n"
                    "  devdoctor history 10.0.0.5:5037/RK3288DP0417 --json  # one device, machine-readable\n\n"
                    "  devdoctor history RK3288DP0417 --from 12 --to 40     # between two runs"))
def history(
    device: Optional[str] = typer.Argument(None, metavar="[DEVICE]", help=_(
        "A device: its name as in the reports (HOST:PORT/SERIAL for a device of --adb-server), or its serial.")),
    json_out: bool = typer.Option(False, "--json", help=_("Machine-readable output ({schema}).").format(
        schema=SCHEMA)),
    limit: int = typer.Option(20, "--limit", min=1, help=_("Show at most this many runs.")),
    from_run: Optional[int] = typer.Option(None, "--from", metavar="RUN", help=_(
        "Compare from this run (default: the device's run before --to).")),
    to_run: Optional[int] = typer.Option(None, "--to", metavar="RUN", help=_(
        "Compare up to this run (default: the device's latest).")),
    history_file: Optional[Path] = HistoryFile,
    lang: Optional[str] = Lang,
) -> None:
    import json
    from dataclasses import asdict
    from devdoctor.fleet import history as hist
    from devdoctor.fleet.changes import between
    from rich.text import Text

    path = history_file or hist.default_path()
    try:
        name = _device_name(path, device) if device else None
        runs = hist.runs(path, name, limit)
        changes = between(path, name, from_run, to_run) if name else None
    except hist.HistoryError as e:
        fail(str(e), 2, json_out)
    if name and (from_run is not None or to_run is not None) and changes is None:
        fail(_("{device} has no run {runs} in the history: its runs are {ids}").format(
            device=name, runs=" / ".join(str(r) for r in (from_run, to_run) if r is not None),
            ids=", ".join(str(i) for i in hist.run_ids(path, name)[:limit])), 2, json_out)
    if json_out:
        doc = {"schema": SCHEMA, "history": str(path), "runs": [asdict(r) for r in runs]}
        if name:
            doc.update(device=name, changes=asdict(changes) if changes else None)
        typer.echo(json.dumps(doc, indent=2, ensure_ascii=False))
        raise typer.Exit(0)
    out = stdout()
    if not runs:
        out.print(_("No run kept yet in {file}.").format(file=path), markup=False)
        raise typer.Exit(0)
    if not name:
        _print_runs(out, runs)
        raise typer.Exit(0)
    model = next((d.model for r in runs for d in r.devices if d.model), "")
    out.print(Text(name, style="bold").append(f"  {model}" if model else "", style=""))
    out.print(_device_runs(runs))
    _print_changes(out, changes)


def _device_name(path: Path, given: str) -> str:
    """The history's name for a device: as given, else the one HOST:PORT/SERIAL whose serial it is."""
    from devdoctor.fleet import history as hist

    names = hist.devices(path)
    if given in names:
        return given
    matches = [n for n in names if n.partition("/")[2] == given]
    if len(matches) == 1:
        return matches[0]
    if matches:
        fail(_("{serial} was diagnosed on several adb servers; name one:\n{names}").format(
            serial=given, names="\n".join(f"  {n}" for n in matches)), 2)
    known = "\n".join(f"  {n}" for n in names[:20]) or "  " + _("none")
    fail(_("no run of {device} in the history {file}; devices in it (latest first):\n{names}").format(
        device=given, file=path, names=known), 2)
    raise AssertionError("unreachable")


def _print_runs(out, runs) -> None:
    """One line a run, then a line for each of its devices that failed a check or was not reached."""
    from rich.text import Text

    for r in runs:
        exit_code = "" if r.exit_code is None else _("exit {code}").format(code=r.exit_code)
        out.print(Text(_("run {id}").format(id=r.id), style="bold").append(
            f"  {r.started_at}  {r.command}  {exit_code}  ", style="").append(
            r.devices[0].device if len(r.devices) == 1
            else ngettext("{n} device", "{n} devices", len(r.devices)).format(n=len(r.devices))))
        for d in r.devices:
            if d.error:
                out.print(Text(f"    {d.device}: {d.error['message']}", style="red"))
            elif d.counts["fail"]:
                out.print(Text(f"    {d.device}: " + ngettext("{n} failed", "{n} failed", d.counts["fail"]).format(
                    n=d.counts["fail"]), style="red"))


def _device_runs(runs):
    from rich.table import Table

    table = Table(box=None, pad_edge=False)
    columns = [_("run"), _("time (UTC)"), _("command"), _("exit"), _("fail"), _("warn"), _("unknown"), _("pass"), ""]
    for i, col in enumerate(columns):  # the last column takes what room is left
        table.add_column(col, no_wrap=i < len(columns) - 1, overflow="fold")
    for r in runs:
        d = r.devices[0]
        c = d.counts
        table.add_row(str(r.id), r.started_at, r.command, "" if r.exit_code is None else str(r.exit_code),
                      str(c["fail"]), str(c["warn"]), str(c["unknown"]), str(c["pass"]),
                      d.error["message"] if d.error else "")
    return table


def _print_changes(out, changes) -> None:
    from rich.text import Text

    from devdoctor.report.terminal import status_word

    out.print()
    if changes is None:
        out.print(_("Only one run of this device so far: nothing to compare."), markup=False)
        return
    groups = [(_("Newly failing"), changes.newly_failing, "bold red"), (_("Fixed"), changes.fixed, "green"),
              (_("Still failing"), changes.still_failing, "red"), (_("Other changes"), changes.other, "yellow")]
    if not any(items for _title, items, _style in groups):
        out.print(_("No change from run {a} to run {b}.").format(a=changes.from_run, b=changes.to_run), markup=False)
        return
    out.print(Text(_("Changes from run {a} to run {b}:").format(a=changes.from_run, b=changes.to_run), style="bold"))
    for title, items, style in groups:
        if not items:
            continue
        out.print(Text(f"  {title}:", style=style))
        for c in items:
            before = status_word(c.before) if c.before else _("not run then")
            after = status_word(c.after) if c.after else _("not run now")
            moved = "" if c.before == c.after else f"{before} → {after} — "
            out.print(Text(f"    {_(c.title)} ({c.check}): {moved}{c.summary}"))
