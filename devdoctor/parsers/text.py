"""Turning captured bytes into text and lines, whatever saved them."""
from __future__ import annotations

from devdoctor.device import split_lines

__all__ = ["decode", "split_lines"]


def decode(data: bytes) -> str:
    """Text from bytes: UTF-16 with a byte-order mark (PowerShell's `>`), UTF-8 with or without BOM;
    bytes that are not UTF-8 become U+FFFD rather than an error."""
    if data.startswith(b"\xff\xfe") or data.startswith(b"\xfe\xff"):
        return data.decode("utf-16", "replace")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    return data.decode("utf-8", "replace")
