"""The one thread that reads every shell stream (devdoctor.sources.adb_streams), against a scripted adb server:
answers cut anywhere, refusals, hangs, a vanished server, more streams than may be open at once."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time

import pytest

from devdoctor.sources import adb_streams
from devdoctor.sources.adb_streams import ServerRefused, ServerUnreachable, ShellStreams, StreamClosed, StreamTimeout
from devdoctor.simulator.services import v2_packet as packet


class ScriptedServer:
    """Accepts connections; `answer(request_service, sock)` plays the server's side after the two
    requests (`host:transport:SERIAL`, then the service) have been read and OKAYed."""

    def __init__(self, answer, transport_reply: bytes = b"OKAY"):
        self.answer, self.transport_reply = answer, transport_reply
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.open_now = self.most_open = 0
        self.closed_by_client = threading.Event()
        self._lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                sock, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(sock,), daemon=True).start()

    @staticmethod
    def _request(sock: socket.socket) -> str:
        n = int(sock.recv(4), 16)
        data = b""
        while len(data) < n:
            data += sock.recv(n - len(data))
        return data.decode()

    def _serve(self, sock: socket.socket) -> None:
        with self._lock:
            self.open_now += 1
            self.most_open = max(self.most_open, self.open_now)
        try:
            assert self._request(sock).startswith("host:transport:")
            sock.sendall(self.transport_reply)
            if self.transport_reply != b"OKAY":
                return
            service = self._request(sock)
            sock.sendall(b"OKAY")
            self.answer(service, sock)
        finally:
            with self._lock:
                self.open_now -= 1
            sock.close()

    def close(self) -> None:
        self.listener.close()


def run(server: ScriptedServer, service: str = "shell,v2:echo hi", seconds: float = 5.0, v2: bool = True):
    streams = ShellStreams("127.0.0.1", server.port)
    return streams.submit("SERIAL1", service, time.monotonic() + seconds, v2)


def test_an_answer_cut_into_single_bytes_comes_back_whole():
    def answer(service, sock):
        assert service == "shell,v2:echo hi"
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # each byte its own segment
        for b in packet(1, b"h") + packet(1, b"i\n") + packet(2, b"warn") + packet(3, b"\x03"):
            sock.sendall(bytes([b]))
            time.sleep(0.005)

    server = ScriptedServer(answer)
    assert run(server).result(5) == (b"hi\n", b"warn", 3)


def test_the_server_refusing_the_device_is_told_in_its_own_words():
    msg = b"device 'SERIAL1' not found"
    server = ScriptedServer(lambda s, sock: None, transport_reply=b"FAIL" + b"%04x" % len(msg) + msg)
    with pytest.raises(ServerRefused, match="device 'SERIAL1' not found"):
        run(server).result(5)


def test_a_command_that_never_answers_ends_at_its_deadline_and_its_stream_is_closed():
    server_saw_close = threading.Event()

    def answer(service, sock):
        if sock.recv(1) == b"":  # nothing comes: wait until devdoctor gives up and closes
            server_saw_close.set()

    server = ScriptedServer(answer)
    t0 = time.monotonic()
    with pytest.raises(StreamTimeout):
        run(server, seconds=0.3).result(5)
    assert 0.25 < time.monotonic() - t0 < 2.0
    assert server_saw_close.wait(2), "the abandoned stream was left open: the command would go on running"


def test_a_stream_cut_before_the_exit_status_is_a_closed_stream():
    server = ScriptedServer(lambda s, sock: sock.sendall(packet(1, b"half an ans")))
    with pytest.raises(StreamClosed):
        run(server).result(5)


def test_old_shell_protocol_answer_is_everything_until_the_server_closes():
    server = ScriptedServer(lambda s, sock: sock.sendall(b"line 1\r\nX4EXIT:0\r\n"))
    assert run(server, "shell:true; echo X4EXIT:$?", v2=False).result(5) == (b"line 1\r\nX4EXIT:0\r\n", b"", None)


def test_no_server_listening_is_an_unreachable_server():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # bound, never listening: connections are refused
        streams = ShellStreams("127.0.0.1", port)
        with pytest.raises(ServerUnreachable):
            streams.submit("SERIAL1", "shell,v2:true", time.monotonic() + 5, True).result(5)


def test_more_streams_than_may_be_open_wait_their_turn_and_all_finish(monkeypatch):
    monkeypatch.setattr(adb_streams, "MAX_OPEN", 3)

    def answer(service, sock):
        time.sleep(0.02)
        sock.sendall(packet(1, service.encode()) + packet(3, b"\x00"))

    server = ScriptedServer(answer)
    streams = ShellStreams("127.0.0.1", server.port)
    futures = [streams.submit("SERIAL1", f"shell,v2:echo {i}", time.monotonic() + 10, True) for i in range(20)]
    assert [f.result(10)[0] for f in futures] == [f"shell,v2:echo {i}".encode() for i in range(20)]
    assert server.most_open < 10  # 3, plus those the server counts until it has closed its end; unbounded: 20


def test_the_reading_thread_ends_when_idle_and_comes_back_for_the_next_command(monkeypatch):
    monkeypatch.setattr(adb_streams, "IDLE_SECONDS", 0.1)
    server = ScriptedServer(lambda s, sock: sock.sendall(packet(1, b"ok") + packet(3, b"\x00")))
    streams = ShellStreams("127.0.0.1", server.port)

    def reading_threads() -> int:
        return sum(t.name == "adb-streams" and t.is_alive() for t in threading.enumerate())

    assert streams.submit("SERIAL1", "shell,v2:true", time.monotonic() + 5, True).result(5)[0] == b"ok"
    deadline = time.monotonic() + 5
    while reading_threads() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert reading_threads() == 0, "an idle reader kept its thread (and sockets) for ever"
    assert streams.submit("SERIAL1", "shell,v2:true", time.monotonic() + 5, True).result(5)[0] == b"ok"


def test_a_server_name_whose_first_address_refuses_is_reached_at_the_next(monkeypatch):
    # `localhost` can name ::1 first while adb listens on 127.0.0.1 only (macOS)
    server = ScriptedServer(lambda s, sock: sock.sendall(packet(1, b"ok") + packet(3, b"\x00")))
    with socket.socket() as dead:
        dead.bind(("127.0.0.1", 0))  # bound, never listening: refused
        addresses = [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", dead.getsockname()[1])),
                     (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", server.port))]
        monkeypatch.setattr(adb_streams.socket, "getaddrinfo", lambda *a, **k: addresses)
        streams = ShellStreams("adb-host.example", server.port)
        at_once = [streams.submit("SERIAL1", "shell,v2:true", time.monotonic() + 5, True) for _ in range(5)]
        assert [f.result(5)[0] for f in at_once] == [b"ok"] * 5
        assert streams.submit("SERIAL1", "shell,v2:true", time.monotonic() + 5, True).result(5)[0] == b"ok"


def test_a_failure_of_the_reader_itself_reaches_every_caller_and_the_next_command_starts_afresh(monkeypatch):
    server = ScriptedServer(lambda s, sock: sock.sendall(packet(1, b"ok") + packet(3, b"\x00")))
    streams = ShellStreams("127.0.0.1", server.port)
    real_turn = ShellStreams._turn

    def broken_turn(self, sel):
        raise RuntimeError("selector broke")

    monkeypatch.setattr(ShellStreams, "_turn", broken_turn)
    with pytest.raises(RuntimeError, match="selector broke"):
        streams.submit("SERIAL1", "shell,v2:true", time.monotonic() + 5, True).result(5)
    monkeypatch.setattr(ShellStreams, "_turn", real_turn)
    assert streams.submit("SERIAL1", "shell,v2:true", time.monotonic() + 5, True).result(5)[0] == b"ok"


@pytest.mark.skipif(os.name == "nt", reason="file limits are a POSIX matter (Windows: select()'s 512 sockets)")
def test_a_low_file_limit_makes_commands_wait_their_turn_instead_of_failing():
    # macOS starts shells with 256 files; a 48-device run keeps about 500 streams open at once
    server = ScriptedServer(lambda s, sock: (time.sleep(0.05), sock.sendall(packet(1, b"ok") + packet(3, b"\x00"))))
    script = f"""
import resource, time
resource.setrlimit(resource.RLIMIT_NOFILE, (64, 64))  # soft = hard: it cannot be raised
from devdoctor.sources.adb_streams import ShellStreams
streams = ShellStreams("127.0.0.1", {server.port})
futures = [streams.submit("SERIAL1", "shell,v2:true", time.monotonic() + 20, True) for _ in range(150)]
print(sum(f.result(30)[0] == b"ok" for f in futures))
"""
    r = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr[-2000:]
    assert r.stdout.strip() == "150"
    assert server.most_open < 64  # within the file limit (the server counts a stream until it has closed its end)
