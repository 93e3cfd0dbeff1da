"""`dumpsys activity services [PKG]`, `dumpsys activity processes`, and who owns a provider authority
(`dumpsys package providers` or `dumpsys activity providers`).

Formats (ActiveServices.dumpServicesLocked / ProcessList / ProviderMap, same shape 7.1 to 14; read in
the shared bugreports of 7.1.1, 9 and 10 and captures raw/dumpsys_activity/*):
    * ServiceRecord{4432b25 u0 com.example/.Svc}
      ...
      app=ProcessRecord{8533fdc 2478:com.example/u0a8}        (or app=null when not running)
      Bindings:
      * IntentBindRecord{a8c6ab8 CREATE}:
        * Client AppBindRecord{8168bf6 ProcessRecord{18c7adf 1867:system/1000}}
An unknown filter is answered `Unknown command: X` / `Bad activity command, or no activities match: X`;
no matching service: `  (nothing)`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from devdoctor.parsers.text import split_lines
from devdoctor.parsers.numbers import to_int

# newer releases may add words after the component (` c:caller`): tolerated
_SERVICE = re.compile(r"^\s*\* ServiceRecord\{[0-9a-f]+ u(\d+) ([^\s}]+)[^}]*\}")
_PROC = re.compile(r"ProcessRecord\{[0-9a-f]+ (\d+):([^/\s}]+)/([^\s}]+)\}")
_CLIENT = re.compile(r"^\s*\* Client AppBindRecord\{[0-9a-f]+ ProcessRecord\{[0-9a-f]+ (\d+):([^/\s}]+)/([^\s}]+)\}\}")
_APP_RECORD = re.compile(r"^\s*\*(APP|PERS)\* UID (\d+) ProcessRecord\{[0-9a-f]+ (\d+):([^/\s}]+)/([^\s}]+)\}")
_ERRORS = ("Unknown command", "Bad activity command", "Can't find service", "Permission Denial",
           "Error dumping service")
_SYSTEM_UIDS = {"1000", "1001", "1002", "1027", "1068"}  # system, phone, bluetooth, nfc, se: not a maker's app


def _error(lines: list[str]) -> str | None:
    found = [ln.strip() for ln in lines if ln.strip().startswith(_ERRORS)]
    return "; ".join(found) if found else None


def full_component(component: str) -> str:
    """`com.x/.a.B` -> `com.x.a.B`; `com.x/com.y.B` -> `com.y.B`."""
    pkg, _, cls = component.partition("/")
    return pkg + cls if cls.startswith(".") else cls


@dataclass
class Client:
    pid: int
    process: str
    uid: str  # as printed: u0a85, 1000
    line: str

    @property
    def is_system(self) -> bool:
        return self.uid in _SYSTEM_UIDS or self.process == "system"


@dataclass
class ServiceRecord:
    component: str  # as printed: com.tencent.wmpf/.app.WMPFService
    user: int
    package: str | None = None
    process_name: str | None = None
    app_pid: int | None = None  # the process it runs in, None for app=null
    clients: list[Client] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)

    @property
    def class_name(self) -> str:
        return full_component(self.component)

    @property
    def running(self) -> bool:
        return self.app_pid is not None


@dataclass
class ServiceDump:
    services: list[ServiceRecord] = field(default_factory=list)
    nothing: bool = False  # the dump said `(nothing)`: no service of that package is active
    error: str | None = None
    problems: list[str] = field(default_factory=list)

    def find(self, class_name: str) -> list[ServiceRecord]:
        return [s for s in self.services if s.class_name == class_name]

    def app_clients(self, class_name: str, exclude: tuple[str, ...] = ()) -> list[Client]:
        """Processes of apps (not the system) bound to that service, outside the packages in `exclude`."""
        out = []
        for s in self.find(class_name):
            for c in s.clients:
                if not c.is_system and c.process.split(":")[0] not in exclude and c not in out:
                    out.append(c)
        return out


def parse_services(text: str) -> ServiceDump:
    dump = ServiceDump()
    lines = split_lines(text)
    dump.error = _error(lines)
    rec: ServiceRecord | None = None
    saw_header = False
    for line in lines:
        stripped = line.strip()
        if stripped.startswith("ACTIVITY MANAGER SERVICES"):
            saw_header = True
            continue
        if stripped == "(nothing)":
            dump.nothing = True
            continue
        m = _SERVICE.match(line)
        if m:
            rec = ServiceRecord(m.group(2), to_int(m.group(1)), lines=[line.strip()])
            dump.services.append(rec)
            continue
        if rec is None:
            continue
        if stripped:
            rec.lines.append(stripped)
        c = _CLIENT.match(line)
        if c:
            rec.clients.append(Client(to_int(c.group(1)), c.group(2), c.group(3), stripped))
        elif stripped.startswith("packageName="):
            rec.package = stripped[len("packageName="):]
        elif stripped.startswith("processName="):
            rec.process_name = stripped[len("processName="):]
        elif stripped.startswith("app="):
            p = _PROC.search(stripped)
            rec.app_pid = to_int(p.group(1)) if p else None
    if not dump.services and not dump.nothing and dump.error is None:
        if saw_header:
            dump.nothing = True  # a header and no record: nothing active
        else:
            dump.error = "no `ACTIVITY MANAGER SERVICES` section: not a dumpsys activity services answer"
    return dump


@dataclass
class AmProcess:
    pid: int
    name: str
    uid: str
    persistent: bool = False


@dataclass
class ProcessDump:
    processes: list[AmProcess] = field(default_factory=list)  # `All known processes`, one per pid
    error: str | None = None
    problems: list[str] = field(default_factory=list)

    def named(self, name: str) -> list[AmProcess]:
        return [p for p in self.processes if p.name == name]

    def pid_of(self, name: str) -> int | None:
        found = self.named(name)
        return found[0].pid if found else None


def parse_processes(text: str) -> ProcessDump:
    """`dumpsys activity processes`, or the whole `dumpsys activity` that holds it (every section, as MIUI
    and HyperOS technicians paste it): the `*APP*` / `*PERS*` records of `All known processes`."""
    dump = ProcessDump()
    lines = split_lines(text)
    seen: set[int] = set()
    for line in lines:
        m = _APP_RECORD.match(line)
        pid = to_int(m.group(3)) if m else None
        if pid is not None and pid not in seen:
            seen.add(pid)
            dump.processes.append(AmProcess(pid, m.group(4), m.group(5), m.group(1) == "PERS"))
    if not dump.processes:
        # the refusal comes first; a full dump (MIUI, HyperOS) may quote such words deep inside, among records
        dump.error = _error([ln for ln in lines if ln.strip()][:20]) or (
            "no process records (`*APP*` / `*PERS*` lines): not a dumpsys activity processes answer")
    return dump


@dataclass
class ProviderOwner:
    authority: str
    package: str
    component: str
    lines: list[str] = field(default_factory=list)


@dataclass
class Authorities:
    entries: dict[str, ProviderOwner] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def owner(self, authority: str) -> ProviderOwner | None:
        return self.entries.get(authority)


_AUTH_HEAD = re.compile(r"^\s*\[([^\]]+)\]:\s*$")
_PROVIDER = re.compile(r"Provider\{[0-9a-f]+ ([^\s/}]+)/([^\s}]+)\}")
_CP_RECORD = re.compile(r"^\s*\* ContentProviderRecord\{[0-9a-f]+ u\d+ ([^\s/}]+)/([^\s}]+)\}")


def parse_provider_authorities(text: str) -> Authorities:
    """Authority -> owning package, from `dumpsys package providers` (`ContentProvider Authorities:`
    then `  [auth]:` / `    Provider{hash pkg/cls}`) or `dumpsys activity providers`
    (`* ContentProviderRecord{hash u0 pkg/cls}` ... `authority=a;b`). A provider may list several
    authorities separated by `;`."""
    result = Authorities()
    pending: str | None = None  # an `[authority]:` waiting for its Provider{} line
    record: tuple[str, str, str] | None = None  # (package, component, line) of a ContentProviderRecord
    for line in split_lines(text):
        stripped = line.strip()
        m = _AUTH_HEAD.match(line)
        if m:
            pending = m.group(1)
            continue
        if pending is not None:
            p = _PROVIDER.search(stripped)
            if p:
                for auth in pending.split(";"):
                    result.entries.setdefault(auth, ProviderOwner(auth, p.group(1), f"{p.group(1)}/{p.group(2)}",
                                                                  [f"[{pending}]:", stripped]))
            pending = None
            continue
        r = _CP_RECORD.match(line)
        if r:
            record = (r.group(1), f"{r.group(1)}/{r.group(2)}", stripped)
            continue
        if record is not None and stripped.startswith("authority="):
            for auth in stripped[len("authority="):].split(";"):
                result.entries.setdefault(auth, ProviderOwner(auth, record[0], record[1], [record[2], stripped]))
            record = None
    if not result.entries:
        result.problems.append("no provider authorities found (not a provider dump, or cut off)")
    return result


def processes_json(dump: ProcessDump, capture) -> dict:
    """The JSON form of `dumpsys activity processes` (`devdoctor inspect`), with its lists' sizes as printed."""
    by_name = {p.name: p for p in dump.processes}
    system = next((p for p in dump.processes if p.name == "system" and p.uid == "1000"), None)
    facts = {"error": dump.error is not None,
             "error_lines": [ln.strip() for ln in capture.lines if ln.strip()] if dump.error else [],
             "process_count": len(dump.processes) if dump.error is None else None,
             "processes": [{"pid": p.pid, "name": p.name, "uid": p.uid} for p in dump.processes],
             "system_server_present": system is not None,
             "system_server_pid": system.pid if system else None,
             "system_server_shown_as": f"{system.name}/{system.uid}" if system else None,
             "systemui_present": "com.android.systemui" in by_name,
             "systemui_pid": by_name["com.android.systemui"].pid if "com.android.systemui" in by_name else None,
             "phone_pid": by_name["com.android.phone"].pid if "com.android.phone" in by_name else None}
    if dump.error is None:
        facts.update(_list_sizes(capture.text), all_known_processes_count=len(dump.processes))
        facts["process_count"] = facts["lru_list_total"] or len(dump.processes)  # the LRU list's own total
    return facts


def _list_sizes(text: str) -> dict:
    """The sizes of the other process lists of `dumpsys activity processes`, as printed."""
    total = re.search(r"^  Process LRU list \(sorted by oom_adj, (\d+) total", text, re.M)

    def rows(title: str, row: str) -> int:
        head = re.search(rf"^  {title}.*:\s*$", text, re.M)
        if head is None:
            return 0
        n = 0
        for line in text[head.end():].splitlines()[1:]:
            if not line.startswith("    "):
                break
            n += bool(re.match(rf"^    {row}", line))
        return n

    return {"lru_list_total": to_int(total.group(1)) if total else None,
            "lru_rows": rows(r"Process LRU list", r"\w+\s*#\s*\d+:"),
            "pid_mappings_count": rows("PID mappings", r"PID #\d+:"),
            "isolated_process_count": rows(r"Isolated process list", r"Isolated #\s*\d+:")}
