"""`inspect` on dumpsys activity (processes, and the whole dump of MIUI/HyperOS), dumpsys package in every
section a package appears in, and app-ops with vendor ops and numeric modes (tests/data/formats/README.md
says where each layout comes from)."""
from __future__ import annotations

from pathlib import Path

import pytest

from devdoctor.readings.pasted import inspect_bytes

DATA = Path(__file__).parent / "data" / "formats"


def facts(folder: str, name: str) -> dict:
    reading, _cap = inspect_bytes((DATA / folder / f"{name}.txt").read_bytes())
    assert reading.kind == {"appops": "appops"}.get(folder, folder)
    return reading.facts


@pytest.mark.parametrize("name", ["processes-a7.1", "processes-a14", "full-dump-hyperos"])
def test_activity_processes_and_their_counts(name):
    f = facts("dumpsys_activity", name)
    assert (f["error"], f["process_count"], f["lru_list_total"], f["lru_rows"]) == (False, 7, 7, 7)
    assert (f["pid_mappings_count"], f["isolated_process_count"], f["all_known_processes_count"]) == (7, 1, 7)
    assert (f["system_server_pid"], f["systemui_pid"], f["phone_pid"]) == (1867, 1999, 2117)


def test_a_whole_dump_quoting_a_permission_denial_is_not_a_refusal():
    assert "Permission Denial" in (DATA / "dumpsys_activity" / "full-dump-hyperos.txt").read_text()
    assert facts("dumpsys_activity", "full-dump-hyperos")["error"] is False


def test_an_unknown_filter_is_a_refusal_not_zero_processes():
    f = facts("dumpsys_activity", "unknown-command")
    assert (f["error"], f["process_count"]) == (True, None)
    assert f["error_lines"][0] == "Unknown command: com.tencent.wmpf"


def record(f: dict, section: str = "Packages") -> dict:
    return next(r for r in f["packages"] if r["section"] == section)


@pytest.mark.parametrize("name", ["a7.1-one-package", "indentation-lost"])
def test_package_on_7_1_even_without_its_indentation(name):
    r = record(facts("dumpsys_package", name))
    assert (r["versionName"], r["versionCode"], r["minSdk"], r["targetSdk"]) == ("1.1.3", 8011003, 19, 26)
    assert (r["firstInstallTime"], r["stopped"], r["installed_user0"], r["users_listed"]) == (
        "2024-11-02 16:20:44", False, True, [0])


def test_package_on_14_takes_user_0s_install_time_and_lists_its_splits():
    r = record(facts("dumpsys_package", "a14-two-users-splits"))
    assert (r["firstInstallTime"], r["users_listed"], r["installed_user0"]) == ("2025-04-20 10:12:05", [0, 10], True)
    assert r["splits"] == ["base", "config.arm64_v8a", "config.xxhdpi"]


def test_an_updated_system_app_has_its_factory_copy_after_it():
    f = facts("dumpsys_package", "updated-system-app")
    assert [(r["section"], r["versionName"], r["is_system"]) for r in f["packages"]] == [
        ("Packages", "74.0.3729.157", False), ("Hidden system packages", "60.0.3112.107", True)]
    assert record(f)["pkgFlags_has_SYSTEM"] is True  # a system app whose update lives in /data/app
    assert (f["package_queried"], f["full_dump"]) == ("com.android.webview", False)


def test_a_package_of_a_shared_user():
    f = facts("dumpsys_package", "shared-user")
    assert [r["package"] for r in f["packages"]] == ["com.android.settings"]  # the SharedUser block is no package
    assert record(f)["sharedUser"] == "android.uid.system"


def test_package_not_found():
    f = facts("dumpsys_package", "not-found")
    assert (f["not_found"], f["package_queried"], f["packages"]) == (True, "com.tencent.wmpf", [])


def test_appops_vendor_ops_by_number_and_by_name():
    f = facts("appops", "cmd-get-miui-vendor")
    assert f["vendor_ops_seen"] == ["MIUIOP(10008)", "MIUIOP(10021)", "Unknown(10036)"]
    assert {o["op"]: o["mode"] for o in f["ops"]}["MIUIOP(10008)"] == "ignore"
    d = facts("appops", "dumpsys-miui-vendor")
    assert d["vendor_ops_seen"] == ["AUTO_START", "MIUIOP(10008)", "MIUIOP(10021)", "OP_BACKGROUND_START_ACTIVITY"]
    assert d["packages"][1]["ops"][1] == {"op": "MONITOR_LOCATION", "mode": "allow", "switch": "COARSE_LOCATION=allow"}


def test_appops_numeric_modes_keep_their_digit():
    f = facts("appops", "dumpsys-a8-numeric")
    assert (f["kind"], f["numeric_modes"], f["uid_count"], f["package_count"]) == ("dumpsys_appops", True, 3, 3)
    wmpf = next(p for p in f["packages"] if p["package"] == "com.tencent.wmpf")
    assert wmpf["ops"][1] == {"op": "RUN_IN_BACKGROUND", "mode": "ignore", "mode_raw": "1"}
    assert f["packages"][2]["ops"][1]["mode"] == "foreground"


def test_appops_uid_modes_and_no_operations():
    f = facts("appops", "cmd-get-a9-names")
    assert f["uid_ops"] == [{"op": "RUN_ANY_IN_BACKGROUND", "mode": "ignore"}]
    assert [o["op"] for o in f["ops"]][-1] == "RUN_ANY_IN_BACKGROUND" and f["vendor_ops_seen"] == []
    assert facts("appops", "cmd-get-no-operations")["no_operations"] is True
