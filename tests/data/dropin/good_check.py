"""A third party's drop-in check, loaded with --checks-dir."""
from devdoctor.check import Check
from devdoctor.result import CheckResult


class ScreenTimeout(Check):
    id = "screen-timeout"
    title = "Screen timeout"
    description = "Reads the screen-off timeout."
    looks_at = "settings get system screen_off_timeout"

    def run(self, ctx):
        return CheckResult.passed("drop-in ran on " + ctx.device.serial)
