#!/usr/bin/env python3
"""Regenerate the hand-written fixtures in fixtures/ from tools/cases.py and tools/areas/*.

    python tools/make_fixtures.py           # write them all
    python tools/make_fixtures.py --check   # fail if a file differs from what would be written
"""
from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import areas  # noqa: E402
from cases import CASES  # noqa: E402
from fixturekit import ROOT, Builder  # noqa: E402


def area_modules():
    return [importlib.import_module(f"areas.{m.name}") for m in sorted(pkgutil.iter_modules(areas.__path__),
                                                                      key=lambda m: (m.name != "base", m.name))]


END_OF_LIST = "<!-- end of the generated list -->"


def files_section(readme: str, cases) -> str:
    """fixtures/README.md with its `## The files` list rewritten from the cases (what follows the
    list's end marker, the areas' own tables, is kept)."""
    head = readme.split("## The files", 1)[0]
    tail = readme.split(END_OF_LIST, 1)[1] if END_OF_LIST in readme else "\n"
    rows = "\n".join(f"- `{c.name}.json`: {c.description} (Android {c.spec.release}, SDK {c.spec.sdk})"
                      for c in sorted(cases, key=lambda c: c.name))
    return (f"{head}## The files\n\nHand-written by `tools/make_fixtures.py` in the exact output formats of each "
            f"device's Android version (the sources are named in each file's `provenance.format_source`):\n\n"
            f"{rows}\n{END_OF_LIST}{tail}")


def main() -> int:
    check = "--check" in sys.argv
    mods = area_modules()
    cases = list(CASES) + [c for m in mods for c in getattr(m, "AREA_CASES", [])]
    stale = []
    for case in cases:
        sources = "; ".join(m.SOURCES for m in mods if getattr(m, "SOURCES", ""))
        b = Builder(case.spec, case.description, sources)
        for m in mods:
            m.add(case, b)
        # A device lost mid-session is not a fixture a plain replay may use: tests/data (traits "folder").
        path = ROOT / case.traits.get("folder", "fixtures") / f"{case.name}.json"
        if check:
            tmp = path.with_suffix(".tmp")
            b.write(tmp)
            if not path.exists() or tmp.read_text() != path.read_text():
                stale.append(path.name)
            tmp.unlink()
        else:
            b.write(path)
    readme = ROOT / "fixtures" / "README.md"
    listing = files_section(readme.read_text(encoding="utf-8"), cases)
    if check and listing != readme.read_text(encoding="utf-8"):
        stale.append("README.md (## The files)")
    elif not check:
        readme.write_text(listing, encoding="utf-8")
    if stale:
        print("out of date (run tools/make_fixtures.py):", ", ".join(stale))
        return 1
    print(f"{len(cases)} fixtures {'checked' if check else 'written'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
