"""`am get-standby-bucket PKG` (Android 9+): the app's standby bucket as a number.

ActivityManagerShellCommand.runGetStandbyBucket prints the bucket as an integer (9+); before 9 the
command does not exist and `am` answers with an error or its help text. Buckets (UsageStatsManager):
5 exempted, 10 active, 20 working_set, 30 frequent, 40 rare, 45 restricted (11+), 50 never.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from devdoctor.parsers.text import split_lines
from devdoctor.parsers.numbers import to_int

BUCKETS = {5: "exempted", 10: "active", 20: "working_set", 30: "frequent", 40: "rare", 45: "restricted",
           50: "never"}
RESTRICTIVE = 40  # rare and worse: jobs and alarms are deferred for hours, or never run


@dataclass
class StandbyBucket:
    bucket: int | None = None
    unsupported: bool = False  # `am` does not know the command (Android < 9)
    line: str = ""  # the line that gave the answer
    problems: list[str] = field(default_factory=list)

    @property
    def name(self) -> str | None:
        if self.bucket is None:
            return None
        return BUCKETS.get(self.bucket, f"bucket {self.bucket}")

    @property
    def restrictive(self) -> bool:
        return self.bucket is not None and self.bucket >= RESTRICTIVE


def parse_standby_bucket(text: str) -> StandbyBucket:
    out = StandbyBucket()
    lines = [ln.strip() for ln in split_lines(text) if ln.strip()]
    for ln in lines:
        m = re.fullmatch(r"(?:\S+: )?(\d{1,3})", ln)  # `PKG: N` when several packages are listed
        if m:
            out.bucket, out.line = to_int(m.group(1)), ln
            return out
    joined = " ".join(lines).lower()
    if "unknown command" in joined or "usage: am" in joined or "error: unknown" in joined:
        out.unsupported = True
        out.line = next((ln for ln in lines if "nknown" in ln), lines[0] if lines else "")
    else:
        out.problems.append("no bucket number in the answer" if lines else "empty answer")
        out.line = lines[0] if lines else ""
    return out
