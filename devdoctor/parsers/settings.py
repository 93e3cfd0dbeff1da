"""`settings get NAMESPACE KEY`: one value as the settings provider prints it (SettingsService's
`get` command in AOSP): the value, or `null` when the key is unset. A proxy cleared in the UI reads `:0`."""
from __future__ import annotations

from dataclasses import dataclass, field

UNSET = ("", "null", ":0")


@dataclass
class Setting:
    value: str | None  # None: unset, cleared or nothing printed
    problems: list[str] = field(default_factory=list)


def parse_setting(text: str) -> Setting:
    value = (text or "").strip()
    return Setting(None if value in UNSET else value)
