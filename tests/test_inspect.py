"""`devdoctor inspect` on every real capture in ../shared/captures/raw, against the hand-checked facts in
../shared/captures/expected; and on the same captures damaged the ways pasted captures arrive."""
from __future__ import annotations

import json

import pytest

from conftest import SHARED as SHARED_DIR
from conftest import cli, shared_dir
from devdoctor.readings.pasted import NotYetSupported, inspect_bytes
from devdoctor.parsers.capture import detect_kind, read_capture

SHARED = SHARED_DIR / "captures"
# Without ../shared, one stand-in case whose shared_dir() call skips saying why (and fails in CI), rather
# than pytest's bare "got empty parameter set".
RAW = (sorted((SHARED / "raw").glob("*/*.txt")) if SHARED.is_dir() else []) or [SHARED / "raw" / "absent" / "none"]
KIND_OF_FOLDER = {"logcat_wmpf": "logcat"}  # the captures' folder name -> inspect's kind
META = {"file", "command", "genuine", "notes", "encoding", "line_endings"}
# Free text or the collector's own bookkeeping, not facts a reader of the capture gets.
NOT_FACTS = {"rom_evidence", "log_format_detail", "near_misses", "section_start_line", "process_count_method"}
# Lists of records: which field names a record, to find it among inspect's records.
RECORD_KEYS = {"packages": ("package", "section"), "processes": ("pid",), "networks": ("netId",),
               "interfaces": ("name",), "chosen_packages": ("package", "uid")}
# Where inspect gives a list the expected file names differently.
GIVEN_AS = {"chosen_packages": "packages"}
# Facts inspect leaves out, saying so in its problems, while another part's parser is missing.
DECLINED = {"rom": "ROM detection is not in this version yet"}


def ids(paths):
    return [f"{p.parent.name}/{p.stem}" for p in paths]


def expected_of(raw):
    return json.loads((raw.parent.parent.parent / "expected" / raw.parent.name / (raw.stem + ".json")).read_text())


def kind_of(raw) -> str:
    return KIND_OF_FOLDER.get(raw.parent.name, raw.parent.name)


def read(raw, data: bytes | None = None, as_kind: str | None = None):
    try:
        return inspect_bytes(raw.read_bytes() if data is None else data, as_kind)
    except NotYetSupported as e:
        pytest.xfail(f"inspect cannot read `{e}` yet: its parser is not in this branch")


def same(value, exp: dict, key: str) -> bool:
    return value == exp[key] or value in exp.get(key + "_acceptable", [])


def compare(facts: dict, exp: dict) -> tuple[list[str], list[str]]:
    """(facts inspect got wrong, facts it does not give) against the expected ones."""
    wrong, absent = [], []
    for key, want in exp.items():
        if key in META or key in NOT_FACTS or key.endswith("_acceptable"):
            continue
        if isinstance(want, list) and want and isinstance(want[0], str) and key == "chosen_packages":
            continue  # names of the records listed under `packages`
        got_key = GIVEN_AS.get(key, key)
        if got_key not in facts:
            absent.append(key)
        elif isinstance(want, list) and want and isinstance(want[0], dict):
            wrong += compare_records(facts[got_key], want, RECORD_KEYS.get(key))
        elif not same(facts[got_key], exp, key):
            wrong.append(f"{key}: {facts[got_key]!r} != {want!r}")
    return wrong, absent


def compare_records(got: list[dict], want: list[dict], keys: tuple[str, ...] | None) -> list[str]:
    """Each expected record must be in `got` (found by `keys`, else by position) with the same values."""
    wrong = []
    if keys is None and len(got) != len(want):
        wrong.append(f"{len(got)} records != {len(want)}")
    for i, w in enumerate(want):
        if keys is None:
            g = got[i] if i < len(got) else None
        else:
            g = next((r for r in got if all(r.get(k) == w.get(k) for k in keys if k in w)), None)
        name = "/".join(str(w.get(k)) for k in keys) if keys else f"#{i}"
        if g is None:
            wrong.append(f"record {name} missing")
            continue
        for k in w:
            if k.endswith("_acceptable"):
                continue
            if k not in g:
                wrong.append(f"{name}.{k}: not given")
            elif isinstance(w[k], list) and w[k] and isinstance(w[k][0], dict):
                wrong += [f"{name}.{x}" for x in compare_records(g[k], w[k], None)]
            elif not same(g[k], w, k):
                wrong.append(f"{name}.{k}: {g[k]!r} != {w[k]!r}")
    return wrong


@pytest.mark.parametrize("raw", RAW, ids=ids(RAW))
def test_the_kind_is_told_from_the_capture(raw):
    shared_dir()
    kind, how = detect_kind(read_capture(raw.read_bytes()))
    assert kind == kind_of(raw), how


@pytest.mark.parametrize("raw", RAW, ids=ids(RAW))
def test_every_fact_is_right(raw):
    shared_dir()
    exp = expected_of(raw)
    reading, cap = read(raw)
    assert (cap.encoding, cap.line_endings) == (exp["encoding"], exp["line_endings"])
    declined = {k for k in reading.facts if reading.facts[k] is None
                and any(p.startswith(DECLINED.get(k, "\0")) for p in reading.problems)}
    wrong, absent = compare(reading.facts, exp)
    assert [w for w in wrong if w.split(":")[0] not in declined] == []
    reasons = [f"{k}: {DECLINED[k]}" for k in sorted(declined)]
    if absent:
        reasons.append("inspect does not give these facts yet: " + ", ".join(absent))
    if reasons:
        pytest.xfail("; ".join(reasons))


def powershell(data: bytes) -> bytes:
    """What `adb shell getprop > x.txt` in Windows PowerShell 5 saves: UTF-16 LE with a BOM, CRLF."""
    return b"\xff\xfe" + data.decode("utf-8", "replace").replace("\n", "\r\n").encode("utf-16-le")


def old_pty(data: bytes) -> bytes:
    """An old device's PTY shell (`adb shell` before 7.0): every line ends in CR CR LF."""
    return data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\r\n")


PROMPT_COMMAND = {"getprop": "getprop", "dumpsys_package": "dumpsys package", "ps": "ps -A",
                  "pm_list_packages": "pm list packages", "dumpsys_connectivity": "dumpsys connectivity",
                  "appops": "cmd appops get com.tencent.wmpf", "logcat": "logcat -d",
                  "dumpsys_deviceidle": "dumpsys deviceidle", "dumpsys_activity": "dumpsys activity processes",
                  "ip_addr": "ip addr", "ifconfig": "ifconfig", "ping": "ping -c 5 qq.com"}


def with_prompt(data: bytes, kind: str) -> bytes:
    if data.startswith((b"~ $", b"> ")):
        return data  # already has one
    return f"rk3288:/ $ {PROMPT_COMMAND[kind]}\n".encode() + data


@pytest.mark.parametrize("trap", ["utf16-bom-crlf", "crcrlf", "prompt"])
@pytest.mark.parametrize("raw", RAW, ids=ids(RAW))
def test_the_same_facts_through_every_trap(raw, trap):
    shared_dir()
    data = raw.read_bytes()
    clean, _ = read(raw)
    damaged = {"utf16-bom-crlf": powershell, "crcrlf": old_pty}.get(trap, lambda d: with_prompt(d, kind_of(raw)))(data)
    reading, cap = read(raw, damaged)
    assert reading.kind == clean.kind
    assert reading.facts == clean.facts
    if trap == "prompt":
        assert cap.prompt is not None and reading.told_by == "command"


@pytest.mark.parametrize("raw", RAW, ids=ids(RAW))
def test_a_cut_off_capture_says_so(raw):
    shared_dir()
    data = raw.read_bytes().rstrip(b"\r\n")
    data = data[: len(data) - max(1, len(data.rsplit(b"\n", 1)[-1]) // 2)]  # cut in the middle of the last line
    reading, cap = read(raw, data, kind_of(raw))
    assert cap.cut_off and any("cut off" in p for p in reading.problems)


def test_inspect_json_names_and_exit_codes(tmp_path):
    shared_dir()
    raw = SHARED / "raw" / "getprop" / "pixel-sailfish-a10-from-bugreport.txt"
    saved = tmp_path / "getprop.txt"
    saved.write_bytes(powershell(with_prompt(raw.read_bytes(), "getprop")))
    r = cli("inspect", saved, "--json")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert (doc["kind"], doc["sdk"], doc["model"], doc["abi_list"][0]) == ("getprop", 29, "Pixel", "arm64-v8a")
    assert doc["capture"]["encoding"] == "utf-16le-bom" and doc["capture"]["prompt"] == "rk3288:/ $ getprop"
    text = cli("inspect", saved)
    assert "getprop (told by the command on its first line)" in text.stdout and "sdk: 29" in text.stdout


def test_unknown_content_and_bad_usage(tmp_path):
    junk = tmp_path / "notes.txt"
    junk.write_text("the door bell does not ring\n")
    r = cli("inspect", junk)
    assert r.returncode == 4 and "--as" in r.stderr
    r = cli("inspect", junk, "--as", "nonsense")
    assert r.returncode == 2 and "not a kind" in r.stderr
    r = cli("inspect", tmp_path / "absent.txt")
    assert r.returncode == 2 and "cannot read" in r.stderr and "Traceback" not in r.stderr
    report = tmp_path / "bugreport.zip"
    report.write_bytes(b"PK\x03\x04")
    r = cli("inspect", report)
    assert r.returncode == 2 and "devdoctor run --bugreport" in r.stderr
    r = cli("inspect", junk, "--as", "getprop", "--json")  # forced to a kind it is not: said, and exit 4
    assert r.returncode == 4 and "not getprop output" in " ".join(json.loads(r.stdout)["problems"])


def test_a_logcat_excerpt_names_the_wmpf_signatures_with_their_lines_and_times(tmp_path):
    from devdoctor.wmpf.signatures import SIGNATURES

    sig = next(s for s in SIGNATURES if s.id == "cert-fail")
    paste = tmp_path / "ticket.txt"
    paste.write_bytes(powershell(
        b"PS C:\\> adb logcat -d -v threadtime\n"
        b"05-01 09:59:58.100  4242  4250 I WMPF    : container start ok\n"
        b"05-01 09:59:59.300  4242  4251 E WMPF    : registerMiniProgramDevice: cert fail\n"))
    r = cli("inspect", paste, "--json")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert (doc["kind"], doc["told_by"], doc["line_count"]) == ("logcat", "command", 2)
    assert [(m["signature"], m["timestamp"]) for m in doc["matches"]] == [(sig.id, "05-01 09:59:59.300")]
    assert "cert fail" in doc["matches"][0]["line"]


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_reading_any_bytes_never_raises(data):
    cap = read_capture(data)
    detect_kind(cap)
    assert "\r" not in cap.text


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(sorted(PROMPT_COMMAND)), st.text(max_size=1500))
def test_every_reader_survives_hostile_text(kind, text):
    try:
        inspect_bytes(text.encode("utf-8", "surrogatepass"), kind)
    except NotYetSupported:
        pass
