"""What the foundation's checks send: the full getprop and `dumpsys package com.tencent.wmpf`."""
from __future__ import annotations

from cases import DeviceCase
from fixturekit import Builder, dumpsys_package_text, getprop_text, not_found_text

SOURCES = ("getprop: `[key]: [value]` sorted (toybox getprop.c 6.0-8.1, toolbox/getprop.cpp 9+; key set as "
           "in shared captures raw/getprop/*); dumpsys package PKG: PackageManagerService dump as in the "
           "shared bugreports of 7.1.1, 8.1, 9 and 10 and capture raw/dumpsys_package/*")


def add(case: DeviceCase, b: Builder) -> None:
    b.add("getprop", getprop_text(case.spec), ms=48)
    if case.wmpf is not None:
        b.add("dumpsys package com.tencent.wmpf", dumpsys_package_text(case.wmpf, case.spec.sdk), ms=120)
    else:
        b.add("dumpsys package com.tencent.wmpf", not_found_text("com.tencent.wmpf", case.spec.sdk), ms=95)
