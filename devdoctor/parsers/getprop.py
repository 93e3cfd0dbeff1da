"""`getprop` with no arguments: `[key]: [value]` per line (toolbox, toybox and Android 9+ alike).

A value may span lines (a `[` opens it, the `]` that ends a line closes it)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from devdoctor.parsers.text import split_lines
from devdoctor.parsers.numbers import to_int

_LINE = re.compile(r"^\[([^\]]*)\]: \[(.*)$")


@dataclass
class Props:
    values: dict[str, str] = field(default_factory=dict)
    other_lines: list[str] = field(default_factory=list)  # prompts, commands, mangled lines: not properties
    problems: list[str] = field(default_factory=list)

    def get(self, key: str, default: str = "") -> str:
        return self.values.get(key, default)

    @property
    def sdk(self) -> int | None:
        v = self.get("ro.build.version.sdk").strip()
        return to_int(v)

    @property
    def release(self) -> str:
        return self.get("ro.build.version.release")

    @property
    def manufacturer(self) -> str:
        return self.get("ro.product.manufacturer") or self.get("ro.product.vendor.manufacturer")

    @property
    def brand(self) -> str:
        return self.get("ro.product.brand") or self.get("ro.product.vendor.brand")

    @property
    def model(self) -> str:
        return self.get("ro.product.model") or self.get("ro.product.vendor.model")

    @property
    def device(self) -> str:
        return self.get("ro.product.device") or self.get("ro.product.vendor.device")

    @property
    def abi_list(self) -> list[str]:
        listed = self.get("ro.product.cpu.abilist")
        if listed:
            return [a for a in listed.split(",") if a]
        return [a for a in (self.get("ro.product.cpu.abi"), self.get("ro.product.cpu.abi2")) if a]


def parse_getprop(text: str) -> Props:
    props = Props()
    key: str | None = None
    buf: list[str] = []
    skipped = 0
    for line in split_lines(text):
        if key is not None:  # inside a value that spans lines
            if line.endswith("]"):
                buf.append(line[:-1])
                props.values[key] = "\n".join(buf)
                key = None
            else:
                buf.append(line)
            continue
        m = _LINE.match(line.strip("\ufeff"))
        if not m:
            if line.strip():
                skipped += 1
                props.other_lines.append(line)
            continue
        k, rest = m.group(1), m.group(2)
        if rest.endswith("]"):
            props.values[k] = rest[:-1]
        else:
            key, buf = k, [rest]
    if key is not None:
        props.values[key] = "\n".join(buf)
        props.problems.append(f"the value of {key} is cut off (output truncated?)")
    if skipped:
        props.problems.append(f"{skipped} line(s) are not `[key]: [value]` properties and were ignored")
    if not props.values:
        props.problems.append("no `[key]: [value]` lines: this is not getprop output")
    return props
