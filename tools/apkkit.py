"""Tiny APKs in the genuine binary formats, for fixtures and tests: a binary-XML AndroidManifest.xml
(ResXMLTree chunks as aapt writes them: frameworks/base libs/androidfw ResourceTypes.h) and a dex
file holding a string table and type ids (dex format "header_item", "string_id_item",
"type_id_item", "map_list"). Debian has `aapt` but no android.jar to compile a manifest against,
nor d8/dx, so both are written here and checked with Debian's real tools when present:
`aapt dump xmltree` for the manifest and `dexdump -f` for the dex (verify(), run by
tools/areas/versions.py on every APK it writes).
"""
from __future__ import annotations

import hashlib
import io
import shutil
import struct
import subprocess
import sys
import tempfile
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

ANDROID_URI = "http://schemas.android.com/apk/res/android"
# android.R.attr ids (frameworks/base core/res/res/values/public.xml)
ATTR_IDS = {"name": 0x01010003, "authorities": 0x01010018, "value": 0x01010024, "exported": 0x01010010,
            "minSdkVersion": 0x0101020C, "versionCode": 0x0101021B, "versionName": 0x0101021C,
            "targetSdkVersion": 0x01010270}
INT_ATTRS = {"versionCode", "minSdkVersion", "targetSdkVersion"}


@dataclass
class El:
    """One manifest element: tag, android:* attributes (plain attributes when the key has no
    'android:' prefix), children."""

    tag: str
    attrs: dict[str, str | int] = field(default_factory=dict)
    children: list["El"] = field(default_factory=list)


def _pool(strings: list[str]) -> bytes:
    offsets, data = [], b""
    for s in strings:
        b = s.encode("utf-8")
        assert len(s) < 0x80 and len(b) < 0x80, "short strings only"
        offsets.append(len(data))
        data += bytes([len(s), len(b)]) + b + b"\x00"
    data += b"\x00" * (-len(data) % 4)
    header_size = 28
    start = header_size + 4 * len(strings)
    body = struct.pack(f"<{len(strings)}I", *offsets) + data
    return struct.pack("<HHIIIIII", 0x0001, header_size, header_size + len(body), len(strings), 0,
                       0x100, start, 0) + body


def axml(root: El) -> bytes:
    """Encode a manifest as Android binary XML (UTF-8 string pool, resource map for android: attrs)."""
    attr_names: list[str] = []
    others: list[str] = []

    def collect(el: El) -> None:
        for k, v in el.attrs.items():
            name = k.split(":", 1)[1] if k.startswith("android:") else k
            if k.startswith("android:"):
                if name not in attr_names:
                    attr_names.append(name)
            elif name not in others:
                others.append(name)
            if isinstance(v, str) and v not in others:
                others.append(v)
        if el.tag not in others:
            others.append(el.tag)
        for c in el.children:
            collect(c)

    collect(root)
    attr_names.sort(key=lambda n: ATTR_IDS[n])
    strings = attr_names + [s for s in ["android", ANDROID_URI] + others if s not in attr_names]
    idx = {s: i for i, s in enumerate(strings)}
    resmap = struct.pack(f"<{len(attr_names)}I", *(ATTR_IDS[n] for n in attr_names))
    chunks = [struct.pack("<HHI", 0x0180, 8, 8 + len(resmap)) + resmap]
    chunks.append(struct.pack("<HHIIIII", 0x0100, 16, 24, 1, 0xFFFFFFFF, idx["android"], idx[ANDROID_URI]))
    line = [1]

    def emit(el: El) -> None:
        attrs = b""
        items = sorted(el.attrs.items(), key=lambda kv: ATTR_IDS.get(kv[0].split(":")[-1], 1 << 31)
                       if kv[0].startswith("android:") else 1 << 31)
        for k, v in items:
            android = k.startswith("android:")
            name = k.split(":", 1)[1] if android else k
            ns = idx[ANDROID_URI] if android else 0xFFFFFFFF
            if isinstance(v, int) or name in INT_ATTRS:
                attrs += struct.pack("<IIIHBBI", ns, idx[name], 0xFFFFFFFF, 8, 0, 0x10, int(v))
            else:
                attrs += struct.pack("<IIIHBBI", ns, idx[name], idx[v], 8, 0, 0x03, idx[v])
        n = len(el.attrs)
        chunks.append(struct.pack("<HHIIIIIHHHHHH", 0x0102, 16, 36 + len(attrs), line[0], 0xFFFFFFFF,
                                  0xFFFFFFFF, idx[el.tag], 20, 20, n, 0, 0, 0) + attrs)
        line[0] += 1
        for c in el.children:
            emit(c)
        chunks.append(struct.pack("<HHIIIII", 0x0103, 16, 24, line[0], 0xFFFFFFFF, 0xFFFFFFFF, idx[el.tag]))
        line[0] += 1

    emit(root)
    chunks.append(struct.pack("<HHIIIII", 0x0101, 16, 24, line[0], 0xFFFFFFFF, idx["android"], idx[ANDROID_URI]))
    body = _pool(strings) + b"".join(chunks)
    return struct.pack("<HHI", 0x0003, 8, 8 + len(body)) + body


def _uleb(n: int) -> bytes:
    out = b""
    while True:
        b = n & 0x7F
        n >>= 7
        out += bytes([b | (0x80 if n else 0)])
        if not n:
            return out


def dex(strings: list[str]) -> bytes:
    """A dex file (version 035) whose string table holds `strings` and whose type ids are the
    descriptors among them ("L...;"): what a class's name or a class it refers to leaves in a dex."""
    strs = sorted(set(strings), key=lambda s: s.encode("utf-16-be"))  # dex order: UTF-16 code units
    types = [i for i, s in enumerate(strs) if s.startswith("L") and s.endswith(";")]
    header = 0x70
    sid_off = header
    tid_off = sid_off + 4 * len(strs)
    data_off = tid_off + 4 * len(types)
    pieces, offs, at = [], [], data_off  # joined once: a dex of real size has tens of thousands of strings
    for s in strs:
        offs.append(at)
        piece = _uleb(len(s.encode("utf-16-le")) // 2) + s.encode("utf-8") + b"\x00"
        pieces.append(piece)
        at += len(piece)
    sdata = b"".join(pieces)
    sdata += b"\x00" * (-len(sdata) % 4)
    map_off = data_off + len(sdata)
    items = [(0x0000, 1, 0), (0x0001, len(strs), sid_off)]
    if types:
        items.append((0x0002, len(types), tid_off))
    items += [(0x2002, len(strs), data_off), (0x1000, 1, map_off)]
    maplist = struct.pack("<I", len(items)) + b"".join(struct.pack("<HHII", t, 0, n, o) for t, n, o in items)
    size = map_off + len(maplist)
    body = (struct.pack(f"<{len(strs)}I", *offs) + struct.pack(f"<{len(types)}I", *types) + sdata + maplist)
    head = bytearray(struct.pack("<8s4s20sIIIIIIIIIIIIIIIIIIII", b"dex\n035\x00", b"\0" * 4, b"\0" * 20, size,
                                 header, 0x12345678, 0, 0, map_off, len(strs), sid_off, len(types),
                                 tid_off if types else 0, 0, 0, 0, 0, 0, 0, 0, 0, size - data_off, data_off))
    blob = bytearray(head + body)
    blob[12:32] = hashlib.sha1(bytes(blob[32:])).digest()
    blob[8:12] = struct.pack("<I", zlib.adler32(bytes(blob[12:])))
    return bytes(blob)


def apk(manifest: El | bytes | None, dex_files: list[bytes], extra: dict[str, bytes] | None = None) -> bytes:
    """A zip laid out as an APK: AndroidManifest.xml, classes.dex, classes2.dex, ..., then the extras
    (stored, like native libraries: a real APK keeps lib/ after the dex files)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        if manifest is not None:
            raw = manifest if isinstance(manifest, bytes) else axml(manifest)
            z.writestr(zipfile.ZipInfo("AndroidManifest.xml", (2008, 1, 1, 0, 0, 0)), raw, zipfile.ZIP_DEFLATED)
        for i, d in enumerate(dex_files):
            name = "classes.dex" if i == 0 else f"classes{i + 1}.dex"
            z.writestr(zipfile.ZipInfo(name, (2008, 1, 1, 0, 0, 0)), d, zipfile.ZIP_DEFLATED)
        for name, data in (extra or {}).items():
            z.writestr(zipfile.ZipInfo(name, (2008, 1, 1, 0, 0, 0)), data, zipfile.ZIP_STORED)
    return buf.getvalue()


_warned: list[bool] = []


def verify(apk_bytes: bytes) -> list[str]:
    """Check an APK with Debian's real tools, when installed: `aapt dump xmltree` must decode the
    manifest and `dexdump -f` must accept each dex (its checksum and header). Returns problems."""
    problems: list[str] = []
    missing = [t for t in ("aapt", "dexdump") if not shutil.which(t)]
    if missing and not _warned:
        _warned.append(True)
        print(f"apkkit: {', '.join(missing)} not installed (apt install aapt dexdump): APKs not cross-checked",
              file=sys.stderr)
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "t.apk"
        path.write_bytes(apk_bytes)
        if shutil.which("aapt"):
            r = subprocess.run(["aapt", "dump", "xmltree", str(path), "AndroidManifest.xml"],
                               capture_output=True, text=True)
            if r.returncode != 0:
                problems.append(f"aapt: {r.stderr.strip() or r.stdout.strip()}")
        if shutil.which("dexdump"):
            with zipfile.ZipFile(path) as z:
                for name in (n for n in z.namelist() if n.endswith(".dex")):
                    p = Path(d) / name
                    p.write_bytes(z.read(name))
                    r = subprocess.run(["dexdump", "-f", str(p)], capture_output=True, text=True)
                    if r.returncode != 0 or "Failure" in r.stderr:
                        problems.append(f"dexdump {name}: {r.stderr.strip()}")
    return problems
