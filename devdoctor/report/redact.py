"""Masking what identifies a device or a site before a report leaves the laptop: serial numbers, IMEIs,
MAC and IP addresses, Wi-Fi names.

Each value gets a stand-in of the same shape (an IP stays a valid IP in the same private range and
subnet, a MAC a MAC), the same one everywhere in a report, so a redacted recording still replays to
the same verdicts.
"""
from __future__ import annotations

import ipaddress
import re
from typing import Any

_PROP = re.compile(r"^\[([^\]]+)\]: \[([^\]]*)\]", re.M)
_SERIAL_PROPS = ("ro.serialno", "ro.boot.serialno", "ril.serialnumber", "sys.serialnumber", "persist.sys.sn")
_SSID = [re.compile(r'(?<![A-Za-z])SSID[=:]\s*"([^"\n]{1,64})"', re.I),
         re.compile(r'(?<![A-Za-z])SSID[=:]\s*([^\s",<>][^\s",]{0,63})', re.I),
         re.compile(r'"ssid"\s*:\s*"([^"\n]{1,64})"', re.I),
         re.compile(r'\bextra: "([^"\n]{1,64})"')]  # NetworkInfo of a Wi-Fi network (dumpsys connectivity)
_MAC = re.compile(r"(?<![0-9A-Fa-f:])(?:[0-9A-Fa-f]{2}:){5}[0-9A-Fa-f]{2}(?![0-9A-Fa-f:])")
_IPV4 = re.compile(r"(?<![\w.])(\d{1,3}(?:\.\d{1,3}){3})(?![\w.]*\d)")
_VERSION_BEFORE = re.compile(r"(version\w*[=:]?\s*|\bv)$", re.I)  # "versionName=2.1.0.1" is no address
_IPV6 = re.compile(r"(?<![\w:])([0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7})(?![\w:])")
_IMEI = re.compile(r"(?<!\d)(\d{15})(?!\d)")
_KEEP_IPV4 = {"8.8.8.8", "8.8.4.4", "1.1.1.1", "1.0.0.1", "114.114.114.114", "114.114.115.115", "223.5.5.5",
              "223.6.6.6", "119.29.29.29", "180.76.76.76", "9.9.9.9"}  # public resolvers: not the site's
_PRIVATE = [ipaddress.ip_network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10",
                                              "169.254.0.0/16")]
_NOT_A_NAME = {"<unknown ssid>", "unknown", "null", "none", ""}


def _luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


class Redactor:
    """Learns the identifying values of one report, then masks them wherever they appear."""

    def __init__(self) -> None:
        self.exact: dict[str, str] = {}  # serials, Wi-Fi names, IMEIs from properties
        self._seen: dict[str, str] = {}  # addresses already given a stand-in
        self._subnets: dict[str, str] = {}  # a private /24 -> its stand-in /24
        self._count: dict[str, int] = {}

    def _next(self, kind: str) -> int:
        self._count[kind] = self._count.get(kind, 0) + 1
        return self._count[kind]

    def add_serial(self, serial: str | None) -> None:
        if serial and serial not in self.exact and serial not in ("unknown", "replay") and len(serial) >= 4:
            self.exact[serial] = f"SERIAL{self._next('serial'):02d}"

    def learn(self, text: str) -> None:
        """Pick the identifying values out of device output (getprop, dumpsys wifi, ...)."""
        for key, value in _PROP.findall(text):
            low = key.lower()
            if key in _SERIAL_PROPS or low.endswith((".serialno", ".serial")):
                self.add_serial(value)
            elif key == "net.hostname" and value:  # android-<ANDROID_ID>
                self.exact.setdefault(value, f"android-host{self._next('host'):02d}")
            elif ("imei" in low or "meid" in low) and len(value) >= 8:
                self.exact.setdefault(value, f"IMEI{self._next('imei'):02d}")
        for pattern in _SSID:
            for name in pattern.findall(text):
                name = name.strip()
                if name.lower() not in _NOT_A_NAME and not _MAC.fullmatch(name) and name not in self.exact:
                    self.exact[name] = f"wifi-{self._next('wifi')}"

    def text(self, s: str) -> str:
        for value in sorted(self.exact, key=len, reverse=True):
            if value in s:
                s = s.replace(value, self.exact[value])
        s = _MAC.sub(self._mac, s)
        s = _IPV4.sub(self._ipv4, s)
        s = _IPV6.sub(self._ipv6, s)
        return _IMEI.sub(lambda m: self._imei(m.group(1)), s)

    def value(self, x: Any) -> Any:
        """Every string inside a JSON-like value, masked."""
        if isinstance(x, str):
            return self.text(x)
        if isinstance(x, list):
            return [self.value(v) for v in x]
        if isinstance(x, tuple):
            return tuple(self.value(v) for v in x)
        if isinstance(x, dict):
            return {self.value(k) if isinstance(k, str) else k: self.value(v) for k, v in x.items()}
        return x

    def _remember(self, original: str, make) -> str:
        if original not in self._seen:
            self._seen[original] = make()
        return self._seen[original]

    def _mac(self, m: re.Match) -> str:
        mac = m.group(0)
        if mac.lower() in ("00:00:00:00:00:00", "ff:ff:ff:ff:ff:ff") or mac.lower().startswith("02:00:00:00:00"):
            return mac
        return self._remember(mac.lower(), lambda: "02:00:00:00:00:%02x" % (self._next("mac") % 256))

    def _ipv4(self, m: re.Match) -> str:
        text = m.group(1)
        if _VERSION_BEFORE.search(m.string[max(0, m.start() - 24):m.start()]):
            return text
        try:
            ip = ipaddress.IPv4Address(text)
        except ValueError:
            return text
        if (text in _KEEP_IPV4 or ip.is_loopback or ip.is_unspecified or ip.is_multicast or text.startswith("255.")
                or text.startswith(("198.51.100.", "203.0.113.", "192.0.2."))):
            return text
        for net in _PRIVATE:
            if ip in net:
                # same private range, same subnet for addresses that shared one; the host number kept
                a, b, c, d = text.split(".")
                subnet = f"{a}.{b}.{c}"
                if subnet not in self._subnets:
                    stand_in = subnet
                    while stand_in == subnet:  # never the address itself (192.168.1.x was kept as it was)
                        n = self._next("subnet")
                        stand_in = str(ipaddress.IPv4Address(int(net.network_address) + n * 256)).rsplit(".", 1)[0]
                    self._subnets[subnet] = stand_in
                return self._subnets[subnet] + "." + d
        return self._remember(text, lambda: f"203.0.113.{self._next('public') % 250 + 1}")

    def _ipv6(self, m: re.Match) -> str:
        text = m.group(1)
        if text.count(":") < 2 or "::" not in text and text.count(":") != 7:
            return text
        try:
            ip = ipaddress.IPv6Address(text)
        except ValueError:
            return text
        if ip.is_loopback or ip.is_unspecified or ip.is_multicast or ip in ipaddress.ip_network("2001:db8::/32"):
            return text
        prefix = "fe80::" if ip.is_link_local else "fd00::" if ip.is_private else "2001:db8::"
        return self._remember(text, lambda: f"{prefix}{self._next('ipv6'):x}")

    def _imei(self, digits: str) -> str:
        if not _luhn(digits) or digits.startswith("0000"):
            return digits
        return self._remember(digits, lambda: f"{self._next('imei-seen'):015d}")
