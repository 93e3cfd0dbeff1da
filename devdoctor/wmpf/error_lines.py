"""The WMPF errors a pasted log or any copied text shows, as `devdoctor inspect` prints them: every line
that matches a signature (devdoctor.wmpf.signatures), with its number in the file, and what each
signature seen means and what to do. The logcat and wmpf_errors readings' JSON forms."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from devdoctor.parsers.logcat import Log, parse_logcat
from devdoctor.wmpf.errors import match_lines, scan


@dataclass
class ErrorText:
    """Text copied from anywhere (an error shown by the maker's app, an excerpt cut anywhere), by line."""

    lines: list[str]
    problems: list[str] = field(default_factory=list)


def parse_error_text(text: str) -> ErrorText:
    lines = text.split("\n")[:-1] if text.endswith("\n") else text.split("\n")
    return ErrorText(lines)


def parse_log_capture(capture: Any) -> Log:
    """A pasted logcat: the layout its command line asks for (`-v raw` has no shape to tell it by)."""
    return parse_logcat(capture.text, layout=_asked_layout(capture.command))


def _asked_layout(command: str | None) -> str | None:
    words = (command or "").replace("--format=", "-v ").replace("-vraw", "-v raw").replace(",", " ").split()
    return "raw" if any(a == "-v" and b == "raw" for a, b in zip(words, words[1:])) else None


def log_json(log: Log, capture: Any) -> dict[str, Any]:
    at_line = {}  # line number -> the entry it belongs to (its own line or a line continuing it)
    for entry in log.lines:
        at_line[entry.lineno] = entry
        at_line.update((n, entry) for n, _text in entry.continuation)
    # every line: a heading or a cut-off line pasted in counts too
    entries = [at_line.get(n) for n in range(1, len(capture.lines) + 1)]
    found_at = match_lines(capture.lines, [e.process if e else None for e in entries])
    matches = [_match(capture, i + 1, capture.lines[i], found.signature, found.form, entries[i])
               for i, found in found_at.items()]
    layout = log.format
    return {"log_format": "studio" if layout == "studio_columns" else layout, "log_layout": layout,
            "log_modifiers": log.modifiers, "line_count": len(log.lines), "timestamped_line_count": log.timestamped,
            "matches": matches, "signatures": _signatures(matches)}


def error_text_json(text: ErrorText, capture: Any) -> dict[str, Any]:
    matches = [_match(capture, m.lineno, m.line, m.signature, m.form, None) for m in scan(text.lines)]
    return {"line_count": len(text.lines), "matches": matches, "signatures": _signatures(matches),
            "problems": [] if matches else ["no line shows a WMPF error devdoctor knows"]}


def _match(capture: Any, lineno: int, line: str, sig, form: str, entry) -> dict[str, Any]:
    """One line that shows a WMPF error; its number counts the file's lines (a prompt line removed too)."""
    return {"line_number": lineno + (1 if capture.prompt is not None else 0), "signature": sig.id, "form": form,
            "timestamp": entry.timestamp if entry else None, "line": line,
            "text": entry.message if entry and entry.lineno == lineno else line.strip()}


def _signatures(matches: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The signatures seen, in order of first sight: what each means and what to do (translated)."""
    from devdoctor.ui.i18n import _
    from devdoctor.wmpf.signatures import find

    out: dict[str, dict[str, Any]] = {}
    for m in matches:
        if m["signature"] in out:
            out[m["signature"]]["count"] += 1
            continue
        sig = find(m["signature"])
        out[sig.id] = {"id": sig.id, "title": _(sig.title), "severity": sig.severity, "count": 1,
                       "line_numbers": [], "cause": _(sig.cause), "remedy": _(sig.remedy), "faq": sig.faq,
                       "fix": sig.fix}
    for m in matches:
        out[m["signature"]]["line_numbers"].append(m["line_number"])
    return list(out.values())
