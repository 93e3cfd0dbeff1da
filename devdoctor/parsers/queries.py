"""`dumpsys package queries` (Android 11+): package visibility as AppsFilter dumps it.

    Queries:
      system apps queryable: false
      forceQueryable:
        [com.android.a,com.android.b]      (or one name per line)
      queries via package name:
        com.example.host:
          com.tencent.wmpf
      queries via intent:                  (11; `queries via component:` 12+)
        ...
      queryable via interaction:
        User 0:
          com.example.host:
            com.tencent.wmpf
A uid shared by several packages prints as `[a,b]`. `  DISABLED` means filtering is off.
Source: AppsFilter.dumpQueries (android-11.0.0_r1) and AppsFilterBase.dumpQueries (android-13.0.0_r1).
"""
from __future__ import annotations

from devdoctor.ui.i18n import _

from dataclasses import dataclass, field

from devdoctor.parsers.text import split_lines


def _names(token: str) -> list[str]:
    token = token.strip().rstrip(":")
    if token.startswith("[") and token.endswith("]"):
        return [t.strip() for t in token[1:-1].split(",") if t.strip()]
    return [token] if token else []


@dataclass
class Visibility:
    found: bool = False  # a `Queries:` section was there
    disabled: bool = False  # filtering switched off
    system_apps_queryable: bool | None = None
    force_queryable: set[str] = field(default_factory=set)
    sees: dict[str, set[str]] = field(default_factory=dict)  # caller -> packages its manifest lets it see
    interacted: dict[str, set[str]] = field(default_factory=dict)  # caller -> seen after an interaction only
    lines: dict[str, list[str]] = field(default_factory=dict)  # caller -> the lines that said so
    problems: list[str] = field(default_factory=list)

    def can_see(self, caller: str, target: str) -> bool:
        """Visible from the manifest (or for everyone), not merely since an interaction: that grant
        is gone after a reboot, when the app first needs to reach its target."""
        return self.disabled or target in self.force_queryable or target in self.sees.get(caller, set())


def parse_queries(text: str) -> Visibility:
    vis = Visibility()
    section = ""  # the sub-list being read
    callers: list[str] = []
    caller_indent = -1
    for line in split_lines(text):
        stripped = line.strip()
        indent = len(line) - len(line.lstrip())
        if stripped == "Queries:":
            vis.found = True
            continue
        if not vis.found or not stripped:
            continue
        if indent == 0:
            break  # the next top-level section
        if indent == 2:
            callers, caller_indent = [], -1
            if stripped == "DISABLED":
                vis.disabled = True
            elif stripped.startswith("system apps queryable:"):
                vis.system_apps_queryable = stripped.endswith("true")
            section = stripped.rstrip(":")
            continue
        if section == "forceQueryable":
            vis.force_queryable.update(_names(stripped))
            continue
        if stripped.startswith("User ") and stripped.endswith(":"):
            continue
        if stripped.endswith(":") and (caller_indent < 0 or indent <= caller_indent):
            callers, caller_indent = _names(stripped), indent
            continue
        if callers and indent > caller_indent:
            into = vis.interacted if section == "queryable via interaction" else vis.sees
            for caller in callers:
                into.setdefault(caller, set()).update(_names(stripped))
                vis.lines.setdefault(caller, []).append(_("{section}: {callers} -> {target}").format(
                    section=section, callers="/".join(callers), target=stripped))
    if not vis.found:
        vis.problems.append("no `Queries:` section (Android 10 or older, or not a dumpsys package answer)")
    return vis
