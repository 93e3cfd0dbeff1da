"""Numbers as devices print them, read without ever raising.

Python refuses to turn more than 4,300 digits into an int (and `str.isdigit` accepts '²', which `int`
does not), so a parser that calls `int()` on what a device sent can crash on hostile or damaged output.
No count, id, size or time a device prints is longer than an unsigned 64-bit number: 20 digits.
"""
from __future__ import annotations

MAX_DIGITS = 20


def to_int(text: str | None, base: int = 10) -> int | None:
    """The integer `text` spells (ASCII digits, an optional sign, surrounding blanks), else None."""
    if text is None:
        return None
    if base == 10 and text.isascii() and text.isdigit() and len(text) <= MAX_DIGITS:  # the usual: digits alone
        return int(text)
    s = text.strip()
    digits = s[1:] if s[:1] in ("-", "+") else s
    if not digits or len(digits) > MAX_DIGITS or not digits.isascii():
        return None
    if base == 10:  # the common case, in C: ASCII-only, so isdigit is exactly 0-9
        return int(s) if digits.isdigit() else None
    valid = "0123456789abcdefABCDEF"[: base if base <= 10 else 10 + 2 * (base - 10)]
    if any(c not in valid for c in digits):
        return None
    return int(s, base)


def to_float(text: str | None) -> float | None:
    """A decimal number as printed (`0.042`, `-3`, `1e3`), else None; never inf or nan."""
    if text is None:
        return None
    s = text.strip()
    if not s or len(s) > 64 or not s.isascii():
        return None
    try:
        value = float(s)
    except ValueError:
        return None
    return value if value == value and abs(value) != float("inf") else None
