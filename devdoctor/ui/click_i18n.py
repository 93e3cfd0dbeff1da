"""Click's and typer's own words ("Usage:", "Error: Invalid value for ...", "Options", "Show this message
and exit.") in the chosen language.

Why by text and not by gettext: click 8.1-8.2 (typer up to 0.24) pass these sentences to the stdlib's
`gettext.gettext`, which reads compiled .mo files of the default domain only, while typer 0.25-0.28
carry a copy of click with the gettext calls removed (plain literals). What every version shares is
the sentences themselves (click's msgids) and four places they pass through: HelpFormatter's
write_usage, write_heading and write_dl (usage lines, section headings, option rows before they are
wrapped) and the `show` of ClickException and UsageError (every usage error). `install()` wraps those
four, and each sentence is matched back to its template and translated through our catalogue.
"""
from __future__ import annotations

import functools
import importlib
import io
import re
import sys
from dataclasses import dataclass
from typing import Callable

from devdoctor.ui.i18n import N_, _

MAX_LINE = 2000  # longer lines are left as they are: matching stays bounded on hostile input

# click's sentences, as it writes them (its own msgids, 8.1-8.3 and typer's copy). The most specific
# form comes first; {message} is translated again (the reason inside "Invalid value for ...").
SENTENCES = (
    N_("Error: {message}"),
    N_("Try '{command} {option}' for help."),
    N_("Invalid value for {hint}: {message}"),
    N_("Invalid value: {message}"),
    N_("Missing {kind} {hint}. {message}"),
    N_("Missing {kind} {hint}."),
    N_("Missing command."),
    N_("No such option: {name} Did you mean {possibility}?"),
    N_("No such option: {name} (Possible options: {possibilities})"),
    N_("No such option: {name}"),
    N_("No such command {name}. Did you mean {possibility}?"),
    N_("No such command {name}."),
    N_("Got unexpected extra argument ({args})"),
    N_("Got unexpected extra arguments ({args})"),
    N_("Got unexpected extra argument(s) ({args})"),
    N_("Option {name} requires an argument."),
    N_("Option {name} requires {nargs} arguments."),
    N_("Option {name} does not take a value."),
    N_("Argument {name} takes {nargs} values."),
    N_("{value} is not a valid boolean. Recognized values: {values}"),
    N_("{value} is not a valid {type}."),
    N_("{value} is not in the range {range}."),
    N_("{value} is not one of {choices}."),
    N_("{value} is not {choice}."),
    N_("{name} {filename} does not exist."),
    N_("{name} {filename} is a file."),
    N_("{name} {filename} is a directory."),
    N_("{name} {filename} is not readable."),
    N_("{name} {filename} is not writable."),
    N_("Could not open file {filename}: {message}"),
    N_("Aborted!"),
    N_("Show this message and exit."),
    N_("Install completion for the current shell."),
    N_("Show completion for the current shell, to copy it or customize the installation."),
    # the bracket after an option's help: [default: 5; env var: X; required]
    N_("default: {default}"),
    N_("env var: {var}"),
    N_("required"),
    N_("(dynamic)"),
)
NESTED = {"message"}
# An option's name in an error, as click writes it: '--x', '-x' / '--x', with typer's env var after it.
HINT = re.compile(r"('[^']*'(?: / '[^']*')*)(?: \(env var: ('[^']*')\))?")
ENV_HINT = N_("{option} (env var {var})")
# Single words click puts into its sentences and headings.
WORDS = {w: w for w in (N_("argument"), N_("option"), N_("parameter"), N_("integer"), N_("float"),
                        N_("integer range"), N_("float range"), N_("boolean"), N_("File"), N_("Directory"),
                        N_("Path"), N_("file"), N_("directory"), N_("path"), N_("Options"), N_("Commands"),
                        N_("Arguments"))}
USAGE_WORDS = {"[OPTIONS]": N_("[OPTIONS]"), "COMMAND": N_("COMMAND"), "[ARGS]...": N_("[ARGS]...")}


@dataclass(frozen=True)
class Sentence:
    english: str
    pattern: re.Pattern


@functools.lru_cache(maxsize=1)
def sentences() -> tuple[Sentence, ...]:
    return tuple(Sentence(s, _pattern(s)) for s in SENTENCES)


def _pattern(template: str) -> re.Pattern:
    """"Invalid value for {hint}: {message}" -> a regex with a group per placeholder (the last one greedy)."""
    parts = re.split(r"\{(\w+)\}", template)
    rx = []
    for i, part in enumerate(parts):
        if i % 2 == 0:
            rx.append(re.escape(part))
        else:
            last = i == len(parts) - 2 and not parts[-1]
            if part == "hint":
                rx.append(f"(?P<hint>{HINT.pattern})")
            else:
                rx.append(f"(?P<{part}>.+)" if last else f"(?P<{part}>.+?)")
    return re.compile("".join(rx), re.S)


def translate(text: str, depth: int = 0) -> str:
    """One of click's sentences in the chosen language; any other text unchanged."""
    if len(text) > MAX_LINE or not text.strip():
        return text
    if text in WORDS:
        return _(text)
    for s in sentences():
        m = s.pattern.fullmatch(text)
        if m:
            values = {k: translate(v, depth + 1) if k in NESTED and depth < 2 else _(v) if v in WORDS else v
                      for k, v in m.groupdict().items() if v is not None}
            if "hint" in values:
                values["hint"] = _hint(values["hint"])
            return _(s.english).format(**values)
    return text


def _hint(hint: str) -> str:
    m = HINT.fullmatch(hint)
    if m and m.group(2) == "'None'":  # typer 0.19 names an env var where there is none
        return m.group(1)
    if m and m.group(2):
        return _(ENV_HINT).format(option=m.group(1), var=m.group(2))
    return hint


def translate_lines(text: str) -> str:
    return "\n".join(translate(line) for line in text.split("\n"))


def translate_help(text: str) -> str:
    """An option's help with click's bracket after it: `Show this message and exit.  [default: x]`."""
    body, extra = text, ""
    if text.endswith("]") and "[" in text:
        cut = text.rfind("[")
        body, extra = text[:cut], text[cut + 1:-1]
        extra = "[" + "; ".join(translate(part) for part in extra.split("; ")) + "]"
    head = body.rstrip()
    return translate(head) + body[len(head):] + extra


def translate_usage(args: str) -> str:
    return " ".join(_(USAGE_WORDS[w]) if w in USAGE_WORDS else w for w in args.split(" "))


def _click_package() -> str:
    """The package of the click typer runs on: `click`, or typer's own copy of it."""
    from typer.core import TyperCommand

    base = next(c for c in TyperCommand.__mro__ if c.__name__ == "Command" and c.__module__ != "typer.core")
    return base.__module__.rpartition(".")[0]


def install() -> None:
    """From now on, click's usage lines, headings, option help and usage errors are translated."""
    pkg = _click_package()
    formatting = importlib.import_module(pkg + ".formatting")
    exceptions = importlib.import_module(pkg + ".exceptions")
    formatter = formatting.HelpFormatter
    if getattr(formatter, "devdoctor_translated", False):
        return
    formatter.devdoctor_translated = True
    _wrap(formatter, "write_usage", lambda orig: lambda self, prog, args="", prefix=None: orig(
        self, prog, translate_usage(args), _("Usage: ") if prefix is None else prefix))
    _wrap(formatter, "write_heading", lambda orig: lambda self, heading: orig(self, translate(heading)))
    _wrap(formatter, "write_dl", lambda orig: lambda self, rows, *a, **k: orig(
        self, [(term, translate_help(text)) for term, text in rows], *a, **k))
    for cls in (exceptions.ClickException, exceptions.UsageError):
        if "show" in vars(cls):
            _wrap(cls, "show", _translated_show)


def _wrap(cls: type, name: str, make: Callable[[Callable], Callable]) -> None:
    orig = getattr(cls, name)
    setattr(cls, name, functools.wraps(orig)(make(orig)))


def _translated_show(orig: Callable) -> Callable:
    def show(self, file=None) -> None:
        buffer = io.StringIO()
        orig(self, file=buffer)
        out = file if file is not None else sys.stderr
        out.write(translate_lines(buffer.getvalue()))
        out.flush()
    return show
