"""The fixture format: what a replay answers, how damaged files are refused, record/replay round trip."""
import json

import pytest

from devdoctor.sources.device import CommandTimeout, DeviceGone, FileUnreadable, NotAnswerable
from devdoctor.sources.fixture import FORMAT, Entry, Fixture, FixtureError, dump, load, parse
from devdoctor.sources.record import Recorder
from devdoctor.sources.replay import Replayer


def fx(*commands, files=()):
    return parse({"format": FORMAT, "device": {"serial": "S1"}, "commands": list(commands), "files": list(files)})


def test_replay_keeps_output_bytes_and_line_endings():
    r = Replayer(fx({"command": "getprop", "stdout": "[a]: [1]\r\n[b]: [2]\r\n", "exit_code": 0}))
    out = r.shell("getprop")
    assert out.stdout == "[a]: [1]\r\n[b]: [2]\r\n"
    assert out.lines == ["[a]: [1]", "[b]: [2]"]


def test_replay_of_non_utf8_output_from_base64():
    r = Replayer(fx({"command": "cat x", "stdout_b64": "/w==", "exit_code": 0}))
    assert r.shell("cat x").raw_stdout == b"\xff"


def test_repeated_command_answers_in_order_and_last_repeats():
    r = Replayer(fx({"command": "pm clear com.tencent.wmpf", "stdout": "Failed\n", "exit_code": 1},
                    {"command": "pm clear com.tencent.wmpf", "stdout": "Success\n", "exit_code": 0}))
    assert [r.shell("pm clear com.tencent.wmpf").stdout for _ in range(3)] == ["Failed\n", "Success\n", "Success\n"]


def test_unrecorded_command_is_not_answerable_and_names_the_command():
    with pytest.raises(NotAnswerable, match="not recorded: ps -A"):
        Replayer(fx()).shell("ps -A")


def test_list_arguments_are_quoted_like_the_recording():
    r = Replayer(fx({"command": "echo 'a b'", "stdout": "a b\n"}))
    assert r.shell(["echo", "a b"]).stdout == "a b\n"


def test_timeout_and_disconnect_replay_as_faults():
    r = Replayer(fx({"command": "logcat -d", "outcome": "timeout", "duration_ms": 8000},
                    {"command": "slow", "stdout": "x", "duration_ms": 9000},
                    {"command": "ps", "outcome": "disconnected"},
                    {"command": "getprop", "stdout": "[a]: [1]\n"}))
    with pytest.raises(CommandTimeout):
        r.shell("logcat -d")
    with pytest.raises(CommandTimeout):  # recorded slower than the caller is willing to wait
        r.shell("slow", timeout=2)
    assert r.shell("getprop").stdout
    with pytest.raises(DeviceGone, match="during `ps`"):
        r.shell("ps")
    with pytest.raises(DeviceGone, match="during `ps`"):  # gone for good, like a pulled cable
        r.shell("getprop")


def test_files_are_replayed_and_errors_kept():
    r = Replayer(fx(files=[{"path": "/a", "content_b64": "aGk="}, {"path": "/b", "error": "Permission denied"}]))
    assert r.pull("/a") == b"hi"
    with pytest.raises(FileUnreadable, match="Permission denied"):
        r.pull("/b")


@pytest.mark.parametrize("text, message", [
    ("{ not json", "not valid JSON"),
    ("[]", "not a devdoctor fixture"),
    ('{"format": "devdoctor-fixture/9", "device": {}, "commands": []}', "this devdoctor reads"),
    ('{"format": "devdoctor-fixture/1", "device": {}, "commands": [{"stdout": "x"}]}', "no \"command\""),
    ('{"format": "devdoctor-fixture/1", "device": {}, "commands": [{"command": "x", "exit_code": "0"}]}', "exit_code"),
    ('{"format": "devdoctor-fixture/1", "device": {}, "commands": [{"command": "x", "stdout_b64": "%%"}]}', "base64"),
])
def test_damaged_fixture_is_refused_with_a_reason(tmp_path, text, message):
    p = tmp_path / "f.json"
    p.write_text(text)
    with pytest.raises(FixtureError, match=message):
        load(p)


class _Live:
    kind, serial = "adb", "LIVE1"

    def shell(self, cmd, timeout=8.0):
        from devdoctor.sources.device import CommandResult
        if cmd == "hang":
            raise CommandTimeout(cmd, timeout)
        return CommandResult(cmd, "\xe4\n" if cmd == "x" else "ok\r\n", "", 0, 0.01, 1.7e9, raw_stdout=None)

    def pull(self, path, timeout=30.0):
        return b"\x00\x01"

    def close(self):
        pass


def test_record_then_replay_gives_the_same_answers(tmp_path):
    rec = Recorder(_Live(), {"serial": "LIVE1", "sdk": 28})
    a, b = rec.shell("y"), rec.shell("x")
    with pytest.raises(CommandTimeout):
        rec.shell("hang")
    rec.pull("/f")
    path = tmp_path / "rec.json"
    rec.save(path, "round trip")
    doc = json.loads(path.read_text())
    assert [c["command"] for c in doc["commands"]] == ["hang", "x", "y"]  # sorted for readable diffs
    r = Replayer.from_file(path)
    assert r.shell("y").stdout == a.stdout == "ok\r\n" and r.shell("x").stdout == b.stdout
    assert r.shell("y").host_time == pytest.approx(1.7e9, abs=0.01)
    with pytest.raises(CommandTimeout):
        r.shell("hang")
    assert r.pull("/f") == b"\x00\x01"


def test_dump_is_stable():
    f = Fixture({"serial": "S"}, [Entry("b", b"2"), Entry("a", b"1")])
    assert dump(f) == dump(parse(json.loads(dump(f))))
