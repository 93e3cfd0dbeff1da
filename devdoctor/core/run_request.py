"""What `devdoctor run` is asked to do, as one value: the command line (and devdoctor.toml) parsed, checked
for contradictions, and nothing run yet. The command builds it; devdoctor.core.targets resolves its sources."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from devdoctor.sources.device import is_host_name, is_package_name
from devdoctor.ui.i18n import _


@dataclass
class RunRequest:
    serial: str | None = None
    all_devices: bool = False
    replay: Path | None = None  # a recording or a support page (a bundled name already resolved)
    bugreport: Path | None = None
    only: list[str] = field(default_factory=list)
    skip: list[str] = field(default_factory=list)
    timeout: float | None = None
    deadline: float | None = None
    host_package: str | None = None
    network_hosts: list[str] = field(default_factory=list)
    no_cache: bool = False
    adb_host: str | None = None
    adb_port: int | None = None
    adb_servers: list[str] = field(default_factory=list)
    output: str = "terminal"  # a renderer's name (devdoctor.report.RENDERERS)
    verbose: bool = False
    support_page: Path | None = None
    redact: bool = True
    metrics: Path | None = None
    history: Path | None = None
    keep_history: bool = True

    @property
    def json(self) -> bool:
        return self.output == "json"

    @property
    def live(self) -> bool:
        return self.replay is None and self.bugreport is None

    def problem(self) -> str | None:
        """Why these options cannot go together (a usage error), or None."""
        if self.host_package is not None and not is_package_name(self.host_package):
            return _("--host-package {value!r} is not an Android package name (like com.example.app)").format(
                value=self.host_package)
        bad = [h for h in self.network_hosts if not is_host_name(h)]
        if bad:
            return _("--network-host {value!r} is not a host name or IP address (like api.weixin.qq.com)").format(
                value=bad[0])
        if self.bugreport is not None:
            if self.replay is not None or self.serial or self.all_devices:
                return _("--bugreport reads a bugreport: --replay, --demo, --serial and --all do not apply")
            if self.support_page is not None:
                return _("--report writes the page of a device or a recording, not of a bugreport")
        elif self.replay is not None:
            if self.serial or self.all_devices:
                return _("--replay/--demo read a recording: --serial and --all do not apply")
        elif self.serial and self.all_devices:
            return _("--all diagnoses every attached device and --serial names one: give one of them")
        elif self.support_page and self.all_devices:
            return _("--report writes one device's page: choose the device with --serial, not --all")
        return None
