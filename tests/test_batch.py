"""Batching: several fixed reads in one round trip, each keeping its exact output and exit status."""
from hypothesis import given, settings
from hypothesis import strategies as st

from devdoctor.sources import batch
from devdoctor.sources.device import CommandResult, DeviceGone
from devdoctor.core.facts import Facts
from devdoctor.sources.fixture import parse
from devdoctor.sources.record import Recorder
from devdoctor.sources.replay import Replayer

ANSWERS = {"getprop ro.build.version.sdk": ("28\n", "", 0), "cat /proc/uptime": ("12.5 3.1", "", 0),
           "ls /nope": ("", "ls: /nope: No such file or directory\n", 1)}


class BatchShell:
    """A device shell that runs batch scripts the way a real one prints them."""

    kind, serial = "fake", "FAKE1"

    def __init__(self, answers, crlf=False, die_after=None):
        self.answers, self.crlf, self.die_after, self.sent = answers, crlf, die_after, []

    def shell(self, cmd, timeout=8):
        self.sent.append(cmd)
        parts = batch.decompose(cmd)
        if parts is None:
            out, err, code = self.answers[cmd]
            return CommandResult(cmd, out, err, code, 0.01)
        token = cmd.split("printf '\\n%s%d\\n' ", 1)[1].split(" ", 1)[0]
        answers = [self.answers[p] for p in parts]
        if self.die_after is not None:
            answers = answers[:self.die_after]
        out, err = batch.join_answers(answers, token)
        if self.crlf:  # a legacy pty shell: one stream, every LF a CRLF
            merged = token + "\n" + "".join(f"{o}{e}\n{token}{c}\n\n{token}\n" for o, e, c in answers)
            out, err = merged.replace("\n", "\r\n"), ""
        return CommandResult(cmd, out, err, 0, 0.03)

    def shell_batch(self, commands, timeout=8):
        token = batch.new_token()
        return batch.split(self.shell(batch.compose(commands, token), timeout), commands, token)


def test_each_command_keeps_its_output_stderr_and_exit_status():
    dev = BatchShell(ANSWERS)
    results = dev.shell_batch(list(ANSWERS))
    assert len(dev.sent) == 1
    for r in results:
        assert (r.stdout, r.stderr, r.exit_code) == ANSWERS[r.command]


def test_legacy_crlf_shell_still_splits():
    r = BatchShell(ANSWERS, crlf=True).shell_batch(list(ANSWERS))
    assert [x.exit_code for x in r] == [0, 0, 1]
    assert r[1].stdout == "12.5 3.1"
    assert r[2].stdout == "ls: /nope: No such file or directory\r\n"  # stderr comes within stdout there


def test_a_shell_that_dies_half_way_is_unreadable_not_wrong():
    try:
        BatchShell(ANSWERS, die_after=2).shell_batch(list(ANSWERS))
    except batch.BatchUnreadable as e:
        assert "answered only 2" in str(e)
    else:
        raise AssertionError("a batch missing an answer must not be split")


text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=200)


@settings(max_examples=200)
@given(st.lists(st.tuples(text, text, st.integers(0, 255)), min_size=1, max_size=6))
def test_split_gives_back_exactly_what_each_command_printed(answers):
    cmds = [f"echo {i}" for i in range(len(answers))]
    dev = BatchShell(dict(zip(cmds, answers)))
    got = dev.shell_batch(cmds)
    assert [(r.stdout, r.stderr, r.exit_code) for r in got] == answers


def test_decompose_reads_back_what_compose_wrote_and_nothing_else():
    cmds = ["getprop", "dumpsys package com.tencent.wmpf", "ps -A | grep wmpf"]
    assert batch.decompose(batch.compose(cmds, batch.new_token())) == cmds
    assert batch.decompose("getprop") is None
    assert batch.decompose(batch.compose(cmds, "X4Babc") + "; reboot") is None


def test_prefetch_is_one_round_trip_and_checks_get_the_answers():
    dev = BatchShell(ANSWERS)
    facts = Facts(dev)
    facts.prefetch(list(ANSWERS))
    assert facts.run("ls /nope").stderr.startswith("ls: /nope")
    assert facts.run("cat /proc/uptime").stdout == "12.5 3.1"
    assert facts.round_trips == 1 and len(dev.sent) == 1


def test_prefetch_falls_back_to_one_by_one_when_the_batch_is_unreadable():
    dev = BatchShell(ANSWERS, die_after=1)
    facts = Facts(dev)
    facts.prefetch(list(ANSWERS))
    assert facts.run("ls /nope").exit_code == 1
    assert [facts.run(c).stdout for c in ANSWERS] == [a[0] for a in ANSWERS.values()]
    assert len(dev.sent) == 1 + len(ANSWERS)  # the failed batch, then each command once


def test_a_recorded_batch_is_kept_command_by_command_and_replays():
    rec = Recorder(BatchShell(ANSWERS))
    recording = Facts(rec)
    recording.prefetch(list(ANSWERS))
    for c in ANSWERS:
        recording.run(c)  # the batch's answers are in
    assert recording.round_trips == 1
    assert sorted(e.command for e in rec.entries) == sorted(ANSWERS)
    replayer = Replayer(parse(_saved(rec)))
    facts = Facts(replayer)
    facts.prefetch(list(ANSWERS))
    assert facts.run("cat /proc/uptime").stdout == "12.5 3.1" and facts.round_trips == 1


def _saved(rec):
    import json
    import tempfile
    from pathlib import Path

    path = Path(tempfile.mkdtemp()) / "rec.json"
    rec.save(path)
    return json.loads(path.read_text())


def test_slow_reads_start_at_once_each_on_its_own():
    dev = BatchShell(ANSWERS)
    facts = Facts(dev)
    facts.prefetch(["getprop ro.build.version.sdk", "cat /proc/uptime"], slow=["ls /nope"])
    assert facts.run("ls /nope").exit_code == 1 and facts.run("cat /proc/uptime").exit_code == 0
    assert facts.round_trips == 2 and "ls /nope" in dev.sent


def test_a_device_lost_during_a_batch_is_lost_for_every_command():
    class Gone(BatchShell):
        def shell_batch(self, commands, timeout=8):
            raise DeviceGone("device went away")

    facts = Facts(Gone(ANSWERS))
    facts.prefetch(list(ANSWERS))
    try:
        facts.run("cat /proc/uptime")
    except DeviceGone:
        assert facts.lost is not None
    else:
        raise AssertionError("expected DeviceGone")


def test_each_checks_cheap_reads_go_in_one_round_trip_of_their_own_after_the_slow_ones():
    from devdoctor.check import Check
    from devdoctor.core.runner import start_reads

    answers = {**ANSWERS, "date +%s": ("1700000000\n", "", 0), "getprop": ("[ro.build.version.sdk]: [28]\n", "", 0),
               "sleep 1": ("", "", 0)}

    class Clock(Check):
        id, title = "clock", "Clock"
        cheap_reads = ("date +%s", "cat /proc/uptime")
        slow_reads = ("sleep 1",)

    class Files(Check):
        id, title = "files", "Files"
        cheap_reads = ("ls /nope", "getprop ro.build.version.sdk")

    dev = BatchShell(answers)
    facts = Facts(dev)
    start_reads(facts, [Clock(), Files()])
    assert facts.run("date +%s").stdout == "1700000000\n" and facts.run("ls /nope").exit_code == 1
    assert facts.run("sleep 1").exit_code == 0 and facts.run("getprop").exit_code == 0
    batches = [batch.decompose(c) for c in dev.sent if batch.decompose(c)]
    assert sorted(map(sorted, batches)) == [["cat /proc/uptime", "date +%s"],
                                            ["getprop ro.build.version.sdk", "ls /nope"]]
    assert facts.round_trips == 4  # getprop, the slow read, one batch a check


def test_a_fleet_sends_every_devices_getprop_before_any_other_read():
    """Nearly every check waits for getprop: the last device's must not wait behind every other device's reads."""
    from concurrent.futures import Future

    from devdoctor.check import Check
    from devdoctor.core.runner import start_reads_of_all

    sent = []

    class Device(BatchShell):  # sends without a thread, as a live device does (devdoctor.sources.adb)
        def shell_future(self, cmd, timeout=8):
            sent.append((self.serial, cmd))
            fut = Future()
            fut.set_result(self.shell(cmd, timeout))
            return fut

        def shell_batch_future(self, commands, timeout=8):
            sent.append((self.serial, "batch"))
            fut = Future()
            fut.set_result(self.shell_batch(commands, timeout))
            return fut

    class Slow(Check):
        id, title = "slow", "Slow"
        slow_reads = ("ls /nope",)
        cheap_reads = ("cat /proc/uptime", "getprop ro.build.version.sdk")

    devices = [Device({**ANSWERS, "getprop": ("[ro.build.version.sdk]: [28]\n", "", 0)}) for _ in range(5)]
    for i, d in enumerate(devices):
        d.serial = f"D{i}"
    facts = [Facts(d) for d in devices]
    start_reads_of_all(facts, [Slow()])
    assert sent[:5] == [(f"D{i}", "getprop") for i in range(5)]
    assert sorted(sent[5:]) == sorted([(f"D{i}", c) for i in range(5) for c in ("ls /nope", "batch")])
    assert all(f.run("ls /nope").exit_code == 1 for f in facts)


def test_a_version_dependent_read_leaves_when_getprop_answers_before_any_check_asks():
    from devdoctor.check import Check
    from devdoctor.core.runner import start_reads
    from devdoctor.readings.catalog import PROCESSES
    from e2e_support import wait_until

    answers = {"getprop": ("[ro.build.version.sdk]: [28]\n", "", 0),
               "ps -A": ("USER PID PPID VSZ RSS WCHAN ADDR S NAME\nroot 1 0 0 0 0 0 S init\n", "", 0)}

    class Procs(Check):
        id, title = "procs", "Processes"
        reads = (PROCESSES,)

    dev = BatchShell(answers)
    facts = Facts(dev)
    start_reads(facts, [Procs()])
    facts.run("getprop")
    wait_until(lambda: "ps -A" in dev.sent, 5, "ps -A sent without a check asking")
    assert facts.round_trips == 2


marked = st.lists(st.sampled_from(["\n", "\r\n", "X4Bab12cd34", "0", "-1", "255", "7x", "a", " ", ""]), max_size=40)


@settings(max_examples=500)
@given(marked, st.sampled_from(["\n", "\r\n"]))
def test_the_batch_is_cut_at_its_marks_as_the_regex_would_cut_it(parts, nl):
    """The plain-string cut (no regex compiled per batch token) gives what re.split gave."""
    import re

    body, token = "".join(parts), "X4Bab12cd34"
    assert batch._cut_at_status_marks(body, nl + token, nl) == re.split(rf"{nl}{token}(-?\d+){nl}", body)


def test_two_marks_that_would_share_a_newline_are_cut_as_the_regex_cuts_them():
    import re

    for body in ("\nX4Bab12cd341\nX4Bab12cd342\n", "a\nX4Bab12cd34-\nX4Bab12cd347\nb",
                 "\nX4Bab12cd34\n\nX4Bab12cd340\n"):
        assert batch._cut_at_status_marks(body, "\nX4Bab12cd34", "\n") == re.split(r"\nX4Bab12cd34(-?\d+)\n", body)
