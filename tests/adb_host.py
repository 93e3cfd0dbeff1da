"""A minimal ADB *host* (what the adb server does towards a device), to test the simulator's wire
protocol without adb installed. Not a general client: one stream at a time."""
from __future__ import annotations

import socket
import struct

from devdoctor.simulator import packets as p


class Host:
    def __init__(self, port: int, max_data: int = 1024 * 1024, version: int = p.VERSION_SKIP_CHECKSUM):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        self.max_data = max_data
        self.version = version
        self.next_id = 100
        self.largest_write = 0
        self.writes = 0  # WRTEs received

    def send(self, command: int, arg0: int, arg1: int, data: bytes = b"") -> None:
        self.sock.sendall(p.Packet(command, arg0, arg1, data).encode(p.VERSION_MIN))

    def read(self) -> p.Packet | None:
        return p.read_packet(self.sock, max_data=16 * 1024 * 1024)

    def connect(self) -> p.Packet | None:
        self.send(p.A_CNXN, self.version, self.max_data, b"host::features=shell_v2,cmd,stat_v2\0")
        return self.read()

    def open(self, service: str) -> tuple[int, p.Packet | None]:
        self.next_id += 1
        self.send(p.A_OPEN, self.next_id, 0, service.encode() + b"\0")
        return self.next_id, self.read()

    def collect(self, local: int, remote: int, close_after: bytes | None = None) -> bytes:
        """Every WRTE of the stream until the device's CLSE, acknowledging each as adb does."""
        out = bytearray()
        while True:
            packet = self.read()
            if packet is None or packet.command == p.A_CLSE:
                return bytes(out)
            if packet.command == p.A_WRTE:
                self.writes += 1
                self.largest_write = max(self.largest_write, len(packet.data))
                out += packet.data
                self.send(p.A_OKAY, local, remote)
                if close_after is not None and out.endswith(close_after):
                    return bytes(out)

    def run(self, service: str) -> bytes:
        local, reply = self.open(service)
        assert reply is not None and reply.command == p.A_OKAY, reply
        return self.collect(local, reply.arg0)

    def write(self, local: int, remote: int, data: bytes) -> None:
        self.send(p.A_WRTE, local, remote, data)

    def close(self) -> None:
        self.sock.close()


def v2_decode(data: bytes) -> tuple[bytes, bytes, int | None]:
    """(stdout, stderr, exit code) from a shell-protocol byte stream."""
    out, err, code, i = bytearray(), bytearray(), None, 0
    while i + 5 <= len(data):
        kind, length = struct.unpack("<BI", data[i:i + 5])
        body = data[i + 5:i + 5 + length]
        i += 5 + length
        if kind == 1:
            out += body
        elif kind == 2:
            err += body
        elif kind == 3:
            code = body[0]
    return bytes(out), bytes(err), code
