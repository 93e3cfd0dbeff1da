"""An adb server's address (HOST:PORT) and the names of its devices (HOST:PORT/SERIAL). Kept apart
from devdoctor.fleet.servers so that reading devdoctor.toml does not load the adb client."""
from __future__ import annotations

from dataclasses import dataclass

from devdoctor.sources.device import is_host_name
from devdoctor.ui.i18n import _


class BadAddress(ValueError):
    """Not HOST:PORT; the message says why."""


@dataclass(frozen=True)
class ServerAddress:
    host: str
    port: int

    def __str__(self) -> str:
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"


def parse_address(text: str) -> ServerAddress:
    """HOST:PORT (an IPv6 address in brackets, [::1]:5037); BadAddress otherwise."""
    text = text.strip()
    if text.startswith("["):
        host, _sep, rest = text[1:].partition("]")
        port = rest[1:] if rest.startswith(":") else ""
    else:
        host, _sep, port = text.rpartition(":")
        if ":" in host:
            raise BadAddress(_("{value!r}: write an IPv6 address in brackets, like [::1]:5037").format(value=text))
    if not host or not port:
        raise BadAddress(_("{value!r} is not HOST:PORT (like 10.0.0.5:5037)").format(value=text))
    if not (port.isdigit() and len(port) <= 5 and 0 < int(port) < 65536):
        raise BadAddress(_("{value!r}: the port must be a number from 1 to 65535").format(value=text))
    if not is_host_name(host):
        raise BadAddress(_("{value!r}: {host!r} is not a host name or IP address").format(value=text, host=host))
    return ServerAddress(host, int(port))


def device_name(server: ServerAddress | str, serial: str) -> str:
    return f"{server}/{serial}"


def split_name(name: str) -> tuple[str, str] | None:
    """(server, serial) of a `HOST:PORT/SERIAL` name; None for a plain serial."""
    head, sep, serial = name.partition("/")
    if not sep:
        return None
    try:
        return str(parse_address(head)), serial
    except BadAddress:
        return None


def parse_listen(text: str) -> ServerAddress:
    """Where to serve /metrics: HOST:PORT as written, or a bare PORT on loopback (127.0.0.1)."""
    text = text.strip()
    if text.isdigit():
        text = f"127.0.0.1:{text}"
    return parse_address(text)


def is_loopback(host: str) -> bool:
    import ipaddress

    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"
