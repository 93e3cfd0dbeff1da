"""Readings: one declaration per fact, answered by every source, shown by `inspect` in its own JSON form.

Here: every kind `inspect` can tell is a declared reading; inspect shows the very value a check reads;
a reading is asked of the device once however many checks read it; and the README's third-party check,
which declares a reading of its own, passes, warns and gives up for the right reasons.
"""
from __future__ import annotations

import importlib.util
import re
import sys

import pytest

from conftest import FIXTURES, ROOT
from devdoctor.check import Check, Context
from devdoctor.sources.fixture import FORMAT, load, parse
from devdoctor.parsers.capture import KINDS
from devdoctor.readings import REGISTRY, by_kind
from devdoctor.readings.catalog import PROCESSES, PROPS
from devdoctor.readings.pasted import inspect_bytes
from devdoctor.sources.replay import Replayer
from devdoctor.result import CheckResult, Status
from devdoctor.core.runner import run_checks


def test_every_kind_inspect_can_tell_is_a_declared_reading_with_a_json_form():
    for kind in KINDS:
        reading = by_kind(kind)
        assert reading is not None and reading.json_form, kind


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_json_form_reads_an_empty_capture_and_says_nothing_was_read(kind):
    reading, _cap = inspect_bytes(b"", kind)
    assert reading.kind == kind and isinstance(reading.facts, dict)


def recorded(name: str, command: str) -> bytes:
    return next(e.stdout for e in load(FIXTURES / f"{name}.json").entries if e.command == command)


def test_inspect_shows_the_value_a_check_reads():
    # The same getprop and ps answers, read once as a check reads them and once pasted into inspect.
    class Reader(Check):
        id, title, description = "reader", "Reader", "Reads props and processes."

        def run(self, ctx: Context) -> CheckResult:
            seen.update(props=ctx.read(PROPS).value, ps=ctx.read(PROCESSES).value)
            return CheckResult.passed("read")

    seen: dict = {}
    run_checks(Replayer.from_file(FIXTURES / "healthy-a9-panel.json"), [Reader()])
    props, _ = inspect_bytes(recorded("healthy-a9-panel", "getprop"), "getprop")
    assert props.facts["sdk"] == seen["props"].sdk == 28
    assert props.facts["abi_list"] == seen["props"].abi_list
    ps, _ = inspect_bytes(recorded("healthy-a9-panel", PROCESSES.command_for(28)), "ps")
    assert [p["name"] for p in ps.facts["processes"]] == [p.name for p in seen["ps"].processes]
    assert any(p.name == "com.tencent.wmpf" for p in seen["ps"].processes)


def test_a_reading_is_asked_of_the_device_once_however_many_checks_read_it():
    asked: list[str] = []

    class Counting(Replayer):
        def shell(self, command, timeout=10.0):
            asked.append(command)
            return super().shell(command, timeout)

    class ReadsProps(Check):
        description = "Reads getprop."

        def run(self, ctx: Context) -> CheckResult:
            return CheckResult.passed(f"SDK {ctx.read(PROPS).value.sdk}")

    checks = []
    for n in range(3):
        checks.append(type(f"ReadsProps{n}", (ReadsProps,), {"id": f"props-{n}", "title": f"Props {n}"})())
    report = run_checks(Counting(load(FIXTURES / "healthy-a9-panel.json")), checks)
    assert [r.summary for r in report.results] == ["SDK 28"] * 3
    assert asked.count("getprop") == 1


# -- the README's example: a third party's check with its own reading ----------------------------------
def readme_module():
    code = re.search(r"```python\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S).group(1)
    spec = importlib.util.spec_from_loader("readme_uptime", loader=None)
    module = importlib.util.module_from_spec(spec)
    sys.modules["readme_uptime"] = module
    exec(compile(code, "README.md", "exec"), module.__dict__)
    return module


def with_uptime(answer: str | None):
    commands = [{"command": "getprop", "stdout": "[ro.build.version.sdk]: [28]\n"}]
    if answer is not None:
        commands.append({"command": "cat /proc/uptime", "stdout": answer})
    return Replayer(parse({"format": FORMAT, "device": {"serial": "X"}, "commands": commands}))


@pytest.mark.parametrize("answer,status,words", [
    ("350735.47 234388.90\n", Status.PASS, "up 97.4 h"),
    ("12.50 3.00\n", Status.WARN, "rebooted less than a minute ago"),
    ("cat: /proc/uptime: Permission denied\n", Status.UNKNOWN, "could not read the uptime"),
    (None, Status.UNKNOWN, "not recorded: cat /proc/uptime"),
])
def test_the_readme_check_reads_its_own_reading(answer, status, words):
    module = readme_module()
    assert REGISTRY["uptime"] is module.UPTIME
    result = run_checks(with_uptime(answer), [module.UptimeCheck()]).results[0]
    assert result.status == status and words in result.summary + " ".join(
        ln for e in result.evidence for ln in e.lines), (result.status, result.summary)
    if answer is not None:
        assert result.evidence[0].command == "cat /proc/uptime" and result.evidence[0].lines
