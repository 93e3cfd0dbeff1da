"""`devdoctor run` in its plain forms sends its first reads before the command line is built.

Building the command line imports typer, click and devdoctor's commands: about a tenth of a second in
which a device could already be answering. So for `run` with nothing but --serial/-s, --all, --json,
--verbose/-v and --lang (the everyday forms), the checks are loaded, the device or devices are found
and their reads are sent first (devdoctor.entry). The command takes what was started only when the
request it builds is the same one (RunRequest equality), else starts afresh: what typer makes of the
arguments is what counts, and a start it does not want costs the device a few harmless reads.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping, Sequence

if TYPE_CHECKING:
    from devdoctor.core.facts import Facts
    from devdoctor.core.plugins import Catalog
    from devdoctor.core.run_request import RunRequest
    from devdoctor.core.targets import Targets

_FLAGS = {"--json": "output", "--verbose": "verbose", "-v": "verbose", "--all": "all_devices"}
_VALUED = {"--serial": "serial", "-s": "serial", "--lang": "lang"}
# Environment variables that options of `run` read (devdoctor.commands.options, devdoctor.fleet.options).
_PORT, _HOST, _HISTORY = "ANDROID_ADB_SERVER_PORT", "ANDROID_ADB_SERVER_HOST", "DEVDOCTOR_HISTORY"


@dataclass
class Started:
    request: "RunRequest"
    catalog: "Catalog"
    found: "Targets"
    facts: list["Facts"]  # one per target, its reads sent


_started: Started | None = None


def plain_request(args: Sequence[str], environ: Mapping[str, str] | None = None) -> "RunRequest | None":
    """The RunRequest the `run` command builds from `args` (the program's arguments) when they are a plain
    run; None for any other command line."""
    env = os.environ if environ is None else environ
    if "_DEVDOCTOR_COMPLETE" in env:  # shell completion: no run at all
        return None
    seen: dict[str, Any] = {}
    command = None
    it = iter(args)
    for arg in it:
        name, eq, value = arg.partition("=") if arg.startswith("--") else (arg, "", "")
        if arg == "run" and command is None:
            command = arg
        elif name in _FLAGS and not eq and (command or name == "--lang"):
            seen[_FLAGS[name]] = True
        elif name in _VALUED and (command or name == "--lang"):
            value = value if eq else next(it, None)
            if value is None or value.startswith("-") or _VALUED[name] in seen:
                return None
            seen[_VALUED[name]] = value
        else:
            return None
    if command is None or seen.get("lang", "en") not in ("zh", "en"):
        return None
    port = env.get(_PORT)
    if port is not None and not (port.isascii() and port.isdigit() and 1 <= int(port) <= 65535):
        return None  # typer refuses it: the command says so
    from devdoctor.core.run_request import RunRequest

    return RunRequest(serial=seen.get("serial"), all_devices=bool(seen.get("all_devices")),
                      adb_host=env.get(_HOST), adb_port=int(port) if port else None,
                      output="json" if seen.get("output") else "terminal", verbose=bool(seen.get("verbose")),
                      history=Path(env[_HISTORY]) if env.get(_HISTORY) else None)


def begin(args: Sequence[str]) -> None:
    """For a plain run: load the checks, find the devices and send their reads; else nothing. Whatever goes
    wrong is left for the command to meet and report in its own words."""
    global _started
    request = plain_request(args)
    if request is None:
        return
    try:
        _started = _start(request, args)
    except Exception:  # noqa: BLE001 - a bad configuration, no device, no adb: the command meets it again and says so
        _started = None


def _start(request: "RunRequest", args: Sequence[str]) -> Started:
    from devdoctor.ui import i18n

    i18n.choose_for_command_line(list(args))  # a read's error is worded in the run's language
    from devdoctor.core.config import check_thresholds, load as load_config
    from devdoctor.core.diagnose import chosen_checks
    from devdoctor.core.facts import Facts
    from devdoctor.core.plugins import load
    from devdoctor.core.runner import start_reads_of_all
    from devdoctor.core.targets import resolve

    site = load_config(None)
    catalog = load([])
    check_thresholds(site, catalog.thresholds())
    checks = chosen_checks(catalog, request.only, request.skip, site.skip)  # as the command chooses them
    found = resolve(request, site)
    facts = [Facts(t.device) for t in found.targets]
    start_reads_of_all(facts, checks)
    return Started(request, catalog, found, facts)


def take(request: "RunRequest", checks_dir: Sequence[Path], config: Path | None) -> Started | None:
    """What begin() started, when the command's own request is that very one (and names no other checks
    folder or configuration file); at most once."""
    global _started
    started, _started = _started, None
    if started is None or checks_dir or config is not None or started.request != request:
        return None
    return started
