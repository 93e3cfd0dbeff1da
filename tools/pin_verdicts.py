#!/usr/bin/env python3
"""Write tests/data/bundled-verdicts.json: the status of every built-in check on every bundled recording,
the pin that a change of the engine (not of a check's rules) must keep. Run it only when a check's rule
changes on purpose, and say so in the commit.

    python tools/pin_verdicts.py
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))


def verdicts() -> dict[str, dict[str, str]]:
    from conftest import FIXTURES, replay_report

    return {p.stem: {r.id: r.status.value for r in replay_report(p.stem).results}
            for p in sorted(FIXTURES.glob("*.json"))}


if __name__ == "__main__":
    out = ROOT / "tests" / "data" / "bundled-verdicts.json"
    out.write_text(json.dumps(verdicts(), indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {out.relative_to(ROOT)}")
