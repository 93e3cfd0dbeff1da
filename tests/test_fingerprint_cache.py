"""The fingerprint cache file is parsed once while it stays the same: every device of a fleet asks it twice,
and it holds the entries of every device the laptop has seen."""
import json
import os

from devdoctor.wmpf import fingerprint_cache as fc


def test_the_file_is_read_again_only_when_it_changed(tmp_path, monkeypatch):
    monkeypatch.setenv("DEVDOCTOR_CACHE_DIR", str(tmp_path))
    for i in range(300):  # a laptop that has seen many devices
        fc.put_value(f"SERIAL{i}|com.tencent.wmpf|1|2024-01-01", f"2.1.{i}")
    parsed = []
    real_loads = json.loads
    monkeypatch.setattr(fc.json, "loads", lambda text: parsed.append(1) or real_loads(text))
    for i in range(48):
        assert fc.get_value(f"SERIAL{i}|com.tencent.wmpf|1|2024-01-01") == f"2.1.{i}"
    assert len(parsed) <= 1

    # another devdoctor (another terminal) rewrote the file: what it wrote is what is read
    path = tmp_path / "wmpf-cli-fingerprints.json"
    doc = real_loads(path.read_text())
    doc["SERIAL0|com.tencent.wmpf|1|2024-01-01"] = {"value": "2.2.0"}
    path.write_text(json.dumps(doc))
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000))
    assert fc.get_value("SERIAL0|com.tencent.wmpf|1|2024-01-01") == "2.2.0"


def test_a_cache_folder_of_its_own_is_its_own_file(tmp_path, monkeypatch):
    for name, value in (("a", "2.1.0"), ("b", "2.2.0")):
        monkeypatch.setenv("DEVDOCTOR_CACHE_DIR", str(tmp_path / name))
        fc.put_value("S|com.tencent.wmpf|1|t", value)
    for name, value in (("a", "2.1.0"), ("b", "2.2.0")):
        monkeypatch.setenv("DEVDOCTOR_CACHE_DIR", str(tmp_path / name))
        assert fc.get_value("S|com.tencent.wmpf|1|t") == value


def test_a_warm_fleet_rewrites_nothing(tmp_path, monkeypatch):
    """Every device of a fleet stores what it found: what the file holds already is not written again."""
    monkeypatch.setenv("DEVDOCTOR_CACHE_DIR", str(tmp_path))
    keys = [f"SERIAL{i}|com.tencent.wmpf|1|2024-01-01" for i in range(48)]
    for k in keys:
        fc.put_value(k, "2.1.0")
    path = tmp_path / "wmpf-cli-fingerprints.json"
    before = path.stat().st_mtime_ns
    written = []
    real_dumps = json.dumps
    monkeypatch.setattr(fc.json, "dumps", lambda *a, **kw: written.append(1) or real_dumps(*a, **kw))
    for k in keys:  # the next run finds the same on every device
        fc.put_value(k, "2.1.0")
    assert written == [] and path.stat().st_mtime_ns == before
    fc.put_value(keys[0], "2.2.0")  # an update is written
    assert written == [1] and fc.get_value(keys[0]) == "2.2.0"
