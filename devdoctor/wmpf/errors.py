"""Finding WMPF's errors (devdoctor.wmpf.signatures) in any text: a device log, a pasted excerpt, one line.

Every form is a regular expression applied to one line at a time, so the work is linear in the input. A
form's regex runs only on a line that holds one of its needles (plain substring tests, much cheaper than
the regexes): most lines of a device log hold none and are passed over at once. Many lines are sifted
together (match_lines): each needle is looked for once in all of them, by str.find, which skips ahead
in C where a regex of every needle steps through each character of each line.
"""
from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass
from typing import Iterable, Sequence

from devdoctor.wmpf.signatures import HINT, SIGNATURES, WMPF_PROCESS, Form, Signature

MAX_LINE = 4000  # a longer "line" is cut here before matching: no WMPF error line is nearly that long

_OWN = re.compile(WMPF_PROCESS)
_compiled: dict[Form, re.Pattern] = {}


@dataclass(frozen=True)
class Found:
    signature: Signature
    form: str  # the name of the form that matched


@dataclass(frozen=True)
class Match:
    lineno: int  # 1-based line number in the text read
    line: str
    signature: Signature
    form: str


def _rx(form: Form) -> re.Pattern:
    rx = _compiled.get(form)
    if rx is None:
        rx = _compiled[form] = re.compile(form.pattern, re.ASCII)  # \b, \w: Chinese text may touch an English word
    return rx


def _needle_index() -> dict[str, set[int]]:
    """needle -> the signatures (by position in SIGNATURES) with a form that needs it."""
    index: dict[str, set[int]] = {}
    for i, sig in enumerate(SIGNATURES):
        for form in sig.forms:
            for needle in form.needles:
                index.setdefault(needle, set()).add(i)
    return index


_NEEDLES = _needle_index()
# Any needle at all, in one search in C: most log lines hold none, and are done with at once.
_ANY_NEEDLE = re.compile("|".join(re.escape(n) for n in sorted(_NEEDLES, key=len, reverse=True)))


def _printed_elsewhere(process: str | None) -> bool:
    """The log names the process that printed the line, and it is none of WMPF's."""
    return process is not None and process not in ("", "?") and not _OWN.match(process)


def form_of(sig: Signature, line: str, process: str | None = None) -> str | None:
    """The name of the first of `sig`'s forms found on `line`, or None. `process` is the process that printed
    the line when the log says it (Android Studio's layouts)."""
    line = line[:MAX_LINE]
    elsewhere = _printed_elsewhere(process)
    hinted = None
    for form in sig.forms:
        if form.own_process and elsewhere or not any(n in line for n in form.needles):
            continue
        if form.hinted:
            if hinted is None:
                hinted = HINT.search(line) is not None
            if not hinted:
                continue
        if _rx(form).search(line):
            return form.name
    return None


def match_line(line: str, process: str | None = None) -> Found | None:
    """The first signature (in the table's order, specific ones first) found on one line."""
    line = line[:MAX_LINE]
    if _ANY_NEEDLE.search(line) is None:
        return None
    candidates: set[int] = set()
    for needle, sigs in _NEEDLES.items():
        if needle in line:
            candidates |= sigs
    for i in sorted(candidates):
        name = form_of(SIGNATURES[i], line, process)
        if name is not None:
            return Found(SIGNATURES[i], name)
    return None


def match_lines(lines: Sequence[str], processes: Sequence[str | None] | None = None) -> dict[int, Found]:
    """match_line for each of `lines` (with the process that printed it, when known): position -> what the
    line shows, for the lines that show a WMPF error. The same answers, in a fraction of the time."""
    found = {}
    for i in sorted(_lines_with_a_needle(lines)):
        hit = match_line(lines[i], processes[i] if processes is not None else None)
        if hit is not None:
            found[i] = hit
    return found


def _lines_with_a_needle(lines: Sequence[str]) -> set[int]:
    """Positions of the lines holding any needle: each needle looked for in the lines joined, resuming
    after the line it was found on (linear in the text for each needle)."""
    text = "\n".join(lines)
    starts = list(itertools.accumulate((len(ln) + 1 for ln in lines), initial=0))  # starts[k]: line k's offset
    with_needle: set[int] = set()
    for needle in _NEEDLES:
        at = text.find(needle)
        while at >= 0:
            k = bisect.bisect_right(starts, at) - 1
            with_needle.add(k)
            at = text.find(needle, starts[k + 1])
    return with_needle


def scan(lines: Iterable[str], first_lineno: int = 1) -> list[Match]:
    """Every line of free text that shows a WMPF error, in order."""
    lines = list(lines)
    return [Match(first_lineno + i, lines[i], found.signature, found.form)
            for i, found in match_lines(lines).items()]


def any_error(lines: Iterable[str]) -> bool:
    return bool(match_lines(list(lines)))
