"""wmpf-cli fingerprints (and WMPF's manifest version) kept between runs, so a second run on the same
device does not copy the APKs again. Keyed by device serial, package, versionCode and last update
time: any reinstall or update of the app changes the key. One small JSON file in the user's cache folder; a damaged or
unwritable file is ignored (the APK is simply read again).
"""
from __future__ import annotations

import json
import os
import sys
import threading
from pathlib import Path

from packaging.version import InvalidVersion, Version

from devdoctor.wmpf.version import CliRange

MAX_ENTRIES = 500
_lock = threading.Lock()
# The file parsed, with its (path, mtime, size) then: read again only when it changed (every device of a
# fleet asks twice, and the file holds up to MAX_ENTRIES entries of every device the laptop has seen).
_read: tuple[tuple[Path, int, int], dict] | None = None


def cache_dir() -> Path:
    """The per-user cache folder on Windows, macOS and Linux (DEVDOCTOR_CACHE_DIR overrides)."""
    if os.environ.get("DEVDOCTOR_CACHE_DIR"):
        return Path(os.environ["DEVDOCTOR_CACHE_DIR"])
    if sys.platform == "win32":
        return Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local") / "devdoctor" / "cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "devdoctor"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "devdoctor"


def _file() -> Path:
    return cache_dir() / "wmpf-cli-fingerprints.json"


def key(serial: str, package: str, version_code: int | None, last_update: str | None) -> str | None:
    """None when the app's identity is not known well enough to trust a cached answer."""
    if version_code is None or not last_update:
        return None
    return f"{serial}|{package}|{version_code}|{last_update}"


def _load() -> dict:
    """The entries (the caller holds _lock)."""
    global _read
    try:
        stamp = _stamp(_file())
        if _read is not None and _read[0] == stamp:
            return _read[1]
        doc = json.loads(_file().read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return {}
    doc = doc if isinstance(doc, dict) else {}
    _read = (stamp, doc)
    return doc


def _stamp(path: Path) -> tuple[Path, int, int]:
    st = path.stat()
    return path, st.st_mtime_ns, st.st_size


def get_value(k: str):
    """A plain JSON value kept under k (e.g. WMPF's manifest version name), or None."""
    with _lock:
        entry = _load().get(k)
    return entry.get("value") if isinstance(entry, dict) else None


def put_value(k: str, value) -> None:
    _store(k, {"value": value})


def get(k: str) -> CliRange | None:
    with _lock:
        entry = _load().get(k)
    try:
        return CliRange(Version(entry["low"]), Version(entry["high"]) if entry.get("high") else None,
                        [str(c) for c in entry.get("clues", [])])
    except (TypeError, KeyError, InvalidVersion):
        return None


def put(k: str, rng: CliRange) -> None:
    _store(k, {"low": str(rng.low), "high": str(rng.high) if rng.high else None, "clues": rng.clues})


def _store(k: str, entry: dict) -> None:
    global _read
    with _lock:
        doc = _load()
        if doc.get(k) == entry:
            return  # a warm run finds what it would write: nothing to rewrite (a fleet's every device did, twice)
        doc.pop(k, None)  # re-inserted last: the entries written longest ago are dropped first
        doc[k] = entry
        while len(doc) > MAX_ENTRIES:
            doc.pop(next(iter(doc)))
        try:
            _file().parent.mkdir(parents=True, exist_ok=True)
            tmp = _file().with_suffix(".tmp")
            tmp.write_text(json.dumps(doc, separators=(",", ":")), encoding="utf-8")  # C encoder: no indent
            tmp.replace(_file())
            _read = (_stamp(_file()), doc)
        except OSError:
            pass  # a cache that cannot be written costs time, not correctness
