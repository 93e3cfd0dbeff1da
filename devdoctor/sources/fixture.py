"""Recorded-ADB fixtures: the file format, a Recorder that wraps a live device, a Replayer that is one.

The format is documented in fixtures/README.md. In short: one JSON object with
`format: "devdoctor-fixture/1"`, the device's identity, and every command sent with its output
exactly as the device gave it, exit status, duration, and whether it timed out or the device went
away at that point.
"""
from __future__ import annotations

import base64
import json
import math
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from devdoctor.ui.i18n import _

FORMAT = "devdoctor-fixture/1"
OUTCOMES = ("ok", "timeout", "disconnected")
MAX_DURATION_MS = 24 * 3600 * 1000  # a recorded command that took longer than a day is not a recording


class FixtureError(Exception):
    """A fixture file that cannot be used (not JSON, not a devdoctor fixture, malformed)."""


@dataclass
class Entry:
    command: str
    stdout: bytes = b""
    stderr: bytes = b""
    exit_code: int | None = 0
    duration: float = 0.0
    outcome: str = "ok"
    host_time: float | None = None


@dataclass
class FileEntry:
    path: str
    content: bytes | None = None
    error: str | None = None


@dataclass
class Fixture:
    device: dict[str, Any]
    entries: list[Entry] = field(default_factory=list)
    files: list[FileEntry] = field(default_factory=list)
    description: str = ""
    provenance: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)  # keys of later format additions, kept as read

    @property
    def serial(self) -> str:
        return str(self.device.get("serial") or "replay")


# -- reading --------------------------------------------------------------------------------------

def _encodable(value: str, where: str) -> str:
    """JSON can carry lone surrogates (`\\ud800`) that no file or terminal can hold: refuse them here."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise FixtureError(_("{where} holds text that is not valid Unicode (a lone surrogate escape)").format(
            where=where)) from None
    return value


def _text_or_b64(obj: dict, key: str, where: str) -> bytes:
    if key + "_b64" in obj:
        value = obj[key + "_b64"]
        if not isinstance(value, str):
            raise FixtureError(_("{where}: {key}_b64 must be a string").format(where=where, key=key))
        try:
            return base64.b64decode(value, validate=True)
        except Exception as e:
            raise FixtureError(_("{where}: {key}_b64 is not valid base64 ({error})").format(
                where=where, key=key, error=e)) from e
    value = obj.get(key, "")
    if not isinstance(value, str):
        raise FixtureError(_("{where}: {key} must be a string").format(where=where, key=key))
    return _encodable(value, f"{where}: {key}").encode("utf-8")


def _time(value: Any, where: str) -> float | None:
    if value is None:
        return None
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00")).timestamp()
    except (ValueError, OverflowError, OSError) as e:
        raise FixtureError(_("{where}: host_time {value!r} is not an ISO 8601 time").format(
            where=where, value=str(value)[:40])) from e


def _plain(value: Any, where: str, depth: int = 0) -> None:
    """Identity and provenance values: JSON scalars, lists and objects whose text encodes."""
    if depth > 8:
        raise FixtureError(_("{where} is nested too deeply").format(where=where))
    if isinstance(value, str):
        _encodable(value, where)
    elif isinstance(value, dict):
        for k, v in value.items():
            _plain(k, where, depth + 1)
            _plain(v, f"{where}.{k}" if _is_text(k) else where, depth + 1)
    elif isinstance(value, list):
        for v in value:
            _plain(v, where, depth + 1)
    elif isinstance(value, float) and not math.isfinite(value):
        raise FixtureError(_("{where} is not a finite number").format(where=where))


def _is_text(value: Any) -> bool:
    try:
        value.encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


def _exit_code(value: Any, where: str) -> int | None:
    # a shell's exit status is one byte; adb's shell protocol carries nothing else
    if value is None or (isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 255):
        return value
    raise FixtureError(_("{where}: exit_code must be null or an integer from 0 to 255").format(where=where))


def _duration_ms(value: Any, where: str) -> float:
    if (isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
            and 0 <= value <= MAX_DURATION_MS):
        return float(value)
    raise FixtureError(_("{where}: duration_ms must be a number of milliseconds from 0 to one day").format(
        where=where))


def parse(doc: Any, name: str = "fixture") -> Fixture:
    if not isinstance(doc, dict) or "format" not in doc:
        raise FixtureError(_("{name} is not a devdoctor fixture (no \"format\" field)").format(name=name))
    if doc["format"] != FORMAT:
        raise FixtureError(_("{name} has format {format!r}; this devdoctor reads {ours!r}").format(
            name=name, format=str(doc["format"])[:40], ours=FORMAT))
    device = doc.get("device")
    if not isinstance(device, dict):
        raise FixtureError(_("{name}: \"device\" must be an object").format(name=name))
    _plain(device, f"{name}: device")
    provenance = doc.get("provenance", {})
    if not isinstance(provenance, dict):
        raise FixtureError(_("{name}: \"provenance\" must be an object").format(name=name))
    _plain(provenance, f"{name}: provenance")
    description = doc.get("description", "")
    if not isinstance(description, str):
        raise FixtureError(_("{name}: \"description\" must be a string").format(name=name))
    _encodable(description, f"{name}: description")
    commands = doc.get("commands")
    if not isinstance(commands, list):
        raise FixtureError(_("{name}: \"commands\" must be a list").format(name=name))
    entries = [_entry(c, f"{name}: commands[{i}]") for i, c in enumerate(commands)]
    files_doc = doc.get("files", [])
    if not isinstance(files_doc, list):
        raise FixtureError(_("{name}: \"files\" must be a list").format(name=name))
    files = [_file(f, f"{name}: files[{i}]") for i, f in enumerate(files_doc)]
    known = {"format", "device", "commands", "files", "description", "provenance"}
    extra = {k: v for k, v in doc.items() if k not in known}
    _plain(extra, name)
    return Fixture(device, entries, files, description, dict(provenance), extra)


def _entry(c: Any, where: str) -> Entry:
    if not isinstance(c, dict) or not isinstance(c.get("command"), str):
        raise FixtureError(_("{where} has no \"command\" string").format(where=where))
    outcome = c.get("outcome", "ok")
    if outcome not in OUTCOMES:
        raise FixtureError(_("{where}: outcome {outcome!r} is not one of {known}").format(
            where=where, outcome=str(outcome)[:40], known=", ".join(OUTCOMES)))
    return Entry(_encodable(c["command"], f"{where}: command"), _text_or_b64(c, "stdout", where),
                 _text_or_b64(c, "stderr", where), _exit_code(c.get("exit_code", 0), where),
                 _duration_ms(c.get("duration_ms", 0), where) / 1000.0, outcome, _time(c.get("host_time"), where))


def _file(f: Any, where: str) -> FileEntry:
    if not isinstance(f, dict) or not isinstance(f.get("path"), str):
        raise FixtureError(_("{where} has no \"path\" string").format(where=where))
    error = f.get("error")
    if error is not None and not isinstance(error, str):
        raise FixtureError(_("{where}: error must be a string or null").format(where=where))
    content = _text_or_b64(f, "content", where) if ("content" in f or "content_b64" in f) else None
    return FileEntry(_encodable(f["path"], f"{where}: path"), content,
                     _encodable(error, f"{where}: error") if error else None)


def json_document(text: str, name: str) -> Any:
    """JSON text -> its document; damaged, too deep or unreadable numbers are a FixtureError naming `name`."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise FixtureError(_("{path} is not valid JSON (line {line}, column {column}: {error}); "
                             "it may be damaged or truncated").format(path=name, line=e.lineno, column=e.colno,
                                                                      error=e.msg)) from None
    except RecursionError:
        raise FixtureError(_("{path} is nested too deeply to be a recording").format(path=name)) from None
    except ValueError:  # the only other error json raises: an integer past Python's 4,300-digit limit
        raise FixtureError(_("{path} holds a number too long to be real (over 4,300 digits)").format(
            path=name)) from None


def loads(text: str, name: str) -> Fixture:
    """A fixture from its JSON text; anything wrong with it is a FixtureError naming `name`."""
    return parse(json_document(text, name), name)


def load(path: str | Path) -> Fixture:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise FixtureError(_("{path}: no such file").format(path=path)) from None
    except (OSError, UnicodeDecodeError) as e:
        raise FixtureError(_("{path}: cannot read ({error})").format(path=path, error=e)) from None
    return loads(text, str(path))


# -- writing --------------------------------------------------------------------------------------

def _put_bytes(obj: dict, key: str, data: bytes) -> None:
    try:
        obj[key] = data.decode("utf-8")
    except UnicodeDecodeError:
        obj[key + "_b64"] = base64.b64encode(data).decode("ascii")


def iso_time(t: float) -> str:
    return datetime.fromtimestamp(t, timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def dump(fx: Fixture) -> str:
    """The fixture as stable, pretty-printed JSON (commands sorted, so two recordings diff well)."""
    commands = []
    for e in sorted(fx.entries, key=lambda e: e.command):  # stable: repeats keep their order
        c: dict[str, Any] = {"command": e.command}
        if e.outcome == "ok":
            _put_bytes(c, "stdout", e.stdout)
            if e.stderr:
                _put_bytes(c, "stderr", e.stderr)
            c["exit_code"] = e.exit_code
        else:
            c["outcome"] = e.outcome
        c["duration_ms"] = round(e.duration * 1000)
        if e.host_time is not None:
            c["host_time"] = iso_time(e.host_time)
        commands.append(c)
    files = []
    for f in sorted(fx.files, key=lambda f: f.path):
        o: dict[str, Any] = {"path": f.path}
        if f.content is not None:
            o["content_b64"] = base64.b64encode(f.content).decode("ascii")
        if f.error:
            o["error"] = f.error
        files.append(o)
    doc: dict[str, Any] = {"format": FORMAT}
    if fx.description:
        doc["description"] = fx.description
    doc["provenance"] = fx.provenance
    doc["device"] = fx.device
    doc.update(fx.extra)
    doc["commands"] = commands
    if files:
        doc["files"] = files
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
