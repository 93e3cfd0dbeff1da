"""The ADB wire protocol as the device (adbd) speaks it: 24-byte headers and their payloads.

From AOSP system/core/adb/protocol.txt and adb.h at platform-tools-29.0.6: six little-endian uint32
(command, arg0, arg1, data_length, data_check, magic = command ^ 0xffffffff), then the payload.
`data_check` is a plain byte sum (despite its name `data_crc32`), needed only with version 0x01000000.
"""
from __future__ import annotations

import socket
import struct
from dataclasses import dataclass

A_CNXN = 0x4E584E43
A_AUTH = 0x48545541
A_OPEN = 0x4E45504F
A_OKAY = 0x59414B4F
A_CLSE = 0x45534C43
A_WRTE = 0x45545257
A_SYNC = 0x434E5953

NAMES = {A_CNXN: "CNXN", A_AUTH: "AUTH", A_OPEN: "OPEN", A_OKAY: "OKAY", A_CLSE: "CLSE", A_WRTE: "WRTE",
         A_SYNC: "SYNC"}

VERSION_MIN = 0x01000000  # payloads carry a byte-sum checksum
VERSION_SKIP_CHECKSUM = 0x01000001  # Android 9+: data_check is 0

AUTH_TOKEN, AUTH_SIGNATURE, AUTH_RSAPUBLICKEY = 1, 2, 3

MAX_PAYLOAD_V1 = 4096  # the limit before a CNXN is negotiated
MAX_ACCEPTED = 1024 * 1024  # the largest payload we accept from the host (adb 29 offers 1 MiB)

_HEADER = struct.Struct("<6I")


class ProtocolError(Exception):
    """The peer sent something that is not an ADB packet; the connection is dropped, as adbd does."""


@dataclass(frozen=True)
class Packet:
    command: int
    arg0: int
    arg1: int
    data: bytes = b""

    @property
    def name(self) -> str:
        return NAMES.get(self.command, f"0x{self.command:08x}")

    def encode(self, version: int = VERSION_SKIP_CHECKSUM) -> bytes:
        check = sum(self.data) & 0xFFFFFFFF if version < VERSION_SKIP_CHECKSUM else 0
        header = _HEADER.pack(self.command, self.arg0, self.arg1, len(self.data), check,
                              self.command ^ 0xFFFFFFFF)
        return header + self.data


def _recv_exact(sock: socket.socket, n: int) -> bytes | None:
    """n bytes, or None when the peer closed the connection first."""
    buf = bytearray()
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            return None
        buf += chunk
    return bytes(buf)


def read_packet(sock: socket.socket, max_data: int = MAX_ACCEPTED) -> Packet | None:
    """The next packet from the peer; None at a clean end of the connection."""
    header = _recv_exact(sock, _HEADER.size)
    if header is None:
        return None
    command, arg0, arg1, length, _check, magic = _HEADER.unpack(header)
    if magic != command ^ 0xFFFFFFFF:
        raise ProtocolError(f"bad magic in a packet header ({header.hex()})")
    if length > max_data:
        raise ProtocolError(f"{NAMES.get(command, '?')} payload of {length} bytes exceeds {max_data}")
    data = _recv_exact(sock, length) if length else b""
    if data is None:
        return None
    return Packet(command, arg0, arg1, data)


def banner(features: str, props: dict[str, str], state: str = "device") -> bytes:
    """The device's CNXN payload, as adbd's get_connection_string builds it."""
    fields = "".join(f"{k}={v};" for k, v in props.items() if v)
    return f"{state}::{fields}features={features}".encode()


def device_limits(sdk: int | None) -> tuple[int, int]:
    """(protocol version, max payload) of adbd on that Android version (adb.h at the android-N tags)."""
    if sdk is not None and sdk <= 23:
        return VERSION_MIN, 4096
    if sdk is not None and sdk <= 27:
        return VERSION_MIN, 256 * 1024
    return VERSION_SKIP_CHECKSUM, 1024 * 1024


def default_features(sdk: int | None) -> str:
    """The adb features adbd advertises on that Android version (supported_features() in transport.cpp)."""
    if sdk is None:
        return "shell_v2,cmd"
    if sdk <= 23:
        return ""
    if sdk <= 25:
        return "shell_v2,cmd"
    if sdk <= 28:
        return "shell_v2,cmd,stat_v2"
    extra = "fixed_push_mkdir,apex,abb,fixed_push_symlink_timestamp,abb_exec"
    if sdk == 29:
        return "shell_v2,cmd,stat_v2," + extra
    return "shell_v2,cmd,stat_v2," + extra + ",ls_v2,remount_shell,sendrecv_v2"
