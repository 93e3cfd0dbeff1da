"""The terminal's two streams, as rich consoles: the report on stdout; progress, warnings and errors on
stderr. Colour only on a terminal, never with NO_COLOR (rich honours both)."""
from __future__ import annotations

import os
import sys

from devdoctor.ui.i18n import _


def console(stderr: bool):
    from rich.console import Console

    out = Console(stderr=stderr, highlight=False)
    if not out.is_terminal:  # piped into a file or a ticket: no hard wrapping at 80 columns
        out = Console(stderr=stderr, highlight=False, soft_wrap=True)
    return out


def stderr():
    return console(True)


def stdout():
    return console(False)


def progress_console():
    """The stderr console for live progress, or None when stderr is not a terminal. Asked of the
    stream first, so a piped or --json run does not load rich before the device reads start."""
    forced = os.environ.get("TTY_COMPATIBLE") == "1" or os.environ.get("FORCE_COLOR") is not None
    if not sys.stderr.isatty() and not forced:
        return None
    out = stderr()
    return out if out.is_terminal else None


def shows(console, characters: str = "✓✗→") -> bool:
    """The console's encoding can show these marks (a Windows code page or a legacy terminal may not:
    then the report uses ASCII ones)."""
    try:
        characters.encode(console.encoding or "utf-8")
        return True
    except (UnicodeEncodeError, LookupError):
        return False


def warn(message: str) -> None:
    stderr().print(message, style="yellow", markup=False)


def plugin_problems(problems) -> None:
    for p in problems:
        warn(_("devdoctor: a check plugin could not be loaded: {source}: {message}").format(
            source=p.source, message=p.message))
