"""Numbers as devices print them: never an exception, never a number Python's int() would read that a
device never prints (non-ASCII digits, thousands of digits)."""
from hypothesis import given, settings
from hypothesis import strategies as st

from devdoctor.parsers.numbers import MAX_DIGITS, to_int


def _reference(text: str) -> int | None:
    s = text.strip()
    digits = s[1:] if s[:1] in ("-", "+") else s
    if not digits or len(digits) > MAX_DIGITS or not digits.isascii() or not digits.isdigit():
        return None
    return int(s)


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.text(max_size=30), st.text(st.sampled_from("0123456789 +-٣²"), max_size=25),
                 st.integers(min_value=-10**25, max_value=10**25).map(str)))
def test_to_int_reads_what_a_device_prints_and_nothing_else(text):
    assert to_int(text) == _reference(text)


def test_the_edges():
    assert [to_int(t) for t in ("4242", " 12 ", "-3", "+5", "1" * 20)] == [4242, 12, -3, 5, int("1" * 20)]
    assert [to_int(t) for t in ("", "1" * 21, "٣", "²", "0x1f", None, "1 2")] == [None] * 7
