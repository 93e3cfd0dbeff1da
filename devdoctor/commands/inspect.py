"""`devdoctor inspect FILE [--as KIND] [--json]`: devdoctor's reading of one pasted or saved capture.

Exit codes: 0 read (what could not be read is listed under `problems`); 2 bad usage or unreadable
file; 4 the kind cannot be told (give --as); 5 that kind cannot be read yet by this version.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Optional

import typer

from devdoctor.cli import app

EXIT_OK, EXIT_USAGE, EXIT_UNKNOWN_KIND, EXIT_NOT_SUPPORTED = 0, 2, 4, 5
SCHEMA = "devdoctor-inspect/1"


class NotYetSupported(Exception):
    """The kind is known but no parser for it is in this version."""


@dataclass
class Reading:
    kind: str
    told_by: str  # "command" (the prompt line), "content", or "--as"
    facts: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


Reader = Callable[[str], "tuple[dict[str, Any], list[str]]"]
READERS: dict[str, Reader] = {}


def reads(kind: str) -> Callable[[Reader], Reader]:
    def register(fn: Reader) -> Reader:
        READERS[kind] = fn
        return fn
    return register


def _need(module: str, kind: str):
    import importlib

    try:
        return importlib.import_module(f"devdoctor.parsers.{module}")
    except ImportError:
        raise NotYetSupported(kind) from None


# -- one reader per kind: parser output -> the names a reader expects --------------------------------
@reads("getprop")
def _getprop(text: str):
    from devdoctor.parsers.getprop import parse_getprop

    p = parse_getprop(text)
    listed = p.get("ro.product.cpu.abilist")
    facts = {"sdk": p.sdk, "release": p.values.get("ro.build.version.release"),
             "manufacturer": _prop(p, "ro.product.manufacturer"), "brand": _prop(p, "ro.product.brand"),
             "model": _prop(p, "ro.product.model"), "device": _prop(p, "ro.product.device"),
             "abi_list": p.abi_list, "abi_list_source": "ro.product.cpu.abilist" if listed else "ro.product.cpu.abi",
             "timezone": p.values.get("persist.sys.timezone"), "serialno": p.values.get("ro.serialno"),
             "prop_count": len(p.values), "multiline_values": sorted(k for k, v in p.values.items() if "\n" in v)}
    problems = list(p.problems)
    facts["rom"], facts["rom_evidence"] = _rom(p, problems)
    return facts, problems


def _prop(p, key: str) -> str | None:
    """The ro.product.* value as printed; the vendor partition's copy (8.0+) when the plain one is absent."""
    if key in p.values:
        return p.values[key]
    return p.values.get(key.replace("ro.product.", "ro.product.vendor.", 1))


def _rom(p, problems: list[str]) -> tuple[str | None, str | None]:
    try:
        rom = _need("rom", "rom")
    except NotYetSupported:
        problems.append("ROM detection is not in this version yet: rom is not given")
        return None, None
    found = rom.detect_rom(p)
    return found.rom, found.evidence


@reads("dumpsys_package")
def _dumpsys_package(text: str):
    from devdoctor.parsers.dumpsys_package import parse_dumpsys_package

    d = parse_dumpsys_package(text)
    active = [r for r in d.packages if r.section == "Packages"]
    queried = d.not_found or (active[0].package if len(active) == 1 else None)
    facts: dict[str, Any] = {"not_found": d.not_found is not None, "package_queried": queried,
                             "full_dump": len(active) > 1}
    if facts["full_dump"]:
        facts.update(package_count=len(active),
                     hidden_system_package_count=sum(r.section == "Hidden system packages" for r in d.packages),
                     package_block_count=len(d.packages))
    facts["packages"] = [{
        "package": r.package, "section": r.section, "versionName": r.versionName, "versionCode": r.versionCode,
        "minSdk": r.minSdk, "targetSdk": r.targetSdk, "codePath": r.codePath, "is_system": r.is_system,
        "pkgFlags_has_SYSTEM": "SYSTEM" in r.pkgFlags, "stopped": r.stopped, "enabled": r.enabled_state,
        "installed_user0": r.user(0).installed if r.user(0) else None,
        "firstInstallTime": r.firstInstallTime, "lastUpdateTime": r.lastUpdateTime,
        "users_listed": sorted(r.users)} for r in d.packages]
    return facts, list(d.problems)


def _not_yet(kind: str, module: str) -> Reader:
    """A kind whose parser another part of devdoctor provides; until it is there, say so."""
    def read(text: str):
        _need(module, kind)
        raise NotYetSupported(kind)  # the module is there but not wired in here yet
    return read


for _kind, _module in (("ps", "ps"), ("pm_list_packages", "pm_list"), ("dumpsys_activity", "activity"),
                       ("dumpsys_connectivity", "connectivity"), ("appops", "appops"), ("logcat", "logcat"),
                       ("dumpsys_deviceidle", "deviceidle"), ("ip_addr", "net"), ("ifconfig", "net"),
                       ("ping", "net")):
    READERS.setdefault(_kind, _not_yet(_kind, _module))


# -- the whole reading -------------------------------------------------------------------------------
def inspect_bytes(data: bytes, as_kind: str | None = None) -> tuple[Reading | None, Any]:
    """(the reading or None when the kind cannot be told, the cleaned Capture). Raises NotYetSupported."""
    from devdoctor.parsers.capture import detect_kind, read_capture

    cap = read_capture(data)
    if as_kind:
        kind, told_by = as_kind, "--as"
    else:
        kind, told_by = detect_kind(cap)
        if kind is None:
            return None, cap
    facts, problems = READERS[kind](cap.text)
    return Reading(kind, told_by, facts, list(cap.problems) + problems), cap


def _capture_doc(cap) -> dict[str, Any]:
    return {"encoding": cap.encoding, "line_endings": cap.line_endings, "prompt": cap.prompt,
            "command": cap.command, "cut_off": cap.cut_off}


@app.command()
def inspect(
    file: Path = typer.Argument(..., help="A saved capture: getprop, ps, dumpsys package, pm list packages, "
                                           "dumpsys connectivity, cmd appops get, a logcat excerpt, ..."),
    as_kind: Optional[str] = typer.Option(None, "--as", metavar="KIND",
                                          help="Read it as this kind when devdoctor cannot tell by itself."),
    json_out: bool = typer.Option(False, "--json", help="Print the reading as JSON (devdoctor-inspect/1)."),
) -> None:
    """Print devdoctor's reading of one capture, and what it could not read.

    Examples:

      devdoctor inspect getprop.txt

      devdoctor inspect ticket-4711.txt --as ps --json
    """
    import json

    from devdoctor.cli import _fail
    from devdoctor.parsers.capture import KINDS

    kinds = sorted(set(KINDS) | set(READERS))
    if as_kind is not None and as_kind not in READERS:
        _fail(f"--as {as_kind!r} is not a kind devdoctor knows; kinds: {', '.join(kinds)}", EXIT_USAGE)
    try:
        data = file.read_bytes()
    except OSError as e:
        _fail(f"cannot read {file}: {e.strerror or e}", EXIT_USAGE)
    try:
        reading, cap = inspect_bytes(data, as_kind)
    except NotYetSupported as e:
        _fail(f"{file} looks like `{e}` output, which this version of devdoctor cannot read yet", EXIT_NOT_SUPPORTED)
    if reading is None:
        _fail(f"cannot tell which command printed {file}; say it with --as KIND (one of: {', '.join(kinds)})",
              EXIT_UNKNOWN_KIND)
    if json_out:
        doc = {"schema": SCHEMA, "file": str(file), "kind": reading.kind, "told_by": reading.told_by,
               **reading.facts, "capture": _capture_doc(cap), "problems": reading.problems}
        typer.echo(json.dumps(doc, indent=2, ensure_ascii=False))
        raise typer.Exit(EXIT_OK)
    _render(reading, cap, file)
    raise typer.Exit(EXIT_OK)


def _render(reading: Reading, cap, file: Path) -> None:
    from rich.text import Text

    from devdoctor.cli import _stdout
    from devdoctor.i18n import _

    console = _stdout()
    how = {"command": _("told by the command on its first line"), "content": _("told by its content"),
           "--as": _("as asked with --as")}[reading.told_by]
    console.print(Text(_("{file}: {kind} ({how})").format(file=file.name, kind=reading.kind, how=how), style="bold"))
    notes = [f"{cap.encoding}", f"{cap.line_endings} line endings"]
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
