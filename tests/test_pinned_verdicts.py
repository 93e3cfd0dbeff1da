"""The verdicts of every built-in check on every bundled recording, pinned (tests/data/bundled-verdicts.json,
written by tools/pin_verdicts.py). A change of the engine, the readings or the sources must leave them as
they are; only a change of a check's own rule may move one, and then the pin is written again on purpose."""
import json

import pytest

from conftest import DATA, FIXTURES, replay_report

PINNED = json.loads((DATA / "bundled-verdicts.json").read_text(encoding="utf-8"))


def test_every_bundled_recording_is_pinned():
    assert sorted(PINNED) == sorted(p.stem for p in FIXTURES.glob("*.json"))


@pytest.mark.parametrize("name", sorted(PINNED))
def test_the_verdicts_stay_as_pinned(name):
    got = {r.id: r.status.value for r in replay_report(name).results}
    assert got == PINNED[name]
