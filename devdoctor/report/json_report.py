"""The machine-readable report, schema `devdoctor-report/1` (documented in the README).

{
  "schema": "devdoctor-report/1", "devdoctor_version": "...", "generated_at": "ISO 8601",
  "exit_code": 0|1|3|4,
  "error": {"kind", "message"},   # only when the run ended before any device: no device, no adb server, ...
  "devices": [{
     "device": {serial, model, manufacturer, brand, release, sdk, fingerprint, source, source_name,
                captured_at, build, notes},   # captured_at/build: a bugreport's own; notes: what it lacks
     "error": null | {"kind": "disconnected|unauthorized|offline|unreachable|adb-server", "message": "..."},
                                      # a device never reached has no checks
     "counts": {"pass": n, "warn": n, "fail": n, "unknown": n, "skipped": n},
     "duration": s, "round_trips": n,
     "checks": [{id, title, status, summary, remedy: {text, commands, faq, fix} | null,
                 evidence: [{command, lines, note}], details: {...}, duration}]
  }],
  "fleet": [{serial, model, counts, error: null | {kind, message}, worst: {check, status, summary} | null}],
  "plugin_problems": [{source, message}]
}
"""
from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

from devdoctor import __version__
from devdoctor.report.model import DeviceReport, Report

SCHEMA = "devdoctor-report/1"


def device_doc(r: DeviceReport) -> dict[str, Any]:
    return {
        "device": r.identity.to_json(),
        "error": error_of(r),
        "counts": r.counts(),
        "duration": round(r.duration, 3),
        "round_trips": r.round_trips,
        "stopped_checks": list(r.stopped),  # checks devdoctor stopped (its time limits, a crash): exit 4
        "checks": [c.to_json() for c in r.results],
    }


def error_of(r: DeviceReport) -> dict[str, str] | None:
    return {"kind": r.error_kind or "unreachable", "message": r.error} if r.error else None


def fleet_row(r: DeviceReport) -> dict[str, Any]:
    worst = r.worst()
    return {"serial": r.identity.serial, "model": r.identity.model, "counts": r.counts(), "error": error_of(r),
            "worst": {"check": worst.id, "status": worst.status.value, "summary": worst.summary} if worst else None}


def show(report: Report, verbose: bool = False) -> None:
    """The renderer `json`: the whole document on stdout and nothing else there."""
    from dataclasses import asdict

    extra = None
    if report.field_run is not None:  # a replayed support page: what changed since the field run
        extra = {"field_run": {"generated_at": report.field_run.generated_at,
                               "devdoctor_version": report.field_run.devdoctor_version,
                               "changes": [asdict(c) for c in report.changes]}}
    import sys

    # Indented for a person at a terminal; one line for a program reading a pipe or a file: Python
    # writes indented JSON with its slow pure-Python encoder, a fleet's report is megabytes
    print(render(report.devices, report.exit_code, report.plugin_problems, extra=extra,
                 pretty=sys.stdout.isatty()), flush=True)


def render(reports: list[DeviceReport], exit_code: int, plugin_problems: list | None = None,
           error: dict[str, str] | None = None, extra: dict[str, Any] | None = None, pretty: bool = True) -> str:
    """The report; `error` ({kind, message}) when the run ended before any device could be diagnosed."""
    doc: dict[str, Any] = {
        "schema": SCHEMA,
        "devdoctor_version": __version__,
        "generated_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "exit_code": exit_code,
    }
    if error is not None:
        doc["error"] = error
    doc.update({
        "devices": [device_doc(r) for r in reports],
        "fleet": [fleet_row(r) for r in reports],
        "plugin_problems": [{"source": p.source, "message": p.message} for p in plugin_problems or []],
    })
    doc.update(extra or {})
    return json.dumps(doc, indent=2 if pretty else None, ensure_ascii=False)
