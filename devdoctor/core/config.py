"""The site configuration, devdoctor.toml: what one site (a maker, a building, a production line) tells
every run: its host app, extra payment apps, the hosts its devices must reach, checks to skip,
thresholds and the language.

Where: `--config FILE`, else ./devdoctor.toml, else the user's config folder
(Linux $XDG_CONFIG_HOME/devdoctor/, macOS ~/Library/Application Support/devdoctor/,
Windows %APPDATA%\\devdoctor\\). Example:

    host_package = "com.example.doorbell"
    extra_payment_packages = ["com.example.pay"]
    network_hosts = ["api.example.com", "10.0.0.8"]
    skip = ["camera"]
    language = "zh"            # zh or en
    adb_servers = ["10.0.0.5:5037", "127.0.0.1:5037"]   # devdoctor.fleet: several adb servers

    [thresholds]               # numbers checks judge by (devdoctor list --json shows each check's)
    clock_max_skew_seconds = 30

Unknown keys and wrong types are refused with the key and the file named (exit 2).
"""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from devdoctor.ui.i18n import _

if TYPE_CHECKING:
    from devdoctor.check import Settings


def _default_settings() -> Settings:
    from devdoctor.check import Settings  # not at import: choosing the language for --help needs none of it

    return Settings()

FILE_NAME = "devdoctor.toml"
HISTORY_KEEP_DAYS = 365


class ConfigError(Exception):
    """A configuration file that cannot be used; the message names the file and the key."""


@dataclass
class SiteConfig:
    path: Path | None = None  # None: no file found, defaults apply
    settings: Settings = field(default_factory=_default_settings)
    skip: list[str] = field(default_factory=list)
    language: str | None = None
    adb_servers: list[str] = field(default_factory=list)  # HOST:PORT each (devdoctor.fleet)
    history_keep_days: int = HISTORY_KEEP_DAYS  # runs older than this leave the history (0: kept for ever)


def user_config_dir(environ: dict[str, str] | None = None, platform: str = sys.platform) -> Path:
    env = os.environ if environ is None else environ
    if platform.startswith("win"):
        return Path(env.get("APPDATA") or Path.home() / "AppData" / "Roaming") / "devdoctor"
    if platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "devdoctor"
    return Path(env.get("XDG_CONFIG_HOME") or Path.home() / ".config") / "devdoctor"


def find(explicit: Path | None = None, cwd: Path | None = None, environ: dict[str, str] | None = None) -> Path | None:
    """The file to read: the given one (even if missing: that is an error later), else the first found."""
    if explicit is not None:
        return explicit
    for candidate in ((cwd or Path.cwd()) / FILE_NAME, user_config_dir(environ) / FILE_NAME):
        if candidate.is_file():
            return candidate
    return None


def _tomllib():
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # the same parser, published separately for 3.10
        import tomli as tomllib
    return tomllib


def read(path: Path) -> dict[str, Any]:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(_("{file}: no such configuration file").format(file=path)) from None
    except OSError as e:
        raise ConfigError(_("{file}: cannot read it ({error})").format(file=path, error=e.strerror or e)) from None
    tomllib = _tomllib()
    try:
        return tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(_("{file} is not UTF-8 text").format(file=path)) from None
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(_("{file} is not valid TOML: {error}").format(file=path, error=e)) from None


def _strings(doc: dict, key: str, path: Path) -> list[str]:
    value = doc[key]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(_("{file}: {key} must be a list of strings, like {key} = [\"a\", \"b\"]").format(
            file=path, key=key))
    return value


def _string(doc: dict, key: str, path: Path) -> str:
    if not isinstance(doc[key], str):
        raise ConfigError(_("{file}: {key} must be a string in quotes").format(file=path, key=key))
    return doc[key]


def _servers(doc: dict, path: Path) -> list[str]:
    from devdoctor.fleet.address import BadAddress, parse_address

    servers = _strings(doc, "adb_servers", path)
    for server in servers:
        try:
            parse_address(server)
        except BadAddress as e:
            raise ConfigError(f"{path}: adb_servers: {e}") from None
    return servers


def parse(doc: dict[str, Any], path: Path) -> SiteConfig:
    from devdoctor.sources.device import is_host_name, is_package_name

    known = {"host_package", "extra_payment_packages", "network_hosts", "skip", "thresholds", "language",
             "adb_servers", "history_keep_days"}
    for key in doc:
        if key not in known:
            raise ConfigError(_("{file}: unknown key {key!r}; known keys: {known}").format(
                file=path, key=key, known=", ".join(sorted(known))))
    cfg = SiteConfig(path)
    s = cfg.settings
    if "host_package" in doc:
        s.host_package = _string(doc, "host_package", path)
    for key in ("host_package", "extra_payment_packages"):
        values = [s.host_package] if key == "host_package" and s.host_package else []
        if key == "extra_payment_packages" and key in doc:
            values = s.extra_payment_packages = _strings(doc, key, path)
        for v in values:
            if not is_package_name(v):
                raise ConfigError(_("{file}: {key}: {value!r} is not an Android package name (like "
                                    "com.example.app)").format(file=path, key=key, value=v))
    if "network_hosts" in doc:
        s.network_hosts = _strings(doc, "network_hosts", path)
        for host in s.network_hosts:
            if not is_host_name(host):
                raise ConfigError(_("{file}: network_hosts: {value!r} is not a host name or IP address").format(
                    file=path, value=host))
    if "skip" in doc:
        cfg.skip = _strings(doc, "skip", path)
    if "adb_servers" in doc:
        cfg.adb_servers = _servers(doc, path)
    if "history_keep_days" in doc:
        days = doc["history_keep_days"]
        if isinstance(days, bool) or not isinstance(days, int) or days < 0:
            raise ConfigError(_("{file}: history_keep_days must be a whole number of days (0 keeps every run), not "
                                "{value!r}").format(file=path, value=days))
        cfg.history_keep_days = days
    if "language" in doc:
        lang = _string(doc, "language", path)
        if lang not in ("zh", "en"):
            raise ConfigError(_("{file}: language must be \"zh\" or \"en\", not {value!r}").format(
                file=path, value=lang))
        cfg.language = lang
    if "thresholds" in doc:
        table = doc["thresholds"]
        if not isinstance(table, dict):
            raise ConfigError(_("{file}: thresholds must be a table ([thresholds] with name = number lines)")
                              .format(file=path))
        for name, value in table.items():
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ConfigError(_("{file}: thresholds.{key} must be a number, not {value!r}").format(
                    file=path, key=name, value=value))
        s.thresholds = {k: float(v) for k, v in table.items()}
    return cfg


def check_thresholds(cfg: SiteConfig, known: dict[str, Any]) -> None:
    """Refuse a [thresholds] name that no loaded check reads (`known`: name -> devdoctor.check.Threshold)."""
    for name in cfg.settings.thresholds:
        if name not in known:
            raise ConfigError(_("{file}: thresholds.{key} is not read by any check; known thresholds: {known}").format(
                file=cfg.path, key=name, known=", ".join(sorted(known)) or _("none")))


def load(explicit: Path | None = None, cwd: Path | None = None) -> SiteConfig:
    """The site configuration in effect (defaults when there is no file); ConfigError for a bad file."""
    path = find(explicit, cwd)
    if path is None:
        return SiteConfig()
    return parse(read(path), path)


def quiet_language(explicit: Path | None = None) -> str | None:
    """The configured language, or None; never raises (a bad file is reported by the command later)."""
    try:
        path = find(explicit)
        value = read(path).get("language") if path is not None else None
    except (ConfigError, OSError, ValueError):
        return None
    return value if value in ("zh", "en") else None
