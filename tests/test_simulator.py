"""The simulator's protocol, services, answers and faults, spoken to by a small Python host (no adb
needed, so these run everywhere)."""
from __future__ import annotations

import struct
import threading

import pytest
from hypothesis import given
from hypothesis import strategies as st

from adb_host import Host, v2_decode
from conftest import FIXTURES, cli
from devdoctor.sources.fixture import Entry, FileEntry, Fixture, load
from devdoctor.simulator import Fault, FaultError, SimulatedDevice, parse_spec
from devdoctor.simulator import packets as p
from devdoctor.simulator.answers import Shell, echo, split_list
from devdoctor.simulator.faults import from_fixture
from e2e_support import wait_until

PANEL = FIXTURES / "healthy-a9-panel.json"


def device(fx: Fixture | None = None, *faults: str, **kw) -> SimulatedDevice:
    return SimulatedDevice(fx or load(PANEL), "test", speed=0, faults=[parse_spec(f) for f in faults], **kw)


def small_fixture(**device) -> Fixture:
    return Fixture({"serial": "SIM1", "model": "Sim", "sdk": 28, **device},
                   [Entry("id", b"uid=2000(shell)\n"), Entry("false", b"", b"", 1),
                    Entry("ls /nope", b"", b"ls: /nope: No such file or directory\n", 1),
                    Entry("count", b"one\n"), Entry("count", b"two\n")],
                   [FileEntry("/data/local/tmp/a.txt", b"hello\n"),
                    FileEntry("/data/local/tmp/sub/b.bin", bytes(range(256)) * 600),
                    FileEntry("/data/system/secret", None, "Permission denied")])


# -- packets --------------------------------------------------------------------------------------

@given(st.sampled_from(list(p.NAMES)), st.integers(0, 2**32 - 1), st.integers(0, 2**32 - 1), st.binary(max_size=300))
def test_a_packet_reads_back_as_written(command, arg0, arg1, data):
    import socket

    a, b = socket.socketpair()
    with a, b:
        a.sendall(p.Packet(command, arg0, arg1, data).encode(p.VERSION_MIN))
        assert p.read_packet(b) == p.Packet(command, arg0, arg1, data)


def test_the_checksum_is_a_byte_sum_until_version_skip_checksum():
    raw = p.Packet(p.A_WRTE, 1, 2, b"\x01\x02\xff").encode(p.VERSION_MIN)
    assert struct.unpack("<6I", raw[:24])[4] == 0x102
    assert struct.unpack("<6I", p.Packet(p.A_WRTE, 1, 2, b"\x01").encode(p.VERSION_SKIP_CHECKSUM)[:24])[4] == 0


def test_a_bad_magic_is_a_protocol_error():
    import socket

    a, b = socket.socketpair()
    with a, b:
        a.sendall(struct.pack("<6I", p.A_OPEN, 0, 0, 0, 0, 0))
        with pytest.raises(p.ProtocolError):
            p.read_packet(b)


# -- handshake ------------------------------------------------------------------------------------

@pytest.mark.parametrize("sdk, version, max_data", [(23, p.VERSION_MIN, 4096), (27, p.VERSION_MIN, 256 * 1024),
                                                    (28, p.VERSION_SKIP_CHECKSUM, 1024 * 1024)])
def test_the_handshake_answers_as_adbd_of_that_android_version(sdk, version, max_data):
    with device(small_fixture(sdk=sdk, features=None)) as dev:
        host = Host(dev.port)
        reply = host.connect()
        host.close()
    assert reply.name == "CNXN" and reply.arg0 == version and reply.arg1 == max_data
    assert reply.data.startswith(b"device::") and b"ro.product.model=Sim;" in reply.data
    assert reply.data.endswith(b"features=" + p.default_features(sdk).encode())


def test_an_unauthorized_device_asks_for_keys_and_never_accepts_one():
    with device(None, "unauthorized") as dev:
        host = Host(dev.port)
        first = host.connect()
        host.send(p.A_AUTH, p.AUTH_SIGNATURE, 0, b"s" * 256)
        second = host.read()
        host.close()
    assert (first.name, first.arg0, len(first.data)) == ("AUTH", p.AUTH_TOKEN, 20)
    assert (second.name, second.arg0) == ("AUTH", p.AUTH_TOKEN) and second.data != first.data


def test_a_probe_that_connects_and_leaves_does_no_harm():
    with device() as dev:
        Host(dev.port).close()
        host = Host(dev.port)
        assert host.connect().name == "CNXN"
        host.close()


# -- shell ----------------------------------------------------------------------------------------

def test_shell_v2_keeps_stdout_stderr_and_the_exit_code_apart():
    with device(small_fixture()) as dev:
        host = Host(dev.port)
        host.connect()
        assert v2_decode(host.run("shell,v2:ls /nope")) == (b"", b"ls: /nope: No such file or directory\n", 1)
        assert v2_decode(host.run("shell,v2,TERM=xterm,raw:id")) == (b"uid=2000(shell)\n", b"", 0)
        host.close()


def test_a_command_the_recording_lacks_is_refused_as_a_gap_in_the_recording_not_a_missing_program():
    with device(small_fixture()) as dev:
        host = Host(dev.port)
        host.connect()
        # exit 127 as a shell's, but in words no device prints: devdoctor reads a gap in a file, not a fault
        assert v2_decode(host.run("shell,v2:frobnicate --all")) == (
            b"", b"devdoctor simulate: not in the recording test: frobnicate --all\n", 127)
        assert host.run("shell:frobnicate") == b"devdoctor simulate: not in the recording test: frobnicate\n"
        host.close()


def test_a_legacy_command_list_reports_the_exit_status_through_echo():
    with device(small_fixture(features="")) as dev:
        host = Host(dev.port)
        host.connect()
        assert host.run("shell:false; echo X4EXIT:$?") == b"X4EXIT:1\n"
        assert host.run("shell:id;echo done") == b"uid=2000(shell)\ndone\n"
        local, reply = host.open("shell,v2:id")  # no shell protocol before Android 7
        assert reply.name == "CLSE" and reply.arg1 == local
        host.close()


def test_repeated_commands_answer_in_recorded_order_and_the_last_repeats():
    with device(small_fixture()) as dev:
        host = Host(dev.port)
        host.connect()
        assert [host.run("exec:count") for _ in range(3)] == [b"one\n", b"two\n", b"two\n"]
        host.close()


def test_exec_matches_the_quoted_arguments_adb_sends():
    fx = small_fixture()
    fx.entries.append(Entry("getprop ro.build.version.sdk", b"28\n"))
    with device(fx) as dev:
        host = Host(dev.port)
        host.connect()
        assert host.run("exec:getprop 'ro.build.version.sdk'") == b"28\n"
        host.close()


def test_no_write_is_larger_than_the_host_accepts():
    fx = small_fixture()
    fx.extra["faults"] = [{"kind": "large", "command": "id", "size_mb": 0.2}]
    with device(fx) as dev:
        host = Host(dev.port, max_data=4096)
        host.connect()
        out, _, code = v2_decode(host.run("shell,v2:id"))
        host.close()
    assert host.largest_write <= 4096 and code == 0
    assert out.startswith(b"uid=2000(shell)\n") and len(out) == int(0.2 * 1024 * 1024)


def test_output_ready_at_once_comes_in_one_write_and_a_slow_one_as_it_comes():
    """adbd sends what a command has written so far in one packet: a batch answered at once is one WRTE
    (each WRTE costs a round trip through the adb server), output that trickles comes piece by piece."""
    from devdoctor.sources import batch

    script = batch.compose(["id", "ls /nope", "false"], "X4B00c0ffee")
    with device(small_fixture()) as dev:
        host = Host(dev.port)
        host.connect()
        out, err, code = v2_decode(host.run("shell,v2:" + script))
        assert (host.writes, code) == (1, 0) and b"uid=2000(shell)" in out and b"No such file" in err
        host.close()
    fx = small_fixture()
    fx.extra["faults"] = [{"kind": "slow", "command": "id", "chunk": 4, "interval": 0.001}]
    with device(fx) as dev:
        host = Host(dev.port)
        host.connect()
        assert v2_decode(host.run("shell,v2:id")) == (b"uid=2000(shell)\n", b"", 0)
        assert host.writes >= 4  # 16 bytes, 4 at a time
        host.close()


def test_refused_services_are_closed_at_once():
    with device() as dev:
        host = Host(dev.port)
        host.connect()
        for service in ("reboot:", "root:", "tcpip:5555", "jdwp", "abb:package list"):
            local, reply = host.open(service)
            assert (reply.name, reply.arg0, reply.arg1) == ("CLSE", 0, local), service
        host.close()


def test_a_hung_command_ends_when_the_host_gives_up():
    with device(small_fixture(), "hang@id") as dev:
        host = Host(dev.port)
        host.connect()
        local, reply = host.open("shell,v2:id")
        assert reply.name == "OKAY"
        wait_until(lambda: any(t.name.startswith("sim-stream") for t in threading.enumerate()), 5, "a stream thread")
        host.send(p.A_CLSE, local, reply.arg0)
        wait_until(lambda: not any(t.name.startswith("sim-stream") and t.is_alive() for t in threading.enumerate()),
                   5, "the hung stream to end")
        assert v2_decode(host.run("shell,v2:false"))[2] == 1  # the device itself still answers
        host.close()


def test_an_unplugged_device_drops_the_connection_and_refuses_to_come_back():
    with device(small_fixture(), "unplug@#2") as dev:
        host = Host(dev.port)
        host.connect()
        assert v2_decode(host.run("shell,v2:id"))[2] == 0
        host.open("shell,v2:id")  # its OKAY may or may not get out before the cable is pulled
        assert cut_off(host.read)
        again = Host(dev.port)
        assert cut_off(lambda: again.connect() and again.read())
        again.close()
        assert dev.unplugged


def cut_off(read) -> bool:
    """The connection ended: an end of stream, or a reset (which of the two is up to the OS)."""
    try:
        while read() is not None:
            pass
        return True
    except ConnectionError:
        return True


def test_invalid_utf8_output_is_not_utf8():
    with device(small_fixture(), "invalid-utf8@id") as dev:
        host = Host(dev.port)
        host.connect()
        out, _, _ = v2_decode(host.run("shell,v2:id"))
        host.close()
    with pytest.raises(UnicodeDecodeError):
        out.decode("utf-8")
    assert b"uid=2000(shell)" in out


# -- sync -----------------------------------------------------------------------------------------

def _sync(host: Host, *requests: tuple[bytes, str], expect: int) -> bytes:
    local, reply = host.open("sync:")
    for request, path in requests:
        host.write(local, reply.arg0, request + struct.pack("<I", len(path)) + path.encode())
        assert host.read().name == "OKAY"  # the device acknowledges every write
    data = bytearray()
    while len(data) < expect:
        packet = host.read()
        if packet.command == p.A_WRTE:
            data += packet.data
            host.send(p.A_OKAY, local, reply.arg0)
    host.send(p.A_CLSE, local, reply.arg0)
    return bytes(data)


def test_sync_stat_list_and_recv_show_the_recorded_files():
    with device(small_fixture()) as dev:
        host = Host(dev.port)
        host.connect()
        stat = _sync(host, (b"STAT", "/data/local/tmp/a.txt"), expect=16)
        assert stat[:4] == b"STAT" and struct.unpack("<III", stat[4:])[1] == 6
        assert _sync(host, (b"STAT", "/missing"), expect=16)[4:] == bytes(12)
        assert struct.unpack("<I", _sync(host, (b"STAT", "/data/local/tmp"), expect=16)[4:8])[0] & 0o040000
        recv = _sync(host, (b"RECV", "/data/local/tmp/a.txt"), expect=8 + 6 + 8)
        assert recv == b"DATA" + struct.pack("<I", 6) + b"hello\n" + b"DONE" + bytes(4)
        denied = _sync(host, (b"RECV", "/data/system/secret"), expect=8 + len("Permission denied"))
        assert denied == b"FAIL" + struct.pack("<I", 17) + b"Permission denied"
        listing = _sync(host, (b"LIST", "/data/local/tmp"), expect=2 * (20) + len("a.txt") + len("sub") + 20)
        assert b"a.txt" in listing and b"sub" in listing and listing.endswith(b"DONE" + bytes(16))
        sta2 = _sync(host, (b"STA2", "/missing"), expect=72)
        assert sta2[:4] == b"STA2" and struct.unpack("<I", sta2[4:8])[0] == 2  # ENOENT
        host.close()


# -- answers and faults ---------------------------------------------------------------------------

def test_command_lists_split_outside_quotes_only():
    assert split_list("a; b ;c") == ["a", "b", "c"]
    assert split_list("echo 'a;b'; x") == ["echo 'a;b'", "x"]
    assert split_list("getprop") == ["getprop"]


def test_echo_fills_in_the_last_exit_status():
    assert echo("echo X4EXIT:$?", 3) == b"X4EXIT:3\n"
    assert echo("echo X4EXIT:$?", None) == b"X4EXIT:\n"
    assert echo("echoes", 0) is None and echo("ls", 0) is None


def test_recorded_outcomes_become_faults():
    fx = small_fixture()
    fx.entries += [Entry("hangs", outcome="timeout"), Entry("drops", outcome="disconnected")]
    shell = Shell(fx, [])
    assert shell.answer("hangs").fault == Fault("hang", "hangs")
    assert shell.answer("drops").fault == Fault("unplug", "drops")
    assert shell.answer("id").fault is None


def test_fault_specs():
    assert parse_spec("hang") == Fault("hang")
    assert parse_spec("unplug@dumpsys package com.tencent.wmpf") == Fault("unplug", "dumpsys package com.tencent.wmpf")
    assert parse_spec("slow@#3") == Fault("slow", nth=3)
    assert Fault("slow", nth=3).matches("anything", 3) and not Fault("slow", nth=3).matches("anything", 2)
    for bad in ("explode", "unauthorized@getprop", "hang@#x", "hang@#0", "hang@"):
        with pytest.raises(FaultError):
            parse_spec(bad)


def test_faults_in_a_recording_are_checked():
    assert from_fixture({"faults": [{"kind": "slow", "command": "id", "interval": 0.5}]})[0].interval == 0.5
    for bad in ({"faults": {}}, {"faults": [{"kind": "x"}]}, {"faults": [{"kind": "slow", "chunk": 0}]},
                {"faults": [{"kind": "hang", "nth": 0}]}, {"faults": [{"kind": "hang", "command": 3}]}):
        with pytest.raises(FaultError):
            from_fixture(bad)


def test_only_loopback_unless_told_otherwise():
    with pytest.raises(ValueError, match="loopback"):
        device(small_fixture(), host="0.0.0.0")


# -- the command --------------------------------------------------------------------------------

def test_simulate_refuses_bad_arguments_with_exit_2():
    for args, words in [(("nosuch.json",), "no recording at nosuch.json"),
                        ((str(PANEL), "--fault", "explode"), "unknown fault"),
                        ((str(PANEL), "--host", "0.0.0.0"), "loopback")]:
        r = cli("simulate", *args, timeout=30)
        assert r.returncode == 2 and words in r.stderr and "Traceback" not in r.stderr, (args, r.stderr)


def test_simulate_refuses_a_port_in_use():
    with device() as dev:
        r = cli("simulate", str(PANEL), "--port", str(dev.port), timeout=30)
    assert r.returncode == 2 and "cannot listen on" in r.stderr and "Traceback" not in r.stderr


def test_getprop_of_one_property_comes_from_the_recorded_getprop():
    with device() as dev:  # the panel recorded a full `getprop`, never `getprop NAME`
        host = Host(dev.port)
        host.connect()
        assert v2_decode(host.run("shell,v2:getprop ro.build.version.sdk")) == (b"28\n", b"", 0)
        assert v2_decode(host.run("shell,v2:getprop no.such.prop")) == (b"\n", b"", 0)
        assert v2_decode(host.run("shell,v2:getprop no.such.prop fallback")) == (b"fallback\n", b"", 0)
        host.close()


@pytest.mark.parametrize("v2", [False, True])
def test_an_interactive_shell_answers_line_by_line(v2):
    def typed(text: bytes) -> bytes:
        return struct.pack("<BI", 0, len(text)) + text if v2 else text

    with device() as dev:
        host = Host(dev.port)
        host.connect()
        local, reply = host.open("shell,v2,TERM=xterm,pty:" if v2 else "shell:")
        remote = reply.arg0
        prompt = b"rk3288:/ $ "

        def screen() -> bytes:
            out = host.collect(local, remote, close_after=prompt)
            return v2_decode(out)[0] if v2 else out

        assert screen() == prompt
        host.write(local, remote, typed(b"getprop ro.build.version.sdkk\x7f\r"))
        assert screen() == b"getprop ro.build.version.sdkk\x08 \x08\r\n28\r\n" + prompt
        host.write(local, remote, typed(b"exit\r"))
        rest = host.collect(local, remote)
        assert (v2_decode(rest)[2] == 0) if v2 else rest == b"exit\r\n"
        host.close()


def test_request_log_reads_as_words_in_a_text_file_and_as_json_in_a_jsonl_file(tmp_path):
    import json as _json
    from types import SimpleNamespace

    from devdoctor.simulator.requestlog import RequestLog

    dev = SimpleNamespace(serial="127.0.0.1:40001")
    for name in ("sim.log", "sim.jsonl"):
        log = RequestLog(tmp_path / name)
        log.request(dev, "shell,v2:pm clear com.tencent.wmpf", command="pm clear com.tencent.wmpf")
        log.close()
    words = (tmp_path / "sim.log").read_text().split()
    assert words[1:] == ["127.0.0.1:40001", "open", "service=shell,v2:pm", "clear", "com.tencent.wmpf",
                         "pm", "clear", "com.tencent.wmpf"]
    doc = _json.loads((tmp_path / "sim.jsonl").read_text())
    assert doc["command"] == "pm clear com.tencent.wmpf" and doc["event"] == "open"


# -- the USB link and files of real size ----------------------------------------------------------

def test_the_link_lets_bytes_through_at_its_rate_one_transfer_after_another():
    from devdoctor.simulator.link import Link

    now = [100.0]
    link = Link(35.0, clock=lambda: now[0])
    mb = 1024 * 1024
    assert link.delay(35 * mb) == pytest.approx(1.0)  # 35 MB at 35 MB/s
    assert link.delay(35 * mb) == pytest.approx(2.0)  # sent at the same moment: it waits for the first
    now[0] += 10  # idle for a while: the link is free again
    assert link.delay(7 * mb) == pytest.approx(0.2)
    assert link.delay(10) == 0.0 or link.delay(10) > 0.0005  # a tiny piece is never a sub-millisecond sleep
    assert Link(0).delay(100 * mb) == 0.0  # 0: unlimited


def test_every_stream_of_a_device_shares_its_link():
    fast, slow = device(small_fixture(), rate_mb_s=0), device(small_fixture(), rate_mb_s=1.5)
    assert fast.link.bytes_per_s == 0 and slow.link.bytes_per_s == 1.5 * 1024 * 1024
    with slow:
        host = Host(slow.port)
        host.connect()
        assert v2_decode(host.run("shell,v2:id")) == (b"uid=2000(shell)\n", b"", 0)  # answers as before
        host.close()
    fast.stop()


def test_dd_ranges_come_from_the_recorded_files_and_are_counted():
    blob = bytes(range(256)) * 600
    with device(small_fixture()) as dev:
        host = Host(dev.port)
        host.connect()
        path = "/data/local/tmp/sub/b.bin"
        got = v2_decode(host.run(f"shell,v2:dd if={path} bs=4096 skip=1 count=2 2>/dev/null"))
        assert got == (blob[4096:3 * 4096], b"", 0)
        tail = v2_decode(host.run(f"shell,v2:dd if={path} bs=4096 skip=37 count=4"))
        assert tail == (blob[37 * 4096:], b"0+1 records in\n0+1 records out\n", 0)  # past the end: shorter
        assert v2_decode(host.run("shell,v2:dd if=/data/system/secret bs=4096 count=1")) == (
            b"", b"dd: /data/system/secret: Permission denied\n", 1)
        assert v2_decode(host.run("shell,v2:dd if=/nope count=1 2>/dev/null")) == (b"", b"", 1)
        assert dev.bytes_read == {path: 2 * 4096 + len(blob) - 37 * 4096}
        _sync(host, (b"RECV", "/data/local/tmp/a.txt"), expect=8 + 6 + 8)
        assert dev.bytes_read["/data/local/tmp/a.txt"] == 6  # a pull counts too
        host.close()


def test_a_recorded_dd_answers_as_recorded():
    fx = small_fixture()
    fx.entries.append(Entry("dd if=/data/local/tmp/a.txt bs=4096 skip=0 count=1 2>/dev/null", b"recorded\n"))
    with device(fx) as dev:
        host = Host(dev.port)
        host.connect()
        assert v2_decode(host.run("shell,v2:dd if=/data/local/tmp/a.txt bs=4096 skip=0 count=1 2>/dev/null"))[0] \
            == b"recorded\n"
        host.close()
