"""devdoctor: diagnose Android devices that run WMPF over ADB."""

__version__ = "0.1.0"
