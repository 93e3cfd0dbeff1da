"""Where the device's answers come from: the live device over adb, a recording (replayed or being made),
a bugreport. Each answers the same Device interface (device.py) and the declared readings."""
