#!/usr/bin/env python3
"""A real-sized device: the bundled healthy-a9-panel recording with APKs of real size, generated on
demand (never committed: about 200 MB) and the same for the same seed.

    python tools/large_device.py OUT.json [--host-mb 45] [--wmpf-mb 150] [--seed 20]

The maker's app is a multidex APK (classes.dex ... classes4.dex, wmpf-cli's classes in classes3.dex,
as d8 spreads a large app's libraries over several dex files), with native libraries, assets and
the v2 signing block a release build carries; the WMPF Service APK has its manifest (with the
meta-data devdoctor reads), a few dex files and the large native libraries that make it ~150 MB.
Manifests and wmpf-cli strings are those of the bundled recording's own small APKs; dex files and
manifests are written by tools/apkkit.py (checked with aapt and dexdump when installed); the zip
layout (local headers, central directory, APK Signing Block before it) follows the APK format
(source.android.com/docs/security/features/apksigning/v2, "APK Signing Block").
bench/run.py serves it from a simulated device at USB speed; the APKs' `dd` ranges are answered from
these files (devdoctor/simulator/dd.py).
"""
from __future__ import annotations

import argparse
import io
import random
import struct
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from apkkit import dex  # noqa: E402
from areas.versions import CLI_STRINGS  # noqa: E402

from devdoctor.sources.fixture import FileEntry, Fixture, dump, load  # noqa: E402
from devdoctor.parsers.apk import read_apk  # noqa: E402

BASE = ROOT / "fixtures" / "healthy-a9-panel.json"
HOST_PKG, WMPF_PKG = "com.sungate.doorbell", "com.tencent.wmpf"
MB = 1024 * 1024
DATE = (2008, 1, 1, 0, 0, 0)  # what apksigner-era build tools stamp on every entry
LIBRARIES = ["Landroidx/core/", "Landroidx/appcompat/", "Lkotlin/collections/", "Lokhttp3/internal/",
             "Lcom/google/gson/", "Lio/reactivex/internal/", "Lcom/arcsoft/face/", "Lorg/webrtc/"]
WORDS = ["Adapter", "Builder", "Callback", "Compat", "Delegate", "Factory", "Handler", "Helper", "Impl",
         "Listener", "Manager", "Observer", "Provider", "Request", "Response", "Service", "State", "Utils"]


@dataclass
class Sizes:
    host_mb: float = 45.0
    wmpf_mb: float = 150.0
    dex_strings: int = 90_000  # strings per filler dex: about 2.5 MB compressed each, as a real app's dex


def _filler_strings(rng: random.Random, n: int) -> list[str]:
    """Class descriptors, method names and constants (keys, hashes: they hardly compress) such as a
    library's dex names."""
    out = []
    for i in range(n):
        r = rng.getrandbits(64)
        lib = LIBRARIES[r % len(LIBRARIES)]
        name = WORDS[(r >> 8) % len(WORDS)] + WORDS[(r >> 16) % len(WORDS)]
        kind = i % 3
        out.append(f"{lib}{name}{i:x};" if kind == 0 else f"on{name}{i:x}" if kind == 1
                   else f"{name}:{rng.getrandbits(192):048x}")
    return out


def _v2_signing_block(rng: random.Random) -> bytes:
    """An APK Signing Block: size, (length, id, value) pairs, size again, magic. The value here is
    filler of a signature's size (nothing verifies it; devdoctor never reads it)."""
    value = rng.randbytes(4000)
    pairs = struct.pack("<QI", 4 + len(value), 0x7109871A) + value
    size = len(pairs) + 8 + 16
    return struct.pack("<Q", size) + pairs + struct.pack("<Q", size) + b"APK Sig Block 42"


def _with_signing_block(data: bytes, block: bytes) -> bytes:
    """Insert the signing block right before the central directory and move the EOCD's pointer."""
    eocd = data.rfind(b"PK\x05\x06")
    (cd_offset,) = struct.unpack_from("<I", data, eocd + 16)
    end = bytearray(data[eocd:])
    struct.pack_into("<I", end, 16, cd_offset + len(block))
    view = memoryview(data)
    return b"".join((view[:cd_offset], block, view[cd_offset:eocd], end))


def _apk(manifest: bytes, dex_files: list[bytes], stored: dict[str, bytes], rng: random.Random) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(zipfile.ZipInfo("AndroidManifest.xml", DATE), manifest, zipfile.ZIP_DEFLATED)
        for i, d in enumerate(dex_files):
            z.writestr(zipfile.ZipInfo("classes.dex" if i == 0 else f"classes{i + 1}.dex", DATE), d,
                       zipfile.ZIP_DEFLATED)
        for name, data in stored.items():  # native libraries and assets: stored
            z.writestr(zipfile.ZipInfo(name, DATE), data, zipfile.ZIP_STORED)
        for name in ("META-INF/CERT.SF", "META-INF/CERT.RSA", "META-INF/MANIFEST.MF"):
            z.writestr(zipfile.ZipInfo(name, DATE), rng.randbytes(2048), zipfile.ZIP_DEFLATED)
    return _with_signing_block(buf.getvalue(), _v2_signing_block(rng))


def _assets(rng: random.Random, count: int) -> dict[str, bytes]:
    """Voice prompts (raw PCM, stored) of a few kilobytes each: the many small entries of a real APK."""
    return {f"assets/sounds/prompt_{i:04d}.pcm": rng.randbytes(rng.randint(800, 6000)) for i in range(count)}


def _fill_to(total: int, have: int, names: list[str], rng: random.Random) -> dict[str, bytes]:
    """Native libraries that bring the APK to about `total` bytes (random bytes: they hardly compress)."""
    left = max(0, total - have)
    return {name: rng.randbytes(left // len(names)) for name in names}


def host_apk(small: bytes, sizes: Sizes, rng: random.Random) -> bytes:
    """The maker's app: the small APK's manifest and strings, spread over four dex files with
    libraries around them; wmpf-cli's strings only in classes3.dex."""
    manifest = zipfile.ZipFile(io.BytesIO(small)).read("AndroidManifest.xml")
    strings = read_apk(small).strings
    cli = {s for generation in CLI_STRINGS.values() for s in generation} & strings
    own = sorted(strings - cli)
    dexes = [dex(own + _filler_strings(rng, sizes.dex_strings)),
             dex(_filler_strings(rng, sizes.dex_strings)),
             dex(sorted(cli) + _filler_strings(rng, sizes.dex_strings // 2)),
             dex(_filler_strings(rng, sizes.dex_strings))]
    res = _assets(rng, 1200)
    res["assets/models/face_detect.bin"] = rng.randbytes(4 * MB)
    have = sum(len(d) for d in dexes) // 3 + sum(len(v) for v in res.values())  # dex deflate to about a third
    libs = _fill_to(int(sizes.host_mb * MB), have, ["lib/armeabi-v7a/libarcsoft_face.so",
                                                    "lib/armeabi-v7a/libwebrtc.so", "lib/armeabi-v7a/libc++_shared.so"],
                    rng)
    return _apk(manifest, dexes, {**res, **libs}, rng)


def wmpf_apk(small: bytes, sizes: Sizes, rng: random.Random) -> bytes:
    """The WMPF Service: the small APK's manifest (its version meta-data) and dex strings, three more
    dex files, and XWeb's large native libraries."""
    manifest = zipfile.ZipFile(io.BytesIO(small)).read("AndroidManifest.xml")
    dexes = [dex(sorted(read_apk(small).strings) + _filler_strings(rng, sizes.dex_strings))]
    dexes += [dex(_filler_strings(rng, sizes.dex_strings)) for _ in range(2)]
    res = _assets(rng, 400)
    have = sum(len(d) for d in dexes) // 3 + sum(len(v) for v in res.values())  # dex deflate to about a third
    libs = _fill_to(int(sizes.wmpf_mb * MB), have, ["lib/arm64-v8a/libxwebcore.so", "lib/arm64-v8a/libwmpf.so",
                                                    "lib/arm64-v8a/libmmv8.so", "lib/arm64-v8a/libilink.so"], rng)
    return _apk(manifest, dexes, {**res, **libs}, rng)


def large_device(sizes: Sizes | None = None, seed: int = 20) -> Fixture:
    """healthy-a9-panel with its two APKs replaced by real-sized ones (and `stat -c %s` answering their size)."""
    sizes = sizes or Sizes()
    fx = load(BASE)
    rng = random.Random(seed)
    for f in fx.files:
        if f.path.endswith("/base.apk") and f.content is not None:
            make = host_apk if f"/{HOST_PKG}-" in f.path else wmpf_apk
            f.content = make(f.content, sizes, rng)
    sizes_by_path = {f.path: len(f.content) for f in fx.files if f.content is not None}
    for e in fx.entries:
        path = e.command[len("stat -c %s "):]
        if e.command.startswith("stat -c %s ") and path in sizes_by_path:
            e.stdout = f"{sizes_by_path[path]}\n".encode()
    fx.description = (f"{fx.description}, with a real-sized maker's app ({sizes.host_mb:g} MB, four dex files, "
                      f"wmpf-cli in classes3.dex) and WMPF APK ({sizes.wmpf_mb:g} MB)")
    fx.provenance = {**fx.provenance, "origin": "hand-written", "format_source": (
        f"{fx.provenance.get('format_source', '')}; APKs: tools/large_device.py (seed {seed}) from the recording's "
        "own manifests and dex strings, dex written by tools/apkkit.py, APK Signing Block as in the APK v2 "
        "signature scheme")}
    return fx


def apk_files(fx: Fixture) -> list[FileEntry]:
    """The base.apk files of a recording (what devdoctor reads of the host app and of WMPF)."""
    return [f for f in fx.files if f.path.endswith("/base.apk") and f.content is not None]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--host-mb", type=float, default=45.0)
    ap.add_argument("--wmpf-mb", type=float, default=150.0)
    ap.add_argument("--seed", type=int, default=20)
    args = ap.parse_args()
    fx = large_device(Sizes(args.host_mb, args.wmpf_mb), args.seed)
    args.out.write_text(dump(fx), encoding="utf-8")
    for f in apk_files(fx):
        print(f"{f.path}: {len(f.content) / MB:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
