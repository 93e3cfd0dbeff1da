"""`devdoctor inspect FILE [--as KIND] [--json]`: devdoctor's reading of one pasted or saved capture.

Exit codes: 0 read (what could not be read is listed under `problems`); 2 bad usage or unreadable
file; 4 the kind cannot be told (give --as), or the capture is not the kind given with --as (nothing of
that kind is in it); 5 that kind cannot be read yet by this version.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

import typer

from devdoctor.cli import app
from devdoctor.commands.common import fail, stdout
from devdoctor.commands.options import Lang
from devdoctor.ui.i18n import _

if TYPE_CHECKING:
    from devdoctor.readings.pasted import CaptureReading

EXIT_OK, EXIT_USAGE, EXIT_UNKNOWN_KIND, EXIT_NOT_SUPPORTED = 0, 2, 4, 5
EXIT_WRONG_KIND = EXIT_UNKNOWN_KIND  # the capture is not the kind given with --as
SCHEMA = "devdoctor-inspect/1"


def _capture_doc(cap) -> dict[str, Any]:
    return {"encoding": cap.encoding, "line_endings": cap.line_endings, "prompt": cap.prompt,
            "command": cap.command, "cut_off": cap.cut_off, "prompt_lines": cap.prompt_lines}


@app.command(help=_("""Print devdoctor's reading of one capture, and what it could not read.

Examples:

  devdoctor inspect getprop.txt

  devdoctor inspect ticket-4711.txt --as ps --json

  devdoctor inspect activation-error.txt

Exit codes: 0 read; 2 bad usage or unreadable file; 4 not a kind devdoctor knows (the closest kinds are
named: say one with --as), or not the kind given with --as; 5 a kind this version cannot read.
"""))
def inspect(
    file: Path = typer.Argument(..., help=_("A saved capture: getprop, ps, dumpsys package, pm list packages, "
                                            "dumpsys connectivity, cmd appops get, a logcat excerpt, a WMPF error "
                                            "message copied from anywhere, ...")),
    as_kind: Optional[str] = typer.Option(None, "--as", metavar="KIND",
                                          help=_("Read it as this kind when devdoctor cannot tell by itself.")),
    json_out: bool = typer.Option(False, "--json", help=_("Print the reading as JSON (devdoctor-inspect/1).")),
    lang: Optional[str] = Lang,
) -> None:
    import json
    from devdoctor.parsers.capture import KINDS

    from devdoctor.readings import kinds as reading_kinds  # here, not at start-up: `--help` needs none of it
    from devdoctor.readings.pasted import NotYetSupported, inspect_bytes

    known = reading_kinds()
    kinds = sorted(set(KINDS) | set(known))
    if as_kind is not None and as_kind not in known:
        fail(_("--as {kind!r} is not a kind devdoctor knows; kinds: {kinds}").format(
            kind=as_kind, kinds=", ".join(kinds)), EXIT_USAGE)
    try:
        data = file.read_bytes()
    except OSError as e:
        fail(_("cannot read {file}: {error}").format(file=file, error=e.strerror or e), EXIT_USAGE)
    if data[:2] == b"PK" or b"== dumpstate: " in data[:300]:
        fail(_("{file} is a whole bugreport, not one capture: diagnose it with "
                "`devdoctor run --bugreport {file}`").format(file=file), EXIT_USAGE)
    try:
        reading, cap = inspect_bytes(data, as_kind)
    except NotYetSupported as e:
        fail(_("{file} looks like `{command}` output, which this version of devdoctor cannot read yet").format(
            file=file, command=e), EXIT_NOT_SUPPORTED)
    if reading is None:
        from devdoctor.parsers.capture import closest_kinds

        closest = closest_kinds(cap)
        fail((_("{file} is not a kind devdoctor knows; closest: {closest}; say which with --as KIND (one of: "
                 "{kinds})") if closest else _("{file} is not a kind devdoctor knows; say which with --as KIND "
                                               "(one of: {kinds})")).format(
            file=file, closest=", ".join(closest), kinds=", ".join(kinds)), EXIT_UNKNOWN_KIND)
    wrong = _wrong_kind(reading, file) if reading.not_this_kind else None
    if json_out:
        doc = {"schema": SCHEMA, "file": str(file), "kind": reading.kind, "told_by": reading.told_by,
               **reading.facts, "capture": _capture_doc(cap), "problems": reading.problems}
        if wrong:
            doc["error"] = {"kind": "not_this_kind", "message": wrong, "closest": reading.closest}
        typer.echo(json.dumps(doc, indent=2, ensure_ascii=False))
    else:
        _render(reading, cap, file)
    if wrong:
        fail(wrong, EXIT_WRONG_KIND)
    raise typer.Exit(EXIT_OK)


def _wrong_kind(reading: "CaptureReading", file: Path) -> str:
    if reading.closest:
        return _("{file} is not {kind} output: nothing of it could be read as {kind}; it looks like {closest} "
                 "(try --as {first})").format(file=file, kind=reading.kind, closest=", ".join(reading.closest),
                                               first=reading.closest[0])
    return _("{file} is not {kind} output: nothing of it could be read as {kind}").format(file=file,
                                                                                           kind=reading.kind)


def _render(reading: "CaptureReading", cap, file: Path) -> None:
    from rich.text import Text
    from devdoctor.ui.i18n import _

    console = stdout()
    how = {"command": _("told by the command on its first line"), "content": _("told by its content"),
           "--as": _("as asked with --as")}[reading.told_by]
    console.print(Text(_("{file}: {kind} ({how})").format(file=file.name, kind=reading.kind, how=how), style="bold"))
    notes = [f"{cap.encoding}", _("{endings} line endings").format(endings=cap.line_endings)]
    if cap.prompt is not None:
        notes.append(_("first line was the prompt/command, not output: {line}").format(line=cap.prompt.strip()))
    console.print(Text("  " + "; ".join(notes), style="dim"))
    for key, value in reading.facts.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            console.print(Text(f"  {key}: {len(value)}"))
            for row in value[:20]:
                console.print(Text("    " + "  ".join(f"{k}={v}" for k, v in row.items() if v not in (None, [], ""))))
            if len(value) > 20:
                console.print(Text("    " + _("… {n} more (see --json)").format(n=len(value) - 20), style="dim"))
        elif isinstance(value, list):
            shown = ", ".join(map(str, value[:20])) + (_(" … {n} more").format(n=len(value) - 20)
                                                       if len(value) > 20 else "")
            console.print(Text(f"  {key}: {shown}"))
        else:
            console.print(Text(f"  {key}: {value}"))
    if reading.problems:
        console.print(Text(_("Could not read:"), style="bold yellow"))
        for p in reading.problems:
            console.print(Text(f"  - {p}", style="yellow"))
