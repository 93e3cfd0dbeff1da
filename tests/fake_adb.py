"""A fake adb *server* (the laptop side, port 5037 protocol) that lists whatever devices a test
wants, in any state. Enough to test device selection and error messages without a device; the
simulated device behind the real adb server covers everything past that."""
from __future__ import annotations

import socket
import socketserver
import threading


class _Handler(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        sock: socket.socket = self.request
        try:
            n = int(sock.recv(4), 16)
            req = b""
            while len(req) < n:
                req += sock.recv(n - len(req))
        except (ValueError, OSError):
            return
        req_s = req.decode()
        if req_s == "host:version":
            self._okay(sock, "0029")
        elif req_s in ("host:devices", "host:devices-l"):
            lines = "".join(f"{serial}\t{state}{' ' + extra if extra else ''}\n"
                            for serial, state, extra in self.server.devices)  # type: ignore[attr-defined]
            self._okay(sock, lines)
        else:
            msg = f"unknown host service {req_s}".encode()
            sock.sendall(b"FAIL" + f"{len(msg):04x}".encode() + msg)

    @staticmethod
    def _okay(sock: socket.socket, payload: str) -> None:
        data = payload.encode()
        sock.sendall(b"OKAY" + f"{len(data):04x}".encode() + data)


class FakeAdbServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, devices: list[tuple[str, str, str]]):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.devices = devices
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return self.server_address[1]

    def __enter__(self) -> "FakeAdbServer":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.shutdown()
        self.server_close()
