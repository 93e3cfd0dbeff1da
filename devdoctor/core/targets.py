"""From a RunRequest to the things to diagnose: a bugreport, a recording or a support page, or the devices
of one or several adb servers (each opened at once; one that cannot be is a report of its own)."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from devdoctor.sources.device import DeviceError, SeveralDevices
from devdoctor.core.diagnose import Target, bugreport_target, replay_target, unreachable_report
from devdoctor.report.model import DeviceReport
from devdoctor.core.run_request import RunRequest


class TargetError(Exception):
    """Nothing can be diagnosed: the message, the exit code and the JSON error kind."""

    def __init__(self, message: str, code: int, kind: str):
        super().__init__(message)
        self.code, self.kind = code, kind


@dataclass
class Targets:
    targets: list[Target] = field(default_factory=list)
    unreachable: list[DeviceReport] = field(default_factory=list)  # devices that could not be opened
    order: list[str] = field(default_factory=list)  # serials, as the server listed them
    field_run: Any = None  # a replayed support page's field run (devdoctor.report.support.FieldRun)
    recording: bool = False  # targets are Recorders (a support page is to be written)


def device_table(devices) -> str:
    return "\n".join(f"  {d.serial:<24} {d.state:<13} {d.model}" for d in devices)


def resolve(request: RunRequest, site: Any = None) -> Targets:
    """The targets of `request`; TargetError when there is nothing to diagnose."""
    if request.bugreport is not None:
        from devdoctor.sources.bugreport import BugreportError

        try:
            return Targets([bugreport_target(request.bugreport)])
        except BugreportError as e:
            raise TargetError(str(e), 2, "bad_input") from None
    if request.replay is not None:
        return _replayed(request)
    return _live(request, site)


def _replayed(request: RunRequest) -> Targets:
    from devdoctor.report import support
    from devdoctor.sources.fixture import FixtureError

    try:
        if support.is_report(request.replay):
            field_run = support.read(request.replay)
            return Targets([support.replay_target(field_run, request.replay.name)], field_run=field_run)
        return Targets([replay_target(request.replay)])
    except FixtureError as e:
        raise TargetError(str(e), 2, "bad_input") from None


def _live(request: RunRequest, site: Any) -> Targets:
    from devdoctor.fleet.servers import open_adb

    record = request.support_page is not None
    try:
        server = open_adb(request.adb_host, request.adb_port, request.adb_servers, site)
        if request.all_devices:
            attached = server.list()
            if not attached:
                server.pick(None)  # raises the "no device" error with its advice
        else:
            attached = [server.pick(request.serial)]
    except SeveralDevices as e:
        raise TargetError(str(e) + "\n" + device_table(e.devices), 2, e.kind) from None
    except DeviceError as e:
        raise TargetError(str(e), e.exit_code, e.kind) from None

    def open_one(a):
        try:
            dev = server.open(a)
            if record:  # a support page is to be written: every answer kept
                from devdoctor.sources.record import Recorder

                dev = Recorder(dev)
            return Target(dev, {"serial": a.serial, "model": a.model}, "")
        except DeviceError as e:
            if not request.all_devices:
                raise TargetError(str(e), e.exit_code, e.kind) from None
            return unreachable_report(a.serial, e, a.model)

    with ThreadPoolExecutor(max_workers=min(32, len(attached))) as pool:  # each open asks the server once
        opened = list(pool.map(open_one, attached))
    return Targets([t for t in opened if isinstance(t, Target)], [r for r in opened if not isinstance(r, Target)],
                   [a.serial for a in attached], recording=record)
