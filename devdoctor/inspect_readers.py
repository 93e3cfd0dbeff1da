"""Readings of one capture for `devdoctor inspect`: the cleaned capture, its kind, and its facts under the
names a reader expects (captures/expected/README.md), one reader per kind over devdoctor's parsers.

A kind whose parser is not in this version raises NotYetSupported rather than guessing.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from devdoctor.device import is_package_name
from devdoctor.numbers import to_int


class NotYetSupported(Exception):
    """The kind is known but no parser for it is in this version."""


@dataclass
class Reading:
    kind: str
    told_by: str  # "command" (the prompt line), "content", or "--as"
    facts: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    not_this_kind: bool = False  # read as asked with --as, nothing of that kind was in it
    closest: list[str] = field(default_factory=list)  # the kinds it looks most like, when not_this_kind


_REFUSALS = ("Unknown command", "Bad activity command", "Permission Denial", "Can't find service", "Error dumping")
# For each kind: its facts show that nothing of that kind was read (what `--as` on another capture gives).
NOTHING_READ: dict[str, Callable[[dict[str, Any]], bool]] = {
    "getprop": lambda f: f["prop_count"] == 0,
    "dumpsys_package": lambda f: not f["packages"] and not f["not_found"],
    "ps": lambda f: f["format"] is None,
    "pm_list_packages": lambda f: f["count"] == 0,
    "dumpsys_connectivity": lambda f: f["network_count"] == 0 and f["active_default_network_id"] is None,
    "appops": lambda f: (f["uid_count"] == 0 if f["kind"] == "dumpsys_appops" else
                         not f["ops"] and not f["uid_ops"] and not f["no_operations"] and "error" not in f),
    "logcat": lambda f: f["line_count"] == 0,
    "dumpsys_deviceidle": lambda f: not f["sections"] and not f.get("entries"),
    "dumpsys_activity": lambda f: f["error"] and not any(ln.startswith(_REFUSALS) for ln in f["error_lines"]),
    "ip_addr": lambda f: not f["interfaces"], "ifconfig": lambda f: not f["interfaces"],
    "ping": lambda f: f["run_count"] == 0,
}


Reader = Callable[[Any], "tuple[dict[str, Any], list[str]]"]  # Capture -> (facts, problems)
READERS: dict[str, Reader] = {}


def reads(kind: str) -> Callable[[Reader], Reader]:
    def register(fn: Reader) -> Reader:
        READERS[kind] = fn
        return fn
    return register


def _need(module: str, kind: str):
    import importlib

    try:
        return importlib.import_module(f"devdoctor.parsers.{module}")
    except ImportError:
        raise NotYetSupported(kind) from None


# -- one reader per kind: parser output -> the names a reader expects --------------------------------
@reads("getprop")
def _getprop(cap):
    from devdoctor.parsers.getprop import parse_getprop

    p = parse_getprop(cap.text)
    listed = p.get("ro.product.cpu.abilist")
    facts = {"sdk": p.sdk, "release": p.values.get("ro.build.version.release"),
             "manufacturer": _prop(p, "ro.product.manufacturer"), "brand": _prop(p, "ro.product.brand"),
             "model": _prop(p, "ro.product.model"), "device": _prop(p, "ro.product.device"),
             "abi_list": p.abi_list, "abi_list_source": "ro.product.cpu.abilist" if listed else "ro.product.cpu.abi",
             "timezone": p.values.get("persist.sys.timezone"), "serialno": p.values.get("ro.serialno"),
             "prop_count": len(p.values), "multiline_values": sorted(k for k, v in p.values.items() if "\n" in v),
             "non_property_lines": p.other_lines}
    problems = list(p.problems)
    facts["rom"], facts["rom_evidence"], facts["rom_skin"] = _rom(p, problems)
    return facts, problems


def _prop(p, key: str) -> str | None:
    """The ro.product.* value as printed; the vendor partition's copy (8.0+) when the plain one is absent."""
    if key in p.values:
        return p.values[key]
    return p.values.get(key.replace("ro.product.", "ro.product.vendor.", 1))


def _rom(p, problems: list[str]) -> tuple[str | None, str | None, str | None]:
    try:
        rom = _need("rom", "rom")
    except NotYetSupported:
        problems.append("ROM detection is not in this version yet: rom is not given")
        return None, None, None
    found = rom.detect_rom(p)
    problems.extend(found.problems)
    return found.name, found.evidence, found.skin


@reads("dumpsys_package")
def _dumpsys_package(cap):
    from devdoctor.parsers.dumpsys_package import parse_dumpsys_package

    d = parse_dumpsys_package(cap.text)
    active = [r for r in d.packages if r.section == "Packages"]
    queried = d.not_found or (active[0].package if len(active) == 1 else None)
    facts: dict[str, Any] = {"not_found": d.not_found is not None, "package_queried": queried,
                             "full_dump": len(active) > 1}
    if facts["full_dump"]:
        facts.update(package_count=len(active),
                     hidden_system_package_count=sum(r.section == "Hidden system packages" for r in d.packages),
                     package_block_count=len(d.packages))
    facts["packages"] = [{
        "package": r.package, "section": r.section, "versionName": r.versionName, "versionCode": r.versionCode,
        "minSdk": r.minSdk, "targetSdk": r.targetSdk, "codePath": r.codePath,
        "is_system": r.on_system_partition,
        "pkgFlags_has_SYSTEM": "SYSTEM" in r.pkgFlags, "stopped": r.stopped, "enabled": r.enabled_state,
        "installed_user0": r.user(0).installed if r.user(0) else None,
        "firstInstallTime": r.firstInstallTime, "lastUpdateTime": r.lastUpdateTime,
        "users_listed": sorted(r.users), "sharedUser": r.sharedUser, "splits": r.splits} for r in d.packages]
    return facts, list(d.problems)


@reads("ps")
def _ps(cap):
    listing = _need("ps", "ps").parse_ps(cap.text)
    procs = listing.processes
    system_server = next((p for p in procs if p.name == "system_server"), None)
    facts = {"format": listing.format, "header_columns": listing.header,
             "unlabeled_state_column": listing.format == "toolbox",  # toolbox rows carry an unnamed S column
             "threads_listed": listing.threads_listed,
             "data_row_count": listing.rows, "process_count": len(procs),
             "processes": [{"pid": p.pid, "ppid": p.ppid, "user": p.user, "name": p.name} for p in procs],
             "system_server_present": system_server is not None,
             "system_server_pid": system_server.pid if system_server else None,
             "snapshot_count": len(listing.snapshots), "snapshot_row_counts": listing.snapshots}
    return facts, _problems(listing)


@reads("pm_list_packages")
def _pm_list(cap):
    listing = _need("pm_list", "pm_list_packages").parse_pm_list(cap.text)
    names = sorted(listing.packages)
    entries = listing.packages.values()
    paths = {n: p.path for n, p in listing.packages.items() if p.path}
    facts = {"packages": names, "count": len(names),
             "package_line_count": sum(ln.startswith("package:") for ln in cap.lines),
             "flags_form": {"f_paths": bool(paths), "uid": any(p.uid is not None for p in entries),
                            "versionCode": any(p.version_code is not None for p in entries)},
             "paths": paths or None, "non_package_lines": listing.non_package_lines,
             "bare_names_without_prefix": [ln.strip() for ln in listing.non_package_lines
                                           if is_package_name(ln.strip())]}
    flags = _pm_flags(facts["flags_form"])
    if flags is not None:
        facts["pm_flags_inferred"] = flags
    return facts, _problems(listing)


def _pm_flags(form: dict[str, bool]) -> str | None:
    """The options of `pm list packages` its lines show (-f, -U, --show-versioncode), else None: a plain list
    and one of `-s`, `-3`, `-e`... look the same."""
    return " ".join(flag for flag, shown in (("-f", form["f_paths"]), ("-U", form["uid"]),
                                             ("--show-versioncode", form["versionCode"])) if shown) or None


@reads("dumpsys_activity")
def _activity(cap):
    dump = _need("activity", "dumpsys_activity").parse_processes(cap.text)
    by_name = {p.name: p for p in dump.processes}
    system = next((p for p in dump.processes if p.name == "system" and p.uid == "1000"), None)
    facts = {"error": dump.error is not None,
             "error_lines": [ln.strip() for ln in cap.lines if ln.strip()] if dump.error else [],
             "process_count": len(dump.processes) if dump.error is None else None,
             "processes": [{"pid": p.pid, "name": p.name, "uid": p.uid} for p in dump.processes],
             "system_server_present": system is not None,
             "system_server_pid": system.pid if system else None,
             "system_server_shown_as": f"{system.name}/{system.uid}" if system else None,
             "systemui_present": "com.android.systemui" in by_name,
             "systemui_pid": by_name["com.android.systemui"].pid if "com.android.systemui" in by_name else None,
             "phone_pid": by_name["com.android.phone"].pid if "com.android.phone" in by_name else None}
    if dump.error is None:
        facts.update(_activity_lists(cap.text), all_known_processes_count=len(dump.processes))
        facts["process_count"] = facts["lru_list_total"] or len(dump.processes)  # the LRU list's own total
    return facts, _problems(dump)


def _activity_lists(text: str) -> dict[str, Any]:
    """The sizes of the other process lists of `dumpsys activity processes`, as printed."""
    import re

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


@reads("dumpsys_connectivity")
def _connectivity(cap):
    c = _need("connectivity", "dumpsys_connectivity").parse_dumpsys_connectivity(cap.text)
    facts = {"active_default_network_id": c.active_default_network_id, "default_network_type": c.default_network_type,
             "validated": c.validated, "interface": c.interface, "network_count": c.network_count,
             "networks": [{"netId": n.net_id, "type": n.type, "transports": n.transports, "interface": n.interface,
                           "validated": n.validated, "has_INTERNET": n.has_internet} for n in c.networks]}
    return facts, _problems(c)


def _op(o) -> dict[str, Any]:
    d = {"op": o.op, "mode": o.mode}
    if o.numeric:
        d["mode_raw"] = o.mode_raw.removeprefix("mode=")
    if getattr(o, "switch", None):
        d["switch"] = o.switch
    return d


@reads("appops")
def _appops(cap):
    mod = _need("appops", "appops")
    if "Current AppOps Service state:" in cap.text:
        d = mod.parse_dumpsys_appops(cap.text)
        names = [p.package for p in d.packages]
        every = [o for p in d.packages for o in p.ops] + [o for ops in d.uid_ops.values() for o in ops]
        facts = {"kind": "dumpsys_appops", "uid_count": len(d.uids), "package_entry_count": len(names),
                 "package_count": len(set(names)), "numeric_modes": any(o.numeric for o in every),
                 "vendor_ops_seen": sorted({o.op for o in every if o.vendor}),
                 "packages": [{"package": p.package, "uid": p.uid, "ops": [_op(o) for o in p.ops]}
                              for p in d.packages]}
        return facts, _problems(d)
    g = mod.parse_appops_get(cap.text)
    facts = {"kind": "cmd_appops_get", "no_operations": g.no_operations,
             "numeric_modes": any(o.numeric for o in g.ops), "vendor_ops_seen": sorted({o.op for o in g.ops if o.vendor}),
             "ops": [_op(o) for o in g.ops if not o.uid_mode],
             "uid_ops": [_op(o) for o in g.ops if o.uid_mode]}
    if g.error:
        facts["error"] = g.error
    return facts, _problems(g)


WHITELISTS = ("Whitelist (except idle) system apps", "Whitelist system apps", "Whitelist user apps")


@reads("dumpsys_deviceidle")
def _deviceidle(cap):
    d = _need("deviceidle", "dumpsys_deviceidle").parse_deviceidle(cap.text)
    facts = {"sections": d.sections, "sections_absent": [t for t in WHITELISTS if t not in d.sections],
             "user_whitelist": d.sections.get("Whitelist user apps", [e.package for e in d.entries if e.kind == "user"]),
             "app_id_sections": d.app_id_sections}
    if d.entries:
        facts["entries"] = [{"kind": e.kind, "package": e.package, "app_id": e.app_id} for e in d.entries]
    return facts, _problems(d)


@reads("logcat")
def _logcat(cap):
    log = _need("logcat", "logcat").parse_logcat(cap.text, layout=_logcat_layout(cap.command))
    try:
        from devdoctor.wmpf_errors import match_line
    except ImportError:
        raise NotYetSupported("logcat") from None
    at_line = {}  # line number -> the entry it belongs to (its own line or a line continuing it)
    for entry in log.lines:
        at_line[entry.lineno] = entry
        at_line.update((n, entry) for n, _text in entry.continuation)
    matches = []
    for n, line in enumerate(cap.lines, 1):  # every line: a heading or a cut-off line pasted in counts too
        entry = at_line.get(n)
        found = match_line(line, entry.process if entry else None)
        if found is not None:
            matches.append(_match(cap, n, line, found.signature, found.form, entry))
    layout = log.format
    facts = {"log_format": "studio" if layout == "studio_columns" else layout, "log_layout": layout,
             "log_modifiers": log.modifiers, "line_count": len(log.lines), "timestamped_line_count": log.timestamped,
             "matches": matches, "signatures": _signatures(matches)}
    return facts, _problems(log)


def _logcat_layout(command: str | None) -> str | None:
    """The layout a `logcat -v raw` (or `--format=raw`) command line asks for: raw only, which has no shape."""
    words = (command or "").replace("--format=", "-v ").replace("-vraw", "-v raw").replace(",", " ").split()
    return "raw" if any(a == "-v" and b == "raw" for a, b in zip(words, words[1:])) else None


@reads("wmpf_errors")
def _wmpf_errors(cap):
    """Any text read line by line (an error string shown by the maker's app, an excerpt cut anywhere)."""
    from devdoctor.wmpf_errors import scan

    matches = [_match(cap, m.lineno, m.line, m.signature, m.form, None) for m in scan(cap.lines)]
    facts = {"line_count": len(cap.lines), "matches": matches, "signatures": _signatures(matches)}
    return facts, [] if matches else ["no line shows a WMPF error devdoctor knows"]


def _match(cap, lineno: int, line: str, sig, form: str, entry) -> dict[str, Any]:
    """One line that shows a WMPF error; its number counts the file's lines (a prompt line removed too)."""
    return {"line_number": lineno + (1 if cap.prompt is not None else 0), "signature": sig.id, "form": form,
            "timestamp": entry.timestamp if entry else None, "line": line,
            "text": entry.message if entry and entry.lineno == lineno else line.strip()}


def _signatures(matches: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The signatures seen, in order of first sight: what each means and what to do (translated)."""
    from devdoctor.i18n import _
    from devdoctor.wmpf_signatures import find

    out: dict[str, dict[str, Any]] = {}
    for m in matches:
        if m["signature"] in out:
            out[m["signature"]]["count"] += 1
            continue
        sig = find(m["signature"])
        out[sig.id] = {"id": sig.id, "title": _(sig.title), "severity": sig.severity, "count": 1,
                       "line_numbers": [], "cause": _(sig.cause), "remedy": _(sig.remedy), "faq": sig.faq,
                       "fix": sig.fix}
    for m in matches:
        out[m["signature"]]["line_numbers"].append(m["line_number"])
    return list(out.values())


def _interfaces(cap, parse: str, kind: str):
    found = getattr(_need("net", kind), parse)(cap.text)
    rows = []
    for i in found.interfaces:
        row = {"index": i.index, "name": i.name, "link_suffix": i.link_suffix, "flags": i.flags,
               "operstate": i.operstate, "admin_up": i.admin_up if i.has_state else None,
               "lower_up": i.lower_up if i.has_state else None, "ipv4": i.ipv4, "ipv6": i.ipv6, "state": i.state}
        if i.link_encap is not None:
            row.update(link_encap=i.link_encap, netmask=i.netmask)
        rows.append(row)
    facts = {"format": found.format, "interfaces": rows, "non_interface_lines": found.non_interface_lines}
    return facts, _problems(found)


reads("ip_addr")(lambda cap: _interfaces(cap, "parse_interfaces", "ip_addr"))
reads("ifconfig")(lambda cap: _interfaces(cap, "parse_interfaces", "ifconfig"))


@reads("ping")
def _ping(cap):
    ping = _need("net", "ping").parse_ping(cap.text)
    keys = ("target", "resolved_ip", "replies", "transmitted", "received", "loss_percent", "rtt_avg_ms",
            "rtt_min_ms", "rtt_max_ms", "failure")
    runs = [{k: getattr(r, k) for k in keys} for r in ping.runs]
    facts = dict(runs[0]) if runs else {k: None for k in keys}
    facts.pop("replies", None)
    facts.update(run_count=len(runs), runs=runs,
                 prompt_or_command_lines=[cap.prompt] if cap.prompt else list(ping.prompt_or_command_lines))
    return facts, _problems(ping)


def _problems(parsed) -> list[str]:
    return list(getattr(parsed, "problems", []))


# -- the whole reading -------------------------------------------------------------------------------
def inspect_bytes(data: bytes, as_kind: str | None = None) -> tuple[Reading | None, Any]:
    """(the reading or None when the kind cannot be told, the cleaned Capture). Raises NotYetSupported."""
    from devdoctor.parsers.capture import detect_kind, read_capture

    cap = read_capture(data)
    if as_kind:
        kind, told_by = as_kind, "--as"
    else:
        kind, told_by = detect_kind(cap)
        if kind is None:
            return None, cap
    facts, problems = READERS[kind](cap)
    reading = Reading(kind, told_by, facts, list(cap.problems) + problems)
    if as_kind and cap.text.strip() and NOTHING_READ.get(kind, lambda f: False)(facts):
        from devdoctor.parsers.capture import closest_kinds

        found, _how = detect_kind(cap)
        reading.not_this_kind = True
        reading.closest = ([found] if found and found != kind else []) + [
            k for k in closest_kinds(cap) if k not in (kind, found)]
        reading.problems.insert(0, f"this is not {kind} output: nothing of it was read")
    return reading, cap
