"""The report model: who a device is and what its diagnosis found. The runner fills it; every renderer
(terminal, JSON, support page, metrics, history) reads it and nothing else."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from devdoctor.result import CheckResult, Status


@dataclass
class Identity:
    serial: str
    model: str = ""
    manufacturer: str = ""
    brand: str = ""
    release: str = ""
    sdk: int | None = None
    fingerprint: str = ""
    source: str = "adb"  # adb / replay / bugreport
    source_name: str = ""  # the fixture or bugreport file
    captured_at: str = ""  # a bugreport's own time (`== dumpstate: ...`, the device's clock)
    build: str = ""  # a bugreport's `Build:` line
    notes: list[str] = field(default_factory=list)  # what the source lacks (a bugreport cut off, ...)

    def to_json(self) -> dict[str, Any]:
        return {k: list(v) if isinstance(v, list) else v for k, v in self.__dict__.items()}


@dataclass
class DeviceReport:
    identity: Identity
    results: list[CheckResult] = field(default_factory=list)
    error: str | None = None  # the device was lost or could not be reached
    error_kind: str | None = None  # disconnected / unauthorized / offline / unreachable
    duration: float = 0.0
    round_trips: int = 0
    stopped: list[str] = field(default_factory=list)  # checks devdoctor stopped (its time limits, a crash)

    @property
    def complete(self) -> bool:
        """Diagnosed to the end: not lost, no check stopped by devdoctor, and some check reached a verdict
        (a device that answered nothing at all was not checked, whatever its checks say)."""
        verdicts = [r for r in self.results if r.status in (Status.PASS, Status.WARN, Status.FAIL)]
        return self.error is None and not self.stopped and (bool(verdicts) or not self.results)

    def counts(self) -> dict[str, int]:
        out = {s.value: 0 for s in Status}
        for r in self.results:
            out[r.status.value] += 1
        return out

    @property
    def failed(self) -> bool:
        return any(r.status == Status.FAIL for r in self.results)

    def worst(self) -> CheckResult | None:
        """The problem to name first: the first failure, else the first warning, else the first unknown."""
        for status in (Status.FAIL, Status.WARN, Status.UNKNOWN):
            for r in self.results:
                if r.status == status:
                    return r
        return None


@dataclass
class Report:
    """One run: every device's report, the exit code, the check plugins that could not be loaded, and for a
    replayed support page the field run it came from and what changed since."""

    devices: list[DeviceReport]
    exit_code: int
    plugin_problems: list = field(default_factory=list)  # devdoctor.core.plugins.LoadProblem
    field_run: Any = None  # devdoctor.report.support.FieldRun
    changes: list = field(default_factory=list)  # devdoctor.report.support.Change
