"""Turning captured bytes into text and lines, whatever saved them."""
from __future__ import annotations

import re

from devdoctor.sources.device import split_lines

__all__ = ["decode", "is_prompt", "split_lines"]

# A prompt of Android's shell anywhere in a paste (`kalama:/ # getprop | grep wmpf`, `citrine:/ $ `,
# `shell@hammerhead:/ $ ps`, `root@android:/ # `, `1|HWELE:/ $ `), or a host's prompt before `adb`.
_PROMPT = re.compile(r"(?:\d{1,3}\|)?(?:[\w.-]{1,64}@)?[\w.-]{1,64}:[/~][^\s#$]{0,200} ?[#$](?: |$)|"
                     r"\s*(?:PS )?(?:[A-Za-z]:\\[^>]{0,200}>|[~$#>%] ?|[\w.@-]{1,64}[$#%] )\s*adb(?:\.exe)?\s")


def is_prompt(line: str) -> bool:
    """The line is a shell prompt (with or without the command typed after it), not a command's output."""
    return _PROMPT.match(line) is not None


def decode(data: bytes) -> str:
    """Text from bytes: UTF-16 with a byte-order mark (PowerShell's `>`), UTF-8 with or without BOM;
    bytes that are not UTF-8 become U+FFFD rather than an error."""
    if data.startswith(b"\xff\xfe") or data.startswith(b"\xfe\xff"):
        return data.decode("utf-16", "replace")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    return data.decode("utf-8", "replace")
