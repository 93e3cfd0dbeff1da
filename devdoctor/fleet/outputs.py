"""What a diagnosis leaves behind beyond its report: a run in the history (never at the cost of the
diagnosis: a history that cannot be written is a warning) and the Prometheus metrics."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Iterator, Sequence

from devdoctor.ui.i18n import _
from devdoctor.report.model import DeviceReport

if TYPE_CHECKING:
    from devdoctor.fleet.metrics import FleetMetrics


def warn(message: str) -> None:
    sys.stderr.write("devdoctor: " + message + "\n")
    sys.stderr.flush()


def keep_history(path: Path | None, reports: Sequence[DeviceReport], exit_code: int | None, command: str,
                 keep_days: int = 0) -> bool:
    """Keep the run in the history at `path` (None: not kept), and drop the runs older than `keep_days`
    days (0: none); False, with a warning, when it cannot."""
    if path is None or not reports:
        return True
    import sqlite3

    from devdoctor.fleet import history

    try:
        history.save(path, reports, exit_code, command, keep_days)
        return True
    except (sqlite3.Error, OSError, ValueError) as e:
        warn(_("this run was not kept in the history {file} ({error}); the diagnosis stands").format(
            file=path, error=getattr(e, "strerror", None) or e))
        return False


def history_path(option: Path | None, keep: bool) -> Path | None:
    """The history file in effect: --history (or $DEVDOCTOR_HISTORY), else the user's data folder;
    None with --no-history."""
    if not keep:
        return None
    from devdoctor.fleet.history import default_path

    return option or default_path()


def keep_run(reports: Sequence[DeviceReport], exit_code: int, metrics_file: Path | None, history_file: Path | None,
             plugin_problems: int = 0, keep_days: int = 0) -> str | None:
    """After `devdoctor run`: the history, then the metrics file. Returns why the metrics file could
    not be written (the caller exits 2, as for --report), else None."""
    kept = keep_history(history_file, reports, exit_code, "run", keep_days)
    if metrics_file is None:
        return None
    from devdoctor.fleet.metrics import FleetMetrics

    metrics = FleetMetrics()
    metrics.load_textfile(metrics_file)
    for report in reports:
        metrics.observe(report)
    metrics.count_error("history", 0 if kept else 1)
    metrics.count_error("plugin", plugin_problems)
    try:
        metrics.write(metrics_file)
    except OSError as e:
        return _("cannot write {file}: {error}").format(file=metrics_file, error=e.strerror or e)
    return None


class WatchKeeper:
    """`devdoctor watch`: each diagnosis is a run of its own in the history, and the served metrics
    follow every diagnosis and every adb server's comings and goings."""

    def __init__(self, history_file: Path | None, metrics: "FleetMetrics | None" = None, keep_days: int = 0):
        self.history_file, self.keep_days = history_file, keep_days
        self.metrics = metrics  # a FleetMetrics, when --metrics-listen

    def kept(self, report: DeviceReport, exit_code: int) -> None:
        kept = keep_history(self.history_file, [report], exit_code, "watch", self.keep_days)
        if self.metrics is not None:
            self.metrics.observe(report)
            if not kept:
                self.metrics.count_error("history")

    def follow(self, changes: Iterable, servers: Sequence[str]) -> Iterator:
        """Pass adb's device lists on unchanged, noting which named servers answer."""
        from devdoctor.fleet.servers import UNREACHABLE

        for attached in changes:
            if attached is not None and self.metrics is not None and servers:
                down = {a.serial for a in attached if a.state == UNREACHABLE}
                for name in servers:
                    self.metrics.server(name, name not in down)
            yield attached


def start_metrics(listen: str) -> "FleetMetrics":
    """A FleetMetrics served on `listen` (HOST:PORT, or a bare PORT on loopback); OSError when the
    address cannot be bound. Says so on stderr when it is reachable from other machines."""
    from devdoctor.fleet.address import is_loopback, parse_listen
    from devdoctor.fleet.metrics import FleetMetrics, serve

    address = parse_listen(listen)
    metrics = FleetMetrics(live=True)
    serve(metrics, address.host, address.port)
    if not is_loopback(address.host):
        warn(_("serving metrics on http://{where}/metrics to other machines too: devdoctor has no "
               "authentication, keep that address on a private network").format(where=address))
    return metrics
