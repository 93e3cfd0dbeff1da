"""The page for support: one HTML file with the verdicts and, inside it, the raw recording, so that
`devdoctor run --replay page.html` replays the field session with today's checks and shows what changed.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path

from devdoctor import __version__
from devdoctor.core.diagnose import Target
from devdoctor.sources.fixture import Fixture, FixtureError, dump, json_document, parse
from devdoctor.sources.replay import Replayer
from devdoctor.ui.i18n import _
from devdoctor.report.redact import Redactor
from devdoctor.report.model import DeviceReport

RECORDING_ID = "devdoctor-recording"
RESULTS_ID = "devdoctor-results"
_SCRIPT = '<script type="application/json" id="{id}">{body}</script>'


@dataclass
class FieldRun:
    """What a support page holds: the recording and the verdicts of the field run."""

    fixture: Fixture
    statuses: dict[str, str] = field(default_factory=dict)  # check id -> status in the field
    titles: dict[str, str] = field(default_factory=dict)
    generated_at: str = ""
    devdoctor_version: str = ""
    redacted: bool = True


@dataclass
class Change:
    id: str
    title: str
    before: str | None  # None: the check did not run in the field
    after: str | None  # None: no such check today


def redacted(report_doc: dict, fixture: Fixture) -> tuple[dict, Fixture]:
    """The report and the recording with serials, IMEIs, MAC/IP addresses and Wi-Fi names masked."""
    r = Redactor()
    r.add_serial(str(fixture.device.get("serial") or ""))
    r.add_serial(str(report_doc.get("device", {}).get("serial") or ""))
    for e in fixture.entries:
        r.learn(e.stdout.decode("utf-8", "replace"))
    masked = Fixture(r.value(dict(fixture.device)), [], [], r.text(fixture.description),
                     r.value(dict(fixture.provenance)), r.value(dict(fixture.extra)))
    for e in fixture.entries:
        masked.entries.append(replace(e, command=r.text(e.command), stdout=_mask_bytes(r, e.stdout),
                                      stderr=_mask_bytes(r, e.stderr)))
    for f in fixture.files:
        masked.files.append(replace(f, path=r.text(f.path), content=None if f.content is None
                                    else _mask_bytes(r, f.content)))
    masked.provenance["redacted"] = True
    return r.value(report_doc), masked


def _mask_bytes(r: Redactor, data: bytes) -> bytes:
    return r.text(data.decode("utf-8", "surrogateescape")).encode("utf-8", "surrogateescape")


def _embed(obj) -> str:
    # "<" escaped so that nothing in a device's output can close the <script> element
    return json.dumps(obj, ensure_ascii=False).replace("<", "\\u003c")


def write(path: Path, report: DeviceReport, fixture: Fixture, exit_code: int, redact: bool = True) -> None:
    from devdoctor.report import html
    from devdoctor.report.json_report import device_doc

    doc = device_doc(report)
    if redact:
        doc, fixture = redacted(doc, fixture)
    generated = datetime.now(timezone.utc).isoformat(timespec="seconds")
    results = {"devdoctor_version": __version__, "generated_at": generated, "exit_code": exit_code,
               "redacted": redact, "checks": [{"id": c["id"], "title": c["title"], "status": c["status"]}
                                               for c in doc["checks"]]}
    scripts = (_SCRIPT.format(id=RESULTS_ID, body=_embed(results)) + "\n"
               + _SCRIPT.format(id=RECORDING_ID, body=_embed(json.loads(dump(fixture)))))
    page = html.render(doc, exit_code, generated, redact, scripts)
    Path(path).write_text(page, encoding="utf-8")


def is_report(path: Path) -> bool:
    """A support page rather than a JSON recording."""
    if path.suffix.lower() in (".html", ".htm"):
        return True
    try:
        with open(path, "rb") as fh:
            start = fh.read(512).lstrip().lower()
    except OSError:
        return False
    return start.startswith((b"<!doctype", b"<html"))


def _script(text: str, element_id: str, path: Path):
    m = re.search(r'<script type="application/json" id="%s">(.*?)</script>' % re.escape(element_id), text, re.S)
    if not m:
        raise FixtureError(_("{file} is an HTML page without a devdoctor recording in it (was it written by "
                             "`devdoctor run --report`?)").format(file=path))
    return json_document(m.group(1), _("the recording inside {file}").format(file=path))


def read(path: Path) -> FieldRun:
    """The recording and field verdicts of a support page; FixtureError when it holds none."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise FixtureError(_("{file}: cannot read ({error})").format(file=path, error=e)) from None
    fixture = parse(_script(text, RECORDING_ID, path), str(path))
    results = _script(text, RESULTS_ID, path)
    results = results if isinstance(results, dict) else {}
    checks = results.get("checks", [])
    checks = checks if isinstance(checks, list) else []
    checks = [c for c in checks if isinstance(c, dict) and isinstance(c.get("id"), str)]
    return FieldRun(fixture, {c["id"]: str(c.get("status")) for c in checks},
                    {c["id"]: str(c.get("title", c["id"])) for c in checks},
                    str(results.get("generated_at", "")), str(results.get("devdoctor_version", "")),
                    bool(results.get("redacted", True)))


def replay_target(run: FieldRun, name: str) -> Target:
    return Target(Replayer(run.fixture, name), dict(run.fixture.device), name)


def changes(run: FieldRun, report: DeviceReport) -> list[Change]:
    """Checks whose verdict today differs from the field run's (new and gone checks included)."""
    now = {r.id: r for r in report.results}
    out = [Change(r.id, r.title, run.statuses.get(r.id), r.status.value) for r in report.results
           if run.statuses.get(r.id) != r.status.value]
    out += [Change(cid, run.titles.get(cid, cid), status, None) for cid, status in run.statuses.items()
            if cid not in now]
    return out
