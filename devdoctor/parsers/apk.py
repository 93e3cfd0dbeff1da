"""What an APK declares and names: its manifest (Android binary XML) and the strings of its dex files.

Pure: takes the APK as bytes or a seekable binary file (a pulled copy, or a DeviceFile that reads
ranges from the device), never raises, and reports what it could not read in `problems`.

Binary XML is decoded by apkInspector (a maintained, dependency-free decoder), not by our own code.
Dex: only the header and the string table are read (dex format, "string_ids" / "string_data_item",
source.android.com/docs/core/runtime/dex-format); class names appear there as type descriptors
("Lcom/tencent/wmpf/cli/api/WMPF;"), and constant strings (log tags, messages) beside them.
"""
from __future__ import annotations

import array
import bisect
import io
import re
import struct
import sys
import zipfile
from devdoctor.parsers.numbers import to_int
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, BinaryIO

if TYPE_CHECKING:
    import xml.etree.ElementTree as ET

ANDROID_NS = "{http://schemas.android.com/apk/res/android}"
MAX_MEMBER_BYTES = 64 * 1024 * 1024  # one dex or manifest larger than this is not read
MAX_DEX_FILES = 40
_DEX_NAME = re.compile(r"^classes\d*\.dex$")


@dataclass
class ApkInfo:
    package: str | None = None
    version_name: str | None = None
    version_code: int | None = None
    meta_data: dict[str, str] = field(default_factory=dict)
    services: list[str] = field(default_factory=list)
    providers: list[tuple[str, str]] = field(default_factory=list)  # (class, authorities)
    queries_packages: list[str] = field(default_factory=list)
    queries_providers: list[str] = field(default_factory=list)  # authorities under <queries>
    manifest_read: bool = False
    dex_files: list[str] = field(default_factory=list)  # the dex members whose strings were read
    strings: set[str] = field(default_factory=set)  # every string of every dex read (or those asked for)
    problems: list[str] = field(default_factory=list)


def read_apk(source: bytes | BinaryIO, with_dex: bool = True, strings_containing: bytes | None = None) -> ApkInfo:
    """Read the manifest and (with_dex) every classesN.dex's strings from an APK; with
    `strings_containing`, only the strings that hold it (see dex_strings)."""
    info = ApkInfo()
    try:
        zf = zipfile.ZipFile(io.BytesIO(source) if isinstance(source, (bytes, bytearray)) else source)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as e:
        info.problems.append(f"not a readable APK (zip): {e}")
        return info
    except Exception as e:  # a device read failing underneath: said, not raised
        info.problems.append(f"could not read the APK: {type(e).__name__}: {e}")
        return info
    with zf:
        raw = _member(zf, "AndroidManifest.xml", info)
        if raw is not None:
            _read_manifest(raw, info)
        if with_dex:
            names = sorted((n for n in zf.namelist() if _DEX_NAME.match(n)),
                           key=lambda n: to_int(n[7:-4] or "1") or 0)
            if not names:
                info.problems.append("the APK holds no classes.dex")
            for name in names[:MAX_DEX_FILES]:
                data = _member(zf, name, info)
                if data is None:
                    continue
                strings, problems = dex_strings(data, strings_containing)
                info.problems += [f"{name}: {p}" for p in problems]
                if strings or not problems:  # read, even when no string holds what was asked for
                    info.dex_files.append(name)
                    info.strings.update(strings)
    return info


def _member(zf: zipfile.ZipFile, name: str, info: ApkInfo) -> bytes | None:
    try:
        zi = zf.getinfo(name)
    except KeyError:
        info.problems.append(f"the APK has no {name}")
        return None
    if zi.file_size > MAX_MEMBER_BYTES:
        info.problems.append(f"{name} is {zi.file_size} bytes, more than the {MAX_MEMBER_BYTES} read")
        return None
    try:
        return zf.read(zi)
    except Exception as e:  # bad CRC, truncated data, unsupported compression, a failed device read
        info.problems.append(f"{name} could not be read: {type(e).__name__}: {e}")
        return None


def decode_manifest(raw: bytes) -> ET.Element | None:
    """Android binary XML → an ElementTree element, or None when it is not decodable."""
    import xml.etree.ElementTree as ET  # here: a run that reads no APK (a bugreport) never loads it

    from apkInspector.axml import get_manifest  # a well-kept decoder; imported late (startup time)

    try:
        text = get_manifest(io.BytesIO(raw))
    except Exception:
        return None
    try:
        return ET.fromstring(text)
    except ET.ParseError:
        pass
    # apkInspector declares xmlns:android on the first element that uses it; when that is not the
    # root, a later sibling's android: attributes are unbound. Declare it once, on the root.
    decl = f' xmlns:android="{ANDROID_NS[1:-1]}"'
    if text.lstrip().startswith("<manifest"):
        text = text.replace(decl, "")
        text = text.replace("<manifest", "<manifest" + decl, 1)
    try:
        return ET.fromstring(text)
    except ET.ParseError:
        return None


# Decoded manifests by their bytes: the same APK on every device of a fleet is decoded once per run. An
# exact key (the bytes themselves), so two APKs that differ never share an entry.
_MANIFESTS: dict[bytes, ApkInfo] = {}
_MANIFESTS_KEPT = 32
_MANIFEST_KEPT_BYTES = 1 << 20


def _read_manifest(raw: bytes, info: ApkInfo) -> None:
    seen = _MANIFESTS.get(raw)
    if seen is None:
        seen = ApkInfo()
        _decode_manifest_into(raw, seen)
        if len(raw) <= _MANIFEST_KEPT_BYTES:  # a real manifest is a few kilobytes; a huge one is not kept
            if len(_MANIFESTS) >= _MANIFESTS_KEPT:
                _MANIFESTS.clear()
            _MANIFESTS[raw] = seen
    info.package, info.version_name, info.version_code = seen.package, seen.version_name, seen.version_code
    info.meta_data.update(seen.meta_data)
    info.services += seen.services
    info.providers += seen.providers
    info.queries_packages += seen.queries_packages
    info.queries_providers += seen.queries_providers
    info.manifest_read = info.manifest_read or seen.manifest_read
    info.problems += seen.problems


def _decode_manifest_into(raw: bytes, info: ApkInfo) -> None:
    root = decode_manifest(raw)
    if root is None or root.tag != "manifest":
        info.problems.append("AndroidManifest.xml is not decodable Android binary XML")
        return
    info.manifest_read = True
    a = lambda el, name: el.get(ANDROID_NS + name) or el.get("android:" + name)  # noqa: E731
    info.package = root.get("package")
    info.version_name = a(root, "versionName")
    code = a(root, "versionCode") or ""
    info.version_code = to_int(code)
    for app in root.findall("application"):
        for md in app.findall("meta-data"):
            name, value = a(md, "name"), a(md, "value")
            if name:
                info.meta_data[name] = value if value is not None else ""
        info.services += [n for n in (a(s, "name") for s in app.findall("service")) if n]
        info.providers += [(a(p, "name") or "", a(p, "authorities") or "") for p in app.findall("provider")]
    for q in root.findall("queries"):
        info.queries_packages += [n for n in (a(p, "name") for p in q.findall("package")) if n]
        for p in q.findall("provider"):
            # FAQ 4.6 prints the attribute misspelt ("authroities"); apps copy it, so accept both.
            auth = a(p, "authorities") or a(p, "authroities")
            if auth:
                info.queries_providers.append(auth)


# -- dex ------------------------------------------------------------------------------------------

_DEX_MAGIC = re.compile(rb"^dex\n0[3-4][0-9]\x00")
MAX_STRINGS = 4_000_000


def _uleb128(data: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    for _ in range(5):
        b = data[pos]
        pos += 1
        value |= (b & 0x7F) << shift
        if b < 0x80:
            return value, pos
        shift += 7
    raise ValueError("unterminated_uleb128")  # internal: caught below


def dex_strings(data: bytes, containing: bytes | None = None) -> tuple[list[str], list[str]]:
    """The string table of one dex file, and the problems met reading it. With `containing`, only
    the strings that hold it (ASCII case ignored): found by one scan of the file in C, so a dex of
    a hundred thousand strings costs milliseconds, not a Python loop over every string."""
    if len(data) < 0x70 or not _DEX_MAGIC.match(data[:8]):
        return [], ["not a dex file (bad magic or shorter than its header)"]
    size, off = struct.unpack_from("<II", data, 56)
    if size > MAX_STRINGS or off + 4 * size > len(data):
        return [], [f"string table ({size} strings at {off}) lies outside the file: truncated or damaged"]
    ids = array.array("I")
    ids.frombytes(data[off:off + 4 * size])
    if sys.byteorder == "big":
        ids.byteswap()
    starts = sorted(ids)  # d8 lays the strings out in order: sorting is a quick pass
    if containing is not None:
        return _strings_holding(data, starts, containing), _outside(starts, len(data), size)
    out: list[str] = []
    bad = 0
    for sdo in ids:
        text = _string_at(data, sdo)
        if text is None:
            bad += 1
        else:
            out.append(text)
    problems = [f"{bad} of {size} strings lie outside the file: truncated or damaged"] if bad else []
    return out, problems


def _string_at(data: bytes, sdo: int) -> str | None:
    """The string_data_item at `sdo` (a uleb128 length, MUTF-8 bytes, a NUL), or None when it lies
    outside the file. MUTF-8: plain UTF-8 for the ASCII names we look for; others decode with replacements."""
    try:
        _, pos = _uleb128(data, sdo)
        end = data.index(b"\x00", pos)
    except (IndexError, ValueError):
        return None
    return data[pos:end].decode("utf-8", "replace")


def _strings_holding(data: bytes, starts: list[int], needle: bytes) -> list[str]:
    """Each hit of `needle` belongs to the string item starting last before it, if it ends after it."""
    found: dict[int, str] = {}
    lowered, needle = data.lower(), needle.lower()
    at = lowered.find(needle, starts[0] if starts else len(data))
    while at >= 0:
        i = bisect.bisect_right(starts, at) - 1
        if starts[i] not in found:
            text = _string_at(data, starts[i])
            if text is not None and at + len(needle) <= data.find(b"\x00", starts[i]):
                found[starts[i]] = text
        at = lowered.find(needle, at + 1)
    return list(found.values())


def _outside(starts: list[int], length: int, size: int) -> list[str]:
    bad = len(starts) - bisect.bisect_left(starts, length)
    return [f"{bad} of {size} strings lie outside the file: truncated or damaged"] if bad else []
