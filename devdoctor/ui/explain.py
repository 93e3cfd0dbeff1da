"""`devdoctor explain ID`: the long story of a check, a WMPF log signature or a FAQ section, told from
what devdoctor itself knows (the check's texts, the remedies it gave on the bundled recordings)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from devdoctor.ui import faq
from devdoctor.ui.faq import sections
from devdoctor.check import Check, Settings
from devdoctor.ui.i18n import _
from devdoctor.core.plugins import Catalog
from devdoctor.result import Remedy, Status


@dataclass
class Seen:
    """What a check said across the bundled recordings."""

    statuses: dict[str, list[str]] = field(default_factory=dict)  # status -> recordings
    remedies: list[Remedy] = field(default_factory=list)


def signatures() -> tuple:
    """WMPF log signatures, when this devdoctor has them."""
    try:
        from devdoctor.wmpf.signatures import SIGNATURES
    except ImportError:
        return ()
    return SIGNATURES


def _with_requirements(catalog: Catalog, check: Check) -> list[Check]:
    todo, out = [check], {}
    while todo:
        c = todo.pop()
        if c.id not in out:
            out[c.id] = c
            todo.extend(x for x in (catalog.get(r) for r in c.requires) if x is not None)
    return list(out.values())


def seen_on_recordings(catalog: Catalog, check: Check, recordings: list[Path]) -> Seen:
    from devdoctor.core.diagnose import diagnose, replay_target
    from devdoctor.sources.fixture import FixtureError

    seen = Seen()
    checks = _with_requirements(catalog, check)
    for path in recordings:
        try:
            report = diagnose(replay_target(path), checks, Settings(), timeout=10.0)
        except FixtureError:
            continue
        r = next(x for x in report.results if x.id == check.id)
        seen.statuses.setdefault(r.status.value, []).append(path.stem)
        if r.remedy and r.status != Status.PASS and r.remedy.text not in [m.text for m in seen.remedies]:
            seen.remedies.append(r.remedy)
    return seen


def faq_line(section: str) -> str:
    title = faq.title(section)
    return _("FAQ {section}: {title}").format(section=section, title=title) if title else _("FAQ {section}").format(
        section=section)


def explain_check(catalog: Catalog, check: Check, recordings: list[Path]) -> list[str]:
    lines = [f"{_(check.title)} ({check.id})", "", _(check.description), ""]
    lines += [_("What it means and why it matters:")]
    lines += ["  " + p for p in (_(check.explanation) if check.explanation else _(
        "(No longer explanation has been written for this check yet; its description above says what it "
        "checks.)")).split("\n")]
    lines += ["", _("What it looks at on the device: {what}").format(what=_(check.looks_at) if check.looks_at else "?")]
    if check.requires:
        names = [_(c.title) if (c := catalog.get(r)) else r for r in check.requires]
        lines.append(_("Runs only when these pass first: {names}").format(names=", ".join(names)))
    seen = seen_on_recordings(catalog, check, recordings)
    if seen.remedies:
        lines += ["", _("How to fix it by hand (remedies it gives):")]
        for m in seen.remedies:
            lines.append("  → " + m.text)
            lines += [f"      $ {cmd}" for cmd in m.commands]
            if m.faq:
                lines += ["      " + faq_line(x) for x in sections(m.faq)]
            if m.fix:
                lines.append("      " + _("or let devdoctor do it: devdoctor fix {fix}").format(fix=m.fix))
    cited = sorted({x for m in seen.remedies if m.faq for x in sections(m.faq)}, key=section_order)
    if cited:
        lines += ["", _("What the WMPF FAQ says about it:")] + ["  " + faq_line(x) for x in cited]
    if seen.statuses:  # the recordings that show a problem by name; the passing ones only counted
        lines += ["", _("On the bundled recordings:")]
        for status in ("fail", "warn", "unknown", "skipped", "pass"):
            names = seen.statuses.get(status, [])
            if not names:
                continue
            shown = "" if status == "pass" else ": " + ", ".join(names[:6]) + (" …" if len(names) > 6 else "")
            lines.append(f"  {_(status)} {len(names)}{shown}")
    sigs = signatures() if check.id == "wmpf-log" else ()
    if sigs:
        lines += ["", _("Log signatures it recognises (devdoctor explain ID for each):")]
        lines += [f"  {s.id}: {_(s.title)}" for s in sigs]
    return lines


def explain_signature(sig) -> list[str]:
    # the signature table's texts are translated when it marks them with N_() (as English until then)
    lines = [f"{_(sig.title)} ({sig.id})", "", _("A WMPF failure recognised in the device log by the wmpf-log check."),
             "", _("What it means:"), "  " + _(sig.cause), "", _("How to fix it by hand:"), "  " + _(sig.remedy)]
    if sig.faq:
        lines += ["", _("What the WMPF FAQ says about it:")] + ["  " + faq_line(x) for x in sections(sig.faq)]
    if getattr(sig, "fix", None):
        lines += ["", _("or let devdoctor do it: devdoctor fix {fix}").format(fix=sig.fix)]
    lines += ["", _("Log lines that match:")] + [f"  /{p}/" for p in sig.patterns]
    return lines


def section_order(section: str) -> list[int]:
    """FAQ sections in reading order: 4.2 before 4.10."""
    return [int(p) if p.isdigit() else 0 for p in section.split(".")]


def known_ids(catalog: Catalog) -> list[str]:
    return sorted(catalog.ids()) + sorted(s.id for s in signatures()) + sorted(faq.SECTIONS, key=section_order)


def index(catalog: Catalog) -> list[str]:
    """What can be explained, grouped, each with its title."""
    checks = sorted(catalog.checks, key=lambda c: (c.order, c.id))
    sigs = sorted(signatures(), key=lambda s: s.id)
    width = max([len(c.id) for c in checks] + [len(s.id) for s in sigs] + [4])
    lines = [_("Checks:")] + [f"  {c.id:<{width}}  {_(c.title)}" for c in checks]
    if sigs:
        lines += ["", _("WMPF errors recognised in the log:")] + [f"  {s.id:<{width}}  {_(s.title)}" for s in sigs]
    lines += ["", _("WMPF FAQ sections:")] + [f"  {x:<{width}}  {faq.title(x)}"
                                              for x in sorted(faq.SECTIONS, key=section_order)]
    return lines + ["", _("Explain one with: devdoctor explain ID")]


def cited_in(text: str) -> set[str]:
    """The FAQ sections a text cites: "FAQ 4.5", "(FAQ 4.2, 4.4)"."""
    return {s for group in re.findall(r"FAQ ((?:\d+\.\d+(?:,\s*|\s+and\s+)?)+)", text)
            for s in re.findall(r"\d+\.\d+", group)}


def explain_section(catalog: Catalog, section: str) -> list[str]:
    """A FAQ section: its question, and what in devdoctor points at it."""
    lines = [faq_line(section), "", _("The vendor's WMPF FAQ (常见问题), section {section}. Remedies that cite it "
                                      "end with (WMPF FAQ {section}).").format(section=section)]
    sigs = [s for s in signatures() if s.faq and section in sections(s.faq)]
    checks = [c for c in sorted(catalog.checks, key=lambda c: (c.order, c.id)) if section in cited_in(c.explanation)]
    if checks:
        lines += ["", _("Checks that look for it:")] + [f"  {c.id}: {_(c.title)}" for c in checks]
    if sigs:
        lines += ["", _("WMPF errors in the log that point at it:")] + [f"  {s.id}: {_(s.title)}" for s in sigs]
    return lines


def explain(catalog: Catalog, what: str, recordings: list[Path]) -> list[str] | None:
    """The explanation's lines, or None when `what` is neither a check, a log signature nor a FAQ section."""
    check = catalog.get(what)
    if check is not None:
        return explain_check(catalog, check, recordings)
    sig = next((s for s in signatures() if s.id == what), None)
    if sig is not None:
        return explain_signature(sig)
    if what in faq.SECTIONS:
        return explain_section(catalog, what)
    return None
