"""Results as Prometheus metrics, through the official prometheus-client library: a text file for
node_exporter's textfile collector (`run --metrics FILE`, written atomically) and `/metrics` for
Prometheus to scrape (`watch --metrics-listen HOST:PORT`). Every device keeps its last diagnosis
(a file keeps those of earlier runs too), so an alert can tell a device that was not diagnosed lately.

Labels stay bounded: device names, check ids, the five statuses, server addresses, error kinds;
never a summary or other free text.

  devdoctor_check_status{device,check,status}  1 for the status of the check in the device's last
                                                diagnosis, 0 for the four others
  devdoctor_device_up{device}                  1 reached, 0 not (unauthorized, offline, lost)
  devdoctor_run_timestamp_seconds{device}      when its last diagnosis ended (Unix time)
  devdoctor_run_duration_seconds{device}       how long that diagnosis took
  devdoctor_run_age_seconds{device}            seconds since then, at the scrape (served only)
  devdoctor_adb_server_up{server}              1 / 0 for each adb server named with --adb-server
  devdoctor_errors_total{kind}                 what went wrong for devdoctor itself (ERROR_KINDS)
"""
from __future__ import annotations

import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from devdoctor.fleet.address import split_name
from devdoctor.result import Status
from devdoctor.report.model import DeviceReport

STATUSES = [s.value for s in Status]
# devdoctor_errors_total's kinds: a device that could not be reached (as the JSON report's error
# kinds), an adb server that could not be, a run the history could not keep, a check plugin that
# could not be loaded.
ERROR_KINDS = ("unreachable", "unauthorized", "offline", "disconnected", "adb_server", "history", "plugin")
MAX_PREVIOUS_BYTES = 16 * 1024 * 1024


@dataclass
class DeviceState:
    statuses: dict[str, str] = field(default_factory=dict)  # check id -> status
    up: bool = True
    finished_at: float = 0.0
    duration: float = 0.0


class FleetMetrics:
    """The last diagnosis of every device seen, as a prometheus-client collector."""

    def __init__(self, live: bool = False, clock: Callable[[], float] = time.time):
        self.live = live  # served: the age is worked out at each scrape
        self.clock = clock
        self.devices: dict[str, DeviceState] = {}
        self.servers: dict[str, bool] = {}
        self.errors: Counter[str] = Counter()
        self._lock = threading.Lock()

    def observe(self, report: DeviceReport, finished_at: float | None = None) -> None:
        name = report.identity.serial
        with self._lock:
            if report.error_kind == "adb-server":
                self._server(name, False)
                return
            parts = split_name(name)
            if parts:
                self._server(parts[0], True)
            if report.error:
                kind = report.error_kind if report.error_kind in ERROR_KINDS else "unreachable"
                self.errors[kind] += 1
            self.devices[name] = DeviceState({r.id: r.status.value for r in report.results}, report.error is None,
                                             finished_at if finished_at is not None else self.clock(),
                                             report.duration)

    def server(self, name: str, up: bool) -> None:
        with self._lock:
            self._server(name, up)

    def _server(self, name: str, up: bool) -> None:
        if not up and self.servers.get(name, True):
            self.errors["adb_server"] += 1  # once when it goes, not at every retry
        self.servers[name] = up

    def count_error(self, kind: str, n: int = 1) -> None:
        with self._lock:
            self.errors[kind if kind in ERROR_KINDS else "unreachable"] += n

    def collect(self) -> Iterator:
        """prometheus-client's collector protocol: the metric families, as of now."""
        from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

        with self._lock:
            devices = sorted(self.devices.items())
            servers = sorted(self.servers.items())
            errors = dict(self.errors)
        status = GaugeMetricFamily("devdoctor_check_status", "1 for the status of the check in the device's last "
                                   "diagnosis (pass, warn, fail, unknown, skipped), 0 for the others",
                                   labels=["device", "check", "status"])
        up = GaugeMetricFamily("devdoctor_device_up", "1 when the last diagnosis reached the device, 0 when not",
                               labels=["device"])
        stamp = GaugeMetricFamily("devdoctor_run_timestamp_seconds", "When the device's last diagnosis ended "
                                  "(Unix time)", labels=["device"])
        took = GaugeMetricFamily("devdoctor_run_duration_seconds", "How long the device's last diagnosis took",
                                 labels=["device"])
        age = GaugeMetricFamily("devdoctor_run_age_seconds", "Seconds since the device's last diagnosis ended",
                                labels=["device"])
        now = self.clock()
        for name, d in devices:
            for check, value in sorted(d.statuses.items()):
                for s in STATUSES:
                    status.add_metric([name, check, s], 1.0 if s == value else 0.0)
            up.add_metric([name], 1.0 if d.up else 0.0)
            stamp.add_metric([name], d.finished_at)
            took.add_metric([name], d.duration)
            age.add_metric([name], max(0.0, now - d.finished_at))
        yield from (status, up, stamp, took, *([age] if self.live else []))
        server_up = GaugeMetricFamily("devdoctor_adb_server_up", "1 when the adb server named with --adb-server "
                                      "answered, 0 when it could not be reached", labels=["server"])
        for name, ok in servers:
            server_up.add_metric([name], 1.0 if ok else 0.0)
        yield server_up
        errs = CounterMetricFamily("devdoctor_errors", "What went wrong for devdoctor itself: a device or an adb "
                                   "server not reached, a run not kept in the history, a check plugin not loaded",
                                   labels=["kind"])
        for kind in ERROR_KINDS:
            errs.add_metric([kind], float(errors.get(kind, 0)))
        yield errs

    def registry(self):
        from prometheus_client import CollectorRegistry

        registry = CollectorRegistry(auto_describe=False)
        registry.register(self)
        return registry

    def write(self, path: Path) -> None:
        """Write the text format to `path` atomically (prometheus-client writes a temporary file in
        the same folder and renames it over `path`); OSError when it cannot."""
        from prometheus_client import write_to_textfile

        write_to_textfile(str(path), self.registry())

    def text(self) -> str:
        from prometheus_client import generate_latest

        return generate_latest(self.registry()).decode("utf-8")

    def load_textfile(self, path: Path) -> None:
        """Take over the devices, servers and error counts of a metrics file written earlier, so
        devices not in this run keep their last diagnosis and the error counters keep counting. A
        file that is missing, too large or not in the format is ignored."""
        try:
            if not path.is_file() or path.stat().st_size > MAX_PREVIOUS_BYTES:
                return
            from prometheus_client.parser import text_string_to_metric_families

            families = list(text_string_to_metric_families(path.read_text(encoding="utf-8")))
        except Exception:  # noqa: BLE001 - a damaged earlier file must not stop this run's
            return
        with self._lock:
            for family in families:
                self._take_over(family.name, family.samples)

    def _take_over(self, family: str, samples: Iterable) -> None:
        for s in samples:
            labels, value = s.labels, s.value
            if family == "devdoctor_errors" and s.name == "devdoctor_errors_total" and labels.get("kind") in ERROR_KINDS:
                self.errors[labels["kind"]] += int(value)
            elif family == "devdoctor_adb_server_up" and "server" in labels:
                self.servers[labels["server"]] = value == 1.0
            elif "device" not in labels:
                continue
            elif family == "devdoctor_check_status" and value == 1.0 and labels.get("status") in STATUSES:
                self._device(labels["device"]).statuses[labels.get("check", "")] = labels["status"]
            elif family == "devdoctor_device_up":
                self._device(labels["device"]).up = value == 1.0
            elif family == "devdoctor_run_timestamp_seconds":
                self._device(labels["device"]).finished_at = value
            elif family == "devdoctor_run_duration_seconds":
                self._device(labels["device"]).duration = value

    def _device(self, name: str) -> DeviceState:
        return self.devices.setdefault(name, DeviceState())


def serve(metrics: FleetMetrics, host: str, port: int):
    """Serve /metrics on HOST:PORT from a daemon thread; returns the server (call .shutdown())."""
    from prometheus_client import start_http_server

    server, _thread = start_http_server(port, addr=host, registry=metrics.registry())
    return server
